/**
 * The emails a customer's accounts-payable contacts receive, in French or English. Wording follows French B2B
 * practice: a courteous quality check before the due date, then reminders that grow firmer and state the legal
 * late-payment amounts (Code de commerce L441-10, D441-5), up to the formal notice (Code civil 1344).
 */
import type { Claim, ClaimPeriod, RateSource } from '../../domain/claim';
import { legalMentions } from '../../domain/creditor';
import { daysBetween } from '../../domain/dates';
import { formatMoney, type Money } from '../../domain/money';
import { disputeReasonLabel, formatDate, formatPercent, paymentMethodLabel } from '../labels';
import { debtorLines } from '../parties';
import { fr, type French } from '../typography';
import { composeEmail, type Block } from './compose';
import type { CustomerEmailContext, CustomerEmailKind, RenderedEmail } from './kinds';

type Language = CustomerEmailContext['language'];
/** The answers a customer gives on an answer page, each its own link: `?action=…`. */
export type AnswerAction = 'promise' | 'dispute' | 'question';
type Action = AnswerAction;

/** An answer page's address opened on one answer's form. */
export function actionUrl(answerUrl: string, action: Action): string {
  return `${answerUrl}${answerUrl.includes('?') ? '&' : '?'}action=${action}`;
}

/** The names of an invoice's facts, for the emails' tables, the letter's and the evidence file's. */
export function invoiceLabels(language: Language) {
  const t = (french: French, english: string) => (language === 'fr' ? french : english);
  return {
    invoiceNumber: t(fr`Facture n°`, 'Invoice number'),
    reference: t(fr`Référence`, 'Reference'),
    purchaseOrder: t(fr`Bon de commande`, 'Purchase order'),
    issueDate: t(fr`Date d'émission`, 'Issue date'),
    amount: t(fr`Montant de la facture`, 'Invoice amount'),
    outstanding: t(fr`Reste à payer`, 'Amount outstanding'),
    dueDate: t(fr`Date d'échéance`, 'Due date'),
  };
}

type InvoiceLabels = ReturnType<typeof invoiceLabels>;

/** What the words need; the answer page's address only matters to an email, whose buttons lead there. */
export type WordingContext = Omit<CustomerEmailContext, 'answerUrl'>;

/**
 * Everything one rendering needs, with the language already chosen. The formal-notice letter (rendering/letters)
 * writes with it too, so the letter and its email copy say the same things in the same words.
 */
export class Writer<C extends WordingContext = CustomerEmailContext> {
  readonly fr: boolean;
  constructor(readonly ctx: C) {
    this.fr = ctx.language === 'fr';
  }

  /** The sentence in the customer's language; the French one is typeset by `fr` (our words, never the data). */
  t(french: French, english: string): string {
    return this.fr ? french : english;
  }

  get kind(): NonNullable<CustomerEmailContext['invoice']['customer']['kind']> {
    return this.ctx.invoice.customer.kind ?? 'business';
  }

  money(amount: Money): string {
    return formatMoney(amount, this.ctx.language);
  }

  date(date: string): string {
    return formatDate(date, this.ctx.language);
  }

  days(n: number): string {
    return this.fr ? `${n} jour${n > 1 ? 's' : ''}` : `${n} day${n === 1 ? '' : 's'}`;
  }

  get invoiceId(): string {
    return this.ctx.invoice.invoiceId;
  }

  greeting(): Block {
    return { type: 'paragraph', text: this.t(fr`Bonjour ${this.ctx.contactName},`, `Dear ${this.ctx.contactName},`) };
  }

  get invoiceLabels(): InvoiceLabels {
    return invoiceLabels(this.ctx.language);
  }

  /** The invoice's identity and amounts; `owed` is what this email asks for. */
  invoiceFacts(owed: 'amount' | 'outstanding'): Block {
    const { invoice } = this.ctx;
    const reg = invoice.registration;
    const labels = this.invoiceLabels;
    const rows: [string, string][] = [[labels.invoiceNumber, invoice.invoiceId]];
    if (reg.reference) rows.push([labels.reference, reg.reference]);
    if (reg.purchaseOrder) rows.push([labels.purchaseOrder, reg.purchaseOrder]);
    rows.push([labels.issueDate, this.date(invoice.issueDate)]);
    rows.push([labels.amount, this.money(invoice.amount)]);
    // A partial payment already made is shown, so the customer sees why the amount asked differs from the invoice.
    if (owed === 'outstanding' || invoice.outstanding.value !== invoice.amount.value) {
      rows.push([labels.outstanding, this.money(invoice.outstanding)]);
    }
    rows.push([labels.dueDate, this.date(invoice.dueDate)]);
    if (reg.paymentMethod) {
      rows.push([this.t(fr`Moyen de paiement prévu`, 'Planned payment method'), paymentMethodLabel(reg.paymentMethod, this.ctx.language)]);
    }
    return { type: 'facts', rows };
  }

  /**
   * The billing system's online payment page, where there is one: the quickest way to pay, beside the bank details.
   * Only while what the email asks for is the invoice's own amount: the page was made for that amount, so after a
   * partial payment, a corrected amount or once penalties are claimed it would charge another sum than the email states.
   */
  paymentButton(): Block[] {
    const { invoice, claim } = this.ctx;
    const url = invoice.registration.paymentUrl;
    if (!url || invoice.outstanding.value !== invoice.amount.value || (claim && claim.total.value !== invoice.amount.value)) return [];
    return [{ type: 'buttons', buttons: [{ label: this.t(fr`Payer en ligne`, 'Pay online'), url }] }];
  }

  pdfLink(): Block[] {
    const url = this.ctx.invoice.registration.pdfUrl;
    return url ? [{ type: 'link', label: this.t(fr`Télécharger la facture ${this.invoiceId} (PDF)`, `Download invoice ${this.invoiceId} (PDF)`), url }] : [];
  }

