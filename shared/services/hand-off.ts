/**
 * "Hand off to legal" and the evidence file it leaves. The hand-off is one conditional write of the record, which also
 * fixes what the evidence file states as of that moment (the invoice as it stood, the claim then due): a payment
 * that got there first wins, one that comes later is recorded against the hand-off, and no retry can leave a hand-off
 * without its evidence. The team's email follows, once. The evidence file is put together when it is read, from the
 * record and the timeline, so no history can outgrow an item.
 */
import type { ExecutionState, Next } from '../domain/execution-state';
import { invoiceView, type InvoiceRecord, type TimelineEntry } from '../domain/invoice';
import type { Claim } from '../domain/claim';
import { invoiceClaim } from '../domain/invoice-claim';
import { handOff, nextState } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { sendTeamEmail, type NotificationSettings } from './notifications';
import { mutateInvoice, readTimeline } from './record-updates';

export async function handOffToLegal(deps: Dependencies, config: NotificationSettings, state: ExecutionState): Promise<ExecutionState> {
  let next: Next = 'handed_off';
  const { record } = await mutateInvoice(deps, state.invoiceId, (current, now) => {
    const decision = handOff(current, now);
    next = decision.next;
    // Handed off by an earlier attempt: the evidence stays as that attempt fixed it.
    if (next !== 'handed_off' || current.status === 'handed_off') return decision.change;
    const handedOff = decision.change.record;
    return { ...decision.change, record: { ...handedOff, handOffEvidence: { atHandOff: invoiceView(handedOff), claim: invoiceClaim(current, config.calendar, now) } } };
  });
  // Handed off now or by an earlier attempt. A payment may have landed since: then its own notice tells the team and
  // whoever took the claim over, not a hand-off email.
  if (next === 'handed_off') {
    const current = (await deps.store.getInvoice(record.invoiceId)) ?? record;
    if (current.status === 'handed_off') {
      await sendTeamEmail(deps, config, current, 'hand_off', 'hand_off', {}, config.handOffEmail ? [config.handOffEmail] : []);
    }
  }
  return nextState(state, record, next, deps.clock.now());
}

const ANSWERS = new Set(['promise', 'promise_broken', 'dispute', 'question', 'call_outcome']);

/**
 * The evidence file: what the hand-off fixed, the invoice as it stands now (a payment may have come since), and from
 * the timeline every email sent, every answer and payment, and the whole story. Undefined before a hand-off.
 */
export async function readEvidence(deps: Pick<Dependencies, 'store' | 'clock'>, config: Pick<NotificationSettings, 'creditor' | 'calendar'>, invoiceId: string) {
  const record = await deps.store.getInvoice(invoiceId);
  if (!record?.handedOffAt) return undefined;
  // Handed off by a version that kept the evidence in an item of its own (the same fields but `atHandOff`): as written.
  if (!record.handOffEvidence) return (await deps.store.getLegacyEvidence(invoiceId)) as Evidence | undefined;
  const timeline = await readTimeline(deps.store, record);
  return composeEvidence(record, record.handOffEvidence, config, timeline, invoiceClaim(record, config.calendar, deps.clock.now()));
}

type Evidence = ReturnType<typeof composeEvidence>;

function composeEvidence(
  record: InvoiceRecord,
  fixed: NonNullable<InvoiceRecord['handOffEvidence']>,
  config: Pick<NotificationSettings, 'creditor'>,
  timeline: TimelineEntry[],
  claim: Claim,
) {
  const of = (test: (entry: TimelineEntry) => boolean) => timeline.filter(test);
  return {
    generatedAt: record.handedOffAt!,
    creditor: config.creditor,
    atHandOff: fixed.atHandOff,
    registration: record.registration,
    // The claim as the hand-off fixed it, and as it stands today (interest runs on; a payment may have come since).
    claimAtHandOff: fixed.claim,
    // A hand-off by an earlier version fixed only the penalties, as it computed them.
    ...(fixed.penalties ? { penaltiesAtHandOff: fixed.penalties } : {}),
    claim,
    invoice: invoiceView(record),
    remindersSent: of((t) => t.type === 'email_sent'),
    customerAnswers: of((t) => ANSWERS.has(t.type)),
    payments: of((t) => t.type === 'payment'),
    penaltyDecisions: of((t) => t.type === 'penalties_waived' || t.type === 'penalties_claimable'),
    timeline,
  };
}
