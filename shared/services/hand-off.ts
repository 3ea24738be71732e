/**
 * "Hand off to legal" and the evidence file it leaves. The hand-off is committed on the record first (a payment that
 * got there first wins, and one that comes later is recorded against the hand-off); the evidence manifest and the
 * team's email follow and are safe to repeat. The manifest stays small whatever the invoice's history: the evidence
 * file is put together when it is read, from the manifest and the timeline, which grows without a size limit.
 */
import type { ExecutionState, Next } from '../domain/execution-state';
import { invoiceView, type InvoiceRecord, type TimelineEntry } from '../domain/invoice';
import { penaltiesFor } from '../domain/penalties';
import { handOff, nextState } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { sendTeamEmail, type NotificationSettings } from './notifications';
import { mutateInvoice, readTimeline } from './record-updates';

export async function handOffToLegal(deps: Dependencies, config: NotificationSettings, state: ExecutionState): Promise<ExecutionState> {
  let next: Next = 'handed_off';
  const { record } = await mutateInvoice(deps, state.invoiceId, (current, now) => {
    const decision = handOff(current, now);
    next = decision.next;
    return decision.change.record === current ? undefined : decision.change;
  });
  if (next === 'handed_off') {
    await deps.store.putEvidence(record.invoiceId, evidenceManifest(record, config));
    // A payment may have landed since the hand-off: then its own notice tells the team, not a hand-off email.
    const current = (await deps.store.getInvoice(record.invoiceId)) ?? record;
    if (current.status === 'handed_off') {
      await sendTeamEmail(deps, config, current, 'hand_off', 'hand_off', {}, config.handOffEmail ? [config.handOffEmail] : []);
    }
  }
  return nextState(state, record, next, deps.clock.now());
}

/** What the evidence file fixes at the hand-off: the invoice as it stood, the registration and the penalties then due. */
function evidenceManifest(record: InvoiceRecord, config: NotificationSettings) {
  const handedOffAt = new Date(record.handedOffAt ?? record.updatedAt);
  return {
    generatedAt: handedOffAt.toISOString(),
    creditor: config.creditor,
    atHandOff: invoiceView(record),
    registration: record.registration,
    penalties: penaltiesFor(record, config, handedOffAt),
  };
}

type Manifest = ReturnType<typeof evidenceManifest>;

const ANSWERS = new Set(['promise', 'promise_broken', 'dispute', 'question', 'call_outcome']);

/**
 * The evidence file: the manifest written at hand-off, the invoice as it stands now (a payment may have come since),
 * and from the timeline every email sent, every answer and payment, and the whole story. Undefined before a hand-off.
 */
export async function readEvidence(deps: Pick<Dependencies, 'store'>, invoiceId: string) {
  const [manifest, record] = await Promise.all([deps.store.getEvidence(invoiceId) as Promise<Manifest | undefined>, deps.store.getInvoice(invoiceId)]);
  if (!manifest || !record) return undefined;
  const timeline = await readTimeline(deps.store, record);
  const of = (test: (entry: TimelineEntry) => boolean) => timeline.filter(test);
  return {
    ...manifest,
    invoice: invoiceView(record),
    remindersSent: of((t) => t.type === 'email_sent'),
    customerAnswers: of((t) => ANSWERS.has(t.type)),
    payments: of((t) => t.type === 'payment'),
    timeline,
  };
}
