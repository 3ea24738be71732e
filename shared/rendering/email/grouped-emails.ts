/**
 * One email listing several invoices of one customer for one contact (DESIGN.md §5 "One email per customer"): the
 * invoices that fall in the same send slot, each with its own facts, links and answers, then once for all what the
 * single emails say once per invoice: the check-list or the legal statement, the totals, the statement page, our bank
 * details, the signature.
 *
 * It speaks in the words of the single emails (customer-emails.ts): one `Writer` per invoice, holding that invoice's
 * claim and answer page, for what concerns it alone; one for what the email says once.
 */
import type { Claim } from '../../domain/claim';
import type { Creditor } from '../../domain/creditor';
import type { InvoiceRecord } from '../../domain/invoice';
import type { Money } from '../../domain/money';
import { fr } from '../typography';
import { composeEmail, type Block } from './compose';
import { afterColon, preReminderChecks, renderCustomerEmail, Writer } from './customer-emails';
import type { RenderedEmail } from './kinds';

/** The steps whose emails are grouped: the pre-reminder, and the two reminders after the due date. */
export type GroupedEmailKind = 'pre_reminder' | 'reminder' | 'penalty_reminder';

export interface GroupedInvoice {
  /** What this invoice's own step would have sent alone. */
  kind: GroupedEmailKind;
  invoice: InvoiceRecord;
  /** This invoice's personal answer page for the contact; actions append `?action=promise|dispute|question`. */
  answerUrl: string;
  /** What is claimed today on this invoice: given for the overdue kinds, required for `penalty_reminder`. */
  claim?: Claim;
}

export interface GroupedEmailContext {
  creditor: Creditor;
  language: 'fr' | 'en';
  /** The recipient contact's name, for the greeting. */
  contactName: string;
  /**
   * The invoices, all of one customer, in the order they are listed (by due date, then id): either all pre-reminders
   * or all overdue (`reminder` and `penalty_reminder` mixed). The first one's customer decides the wording by kind.
   */
  invoices: GroupedInvoice[];
  /** The contact's statement page: every open invoice of the customer, answered one by one or all at once. */
  statementUrl: string;
}

interface Member {
  kind: GroupedEmailKind;
  /** Writes about this invoice alone: its facts, claim, links and answers. */
  w: Writer;
  invoice: InvoiceRecord;
  claim?: Claim;
}

interface Draft {
  subject: string;
  preheader: string;
  blocks: Block[];
}

const ANSWERS = ['promise', 'dispute', 'question'] as const;

/**
 * The email about several invoices of one customer. One invoice alone gets its single email (with the statement
 * link). Throws on an empty list, on invoices of different customers, on pre-reminders mixed with overdue reminders,
 * and on a `penalty_reminder` without the claim it states.
 */
export function renderGroupedCustomerEmail(ctx: GroupedEmailContext): RenderedEmail {
  const { invoices, creditor, language, contactName, statementUrl } = ctx;
  if (invoices.length === 0) throw new Error('A grouped customer email lists at least one invoice: none was given');
  const family = familyOf(invoices);
  const first = invoices[0];
  const customer = first.invoice.customer;
  const strangers = invoices.filter((i) => i.invoice.customer.id !== customer.id).map((i) => i.invoice.invoiceId);
  if (strangers.length) {
    throw new Error(`A grouped customer email lists the invoices of one customer (${customer.id}): not ${strangers.join(', ')}`);
  }
  if (invoices.length === 1) {
    return renderCustomerEmail(first.kind, {
      creditor, language, contactName, statementUrl,
      invoice: first.invoice,
      answerUrl: first.answerUrl,
      ...(first.claim ? { claim: first.claim } : {}),
    });
  }

  // The wording by kind of customer (penalties, moratorium interest, nothing) is the first invoice's customer's for all.
  const kind = customer.kind;
  const members: Member[] = invoices.map((member) => {
    const invoice = member.invoice.customer.kind === kind ? member.invoice : { ...member.invoice, customer: { ...member.invoice.customer, kind } };
    const w = new Writer({ creditor, language, contactName, invoice, answerUrl: member.answerUrl, ...(member.claim ? { claim: member.claim } : {}) });
    if (member.kind === 'penalty_reminder') w.requireClaim('penalty_reminder');
    return { kind: member.kind, w, invoice: member.invoice, ...(member.claim ? { claim: member.claim } : {}) };
  });
  const common = new Writer({ creditor, language, contactName, invoice: first.invoice, answerUrl: statementUrl, statementUrl });
  const draft = family === 'pre_reminder' ? preReminderGroup(common, members, statementUrl) : overdueGroup(common, members, statementUrl);
  const ids = members.map((m) => m.invoice.invoiceId);
  return composeEmail({ lang: language, ...draft, footer: common.footer(ids) });
}

