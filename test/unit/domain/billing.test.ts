/**
 * The billing changes (shared/domain/billing.ts) as pure functions of a record, a request and a fixed time: payments in
 * every status, the bounds on dates, and where a resolved dispute leaves the invoice. Money rules are also checked as
 * properties over random payment sequences (fast-check; a failure prints the seed and the shortest counter-example).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  callOutcome,
  cancellation,
  checkDueDate,
  customerAnswer,
  disputeResolution,
  documentAttachment,
  invoiceUpdate,
  newInvoiceRecord,
  payment,
  penaltyWaiver,
  promiseDateProblem,
  type BillingSettings,
} from '../../../shared/domain/billing';
import { DEFAULT_CALENDAR } from '../../../shared/domain/calendar';
import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import { invoiceClaim } from '../../../shared/domain/invoice-claim';
import { CLOSED_STATUSES, type InvoiceRecord, type InvoiceStatus } from '../../../shared/domain/invoice';
import { DEFAULT_POLICY } from '../../../shared/domain/policy';
import { invoiceRecord, registration } from '../../support/fixtures';

const settings: BillingSettings = { calendar: DEFAULT_CALENDAR, policy: DEFAULT_POLICY, executionHorizonDays: 240 };
/** Saturday 20 March 2027, 11:00 in Paris. */
const NOW = new Date('2027-03-20T10:00:00.000Z');
const EUR = (value: number) => ({ value, currency: 'EUR' });
const pay = (value: number, reference: string, paidAt = '2027-03-19') => ({ amount: EUR(value), paidAt, reference });

