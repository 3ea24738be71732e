/**
 * The emails a customer's accounts-payable contacts receive, in French or English. Wording follows French B2B
 * practice: a courteous quality check before the due date, then reminders that grow firmer and state the legal
 * late-payment amounts (Code de commerce L441-10, D441-5), up to the formal notice (Code civil 1344).
 */
import { formatMoney, type Money } from '../../domain/money';
import { disputeReasonLabel, formatDate, formatPercent, paymentMethodLabel } from '../labels';
import { composeEmail, type Block } from './compose';
import type { CustomerEmailContext, CustomerEmailKind, Penalties, RenderedEmail } from './kinds';

type Language = CustomerEmailContext['language'];
type Action = 'promise' | 'dispute' | 'question';

function actionUrl(answerUrl: string, action: Action): string {
  return `${answerUrl}${answerUrl.includes('?') ? '&' : '?'}action=${action}`;
}

/** Everything one rendering needs, with the language already chosen. */
class Writer {
  readonly fr: boolean;
  constructor(readonly ctx: CustomerEmailContext) {
    this.fr = ctx.language === 'fr';
  }

  t(fr: string, en: string): string {
    return this.fr ? fr : en;
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
    return { type: 'paragraph', text: this.t(`Bonjour ${this.ctx.contactName},`, `Dear ${this.ctx.contactName},`) };
  }

  /** The invoice's identity and amounts; `owed` is what this email asks for. */
  invoiceFacts(owed: 'amount' | 'outstanding'): Block {
    const { invoice } = this.ctx;
    const reg = invoice.registration;
    const rows: [string, string][] = [[this.t('Facture n°', 'Invoice number'), invoice.invoiceId]];
    if (reg.reference) rows.push([this.t('Référence', 'Reference'), reg.reference]);
    if (reg.purchaseOrder) rows.push([this.t('Bon de commande', 'Purchase order'), reg.purchaseOrder]);
    rows.push([this.t("Date d'émission", 'Issue date'), this.date(invoice.issueDate)]);
    rows.push([this.t('Montant de la facture', 'Invoice amount'), this.money(invoice.amount)]);
    // A partial payment already made is shown, so the customer sees why the amount asked differs from the invoice.
    if (owed === 'outstanding' || invoice.outstanding.value !== invoice.amount.value) {
      rows.push([this.t('Reste à payer', 'Amount outstanding'), this.money(invoice.outstanding)]);
    }
    rows.push([this.t("Date d'échéance", 'Due date'), this.date(invoice.dueDate)]);
    if (reg.paymentMethod) {
      rows.push([this.t('Moyen de paiement prévu', 'Agreed payment method'), paymentMethodLabel(reg.paymentMethod, this.ctx.language)]);
    }
    return { type: 'facts', rows };
  }

  pdfLink(): Block[] {
    const url = this.ctx.invoice.registration.pdfUrl;
    return url ? [{ type: 'link', label: this.t(`Télécharger la facture ${this.invoiceId} (PDF)`, `Download invoice ${this.invoiceId} (PDF)`), url }] : [];
  }

  /**
   * Bank details with the standing warning: changed bank details sent by email are the classic supplier-impersonation
   * fraud, so the customer is told once and for all that ours never change that way.
   */
  bankDetails(): Block[] {
    const { creditor } = this.ctx;
    const rows: [string, string][] = [[this.t('Titulaire du compte', 'Account holder'), creditor.name]];
    if (creditor.bankName) rows.push([this.t('Banque', 'Bank'), creditor.bankName]);
    rows.push(['IBAN', creditor.iban], ['BIC', creditor.bic]);
    rows.push([this.t('Référence à indiquer', 'Payment reference'), this.invoiceId]);
    return [
      { type: 'paragraph', text: this.t('Nos coordonnées bancaires :', 'Our bank details:') },
      { type: 'facts', rows },
      {
        type: 'notice',
        tone: 'warning',
        text: this.t(
          "Nos coordonnées bancaires ne changent jamais par email. Si vous recevez un message vous demandant de payer sur un autre compte, ne payez pas et appelez-nous à un numéro que vous connaissez déjà.",
          'Our bank details never change by email. If you receive a message asking you to pay into another account, do not pay: call us on a number you already know.',
        ),
      },
    ];
  }