  /** The contact's statement page, where one was made: every open invoice of the customer, answered on one page. */
  statementLink(): Block[] {
    const url = this.ctx.statementUrl;
    return url
      ? [{ type: 'link', label: this.t(fr`Voir toutes vos factures en cours et y répondre sur une seule page`, 'See all your open invoices and reply to them on one page'), url }]
      : [];
  }

  /**
   * Bank details with the standing warning: changed bank details sent by email are the classic supplier-impersonation
   * fraud, so the customer is told once and for all that ours never change that way. The payment reference is the
   * invoice's number; an email about several invoices gives each one's (`invoiceIds`).
   */
  bankDetails(invoiceIds: string[] = [this.invoiceId]): Block[] {
    const { creditor } = this.ctx;
    const rows: [string, string][] = [[this.t(fr`Titulaire du compte`, 'Account holder'), creditor.name]];
    if (creditor.bankName) rows.push([this.t(fr`Banque`, 'Bank'), creditor.bankName]);
    rows.push(['IBAN', creditor.iban], ['BIC', creditor.bic]);
    rows.push(
      invoiceIds.length === 1
        ? [this.t(fr`Référence à indiquer`, 'Payment reference'), invoiceIds[0]]
        : [this.t(fr`Références à indiquer (numéro de chaque facture réglée)`, 'Payment references (the number of each invoice paid)'), invoiceIds.join(', ')],
    );
    return [
      { type: 'paragraph', text: this.t(fr`Nos coordonnées bancaires :`, 'Our bank details:') },
      { type: 'facts', rows },
      {
        type: 'notice',
        tone: 'warning',
        text: this.t(
          fr`Nous ne vous communiquerons jamais de nouvelles coordonnées bancaires par e-mail. Si vous recevez un message vous demandant de payer sur un autre compte, ne payez pas et appelez-nous à un numéro que vous connaissez déjà.`,
          'We will never send you new bank details by email. If you receive a message asking you to pay into another account, do not pay, and call us on a number you already know.',
        ),
      },
    ];
  }

  answerLabel(action: Action): string {
    switch (action) {
      case 'promise':
        return this.t(fr`Confirmer la date de paiement`, 'Confirm the payment date');
      case 'dispute':
        return this.t(fr`Signaler un problème`, 'Report a problem');
      case 'question':
        return this.t(fr`Poser une question`, 'Ask a question');
    }
  }

  buttons(this: Writer<CustomerEmailContext>, ...actions: Action[]): Block {
    return {
      type: 'buttons',
      buttons: actions.map((action, i) => ({
        label: this.answerLabel(action),
        url: actionUrl(this.ctx.answerUrl, action),
        variant: i === 0 ? 'primary' : 'secondary',
      })),
    };
  }

  /** The answers as plain links, for an email listing several invoices where buttons under each would crowd it. */
  answerLinks(this: Writer<CustomerEmailContext>, ...actions: Action[]): Block[] {
    return actions.map((action) => ({ type: 'link', label: this.answerLabel(action), url: actionUrl(this.ctx.answerUrl, action) }));
  }

  /**
   * Signed by a named team with its phone, for the customer who would rather call. A formal letter (opened with
   * « Madame, Monsieur » / "Dear Sir or Madam") closes with the matching formula, not « Cordialement ».
   */
  signature(formal = false): Block {
    const { creditor } = this.ctx;
    const lines = [this.closing(formal), `${creditor.team.name}, ${creditor.name}`, this.teamPhone()];
    return { type: 'paragraph', text: lines.join('\n') };
  }

  closing(formal: boolean): string {
    return formal
      ? this.t(fr`Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.`, 'Yours faithfully,')
      : this.t(fr`Cordialement,`, 'Kind regards,');
  }

  teamPhone(): string {
    return `${this.t(fr`Tél.`, 'Phone')} ${this.ctx.creditor.team.phone}`;
  }

  /** Who sends the email, about which invoice (or `invoiceIds`, for an email about several), and how to answer. */
  footer(invoiceIds: string[] = [this.invoiceId]): string {
    const { creditor, invoice } = this.ctx;
    const reply = this.t(
      fr`Pour nous répondre, utilisez les liens ci-dessus ou répondez simplement à ce message : votre réponse parviendra directement à notre équipe.`,
      'To respond, use the links above or simply reply to this email: your reply will go straight to our team.',
    );
    const about = invoiceIds.length === 1
      ? this.t(
          fr`Ce message concerne la facture ${invoiceIds[0]} émise par ${creditor.name} à ${invoice.customer.name}.`,
          `This email concerns invoice ${invoiceIds[0]} issued by ${creditor.name} to ${invoice.customer.name}.`,
        )
      : this.t(
          fr`Ce message concerne les factures ${this.list(invoiceIds)} émises par ${creditor.name} à ${invoice.customer.name}.`,
          `This email concerns invoices ${this.list(invoiceIds)} issued by ${creditor.name} to ${invoice.customer.name}.`,
        );
    return `${about} ${reply}\n${legalMentions(creditor, this.ctx.language)}`;
  }

  /** "A, B et C" / "A, B and C". */
  list(items: string[]): string {
    return new Intl.ListFormat(this.fr ? 'fr-FR' : 'en-GB', { type: 'conjunction', style: 'long' }).format(items);
  }

  /** The number of days the invoice is late on the claim's day. */
  daysLate(claim: Claim): number {
    return Math.max(0, daysBetween(this.ctx.invoice.dueDate, claim.asOf));
  }

  /** Whether the claim carries penalties or an indemnity to state (none for a consumer before the formal notice, none once waived). */
  claimsExtras(claim: Claim): boolean {
    return claim.total.value > claim.principal.value || claim.indemnityApart !== undefined;
  }