/** The validation details a change refuses with. */
function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('payment', () => {
  it('lowers what is owed on a partial payment and changes no branch', () => {
    const change = payment(invoiceRecord({ status: 'awaiting_reply' }), pay(23_456, 'VIR-1'), settings, NOW)!;
    expect(change.record).toMatchObject({ status: 'awaiting_reply', outstanding: EUR(100_000), partiallyPaid: true, paymentReferences: ['VIR-1'] });
    expect(change.event).toBeUndefined();
  });

  it('closes an open invoice paid in full and tells the execution', () => {
    const change = payment(invoiceRecord({ status: 'overdue', phase: 'overdue' }), pay(123_456, 'VIR-2'), settings, NOW)!;
    expect(change.record).toMatchObject({ status: 'paid', phase: 'closed', outstanding: EUR(0), partiallyPaid: false });
    expect(change.record.creditBalance).toBeUndefined();
    expect(change.event).toEqual({ type: 'payment' });
  });

  it('keeps what exceeds the amount owed as a credit balance', () => {
    const change = payment(invoiceRecord({ outstanding: EUR(10_000), partiallyPaid: true }), pay(999_999, 'VIR-3'), settings, NOW)!;
    expect(change.record).toMatchObject({ status: 'paid', outstanding: EUR(0), creditBalance: EUR(989_999) });
    expect(change.timeline?.[0]).toMatchObject({ type: 'payment', overpaid: EUR(989_999), outstanding: EUR(0) });
    expect(change.record.warnings).toEqual(['Credit balance: €9,899.99 received beyond what was owed is due back to the customer.']);
    // A second overpayment states the new balance in the one warning.
    const again = payment(change.record, pay(1_001, 'VIR-3b'), settings, NOW)!;
    expect(again.record.warnings).toEqual(['Credit balance: €9,910.00 received beyond what was owed is due back to the customer.']);
  });

  it('settles a handed-off invoice without an event (its execution has ended), keeping the hand-off', () => {
    const record = invoiceRecord({ status: 'handed_off', phase: 'closed', handedOffAt: '2027-05-18T07:00:00.000Z' });
    const partial = payment(record, pay(100_000, 'VIR-4', '2027-05-20'), settings, new Date('2027-05-20T10:00:00.000Z'))!;
    expect(partial.record).toMatchObject({ status: 'handed_off', outstanding: EUR(23_456) });
    expect(partial.timeline?.[0]).toMatchObject({ receivedAfter: 'after_hand_off' });
    const rest = payment(partial.record, pay(23_456, 'VIR-5', '2027-05-20'), settings, new Date('2027-05-20T10:00:00.000Z'))!;
    expect(rest.record).toMatchObject({ status: 'paid', phase: 'closed', handedOffAt: '2027-05-18T07:00:00.000Z', outstanding: EUR(0) });
    expect(rest.event).toBeUndefined();
  });

  it('turns a payment on a paid or cancelled invoice into credit, the status as it was', () => {
    for (const status of ['paid', 'cancelled'] as const) {
      const record = invoiceRecord({ status, phase: 'closed', outstanding: EUR(0) });
      const change = payment(record, pay(5_000, 'VIR-6'), settings, NOW)!;
      expect(change.record).toMatchObject({ status, outstanding: EUR(0), creditBalance: EUR(5_000) });
      expect(change.event).toBeUndefined();
      expect(change.timeline?.[0]).toMatchObject({ receivedAfter: status === 'paid' ? 'after_payment' : 'after_cancellation' });
    }
  });

  it('counts a reference once, and refuses another currency or a date to come', () => {
    const record = invoiceRecord({ paymentReferences: ['VIR-7'] });
    expect(payment(record, pay(1, 'VIR-7'), settings, NOW)).toBeUndefined();
    expect(refusal(() => payment(record, { ...pay(1, 'X'), amount: { value: 1, currency: 'USD' } }, settings, NOW))).toEqual([
      { path: 'amount.currency', message: 'expected EUR' },
    ]);
    // 20 March in Paris: the 21st is tomorrow; 10:06Z is six minutes ahead of the clock.
    for (const paidAt of ['2027-03-21', '2027-03-20T10:06:00Z']) {
      expect(refusal(() => payment(record, pay(1, 'Y', paidAt), settings, NOW))).toEqual([{ path: 'paidAt', message: 'a payment cannot be dated in the future' }]);
    }
    expect(payment(record, pay(1, 'Z', '2027-03-20'), settings, NOW)).toBeDefined();
  });

  it('keeps the money exact over any sequence of payments in any status: owed + credit moves by what was paid', () => {
    const statuses: InvoiceStatus[] = ['scheduled', 'awaiting_reply', 'promised', 'disputed', 'overdue', 'paid', 'cancelled', 'handed_off'];
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.record({ value: fc.integer({ min: 1, max: 5_000_000 }), reference: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F') }), { maxLength: 12 }),
        (status, amount, payments) => {
          const owesNothing = status === 'paid' || status === 'cancelled';
          let record: InvoiceRecord = invoiceRecord({ status, phase: CLOSED_STATUSES.has(status) ? 'closed' : 'overdue', amount: EUR(amount), outstanding: EUR(owesNothing ? 0 : amount) });
          const owedAtStart = status === 'paid' || status === 'cancelled' ? 0 : amount;
          let received = 0;
          for (const p of payments) {
            const change = payment(record, pay(p.value, p.reference), settings, NOW);
            const counted = !record.paymentReferences.includes(p.reference);
            expect(change === undefined).toBe(!counted);
            if (!change) continue;
            received += p.value;
            const before = record;
            record = change.record;
            const owed = record.outstanding.value;
            expect(record.outstanding.value).toBeGreaterThanOrEqual(0);
            expect(owed + (record.creditBalance?.value ?? 0)).toBe(Math.max(0, owedAtStart - received) + Math.max(0, received - owedAtStart));
            // Closed stays closed; an open invoice closes exactly when nothing is owed, and only then tells the execution.
            if (CLOSED_STATUSES.has(before.status)) expect(CLOSED_STATUSES.has(record.status)).toBe(true);
            if (!CLOSED_STATUSES.has(before.status)) expect(change.event !== undefined).toBe(record.outstanding.value === 0);
            if (before.status === 'handed_off' && record.outstanding.value === 0) expect(record.status).toBe('paid');
          }
        },
      ),
    );
  });
});

