/**
 * One email per customer (DESIGN.md §5): the pre-reminders, and the overdue reminders, that fall due for one contact
 * in the same send slot leave as one email listing every invoice it covers.
 *
 * Each invoice's execution still decides its own steps, and each step's email is still claimed per invoice and contact
 * (`claimEmail`), so no invoice is ever emailed twice for one step. What groups them is the send slot, claimed once
 * per contact, kind and instant (`claimSendSlot`): the first execution to reach the slot holds it, gathers from the
 * customer index every invoice whose own step sends to that contact at that instant (`groupedStepDue`, the test their
 * own steps make), claims their emails, and sends one email. The others wait for it to finish and find their emails
 * sent. An invoice paid or cancelled before the email leaves drops out of it; one the holder could not take (its
 * record had news its execution had not seen yet) is sent by its own execution in a second email of the slot (a new
 * `wave`). A holder that died leaves its slot after a lease, and its claims say "unconfirmed", as a single email's do.
 */
import { randomUUID } from 'node:crypto';
import { groupedStepDue, type GroupedStep } from '../domain/grouping';
import { invoiceClaim } from '../domain/invoice-claim';
import type { Contact, InvoiceRecord } from '../domain/invoice';
import { invoicePolicy, isClosed } from '../domain/workflow';
import { renderCustomerEmail, renderGroupedCustomerEmail } from '../rendering/email';
import type { Dependencies, OutgoingEmail, SendSlot } from '../ports';
import { issueLink, issueStatementLink, linkExpiry } from './links';
import {
  claim,
  closedSince,
  copyKey,
  emailDocument,
  refusedBySes,
  sendClaimed,
  tagsFor,
  type CustomerSend,
  type NotificationSettings,
} from './notifications';

/** Longer than the send-email Lambda's timeout (30 s): a holder past it is dead, and its slot is left to others. */
export const SLOT_LEASE_MS = 45_000;
/** How long an execution waits in one attempt for the holder of its slot; then its step fails and is retried. */
const SLOT_WAIT_MS = 20_000;
const SLOT_POLL_MS = 50;
/** Emails one slot may need for one contact: the first, and one per execution that found news the holder could not. */
const MAX_WAVES = 20;

/** The slot's holder could not be waited for in this attempt: the step's retry (States.TaskFailed) waits again. */
export class SlotBusyError extends Error {
  override name = 'SlotBusyError';
}

/** An invoice the grouped email covers, with the claim that makes its email leave once. */
interface Member {
  record: InvoiceRecord;
  step: GroupedStep;
  /** The address as this invoice's record spells it. */
  to: string;
  claimKey: string;
  document: string;
}

/**
 * Sends the groupable email `step` of `record` (its own execution's step) to every reachable contact, each in its
 * contact's grouped email of the slot. Resolves as `sendCustomerEmail` does, for this invoice.
 */
export async function sendGroupedEmail(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord,
  step: GroupedStep,
  holder: string = record.executionName ?? randomUUID(),
): Promise<CustomerSend> {
  if (isClosed(record)) return { timeline: [], emailed: false };
  const reachable = record.customer.contacts.filter((contact) => !record.suppressedEmails.includes(contact.email));
  const outcomes = [];
  for (const contact of reachable) outcomes.push(await sendInSlot(deps, config, record, step, contact, holder));
  const timeline = outcomes.flatMap((outcome) => outcome.timeline);
  const states = outcomes.map((outcome) => outcome.state);
  // Closed meanwhile: nothing more leaves for it, as for a single email.
  if (states.includes('dropped')) return { timeline, emailed: false };
  return { timeline, emailed: reachable.length === 0 ? false : states.includes('unconfirmed') ? 'unconfirmed' : true };
}

type Outcome = { state: 'sent' | 'unconfirmed' | 'dropped'; timeline: CustomerSend['timeline'] };

