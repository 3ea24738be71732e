/**
 * The billing API's, the operators' and the customer pages' operations on an invoice: each applies a pure change of
 * `shared/domain/billing.ts` through the ports (a conditional write, then a wake-up of the execution) and starts or
 * schedules executions. Independent of HTTP and AWS.
 */
import {
  callOutcome,
  cancellation,
  customerAnswer,
  disputeResolution,
  invoiceUpdate,
  newInvoiceRecord,
  openRecord,
  payment,
  penaltyWaiver,
  documentAttachment,
  restart,
  type BillingSettings,
} from '../domain/billing';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { sha256 } from '../domain/hashing';
import { registeredLetterRecording } from '../domain/registered-letter';
import { initialState } from '../domain/execution-state';
import type { WorkflowSettings } from '../domain/workflow';
import { CLOSED_STATUSES, isSuppressed, timelineEntry, type InvoiceRecord } from '../domain/invoice';
import { MAX_DOCUMENT_BYTES, type CallOutcomeBody, type CustomerAnswer, type DocumentBody, type FormalNoticeBody, type PatchInvoiceBody, type PaymentBody, type RegisterInvoiceBody, type ResolveDisputeBody, type WaiveBody } from '../domain/schemas';
import { invoiceDocumentKey, type Dependencies } from '../ports';
import { flushOutbox, mutateInvoice, outboxEntries, recordEvent } from './record-updates';
import { isPaymentOf, notePendingStart, paymentEntry, paymentNoticeOf, sendSignals, startNextRevision, startSignal } from './workflow-signals';

export type { BillingSettings };

/**
 * Asks the start buffer to start the invoice's execution (or to schedule its deferred start). The start is noted
 * first, so that a signal the buffer never got is found by the reconciliation; the buffer's consumer makes it once.
 */
async function requestStart(deps: Dependencies, record: InvoiceRecord): Promise<void> {
  await notePendingStart(deps, record);
  await sendSignals(deps, [startSignal(record)]);
}

/**
 * Registers an invoice: 201 the first time, 200 with the same result for the same body, 409 for another body under the
 * same id. Concurrent duplicates race on one conditional write; the execution name makes the start idempotent. The
 * answer waits for the record, never for Step Functions: the start goes through the buffer (`requestStart`).
 */
export async function registerInvoice(
  deps: Dependencies,
  settings: BillingSettings,
  body: RegisterInvoiceBody,
): Promise<{ created: boolean; record: InvoiceRecord }> {
  const now = deps.clock.now();
  const planned = newInvoiceRecord(body, settings, now);
  const timeline = [
    timelineEntry('registered', now, { amount: planned.amount, dueDate: planned.dueDate, warnings: planned.warnings }),
    planned.scheduledStartAt
      ? timelineEntry('start_scheduled', now, { startAt: planned.scheduledStartAt, executionName: planned.executionName })
      : timelineEntry('execution_started', now, { executionName: planned.executionName }),
  ];
  const record: InvoiceRecord = { ...planned, timelineOutbox: [outboxEntries(timeline, planned.version)] };
  // Noted before the record exists: a crash right after the record's write still leaves the start to be made.
  await notePendingStart(deps, record);
  // The conditional create decides; the existing record is read only when it loses (a replay or a conflict).
  if (!(await deps.store.createInvoice(record))) {
    const winner = await deps.store.getInvoice(body.invoiceId);
    if (!winner) throw new Error(`Invoice ${body.invoiceId} vanished during registration`);
    return replay(deps, winner, record);
  }
  await flushOutbox(deps.store, record.invoiceId, record.timelineOutbox);
  await sendSignals(deps, [startSignal(record)]);
  return { created: true, record };
}

async function replay(deps: Dependencies, existing: InvoiceRecord, attempted: InvoiceRecord) {
  if (existing.registrationHash !== attempted.registrationHash) {
    throw new ConflictError('invoice_exists', `Invoice ${existing.invoiceId} is already registered with a different body.`);
  }
  // A first attempt may have written the record and failed before its start was signalled: signal it again (the
  // registration noted it pending; the consumer forgets the note once the execution exists).
  // The attempt's own note names the first revision: once the invoice has moved on (restarted, continued), it would
  // only have the reconciliation signal a start nobody wants.
  if (attempted.executionName !== existing.executionName) await deps.store.deletePendingStart(attempted);
  if (!CLOSED_STATUSES.has(existing.status)) await sendSignals(deps, [startSignal(existing)]);
  return { created: false, record: existing };
}

