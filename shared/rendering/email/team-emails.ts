/**
 * Notifications to the creditor's credit team, in the team's language (French by default) and time zone, built to be
 * acted on from the inbox: the invoice at a glance, what happened, then the one call (or console page) that moves it
 * forward. API routes, JSON fields and values are typed, not read: they stay as the API spells them, in code style.
 */
import { isSuppressed, type InvoiceRecord, type InvoiceStatus } from '../../domain/invoice';
import { formatMoney, type Money } from '../../domain/money';
import { halfYearBounds, RATES_VERSION, type HalfYear } from '../../domain/rates';
import { disputeReasonLabel, formatDate, formatInstant, paymentMethodLabel, statusLabel } from '../labels';
import { fr, type French } from '../typography';
import { composeEmail, type Block } from './compose';
import type { RenderedEmail, TeamEmailContext, TeamEmailKind } from './kinds';

/** What a text needs to be written for the team: its language and the time zone its clocks show. */
export type TeamLocale = Pick<TeamEmailContext, 'language' | 'timeZone'>;
export type DigestSection = NonNullable<TeamEmailContext['digest']>[number];

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Routes, JSON fields and values: the same in both languages, marked so the eye tells them from prose. */
function code(text: string): string {
  return `\`${text}\``;
}

/** Invoice ids may contain `/`: the path segment must be encoded or the call hits another route. */
function invoicePath(invoice: InvoiceRecord | undefined, suffix = ''): string {
  return `/invoices/${invoice ? encodeURIComponent(invoice.invoiceId) : '{invoiceId}'}${suffix}`;
}

/** Everything one rendering needs, with the language and the time zone already chosen. */
class Writer {
  readonly french: boolean;
  constructor(
    readonly locale: TeamLocale,
    readonly invoice?: InvoiceRecord,
  ) {
    this.french = locale.language === 'fr';
  }

  t(french: French, english: string): string {
    return this.french ? french : english;
  }

  money(amount: Money): string {
    return formatMoney(amount, this.locale.language);
  }

  date(date: string): string {
    return formatDate(date, this.locale.language);
  }

  /** An instant on the team's clock; a bare calendar date (a payment's `paidAt` may be one) stays a date. */
  when(value: string): string {
    return CALENDAR_DATE.test(value) ? this.date(value) : formatInstant(value, this.locale.language, this.locale.timeZone);
  }

  status(status: InvoiceStatus): string {
    return statusLabel(status, this.locale.language);
  }

  get id(): string {
    return this.invoice?.invoiceId ?? this.t(fr`(sans facture)`, '(no invoice)');
  }

  get customer(): string {
    return this.invoice?.customer.name ?? this.t(fr`le client`, 'the customer');
  }

  get reason(): string | undefined {
    return this.invoice?.dispute ? disputeReasonLabel(this.invoice.dispute.reason, this.locale.language) : undefined;
  }

  heading(french: French, english: string): Block {
    return { type: 'heading', level: 2, text: this.t(french, english) };
  }

  whatToDo(...steps: Block[]): Block[] {
    return steps.length > 0 ? [this.heading(fr`À faire`, 'What to do'), ...steps] : [];
  }

  paragraph(french: French, english: string): Block {
    return { type: 'paragraph', text: this.t(french, english) };
  }
}

function summary(w: Writer, invoice: InvoiceRecord): Block {
  const rows: [string, string][] = [
    [w.t(fr`Facture`, 'Invoice'), invoice.invoiceId],
    [w.t(fr`Client`, 'Customer'), `${invoice.customer.name} (${invoice.customer.id})`],
    [w.t(fr`Reste à payer`, 'Amount outstanding'), w.money(invoice.outstanding)],
  ];
  if (invoice.outstanding.value !== invoice.amount.value) rows.push([w.t(fr`Montant de la facture`, 'Invoice amount'), w.money(invoice.amount)]);
  rows.push([w.t(fr`Échéance`, 'Due date'), w.date(invoice.dueDate)]);
  rows.push([w.t(fr`Statut`, 'Status'), w.status(invoice.status) + (invoice.partiallyPaid ? w.t(fr` (partiellement payée)`, ' (partially paid)') : '')]);
  if (invoice.promise) rows.push([w.t(fr`Promesse`, 'Promise'), promiseLine(w, invoice.promise)]);
  if (invoice.dispute) rows.push([w.t(fr`Litige`, 'Dispute'), disputeLine(w, invoice.dispute)]);
  rows.push([w.t(fr`Exécution Step Functions`, 'Step Functions execution'), invoice.executionName]);
  return { type: 'facts', rows };
}