async function sendInSlot(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord,
  step: GroupedStep,
  contact: Contact,
  holder: string,
): Promise<Outcome> {
  const waitUntil = Date.now() + SLOT_WAIT_MS;
  for (let wave = 1; wave <= MAX_WAVES; ) {
    const slot: SendSlot = { customerId: record.customer.id, kind: step.family, at: step.at, contact: contact.email, wave };
    const claimed = await deps.store.claimSendSlot(slot, holder);
    if (claimed.state === 'claimed') return holdSlot(deps, config, slot, holder, record, step, contact);
    if (claimed.state === 'done') {
      // Carried by the slot's email if it is this very email of this invoice (not an earlier cause at the same instant).
      const own = claimed.emails.find((e) => e.invoiceId === record.invoiceId && e.key.toLowerCase() === `${step.key}:${contact.email}`.toLowerCase());
      if (own) return ownEmail(deps, config, record, own.key);
      wave++;
      continue;
    }
    // Our own earlier attempt (it stopped midway) or a holder past its lease: the slot is left to a new email.
    if (claimed.holder === holder || Date.now() - claimed.heldSinceMs > SLOT_LEASE_MS) {
      wave++;
      continue;
    }
    if (Date.now() > waitUntil) throw new SlotBusyError(`The grouped email of ${slot.kind} at ${slot.at} is still being sent by another execution`);
    await new Promise((resolve) => setTimeout(resolve, SLOT_POLL_MS));
  }
  throw new Error(`More than ${MAX_WAVES} emails for one send slot of customer ${record.customer.id}`);
}

/** The slot's email covered this invoice: its claim says whether it left (its entry is written again, harmlessly). */
async function ownEmail(deps: Dependencies, config: NotificationSettings, record: InvoiceRecord, claimKey: string): Promise<Outcome> {
  const state = await claim(deps, config, record, claimKey, claimKey.slice(claimKey.lastIndexOf(':') + 1));
  // Claimed now: the holder gave it back after SES refused the email; this attempt fails and its retry sends it.
  if (state === 'claimed') {
    await deps.store.releaseEmailClaim(record.invoiceId, claimKey);
    throw new SlotBusyError(`The grouped email covering ${record.invoiceId} did not leave`);
  }
  return { state, timeline: [] };
}

/** This attempt holds the slot: gathers its invoices, claims their emails, sends one email, marks the slot done. */
async function holdSlot(
  deps: Dependencies,
  config: NotificationSettings,
  slot: SendSlot,
  holder: string,
  own: InvoiceRecord,
  ownStep: GroupedStep,
  contact: Contact,
): Promise<Outcome> {
  const now = deps.clock.now();
  let ownState: Outcome['state'] = 'dropped';
  const members: Member[] = [];
  let sending = false;
  try {
    const others = (await deps.store.listOpenInvoices(own.customer.id)).filter((candidate) => candidate.invoiceId !== own.invoiceId);
    for (const candidate of [own, ...others]) {
      // The index lags: each other invoice is read again, consistently, before it is taken.
      const record = candidate === own ? own : await deps.store.getInvoice(candidate.invoiceId);
      const step = record === own ? ownStep : record && groupedStepDue(record, config, now);
      if (!record || !step || step.family !== slot.kind || step.at !== slot.at || record.customer.id !== own.customer.id) continue;
      const to = record.customer.contacts.find((c) => sameAddress(c.email, contact.email) && !record.suppressedEmails.includes(c.email))?.email;
      if (!to) continue;
      const claimKey = `${step.key}:${to}`;
      const state = await claim(deps, config, record, claimKey, to);
      if (state === 'claimed') members.push({ record, step, to, claimKey, document: copyKey(record, claimKey) });
      else if (record === own) ownState = state;
    }
    members.sort((a, b) => a.record.dueDate.localeCompare(b.record.dueDate) || a.record.invoiceId.localeCompare(b.record.invoiceId));
    const open = await prepare(deps, config, contact, members, now);
    sending = true;
    const entries = open.email ? await send(deps, open.members, open.email, now) : [];
    await deps.store.finishSendSlot(slot, open.members.map((m) => ({ invoiceId: m.record.invoiceId, key: m.claimKey })), entries[0] && String(entries[0].messageId));
    const index = open.members.findIndex((m) => m.record === own);
    return index >= 0 ? { state: 'sent', timeline: [entries[index]!] } : { state: ownState, timeline: [] };
  } catch (error) {
    // Nothing left (a rendering or storage failure, or SES refused the email): the claims and the slot are given
    // back, so that the step's retry sends it. An email that may have left keeps them, as a single email does.
    if (!sending || refusedBySes(error)) {
      await Promise.all(members.map((m) => deps.store.releaseEmailClaim(m.record.invoiceId, m.claimKey)));
      await deps.store.releaseSendSlot(slot, holder);
    }
    throw error;
  }
}

