/**
 * One email per customer (DESIGN.md §5): the pre-reminders, and the overdue reminders, that fall due for one contact
 * in the same send slot leave as one email listing every invoice it covers.
 *
 * Each invoice's execution still decides its own steps, and each step's email is still claimed per invoice and contact
 * (`claimEmail`), so no invoice is ever emailed twice for one step. What groups them is the send slot, claimed once per
 * contact, kind and instant (`claimSendSlot`): the first execution to reach it holds it, gathers from the customer
 * index every invoice whose own step sends to that contact at that instant (`groupedStepDue`, the test their own steps
 * make), claims their emails and sends one email. The others wait for it to finish and find their emails sent.
 *
 * The protocol, as a clock and a crash see it:
 * - Before SES is called, the holder stamps the slot `sending` (only while it still holds it). Until then nothing can
 *   have left: any failure gives the claims and the slot back, and the retry sends the email.
 * - A holder gone silent past its lease (longer than the Lambda's timeout) without that stamp never reached SES: the
 *   next execution adopts its slot and its claims and sends. With the stamp, the email may have left: the slot is left
 *   alone, and the claims say "unconfirmed" as a single email's do (the team is told, nothing is sent twice).
 * - Once SES answered, nothing is given back: the slot is marked done with the message id first, so an execution whose
 *   bookkeeping the holder did not finish completes it from the slot instead of alarming anyone.
 * - An invoice paid, cancelled, or with news its execution has not read yet, is dropped before the email leaves (its
 *   own execution decides again); an invoice the slot could not take leaves in a second email of the slot (a `wave`).
 */
import { randomUUID } from 'node:crypto';
import { groupedStepDue, type GroupedStep } from '../domain/grouping';
import { invoiceClaim } from '../domain/invoice-claim';
import { isSuppressed, sameAddress, timelineEntry, type Contact, type InvoiceRecord, type TimelineEntry } from '../domain/invoice';
import { invoicePolicy, isClosed } from '../domain/workflow';
import { renderCustomerEmail, renderGroupedCustomerEmail } from '../rendering/email';
import type { Dependencies, OutgoingEmail, SendSlot, SlotClaim, SlotEmail, SlotOutcome } from '../ports';
import { issueLink, issueStatementLink, linkExpiry } from './links';
import { claim, copyKey, emailDocument, refusedBySes, tagsFor, type CustomerSend, type NotificationSettings } from './notifications';

/** How long slots are held and waited for (wall clock); tests shorten them. */
export interface SlotTiming {
  /** Longer than the send-email Lambda's timeout (infra/constructs/workflow.ts, 30 s): a holder past it is dead. */
  leaseMs: number;
  /** How long an execution waits in one attempt for the holder of its slot; then its step fails and is retried. */
  waitMs: number;
  pollMs: number;
}

export const SLOT_TIMING: Readonly<SlotTiming> = { leaseMs: 45_000, waitMs: 20_000, pollMs: 50 };
/** Emails one slot may need for one contact: the first, and one per execution that found news the holder could not. */
const MAX_WAVES = 20;
/** Writes that record an email SES took are retried here too: giving up would make a sent email look unsent. */
const BOOKKEEPING_ATTEMPTS = 5;

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
  /** Who holds its claim: this attempt, as slot holder. */
  owner: string;
  document: string;
}

type Outcome = { state: 'sent' | 'unconfirmed' | 'dropped'; timeline: TimelineEntry[] };

/**
 * Sends the groupable email `step` of `record` (its own execution's step) to every reachable contact, each in its
 * contact's grouped email of the slot. Resolves as `sendCustomerEmail` does, for this invoice.
 */
export async function sendGroupedEmail(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord,
  step: GroupedStep,
  options: Partial<SlotTiming> = {},
): Promise<CustomerSend> {
  const timing = { ...SLOT_TIMING, ...options };
  if (isClosed(record)) return { timeline: [], emailed: false };
  // One waiting budget for the whole attempt (all contacts), well inside the Lambda's timeout: past it, this attempt
  // takes no slot any more (holding one needs time too) and its step is retried.
  const deadline = Date.now() + timing.waitMs;
  const reachable = record.customer.contacts.filter((contact) => !isSuppressed(record, contact.email));
  // One attempt, one holder name: a retry of this step is another attempt, which a stale slot of ours must not fool.
  const holder = randomUUID();
  const outcomes: Outcome[] = [];
  for (const contact of reachable) outcomes.push(await sendInSlot(deps, config, record, step, contact, holder, timing, deadline));
  const timeline = outcomes.flatMap((outcome) => outcome.timeline);
  const states = outcomes.map((outcome) => outcome.state);
  // Closed (or changed) meanwhile: nothing more leaves for it, as for a single email.
  if (states.includes('dropped')) return { timeline, emailed: false };
  return { timeline, emailed: reachable.length === 0 ? false : states.includes('unconfirmed') ? 'unconfirmed' : true };
}