function promiseLine(w: Writer, promise: NonNullable<InvoiceRecord['promise']>): string {
  const method = promise.method ? paymentMethodLabel(promise.method, w.locale.language) : undefined;
  return (
    w.date(promise.date) +
    (method ? w.t(fr` par ${method}`, ` by ${method}`) : '') +
    (promise.afterDueDate ? w.t(fr` (après l’échéance)`, ' (after the due date)') : '')
  );
}

function disputeLine(w: Writer, dispute: NonNullable<InvoiceRecord['dispute']>): string {
  const at = w.when(dispute.at);
  const status = dispute.status === 'open' ? w.t(fr`ouvert`, 'open') : w.t(fr`résolu`, 'resolved');
  return w.t(fr`${w.reason}, signalé le ${at} (${status})`, `${w.reason}, reported on ${at} (${status})`);
}

function contactLine(w: Writer, contact: InvoiceRecord['customer']['contacts'][number], suppressedEmails: string[]): string {
  const parts = [contact.role ? `${contact.name} (${contact.role})` : contact.name];
  parts.push(contact.phone ? w.t(fr`tél. ${contact.phone}`, `phone ${contact.phone}`) : w.t(fr`pas de téléphone connu`, 'no phone on file'));
  parts.push(isSuppressed({ suppressedEmails }, contact.email) ? `${contact.email} ${w.t(fr`(adresse rejetée, plus aucun e-mail)`, '(bounced, no more email)')}` : contact.email);
  return parts.join(' — ');
}

function contactsList(w: Writer): Block[] {
  const { invoice } = w;
  return invoice ? [{ type: 'list', items: invoice.customer.contacts.map((c) => contactLine(w, c, invoice.suppressedEmails)) }] : [];
}

/** The callers' fact keys are the timeline's: each gets a label the team reads; an unknown key shows as it is. */
const FACT_LABELS = new Map<string, [fr: French, en: string]>([
  ['execution', [fr`Exécution`, 'Execution']],
  ['error', [fr`Erreur`, 'Error']],
  ['address', [fr`Adresse`, 'Address']],
  ['event', [fr`Événement`, 'Event']],
  ['email', [fr`E-mail`, 'Email']],
  ['to', [fr`Destinataire`, 'To']],
  ['from', [fr`Expéditeur`, 'From']],
  ['contactName', [fr`Nom indiqué`, 'Name given']],
  ['contactEmail', [fr`E-mail indiqué`, 'Email given']],
]);

