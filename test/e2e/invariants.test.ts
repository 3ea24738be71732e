/**
 * The property suites' oracle (test/e2e/support/invariants.ts) is itself checked: a healthy invoice passes, and each
 * rule catches the break it is there for, so the suites cannot pass by checking nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Email, ExecutionSummary } from './support/client';
import { violations, type ObservedInvoice } from './support/invariants';

const EUR = (value: number) => ({ value, currency: 'EUR' });
const email = (tag: string, sentAt: string, subject = 'Rappel : facture F-1 échue le 31 mars 2027', to = ['ap@customer.example']): Email => ({
  messageId: `m-${tag}-${sentAt}`,
  invoiceId: 'F-1',
  invoiceIds: ['F-1'],
  causes: { 'F-1': tag },
  to,
  subject,
  text: '',
  html: '',
  links: [],
  attachments: [],
  tags: { invoiceId: 'F-1', email: tag },
  sentAt,
  sentAtRealMs: Date.parse(sentAt),
});
const execution = (status: string, currentState: string, parked = false): ExecutionSummary =>
  ({ name: 'F-1-r1', invoiceId: 'F-1', status, currentState, parked, startedAt: '2027-01-04T07:00:00.000Z' }) as ExecutionSummary;

/** A paid invoice: a reminder, a payment that settled it, the execution ended in Paid. */
function healthy(): ObservedInvoice {
  return {
    invoice: {
      invoiceId: 'F-1',
      status: 'paid',
      partiallyPaid: false,
      customer: { id: 'C', name: 'Customer', language: 'fr', contacts: [] },
      amount: EUR(10_000),
      outstanding: EUR(0),
      issueDate: '2027-01-04',
      dueDate: '2027-03-31',
      executionName: 'F-1-r1',
      preReminderAt: '2027-03-19T08:00:00.000Z',
      warnings: [],
      // Paid two days late, the penalties waived by policy.
      claim: { asOf: '2027-04-03', principal: EUR(0), penalties: { amount: EUR(7), provisional: true, periods: [] }, indemnity: EUR(4000), total: EUR(0) },
      timeline: [
        { type: 'email_sent', at: '2027-04-01T07:00:00.000Z', messageId: 'm-ladder@0-2027-04-01T07:00:00.000Z' },
        { type: 'escalation', at: '2027-04-01T07:00:01.000Z', step: 1, emailed: true, email: 'ladder@0' },
        { type: 'payment', at: '2027-04-03T10:00:00.000Z', reference: 'VIR-1', outstanding: EUR(0) },
      ],
    },
    emails: [email('ladder@0', '2027-04-01T07:00:00.000Z')],
    executions: [execution('SUCCEEDED', 'Paid')],
    acceptedPayments: [{ reference: 'VIR-1', amount: EUR(10_000) }],
    cancelled: false,
  };
}

/** The rule about the timeline naming every email has a test of its own; the others add emails without entries. */
const ON_TIMELINE = 'left without a timeline entry';
const check = (observed: ObservedInvoice, faults = false) => violations(observed, { faults }).filter((v) => !v.includes(ON_TIMELINE));