  /** How the rate was set, in the words of its source: what the law or the contract says, never more. */
  rateWording(claim: Claim): string {
    const sources = new Set<RateSource>(claim.penalties.periods.map((p) => p.source));
    const agreed = this.ctx.invoice.registration.terms?.latePaymentRatePercent;
    const agreedRate = agreed === undefined ? '' : formatPercent(agreed, this.ctx.language);
    if (sources.has('contractual') && sources.has('legal_floor')) {
      return this.t(
        fr`au taux contractuel de ${agreedRate} l'an, porté à trois fois le taux de l'intérêt légal pour les semestres où ce plancher est plus élevé`,
        `at the agreed rate of ${agreedRate} a year, raised to three times the French legal interest rate in the half-years where that floor is higher`,
      );
    }
    if (sources.has('legal_floor')) {
      return this.t(
        fr`au taux de trois fois le taux de l'intérêt légal, le taux contractuel de ${agreedRate} l'an lui étant inférieur`,
        `at three times the French legal interest rate, the agreed rate of ${agreedRate} a year being below that floor`,
      );
    }
    if (sources.has('contractual')) return this.t(fr`au taux contractuel de ${agreedRate} l'an`, `at the agreed rate of ${agreedRate} a year`);
    return this.t(
      fr`au taux de refinancement de la Banque centrale européenne en vigueur au 1er janvier pour le premier semestre et au 1er juillet pour le second, majoré de 10 points`,
      'at the European Central Bank main refinancing rate in force on 1 January for the first half-year and on 1 July for the second, plus 10 percentage points',
    );
  }

  /**
   * What the law gives, for this kind of customer, in its own terms: L441-10 penalties and the indemnity between
   * businesses, moratorium interest for a public body, and for a consumer only legal interest from the formal notice.
   */
  claimStatement(claim: Claim): string | undefined {
    if (!this.claimsExtras(claim)) return undefined;
    const indemnity = this.money(claim.indemnity);
    switch (this.kind) {
      case 'business':
        return this.t(
          fr`Conformément à l'article L441-10 du Code de commerce, des pénalités de retard sont dues de plein droit, sans qu'un rappel soit nécessaire, à compter du lendemain de la date d'échéance, ${this.rateWording(claim)}. S'y ajoute une indemnité forfaitaire pour frais de recouvrement de ${indemnity} (article D441-5 du Code de commerce) ; une indemnisation complémentaire peut être demandée, sur justificatifs, lorsque les frais de recouvrement exposés dépassent ce montant.`,
          `Under article L441-10 of the French Commercial Code, late-payment penalties are due by law, without any reminder being needed, from the day after the due date, ${this.rateWording(claim)}. A fixed indemnity of ${indemnity} for recovery costs is also due (article D441-5 of the French Commercial Code); further compensation may be claimed, on proof, where the recovery costs incurred exceed that amount.`,
        );
      case 'public': {
        const rate = claim.penalties.periods[0] ? formatPercent(claim.penalties.periods[0].ratePercent, this.ctx.language) : undefined;
        const at = rate ? this.t(fr`, soit ${rate} l'an`, `, that is ${rate} a year`) : '';
        return this.t(
          fr`Conformément aux articles L2192-13 et R2192-31 du Code de la commande publique, le retard de paiement fait courir de plein droit des intérêts moratoires au taux de refinancement de la Banque centrale européenne en vigueur au premier jour du semestre au cours duquel ils ont commencé à courir, majoré de 8 points${at}, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de ${indemnity}.`,
          `Under articles L2192-13 and R2192-31 of the French Public Procurement Code, late payment gives rise by law to late-payment interest at the European Central Bank main refinancing rate in force on the first day of the half-year in which it started to run, plus 8 percentage points${at}, and to a fixed indemnity of ${indemnity} for recovery costs.`,
        );
      }
      case 'consumer':
        return claim.penalties.periods.length
          ? this.t(
              fr`Depuis notre mise en demeure, la somme due porte intérêts au taux de l'intérêt légal (articles 1231-6 et 1344-1 du Code civil).`,
              'Since our formal notice, the sum due bears interest at the French legal interest rate (articles 1231-6 and 1344-1 of the French Civil Code).',
            )
          : undefined;
    }
  }

  periodLabel(period: ClaimPeriod): string {
    const rate = formatPercent(period.ratePercent, this.ctx.language);
    const span = `${this.date(period.from)} – ${this.date(period.to)}`;
    const what = this.kind === 'consumer'
      ? this.t(fr`Intérêts au taux légal`, 'Legal interest')
      : this.kind === 'public' ? this.t(fr`Intérêts moratoires`, 'Late-payment interest') : this.t(fr`Pénalités de retard`, 'Late-payment penalties');
    return this.t(
      fr`${what}, ${span} (${this.days(period.days)} à ${rate} l'an sur ${this.money(period.base)}${period.provisional ? ', taux provisoire' : ''})`,
      `${what}, ${span} (${this.days(period.days)} at ${rate} a year on ${this.money(period.base)}${period.provisional ? ', provisional rate' : ''})`,
    );
  }

  /** The claim broken down: principal, each period of interest, the indemnity, what was paid towards them, the total. */
  claimFacts(claim: Claim): Block[] {
    return [this.claimTable(claim), ...this.provisionalRateNote(claim)];
  }

