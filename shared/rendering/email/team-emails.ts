/**
 * Notifications to the creditor's credit team. English only, and built to be acted on from the inbox: the invoice
 * at a glance, what happened, then the one call (or console page) that moves it forward.
 */
import type { InvoiceRecord } from '../../domain/invoice';
import { formatMoney } from '../../domain/money';
import { disputeReasonLabel, paymentMethodLabel } from '../labels';
import { composeEmail, type Block } from './compose';
import type { RenderedEmail, TeamEmailContext, TeamEmailKind } from './kinds';

/** Invoice ids may contain `/`: the path segment must be encoded or the call hits another route. */
function invoicePath(invoice: InvoiceRecord | undefined, suffix = ''): string {
  return `/invoices/${invoice ? encodeURIComponent(invoice.invoiceId) : '{invoiceId}'}${suffix}`;
}

function money(invoice: InvoiceRecord, which: 'amount' | 'outstanding'): string {
  return formatMoney(invoice[which], 'en');
}

function summary(invoice: InvoiceRecord): Block {
  const rows: [string, string][] = [
    ['Invoice', invoice.invoiceId],
    ['Customer', `${invoice.customer.name} (${invoice.customer.id})`],
    ['Amount outstanding', money(invoice, 'outstanding')],
  ];
  if (invoice.outstanding.value !== invoice.amount.value) rows.push(['Invoice amount', money(invoice, 'amount')]);
  rows.push(['Due date', invoice.dueDate]);
  rows.push(['Status', invoice.partiallyPaid ? `${invoice.status} (partially paid)` : invoice.status]);
  if (invoice.promise) {
    const method = invoice.promise.method ? ` by ${paymentMethodLabel(invoice.promise.method, 'en')}` : '';
    rows.push(['Promise', `${invoice.promise.date}${method}${invoice.promise.afterDueDate ? ' (after the due date)' : ''}`]);
  }
  if (invoice.dispute) {
    rows.push(['Dispute', `${disputeReasonLabel(invoice.dispute.reason, 'en')}, ${invoice.dispute.status} since ${invoice.dispute.at}`]);
  }
  rows.push(['Execution', invoice.executionName]);
  return { type: 'facts', rows };
}

function contactLine(contact: InvoiceRecord['customer']['contacts'][number], suppressed: string[]): string {
  const parts = [contact.role ? `${contact.name} (${contact.role})` : contact.name];
  parts.push(contact.phone ? `phone ${contact.phone}` : 'no phone on file');
  parts.push(suppressed.includes(contact.email) ? `${contact.email} (bounced, no more email)` : contact.email);
  return parts.join(' — ');
}