function familyOf(invoices: GroupedInvoice[]): 'pre_reminder' | 'overdue' {
  const kinds = new Set(invoices.map((i) => i.kind));
  const unknown = [...kinds].filter((k) => k !== 'pre_reminder' && k !== 'reminder' && k !== 'penalty_reminder');
  if (unknown.length) throw new Error(`A grouped customer email cannot hold ${unknown.join(', ')}`);
  if (!kinds.has('pre_reminder')) return 'overdue';
  if (kinds.size === 1) return 'pre_reminder';
  throw new Error('A grouped customer email cannot mix pre-reminders with overdue reminders: they say different things');
}

/** Sums per currency, in the order the currencies first appear: amounts in different currencies are never added. */
export function totalsByCurrency(amounts: Money[]): Money[] {
  const sums = new Map<string, number>();
  for (const amount of amounts) sums.set(amount.currency, (sums.get(amount.currency) ?? 0) + amount.value);
  return [...sums].map(([currency, value]) => ({ value, currency }));
}

const sameTotals = (a: Money[], b: Money[]): boolean =>
  a.length === b.length && a.every((m) => b.some((n) => n.currency === m.currency && n.value === m.value));

function moneyList(w: Writer, amounts: Money[]): string {
  return w.list(amounts.map((m) => w.money(m)));
}

function totalRows(w: Writer, label: string, amounts: Money[]): [string, string][] {
  return amounts.map((m) => [label, w.money(m)]);
}

function heading(w: Writer): Block {
  return { type: 'heading', level: 2, text: w.t(fr`Facture ${w.invoiceId}`, `Invoice ${w.invoiceId}`) };
}

/** The references the customer files the invoice under; its own number already heads its section. */
function referenceRows(w: Writer): [string, string][] {
  const reg = w.ctx.invoice.registration;
  const labels = w.invoiceLabels;
  const rows: [string, string][] = [];
  if (reg.reference && reg.reference !== w.invoiceId) rows.push([labels.reference, reg.reference]);
  if (reg.purchaseOrder) rows.push([labels.purchaseOrder, reg.purchaseOrder]);
  return rows;
}

/** The invoice's own links: its PDF, its three answers, its online payment page (under the single emails' rule). */
function memberLinks(w: Writer): Block[] {
  return [...w.pdfLink(), ...w.answerLinks(...ANSWERS), ...w.paymentButton()];
}

/** The statement page, where every open invoice is answered one by one or all at once. */
function statementButton(w: Writer, url: string): Block[] {
  return [
    {
      type: 'paragraph',
      text: w.t(
        fr`Toutes vos factures en cours sont réunies sur une seule page, où vous pouvez répondre pour chacune ou pour toutes à la fois :`,
        'All your open invoices are gathered on one page, where you can reply for each of them or for all at once:',
      ),
    },
    { type: 'buttons', buttons: [{ label: w.t(fr`Répondre pour toutes ces factures sur une seule page`, 'Reply for all these invoices on one page'), url }] },
  ];
}