  /** `claimFacts` without the note on a provisional rate (an email stating several claims says it once). */
  claimTable(claim: Claim): Block {
    const rows: [string, string][] = [[this.t(fr`Principal restant dû`, 'Principal outstanding'), this.money(claim.principal)]];
    for (const period of claim.penalties.periods) rows.push([this.periodLabel(period), this.money(period.amount)]);
    if (claim.indemnity.value > 0) rows.push([this.t(fr`Indemnité forfaitaire pour frais de recouvrement`, 'Fixed indemnity for recovery costs'), this.money(claim.indemnity)]);
    if (claim.penaltiesPaid) rows.push([this.t(fr`Déjà réglé au titre des pénalités`, 'Already paid towards the penalties'), `− ${this.money(claim.penaltiesPaid)}`]);
    if (claim.waived && claim.waived.amount.value > 0) {
      const upTo = this.date(claim.waived.upTo);
      rows.push([this.t(fr`Pénalités et indemnité abandonnées au ${upTo}`, `Penalties and indemnity waived as at ${upTo}`), `− ${this.money(claim.waived.amount)}`]);
    }
    rows.push([
      claim.indemnityApart
        ? this.t(fr`Total dû au ${this.date(claim.asOf)}, hors indemnité forfaitaire`, `Total due as at ${this.date(claim.asOf)}, excluding the fixed indemnity`)
        : this.t(fr`Total dû au ${this.date(claim.asOf)}`, `Total due as at ${this.date(claim.asOf)}`),
      this.money(claim.total),
    ]);
    return { type: 'facts', rows };
  }

  /** What a provisional rate means, when the claim uses one. */
  provisionalRateNote(claim: Claim): Block[] {
    return claim.penalties.provisional
      ? [{
          type: 'paragraph',
          text: this.t(
            fr`Taux provisoire : dernier taux publié dont nous avons connaissance pour le semestre en cours ; le montant sera ajusté si le taux applicable est différent.`,
            'Provisional rate: the latest published rate known to us for the current half-year; the amount will be adjusted if the applicable rate differs.',
          ),
        }]
      : [];
  }

  /** For the reminders a payment may cross in the post. */
  alreadyPaid(): string {
    return this.t(
      fr`Si vous avez procédé au règlement entre-temps, nous vous prions de ne pas tenir compte de ce message.`,
      'If you have paid in the meantime, please disregard this message.',
    );
  }

  /** How the penalty reminder closes: what follows if nothing comes. */
  formalNoticeWarning(): string {
    return this.t(
      fr`À défaut de règlement ou de réponse de votre part, nous nous verrons contraints de vous adresser une mise en demeure.`,
      'Failing payment or a reply from you, we will have to send you a formal notice to pay.',
    );
  }

  /**
   * What a firm reminder's subject adds when it claims more than the principal (`extras`), in the law's words for this
   * kind of customer: L441-10 penalties for a business, moratorium interest for a public body, nothing for a consumer.
   */
  claimSubjectTail(extras: boolean): string {
    if (!extras || this.kind === 'consumer') return '';
    return this.kind === 'public' ? this.t(fr`, intérêts moratoires`, ', late-payment interest') : this.t(fr`, pénalités de retard`, ', late-payment penalties');
  }

  requireClaim(kind: CustomerEmailKind): Claim {
    if (!this.ctx.claim) throw new Error(`The ${kind} states what is claimed: ctx.claim is required`);
    return this.ctx.claim;
  }
}

interface Draft {
  subject: string;
  preheader: string;
  blocks: Block[];
}

type Template = (w: Writer) => Draft;

/**
 * What one kind of customer email says. `letter` lays every kind out in the same order, so a template states only its
 * own words and facts: greeting (or `salutation`), `opening`, the invoice's facts, `body`, the answer buttons,
 * `afterAnswers`, the PDF link, our bank details, `closing`, the signature.
 */
interface Letter {
  subject: string;
  /** The line inbox lists show after the subject; the first paragraph when absent. */
  preheader?: string;
  /** Replaces the greeting (the formal notice's title and addressee). */
  salutation?: Block[];
  /** The paragraphs before the invoice's facts; strings are paragraphs. */
  opening: (string | Block)[];
  /** Which amount the facts table asks for. */
  owed: 'amount' | 'outstanding';
  body?: (string | Block)[];
  answers: Action[];
  afterAnswers?: Block[];
  /** Our bank details with the fraud warning; left out where no payment is asked (an open dispute). */
  bankDetails?: boolean;
  closing?: (string | Block)[];
}

const blocks = (items: (string | Block)[] = []): Block[] =>
  items.map((item) => (typeof item === 'string' ? { type: 'paragraph', text: item } : item));

function letter(w: Writer, l: Letter): Draft {
  const opening = blocks(l.opening);
  const first = opening.find((b): b is Extract<Block, { text: string }> => b.type === 'paragraph');
  return {
    subject: l.subject,
    preheader: l.preheader ?? first?.text ?? l.subject,
    blocks: [
      ...(l.salutation ?? [w.greeting()]),
      ...opening,
      w.invoiceFacts(l.owed),
      ...blocks(l.body),
      w.buttons(...l.answers),
      ...(l.afterAnswers ?? []),
      ...w.pdfLink(),
      ...w.statementLink(),
      ...(l.bankDetails === false ? [] : [...w.paymentButton(), ...w.bankDetails()]),
      ...blocks(l.closing),
      w.signature(l.salutation !== undefined),
    ],
  };
}

/**
 * The pre-reminder's questions, a list under « Pourriez-vous nous confirmer : ». `paymentOn` completes « compter sur un
 * règlement … » / "count on payment …": « le 31 mars 2027 » / "on 31 March 2027", or the due dates of several invoices.
 */
export function preReminderChecks(w: Writer<WordingContext>, paymentOn: string): Block {
  return {
    type: 'list',
    items: [
      w.t(
        fr`que vous avez bien reçu la marchandise ou la prestation, ainsi que la facture ;`,
        'that you have received the goods or service, and the invoice;',
      ),
      w.t(
        fr`qu'il ne manque aucun document (bon de commande, bon de livraison) ;`,
        'that no document is missing (purchase order, delivery note);',
      ),
      w.t(
        fr`que les validations internes ont bien été obtenues, et qui est la personne à contacter au service comptabilité fournisseurs ;`,
        'that internal approvals have been obtained, and who we should contact in accounts payable;',
      ),
      w.t(
        fr`que nous pouvons compter sur un règlement ${paymentOn}, et par quel moyen de paiement (virement, prélèvement, carte bancaire, chèque, lettre de change relevé / LCR) ;`,
        `that we can count on payment ${paymentOn}, and by which payment method (bank transfer, direct debit, card, cheque, bill of exchange / LCR);`,
      ),
      w.t(
        fr`que nos coordonnées bancaires ci-dessous correspondent à celles que vous avez enregistrées pour nous.`,
        'that our bank details below match the ones you hold for us.',
      ),
    ],
  };
}

