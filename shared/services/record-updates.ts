/**
 * Every change to an invoice goes through `mutateInvoice`: read, apply a pure change, write conditionally on the
 * version read, retry on a lost race. Events go on the record before anything else sees them, and a parked execution
 * is woken afterwards: whether it was parked or not, the next check takes the event exactly once.
 */
import { NotFoundError, VersionConflict } from '../domain/errors';
import type { Change, InvoiceRecord } from '../domain/invoice';
import type { Dependencies } from '../ports';

export type { Change };

const MAX_ATTEMPTS = 10;

/**
 * Applies `change` to the current record and writes it. `change` returns undefined for "nothing to do"; it may be called
 * several times when writers race, so it must be pure. Resolves with the record as written (or as read, if unchanged).
 */
export async function mutateInvoice(
  deps: Pick<Dependencies, 'store' | 'clock'>,
  invoiceId: string,
  change: (current: InvoiceRecord, now: Date) => Change | undefined,
): Promise<{ record: InvoiceRecord; changed: boolean; event?: Change['event'] }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getInvoice(invoiceId);
    if (!current) throw new NotFoundError(`No invoice ${invoiceId}.`);
    const now = deps.clock.now();
    const result = change(current, now);
    if (!result) return { record: current, changed: false };
    const at = now.toISOString();
    const next: InvoiceRecord = { ...result.record, version: current.version + 1, updatedAt: at };
    if (result.event) {
      const seq = current.lastEventSeq + 1;
      next.lastEventSeq = seq;
      next.pendingEvents = [...next.pendingEvents, { seq, type: result.event.type, at, ...(result.event.detail ? { detail: result.event.detail } : {}) }];
    }
    try {
      await deps.store.putInvoice(next);
    } catch (error) {
      if (error instanceof VersionConflict && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    if (result.timeline?.length) await deps.store.appendTimeline(invoiceId, result.timeline);
    return { record: next, changed: true, event: result.event };
  }
}

/**
 * Records an event and wakes the execution if it is parked. A wake that finds the wait already over is harmless:
 * the event is on the record and the next check takes it.
 */
export async function recordEvent(
  deps: Pick<Dependencies, 'store' | 'clock' | 'workflow'>,
  invoiceId: string,
  change: (current: InvoiceRecord, now: Date) => Change | undefined,
): Promise<{ record: InvoiceRecord; changed: boolean }> {
  const result = await mutateInvoice(deps, invoiceId, change);
  if (result.event && result.record.parkedToken) {
    await deps.workflow.wake(result.record.parkedToken, { woken: result.event.type });
  }
  return result;
}