  buttons(...actions: Action[]): Block {
    const labels: Record<Action, string> = {
      promise: this.t('Confirmer la date de paiement', 'Confirm the payment date'),
      dispute: this.t('Signaler un problème', 'Report a problem'),
      question: this.t('Poser une question', 'Ask a question'),
    };
    return {
      type: 'buttons',
      buttons: actions.map((action, i) => ({
        label: labels[action],
        url: actionUrl(this.ctx.answerUrl, action),
        variant: i === 0 ? 'primary' : 'secondary',
      })),
    };
  }

  signature(): Block {
    const { creditor } = this.ctx;
    const lines = [this.t('Cordialement,', 'Kind regards,'), this.t('Le service comptabilité clients', 'Accounts receivable'), creditor.name];
    if (creditor.address) lines.push(creditor.address);
    if (creditor.legalId) lines.push(creditor.legalId);
    return { type: 'paragraph', text: lines.join('\n') };
  }

  footer(): string {
    const { creditor, invoice } = this.ctx;
    return this.t(
      `Ce message concerne la facture ${invoice.invoiceId} émise par ${creditor.name} à ${invoice.customer.name}. Pour répondre, utilisez les liens ci-dessus : votre réponse parvient directement à notre équipe.`,
      `This message is about invoice ${invoice.invoiceId} issued by ${creditor.name} to ${invoice.customer.name}. To answer, use the links above: your answer goes straight to our team.`,
    );
  }

  /** The legal statement of late-payment amounts, as the law words it (due without any reminder). */
  penaltiesStatement(p: Penalties): string {
    const rate = formatPercent(p.ratePercent, this.ctx.language);
    return this.t(
      `Conformément à l'article L441-10 du Code de commerce, des pénalités de retard sont dues de plein droit dès le lendemain de la date d'échéance, au taux annuel de ${rate} (taux de refinancement de la BCE majoré de 10 points), soit ${this.money(p.interest)} à ce jour pour ${this.days(p.daysLate)} de retard. S'y ajoute l'indemnité forfaitaire pour frais de recouvrement de ${this.money(p.indemnity)} (article D441-5 du Code de commerce).`,
      `Under article L441-10 of the French Commercial Code, late-payment interest is due by law from the day after the due date, at ${rate} a year (the ECB refinancing rate plus 10 points): ${this.money(p.interest)} so far for ${this.days(p.daysLate)} late. The fixed recovery indemnity of ${this.money(p.indemnity)} is added (article D441-5 of the French Commercial Code).`,
    );
  }

  /** Outstanding amount plus penalties, when they share a currency (the indemnity is in EUR by law). */
  totalClaimed(p: Penalties): Money | undefined {
    const { outstanding } = this.ctx.invoice;
    if (p.interest.currency !== outstanding.currency || p.indemnity.currency !== outstanding.currency) return undefined;
    return { value: outstanding.value + p.interest.value + p.indemnity.value, currency: outstanding.currency };
  }

  penaltyFacts(p: Penalties): Block {
    const rows: [string, string][] = [
      [this.t('Reste à payer', 'Amount outstanding'), this.money(this.ctx.invoice.outstanding)],
      [this.t('Jours de retard', 'Days late'), String(p.daysLate)],
      [this.t(`Pénalités de retard (${formatPercent(p.ratePercent, this.ctx.language)} l'an)`, `Late-payment interest (${formatPercent(p.ratePercent, this.ctx.language)} a year)`), this.money(p.interest)],
      [this.t('Indemnité forfaitaire de recouvrement', 'Fixed recovery indemnity'), this.money(p.indemnity)],
    ];
    const total = this.totalClaimed(p);
    if (total) rows.push([this.t('Total dû', 'Total due'), this.money(total)]);
    return { type: 'facts', rows };
  }