describe('the bank-details check', () => {
  const AP = 'compta@boulangerie-martin.fr';
  const check = (record: InvoiceRecord, bankDetails: 'match' | 'differ', message?: string) =>
    customerAnswer(record, AP, { action: 'bank_details', bankDetails, message }, settings, NOW);

  it('notes a match on the timeline and tells the execution nothing', () => {
    const change = check(invoiceRecord({ status: 'awaiting_reply' }), 'match')!;
    expect(change.record.bankDetailsCheck).toEqual({ answer: 'match', at: NOW.toISOString(), contact: AP });
    expect(change.timeline?.map((t) => [t.type, t.contact])).toEqual([['bank_details_confirmed', AP]]);
    expect(change.event).toBeUndefined();
  });

  it('sends a mismatch to the execution at once, with who said it and what', () => {
    const change = check(invoiceRecord({ status: 'overdue', phase: 'overdue' }), 'differ', 'Nous avons reçu un RIB à la Banque Y le 2 mars.')!;
    expect(change.timeline?.map((t) => t.type)).toEqual(['bank_details_differ']);
    expect(change.event).toEqual({ type: 'bank_details', detail: { from: AP, message: 'Nous avons reçu un RIB à la Banque Y le 2 mars.' } });
  });

  it('takes the same answer again from the same contact as a second click, but a changed answer as news', () => {
    const checked = check(invoiceRecord({ status: 'awaiting_reply' }), 'differ', 'Un autre RIB reçu.')!.record;
    expect(check(checked, 'differ', 'Un autre RIB reçu.')).toBeUndefined();
    expect(check(checked, 'differ', 'Et un second depuis.')?.event?.type).toBe('bank_details');
    expect(check(checked, 'match')?.timeline?.map((t) => t.type)).toEqual(['bank_details_confirmed']);
  });

  it('is refused on a closed invoice', () => {
    expect(() => check(invoiceRecord({ status: 'paid', phase: 'closed' }), 'differ')).toThrow(ConflictError);
  });
});

describe('promise dates', () => {
  it('are taken from today up to maxPromiseDays ahead, whatever the due date', () => {
    expect(promiseDateProblem('2027-03-19', DEFAULT_POLICY, '2027-03-20')).toBe('past');
    expect(promiseDateProblem('2027-03-20', DEFAULT_POLICY, '2027-03-20')).toBeUndefined();
    expect(promiseDateProblem('2027-05-19', DEFAULT_POLICY, '2027-03-20')).toBeUndefined();
    expect(promiseDateProblem('2027-05-20', DEFAULT_POLICY, '2027-03-20')).toBe('too_far');
    expect(promiseDateProblem('2099-12-31', { ...DEFAULT_POLICY, maxPromiseDays: 365 }, '2027-03-20')).toBe('too_far');
  });

  it('refuse a customer\'s promise in the past or too far ahead, saying which, in the creditor\'s calendar', () => {
    const record = invoiceRecord({ status: 'awaiting_reply' });
    const answer = (promisedDate: string) => () =>
      customerAnswer(record, 'compta@boulangerie-martin.fr', { action: 'promise', promisedDate, paymentMethod: 'transfer', message: undefined }, settings, NOW);
    expect(refusal(answer('2027-03-19'))).toEqual([{ path: 'promisedDate', message: 'the promised date is before today (2027-03-20)', code: 'promise_past' }]);
    expect(refusal(answer('2100-01-01'))).toEqual([
      expect.objectContaining({ path: 'promisedDate', code: 'promise_too_far', message: expect.stringContaining('after 2027-05-19') }),
    ]);
    expect(answer('2027-04-15')()?.record.promise).toMatchObject({ date: '2027-04-15', afterDueDate: true });
  });

  it('hold for a promise taken on the phone too', () => {
    const record = invoiceRecord({ status: 'overdue', phase: 'overdue' });
    expect(refusal(() => callOutcome(record, { outcome: 'promised', promisedDate: '2027-01-05' }, settings, NOW))).toEqual([
      expect.objectContaining({ code: 'promise_past' }),
    ]);
    expect(callOutcome(record, { outcome: 'promised', promisedDate: '2027-03-22' }, settings, NOW).record.status).toBe('promised');
  });
});

describe('due dates', () => {
  it('are taken from five years back to three years ahead of today', () => {
    expect(() => checkDueDate('2022-03-20', settings, NOW)).not.toThrow();
    expect(() => checkDueDate('2030-03-20', settings, NOW)).not.toThrow();
    expect(refusal(() => checkDueDate('2022-03-19', settings, NOW))).toEqual([{ path: 'dueDate', message: 'the due date must lie between 2022-03-20 and 2030-03-20' }]);
    expect(refusal(() => checkDueDate('2030-03-21', settings, NOW))).toEqual([expect.objectContaining({ path: 'dueDate' })]);
  });
});