function contactsList(invoice: InvoiceRecord): Block {
  return { type: 'list', items: invoice.customer.contacts.map((c) => contactLine(c, invoice.suppressedEmails)) };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The bounced address: the caller's facts say which one; the last suppressed address is the fallback. */
function bouncedAddress(ctx: TeamEmailContext): string | undefined {
  const fromFacts = Object.entries(ctx.facts ?? {}).find(([key, value]) => /mail|address/i.test(key) && EMAIL.test(value.trim()));
  return fromFacts?.[1].trim() ?? ctx.invoice?.suppressedEmails.at(-1);
}

interface Draft {
  title: string;
  lead: string;
  /** Label above ctx.message. */
  messageLabel?: string;
  action: Block[];
}

const RESOLVE_DISPUTE = (invoice?: InvoiceRecord): Block => ({
  type: 'paragraph',
  text: `Resolve it with POST ${invoicePath(invoice, '/dispute-resolution')} and an outcome: "rejected" (the claim stands, reminders resume), "corrected_amount" (with correctedAmount) or "credit_note" (the invoice is cancelled).`,
});

function draft(kind: TeamEmailKind, ctx: TeamEmailContext): Draft {
  const invoice = ctx.invoice;
  const id = invoice?.invoiceId ?? '(no invoice)';
  const customer = invoice?.customer.name ?? 'the customer';
  const reason = invoice?.dispute ? disputeReasonLabel(invoice.dispute.reason, 'en') : undefined;
  switch (kind) {
    case 'dispute':
      return {
        title: 'Dispute reported',
        lead: `${customer} reported a problem with invoice ${id}${reason ? `: ${reason}` : ''}. Reminders are paused until the dispute is resolved.`,
        messageLabel: "Customer's message:",
        action: [{ type: 'heading', level: 2, text: 'What to do' }, RESOLVE_DISPUTE(invoice)],
      };
    case 'dispute_follow_up':
      return {
        title: 'Dispute still open',
        lead: `The dispute on invoice ${id}${reason ? ` (${reason})` : ''}${invoice?.dispute ? ` has been open since ${invoice.dispute.at}` : ' is still open'}. Reminders stay paused until it is resolved.`,
        messageLabel: "Customer's message:",
        action: [{ type: 'heading', level: 2, text: 'What to do' }, RESOLVE_DISPUTE(invoice)],
      };
    case 'question':
      return {
        title: 'Customer question',
        lead: `${customer} asked a question about invoice ${id}.`,
        messageLabel: 'Question:',
        action: [
          { type: 'heading', level: 2, text: 'What to do' },
          { type: 'paragraph', text: 'Answer the customer directly. Contacts on file:' },
          ...(invoice ? [contactsList(invoice)] : []),
        ],
      };
    case 'call_task':
      return {
        title: 'Phone call to make',
        lead: `Invoice ${id} of ${customer} is overdue: call the customer's accounts-payable contacts.`,
        messageLabel: 'Note:',
        action: [
          { type: 'heading', level: 2, text: 'Who to call' },
          ...(invoice ? [contactsList(invoice)] : []),
          {
            type: 'paragraph',
            text: `Then record the outcome with POST ${invoicePath(invoice, '/call-outcomes')}: "promised" (with promisedDate and paymentMethod), "disputed", "no_answer", "wrong_number" or "other", and a note.`,
          },
        ],
      };
    case 'hand_off':
      return {
        title: 'Handed off: evidence file ready',
        lead: `Invoice ${id} reached the end of the reminder ladder unpaid and is handed off to collection or legal procedure (injonction de payer).`,
        messageLabel: 'Note:',
        action: [
          { type: 'heading', level: 2, text: 'Evidence file' },
          {
            type: 'paragraph',
            text: `The evidence file (invoice, reminders sent and delivered, customer answers, timeline) is at GET ${invoicePath(invoice, '/evidence')}. Send it with the contract, order and delivery note to the collection agency or the court.`,
          },
        ],
      };
    case 'needs_attention':
      return {
        title: 'Needs attention',
        lead: `Processing of invoice ${id} failed after retries and stopped: it needs a person.`,
        messageLabel: 'Error:',
        action: [
          { type: 'heading', level: 2, text: 'What to do' },
          {
            type: 'paragraph',
            text: invoice
              ? `Open execution ${invoice.executionName} in the Step Functions console, read the failed step, fix the cause, then restart the invoice's execution.`
              : "Open the execution in the Step Functions console, read the failed step, fix the cause, then restart the invoice's execution.",
          },
        ],
      };
    case 'email_unconfirmed': {
      const { email, to } = ctx.facts ?? {};
      return {
        title: 'Email may not have left',
        lead: `The "${email ?? 'an'}" email of invoice ${id} to ${to ?? 'a contact'} was being sent when the sender stopped (a crash or a timeout) before SES confirmed it. It may or may not have left; it is not sent again on its own, so the customer never gets it twice.`,
        action: [
          { type: 'heading', level: 2, text: 'What to do' },
          {
            type: 'paragraph',
            text: 'Check the SES sending activity for that address (or ask the customer). If it did not arrive, send the message by hand. The rest of the procedure goes on as planned.',
          },
        ],
      };
    }
    case 'payment_received': {
      const payment = ctx.payment;
      const paid = payment ? `${formatMoney(payment.amount, 'en')} (reference ${payment.reference}, paid on ${payment.paidAt})` : 'A payment';
      const owed = invoice ? `${money(invoice, 'outstanding')} remains outstanding` : 'the amount outstanding drops';
      const titles: Record<string, string> = {
        after_hand_off: 'Payment after hand-off',
        after_cancellation: 'Payment on a cancelled invoice',
        after_payment: 'Payment on a paid invoice',
      };
      const handedOff = payment?.receivedAfter === 'after_hand_off';
      const lead = handedOff
        ? `${paid} arrived on invoice ${id}, handed off to legal${invoice?.handedOffAt ? ` on ${invoice.handedOffAt.slice(0, 10)}` : ''}: ${owed}, and the claim must drop accordingly.`
        : `${paid} arrived on invoice ${id} of ${customer}${payment?.receivedAfter ? `, which was already ${invoice?.status ?? 'closed'}` : ''}.`;
      const steps: Block[] = [];
      if (handedOff) {
        steps.push({ type: 'paragraph', text: 'Tell the collection agency or the court at once: the claim they pursue must drop by this amount (or be withdrawn if nothing remains).' });
      }
      if (payment?.overpaid) {
        steps.push({
          type: 'paragraph',
          text: `${formatMoney(payment.overpaid, 'en')} of it exceeds what was owed: a credit balance${invoice?.creditBalance ? ` of ${formatMoney(invoice.creditBalance, 'en')} in all` : ''} is due back to the customer. Refund it, or agree with the customer which invoice it settles.`,
        });
      }
      return {
        title: titles[payment?.receivedAfter ?? ''] ?? 'Overpayment',
        lead,
        action: [{ type: 'heading', level: 2, text: 'What to do' }, ...steps],
      };
    }
    case 'contact_bounced': {
      const address = bouncedAddress(ctx);
      const reachable = invoice?.customer.contacts.filter((c) => !invoice.suppressedEmails.includes(c.email)) ?? [];
      return {
        title: 'Contact address bounced',
        lead: `Email to ${address ?? 'a contact'} for invoice ${id} bounced or was marked as spam: no more email goes to that address.`,
        messageLabel: 'Bounce details:',
        action: [
          { type: 'heading', level: 2, text: 'What to do' },
          {
            type: 'paragraph',
            text:
              reachable.length === 0
                ? `No contact of ${customer} can receive email any more: reminders cannot reach the customer. Add a working address with PATCH ${invoicePath(invoice)} and a corrected "contacts" list.`
                : `Fix the address with PATCH ${invoicePath(invoice)} and a corrected "contacts" list. Contacts on file:`,
          },
          ...(invoice ? [contactsList(invoice)] : []),
        ],
      };
    }
    case 'daily_digest': {
      const sections = ctx.digest ?? [];
      return {
        title: `Daily digest — ${ctx.creditor.name}`,
        lead:
          sections.length === 0
            ? 'Nothing needs you today.'
            : `${sections.reduce((n, s) => n + s.lines.length, 0)} item(s) across ${sections.length} section(s).`,
        action: sections.flatMap((section): Block[] => [
          { type: 'heading', level: 2, text: `${section.title} (${section.lines.length})` },
          section.lines.length > 0 ? { type: 'list', items: section.lines } : { type: 'paragraph', text: 'Nothing.' },
        ]),
      };
    }
  }
}

export function renderTeamEmail(kind: TeamEmailKind, ctx: TeamEmailContext): RenderedEmail {
  const d = draft(kind, ctx);
  if (!d) throw new Error(`Unknown team email kind: ${String(kind)}`);
  const { invoice } = ctx;
  const facts = Object.entries(ctx.facts ?? {});
  const blocks: Block[] = [
    { type: 'heading', text: d.title },
    { type: 'paragraph', text: d.lead },
  ];
  if (invoice) blocks.push(summary(invoice));
  if (facts.length > 0) blocks.push({ type: 'facts', rows: facts });
  if (ctx.message) blocks.push({ type: 'quote', label: d.messageLabel, text: ctx.message });
  blocks.push(...d.action);
  const subject = invoice
    ? `[Dunning] ${d.title}: ${invoice.invoiceId} — ${invoice.customer.name} — ${money(invoice, 'outstanding')}`
    : `[Dunning] ${d.title}`;
  return composeEmail({
    lang: 'en',
    subject,
    preheader: d.lead,
    blocks,
    footer: `Sent by the dunning service of ${ctx.creditor.name} to its credit team.`,
  });
}
