/**
 * The execution's email steps (shared/services/email-steps.ts) against the real store: each email leaves once per
 * cause, a step retried after a failure sends nothing twice and says it once on the timeline, and every escalation
 * entry has its email.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionState } from '../../../shared/domain/execution-state';
import type { InvoiceStore, LetterToPost, RegisteredLetters } from '../../../shared/ports';
import { paymentNoticeExecution } from '../../../shared/domain/execution-state';
import { runEmailStep } from '../../../shared/services/email-steps';
import { SETTINGS, useServiceWorld } from '../../support/service-world';

const world = useServiceWorld('F-ES', '2027-04-01T07:00:00.000Z');
const overdue = { status: 'overdue' as const, phase: 'overdue' as const, escalation: { done: 0 }, nextActionAt: '2027-04-01T07:00:00.000Z' };
const state = (invoiceId: string): ExecutionState => ({ invoiceId, revision: 1, step: 7, phase: 'overdue', next: 'escalate' });

/** A store whose next record write fails once, as when Lambda dies after the emails and before the step's write. */
function failingOnceOnWrite(): InvoiceStore {
  const store: InvoiceStore = Object.create(world.store);
  let failures = 1;
  store.putInvoice = async (record) => {
    if (failures-- > 0) throw Object.assign(new Error('Task timed out after 30.00 seconds'), { name: 'TimeoutError' });
    return world.store.putInvoice(record);
  };
  return store;
}

describe('the escalation step', () => {
  it('sends the rung\'s email once and says so once on the timeline, even when retried after a failure', async () => {
    const { invoiceId } = await world.stored(overdue);

    await expect(runEmailStep({ ...world.deps, store: failingOnceOnWrite() }, SETTINGS, state(invoiceId), 'escalation')).rejects.toThrow('timed out');
    const next = await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');

    expect(world.mailer.sent.map((e) => e.subject)).toEqual([expect.stringContaining('Rappel')]);
    const record = await world.read(invoiceId);
    expect(record.escalation).toMatchObject({ done: 1, lastAt: '2027-04-01T07:00:00.000Z' });
    // The next rung is planned in the same write: the execution goes straight to its wait.
    expect(next.next).toBe('wait');
    expect(Date.parse(record.nextActionAt!)).toBeGreaterThan(Date.parse('2027-04-01T07:00:00.000Z'));
    expect(next.wait?.until).toBe(record.nextActionAt);
    // (The clock stands still here, so the two entries share an instant and their order is the store's.)
    const timeline = await world.store.listTimeline(invoiceId);
    expect(timeline.map((t) => t.type).sort()).toEqual(['email_sent', 'escalation']);
    expect(timeline.find((t) => t.type === 'escalation')).toMatchObject({ step: 1, action: 'reminder_email', emailed: true });
  });

  it('does not carry out the next rung when retried after its own write landed but its answer was lost', async () => {
    const { invoiceId } = await world.stored(overdue);
    await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');
    // Step Functions retries the very same task: the record already says rung 1 is done and nothing is due.
    const retried = await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');
    expect(retried.next).toBe('check');
    expect(world.mailer.sent).toHaveLength(1);
    expect((await world.read(invoiceId)).escalation.done).toBe(1);
  });

  it('sends a restarted ladder\'s first reminder again: a new cycle is a new cause', async () => {
    const { invoiceId } = await world.stored(overdue);
    await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');
    const record = await world.read(invoiceId);
    await world.store.putInvoice({ ...record, escalation: { done: 0, cycle: 1 }, nextActionAt: '2027-04-01T07:00:00.000Z', version: record.version + 1 });

    await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');

    expect(world.mailer.sent).toHaveLength(2);
    const entries = (await world.store.listTimeline(invoiceId)).filter((t) => t.type === 'escalation');
    expect(entries.map((t) => [t.step, t.emailed])).toEqual([[1, true], [1, true]]);
  });

  it('goes on with the ladder when no contact can receive email, saying why no email left', async () => {
    const { invoiceId } = await world.stored({ ...overdue, suppressedEmails: ['compta@boulangerie-martin.fr'] });
    await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');

    expect(world.mailer.sent).toEqual([]);
    expect((await world.read(invoiceId)).escalation.done).toBe(1);
    expect((await world.store.listTimeline(invoiceId)).map((t) => [t.type, t.emailed, t.reason])).toEqual([
      ['escalation', false, 'no contact of the customer can receive email'],
    ]);
  });

  it('gives the team the call task on the phone rung, once', async () => {
    const { invoiceId } = await world.stored({ ...overdue, escalation: { done: 1, lastAt: '2027-03-25T08:00:00.000Z' } });
    await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');
    expect(world.mailer.sent.map((e) => [e.to, e.subject])).toEqual([[[SETTINGS.teamEmail], expect.stringContaining('Appel à passer')]]);
    expect((await world.store.listTimeline(invoiceId)).map((t) => t.type).sort()).toEqual(['call_task', 'team_notified']);
  });
});