describe('disputeResolution', () => {
  const promised = { date: '2027-04-05', method: 'transfer' as const, afterDueDate: true, at: '2027-03-22T10:00:00.000Z', source: 'customer' as const };
  const dispute = { reason: 'wrong_amount' as const, at: '2027-03-23T10:00:00.000Z', status: 'open' as const };

  it('puts a promise still open back in place when the dispute is rejected', () => {
    const record = invoiceRecord({ status: 'disputed', phase: 'disputed', promise: promised, dispute });
    const change = disputeResolution(record, { outcome: 'rejected' }, settings, new Date('2027-03-24T10:00:00.000Z'));
    expect(change.record.status).toBe('promised');
    expect(change.event).toEqual({ type: 'dispute_resolved' });
  });

  it('keeps what was paid beyond a lower corrected amount as a credit balance, and closes the invoice', () => {
    const record = invoiceRecord({ status: 'disputed', phase: 'disputed', dispute, outstanding: EUR(23_456) });
    const change = disputeResolution(record, { outcome: 'corrected_amount', correctedAmount: EUR(80_000) }, settings, NOW);
    expect(change.record).toMatchObject({ status: 'paid', amount: EUR(80_000), outstanding: EUR(0), creditBalance: EUR(20_000) });
    expect(change.timeline?.[0]).toMatchObject({ type: 'dispute_resolved', outstanding: EUR(0) });
  });

  it('does not revive a promise that was broken before the dispute', () => {
    const record = invoiceRecord({ status: 'disputed', phase: 'disputed', promise: { ...promised, brokenAt: '2027-04-09T07:00:00.000Z' }, dispute });
    const change = disputeResolution(record, { outcome: 'rejected' }, settings, new Date('2027-04-12T10:00:00.000Z'));
    expect(change.record.status).toBe('overdue');
  });
});

describe('cancellation', () => {
  it('owes the customer back what it paid on an invoice then cancelled, by credit note or otherwise', () => {
    const partlyPaid = payment(invoiceRecord({ status: 'awaiting_reply' }), pay(50_000, 'VIR-K'), settings, NOW)!.record;
    expect(cancellation(partlyPaid, 'erreur de facturation', NOW)!.record).toMatchObject({ status: 'cancelled', outstanding: EUR(0), creditBalance: EUR(50_000) });
    const disputed = { ...partlyPaid, status: 'disputed' as const, dispute: { reason: 'wrong_amount' as const, at: NOW.toISOString(), status: 'open' as const } };
    expect(disputeResolution(disputed, { outcome: 'credit_note' }, settings, NOW).record).toMatchObject({ status: 'cancelled', creditBalance: EUR(50_000) });
    expect(cancellation(invoiceRecord({ status: 'awaiting_reply' }), 'doublon', NOW)!.record.creditBalance).toBeUndefined();
  });
});