  /** For the reminders a payment may cross in the post. */
  alreadyPaid(): string {
    return this.t(
      'Si votre paiement est déjà parti, merci de ne pas tenir compte de ce message.',
      'If your payment is already on its way, please disregard this message.',
    );
  }

  requirePenalties(kind: CustomerEmailKind): Penalties {
    if (!this.ctx.penalties) throw new Error(`The ${kind} email states the late-payment penalties: ctx.penalties is required`);
    return this.ctx.penalties;
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
      ...(l.bankDetails === false ? [] : w.bankDetails()),
      ...blocks(l.closing),
      w.signature(),
    ],
  };
}

const preReminder: Template = (w) => {
  const { invoice, creditor } = w.ctx;
  const due = w.date(invoice.dueDate);
  return letter(w, {
    subject: w.t(`Facture ${invoice.invoiceId} de ${creditor.name} : tout est-il en ordre ?`, `Invoice ${invoice.invoiceId} from ${creditor.name}: is everything in order?`),
    preheader: w.t(
      `Un point rapide avant l'échéance du ${due} : une réponse en un clic suffit.`,
      `A quick check before the due date of ${due}: one click is enough to answer.`,
    ),
    opening: [
      w.t(
        `La facture ${invoice.invoiceId} de ${w.money(invoice.amount)} arrive à échéance le ${due}. Dans le cadre de notre suivi qualité, nous souhaitons simplement nous assurer que tout est en ordre de votre côté. Ce message n'est pas une relance.`,
        `Invoice ${invoice.invoiceId} for ${w.money(invoice.amount)} falls due on ${due}. As part of our quality follow-up, we would simply like to make sure everything is in order on your side. This is not a reminder.`,
      ),
    ],
    owed: 'amount',
    body: [
      w.t('Pourriez-vous nous confirmer :', 'Could you let us know:'),
      {
        type: 'list',
        items: [
          w.t(
            'que vous avez bien reçu la marchandise ou la prestation, ainsi que la facture ;',
            'that you have received the goods or service, and the invoice;',
          ),
          w.t(
            "qu'il ne manque aucun document (bon de commande, bon de livraison) ;",
            'that no document is missing (purchase order, delivery note);',
          ),
          w.t(
            'que les validations internes sont faites, et qui est la bonne personne au service comptabilité fournisseurs ;',
            'that internal approvals are done, and who the right person in accounts payable is;',
          ),
          w.t(
            `que nous pouvons compter sur un règlement le ${due}, et par quel moyen (virement, prélèvement, carte bancaire, chèque, lettre de change relevé / LCR).`,
            `that we can count on payment on ${due}, and by which means (bank transfer, direct debit, card, cheque, bill of exchange / LCR).`,
          ),
        ],
      },
    ],
    answers: ['promise', 'dispute', 'question'],
    afterAnswers: blocks([
      w.t(
        "Si quelque chose ne va pas, dites-le-nous dès maintenant : nous pourrons le corriger avant l'échéance.",
        'If anything is wrong, please tell us now: we can put it right before the due date.',
      ),
    ]),
  });
};

