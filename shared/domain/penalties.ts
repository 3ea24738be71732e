/** The late-payment amounts the overdue reminders state (Code de commerce L441-10, D441-5). */
import { daysBetween, localDate } from './calendar';
import type { InvoiceRecord } from './invoice';
import { lateInterest, type Money } from './money';
import { invoicePolicy, type WorkflowSettings } from './workflow';

export interface Penalties {
  daysLate: number;
  ratePercent: number;
  interest: Money;
  indemnity: Money;
}

/** Late-payment interest so far and the fixed indemnity, for the reminders that must state them. */
export function penaltiesFor(record: InvoiceRecord, settings: WorkflowSettings, now: Date): Penalties {
  const policy = invoicePolicy(record, settings);
  const daysLate = Math.max(0, daysBetween(record.dueDate, localDate(now, settings.calendar)));
  return {
    daysLate,
    ratePercent: policy.lateInterestRatePercent,
    interest: lateInterest(record.outstanding, policy.lateInterestRatePercent, daysLate),
    indemnity: { value: policy.recoveryIndemnityEur * 100, currency: 'EUR' },
  };
}