const preReminder: Template = (w) => {
  const { invoice, creditor } = w.ctx;
  const due = w.date(invoice.dueDate);
  return letter(w, {
    subject: w.t(fr`Facture ${invoice.invoiceId} de ${creditor.name} : tout est-il en ordre ?`, `Invoice ${invoice.invoiceId} from ${creditor.name}: is everything in order?`),
    preheader: w.t(
      fr`Un point rapide avant l'échéance du ${due} : une réponse en un clic suffit.`,
      `A quick check before the due date of ${due}: you can reply in one click.`,
    ),
    opening: [
      w.t(
        fr`La facture ${invoice.invoiceId}, d'un montant de ${w.money(invoice.amount)}, arrive à échéance le ${due}. Dans le cadre de notre suivi qualité, nous souhaitons simplement nous assurer, avant cette date, que tout est en ordre de votre côté.`,
        `Invoice ${invoice.invoiceId} for ${w.money(invoice.amount)} falls due on ${due}. As part of our routine quality check, we would simply like to make sure before that date that everything is in order at your end.`,
      ),
    ],
    owed: 'amount',
    body: [
      w.t(fr`Pourriez-vous nous confirmer :`, 'Could you please confirm:'),
      preReminderChecks(w, w.t(fr`le ${due}`, `on ${due}`)),
    ],
    answers: ['promise', 'dispute', 'question'],
    afterAnswers: blocks([
      w.t(
        fr`Si un point pose problème, signalez-le-nous dès maintenant : nous pourrons le corriger avant l'échéance.`,
        'If anything is amiss, please tell us now: we can put it right before the due date.',
      ),
    ]),
  });
};

/** A commitment after the due date is taken; what the law adds to a late payment is said once, per kind of customer. */
function lateCommitmentNotice(w: Writer): string {
  const after = w.t(
    fr`Cette date est postérieure à l'échéance du ${w.date(w.ctx.invoice.dueDate)}. Votre engagement est bien enregistré`,
    `This date is after the due date of ${w.date(w.ctx.invoice.dueDate)}. Your commitment has been recorded`,
  );
  switch (w.kind) {
    case 'business':
      return `${after}${w.t(fr` ; nous vous rappelons simplement que, selon la loi, des pénalités de retard courent à compter du lendemain de l'échéance (article L441-10 du Code de commerce).`, '; we would simply point out that, by law, late-payment penalties accrue from the day after the due date (article L441-10 of the French Commercial Code).')}`;
    case 'public':
      return `${after}${w.t(fr` ; nous vous rappelons simplement que des intérêts moratoires courent de plein droit à compter du lendemain de l'échéance (article L2192-13 du Code de la commande publique).`, '; we would simply point out that late-payment interest accrues by law from the day after the due date (article L2192-13 of the French Public Procurement Code).')}`;
    case 'consumer':
      return `${after}.`;
  }
}

const promiseAcknowledgement: Template = (w) => {
  const { invoice } = w.ctx;
  const promise = invoice.promise;
  const date = promise ? w.date(promise.date) : undefined;
  const method = promise?.method ? paymentMethodLabel(promise.method, w.ctx.language) : undefined;
  const commitment = date
    ? w.t(
        fr`Nous avons bien noté votre engagement de régler la facture ${invoice.invoiceId} (${w.money(invoice.outstanding)}) le ${date}${method ? ` par ${method}` : ''}.`,
        `We have recorded your commitment to pay invoice ${invoice.invoiceId} (${w.money(invoice.outstanding)}) on ${date}${method ? ` by ${method}` : ''}.`,
      )
    : w.t(
        fr`Nous avons bien noté votre engagement de régler la facture ${invoice.invoiceId} (${w.money(invoice.outstanding)}).`,
        `We have recorded your commitment to pay invoice ${invoice.invoiceId} (${w.money(invoice.outstanding)}).`,
      );
  const afterDueDate: Block[] = promise?.afterDueDate
    ? [{ type: 'notice', tone: 'info', text: lateCommitmentNotice(w) }]
    : [];
  return letter(w, {
    subject: date
      ? w.t(fr`Merci : paiement de la facture ${invoice.invoiceId} prévu le ${date}`, `Thank you: payment of invoice ${invoice.invoiceId} planned for ${date}`)
      : w.t(fr`Merci : votre engagement de paiement pour la facture ${invoice.invoiceId}`, `Thank you: your payment commitment for invoice ${invoice.invoiceId}`),
    preheader: commitment,
    opening: [`${w.t(fr`Nous vous remercions de votre réponse.`, 'Thank you for your reply.')} ${commitment}`],
    owed: 'outstanding',
    body: [
      ...afterDueDate,
      w.t(
        fr`Nous ne vous relancerons pas d'ici là. En cas d'imprévu, merci de nous en informer :`,
        'We will not send you any reminder before then. Should anything change, please let us know:',
      ),
    ],
    answers: ['dispute', 'question'],
  });
};