function factRows(w: Writer, facts: Record<string, string>): [string, string][] {
  return Object.entries(facts).map(([key, value]) => {
    const label = FACT_LABELS.get(key);
    return [label ? w.t(...label) : key, value];
  });
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

type Drafter = (w: Writer, ctx: TeamEmailContext) => Draft;

function resolveDispute(w: Writer): Block {
  const call = code(`POST ${invoicePath(w.invoice, '/dispute-resolution')}`);
  const [rejected, corrected, creditNote] = ['rejected', 'corrected_amount', 'credit_note'].map(code);
  return w.paragraph(
    fr`Réglez-le avec ${call} et un ${code('outcome')} : ${rejected} (la créance est maintenue, les relances reprennent), ${corrected} (avec ${code('correctedAmount')}) ou ${creditNote} (avoir : la facture est annulée).`,
    `Resolve it with ${call} and an ${code('outcome')}: ${rejected} (the claim stands, reminders resume), ${corrected} (with ${code('correctedAmount')}) or ${creditNote} (the invoice is cancelled).`,
  );
}

const dispute: Drafter = (w) => ({
  title: w.t(fr`Litige signalé`, 'Dispute reported'),
  lead: w.t(
    fr`${w.customer} signale un problème sur la facture ${w.id}${w.reason ? fr` : ${w.reason}` : ''}. Les relances sont suspendues jusqu’à la résolution du litige.`,
    `${w.customer} reported a problem with invoice ${w.id}${w.reason ? `: ${w.reason}` : ''}. Reminders are paused until the dispute is resolved.`,
  ),
  messageLabel: w.t(fr`Message du client :`, "Customer's message:"),
  action: w.whatToDo(resolveDispute(w)),
});

const disputeFollowUp: Drafter = (w) => {
  const reason = w.reason ? ` (${w.reason})` : '';
  const since = w.invoice?.dispute ? w.when(w.invoice.dispute.at) : undefined;
  return {
    title: w.t(fr`Litige toujours ouvert`, 'Dispute still open'),
    lead: w.t(
      fr`Le litige sur la facture ${w.id}${reason} ${since ? `est ouvert depuis le ${since}` : 'est toujours ouvert'}. Les relances restent suspendues jusqu’à sa résolution.`,
      `The dispute on invoice ${w.id}${reason} ${since ? `has been open since ${since}` : 'is still open'}. Reminders stay paused until it is resolved.`,
    ),
    messageLabel: w.t(fr`Message du client :`, "Customer's message:"),
    action: w.whatToDo(resolveDispute(w)),
  };
};

const question: Drafter = (w) => ({
  title: w.t(fr`Question d’un client`, 'Customer question'),
  lead: w.t(fr`${w.customer} pose une question sur la facture ${w.id}.`, `${w.customer} asked a question about invoice ${w.id}.`),
  messageLabel: w.t(fr`Question :`, 'Question:'),
  action: w.whatToDo(w.paragraph(fr`Répondez directement au client. Contacts connus :`, 'Answer the customer directly. Contacts on file:'), ...contactsList(w)),
});

/**
 * The customer holds other bank details for us than the ones our emails show: either its records are old, or someone
 * sent it "new" details, the usual supplier-impersonation fraud. Either way the team must call before any payment.
 */
const bankDetailsDiffer: Drafter = (w, { creditor }) => ({
  title: w.t(fr`Coordonnées bancaires différentes : risque de fraude`, 'Bank details differ: possible fraud'),
  lead: w.t(
    fr`${w.customer} indique, pour la facture ${w.id}, que nos coordonnées bancaires ne correspondent pas à celles qu’il a enregistrées pour nous. Ses fiches sont peut-être anciennes ; mais c’est aussi le signe habituel d’une fraude au faux fournisseur : quelqu’un a pu lui transmettre un autre IBAN en se faisant passer pour nous.`,
    `${w.customer} says, for invoice ${w.id}, that our bank details do not match the ones it holds for us. Its records may be out of date; but this is also the usual sign of supplier-impersonation fraud: someone may have sent it another IBAN posing as us.`,
  ),
  messageLabel: w.t(fr`Précisions du client :`, 'From the customer:'),
  action: w.whatToDo(
    w.paragraph(
      fr`Appelez le client aujourd’hui, à un numéro que vous connaissez déjà (jamais celui d’un e-mail reçu), et comparez l’IBAN qu’il a enregistré avec le nôtre, ${creditor.iban}. S’il a reçu une demande de changement de coordonnées, dites-lui de ne rien payer sur cet autre compte. Contacts connus :`,
      `Call the customer today, on a number you already know (never one from an email it received), and compare the IBAN it holds with ours, ${creditor.iban}. If it received a request to change our bank details, tell it to pay nothing into that other account. Contacts on file:`,
    ),
    ...contactsList(w),
  ),
});

const callTask: Drafter = (w) => {
  const call = code(`POST ${invoicePath(w.invoice, '/call-outcomes')}`);
  const [promised, disputed, noAnswer, wrongNumber, other] = ['promised', 'disputed', 'no_answer', 'wrong_number', 'other'].map(code);
  const [promisedDate, paymentMethod, note] = ['promisedDate', 'paymentMethod', 'note'].map(code);
  return {
    title: w.t(fr`Appel à passer`, 'Phone call to make'),
    lead: w.t(
      fr`La facture ${w.id} de ${w.customer} est en retard de paiement : appelez les contacts de la comptabilité fournisseurs du client.`,
      `Invoice ${w.id} of ${w.customer} is overdue: call the customer's accounts-payable contacts.`,
    ),
    messageLabel: w.t(fr`Note :`, 'Note:'),
    action: [
      w.heading(fr`Qui appeler`, 'Who to call'),
      ...contactsList(w),
      w.paragraph(
        fr`Puis enregistrez le résultat de l’appel avec ${call} et un ${code('outcome')} : ${promised} (avec ${promisedDate} et ${paymentMethod}), ${disputed}, ${noAnswer}, ${wrongNumber} ou ${other}, accompagné d’une ${note}.`,
        `Then record the outcome with ${call} and an ${code('outcome')}: ${promised} (with ${promisedDate} and ${paymentMethod}), ${disputed}, ${noAnswer}, ${wrongNumber} or ${other}, and a ${note}.`,
      ),
    ],
  };
};

/** The formal notice left by email; its letter must go by registered post, which only the team can do (or a provider). */
const registeredLetter: Drafter = (w, { letter }) => {
  const call = code(`POST ${invoicePath(w.invoice, '/formal-notice')}`);
  const [postedAt, trackingNumber, receivedAt] = ['postedAt', 'trackingNumber', 'receivedAt'].map(code);
  const file = code(letter?.filename ?? 'PDF');
  const address = w.invoice?.customer.address;
  const wait = letter?.waitDaysAfterPosting ?? 15;
  return {
    title: w.t(fr`Lettre recommandée à envoyer`, 'Registered letter to post'),
    lead: w.t(
      fr`La facture ${w.id} de ${w.customer} en est à la mise en demeure. Envoyez aujourd’hui la lettre jointe (${file}) en recommandé avec accusé de réception : c’est elle qui prouve la mise en demeure (l’historique de la facture dit si sa copie par e-mail a pu partir).`,
      `Invoice ${w.id} of ${w.customer} has reached the formal notice. Post the attached letter (${file}) today by registered mail with acknowledgment of receipt: it is what proves the notice (the invoice's timeline says whether its copy by email could leave).`,
    ),
    messageLabel: w.t(fr`Note :`, 'Note:'),
    action: w.whatToDo(
      w.heading(fr`Adresse du destinataire`, 'Recipient address'),
      address
        ? { type: 'paragraph', text: [w.customer, ...address.lines, `${address.postalCode} ${address.city}`, ...(address.country !== 'FR' ? [address.country] : [])].join('\n') }
        : w.paragraph(
            fr`Aucune adresse postale n’a été transmise pour ce client : prenez celle de son siège (extrait Kbis, annuaire des entreprises) avant l’envoi.`,
            'No postal address was given for this customer: use its registered office (company register) before posting.',
          ),
      w.paragraph(
        fr`Enregistrez le dépôt avec ${call}, ${postedAt} et ${trackingNumber} (le numéro du recommandé), puis l’accusé de réception avec ${receivedAt}, et joignez sa copie au dossier (${code(`POST ${invoicePath(w.invoice, '/documents')}`)}, ${code('registered_letter_receipt')}). La transmission au contentieux attend la fin du délai de 8 jours qui court à compter de la réception, ou, sans accusé de réception enregistré, ${wait} jours après le dépôt.`,
        `Record the posting with ${call}, ${postedAt} and ${trackingNumber} (the registered letter's number), then the acknowledgment of receipt with ${receivedAt}, and attach its scan to the file (${code(`POST ${invoicePath(w.invoice, '/documents')}`)}, ${code('registered_letter_receipt')}). The hand-off waits until the notice's 8 days from receipt have run, or, without a recorded receipt, ${wait} days after posting.`,
      ),
      w.paragraph(
        fr`Sans dépôt enregistré, la transmission au contentieux a lieu ${wait} jours après la mise en demeure par e-mail, et le dossier de preuves dit qu’aucune lettre recommandée n’a été enregistrée. Tant que la facture reste en relance, le point quotidien vous rappelle la lettre. La lettre chiffre la créance de ce jour : si un paiement, une promesse ou un litige survient avant l’envoi, ne l’envoyez pas telle quelle.`,
        `Without a recorded posting, the hand-off comes ${wait} days after the emailed notice, and the evidence file says that no registered letter was recorded. While the invoice stays on the ladder, the daily digest reminds you of the letter. The letter states the claim as of today: if a payment, a promise or a dispute comes before you post it, do not post it as it is.`,
      ),
    ),
  };
};

const handOff: Drafter = (w) => {
  const call = code(`GET ${invoicePath(w.invoice, '/evidence')}`);
  return {
    title: w.t(fr`Transmission au contentieux, dossier de preuves prêt`, 'Handed off: evidence file ready'),
    lead: w.t(
      fr`La facture ${w.id} est arrivée au bout des relances sans être payée : elle est transmise au recouvrement contentieux (agence de recouvrement ou injonction de payer).`,
      `Invoice ${w.id} reached the end of the reminder ladder unpaid and is handed off to collection or legal procedure (injonction de payer).`,
    ),
    messageLabel: w.t(fr`Note :`, 'Note:'),
    action: [
      w.heading(fr`Dossier de preuves`, 'Evidence file'),
      w.paragraph(
        fr`Le dossier de preuves (facture, relances envoyées et délivrées, réponses du client, historique) s’obtient avec ${call}. Transmettez-le, avec le contrat, le bon de commande et le bon de livraison, à l’agence de recouvrement ou au tribunal.`,
        `The evidence file (invoice, reminders sent and delivered, customer answers, timeline) is at ${call}. Send it with the contract, order and delivery note to the collection agency or the court.`,
      ),
    ],
  };
};

const needsAttention: Drafter = (w) => {
  const execution = w.invoice ? ` ${code(w.invoice.executionName)}` : '';
  const restart = code(`POST ${invoicePath(w.invoice, '/restart')}`);
  return {
    title: w.t(fr`Intervention requise`, 'Needs attention'),
    lead: w.t(
      fr`Le traitement de la facture ${w.id} a échoué malgré les nouvelles tentatives et s’est arrêté : il faut une intervention humaine.`,
      `Processing of invoice ${w.id} failed after retries and stopped: it needs a person.`,
    ),
    messageLabel: w.t(fr`Erreur :`, 'Error:'),
    action: w.whatToDo(
      w.paragraph(
        fr`Ouvrez l’exécution${execution} dans la console Step Functions, lisez l’étape en échec et corrigez la cause, puis redémarrez le traitement de la facture avec ${restart}.`,
        `Open execution${execution} in the Step Functions console, read the failed step, fix the cause, then restart the invoice with ${restart}.`,
      ),
    ),
  };
};

const emailUnconfirmed: Drafter = (w, ctx) => {
  const { email, to } = ctx.facts ?? {};
  const which = email ? ` ${code(email)}` : '';
  return {
    title: w.t(fr`Envoi d’e-mail non confirmé`, 'Email may not have left'),
    lead: w.t(
      fr`L’e-mail${which} de la facture ${w.id} à ${to ?? 'un contact'} était en cours d’envoi quand l’expéditeur s’est arrêté (plantage ou délai dépassé), avant la confirmation de SES. Il est peut-être parti, peut-être pas ; il n’est pas renvoyé automatiquement, pour que le client ne le reçoive jamais en double.`,
      `The${which} email of invoice ${w.id} to ${to ?? 'a contact'} was being sent when the sender stopped (a crash or a timeout) before SES confirmed it. It may or may not have left; it is not sent again on its own, so the customer never gets it twice.`,
    ),
    action: w.whatToDo(
      w.paragraph(
        fr`Vérifiez l’activité d’envoi SES pour cette adresse (ou demandez au client). S’il n’est pas arrivé, envoyez le message à la main. La suite de la procédure se déroule comme prévu.`,
        'Check the SES sending activity for that address (or ask the customer). If it did not arrive, send the message by hand. The rest of the procedure goes on as planned.',
      ),
    ),
  };
};

const PAYMENT_TITLES: Record<string, [fr: French, en: string]> = {
  after_hand_off: [fr`Paiement après transmission au contentieux`, 'Payment after hand-off'],
  after_cancellation: [fr`Paiement sur une facture annulée`, 'Payment on a cancelled invoice'],
  after_payment: [fr`Paiement sur une facture déjà payée`, 'Payment on a paid invoice'],
};

function paymentLead(w: Writer, payment: TeamEmailContext['payment']): string {
  const { invoice, id } = w;
  const paid = payment
    ? w.t(
        fr`Un paiement de ${w.money(payment.amount)} (référence ${payment.reference}, payé le ${w.when(payment.paidAt)})`,
        `${w.money(payment.amount)} (reference ${payment.reference}, paid on ${w.when(payment.paidAt)})`,
      )
    : w.t(fr`Un paiement`, 'A payment');
  if (payment?.receivedAfter === 'after_hand_off') {
    const on = invoice?.handedOffAt ? w.t(fr` le ${w.when(invoice.handedOffAt)}`, ` on ${w.when(invoice.handedOffAt)}`) : '';
    const owed = invoice
      ? w.t(fr`il reste ${w.money(invoice.outstanding)} à payer`, `${w.money(invoice.outstanding)} remains outstanding`)
      : w.t(fr`le reste à payer diminue`, 'the amount outstanding drops');
    return w.t(
      fr`${paid} est arrivé sur la facture ${id}, transmise au contentieux${on} : ${owed}, et la créance poursuivie doit baisser d’autant.`,
      `${paid} arrived on invoice ${id}, handed off to legal${on}: ${owed}, and the claim must drop accordingly.`,
    );
  }
  const state = invoice ? w.status(invoice.status) : w.t(fr`clôturée`, 'closed');
  const already = payment?.receivedAfter ? w.t(fr`, déjà ${state}`, `, which was already ${state}`) : '';
  return w.t(fr`${paid} est arrivé sur la facture ${id} de ${w.customer}${already}.`, `${paid} arrived on invoice ${id} of ${w.customer}${already}.`);
}

function paymentSteps(w: Writer, payment: TeamEmailContext['payment']): Block[] {
  const steps: Block[] = [];
  if (payment?.receivedAfter === 'after_hand_off') {
    steps.push(
      w.paragraph(
        fr`Prévenez sans attendre l’agence de recouvrement ou le tribunal : la créance poursuivie doit baisser de ce montant (ou être abandonnée s’il ne reste rien).`,
        'Tell the collection agency or the court at once: the claim they pursue must drop by this amount (or be withdrawn if nothing remains).',
      ),
    );
  }
  if (payment?.overpaid) {
    const over = w.money(payment.overpaid);
    const credit = w.invoice?.creditBalance ? w.money(w.invoice.creditBalance) : undefined;
    steps.push(
      w.paragraph(
        fr`Sur ce paiement, ${over} excèdent la somme due : un solde créditeur${credit ? fr` de ${credit} au total` : ''} est à restituer au client. Remboursez-le, ou convenez avec lui de la facture que ce solde vient régler.`,
        `${over} of it exceeds what was owed: a credit balance${credit ? ` of ${credit} in all` : ''} is due back to the customer. Refund it, or agree with the customer which invoice it settles.`,
      ),
    );
  }
  return steps;
}

const paymentReceived: Drafter = (w, { payment }) => ({
  title: w.t(...(PAYMENT_TITLES[payment?.receivedAfter ?? ''] ?? [fr`Trop-perçu`, 'Overpayment'])),
  lead: paymentLead(w, payment),
  action: w.whatToDo(...paymentSteps(w, payment)),
});

const contactBounced: Drafter = (w, ctx) => {
  const address = bouncedAddress(ctx);
  const invoice = w.invoice;
  const reachable = invoice?.customer.contacts.filter((c) => !isSuppressed(invoice, c.email)) ?? [];
  const patch = code(`PATCH ${invoicePath(invoice)}`);
  const contacts = code('contacts');
  return {
    title: w.t(fr`Adresse e-mail rejetée`, 'Contact address bounced'),
    lead: w.t(
      fr`Un e-mail à ${address ?? 'un contact'} pour la facture ${w.id} a été rejeté ou signalé comme spam : plus aucun e-mail ne part vers cette adresse.`,
      `Email to ${address ?? 'a contact'} for invoice ${w.id} bounced or was marked as spam: no more email goes to that address.`,
    ),
    messageLabel: w.t(fr`Détail du rejet :`, 'Bounce details:'),
    action: w.whatToDo(
      reachable.length === 0
        ? w.paragraph(
            fr`Plus aucun contact de ${w.customer} ne peut recevoir d’e-mail : les relances ne peuvent plus atteindre le client. Ajoutez une adresse valide avec ${patch} et une liste ${contacts} corrigée.`,
            `No contact of ${w.customer} can receive email any more: reminders cannot reach the customer. Add a working address with ${patch} and a corrected ${contacts} list.`,
          )
        : w.paragraph(
            fr`Corrigez l’adresse avec ${patch} et une liste ${contacts} corrigée. Contacts connus :`,
            `Fix the address with ${patch} and a corrected ${contacts} list. Contacts on file:`,
          ),
      ...contactsList(w),
    ),
  };
};

const dailyDigest: Drafter = (w, ctx) => {
  const sections = ctx.digest ?? [];
  return {
    title: w.t(fr`Synthèse du jour — ${ctx.creditor.name}`, `Daily digest — ${ctx.creditor.name}`),
    lead:
      sections.length === 0
        ? w.t(fr`Rien ne demande votre attention aujourd’hui.`, 'Nothing needs you today.')
        : w.t(fr`Voici ce qui demande votre attention aujourd’hui.`, 'Here is what needs you today.'),
    action: sections.flatMap((section): Block[] => [
      { type: 'heading', level: 2, text: section.title },
      section.lines.length > 0 ? { type: 'list', items: section.lines } : w.paragraph(fr`Rien.`, 'Nothing.'),
    ]),
  };
};

const DRAFTS: Record<TeamEmailKind, Drafter> = {
  dispute,
  dispute_follow_up: disputeFollowUp,
  question,
  call_task: callTask,
  bank_details: bankDetailsDiffer,
  registered_letter: registeredLetter,
  hand_off: handOff,
  needs_attention: needsAttention,
  email_unconfirmed: emailUnconfirmed,
  payment_received: paymentReceived,
  contact_bounced: contactBounced,
  daily_digest: dailyDigest,
};

/** The tag first, so that inbox rules can file every team email; then the title and the invoice at a glance. */
function subjectOf(w: Writer, title: string): string {
  const { invoice } = w;
  if (!invoice) return w.t(fr`[Relances] ${title}`, `[Dunning] ${title}`);
  const about = `${invoice.invoiceId} — ${invoice.customer.name} — ${w.money(invoice.outstanding)}`;
  return w.t(fr`[Relances] ${title} : ${about}`, `[Dunning] ${title}: ${about}`);
}

export function renderTeamEmail(kind: TeamEmailKind, ctx: TeamEmailContext): RenderedEmail {
  const drafter = Object.hasOwn(DRAFTS, kind) ? DRAFTS[kind] : undefined;
  if (!drafter) throw new Error(`Unknown team email kind: ${String(kind)}`);
  const { invoice } = ctx;
  const w = new Writer(ctx, invoice);
  const d = drafter(w, ctx);
  const facts = factRows(w, ctx.facts ?? {});
  const blocks: Block[] = [
    { type: 'heading', text: d.title },
    { type: 'paragraph', text: d.lead },
  ];
  if (invoice) blocks.push(summary(w, invoice));
  if (facts.length > 0) blocks.push({ type: 'facts', rows: facts });
  if (ctx.message) blocks.push({ type: 'quote', label: d.messageLabel, text: ctx.message });
  blocks.push(...d.action);
  return composeEmail({
    lang: ctx.language,
    subject: subjectOf(w, d.title),
    preheader: d.lead,
    blocks,
    footer: w.t(
      fr`Envoyé par le service de relance de ${ctx.creditor.name} à son équipe de recouvrement. Les heures sont celles du fuseau ${ctx.timeZone}.`,
      `Sent by the dunning service of ${ctx.creditor.name} to its credit team. Times are ${ctx.timeZone} time.`,
    ),
  });
}

/** The invoices the morning digest lists, in this order: what the team must act on first comes first. */
export const DIGEST_STATUSES = ['disputed', 'overdue', 'promised'] as const satisfies readonly InvoiceStatus[];

const DIGEST_TITLES: Record<(typeof DIGEST_STATUSES)[number], [fr: French, en: string]> = {
  disputed: [fr`Litiges ouverts : à résoudre`, 'Open disputes: resolve them'],
  overdue: [fr`En retard : relances en cours`, 'Overdue: on the escalation ladder'],
  promised: [fr`Promesses de paiement`, 'Payment promised'],
};

function digestLine(w: Writer, r: InvoiceRecord): string {
  const parts = [r.invoiceId, r.customer.name, w.money(r.outstanding), w.t(fr`échéance le ${w.date(r.dueDate)}`, `due ${w.date(r.dueDate)}`)];
  if (r.promise && r.status === 'promised') parts.push(w.t(fr`paiement promis pour le ${w.date(r.promise.date)}`, `promised for ${w.date(r.promise.date)}`));
  if (r.nextActionAt) parts.push(w.t(fr`prochaine étape le ${w.when(r.nextActionAt)}`, `next step ${w.when(r.nextActionAt)}`));
  return parts.join(' — ');
}

/** The letters of formal notices still to post: asked for, not recorded as posted. */
export function lettersDigestSection(records: InvoiceRecord[], locale: TeamLocale): DigestSection {
  const w = new Writer(locale);
  return {
    title: `${w.t(fr`Lettres recommandées à envoyer`, 'Registered letters to post')} (${records.length})`,
    lines: records.map((r) => {
      const asked = r.registeredLetter ? w.t(fr`mise en demeure du ${w.when(r.registeredLetter.requestedAt)}`, `formal notice of ${w.when(r.registeredLetter.requestedAt)}`) : '';
      return [r.invoiceId, r.customer.name, w.money(r.outstanding), asked, code(`POST ${invoicePath(r, '/formal-notice')}`)].join(' — ');
    }),
  };
}

/** One digest section: the invoices of a status, counted in the title. */
export function invoiceDigestSection(status: (typeof DIGEST_STATUSES)[number], records: InvoiceRecord[], locale: TeamLocale): DigestSection {
  const w = new Writer(locale);
  return { title: `${w.t(...DIGEST_TITLES[status])} (${records.length})`, lines: records.map((r) => digestLine(w, r)) };
}

/**
 * The section that asks the team to add a half-year missing from the legal rates table. Until they do, claims take
 * the latest known rates and say they are provisional: the table must catch up before a figure is relied on.
 */
export function ratesDigestSection(halfYear: HalfYear, locale: TeamLocale): DigestSection {
  const w = new Writer(locale);
  const [year, half] = halfYear.split('-H');
  const first = w.date(halfYearBounds(halfYear).first);
  const period = half === '1' ? w.t(fr`premier semestre ${year}`, `first half of ${year}`) : w.t(fr`second semestre ${year}`, `second half of ${year}`);
  const [table, file, version] = [code('RATES'), code('shared/domain/rates.ts'), code('RATES_VERSION')];
  return {
    title: w.t(fr`Taux légaux à mettre à jour : ${period}`, `Legal rates to update: ${period}`),
    lines: [
      w.t(
        fr`Ajoutez ${code(halfYear)} à la table ${table} de ${file} (et avancez ${version}) avec :`,
        `Add ${code(halfYear)} to the ${table} table in ${file} (and move ${version} to it) with:`,
      ),
      w.t(
        fr`${code('ecb')} : le taux des opérations principales de refinancement de la BCE en vigueur le ${first} ;`,
        `${code('ecb')}: the ECB main refinancing operations rate in force on ${first};`,
      ),
      w.t(
        fr`${code('legal.other')} et ${code('legal.consumer')} : les deux taux de l’intérêt légal du semestre, publiés par arrêté (« autres cas » et créanciers personnes physiques n’agissant pas pour des besoins professionnels).`,
        `${code('legal.other')} and ${code('legal.consumer')}: the half-year's two legal interest rates published by arrêté ("autres cas", and creditors who are natural persons not acting for professional purposes).`,
      ),
      w.t(
        fr`D’ici là, les pénalités de retard sont calculées avec les derniers taux connus (${code(RATES_VERSION)}) et signalées comme provisoires.`,
        `Until then, late-payment penalties are computed with the latest known rates (${code(RATES_VERSION)}) and marked provisional.`,
      ),
    ],
  };
}