async function sendInSlot(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord,
  step: GroupedStep,
  contact: Contact,
  holder: string,
  timing: SlotTiming,
  deadline: number,
): Promise<Outcome> {
  const claimKey = `${step.key}:${contact.email}`;
  for (let wave = 1; wave <= MAX_WAVES; ) {
    // Sent already (by an earlier wave, or an attempt of ours that stopped after): nothing to wait for.
    const own = await deps.store.getEmailClaim(record.invoiceId, claimKey);
    if (own?.state === 'sent') {
      if (own.entry) await deps.store.appendTimeline(record.invoiceId, [own.entry]);
      return { state: 'sent', timeline: [] };
    }
    const slot: SendSlot = { customerId: record.customer.id, kind: step.family, at: step.at, contact: contact.email, wave };
    if (Date.now() > deadline) throw new SlotBusyError(`The grouped email of ${slot.kind} at ${slot.at} is still being sent by another execution`);
    const claimed = await waitWhileHeld(deps, slot, await deps.store.claimSendSlot(slot, holder), timing, deadline);
    switch (claimed.state) {
      case 'claimed':
        return holdSlot(deps, config, slot, holder, record, step, contact);
      case 'done': {
        const carried = claimed.emails.find((e) => e.invoiceId === record.invoiceId && sameAddress(e.key, claimKey));
        if (carried && claimed.sent) return carriedBySlot(deps, record, step, carried, claimed.sent);
        wave++;
        continue;
      }
      case 'held': {
        // Its holder is gone. Before SES, nothing left: this attempt takes the slot over, with its claims.
        if (!claimed.sending && (await deps.store.adoptSendSlot(slot, claimed.holder, holder))) {
          return holdSlot(deps, config, slot, holder, record, step, contact, claimed.holder);
        }
        // It may have left: that email is left alone (its claims say so), and the slot's next email takes the rest.
        if (claimed.sending) wave++;
        continue;
      }
      case 'free':
        // Given back a moment ago (SES refused its email): claim it again.
        continue;
    }
  }
  throw new Error(`More than ${MAX_WAVES} emails for one send slot of customer ${record.customer.id}`);
}

/**
 * Waits while another attempt holds the slot within its lease, reading the slot (not claiming it again) at growing
 * intervals; resolves with how it stands once it is done, free, or its holder's lease has run out.
 */
async function waitWhileHeld(deps: Dependencies, slot: SendSlot, first: SlotClaim, timing: SlotTiming, deadline: number): Promise<SlotClaim> {
  let state = first;
  let pause = timing.pollMs;
  while (state.state === 'held' && Date.now() - state.heldSinceMs <= timing.leaseMs) {
    if (Date.now() > deadline) throw new SlotBusyError(`The grouped email of ${slot.kind} at ${slot.at} is still being sent by another execution`);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 10 * timing.pollMs);
    state = await deps.store.getSendSlot(slot);
  }
  return state;
}

/**
 * The slot's email carried this invoice's. When SES took it, the slot knows its message id: a claim the holder did not
 * get to mark sent (it stopped right after SES answered) is completed from there, not reported as maybe lost.
 */
async function carriedBySlot(deps: Dependencies, record: InvoiceRecord, step: GroupedStep, carried: SlotEmail, sent: NonNullable<SlotOutcome['sent']>): Promise<Outcome> {
  const current = await deps.store.getEmailClaim(record.invoiceId, carried.key);
  if (current?.state === 'sent') {
    if (current.entry) await deps.store.appendTimeline(record.invoiceId, [current.entry]);
    return { state: 'sent', timeline: [] };
  }
  const member: Member = { record, step, to: recipientOf(carried.key), claimKey: carried.key, owner: '', document: copyKey(record, carried.key) };
  const [entry] = await recordSent(deps, [member], sent);
  return { state: 'sent', timeline: [entry!] };
}