const disputeAcknowledgement: Template = (w) => {
  const { invoice } = w.ctx;
  const dispute = invoice.dispute;
  const reason = dispute ? disputeReasonLabel(dispute.reason, w.ctx.language) : undefined;
  const received = w.t(
    fr`Nous avons bien reçu votre signalement concernant la facture ${invoice.invoiceId}${reason ? fr` : ${reason}` : ''}.`,
    `We have received your report about invoice ${invoice.invoiceId}${reason ? `: ${reason}` : ''}.`,
  );
  return letter(w, {
    subject: w.t(fr`Facture ${invoice.invoiceId} : nous avons bien reçu votre signalement`, `Invoice ${invoice.invoiceId}: we have received your report`),
    preheader: received,
    opening: [
      `${w.t(fr`Nous vous remercions de nous avoir informés.`, 'Thank you for letting us know.')} ${received}`,
      ...(dispute?.message ? [{ type: 'quote' as const, label: w.t(fr`Votre message :`, 'Your message:'), text: dispute.message }] : []),
    ],
    owed: 'outstanding',
    body: [
      w.t(
        fr`Notre équipe examine la situation et vous recontactera rapidement. En attendant, nous suspendons les relances pour cette facture.`,
        'Our team is looking into it and will get back to you shortly. In the meantime, reminders for this invoice are paused.',
      ),
      w.t(fr`Vous souhaitez ajouter un document ou une précision ?`, 'Anything to add, such as a document or further details?'),
    ],
    answers: ['question'],
    bankDetails: false,
  });
};

/**
 * How the team decided on the customer's report: the claim stands (rejected), or the amount was corrected. Either way
 * the customer learns what is now owed and by when; the team's internal note is not quoted.
 */
const disputeOutcome: Template = (w) => {
  const { invoice } = w.ctx;
  const dispute = invoice.dispute;
  const reported = dispute ? w.date(dispute.at.slice(0, 10)) : undefined;
  const reason = dispute ? disputeReasonLabel(dispute.reason, w.ctx.language) : undefined;
  const about = reported
    ? w.t(fr`Vous nous avez signalé le ${reported} un problème concernant la facture ${invoice.invoiceId}${reason ? ` (${reason})` : ''}.`, `On ${reported} you reported a problem with invoice ${invoice.invoiceId}${reason ? ` (${reason})` : ''}.`)
    : w.t(fr`Vous nous avez signalé un problème concernant la facture ${invoice.invoiceId}.`, `You reported a problem with invoice ${invoice.invoiceId}.`);
  const corrected = dispute?.outcome === 'corrected_amount';
  const original = invoice.registration.amount;
  const outcome = corrected
    ? w.t(
        fr`Après vérification, nous avons corrigé son montant : il s'élève désormais à ${w.money(invoice.amount)} au lieu de ${w.money(original)}. Merci de nous l'avoir signalé.`,
        `After review, we have corrected its amount: it is now ${w.money(invoice.amount)} instead of ${w.money(original)}. Thank you for pointing it out.`,
      )
    : w.t(
        fr`Après vérification, nous maintenons la facture telle qu'elle a été émise : son montant reste dû.`,
        'After review, we confirm that the invoice stands as issued: its amount remains due.',
      );
  // The caller gives the claim once the due date has passed.
  const overdue = w.ctx.claim !== undefined;
  const pay = overdue
    ? w.t(fr`L'échéance du ${w.date(invoice.dueDate)} étant passée, nous vous remercions de régler ${w.money(invoice.outstanding)} dans les meilleurs délais.`, `As the due date of ${w.date(invoice.dueDate)} has passed, please pay the ${w.money(invoice.outstanding)} outstanding as soon as possible.`)
    : w.t(fr`Nous vous remercions de régler ${w.money(invoice.outstanding)} à l'échéance du ${w.date(invoice.dueDate)}.`, `Please pay the ${w.money(invoice.outstanding)} outstanding by the due date of ${w.date(invoice.dueDate)}.`);
  return letter(w, {
    subject: corrected
      ? w.t(fr`Facture ${invoice.invoiceId} : montant corrigé`, `Invoice ${invoice.invoiceId}: amount corrected`)
      : w.t(fr`Facture ${invoice.invoiceId} : suite donnée à votre signalement`, `Invoice ${invoice.invoiceId}: our answer to your report`),
    opening: [`${about} ${outcome}`],
    owed: 'outstanding',
    body: [pay, w.t(fr`Une date de paiement à nous confirmer, ou une question :`, 'A payment date to confirm, or a question:')],
    answers: ['promise', 'question'],
  });
};

/** A sentence going on after a colon: in lower case, as French (and British) usage wants. */
export function afterColon(sentence: string): string {
  return `${sentence.charAt(0).toLocaleLowerCase()}${sentence.slice(1)}`;
}

/**
 * What is claimed today, in the early overdue emails: a short breakdown under a courteous "for your information",
 * and nothing when nothing beyond the principal is due (a consumer before the formal notice, a waiver).
 */
function claimNotice(w: Writer): Block[] {
  const claim = w.ctx.claim;
  if (!claim || w.daysLate(claim) <= 0 || !w.claimsExtras(claim)) return [];
  const statement = w.claimStatement(claim);
  return [
    ...(statement ? [{ type: 'notice' as const, tone: 'info' as const, text: `${w.t(fr`Pour information :`, 'For your information:')} ${afterColon(statement)}` }] : []),
    ...w.claimFacts(claim),
  ];
}