const promiseAcknowledgement: Template = (w) => {
  const { invoice } = w.ctx;
  const promise = invoice.promise;
  const date = promise ? w.date(promise.date) : undefined;
  const method = promise?.method ? paymentMethodLabel(promise.method, w.ctx.language) : undefined;
  const commitment = date
    ? w.t(
        `Nous avons bien noté votre engagement de régler la facture ${invoice.invoiceId} (${w.money(invoice.outstanding)}) le ${date}${method ? ` par ${method}` : ''}.`,
        `We have recorded your commitment to pay invoice ${invoice.invoiceId} (${w.money(invoice.outstanding)}) on ${date}${method ? ` by ${method}` : ''}.`,
      )
    : w.t(
        `Nous avons bien noté votre engagement de régler la facture ${invoice.invoiceId} (${w.money(invoice.outstanding)}).`,
        `We have recorded your commitment to pay invoice ${invoice.invoiceId} (${w.money(invoice.outstanding)}).`,
      );
  const afterDueDate: Block[] = promise?.afterDueDate
    ? [
        {
          type: 'notice',
          tone: 'info',
          text: w.t(
            `Cette date est postérieure à l'échéance du ${w.date(invoice.dueDate)}. Votre engagement est bien enregistré ; nous vous signalons simplement que, selon la loi, des pénalités de retard courent à compter du lendemain de l'échéance (article L441-10 du Code de commerce).`,
            `This date is after the due date of ${w.date(invoice.dueDate)}. Your commitment is recorded; we would simply point out that, by law, late-payment penalties accrue from the day after the due date (article L441-10 of the French Commercial Code).`,
          ),
        },
      ]
    : [];
  return letter(w, {
    subject: date
      ? w.t(`Merci : paiement de la facture ${invoice.invoiceId} prévu le ${date}`, `Thank you: payment of invoice ${invoice.invoiceId} planned on ${date}`)
      : w.t(`Merci : votre engagement de paiement pour la facture ${invoice.invoiceId}`, `Thank you: your payment commitment for invoice ${invoice.invoiceId}`),
    preheader: commitment,
    opening: [`${w.t('Merci pour votre réponse.', 'Thank you for your answer.')} ${commitment}`],
    owed: 'outstanding',
    body: [
      ...afterDueDate,
      w.t(
        "Nous ne vous relancerons pas d'ici là. Si un imprévu survient, dites-le-nous :",
        'We will not remind you before then. If anything changes, please let us know:',
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
    `Nous avons bien reçu votre signalement concernant la facture ${invoice.invoiceId}${reason ? ` : ${reason}` : ''}.`,
    `We have received your report about invoice ${invoice.invoiceId}${reason ? `: ${reason}` : ''}.`,
  );
  return letter(w, {
    subject: w.t(`Facture ${invoice.invoiceId} : nous avons bien reçu votre signalement`, `Invoice ${invoice.invoiceId}: we have received your report`),
    preheader: received,
    opening: [
      `${w.t('Merci de nous avoir prévenus.', 'Thank you for letting us know.')} ${received}`,
      ...(dispute?.message ? [{ type: 'quote' as const, label: w.t('Votre message :', 'Your message:'), text: dispute.message }] : []),
    ],
    owed: 'outstanding',
    body: [
      w.t(
        'Notre équipe examine la situation et reviendra vers vous rapidement. En attendant, nous suspendons les relances pour cette facture.',
        'Our team is looking into it and will come back to you shortly. Meanwhile, reminders for this invoice are paused.',
      ),
      w.t('Un document ou une précision à ajouter ?', 'A document or a detail to add?'),
    ],
    answers: ['question'],
    bankDetails: false,
  });
};

/** A courteous mention of the legal amounts in the early overdue emails, when the caller computed them. */
function softPenaltiesNotice(w: Writer): Block[] {
  const p = w.ctx.penalties;
  if (!p || p.daysLate <= 0) return [];
  return [{ type: 'notice', tone: 'info', text: `${w.t('Pour information :', 'For your information:')} ${w.penaltiesStatement(p)}` }];
}

const promiseBroken: Template = (w) => {
  const { invoice } = w.ctx;
  const date = invoice.promise ? w.date(invoice.promise.date) : undefined;
  const opening = date
    ? w.t(
        `Vous nous aviez indiqué un règlement de la facture ${invoice.invoiceId} pour le ${date}. À ce jour, nous n'avons pas reçu ce paiement.`,
        `You told us invoice ${invoice.invoiceId} would be paid by ${date}. We have not received that payment so far.`,
      )
    : w.t(
        `Vous nous aviez annoncé le règlement de la facture ${invoice.invoiceId}. À ce jour, nous n'avons pas reçu ce paiement.`,
        `You told us invoice ${invoice.invoiceId} would be paid. We have not received that payment so far.`,
      );
  return letter(w, {
    subject: date
      ? w.t(`Facture ${invoice.invoiceId} : paiement prévu le ${date} non reçu`, `Invoice ${invoice.invoiceId}: payment promised for ${date} not received`)
      : w.t(`Facture ${invoice.invoiceId} : paiement annoncé non reçu`, `Invoice ${invoice.invoiceId}: promised payment not received`),
    opening: [opening],
    owed: 'outstanding',
    body: [
      w.t(
        `Pourriez-vous procéder au règlement de ${w.money(invoice.outstanding)} dès que possible, ou nous dire ce qui se passe ? Une nouvelle date ou un problème sur la facture : un clic suffit.`,
        `Could you pay the ${w.money(invoice.outstanding)} outstanding as soon as possible, or tell us what is happening? A new date or a problem with the invoice: one click is enough.`,
      ),
    ],
    answers: ['promise', 'dispute', 'question'],
    afterAnswers: softPenaltiesNotice(w),
    closing: [w.alreadyPaid()],
  });
};

const reminder: Template = (w) => {
  const { invoice, penalties } = w.ctx;
  const due = w.date(invoice.dueDate);
  const late = penalties && penalties.daysLate > 0 ? w.t(` (il y a ${w.days(penalties.daysLate)})`, ` (${w.days(penalties.daysLate)} ago)`) : '';
  return letter(w, {
    subject: w.t(`Rappel : facture ${invoice.invoiceId} échue le ${due}`, `Reminder: invoice ${invoice.invoiceId} was due on ${due}`),
    opening: [
      w.t(
        `Sauf erreur de notre part, nous n'avons pas encore reçu le règlement de la facture ${invoice.invoiceId}, arrivée à échéance le ${due}${late}. Il s'agit peut-être d'un simple oubli.`,
        `Unless we are mistaken, we have not yet received payment of invoice ${invoice.invoiceId}, which fell due on ${due}${late}. It may simply be an oversight.`,
      ),
    ],
    owed: 'outstanding',
    body: [
      w.t(
        `Pourriez-vous procéder au règlement de ${w.money(invoice.outstanding)} ou nous indiquer la date à laquelle il interviendra ? Si un problème empêche le paiement, dites-le-nous : nous le réglerons ensemble.`,
        `Could you pay the ${w.money(invoice.outstanding)} outstanding, or tell us when payment will be made? If a problem is holding up payment, let us know and we will sort it out together.`,
      ),
    ],
    answers: ['promise', 'dispute', 'question'],
    afterAnswers: softPenaltiesNotice(w),
    closing: [w.alreadyPaid()],
  });
};

const penaltyReminder: Template = (w) => {
  const { invoice } = w.ctx;
  const p = w.requirePenalties('penalty_reminder');
  const due = w.date(invoice.dueDate);
  const total = w.totalClaimed(p);
  return letter(w, {
    subject: w.t(
      `Deuxième rappel : facture ${invoice.invoiceId} impayée, pénalités de retard`,
      `Second reminder: invoice ${invoice.invoiceId} unpaid, late-payment penalties`,
    ),
    opening: [
      w.t(
        `Malgré notre précédent rappel, la facture ${invoice.invoiceId}, échue le ${due}, reste impayée à ce jour : ${w.money(invoice.outstanding)} restent dus, avec ${w.days(p.daysLate)} de retard.`,
        `Despite our previous reminder, invoice ${invoice.invoiceId}, due on ${due}, is still unpaid: ${w.money(invoice.outstanding)} remains outstanding, ${w.days(p.daysLate)} late.`,
      ),
    ],
    owed: 'outstanding',
    body: [
      { type: 'notice', tone: 'warning', text: w.penaltiesStatement(p) },
      w.penaltyFacts(p),
      w.t(
        `Nous vous demandons de régler ${total ? w.money(total) : 'ces sommes'} sans délai, ou de nous indiquer immédiatement la date de votre paiement ou le problème qui l'empêche.`,
        `We ask you to pay ${total ? w.money(total) : 'these amounts'} without delay, or to tell us at once when you will pay or what is preventing payment.`,
      ),
    ],
    answers: ['promise', 'dispute', 'question'],
    closing: [
      w.t(
        'Sans réponse de votre part, nous serons contraints de vous adresser une mise en demeure.',
        'Without an answer from you, we will have to send you a formal notice to pay.',
      ),
    ],
  });
};

const formalNotice: Template = (w) => {
  const { invoice } = w.ctx;
  const p = w.requirePenalties('formal_notice');
  const due = w.date(invoice.dueDate);
  const total = w.totalClaimed(p);
  const demanded = total
    ? w.t(`la somme de ${w.money(total)}`, `the sum of ${w.money(total)}`)
    : w.t(`la somme de ${w.money(invoice.outstanding)}, majorée des pénalités et de l'indemnité ci-dessus`, `the sum of ${w.money(invoice.outstanding)}, plus the penalties and indemnity above`);
  return letter(w, {
    subject: w.t(`Mise en demeure de payer : facture ${invoice.invoiceId}`, `Formal notice to pay: invoice ${invoice.invoiceId}`),
    preheader: w.t(
      `Facture ${invoice.invoiceId} échue le ${due} : paiement exigé sous 8 jours.`,
      `Invoice ${invoice.invoiceId} due on ${due}: payment required within 8 days.`,
    ),
    salutation: [
      { type: 'heading', text: w.t('Mise en demeure de payer', 'Formal notice to pay') },
      {
        type: 'paragraph',
        text: w.t(
          `À l'attention de ${w.ctx.contactName}, ${invoice.customer.name}\n\nMadame, Monsieur,`,
          `For the attention of ${w.ctx.contactName}, ${invoice.customer.name}\n\nDear Sir or Madam,`,
        ),
      },
    ],
    opening: [
      w.t(
        `Malgré nos précédentes relances, la facture ${invoice.invoiceId}, échue le ${due}, demeure impayée. Le montant restant dû s'élève à ${w.money(invoice.outstanding)}.`,
        `Despite our previous reminders, invoice ${invoice.invoiceId}, due on ${due}, remains unpaid. The amount outstanding is ${w.money(invoice.outstanding)}.`,
      ),
    ],
    owed: 'outstanding',
    body: [
      w.penaltiesStatement(p),
      w.penaltyFacts(p),
      {
        type: 'notice',
        tone: 'warning',
        text: w.t(
          `Par la présente, nous vous mettons en demeure de nous régler ${demanded} dans un délai de 8 jours à compter de la réception de ce courrier.`,
          `We hereby give you formal notice to pay ${demanded} within 8 days of receiving this notice.`,
        ),
      },
      w.t(
        "À défaut de paiement dans ce délai, nous transmettrons la créance à un organisme de recouvrement ou engagerons une procédure judiciaire (injonction de payer), sans autre avis.",
        'Failing payment within this period, we will hand the claim over to a collection agency or start legal proceedings (injonction de payer, a court order for payment) without further notice.',
      ),
      w.t(
        'Une copie de la présente mise en demeure vous est adressée par lettre recommandée avec accusé de réception.',
        'A copy of this formal notice is sent to you by registered letter with acknowledgement of receipt.',
      ),
      w.t(
        "Si vous avez réglé cette facture entre-temps, merci de ne pas tenir compte de ce courrier. Si vous contestez cette créance, faites-le-nous savoir immédiatement en précisant vos motifs.",
        'If you have paid this invoice in the meantime, please disregard this notice. If you dispute this claim, tell us at once, stating your reasons.',
      ),
    ],
    answers: ['promise', 'dispute'],
  });
};

const TEMPLATES: Record<CustomerEmailKind, Template> = {
  pre_reminder: preReminder,
  promise_acknowledgement: promiseAcknowledgement,
  dispute_acknowledgement: disputeAcknowledgement,
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
