/**
 * Starting and waking executions through the start buffer, and the reconciliation that makes sure no start is lost.
 *
 * The API never calls StartExecution itself: it notes a pending start (before the record, so a crash between the two
 * leaves a note, never an invoice nobody starts), writes the record, answers, and hands a signal to the buffer. The
 * buffer's consumer starts the execution at the pace Step Functions accepts and forgets the note. What the buffer
 * never got (SQS failing at that moment, a crash before the send) is found by the reconciliation: a note older than a
 * hour is signalled again. Starting is idempotent (the execution name), so a start signalled twice starts once.
 */
import { startState } from '../domain/billing';
import { initialState } from '../domain/execution-state';
import type { InvoiceRecord } from '../domain/invoice';
import { isClosed, mustWake } from '../domain/workflow';
import type { Dependencies, WorkflowSignal } from '../ports';

/**
 * How old a pending start must be before the reconciliation takes it as lost rather than on its way: an hour, well
 * beyond the time the consumer needs for a month-end backlog at Step Functions' pace (100,000 starts at 300 per second
 * take under six minutes), so that the reconciliation never doubles a backlog it is still working through.
 */
export const RECONCILE_AFTER_MS = 60 * 60_000;
/** Pending starts read per reconciliation run (the next run takes the rest). */
const RECONCILE_BATCH = 1000;

type Deps = Pick<Dependencies, 'store' | 'clock' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>;

/** Notes that the execution of `record` must start: call it before the write that asks for the start. */
export async function notePendingStart(deps: Pick<Dependencies, 'store' | 'clock'>, record: Pick<InvoiceRecord, 'invoiceId' | 'executionName'>): Promise<void> {
  await deps.store.putPendingStart({ invoiceId: record.invoiceId, executionName: record.executionName, requestedAt: deps.clock.now().toISOString() });
}

/**
 * Hands signals to the buffer. A failure is not the caller's: what it asked for is on the record (an event) or noted
 * (a start), and the reconciliation or the park's own deadline takes it. Said in the log, counted as a throttle.
 */
export async function sendSignals(deps: Deps, signals: WorkflowSignal[]): Promise<boolean> {
  try {
    await deps.signals.send(signals);
    return true;
  } catch (error) {
    deps.telemetry?.error('the start buffer refused signals; the reconciliation will take them', { signals: signals.length, error: String(error) });
    return false;
  }
}

/** The start signal of an invoice's current execution (`now`: see WorkflowSignal). */
export function startSignal(record: Pick<InvoiceRecord, 'invoiceId' | 'executionName'>, options: { now?: boolean } = {}): WorkflowSignal {
  return { type: 'start', invoiceId: record.invoiceId, executionName: record.executionName, ...(options.now ? { now: true } : {}) };
}

/**
 * What the buffer's consumer does with one signal. Throws when Step Functions (or Scheduler) refuses, throttling
 * included: the message comes back later, and nothing is forgotten meanwhile.
 */
export async function deliverSignal(deps: Pick<Dependencies, 'store' | 'clock' | 'workflow'>, signal: WorkflowSignal): Promise<'started' | 'scheduled' | 'woken' | 'nothing'> {
  if (signal.type === 'start' && signal.input) {
    await deps.workflow.start(signal.executionName, signal.input);
    return 'started';
  }
  const record = await deps.store.getInvoice(signal.invoiceId);
  const now = deps.clock.now();
  if (signal.type === 'wake') {
    if (!record?.parkedToken || !mustWake(record, now)) return 'nothing';
    return (await deps.workflow.wake(record.parkedToken, { woken: 'pending' })) ? 'woken' : 'nothing';
  }
  // A start that is no longer wanted: the invoice was never written (its registration failed), closed before its start,
  // or moved on to a later revision (whose own start is noted under its own name).
  if (!record || isClosed(record) || record.executionName !== signal.executionName) {
    await deps.store.deletePendingStart(signal);
    return 'nothing';
  }
  if (record.scheduledStartAt && !signal.now && Date.parse(record.scheduledStartAt) > now.getTime()) {
    await deps.workflow.scheduleStart(record.executionName, record.scheduledStartAt, initialState(record.invoiceId, record.revision));
    await deps.store.deletePendingStart(signal);
    return 'scheduled';
  }
  // A registration's first revision starts where its record was planned; a restart, a continuation, a start that was
  // deferred or a record that changed since plans again from the record.
  const fresh = record.revision === 1 && !record.scheduledStartAt && record.pendingEvents.length === 0;
  await deps.workflow.start(record.executionName, fresh ? startState(record, now) : initialState(record.invoiceId, record.revision));
  await deps.store.deletePendingStart(signal);
  return 'started';
}

/**
 * The periodic reconciliation: every start noted more than an hour ago and still not confirmed is signalled again,
 * and counted (`StartsReconciled`). Resolves with how many it signalled.
 */
export async function reconcileStarts(deps: Deps): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - RECONCILE_AFTER_MS).toISOString();
  const stale = await deps.store.listPendingStarts(before, RECONCILE_BATCH);
  if (stale.length === 0) return 0;
  await deps.signals.send(stale.map((start) => startSignal(start)));
  for (const start of stale) deps.telemetry?.count('StartsReconciled');
  deps.telemetry?.info('starts reconciled', { count: stale.length, oldest: stale[0]!.requestedAt });
  return stale.length;
}