describe('the invariants', () => {
  it('hold for a healthy invoice', () => {
    expect(check(healthy())).toEqual([]);
  });

  it('catch an email to the customer after the payment closed the invoice, but not a team email', () => {
    const observed = healthy();
    observed.emails.push(email('ladder@1', '2027-04-08T07:00:00.000Z', 'Deuxième rappel'), email('payment@X', '2027-04-09T07:00:00.000Z', '[Dunning] Overpayment', ['credit-team@example.com']));
    expect(check(observed)).toEqual([expect.stringContaining('"Deuxième rappel" left at 2027-04-08T07:00:00.000Z, after the invoice closed')]);
  });

  it('catch an email that left at the very instant of the payment but after the API said it was paid', () => {
    const observed = { ...healthy(), closedAtRealMs: Date.parse('2027-04-03T10:00:00.000Z') };
    observed.emails.push({ ...email('ladder@1', '2027-04-03T10:00:00.000Z', 'Deuxième rappel'), sentAtRealMs: Date.parse('2027-04-03T10:00:05.000Z') });
    expect(check(observed)).toEqual([expect.stringContaining('"Deuxième rappel" left 5000 ms after the API said the invoice was closed')]);
    observed.emails[1].sentAtRealMs = Date.parse('2027-04-03T10:00:00.100Z');
    expect(check(observed)).toEqual([]);
  });

  it('catch a customer email missing from the timeline, but not under faults, where its fate may be unknown', () => {
    const observed = healthy();
    observed.emails.push(email('ladder@1', '2027-04-02T07:00:00.000Z', 'Deuxième rappel'));
    expect(violations(observed, { faults: false })).toEqual([expect.stringContaining(`"Deuxième rappel" (m-ladder@1-2027-04-02T07:00:00.000Z) ${ON_TIMELINE}`)]);
    expect(violations(observed, { faults: true })).toEqual([]);
  });

  it("tell a grouped email's causes apart per invoice: one email for two invoices is no duplicate, two for one cause are", () => {
    const observed = healthy();
    const grouped = (sentAt: string, cause: string) => ({ ...email('ladder@0', sentAt), invoiceIds: ['F-0', 'F-1'], causes: { 'F-0': 'ladder@0', 'F-1': cause } });
    observed.emails = [grouped('2027-04-01T07:00:00.000Z', 'ladder@0')];
    expect(check(observed)).toEqual([]);
    observed.emails.push({ ...grouped('2027-04-01T07:00:00.000Z', 'ladder@0'), messageId: 'm-again' });
    expect(check(observed)).toEqual([expect.stringContaining('2 emails for the one cause ladder@0')]);
  });

  it('catch two emails for one cause and recipient', () => {
    const observed = healthy();
    observed.emails.push(email('ladder@0', '2027-04-01T07:05:00.000Z'));
    expect(check(observed)).toContainEqual(expect.stringContaining('2 emails for the one cause ladder@0'));
  });

  it('catch an accepted payment missing from the timeline, and money that does not add up', () => {
    const observed = healthy();
    observed.acceptedPayments.push({ reference: 'VIR-2', amount: EUR(500) });
    expect(check(observed)).toEqual([
      expect.stringContaining('accepted payment VIR-2 is on the timeline 0 times'),
      expect.stringContaining('credit balance 0 + 0 towards the penalties, expected 500'),
    ]);
  });

  it('catch a waiver the API accepted that neither the claim nor the timeline shows', () => {
    const observed = { ...healthy(), waived: true };
    expect(check(observed)).toEqual([
      expect.stringContaining('a waiver was accepted but the claim has none'),
      expect.stringContaining('a waiver was accepted but is not on the timeline'),
    ]);
  });

  it('catch a cancelled invoice that keeps what was paid on it', () => {
    const observed = healthy();
    observed.invoice = { ...observed.invoice, status: 'cancelled' };
    observed.invoice.timeline.push({ type: 'cancelled', at: '2027-04-04T10:00:00.000Z' });
    observed.executions = [execution('SUCCEEDED', 'Cancelled')];
    expect(check(observed)).toEqual([expect.stringContaining('cancelled with a credit balance of 0, 10000 received')]);
  });

  it('catch a claim whose principal is not what is owed, or more paid towards penalties than they come to', () => {
    const observed = healthy();
    observed.invoice = { ...observed.invoice, claim: { ...observed.invoice.claim, principal: EUR(1), penaltiesPaid: EUR(5000) } };
    observed.acceptedPayments.push({ reference: 'VIR-2', amount: EUR(5000) });
    observed.invoice.timeline.push({ type: 'payment', at: '2027-04-04T10:00:00.000Z', reference: 'VIR-2', outstanding: EUR(0) });
    expect(check(observed)).toEqual([
      expect.stringContaining('claim principal 1, outstanding 0'),
      expect.stringContaining('5000 paid towards penalties and indemnity of 4007'),
    ]);
  });

  it('catch an invoice left open long after its last step, and a cancellation that did not take', () => {
    const observed = healthy();
    observed.invoice = { ...observed.invoice, status: 'overdue', outstanding: EUR(10_000), claim: { ...observed.invoice.claim, principal: EUR(10_000) } };
    observed.acceptedPayments = [];
    observed.invoice.timeline = observed.invoice.timeline.filter((t) => t.type !== 'payment');
    observed.executions = [execution('RUNNING', 'Wait for next escalation step', true)];
    observed.cancelled = true;
    expect(check(observed)).toEqual([
      expect.stringContaining('a cancellation was accepted but the invoice is overdue'),
      expect.stringContaining('left overdue long after its last step'),
    ]);
  });

  it('catch an escalation step said emailed with no email of its own', () => {
    const observed = healthy();
    observed.invoice.timeline.push({ type: 'escalation', at: '2027-04-02T07:00:00.000Z', step: 1, emailed: true, email: 'ladder@0' });
    expect(check(observed)).toEqual([expect.stringContaining('2 escalation step(s) of ladder@0 said emailed, but 1 email(s) left for it')]);
  });

  it('catch a failed execution, and under faults one the team was not told of', () => {
    const observed = healthy();
    observed.executions = [execution('FAILED', 'Needs attention'), { ...execution('SUCCEEDED', 'Paid'), name: 'F-1-r2' }];
    expect(check(observed)).toEqual([expect.stringContaining('F-1-r1 failed'), expect.stringContaining('but 0 "Needs attention" email(s)')]);
    observed.emails.push(email('needs_attention@F-1-r1@5', '2027-04-02T07:00:00.000Z', '[Dunning] Needs attention: F-1', ['credit-team@example.com']));
    expect(check(observed, true)).toEqual([]);
  });
});