function preReminderGroup(w: Writer, members: Member[], statementUrl: string): Draft {
  const n = members.length;
  const creditor = w.ctx.creditor.name;
  const dueDates = [...new Set(members.map((m) => m.invoice.dueDate))].sort();
  const [firstDue, lastDue] = [w.date(dueDates[0]), w.date(dueDates[dueDates.length - 1])];
  const before = dueDates.length === 1
    ? w.t(fr`avant leur échéance du ${firstDue}`, `before their due date of ${firstDue}`)
    : w.t(fr`avant leurs échéances (du ${firstDue} au ${lastDue})`, `before their due dates (${firstDue} to ${lastDue})`);
  const amounts = totalsByCurrency(members.map((m) => m.invoice.amount));
  const outstanding = totalsByCurrency(members.map((m) => m.invoice.outstanding));

  const sections = members.flatMap(({ w: m, invoice }): Block[] => {
    const labels = m.invoiceLabels;
    const rows: [string, string][] = [[labels.amount, m.money(invoice.amount)]];
    // A partial payment already made is shown, as in the single pre-reminder.
    if (invoice.outstanding.value !== invoice.amount.value) rows.push([labels.outstanding, m.money(invoice.outstanding)]);
    rows.push([labels.dueDate, m.date(invoice.dueDate)], ...referenceRows(m));
    return [heading(m), { type: 'facts', rows }, ...memberLinks(m)];
  });
  const totals: [string, string][] = [
    ...totalRows(w, w.t(fr`Montant total des factures`, 'Total of the invoices'), amounts),
    ...(sameTotals(amounts, outstanding) ? [] : totalRows(w, w.t(fr`Total restant à payer`, 'Total outstanding'), outstanding)),
  ];

  return {
    subject: w.t(
      fr`${n} factures de ${creditor} arrivent à échéance : tout est-il en ordre ?`,
      `${n} invoices from ${creditor} fall due soon: is everything in order?`,
    ),
    preheader: dueDates.length === 1
      ? w.t(fr`Un point rapide avant l'échéance du ${firstDue} : une réponse en un clic suffit.`, `A quick check before the due date of ${firstDue}: you can reply in one click.`)
      : w.t(fr`Un point rapide avant la première échéance, le ${firstDue} : une réponse en un clic suffit.`, `A quick check before the first due date, ${firstDue}: you can reply in one click.`),
    blocks: [
      w.greeting(),
      {
        type: 'paragraph',
        text: w.t(
          fr`Les ${n} factures ci-dessous, d'un montant total de ${moneyList(w, amounts)}, arrivent prochainement à échéance. Dans le cadre de notre suivi qualité, nous souhaitons simplement nous assurer, ${before}, que tout est en ordre de votre côté.`,
          `The ${n} invoices below, for a total of ${moneyList(w, amounts)}, fall due shortly. As part of our routine quality check, we would simply like to make sure ${before} that everything is in order at your end.`,
        ),
      },
      ...sections,
      { type: 'heading', level: 2, text: w.t(fr`En résumé`, 'In summary') },
      { type: 'facts', rows: totals },
      { type: 'paragraph', text: w.t(fr`Pourriez-vous nous confirmer, pour chacune de ces factures :`, 'Could you please confirm, for each of these invoices:') },
      preReminderChecks(w, w.t(fr`à chacune de ces échéances`, 'on each of these due dates')),
      ...statementButton(w, statementUrl),
      {
        type: 'paragraph',
        text: w.t(
          fr`Si un point pose problème, signalez-le-nous dès maintenant, sous la facture concernée ou sur cette page : nous pourrons le corriger avant les échéances.`,
          'If anything is amiss, please tell us now, under the invoice concerned or on that page: we can put it right before the due dates.',
        ),
      },
      ...w.bankDetails(members.map((m) => m.invoice.invoiceId)),
      w.signature(),
    ],
  };
}

/** Whether the email states this invoice's claim beyond the principal, as its own step's email would. */
function statesClaim(m: Member): m is Member & { claim: Claim } {
  if (!m.claim || !m.w.claimsExtras(m.claim)) return false;
  return m.kind === 'penalty_reminder' || m.w.daysLate(m.claim) > 0;
}