const promiseBroken: Template = (w) => {
  const { invoice } = w.ctx;
  const date = invoice.promise ? w.date(invoice.promise.date) : undefined;
  const opening = date
    ? w.t(
        fr`Vous nous aviez indiqué un règlement de la facture ${invoice.invoiceId} pour le ${date}. Sauf erreur de notre part, ce paiement ne nous est pas parvenu à ce jour.`,
        `You informed us that invoice ${invoice.invoiceId} would be paid by ${date}. Unless we are mistaken, we have not received this payment to date.`,
      )
    : w.t(
        fr`Vous nous aviez annoncé le règlement de la facture ${invoice.invoiceId}. Sauf erreur de notre part, ce paiement ne nous est pas parvenu à ce jour.`,
        `You informed us that invoice ${invoice.invoiceId} would be paid. Unless we are mistaken, we have not received this payment to date.`,
      );
  return letter(w, {
    subject: date
      ? w.t(fr`Facture ${invoice.invoiceId} : paiement prévu le ${date} non reçu`, `Invoice ${invoice.invoiceId}: payment promised for ${date} not received`)
      : w.t(fr`Facture ${invoice.invoiceId} : paiement annoncé non reçu`, `Invoice ${invoice.invoiceId}: promised payment not received`),
    opening: [opening],
    owed: 'outstanding',
    body: [
      w.t(
        fr`Nous vous remercions de procéder sans tarder au règlement de ${w.money(invoice.outstanding)} ou, à défaut, de nous indiquer ce qui l'empêche. Vous pouvez nous communiquer une nouvelle date ou nous signaler un problème à l'aide des liens ci-dessous.`,
        `Please settle the ${w.money(invoice.outstanding)} outstanding without delay or, failing that, tell us what is preventing payment. You can give us a new date or report a problem using the links below.`,
      ),
    ],
    answers: ['promise', 'dispute', 'question'],
    afterAnswers: claimNotice(w),
    closing: [w.alreadyPaid()],
  });
};

const reminder: Template = (w) => {
  const { invoice, claim } = w.ctx;
  const due = w.date(invoice.dueDate);
  const daysLate = claim ? w.daysLate(claim) : 0;
  const late = daysLate > 0 ? w.t(fr`, soit ${w.days(daysLate)} de retard`, `, ${w.days(daysLate)} ago`) : '';
  // After a broken promise, an "oversight" would ring false: the customer knew the date, having named it.
  const oversight = invoice.promise?.brokenAt ? '' : w.t(fr` Il peut s'agir d'un simple oubli.`, ' It may simply be an oversight.');
  return letter(w, {
    subject: w.t(fr`Rappel : facture ${invoice.invoiceId} échue le ${due}`, `Reminder: invoice ${invoice.invoiceId} was due on ${due}`),
    opening: [
      w.t(
        fr`Sauf erreur ou omission de notre part, le règlement de la facture ${invoice.invoiceId}, échue le ${due}${late}, ne nous est pas encore parvenu.${oversight}`,
        `Unless we are mistaken, we have not yet received payment of invoice ${invoice.invoiceId}, which fell due on ${due}${late}.${oversight}`,
      ),
    ],
    owed: 'outstanding',
    body: [
      w.t(
        fr`Nous vous remercions de bien vouloir procéder au règlement de ${w.money(invoice.outstanding)}, ou de nous indiquer la date à laquelle il interviendra. Si un problème empêche le paiement, signalez-le-nous : nous ferons le nécessaire pour le résoudre rapidement.`,
        `We would be grateful if you could settle the ${w.money(invoice.outstanding)} outstanding, or let us know when payment will be made. If a problem is holding up payment, please tell us and we will do what is needed to resolve it quickly.`,
      ),
    ],
    answers: ['promise', 'dispute', 'question'],
    afterAnswers: claimNotice(w),
    closing: [w.alreadyPaid()],
  });
};

const penaltyReminder: Template = (w) => {
  const { invoice } = w.ctx;
  const claim = w.requireClaim('penalty_reminder');
  const due = w.date(invoice.dueDate);
  const extras = w.claimsExtras(claim);
  const statement = extras ? w.claimStatement(claim) : undefined;
  // A public body owes moratorium interest, not L441-10 penalties: the subject names what the letter claims.
  const subjectTail = w.claimSubjectTail(extras);
  return letter(w, {
    subject: w.t(
      fr`Deuxième rappel : facture ${invoice.invoiceId} impayée${subjectTail}`,
      `Second reminder: invoice ${invoice.invoiceId} unpaid${subjectTail}`,
    ),
    opening: [
      w.t(
        fr`Malgré notre précédent rappel, la facture ${invoice.invoiceId}, échue le ${due}, demeure impayée à ce jour, soit ${w.days(w.daysLate(claim))} de retard. Le principal restant dû s'élève à ${w.money(claim.principal)}.`,
        `Despite our previous reminder, invoice ${invoice.invoiceId}, which fell due on ${due}, remains unpaid and is now ${w.days(w.daysLate(claim))} overdue. The principal amount outstanding is ${w.money(claim.principal)}.`,
      ),
    ],
    owed: 'outstanding',
    body: [
      ...(statement ? [{ type: 'notice' as const, tone: 'warning' as const, text: statement }] : []),
      ...(extras ? w.claimFacts(claim) : []),
      w.t(
        fr`Nous vous demandons de régler ${extras ? `la somme de ${w.money(claim.total)}` : w.money(claim.total)} sans délai, ou de nous indiquer immédiatement la date de votre paiement ou le problème qui l'empêche.`,
        `We must ask you to pay ${extras ? `the sum of ${w.money(claim.total)}` : w.money(claim.total)} without delay, or to let us know immediately when you will pay or what is preventing payment.`,
      ),
    ],
    answers: ['promise', 'dispute', 'question'],
    closing: [w.formalNoticeWarning()],
  });
};

/** What the formal notice says, the email and the letter alike (Code civil 1344): see `formalNoticeWording`. */
export interface FormalNoticeWording {
  /** « Objet : mise en demeure de payer la facture … ». */
  subjectLine: string;
  /** « À l'attention de … ». */
  attention: string;
  salutation: string;
  /** The invoice unpaid and its principal, before the invoice's facts. */
  opening: string;
  /**
   * After the invoice's facts: what the law adds for this kind of customer and the claim broken down, the notice to
   * pay within 8 days of receipt, for a consumer the interest it starts, what follows failing payment, and what to do
   * if paid or disputed.
   */
  body: Block[];
}