describe('the formal notice step', () => {
  const noticeRung = { ...overdue, escalation: { done: 3, lastAt: '2027-03-20T08:00:00.000Z' } };
  const isPdf = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).subarray(0, 5).toString('latin1') === '%PDF-';

  it('attaches the letter to the email, asks the team to post it with the PDF, and keeps both PDFs; a retry sends nothing more', async () => {
    const { invoiceId } = await world.stored(noticeRung);
    await expect(runEmailStep({ ...world.deps, store: failingOnceOnWrite() }, SETTINGS, state(invoiceId), 'escalation')).rejects.toThrow('timed out');
    await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');

    const [notice, task] = world.mailer.sent;
    expect(world.mailer.sent).toHaveLength(2);
    expect(notice.subject).toMatch(/^Mise en demeure/);
    expect(notice.attachments?.map((a) => [a.contentType, isPdf(a.content)])).toEqual([['application/pdf', true]]);
    expect(task.to).toEqual([SETTINGS.teamEmail]);
    expect(task.subject).toContain('Lettre recommandée à envoyer');
    expect(task.attachments?.map((a) => a.filename)).toEqual([expect.stringMatching(/^mise-en-demeure-.+\.pdf$/)]);
    for (const attachment of [...notice.attachments!, ...task.attachments!]) expect(isPdf((await world.documents.get(attachment.key))?.body)).toBe(true);
    // The copy of the email names its attachment by key and hash.
    const entry = (await world.store.listTimeline(invoiceId)).find((t) => t.type === 'email_sent')!;
    expect(world.documents.json(String(entry.document))).toMatchObject({ attachments: [{ key: notice.attachments![0].key, filename: notice.attachments![0].filename }] });

    const record = await world.read(invoiceId);
    expect(record.registeredLetter).toMatchObject({ by: 'team', key: task.attachments![0].key, requestedAt: '2027-04-01T07:00:00.000Z' });
    expect((await world.store.listTimeline(invoiceId)).filter((t) => t.type === 'registered_letter_requested')).toHaveLength(1);
  });

  it('hands the letter to a registered-letter provider when one is wired, and gives the team no task', async () => {
    const { invoiceId } = await world.stored(noticeRung);
    const handed: LetterToPost[] = [];
    const letters: RegisteredLetters = { send: async (letter) => (handed.push(letter), { by: 'provider', provider: 'lre.example', reference: 'LRE-42' }) };
    await runEmailStep({ ...world.deps, letters }, SETTINGS, state(invoiceId), 'escalation');

    expect(world.mailer.sent.map((e) => e.subject)).toEqual([expect.stringMatching(/^Mise en demeure/)]);
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({ invoiceId, recipient: { name: 'Boulangerie Martin SARL' } });
    expect(isPdf(handed[0].content)).toBe(true);
    expect((await world.read(invoiceId)).registeredLetter?.by).toEqual({ provider: 'lre.example', reference: 'LRE-42' });
  });

  it('asks for the letter even when no email can reach the customer: it is then the only way the notice arrives', async () => {
    const { invoiceId } = await world.stored({ ...noticeRung, suppressedEmails: ['compta@boulangerie-martin.fr'] });
    await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');
    expect(world.mailer.sent.map((e) => e.to)).toEqual([[SETTINGS.teamEmail]]);
    expect((await world.read(invoiceId)).registeredLetter?.by).toBe('team');
  });
});

describe('a step its wait\'s deadline led to', () => {
  const answered = { seq: 1, type: 'dispute' as const, at: '2027-04-01T06:59:59.000Z' };

  it('sends nothing over an answer that reached the record as the deadline came, and has the execution check it', async () => {
    const { invoiceId } = await world.stored({ ...overdue, status: 'disputed', pendingEvents: [answered], dispute: { reason: 'wrong_amount', at: answered.at, status: 'open' } });
    const next = await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');
    expect(next).toMatchObject({ next: 'check', step: 8 });
    expect(world.mailer.sent).toEqual([]);
    expect((await world.read(invoiceId)).version).toBe(1);
  });

  it('does not say a promise is broken when it was made again just before the deadline', async () => {
    const promise = { date: '2027-04-20', method: 'transfer' as const, afterDueDate: true, at: '2027-04-01T06:59:00.000Z', source: 'customer' as const };
    const renewal = { seq: 2, type: 'promise' as const, at: '2027-04-01T06:59:00.000Z' };
    const { invoiceId } = await world.stored({ status: 'promised', phase: 'promised', promise, pendingEvents: [renewal], nextActionAt: '2027-04-01T07:00:00.000Z' });
    const next = await runEmailStep(world.deps, SETTINGS, { ...state(invoiceId), phase: 'promised' }, 'promise_broken');
    expect(next.next).toBe('check');
    expect(world.mailer.sent).toEqual([]);
    expect((await world.read(invoiceId)).promise?.brokenAt).toBeUndefined();
  });
});