/** What this invoice's own step asks for: the claim's total for the penalty reminder, the principal for the reminder. */
function asked(m: Member): Money[] {
  if (m.kind !== 'penalty_reminder' || !m.claim) return [m.invoice.outstanding];
  return [m.claim.total, ...(m.claim.indemnityApart ? [m.claim.indemnityApart] : [])];
}

/** "la facture F-1" / "les factures F-1 et F-2", for the sentences that name some of the invoices. */
function invoicesNamed(w: Writer, ids: string[]): string {
  return ids.length === 1 ? w.t(fr`la facture ${ids[0]}`, `invoice ${ids[0]}`) : w.t(fr`les factures ${w.list(ids)}`, `invoices ${w.list(ids)}`);
}

/**
 * The law's statement of what is claimed, once for the invoices that share it (the same kind of customer and rate);
 * said of the invoices it concerns when it is not all of them. Information in a reminder, a warning in a penalty one.
 */
function claimStatements(w: Writer, members: Member[], firm: boolean): Block[] {
  const byStatement = new Map<string, string[]>();
  for (const m of members.filter(statesClaim)) {
    const statement = m.w.claimStatement(m.claim!);
    if (statement) byStatement.set(statement, [...(byStatement.get(statement) ?? []), m.invoice.invoiceId]);
  }
  return [...byStatement].map(([statement, ids]): Block => {
    const all = ids.length === members.length;
    const named = invoicesNamed(w, ids);
    const lead = firm
      ? (all ? undefined : w.t(fr`Concernant ${named} :`, `Regarding ${named}:`))
      : all ? w.t(fr`Pour information :`, 'For your information:') : w.t(fr`Pour information, concernant ${named} :`, `For your information, regarding ${named}:`);
    return { type: 'notice', tone: firm ? 'warning' : 'info', text: lead ? `${lead} ${afterColon(statement)}` : statement };
  });
}