/**
 * This attempt holds the slot: gathers its invoices, claims their emails, stamps the slot, sends one email, marks the
 * slot done. `adopted` names a dead holder whose slot this is now: its claims, which never reached SES, become ours.
 */
async function holdSlot(
  deps: Dependencies,
  config: NotificationSettings,
  slot: SendSlot,
  holder: string,
  own: InvoiceRecord,
  ownStep: GroupedStep,
  contact: Contact,
  adopted?: string,
): Promise<Outcome> {
  const now = deps.clock.now();
  let ownState: Outcome['state'] = 'dropped';
  let members: Member[] = [];
  let email: OutgoingEmail | undefined;
  try {
    for (const record of await candidates(deps, own, slot)) {
      const step = record === own ? ownStep : groupedStepDue(record, config, now);
      if (!step || step.family !== slot.kind || step.at !== slot.at) continue;
      const to = record.customer.contacts.find((c) => sameAddress(c.email, contact.email) && !isSuppressed(record, c.email))?.email;
      if (!to) continue;
      const claimKey = `${step.key}:${to}`;
      const state = await claimFor(deps, config, record, claimKey, to, holder, adopted);
      if (state === 'claimed') members.push({ record, step, to, claimKey, owner: holder, document: copyKey(record, claimKey) });
      else if (record === own) ownState = state === 'sent' ? 'sent' : 'unconfirmed';
    }
    members.sort((a, b) => a.record.dueDate.localeCompare(b.record.dueDate) || a.record.invoiceId.localeCompare(b.record.invoiceId));
    ({ members, email } = await prepare(deps, config, contact, members, own, now));
    const emails = members.map((m) => ({ invoiceId: m.record.invoiceId, key: m.claimKey }));
    if (!email) {
      await deps.store.finishSendSlot(slot, { emails: [] });
      return { state: ownState, timeline: [] };
    }
    // The fence: from here the email may leave. A holder whose slot was adopted meanwhile stops short of SES.
    if (!(await deps.store.markSlotSending(slot, holder, emails))) {
      throw new SlotBusyError(`The send slot of ${slot.kind} at ${slot.at} was taken over`);
    }
  } catch (error) {
    // Nothing left: the claims and the slot are given back, so that the step's retry sends the email.
    await Promise.all(members.map((m) => deps.store.releaseEmailClaim(m.record.invoiceId, m.claimKey, m.owner)));
    await deps.store.releaseSendSlot(slot, holder);
    throw error;
  }
  let messageId: string;
  try {
    messageId = await deps.mailer.send(email);
  } catch (error) {
    // Refused: it did not leave, everything is given back. No answer: it may have left, everything stays as it is.
    if (refusedBySes(error)) {
      await Promise.all(members.map((m) => deps.store.releaseEmailClaim(m.record.invoiceId, m.claimKey, m.owner)));
      await deps.store.releaseSendSlot(slot, holder);
    }
    throw error;
  }
  const sent = { messageId, at: deps.clock.now().toISOString(), subject: email.subject, to: email.to };
  deps.telemetry?.count('EmailsSent', { kind: members[0]!.step.kind });
  deps.telemetry?.info('email sent', { kind: members[0]!.step.kind, invoiceIds: members.map((m) => m.record.invoiceId), messageId, slot: `${slot.kind}@${slot.at}#${slot.wave}` });
  const emails = members.map((m) => ({ invoiceId: m.record.invoiceId, key: m.claimKey }));
  // The slot first: it is what tells every execution that this email left, whatever happens to the rest.
  await persistently(() => deps.store.finishSendSlot(slot, { emails, sent }));
  const entries = await recordSent(deps, members, sent);
  await Promise.all(members.map((m) => deps.documents.put(m.document, emailDocument(m.record, m.step.kind, email, now, messageId), 'application/json')));
  const index = members.findIndex((m) => m.record === own);
  return index >= 0 ? { state: 'sent', timeline: [entries[index]!] } : { state: ownState, timeline: [] };
}

/** The customer's invoices the slot may carry: our own first, then the others, read again consistently. */
async function candidates(deps: Dependencies, own: InvoiceRecord, slot: SendSlot): Promise<InvoiceRecord[]> {
  const listed = await deps.store.listOpenInvoices(own.customer.id);
  // The index tells which ones plan a step at this instant; it lags, so those are read again.
  const others = listed.filter((r) => r.invoiceId !== own.invoiceId && r.nextActionAt === slot.at);
  const fresh = await Promise.all(others.map((r) => deps.store.getInvoice(r.invoiceId)));
  return [own, ...fresh.filter((r): r is InvoiceRecord => r !== undefined && r.customer.id === own.customer.id)];
}

