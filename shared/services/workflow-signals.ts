/**
 * Starting and waking executions through the start buffer, and the reconciliation that makes sure no start is lost.
 *
 * The API never calls StartExecution itself: it notes a pending start (before the record, so a crash between the two
 * leaves a note, never an invoice nobody starts), writes the record, answers, and hands a signal to the buffer. The
 * buffer's consumer starts the execution at the pace Step Functions accepts and forgets the note. What the buffer
 * never got (SQS failing at that moment, a crash before the send) is found by the reconciliation: a note older than an
 * hour is signalled again. Starting is idempotent (the execution name), so a start signalled twice starts once.
 */
import { startState } from '../domain/billing';
import { executionName, initialState, paymentNoticeExecution } from '../domain/execution-state';
import type { Change, InvoiceRecord, TimelineEntry } from '../domain/invoice';
import { isClosed, type WorkflowSettings } from '../domain/workflow';
import type { Dependencies, PendingStart, WorkflowSignal } from '../ports';
import { mutateInvoice, readTimeline } from './record-updates';
import { resumeParked, sendOn, tokenToResume } from './resume';

/**
 * How old a pending start must be before the reconciliation takes it as lost rather than on its way: an hour, well
 * beyond the time the consumer needs for a month-end backlog at Step Functions' pace (100,000 starts at 300 per second
 * take under six minutes), so that the reconciliation does not double a backlog it is still working through.
 */
export const RECONCILE_AFTER_MS = 60 * 60_000;
/** Pending starts read per reconciliation run (the next run takes the rest). */
const RECONCILE_BATCH = 1000;

type Deps = Pick<Dependencies, 'store' | 'clock' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>;
type ConsumerDeps = Pick<Dependencies, 'store' | 'clock' | 'workflow' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>;

/** Notes that the execution of `record` must start: call it before the write that asks for the start. */
export async function notePendingStart(deps: Pick<Dependencies, 'store' | 'clock'>, record: Pick<InvoiceRecord, 'invoiceId' | 'executionName'>): Promise<void> {
  await deps.store.putPendingStart({ invoiceId: record.invoiceId, executionName: record.executionName, requestedAt: deps.clock.now().toISOString() });
}

/**
 * Hands signals to the buffer, stamped with the time they were first sent. A failure is not the caller's: what it
 * asked for is on the record (an event) or noted (a start), and the reconciliation or the park's own deadline takes it.
 */
export async function sendSignals(deps: Deps, signals: WorkflowSignal[]): Promise<boolean> {
  const since = deps.clock.now().toISOString();
  try {
    await deps.signals.send(signals.map((signal) => ({ since, ...signal })));
    return true;
  } catch (error) {
    deps.telemetry?.error('the start buffer refused signals; the reconciliation will take them', { signals: signals.length, error: String(error) });
    return false;
  }
}

/** The start signal of an invoice's current execution. */
export function startSignal(record: Pick<InvoiceRecord, 'invoiceId' | 'executionName'>): Extract<WorkflowSignal, { type: 'start' }> {
  return { type: 'start', invoiceId: record.invoiceId, executionName: record.executionName };
}

/**
 * Moves the invoice from `revision` to the next one (a restart, a continuation) and has its execution started: the
 * start is noted before the record moves, and signalled once it has. `change` returns nothing when the record is no
 * longer at `revision` (another attempt got there first): then nothing is signalled.
 */
export async function startNextRevision(
  deps: Deps & Pick<Dependencies, 'clock'>,
  invoiceId: string,
  revision: number,
  change: (record: InvoiceRecord, now: Date) => Change | undefined,
) {
  await notePendingStart(deps, { invoiceId, executionName: executionName(invoiceId, revision + 1) });
  const result = await mutateInvoice(deps, invoiceId, change);
  if (result.changed) await sendSignals(deps, [startSignal(result.record)]);
  return result;
}