/**
 * The operator's restart of an invoice whose execution ended without closing it ("Needs attention"): a new revision
 * (`-r2`, ...) starts by planning from the record, so nothing recorded meanwhile is lost. Refused while the current
 * execution runs, so an invoice never has two.
 */
export async function restartExecution(deps: Dependencies, invoiceId: string) {
  const current = await deps.store.getInvoice(invoiceId);
  if (!current) throw new NotFoundError(`No invoice ${invoiceId}.`);
  openRecord(current);
  const status = await deps.workflow.status(current.executionName);
  if (status === 'RUNNING') {
    throw new ConflictError('execution_running', `Execution ${current.executionName} is running; only an ended one can be restarted.`);
  }
  if (status === undefined) {
    throw new ConflictError('execution_not_started', `Execution ${current.executionName} has not started yet${current.scheduledStartAt ? ` (scheduled for ${current.scheduledStartAt})` : ''}.`);
  }
  // Another restart that got there first makes this one change nothing; its own start was noted.
  const result = await startNextRevision(deps, invoiceId, current.revision, (record, now) => restart(record, current.revision, status, now));
  if (!result.changed) throw new ConflictError('execution_restarted', `Invoice ${invoiceId} was restarted meanwhile.`);
  return result;
}

/**
 * Records a payment whatever the invoice's status; the same reference twice counts once. A full payment ends the
 * execution at once. The team hears of a payment that came after the invoice closed or that leaves money to give back
 * (and, after a hand-off, so does whoever took the claim over), through a short execution of its own that retries the
 * email as the state machine retries every step, started by the start buffer from the payment on the timeline. If the
 * buffer refuses the signal, the answer is an error: the payment is recorded, and the caller's retry with the same
 * reference signals it again (the notice is named after the payment: it starts once).
 */
export async function recordPayment(deps: Dependencies, settings: BillingSettings, invoiceId: string, body: PaymentBody) {
  const result = await recordEvent(deps, settings, invoiceId, (record, now) => payment(record, body, settings, now));
  // Counted once: the same reference again is a retry.
  if (result.changed) {
    deps.telemetry?.count('Payments');
    deps.telemetry?.info('payment recorded', { invoiceId, reference: body.reference, status: result.record.status });
  }
  const entry = result.changed ? result.record.timelineOutbox?.flat().find(isPaymentOf(body.reference)) : await paymentEntry(deps, result.record, body.reference);
  if (entry && paymentNoticeOf(result.record, entry)) {
    await deps.signals.send([{ type: 'payment_notice', invoiceId, reference: body.reference, since: deps.clock.now().toISOString() }]);
  }
  return result;
}



export async function cancelInvoice(deps: Dependencies, settings: WorkflowSettings, invoiceId: string, reason: string) {
  return recordEvent(deps, settings, invoiceId, (record, now) => cancellation(record, reason, now));
}

/** Changes the due date (the execution re-plans) and/or the contacts (used by the next email). */
export async function updateInvoice(deps: Dependencies, settings: BillingSettings, invoiceId: string, body: PatchInvoiceBody) {
  const result = await recordEvent(deps, settings, invoiceId, (record, now) => invoiceUpdate(record, body, settings, now));
  const { record } = result;
  if (result.changed && !CLOSED_STATUSES.has(record.status)) {
    if (!record.scheduledStartAt) await requestStart(deps, record);
    else if (!(await deps.workflow.rescheduleStart(record.executionName, record.scheduledStartAt, initialState(record.invoiceId, record.revision)))) {
      // No schedule: it fired already (the execution runs, and takes the due_date_changed event), or it was never made
      // — its start still waits in the buffer, which reads the new date from the record. Only then is it asked again.
      if ((await deps.workflow.status(record.executionName)) === undefined) await requestStart(deps, record);
    }
  }
  return result;
}

