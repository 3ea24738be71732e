/**
 * The claim replayed over a past half-year (the runtime's clock starts in May 2025, as CLOCK_START does for `npm
 * start`), read from `GET /invoices/{id}` and from the emails, against figures computed by hand from the published
 * rates: ECB 3.15 % on 1 January 2025 and 2.15 % on 1 July 2025; legal interest rate ("other cases") 2.76 % in H2 2025.
 */
import { describe, expect, it } from 'vitest';
import { kindOf, money, parisInstant, useRuntime } from './support/client';
import { frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2025-05-02T07:00:00.000Z'; // Friday 2 May 2025, 09:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);

const EUR = (value: number) => ({ value, currency: 'EUR' });
const DUE = '2025-06-13'; // a Friday
/** The ladder's send slots for that due date: penalty reminder on Monday 30 June, formal notice on Tuesday 15 July (the 14th is a holiday). */
const PENALTY_REMINDER = parisInstant('2025-06-30', '09:00');
const FORMAL_NOTICE = parisInstant('2025-07-15', '09:00');

/** The same due date for a business, a public body and a consumer, registered together: the clock serves all three. */
describe('the claim, per kind of customer, over the summer of 2025', () => {
  it('states to the cent what the law gives each of them, in GET and in the emails', async () => {
    const c = client();
    const business = frenchInvoice(invoiceNumber('CLAIM-B'), '2025-05-02', { amount: EUR(123_456_789), dueDate: DUE });
    const publicBody = frenchInvoice(invoiceNumber('CLAIM-P'), '2025-05-14', { amount: EUR(100_000), dueDate: DUE, customer: { kind: 'public', name: 'Commune de Villeurbanne' } });
    const consumer = frenchInvoice(invoiceNumber('CLAIM-C'), '2025-05-14', { amount: EUR(100_000), dueDate: DUE, customer: { kind: 'consumer', name: 'Jean Dupont' } });
    for (const body of [business, publicBody, consumer]) await s.register(body);
    const claim = async (invoiceId: string) => (await c.get(invoiceId)).json.claim;
    const email = async (invoiceId: string, kind: string) => (await s.emails(invoiceId)).find((e) => kindOf(e) === kind)!;

    // Business: 1,000,000.00 of the 1,234,567.89 paid on 20 June.
    await c.clockTo(parisInstant('2025-06-20', '12:00'));
    expect((await c.pay(business.invoiceId, EUR(100_000_000), 'VIR-2025-0620', '2025-06-20')).status).toBe(200);

    await c.clockTo(PENALTY_REMINDER);
    const atReminder = await claim(business.invoiceId);
    expect(atReminder.penalties.periods.map((p: { from: string; to: string; ratePercent: number; amount: { value: number } }) => [p.from, p.to, p.ratePercent, p.amount.value])).toEqual([
      ['2025-06-14', '2025-06-20', 13.15, 311_348], // 123,456,789 × 13.15 × 7 / 36500 = 311,347.87
      ['2025-06-21', '2025-06-30', 13.15, 84_509], //   23,456,789 × 13.15 × 10 / 36500 = 84,508.71
    ]);
    expect(atReminder).toMatchObject({ asOf: '2025-06-30', principal: EUR(23_456_789), indemnity: EUR(4000), total: EUR(23_456_789 + 395_857 + 4000) });
    expect(atReminder.penalties.provisional).toBe(false);
    const reminder = await email(business.invoiceId, 'penalty_reminder');
    expect(reminder.text).toContain(money(EUR(311_348), 'fr'));
    expect(reminder.text).toContain(money(EUR(23_456_789 + 395_857 + 4000), 'fr'));

    await c.clockTo(FORMAL_NOTICE);
    const atNotice = await claim(business.invoiceId);
    // 1 – 15 July 2025 at 2.15 + 10: 23,456,789 × 12.15 × 15 / 36500 = 117,123.28
    expect(atNotice.penalties.periods.at(-1)).toMatchObject({ from: '2025-07-01', to: '2025-07-15', days: 15, ratePercent: 12.15, amount: EUR(117_123) });
    expect(atNotice.penalties.amount).toEqual(EUR(512_980));
    const notice = await email(business.invoiceId, 'formal_notice');
    expect(notice.text).toContain(`la somme de ${money(EUR(23_456_789 + 512_980 + 4000), 'fr')}`);
    expect(notice.text).toContain('L441-10');

    // Public body: 14 June – 15 July, 32 days at 3.15 + 8 = 11.15 % throughout: 100,000 × 11.15 × 32 / 36500 = 977.53
    expect(await claim(publicBody.invoiceId)).toMatchObject({
      penalties: { amount: EUR(978), periods: [{ from: '2025-06-14', to: '2025-07-15', ratePercent: 11.15, source: 'ecb_plus_8' }] },
      indemnity: EUR(4000),
      total: EUR(104_978),
    });
    const publicNotice = await email(publicBody.invoiceId, 'formal_notice');
    expect(publicNotice.text).toContain('R2192-31');
    expect(publicNotice.text).not.toContain('L441-10');

    // Consumer: nothing but the principal until the formal notice, and no email says otherwise.
    for (const sent of (await s.emails(consumer.invoiceId)).filter((e) => ['reminder', 'penalty_reminder', 'formal_notice'].includes(kindOf(e)))) {
      expect(sent.text, kindOf(sent)).not.toMatch(/L441|D441|pénalités de retard|indemnité forfaitaire|40,00/);
    }
    expect(await claim(consumer.invoiceId)).toMatchObject({ penalties: { amount: EUR(0), periods: [] }, indemnity: EUR(0), total: EUR(100_000) });
    await c.clockTo(parisInstant('2025-07-25', '12:00'));
    // 16 – 25 July 2025, 10 days at the legal rate of H2 2025, 2.76 %: 100,000 × 2.76 × 10 / 36500 = 75.62
    expect(await claim(consumer.invoiceId)).toMatchObject({
      penalties: { amount: EUR(76), periods: [{ from: '2025-07-16', to: '2025-07-25', ratePercent: 2.76, source: 'legal_interest' }] },
      indemnity: EUR(0),
      total: EUR(100_076),
    });

    // The business pays the principal left: the penalties and the indemnity are waived by the default policy, and the
    // timeline says how much. An operator waives the public body's with a reason.
    expect((await c.pay(business.invoiceId, EUR(23_456_789), 'VIR-2025-0725', '2025-07-25')).status).toBe(200);
    const paid = (await c.get(business.invoiceId)).json;
    expect(paid.status).toBe('paid');
    // 1 – 25 July on 23,456,789 at 12.15 %: 23,456,789 × 12.15 × 25 / 36500 = 195,205.47; 311,348 + 84,509 + 195,205 + 4,000
    expect(paid.claim).toMatchObject({ principal: EUR(0), total: EUR(0), waived: { by: 'policy', amount: EUR(595_062) } });
    expect(paid.timeline.find((t: { type: string }) => t.type === 'penalties_waived')).toMatchObject({ by: 'policy', amount: EUR(595_062) });
    const waived = await c.request('POST', `/invoices/${encodeURIComponent(publicBody.invoiceId)}/waive`, { body: { reason: 'Accord amiable du 25 juillet' } });
    expect(waived.status).toBe(200);
    expect(waived.json.claim).toMatchObject({ total: EUR(100_000), waived: { by: 'operator', reason: 'Accord amiable du 25 juillet' } });
    expect((await c.request('POST', `/invoices/${encodeURIComponent(publicBody.invoiceId)}/waive`, { body: { reason: '' } })).status).toBe(400);
  });
});
