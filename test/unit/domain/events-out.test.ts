/** Which timeline entries are transitions published on the bus, and what each event says. */
import { describe, expect, it } from 'vitest';
import { eventFor } from '../../../shared/domain/events-out';
import { timelineEntry } from '../../../shared/domain/invoice';

const AT = new Date('2027-03-19T08:00:00.000Z');
const invoice = { invoiceId: 'F-2027-0042', customerId: 'CUST-7', status: 'overdue' as const };
const event = (type: Parameters<typeof timelineEntry>[0], detail: Record<string, unknown> = {}) => eventFor(timelineEntry(type, AT, detail), invoice, 'F-2027-0042/TIMELINE#x');

describe('events out', () => {
  it('names each transition as the contract does, with the invoice, its customer, its status and the instant', () => {
    expect(event('registered', { amount: { value: 100, currency: 'EUR' }, dueDate: '2027-03-31', warnings: [] })).toEqual({
      detailType: 'registered',
      detail: { eventId: 'F-2027-0042/TIMELINE#x', invoiceId: 'F-2027-0042', customerId: 'CUST-7', status: 'overdue', at: AT.toISOString(), amount: { value: 100, currency: 'EUR' }, dueDate: '2027-03-31' },
    });
    expect(event('dispute', { reason: 'defective' })?.detailType).toBe('dispute_opened');
    expect(event('escalation', { step: 3, action: 'formal_notice', emailed: true })?.detailType).toBe('formal_notice');
    expect(event('escalation', { step: 1, action: 'reminder_email', emailed: true })?.detailType).toBe('escalation_step');
    expect(event('call_task', { step: 2, action: 'phone_call' })?.detailType).toBe('escalation_step');
    for (const type of ['promise', 'promise_broken', 'dispute_resolved', 'question', 'handed_off', 'cancelled', 'needs_attention'] as const) {
      expect(event(type)?.detailType, type).toBe(type);
    }
  });

  it('tells the payment that settles the invoice from one that leaves a balance or comes after it closed', () => {
    expect(event('payment', { reference: 'V1', outstanding: { value: 0, currency: 'EUR' } })?.detailType).toBe('paid');
    expect(event('payment', { reference: 'V2', outstanding: { value: 10, currency: 'EUR' } })?.detailType).toBe('payment_received');
    expect(event('payment', { reference: 'V3', outstanding: { value: 0, currency: 'EUR' }, receivedAfter: 'after_cancellation' })?.detailType).toBe('payment_received');
    expect(event('payment', { reference: 'V4', outstanding: { value: 0, currency: 'EUR' }, receivedAfter: 'after_payment' })?.detailType).toBe('payment_received');
    // Settled after the hand-off: paid, as the invoice's status says.
    expect(event('payment', { reference: 'V5', outstanding: { value: 0, currency: 'EUR' }, receivedAfter: 'after_hand_off' })?.detailType).toBe('paid');
  });

  it('publishes the pre-reminder among emails, and nothing for views, deliveries or team notices', () => {
    expect(event('email_sent', { email: 'pre_reminder', messageId: 'm-1', to: 'ap@x.fr' })?.detail).toMatchObject({ messageId: 'm-1' });
    expect(event('email_sent', { email: 'reminder' })).toBeUndefined();
    for (const type of ['page_viewed', 'email_delivered', 'team_notified', 'email_bounced'] as const) expect(event(type), type).toBeUndefined();
  });

  it("never carries free text or an address onto the bus", () => {
    const question = event('question', { message: 'Notre RIB a changé, payez ici', from: 'ap@x.fr', contactEmail: 'a@b.c' });
    expect(JSON.stringify(question)).not.toMatch(/RIB|ap@x\.fr|a@b\.c/);
    expect(JSON.stringify(event('cancelled', { reason: 'Avoir AV-12 pour M. Dupont' }))).not.toContain('Dupont');
  });
});
