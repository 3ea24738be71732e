/**
 * "Hand off to legal" and the evidence file it leaves. The hand-off is one conditional write of the record, which also
 * fixes what the evidence file states as of that moment (the invoice as it stood, the claim then due): a payment
 * that got there first wins, one that comes later is recorded against the hand-off, and no retry can leave a hand-off
 * without its evidence. The team's email follows, once. The evidence file is put together when it is read, from the
 * record and the timeline, so no history can outgrow an item; the evidence bundle (shared/services/evidence.ts) is written
 * as the hand-off leaves it.
 */
import { routedState, type ExecutionState, type Next } from '../domain/execution-state';
import { invoiceView, timelineEntry } from '../domain/invoice';
import { invoiceClaim } from '../domain/invoice-claim';
import { handOff, nextState, superseded } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { sendTeamEmail, type NotificationSettings } from './notifications';
import { writeEvidenceBundle } from './evidence';
import { mutateInvoice } from './record-updates';

export async function handOffToLegal(deps: Dependencies, config: NotificationSettings, input: ExecutionState): Promise<ExecutionState> {
  // Sent on by the wait after the ladder's last rung (shared/services/park.ts).
  const state = routedState(input);
  let next: Next = 'handed_off';
  let handedOffNow = false;
  const { record } = await mutateInvoice(deps, state.invoiceId, (current, now) => {
    // An execution that handed the invoice to a newer revision hands nothing off: it ends.
    if (superseded(current, state)) {
      next = 'continued';
      return undefined;
    }
    const decision = handOff(current, now);
    next = decision.next;
    // Handed off by an earlier attempt: the evidence stays as that attempt fixed it.
    handedOffNow = next === 'handed_off' && current.status !== 'handed_off';
    if (!handedOffNow) return decision.change;
    const handedOff = decision.change.record;
    return { ...decision.change, record: { ...handedOff, handOffEvidence: { atHandOff: invoiceView(handedOff), claim: invoiceClaim(current, config.calendar, now) } } };
  });
  if (handedOffNow) {
    deps.telemetry?.count('HandOffs');
    deps.telemetry?.info('handed off to legal', { invoiceId: record.invoiceId });
  }
  // Handed off now or by an earlier attempt. A payment may have landed since: then its own notice tells the team and
  // whoever took the claim over, not a hand-off email.
  if (next === 'handed_off') {
    const current = (await deps.store.getInvoice(record.invoiceId)) ?? record;
    if (current.status === 'handed_off') {
      await sendTeamEmail(deps, config, current, 'hand_off', 'hand_off', {}, config.handOffEmail ? [config.handOffEmail] : []);
    }
    // The bundle as of the hand-off, once the team is told (its email is claimed: a retry of a failed bundle does not
    // send it again). A retry writes the bundle again; the bucket keeps every version.
    const bundle = await writeEvidenceBundle(deps, config, record.invoiceId);
    if (bundle) {
      const entry = timelineEntry('evidence_bundle', deps.clock.now(), { sha256: bundle.sha256, size: bundle.size, files: bundle.files.length });
      await deps.store.appendTimeline(record.invoiceId, [{ ...entry, eventId: `evidence:${bundle.generatedAt}` }]);
    }
  }
  return nextState(state, record, next, deps.clock.now());
}