/**
 * Renders the email for the members still open at the last moment (one closed meanwhile drops out and its claim is
 * given back), keeping each member's copy of it first.
 */
async function prepare(deps: Dependencies, config: NotificationSettings, contact: Contact, claimed: Member[], now: Date) {
  let members = claimed;
  for (;;) {
    members = await dropClosed(deps, members);
    if (members.length === 0) return { members };
    const email = await renderFor(deps, config, contact, members, now);
    await Promise.all(members.map((m) => deps.documents.put(m.document, emailDocument(m.record, m.step.kind, email, now), 'application/json')));
    // A payment or cancellation may have landed while it was rendered: look again at the last moment before sending.
    if ((await dropClosed(deps, members)).length === members.length) return { members, email };
  }
}

/** Sends the email once for all members; then each member's copy again, with the message id SES gave it. */
async function send(deps: Dependencies, members: Member[], email: OutgoingEmail, now: Date) {
  const entries = await sendClaimed(
    deps,
    members.map((m) => ({
      invoiceId: m.record.invoiceId,
      claimKey: m.claimKey,
      detail: (messageId: string) => ({ email: m.step.kind, to: m.to, subject: email.subject, messageId, document: m.document }),
    })),
    email,
  );
  const messageId = String(entries[0]?.messageId);
  await Promise.all(members.map((m) => deps.documents.put(m.document, emailDocument(m.record, m.step.kind, email, now, messageId), 'application/json')));
  return entries;
}

async function dropClosed(deps: Dependencies, members: Member[]): Promise<Member[]> {
  const closed = await Promise.all(members.map((m) => closedSince(deps, m.record.invoiceId)));
  await Promise.all(members.filter((_, i) => closed[i]).map((m) => deps.store.releaseEmailClaim(m.record.invoiceId, m.claimKey)));
  return members.filter((_, i) => !closed[i]);
}

/** One invoice: its own email as it always was; several: the grouped email. Both link the customer's statement. */
async function renderFor(deps: Dependencies, config: NotificationSettings, contact: Contact, members: Member[], now: Date): Promise<OutgoingEmail> {
  const first = members[0]!.record;
  const expiries = members.map((m) => linkExpiry(m.record, invoicePolicy(m.record, config), config.calendar)).sort();
  const statementToken = await issueStatementLink(deps.store, first, contact, expiries.at(-1)!, now);
  const statementUrl = `${config.publicBaseUrl}/r/${statementToken}`;
  const invoices = await Promise.all(
    members.map(async ({ record, step }) => ({
      kind: step.kind,
      invoice: record,
      answerUrl: `${config.publicBaseUrl}/r/${await issueLink(deps.store, record, contact, invoicePolicy(record, config), config.calendar, now)}`,
      ...(step.family === 'overdue' ? { claim: invoiceClaim(record, config.calendar, now) } : {}),
    })),
  );
  const common = { creditor: config.creditor, language: first.customer.language, contactName: contact.name, statementUrl };
  const rendered =
    invoices.length === 1
      ? renderCustomerEmail(invoices[0]!.kind, { ...common, ...invoices[0]! })
      : renderGroupedCustomerEmail({ ...common, invoices });
  return {
    to: [contact.email],
    // An answer by email reaches the credit team, not the sending address.
    replyTo: [config.teamEmail],
    ...rendered,
    tags: tagsFor(first, members[0]!.step.key),
    invoiceIds: members.map((m) => m.record.invoiceId),
  };
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