describe('the penalties once the principal is paid', () => {
  /** 20 April 2027, 10:00 in Paris: 20 days late (1 – 20 April). */
  const LATE = new Date('2027-04-20T08:00:00.000Z');
  // 20 days at 12.15 % on 1,234.56: 123,456 × 12.15 × 20 / 36500 = 821.89 → 822; plus the 40 EUR indemnity.
  const EXTRAS = 822 + 4000;
  const overdue = invoiceRecord({ status: 'overdue', phase: 'overdue' });
  const keep: BillingSettings = { ...settings, policy: { ...DEFAULT_POLICY, waivePenaltiesWhenPrincipalPaid: false } };

  it('waives them by default, saying how much and why on the timeline', () => {
    const change = payment(overdue, pay(123_456, 'VIR-P', '2027-04-20'), settings, LATE)!;
    expect(change.record).toMatchObject({ status: 'paid', waiver: { by: 'policy', at: LATE.toISOString() } });
    expect(change.timeline?.[1]).toMatchObject({ type: 'penalties_waived', by: 'policy', amount: EUR(EXTRAS), penalties: EUR(822), indemnity: EUR(4000) });
    expect(invoiceClaim(change.record, DEFAULT_CALENDAR, LATE)).toMatchObject({ total: EUR(0), waived: { amount: EUR(EXTRAS) } });
  });

  it('keeps them claimable when the policy says so, and a later payment goes to them before any credit', () => {
    const change = payment(overdue, pay(123_456, 'VIR-P', '2027-04-20'), keep, LATE)!;
    expect(change.record.waiver).toBeUndefined();
    expect(change.timeline?.[1]).toMatchObject({ type: 'penalties_claimable', amount: EUR(EXTRAS) });
    // Weeks later nothing more accrues (the base is 0), and the customer pays the penalties and a little more.
    const later = new Date('2027-06-01T08:00:00.000Z');
    expect(invoiceClaim(change.record, DEFAULT_CALENDAR, later).total).toEqual(EUR(EXTRAS));
    const penalties = payment(change.record, pay(5_000, 'VIR-Q', '2027-06-01'), keep, later)!;
    expect(penalties.record).toMatchObject({ status: 'paid', penaltiesPaid: EXTRAS, creditBalance: EUR(5_000 - EXTRAS) });
    expect(penalties.timeline?.[0]).toMatchObject({ towardsPenalties: EUR(EXTRAS), overpaid: EUR(5_000 - EXTRAS) });
    expect(invoiceClaim(penalties.record, DEFAULT_CALENDAR, later).total).toEqual(EUR(0));
  });

  it('counts one payment of principal and penalties as both, with nothing to waive', () => {
    const change = payment(overdue, pay(123_456 + EXTRAS, 'VIR-ALL', '2027-04-20'), settings, LATE)!;
    expect(change.record).toMatchObject({ status: 'paid', penaltiesPaid: EXTRAS });
    expect(change.record.waiver).toBeUndefined();
    expect(change.record.creditBalance).toBeUndefined();
  });

  it('dates a payment by the creditor\'s calendar day: 22:30 UTC on 10 April is the 11th in Paris', () => {
    const change = payment(overdue, pay(100_000, 'VIR-N', '2027-04-10T22:30:00Z'), settings, LATE)!;
    expect(change.record.payments).toEqual([{ date: '2027-04-11', value: 100_000 }]);
  });

  it('decides the penalties too when a corrected amount settles the invoice', () => {
    const paid = payment(overdue, pay(100_000, 'VIR-C', '2027-04-10'), settings, LATE)!.record;
    const corrected = disputeResolution({ ...paid, dispute: { reason: 'wrong_amount', at: '2027-04-12T08:00:00.000Z', status: 'open' }, status: 'disputed' }, { outcome: 'corrected_amount', correctedAmount: EUR(90_000) }, settings, LATE);
    expect(corrected.record).toMatchObject({ status: 'paid', creditBalance: EUR(10_000), waiver: { by: 'policy' } });
    expect(corrected.timeline?.map((t) => t.type)).toEqual(['dispute_resolved', 'penalties_waived']);
    expect(invoiceClaim(corrected.record, DEFAULT_CALENDAR, LATE).total).toEqual(EUR(0));
  });

  it('counts a payment stamped a minute after midnight, within the clock skew allowed, for today', () => {
    // 23:58 in Paris on 20 April; the billing system's clock says 00:01 on the 21st.
    const now = new Date('2027-04-20T21:58:00.000Z');
    const change = payment(overdue, pay(123_456, 'VIR-M', '2027-04-20T22:01:00Z'), settings, now)!;
    expect(change.record.payments).toEqual([{ date: '2027-04-20', value: 123_456 }]);
    expect(invoiceClaim(change.record, DEFAULT_CALENDAR, now).principal).toEqual(EUR(0));
  });

  it('lets an operator waive what has accrued, with a reason; the same reason again is a retry, a later one covers more', () => {
    const change = penaltyWaiver(overdue, { reason: 'geste commercial' }, settings, LATE)!;
    expect(change.record.waiver).toEqual({ at: LATE.toISOString(), reason: 'geste commercial', by: 'operator' });
    expect(change.timeline?.[0]).toMatchObject({ type: 'penalties_waived', by: 'operator', amount: EUR(EXTRAS), upTo: '2027-04-20', reason: 'geste commercial' });
    expect(penaltyWaiver(change.record, { reason: 'geste commercial' }, settings, LATE)).toBeUndefined();
    // Still unpaid ten days later: 21 – 30 April accrued again (123,456 × 12.15 × 10 / 36500 = 410.95 → 411), and a
    // second waiver gives that up too.
    const later = new Date('2027-04-30T08:00:00.000Z');
    expect(invoiceClaim(change.record, DEFAULT_CALENDAR, later).total).toEqual(EUR(123_456 + 411));
    const again = penaltyWaiver(change.record, { reason: 'accord du 30 avril' }, settings, later)!;
    expect(again.timeline?.[0]).toMatchObject({ amount: EUR(EXTRAS + 411), upTo: '2027-04-30' });
    expect(invoiceClaim(again.record, DEFAULT_CALENDAR, later).total).toEqual(EUR(123_456));
    expect(() => penaltyWaiver(invoiceRecord({ status: 'cancelled', phase: 'closed' }), { reason: 'x' }, settings, LATE)).toThrow(ConflictError);
  });
});