export function formalNoticeWording(w: Writer<WordingContext>): FormalNoticeWording {
  const { invoice } = w.ctx;
  const claim = w.requireClaim('formal_notice');
  const due = w.date(invoice.dueDate);
  const statement = w.claimStatement(claim);
  // A consumer owes legal interest only from this notice on: the notice itself says so, it is what starts it.
  const consumerInterest = w.kind === 'consumer'
    ? [w.t(
        fr`La présente mise en demeure fait courir, à compter de sa date, des intérêts au taux de l'intérêt légal sur la somme restant due (articles 1231-6 et 1344-1 du Code civil).`,
        'From the date of this formal notice, interest at the French legal interest rate runs on the sum outstanding (articles 1231-6 and 1344-1 of the French Civil Code).',
      )]
    : [];
  const paragraphs = (texts: string[]): Block[] => texts.map((text) => ({ type: 'paragraph', text }));
  return {
    subjectLine: w.t(fr`Objet : mise en demeure de payer la facture ${invoice.invoiceId}`, `Subject: formal notice to pay invoice ${invoice.invoiceId}`),
    attention: w.t(fr`À l'attention de ${w.ctx.contactName}`, `For the attention of ${w.ctx.contactName}`),
    salutation: w.t(fr`Madame, Monsieur,`, 'Dear Sir or Madam,'),
    opening: w.t(
      fr`Malgré nos précédentes relances, la facture ${invoice.invoiceId}, échue le ${due}, demeure impayée. Le principal restant dû s'élève à ${w.money(claim.principal)}.`,
      `Despite our previous reminders, invoice ${invoice.invoiceId}, which fell due on ${due}, remains unpaid. The principal amount outstanding is ${w.money(claim.principal)}.`,
    ),
    body: [
      ...paragraphs(statement ? [statement] : []),
      ...(w.claimsExtras(claim) ? w.claimFacts(claim) : []),
      {
        type: 'notice',
        tone: 'warning',
        text: w.t(
          fr`Par la présente, nous vous mettons en demeure de nous régler la somme de ${w.money(claim.total)}${claim.indemnityApart ? fr`, ainsi que l'indemnité forfaitaire de ${w.money(claim.indemnityApart)}` : ''} dans un délai de 8 jours à compter de la réception de ce courrier.`,
          `We hereby give you formal notice to pay the sum of ${w.money(claim.total)}${claim.indemnityApart ? `, and the fixed indemnity of ${w.money(claim.indemnityApart)}` : ''} within 8 days of receiving this notice.`,
        ),
      },
      ...paragraphs([
        ...consumerInterest,
        // A public body's debts are not recovered by injonction de payer: its creditors go to the administrative courts.
        w.kind === 'public'
          ? w.t(
              fr`À défaut de paiement dans ce délai, nous saisirons sans autre avis la juridiction compétente.`,
              'Failing payment within this period, we will, without further notice, bring the matter before the competent court.',
            )
          : w.t(
              fr`À défaut de paiement dans ce délai, nous transmettrons sans autre avis la créance à un organisme de recouvrement ou engagerons une procédure judiciaire (injonction de payer).`,
              'Failing payment within this period, we will, without further notice, refer the claim to a collection agency or start legal proceedings (injonction de payer, the French court order for payment).',
            ),
        w.t(
          fr`Si vous avez réglé cette facture entre-temps, nous vous prions de ne pas tenir compte de la présente. Si vous contestez cette créance, nous vous remercions de nous en faire part sans délai, en précisant vos motifs.`,
          'If you have paid this invoice in the meantime, please disregard this notice. If you dispute this claim, please let us know at once, stating your reasons.',
        ),
      ]),
    ],
  };
}

const formalNotice: Template = (w) => {
  const { invoice } = w.ctx;
  const claim = w.requireClaim('formal_notice');
  const due = w.date(invoice.dueDate);
  const notice = formalNoticeWording(w);
  return letter(w, {
    subject: w.t(fr`Mise en demeure de payer : facture ${invoice.invoiceId}`, `Formal notice to pay: invoice ${invoice.invoiceId}`),
    preheader: w.t(
      fr`Facture ${invoice.invoiceId} échue le ${due} : paiement exigé sous 8 jours.`,
      `Invoice ${invoice.invoiceId} due on ${due}: payment required within 8 days.`,
    ),
    salutation: [
      { type: 'heading', text: w.t(fr`Mise en demeure de payer`, 'Formal notice to pay') },
      {
        type: 'paragraph',
        text: `${w.t(fr`Le ${w.date(claim.asOf)}`, w.date(claim.asOf))}\n\n${debtorLines(invoice.customer, w.ctx.language).join('\n')}\n${notice.attention}`,
      },
      { type: 'paragraph', text: notice.subjectLine },
      { type: 'paragraph', text: notice.salutation },
    ],
    opening: [notice.opening],
    owed: 'outstanding',
    body: notice.body,
    answers: ['promise', 'dispute'],
  });
};

const TEMPLATES: Record<CustomerEmailKind, Template> = {
  pre_reminder: preReminder,
  promise_acknowledgement: promiseAcknowledgement,
  dispute_acknowledgement: disputeAcknowledgement,
  dispute_outcome: disputeOutcome,
  promise_broken: promiseBroken,
  reminder,
  penalty_reminder: penaltyReminder,
  formal_notice: formalNotice,
};

export function renderCustomerEmail(kind: CustomerEmailKind, ctx: CustomerEmailContext): RenderedEmail {
  const template = TEMPLATES[kind];
  if (!template) throw new Error(`Unknown customer email kind: ${String(kind)}`);
  const w = new Writer(ctx);
  const draft = template(w);
  return composeEmail({ lang: ctx.language, ...draft, footer: w.footer() });
}
