/** The claim of an invoice record on a given instant: the record's facts read into `computeClaim`'s terms. */
import { localDate } from './calendar';
import { computeClaim, type Claim, type ClaimInput } from './claim';
import type { BusinessCalendar } from './dates';
import type { InvoiceRecord } from './invoice';

export function claimInput(record: InvoiceRecord, calendar: Pick<BusinessCalendar, 'timeZone'>): ClaimInput {
  return {
    kind: record.customer.kind ?? 'business',
    amount: record.amount,
    dueDate: record.dueDate,
    payments: record.payments ?? legacyPayments(record),
    ...(record.registration.terms?.latePaymentRatePercent === undefined
      ? {}
      : { contractualRatePercent: record.registration.terms.latePaymentRatePercent }),
    ...(record.formalNoticeAt ? { formalNoticeDate: localDate(record.formalNoticeAt, calendar) } : {}),
    ...(record.status === 'cancelled' ? { cancelled: true } : {}),
    // A cancelled invoice's payments, penalties included, are already in its credit balance.
    ...(record.penaltiesPaid && record.status !== 'cancelled' ? { penaltiesPaid: record.penaltiesPaid } : {}),
    ...(record.waiver ? { waiver: { ...record.waiver, upTo: localDate(record.waiver.at, calendar) } } : {}),
  };
}

/**
 * A record written before payments were kept with their dates knows only what is left to pay: what was paid counts
 * as paid on the due date, so the claim may fall short of what the law gives but never exceeds it.
 */
function legacyPayments(record: InvoiceRecord): ClaimInput['payments'] {
  const paid = record.amount.value - record.outstanding.value;
  return paid > 0 && record.status !== 'cancelled' ? [{ date: record.dueDate, value: paid }] : [];
}

export function invoiceClaim(record: InvoiceRecord, calendar: Pick<BusinessCalendar, 'timeZone'>, now: Date): Claim {
  return computeClaim(claimInput(record, calendar), localDate(now, calendar));
}
