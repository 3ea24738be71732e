/**
 * The formal notice and the evidence file as documents, over HTTP on the virtual clock: the notice's PDF as the
 * customer receives it (fetched from the outbox, read with PDF.js), the letter the team must post, the registered
 * letter's posting and receipt moving the hand-off, and the evidence bundle fetched by its link, unzipped and checked
 * against its manifest and against the outbox.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../support/pdf-text';
import { addDays, handOffSlot, isTeamEmail, kindOf, onOrAfterBusinessDay, parisDate, sendSlot, useRuntime, type DunningClient, type Email } from './support/client';
import { frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);

const ADDRESS = { lines: ['12 rue des Artisans', 'ZI des Chênes'], postalCode: '69007', city: 'Lyon', country: 'FR' };

/** A silent French business customer with its identity and address, as a formal notice must name it. */
function silentInvoice(tag: string, today: string) {
  return frenchInvoice(invoiceNumber(tag), today, { dueDate: addDays(today, 31), customer: { legalId: '732829320', address: ADDRESS } });
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function attachment(email: Email): Promise<string> {
  expect(email.attachments).toHaveLength(1);
  const [file] = email.attachments;
  expect(file.contentType).toBe('application/pdf');
  const bytes = await fetchBytes(file.url);
  expect(bytes.byteLength).toBe(file.size);
  return (await pdfText(bytes)).flat;
}

async function postLetter(c: DunningClient, invoiceId: string, body: Record<string, unknown>) {
  return c.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/formal-notice`, { body });
}

describe('the formal notice as a letter', () => {
  it('leaves as a PDF attached to the email, and as a letter the team must post; the bundle at hand-off holds every email of the outbox', async () => {
    const c = client();
    const body = silentInvoice('NOTICE', await c.today());
    await s.register(body);
    // Nothing to record before a notice exists.
    expect((await postLetter(c, body.invoiceId, { postedAt: await c.today(), trackingNumber: '1A00000000001' })).status).toBe(409);

    const noticeAt = sendSlot(addDays(body.dueDate, 30));
    await c.clockTo(noticeAt);
    const emails = await s.emails(body.invoiceId);
    const notice = emails.find((e) => kindOf(e) === 'formal_notice')!;
    const emailed = await attachment(notice);
    for (const mention of ['Objet : mise en demeure de payer', 'Menuiseries Durand SARL', '732 829 320', '12 rue des Artisans', '69007 Lyon', body.invoiceId, 'Example SAS', 'Camille Exemple', '8 jours']) {
      expect(emailed, mention).toContain(mention);
    }
    // The copy sent by email never says a registered letter was sent.
    expect(emailed).not.toMatch(/recommandée/i);

    const task = emails.find((e) => kindOf(e) === 'team_registered_letter')!;
    expect(isTeamEmail(task)).toBe(true);
    expect(task.text).toContain('12 rue des Artisans');
    expect(await attachment(task)).toContain('Lettre recommandée avec accusé de réception');
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.registeredLetter).toMatchObject({ by: 'team' });
    expect(invoice.registeredLetter?.postedAt).toBeUndefined();

    // Nobody posts it: the hand-off comes 15 days after the emailed notice, and the evidence says no letter was posted.
    await c.clockTo(handOffSlot(body.dueDate));
    expect(await s.status(body.invoiceId)).toBe('handed_off');
    const evidence = await c.evidence(body.invoiceId);
    expect(evidence.status, evidence.text).toBe(200);
    expect(evidence.json.registeredLetter).toMatchObject({ posted: false });

    const zip = await fetchBytes(evidence.json.bundle.url);
    expect(sha256(zip)).toBe(evidence.json.bundle.sha256);
    const files = unzipSync(zip);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest.invoiceId).toBe(body.invoiceId);
    expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f: { path: string }) => f.path), 'manifest.json'].sort());
    for (const file of manifest.files) expect(sha256(files[file.path]), file.path).toBe(file.sha256);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['summary.pdf', 'evidence.json', 'timeline.json']));
    expect(Object.keys(files).filter((path) => path.startsWith('letters/'))).toHaveLength(2);

    // Every email the outbox shows for the invoice is in the bundle, as sent.
    const copies = Object.entries(files)
      .filter(([path]) => path.startsWith('emails/'))
      .map(([, bytes]) => JSON.parse(new TextDecoder().decode(bytes)) as { messageId?: string; subject: string; text: string });
    for (const email of await s.emails(body.invoiceId)) {
      expect(copies.find((copy) => copy.messageId === email.messageId), email.subject).toMatchObject({ subject: email.subject, text: email.text });
    }
    const summary = (await pdfText(files['summary.pdf'])).flat;
    expect(summary).toContain(body.invoiceId);
    expect(summary).toContain('Menuiseries Durand SARL');
  });

  it('waits for the 8 days from the recorded receipt before the hand-off, later than the default', async () => {
    const c = client();
    const body = silentInvoice('LRAR', await c.today());
    await s.register(body);
    const noticeAt = sendSlot(addDays(body.dueDate, 30));
    await c.clockTo(noticeAt);
    const noticeDay = parisDate(noticeAt);

    expect((await postLetter(c, body.invoiceId, { postedAt: addDays(noticeDay, 1), trackingNumber: '1A00000000002' })).status).toBe(400);
    await c.clockTo(sendSlot(addDays(noticeDay, 1)));
    const posted = await postLetter(c, body.invoiceId, { postedAt: addDays(noticeDay, 1), trackingNumber: '1A00000000002' });
    expect(posted.status, posted.text).toBe(200);
    // The same facts again change nothing; a receipt before the posting is refused.
    expect((await postLetter(c, body.invoiceId, { postedAt: addDays(noticeDay, 1), trackingNumber: '1A00000000002' })).status).toBe(200);
    expect((await postLetter(c, body.invoiceId, { postedAt: addDays(noticeDay, 1), trackingNumber: '1A00000000002', receivedAt: noticeDay })).status).toBe(400);

    // Received late (a debtor slow to collect it): the notice's 8 days run from then.
    const receivedDay = addDays(noticeDay, 12);
    await c.clockTo(sendSlot(receivedDay));
    const received = await postLetter(c, body.invoiceId, { postedAt: addDays(noticeDay, 1), trackingNumber: '1A00000000002', receivedAt: receivedDay });
    expect(received.status, received.text).toBe(200);
    const handOffAt = sendSlot(addDays(onOrAfterBusinessDay(addDays(receivedDay, 8)), 1));
    expect(Date.parse(handOffAt)).toBeGreaterThan(Date.parse(handOffSlot(body.dueDate)));

    await c.clockTo(new Date(Date.parse(handOffAt) - 60_000));
    expect(await s.status(body.invoiceId)).toBe('overdue');
    await c.clockTo(handOffAt);
    expect(await s.status(body.invoiceId)).toBe('handed_off');
    const evidence = await c.evidence(body.invoiceId);
    expect(evidence.json.registeredLetter).toMatchObject({ posted: true, trackingNumber: '1A00000000002', receivedAt: receivedDay });
    const types = (await c.invoice(body.invoiceId)).timeline.map((t: { type: string }) => t.type);
    expect(types).toEqual(expect.arrayContaining(['registered_letter_requested', 'registered_letter_posted', 'registered_letter_received', 'evidence_bundle']));
  });
});
