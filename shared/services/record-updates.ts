/**
 * Every change to an invoice goes through `mutateInvoice`: read, apply a pure change, write conditionally on the
 * version read, retry on a lost race. Events go on the record before anything else sees them, and a parked execution
 * is woken afterwards: whether it was parked or not, the next check takes the event exactly once.
 *
 * The timeline entries of a change travel on the record itself (`timelineOutbox`), in the same conditional write:
 * they exist the moment the change does. They are then written to the timeline under keys derived from the record
 * version, so writing them again is harmless. The next change writes its predecessor's again before it replaces them,
 * and keeps on the record any it could not write; readers merge what the record still holds (`readTimeline`). A
 * failure between the writes loses nothing.
 */
import { ConflictError, NotFoundError, VersionConflict } from '../domain/errors';
import type { Change, InvoiceRecord, TimelineEntry } from '../domain/invoice';
import type { WorkflowSettings } from '../domain/workflow';
import { sendSignals } from './workflow-signals';
import { resumeParked } from './resume';
import type { Dependencies, InvoiceStore } from '../ports';

export type { Change };

/** Writers racing on one invoice retry this many times, each after a random pause of up to `maxPauseMs(attempt)`. */
const MAX_ATTEMPTS = 30;
const maxPauseMs = (attempt: number) => Math.min(100, 2 ** attempt);
/** Attempts of one timeline write before it is left on the record for the next change. */
const FLUSH_ATTEMPTS = 3;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * maxPauseMs(attempt)));

/** The entries of the change that writes `version`, each with an id that makes writing it twice a no-op. */
export function outboxEntries(entries: TimelineEntry[], version: number): TimelineEntry[] {
  return entries.map((entry, i) => (entry.eventId === undefined ? { ...entry, eventId: `v${version}.${i}` } : entry));
}

/**
 * Writes the groups of entries a record carries to the timeline, each group in one call (so that its entries keep
 * their keys), and resolves with the groups it could not write: logged, not thrown, since the record still holds them.
 */
export async function flushOutbox(store: InvoiceStore, invoiceId: string, groups: TimelineEntry[][] | undefined): Promise<TimelineEntry[][]> {
  const failed: TimelineEntry[][] = [];
  for (const group of groups ?? []) {
    for (let attempt = 1; ; attempt++) {
      try {
        await store.appendTimeline(invoiceId, group);
        break;
      } catch (error) {
        // A throttled table gets a moment more than the SDK's own retries gave it before the write is deferred.
        if (attempt < FLUSH_ATTEMPTS) {
          await pause(attempt + 4);
          continue;
        }
        failed.push(group);
        console.warn(JSON.stringify({ level: 'WARN', message: 'timeline write deferred to the next change', invoiceId, error: String(error) }));
        break;
      }
    }
  }
  return failed;
}

/**
 * Applies `change` to the current record and writes it. `change` returns undefined for "nothing to do", and a change
 * that hands back the record as read with no timeline entry and no event writes nothing either (a step that decides
 * only where the execution goes next). It may be called several times when writers race, so it must be pure. Resolves
 * with the record as written (or as read, if unchanged) and the record it replaced. Writers that keep losing the race
 * get a 409 `concurrent_update`, never a 5xx.
 */