describe('registration and due-date warnings', () => {
  const withBody = (patch: Partial<typeof registration>) => ({ ...structuredClone(registration), ...patch });
  const NOW_2026 = new Date('2026-12-01T10:00:00.000Z');
  const settings2026: BillingSettings = { ...settings };

  it('accepts a contractual rate below the floor, warning that 3 × the legal rate applies', () => {
    const body = withBody({ issueDate: '2026-12-01', dueDate: '2026-12-31', terms: { latePaymentRatePercent: 5 } });
    // December 2026 is H2 2026, not in the table: the floor is that of the latest half-year, 3 × 2.62 = 7.86 %.
    expect(newInvoiceRecord(body, settings2026, NOW_2026).warnings).toEqual([
      'The contractual late-payment rate of 5 % is below 3 × the legal interest rate (7.86 % in 2026-H2): the floor applies in every half-year where it is higher (Code de commerce L441-10 II).',
    ]);
    expect(newInvoiceRecord(withBody({ ...body, terms: { latePaymentRatePercent: 12 } }), settings2026, NOW_2026).warnings).toEqual([]);
  });

  it('warns that a contractual rate does not apply to a public body or a consumer', () => {
    for (const kind of ['public', 'consumer'] as const) {
      const body = withBody({ customer: { ...registration.customer, kind }, issueDate: '2026-12-01', dueDate: '2026-12-20', terms: { latePaymentRatePercent: 12 } });
      expect(newInvoiceRecord(body, settings2026, NOW_2026).warnings).toEqual([expect.stringMatching(/does not apply to a (public body|consumer)/)]);
    }
  });

  it('checks the terms again on a new due date: the old warning goes, the new one comes', () => {
    const record = newInvoiceRecord(withBody({ issueDate: '2026-12-01', dueDate: '2027-02-15' }), settings2026, NOW_2026);
    expect(record.warnings).toEqual([expect.stringMatching(/^Payment term of 76 days/)]);
    const shorter = invoiceUpdate(record, { dueDate: '2027-01-29' }, settings2026, NOW_2026)!;
    expect(shorter.record.warnings).toEqual([]);
    const longer = invoiceUpdate(shorter.record, { dueDate: '2027-03-01' }, settings2026, NOW_2026)!;
    expect(longer.record.warnings).toEqual([expect.stringMatching(/^Payment term of 90 days \(due 2027-03-01\)/)]);
  });
});

describe('documentAttachment', () => {
  const contract = { kind: 'contract' as const, filename: 'CGV 2027.pdf', contentType: 'application/pdf', size: 1234, sha256: 'a'.repeat(64), key: 'invoices/F-2027-0042/documents/aaa/CGV%202027.pdf', at: NOW.toISOString() };

  it('names the document on the record and the timeline, in any status, the same file once', () => {
    const change = documentAttachment(invoiceRecord({ status: 'handed_off', phase: 'closed' }), contract, NOW)!;
    expect(change.record.documents).toEqual([contract]);
    expect(change.timeline?.[0]).toMatchObject({ type: 'document_attached', kind: 'contract', filename: 'CGV 2027.pdf', sha256: contract.sha256, size: 1234 });
    expect(documentAttachment(change.record, contract, NOW)).toBeUndefined();
  });

  it('refuses a 31st document', () => {
    const full = invoiceRecord({ documents: Array.from({ length: 30 }, (_, i) => ({ ...contract, sha256: String(i).padStart(64, '0') })) });
    expect(() => documentAttachment(full, contract, NOW)).toThrow(ConflictError);
  });
});