function overdueGroup(w: Writer, members: Member[], statementUrl: string): Draft {
  const n = members.length;
  const reminded = members.filter((m) => m.kind === 'penalty_reminder');
  const firm = reminded.length > 0;
  const principal = totalsByCurrency(members.map((m) => m.invoice.outstanding));
  const toPay = totalsByCurrency(members.flatMap(asked));
  const stated = members.filter(statesClaim);

  const sections = members.flatMap((m): Block[] => {
    const { w: mw, invoice, claim } = m;
    const labels = mw.invoiceLabels;
    const rows: [string, string][] = [[labels.dueDate, mw.date(invoice.dueDate)]];
    if (claim && mw.daysLate(claim) > 0) rows.push([mw.t(fr`Retard`, 'Overdue by'), mw.days(mw.daysLate(claim))]);
    if (invoice.outstanding.value !== invoice.amount.value) rows.push([labels.amount, mw.money(invoice.amount)]);
    rows.push([labels.outstanding, mw.money(invoice.outstanding)], ...referenceRows(mw));
    const claimBlocks: Block[] = statesClaim(m)
      ? [
          {
            type: 'paragraph',
            // A reminder only asks for the principal: what else is due on the invoice is stated for information.
            text: m.kind === 'reminder'
              ? mw.t(fr`Pour information, le détail de ce qui est dû sur cette facture :`, 'For your information, what is due on this invoice:')
              : mw.t(fr`Ce qui vous est réclamé au titre de cette facture :`, 'What is claimed on this invoice:'),
          },
          mw.claimTable(m.claim),
        ]
      : [];
    return [heading(mw), { type: 'facts', rows }, ...claimBlocks, ...memberLinks(mw)];
  });
  const provisional = stated.find((m) => m.claim.penalties.provisional);
  const totals: [string, string][] = [
    ...totalRows(w, w.t(fr`Total restant dû`, 'Total outstanding'), principal),
    ...(firm && !sameTotals(principal, toPay) ? totalRows(w, w.t(fr`Total à régler`, 'Total to pay'), toPay) : []),
  ];

  let subject: string;
  let opening: string;
  if (!firm) {
    // After a broken promise, an "oversight" would ring false: the customer knew the date, having named it.
    const oversight = members.some((m) => m.invoice.promise?.brokenAt) ? '' : w.t(fr` Il peut s'agir d'un simple oubli.`, ' It may simply be an oversight.');
    subject = w.t(fr`Rappel : ${n} factures échues`, `Reminder: ${n} invoices overdue`);
    opening = w.t(
      fr`Sauf erreur ou omission de notre part, le règlement des ${n} factures ci-dessous, arrivées à échéance, ne nous est pas encore parvenu.${oversight}`,
      `Unless we are mistaken, we have not yet received payment of the ${n} invoices below, which have fallen due.${oversight}`,
    );
  } else {
    // Penalties (or moratorium interest) are named in the subject only where a penalty reminder claims them.
    const tail = w.claimSubjectTail(reminded.some((m) => m.w.claimsExtras(m.claim!)));
    const all = reminded.length === n;
    // A second reminder only where every invoice had a first one; otherwise the email says which ones did.
    subject = all
      ? w.t(fr`Deuxième rappel : ${n} factures impayées${tail}`, `Second reminder: ${n} invoices unpaid${tail}`)
      : w.t(fr`Rappel : ${n} factures impayées${tail}`, `Reminder: ${n} invoices unpaid${tail}`);
    const ids = reminded.map((m) => m.invoice.invoiceId);
    opening = all
      ? w.t(
          fr`Malgré nos précédents rappels, les ${n} factures ci-dessous, arrivées à échéance, demeurent impayées à ce jour.`,
          `Despite our previous reminders, the ${n} invoices below, which have fallen due, remain unpaid to date.`,
        )
      : w.t(
          fr`Sauf erreur de notre part, les ${n} factures ci-dessous, arrivées à échéance, demeurent impayées à ce jour ; nous vous avons déjà adressé un rappel pour ${invoicesNamed(w, ids)}.`,
          `Unless we are mistaken, the ${n} invoices below, which have fallen due, remain unpaid to date; we have already sent you a reminder for ${invoicesNamed(w, ids)}.`,
        );
  }
  const sum = (amounts: Money[]) => moneyList(w, amounts);
  const request = firm
    ? w.t(
        fr`Nous vous demandons de régler ${toPay.length === 1 ? 'la somme' : 'les sommes'} de ${sum(toPay)} sans délai, ou de nous indiquer immédiatement la date de votre paiement ou le problème qui l'empêche, à l'aide des liens de chaque facture ou de la page ci-dessous.`,
        `We must ask you to pay ${sum(toPay)} without delay, or to let us know immediately when you will pay or what is preventing payment, using the links under each invoice or the page below.`,
      )
    : w.t(
        fr`Nous vous remercions de bien vouloir procéder à leur règlement, soit ${sum(principal)} au total, ou de nous indiquer la date à laquelle il interviendra. Si un problème empêche le paiement de l'une d'elles, signalez-le-nous sous la facture concernée : nous ferons le nécessaire pour le résoudre rapidement.`,
        `We would be grateful if you could settle them, ${sum(principal)} in all, or let us know when payment will be made. If a problem is holding up payment of any of them, please tell us under the invoice concerned and we will do what is needed to resolve it quickly.`,
      );

  return {
    subject,
    preheader: opening,
    blocks: [
      w.greeting(),
      { type: 'paragraph', text: opening },
      ...claimStatements(w, members, firm),
      ...sections,
      ...(provisional ? w.provisionalRateNote(provisional.claim) : []),
      { type: 'heading', level: 2, text: w.t(fr`En résumé`, 'In summary') },
      { type: 'facts', rows: totals },
      { type: 'paragraph', text: request },
      ...statementButton(w, statementUrl),
      ...w.bankDetails(members.map((m) => m.invoice.invoiceId)),
      { type: 'paragraph', text: w.alreadyPaid() },
      ...(firm ? [{ type: 'paragraph' as const, text: w.formalNoticeWarning() }] : []),
      w.signature(),
    ],
  };
}
