/**
 * One email per customer (DESIGN.md §5): the reminders that fall due for one contact in the same send slot leave as
 * one email. Which steps group, and how to tell, from an invoice's record alone, that its own execution has decided
 * to send one of them now: the grouped email covers exactly the invoices whose own step would send at that instant.
 */
import type { InvoiceRecord } from './invoice';
import type { LadderAction } from './policy';
import { deadlineDue, emailKeys, invoicePolicy, isClosed, type WorkflowSettings } from './workflow';

/** Pre-reminders go together, overdue reminders together; a formal notice is a letter of its own and never groups. */
export type GroupFamily = 'pre_reminder' | 'overdue';
export type GroupedEmailKind = 'pre_reminder' | 'reminder' | 'penalty_reminder';

/** The customer emails of the ladder's rungs (the other rungs are a call task for the team and the hand-off). */
export const LADDER_EMAILS = {
  reminder_email: 'reminder',
  penalty_reminder: 'penalty_reminder',
  formal_notice: 'formal_notice',
} as const satisfies Partial<Record<LadderAction, string>>;

const FAMILIES: Record<GroupedEmailKind, GroupFamily> = { pre_reminder: 'pre_reminder', reminder: 'overdue', penalty_reminder: 'overdue' };

export function groupFamily(kind: string): GroupFamily | undefined {
  return Object.hasOwn(FAMILIES, kind) ? FAMILIES[kind as GroupedEmailKind] : undefined;
}

/** A step that sends a groupable email: what it sends, under which claim key (see `emailKeys`), in which slot. */
export interface GroupedStep {
  family: GroupFamily;
  kind: GroupedEmailKind;
  key: string;
  /** The send slot: the instant the record plans the step for. */
  at: string;
}

/**
 * The groupable step the invoice's execution has planned and whose time has come at `now`, or nothing. The same test
 * its own step makes before sending (`deadlineDue`): a record with events its execution has not seen yet, or a phase
 * that moved on, is left to its own execution to decide.
 */
export function groupedStepDue(record: InvoiceRecord, settings: WorkflowSettings, now: Date): GroupedStep | undefined {
  if (isClosed(record) || !record.nextActionAt) return undefined;
  if (deadlineDue(record, 'before_pre_reminder', now)) {
    return { family: 'pre_reminder', kind: 'pre_reminder', key: emailKeys.preReminder(record), at: record.nextActionAt };
  }
  if (deadlineDue(record, 'overdue', now)) {
    const rungIndex = record.escalation.done;
    const rung = invoicePolicy(record, settings).ladder[rungIndex];
    const kind: string | undefined = rung && (LADDER_EMAILS as Partial<Record<LadderAction, string>>)[rung.action];
    if (kind === 'reminder' || kind === 'penalty_reminder') return { family: 'overdue', kind, key: emailKeys.ladder(record, rungIndex), at: record.nextActionAt };
  }
  return undefined;
}