describe('a team notice on an invoice that closed before the step read it', () => {
  it('sends the execution to "Check what happened", which ends it as the invoice ended, not to a wait with no phase', async () => {
    const { invoiceId } = await world.stored({ status: 'paid', phase: 'closed' });
    const event = { seq: 3, type: 'bank_details' as const, at: '2027-04-01T07:00:00.000Z', detail: { from: 'compta@boulangerie-martin.fr' } };
    const next = await runEmailStep(world.deps, SETTINGS, { ...state(invoiceId), next: 'bank_details', event }, 'bank_details_alert');
    expect(next.next).toBe('check');
  });
});

describe('the payment notice', () => {
  it('tells the team, and after a hand-off the agency too, what came and what it met, once', async () => {
    const { invoiceId } = await world.stored({ status: 'paid', phase: 'closed', outstanding: { value: 0, currency: 'EUR' }, handedOffAt: '2027-03-18T07:00:00.000Z' });
    const config = { ...SETTINGS, handOffEmail: 'dossiers@recouvrement.example' };
    const notice = paymentNoticeExecution(await world.read(invoiceId), { reference: 'VIR-9', amount: '123456', currency: 'EUR', paidAt: '2027-03-30', receivedAfter: 'after_hand_off' });

    await runEmailStep(world.deps, config, notice.input, 'payment_notice');
    await runEmailStep(world.deps, config, notice.input, 'payment_notice');

    expect(world.mailer.sent.map((e) => [e.to, e.subject])).toEqual([
      [[SETTINGS.teamEmail, 'dossiers@recouvrement.example'], expect.stringContaining('Paiement après transmission au contentieux')],
    ]);
    expect(world.mailer.sent[0].text).toMatch(/Un paiement de 1\s234,56\s€ \(référence VIR-9, payé le 30 mars 2027\)/);
    expect(world.mailer.sent[0].text).toContain('transmise au contentieux le 18 mars 2027');
  });
});

describe('the needs-attention step', () => {
  it('names the execution that failed, so that a payment notice\'s failure is not taken for the invoice\'s own', async () => {
    const { invoiceId } = await world.stored({ status: 'paid', phase: 'closed' });
    const failed = { ...state(invoiceId), step: 0, error: { Error: 'States.TaskFailed', Cause: 'SES refused' } };
    await runEmailStep(world.deps, SETTINGS, failed, 'needs_attention', `${invoiceId}-payment-0123456789`);
    await runEmailStep(world.deps, SETTINGS, failed, 'needs_attention', `${invoiceId}-r1`);
    expect(world.mailer.sent.map((e) => /^Exécution\s: (\S+)$/m.exec(e.text)?.[1])).toEqual([`${invoiceId}-payment-0123456789`, `${invoiceId}-r1`]);
  });
});

describe('the pre-reminder step', () => {
  it('leaves a paid invoice as it is, whatever the wait that led to it', async () => {
    const { invoiceId } = await world.stored({ status: 'paid', phase: 'closed', nextActionAt: undefined });
    await runEmailStep(world.deps, SETTINGS, { ...state(invoiceId), phase: 'before_pre_reminder' }, 'pre_reminder');
    const record = await world.read(invoiceId);
    expect(record).toMatchObject({ status: 'paid', phase: 'closed' });
    expect(record.preReminderSentFor).toBeUndefined();
    expect(world.mailer.sent).toEqual([]);
  });
});

describe('the ladder after a rung or a broken promise', () => {
  it('hands off once the hand-off rung\'s time has come: the step that reached it says so, with no step of its own', async () => {
    // The default ladder's fifth rung is the hand-off; the formal notice (fourth) left 20 days ago, its wait is over.
    const { invoiceId } = await world.stored({
      ...overdue,
      dueDate: '2027-02-10',
      escalation: { done: 4, lastAt: '2027-03-12T08:00:00.000Z' },
      formalNoticeAt: '2027-03-12T08:00:00.000Z',
    });
    const next = await runEmailStep(world.deps, SETTINGS, state(invoiceId), 'escalation');
    expect(next.next).toBe('hand_off');
    expect(world.mailer.sent).toEqual([]);
  });

  it('plans the first rung after a broken promise in the same write', async () => {
    const { invoiceId } = await world.stored({
      status: 'promised',
      phase: 'promised',
      dueDate: '2027-03-01',
      promise: { date: '2027-03-20', method: 'transfer', afterDueDate: true, at: '2027-03-02T09:00:00.000Z', source: 'customer' },
      nextActionAt: '2027-04-01T07:00:00.000Z',
    });
    const next = await runEmailStep(world.deps, SETTINGS, { ...state(invoiceId), phase: 'promised' }, 'promise_broken');
    const record = await world.read(invoiceId);
    expect(record).toMatchObject({ phase: 'overdue', status: expect.stringMatching(/overdue/) });
    expect(next.next).toMatch(/^(wait|hand_off)$/);
    if (next.next === 'wait') expect(next.wait?.until).toBe(record.nextActionAt);
  });
});
