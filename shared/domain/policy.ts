/**
 * The dunning policy is data: defaults here, overridable per creditor (deployment configuration) and per invoice
 * (the `policy` field of a registration). Later sources win, field by field.
 */
import type * as z from 'zod/mini';
import type { LadderStep, PolicyOverrides } from './schemas';

export type LadderStep = z.infer<typeof LadderStep>;
export type LadderAction = LadderStep['action'];

export interface DunningPolicy {
  /** The pre-reminder leaves this many days before the due date (moved to the previous business day). */
  daysBeforeDue: number;
  /** A promise is broken when no payment arrives this many days after the promised date. */
  promiseGraceDays: number;
  /** The team is reminded of an open dispute after this many days, and again every as many days. */
  disputeFollowUpDays: number;
  /** At least this many days between two escalation steps (after a broken promise, say). */
  minimumGapDays: number;
  /** The overdue ladder, offsets in days after the due date. Reaching the end means hand-off. */
  ladder: LadderStep[];
  /**
   * Once the principal is paid in full, the late-payment penalties and the indemnity still due are waived (recorded on
   * the timeline with their amounts); `false` keeps them claimable until paid or waived by an operator. The amounts
   * themselves are the law's (`shared/domain/claim.ts`), not policy.
   */
  waivePenaltiesWhenPrincipalPaid: boolean;
  /**
   * Days from the formal notice before the hand-off may come: the notice gives 8 days from its receipt, plus a margin
   * for the letter's delivery. The default ladder's notice (+30) and hand-off (+45) are 15 days apart.
   */
  formalNoticeWaitDays: number;
  /** Customer links stay valid this many days after the due date. */
  linkValidityDaysAfterDue: number;
  /** A promised payment date lies at most this many days after the day the promise is made. */
  maxPromiseDays: number;
}

export const DEFAULT_LADDER: LadderStep[] = [
  { offsetDays: 1, action: 'reminder_email' },
  { offsetDays: 8, action: 'phone_call' },
  { offsetDays: 15, action: 'penalty_reminder' },
  { offsetDays: 30, action: 'formal_notice' },
  { offsetDays: 45, action: 'hand_off' },
];

export const DEFAULT_POLICY: DunningPolicy = {
  daysBeforeDue: 10,
  promiseGraceDays: 3,
  disputeFollowUpDays: 7,
  minimumGapDays: 5,
  ladder: DEFAULT_LADDER,
  waivePenaltiesWhenPrincipalPaid: true,
  formalNoticeWaitDays: 15,
  linkValidityDaysAfterDue: 120,
  maxPromiseDays: 60,
};

export type PolicyOverrides = z.infer<typeof PolicyOverrides>;

/** Merges overrides over the defaults; undefined fields keep the earlier value. */
export function resolvePolicy(...layers: (Partial<DunningPolicy> | undefined)[]): DunningPolicy {
  const policy: DunningPolicy = { ...DEFAULT_POLICY };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (policy as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return policy;
}