export async function mutateInvoice(
  deps: Pick<Dependencies, 'store' | 'clock'>,
  invoiceId: string,
  change: (current: InvoiceRecord, now: Date) => Change | undefined,
): Promise<{ record: InvoiceRecord; previous: InvoiceRecord; changed: boolean; event?: Change['event'] }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getInvoice(invoiceId);
    if (!current) throw new NotFoundError(`No invoice ${invoiceId}.`);
    const now = deps.clock.now();
    const result = change(current, now);
    if (!result || changesNothing(result, current)) {
      // Entries an earlier change could not write go now: the last change of an invoice may have no successor, and
      // an entry only on the record is one the table's stream (events out) never sees.
      if (current.timelineOutbox?.length) await flushOutbox(deps.store, invoiceId, current.timelineOutbox);
      return { record: current, previous: current, changed: false };
    }
    const at = now.toISOString();
    const version = current.version + 1;
    // The entries of the change being replaced go to the timeline first (again, if they already did); any that cannot
    // stay on the record with this change's own.
    const unwritten = await flushOutbox(deps.store, invoiceId, current.timelineOutbox);
    const own = result.timeline?.length ? outboxEntries(result.timeline, version) : undefined;
    const groups = [...unwritten, ...(own ? [own] : [])];
    const next: InvoiceRecord = { ...result.record, version, updatedAt: at, timelineOutbox: groups.length ? groups : undefined };
    if (result.event) {
      const seq = current.lastEventSeq + 1;
      next.lastEventSeq = seq;
      next.pendingEvents = [...next.pendingEvents, { seq, type: result.event.type, at, ...(result.event.detail ? { detail: result.event.detail } : {}) }];
    }
    try {
      await deps.store.putInvoice(next);
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        throw new ConflictError('concurrent_update', `Invoice ${invoiceId} is being changed by other requests at this moment; nothing was changed by this one: retry.`);
      }
      await pause(attempt);
      continue;
    }
    if (own) await flushOutbox(deps.store, invoiceId, [own]);
    return { record: next, previous: current, changed: true, event: result.event };
  }
}

const changesNothing = (change: Change, current: InvoiceRecord) => change.record === current && !change.timeline?.length && !change.event;

/**
 * Records an event and wakes the execution if it is parked (or sends it on, having taken the event in its place:
 * shared/services/resume.ts). A wake that finds the wait already over is harmless: the event is on the record and the
 * next check takes it. A wake that fails (Step Functions throttling) is handed to the
 * start buffer, whose consumer wakes the execution as soon as Step Functions accepts. Should the buffer refuse too
 * (SQS down at that very moment), the event still waits on the record: the next event's wake-up, a retried call, or at
 * the latest the park's own deadline takes it. Delayed, never lost; and never the caller's error.
 */
export async function recordEvent(
  deps: Pick<Dependencies, 'store' | 'clock' | 'workflow' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>,
  settings: WorkflowSettings,
  invoiceId: string,
  change: (current: InvoiceRecord, now: Date) => Change | undefined,
): Promise<{ record: InvoiceRecord; previous: InvoiceRecord; changed: boolean }> {
  const result = await mutateInvoice(deps, invoiceId, change);
  const { record } = result;
  // A wait is owed an event a waker took for it (`lastCheck.routeTo`) until it is sent on: a retried call sends it again.
  const token = record.parkedToken ?? record.lastCheck?.routeTo;
  const waiting = result.changed ? result.event !== undefined : record.pendingEvents.length > 0 || record.lastCheck?.routeTo !== undefined;
  if (waiting && token) {
    try {
      await resumeParked(deps, settings, record, token, result.event?.type ?? 'pending');
    } catch (error) {
      deps.telemetry?.info('wake-up refused; handed to the start buffer', { invoiceId, error: String(error) });
      await sendSignals(deps, [{ type: 'wake', invoiceId }]);
    }
  }
  return result;
}

/**
 * The invoice's timeline as readers must see it: the stored entries, plus any the record still carries that did not
 * reach the timeline yet, in time order. The timeline is listed after `record` was read, never alongside it: every
 * entry of an older change is either still on the record or was written before the record was, so a listing read
 * earlier could miss one that a change flushed in between.
 */
export async function readTimeline(store: InvoiceStore, record: InvoiceRecord): Promise<TimelineEntry[]> {
  const stored = await store.listTimeline(record.invoiceId);
  const known = new Set(stored.map((entry) => entry.eventId));
  const missing = (record.timelineOutbox ?? []).flat().filter((entry) => !known.has(entry.eventId));
  if (missing.length === 0) return stored;
  return [...stored, ...missing].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