/**
 * A supporting document for the evidence file: stored under a key made of its content's hash, then named on the
 * record (the same file twice is one document). An unknown invoice stores nothing.
 */
export async function attachDocument(deps: Dependencies, invoiceId: string, body: DocumentBody) {
  const current = await deps.store.getInvoice(invoiceId);
  if (!current) throw new NotFoundError(`No invoice ${invoiceId}.`);
  const bytes = Uint8Array.from(Buffer.from(body.content, 'base64'));
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    throw new ValidationError('The request is not valid.', [{ path: 'content', message: `at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB once decoded` }]);
  }
  const hash = sha256(bytes);
  const key = invoiceDocumentKey(invoiceId, `documents/${hash}/${encodeURIComponent(body.filename)}`);
  await deps.documents.put(key, bytes, body.contentType);
  const document = { kind: body.kind, filename: body.filename, contentType: body.contentType, size: bytes.byteLength, sha256: hash, key };
  return mutateInvoice(deps, invoiceId, (record, now) => documentAttachment(record, { ...document, at: now.toISOString() }, now));
}

/** An operator waives the penalties and the indemnity of an invoice, with a reason kept as evidence. */
export async function waivePenalties(deps: Dependencies, settings: BillingSettings, invoiceId: string, body: WaiveBody) {
  return mutateInvoice(deps, invoiceId, (record, now) => penaltyWaiver(record, body, settings, now));
}

/** The formal notice's registered letter, posted or received: the hand-off waits for the notice's deadline. */
export async function recordRegisteredLetter(deps: Dependencies, settings: BillingSettings, invoiceId: string, body: FormalNoticeBody) {
  return recordEvent(deps, settings, invoiceId, (record, now) => registeredLetterRecording(record, body, settings.calendar, now));
}

/** The operator's decision on an open dispute. */
export async function resolveDispute(deps: Dependencies, settings: BillingSettings, invoiceId: string, body: ResolveDisputeBody) {
  return recordEvent(deps, settings, invoiceId, (record, now) => disputeResolution(record, body, settings, now));
}

/** A collector's phone call: a promise or a dispute changes the course; other outcomes go on the timeline. */
export async function recordCallOutcome(deps: Dependencies, settings: BillingSettings, invoiceId: string, body: CallOutcomeBody) {
  return recordEvent(deps, settings, invoiceId, (record, now) => callOutcome(record, body, settings, now));
}

/** The customer's one-click answer from the page behind a link. */
export async function recordCustomerAnswer(
  deps: Dependencies,
  settings: BillingSettings,
  invoiceId: string,
  contactEmail: string,
  answer: CustomerAnswer,
) {
  const result = await recordEvent(deps, settings, invoiceId, (record, now) => customerAnswer(record, contactEmail, answer, settings, now));
  if (result.changed) {
    deps.telemetry?.count('Answers', { kind: answer.action });
    deps.telemetry?.info('customer answer', { invoiceId, action: answer.action });
  }
  return result;
}

/**
 * Marks an address that bounced or complained so that no more email goes to it, and notes it on the timeline.
 * `occurrence` is the external event reporting it (its id and time): the entry then carries the event's id and time,
 * so the same event delivered again adds no second entry. An address already suppressed leaves the record as it is;
 * the event still goes on the timeline (once per event id), also when an earlier delivery stopped before writing it.
 */
export async function suppressContact(
  deps: Dependencies,
  invoiceId: string,
  email: string,
  type: 'email_bounced' | 'email_complaint',
  detail: Record<string, unknown>,
  occurrence?: { eventId: string; at: Date },
) {
  const entry = (now: Date) =>
    timelineEntry(type, occurrence?.at ?? now, { to: email, ...detail }, occurrence ? { eventId: occurrence.eventId } : {});
  const result = await mutateInvoice(deps, invoiceId, (record, now) => {
    if (isSuppressed(record, email)) return undefined;
    return { record: { ...record, suppressedEmails: [...record.suppressedEmails, email] }, timeline: [entry(now)] };
  });
  if (!result.changed) await deps.store.appendTimeline(invoiceId, [entry(deps.clock.now())]);
  return result;
}