/** The timeline entry of the payment `reference` on the invoice, if it was recorded. */
export async function paymentEntry(deps: Pick<Dependencies, 'store'>, record: InvoiceRecord, reference: string): Promise<TimelineEntry | undefined> {
  if (!record.paymentReferences.includes(reference)) return undefined;
  return (await readTimeline(deps.store, record)).find(isPaymentOf(reference));
}

export const isPaymentOf = (reference: string) => (entry: TimelineEntry) => entry.type === 'payment' && entry.reference === reference;

/** `F-1-r3` → 3: the revision an execution name was made for (`executionName` in shared/domain/execution-state.ts). */
function revisionOf(executionName: string): number | undefined {
  const match = /-r(\d+)$/.exec(executionName);
  return match ? Number(match[1]) : undefined;
}

export type SignalOutcome = 'started' | 'scheduled' | 'woken' | 'nothing';

/**
 * What the buffer's consumer does with one signal. Throws when Step Functions (or Scheduler) refuses, throttling
 * included: the message comes back later, and nothing is forgotten meanwhile.
 */
export async function deliverSignal(deps: ConsumerDeps, settings: WorkflowSettings, signal: WorkflowSignal): Promise<SignalOutcome> {
  switch (signal.type) {
    case 'wake':
      return deliverWake(deps, settings, signal.invoiceId);
    case 'payment_notice':
      return deliverPaymentNotice(deps, signal.invoiceId, signal.reference);
    case 'start': {
      const outcome = await deliverStart(deps, signal);
      if (signal.reconciled && outcome !== 'nothing') deps.telemetry?.count('StartsReconciled');
      return outcome;
    }
  }
}

/**
 * Wakes what waits on the record: the parked execution when something is there for it, and an execution that handed
 * the invoice to a new revision and could not wake itself to end (`retiringToken`). A token no longer waiting is fine.
 */
async function deliverWake(deps: ConsumerDeps, settings: WorkflowSettings, invoiceId: string): Promise<SignalOutcome> {
  const record = await deps.store.getInvoice(invoiceId);
  if (!record) return 'nothing';
  let woken = false;
  if (record.retiringToken) woken = await deps.workflow.wake(record.retiringToken, { woken: 'continued' });
  if (record.sendingOn) {
    const { token, state } = record.sendingOn;
    woken = (await sendOn(deps.workflow, token, state)) || woken;
    await mutateInvoice(deps, invoiceId, (current) => (current.sendingOn?.token === token ? { record: { ...current, sendingOn: undefined } } : undefined));
  }
  const token = tokenToResume(record, deps.clock.now());
  if (token) woken = (await resumeParked(deps, settings, record, token, 'pending')) || woken;
  return woken ? 'woken' : 'nothing';
}