/** Claims a member's email; one a dead holder claimed (and never sent, see `adoptSendSlot`) is taken over. */
async function claimFor(deps: Dependencies, config: NotificationSettings, record: InvoiceRecord, claimKey: string, to: string, holder: string, adopted?: string) {
  if (adopted) {
    const existing = await deps.store.getEmailClaim(record.invoiceId, claimKey);
    if (existing?.state === 'unconfirmed' && existing.owner === adopted && (await deps.store.takeOverEmailClaim(record.invoiceId, claimKey, adopted, holder))) {
      return 'claimed';
    }
  }
  return claim(deps, config, record, claimKey, to, holder);
}

/**
 * Renders the email for the members still as they were when gathered (one paid, cancelled, or with news for its
 * execution meanwhile drops out and its claim is given back), keeping each member's copy of it first.
 */
async function prepare(deps: Dependencies, config: NotificationSettings, contact: Contact, claimed: Member[], own: InvoiceRecord, now: Date) {
  let members = await unchanged(deps, config, claimed, own, now);
  for (;;) {
    if (members.length === 0) return { members };
    const email = await renderFor(deps, config, contact, members, now);
    await Promise.all(members.map((m) => deps.documents.put(m.document, emailDocument(m.record, m.step.kind, email, now), 'application/json')));
    // A payment or an answer may have landed while it was rendered: look again at the last moment before sending.
    const still = await unchanged(deps, config, members, own, now);
    if (still.length === members.length) return { members, email };
    members = still;
  }
}

/**
 * The members still as they were when gathered. Our own invoice's execution is the one deciding, here and now: it
 * drops out only once closed. Another's drops out too when its record has news its execution has not read yet.
 */
async function unchanged(deps: Dependencies, config: NotificationSettings, members: Member[], own: InvoiceRecord, now: Date): Promise<Member[]> {
  const current = await Promise.all(members.map((m) => deps.store.getInvoice(m.record.invoiceId)));
  const keep = members.map((m, i) => {
    const record = current[i];
    if (!record || isClosed(record)) return false;
    if (m.record.invoiceId === own.invoiceId) return true;
    const step = groupedStepDue(record, config, now);
    return step !== undefined && step.key === m.step.key && step.at === m.step.at;
  });
  await Promise.all(members.filter((_, i) => !keep[i]).map((m) => deps.store.releaseEmailClaim(m.record.invoiceId, m.claimKey, m.owner)));
  return members.filter((_, i) => keep[i]);
}

/** Marks each member's claim sent and writes its timeline entry (at the instant SES took it: a retry writes the same). */
async function recordSent(deps: Dependencies, members: Member[], sent: NonNullable<SlotOutcome['sent']>): Promise<TimelineEntry[]> {
  const invoiceIds = members.length > 1 ? members.map((m) => m.record.invoiceId) : undefined;
  return Promise.all(
    members.map(async (m) => {
      const detail = { email: m.step.kind, to: m.to, subject: sent.subject, messageId: sent.messageId, document: m.document };
      const entry = { ...timelineEntry('email_sent', new Date(sent.at), detail), eventId: `email:${m.claimKey}` };
      await persistently(() => deps.store.recordEmailSent(m.record.invoiceId, m.claimKey, sent.messageId, sent.to, entry, invoiceIds));
      await persistently(() => deps.store.appendTimeline(m.record.invoiceId, [entry]));
      return entry;
    }),
  );
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
  const rendered = invoices.length === 1 ? renderCustomerEmail(invoices[0]!.kind, { ...common, ...invoices[0]! }) : renderGroupedCustomerEmail({ ...common, invoices });
  return {
    to: [contact.email],
    // An answer by email reaches the credit team, not the sending address.
    replyTo: [config.teamEmail],
    ...rendered,
    tags: tagsFor(first, members[0]!.step.key),
    invoiceIds: members.map((m) => m.record.invoiceId),
    causes: members.map((m) => m.step.key),
  };
}

/** The recipient named by a claim key (`<cause>:<address>`; causes hold no ':' after their last '@'-part). */
function recipientOf(claimKey: string): string {
  return claimKey.slice(claimKey.lastIndexOf(':') + 1);
}

async function persistently<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= BOOKKEEPING_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