async function deliverStart(deps: ConsumerDeps, signal: { invoiceId: string; executionName: string }): Promise<SignalOutcome> {
  // No note: this start was confirmed already (a duplicate signal) and costs Step Functions nothing more.
  const note = await deps.store.getPendingStart(signal.invoiceId, signal.executionName);
  if (!note) return 'nothing';
  const forget = () => deps.store.deletePendingStart({ ...signal, seen: note.requestedAt });
  const now = deps.clock.now();
  const stale = now.getTime() - Date.parse(note.requestedAt) > RECONCILE_AFTER_MS;
  const record = await deps.store.getInvoice(signal.invoiceId);
  const revision = revisionOf(signal.executionName);
  // Not written yet (its registration may still be on its way; after an hour, it failed), or closed before its start.
  if (!record) return stale ? forget().then(() => 'nothing') : 'nothing';
  if (isClosed(record)) return forget().then(() => 'nothing');
  // An older revision than the record's: superseded. A newer one: the restart or continuation that noted it has not
  // written the record yet (or failed to, if that was over an hour ago). Either way, nothing to start.
  if (revision === undefined || revision !== record.revision || record.executionName !== signal.executionName) {
    return revision !== undefined && revision > record.revision && !stale ? 'nothing' : forget().then(() => 'nothing');
  }
  // A registration whose pre-reminder lies beyond the execution horizon starts later, through a one-time schedule —
  // unless that schedule fired already (the execution runs: a changed due date moved `scheduledStartAt` past it).
  if (record.revision === 1 && record.scheduledStartAt && Date.parse(record.scheduledStartAt) > now.getTime()) {
    if ((await deps.workflow.status(record.executionName)) !== undefined) return forget().then(() => 'nothing');
    const input = initialState(record.invoiceId, record.revision);
    // A schedule made from an older read of the record (a due date changed meanwhile) is moved to the record's date.
    const moved = await deps.workflow.rescheduleStart(record.executionName, record.scheduledStartAt, input);
    if (!moved) await deps.workflow.scheduleStart(record.executionName, record.scheduledStartAt, input);
    await forget();
    return moved ? 'nothing' : 'scheduled';
  }
  // A registration's first revision starts where its record was planned; a restart, a continuation, a start that was
  // deferred or a record that changed since plans again from the record.
  const fresh = record.revision === 1 && !record.scheduledStartAt && record.pendingEvents.length === 0;
  const started = await deps.workflow.start(record.executionName, fresh ? startState(record, now) : initialState(record.invoiceId, record.revision));
  await forget();
  return started ? 'started' : 'nothing';
}

/**
 * The short execution that tells the team of a payment received after the invoice closed, or beyond what was owed:
 * built from the payment as the timeline holds it. Named after the payment, so that starting it twice starts it once.
 */
async function deliverPaymentNotice(deps: ConsumerDeps, invoiceId: string, reference: string): Promise<SignalOutcome> {
  const record = await deps.store.getInvoice(invoiceId);
  if (!record) return 'nothing';
  const entry = await paymentEntry(deps, record, reference);
  const notice = entry ? paymentNoticeOf(record, entry) : undefined;
  if (!notice) return 'nothing';
  return (await deps.workflow.start(notice.name, notice.input)) ? 'started' : 'nothing';
}

/** The payment notice a recorded payment calls for, if any: received after the invoice closed, or more than owed. */
export function paymentNoticeOf(record: InvoiceRecord, entry: TimelineEntry) {
  if (!entry.receivedAfter && !entry.overpaid) return undefined;
  const amount = entry.amount as { value: number; currency: string };
  const overpaid = entry.overpaid as { value: number } | undefined;
  return paymentNoticeExecution(record, {
    reference: String(entry.reference),
    amount: String(amount.value),
    currency: amount.currency,
    paidAt: String(entry.paidAt),
    ...(entry.receivedAfter ? { receivedAfter: String(entry.receivedAfter) } : {}),
    ...(overpaid ? { overpaid: String(overpaid.value) } : {}),
  });
}

/**
 * The periodic reconciliation: every start noted more than an hour ago and still not confirmed is signalled again,
 * then marked signalled (so that the next runs leave it alone for another hour rather than multiply its signals); the
 * consumer counts it (`StartsReconciled`) if it does start something. A refused send marks nothing: the next run tries
 * again. Resolves with how many it signalled.
 */
export async function reconcileStarts(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const stale: PendingStart[] = await deps.store.listPendingStarts(new Date(now.getTime() - RECONCILE_AFTER_MS).toISOString(), RECONCILE_BATCH);
  if (stale.length === 0) return 0;
  await deps.signals.send(stale.map((start) => ({ ...startSignal(start), reconciled: true, since: start.requestedAt })));
  // A note the consumer forgot meanwhile stays forgotten (the mark is conditional on it).
  for (const start of stale) await deps.store.touchPendingStart(start, now.toISOString());
  deps.telemetry?.info('starts signalled again', { count: stale.length, oldest: stale[0]!.requestedAt });
  return stale.length;
}
