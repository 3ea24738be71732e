/**
 * The billing API's contract as zod schemas: the handlers parse with them and `GET /openapi.json` is generated
 * from them, so the documentation cannot drift from what is enforced.
 *
 * Written with `zod/mini` (functions and checks instead of methods) so that Lambda bundles keep only the parts of
 * zod they use.
 */
import * as z from 'zod/mini';
import './zod-locale';
import { isRealCalendarDate } from './dates';
import { STATUSES } from './invoice';
import { isSiren, isSiret, isVatNumber } from './identifiers';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Builds a schema. Marked free of side effects for esbuild, so that a Lambda bundle keeps only the schemas its
 * handler parses with (and the zod features those need), not every schema of this file.
 */
/* @__NO_SIDE_EFFECTS__ */
function schema<T>(build: () => T): T {
  return build();
}

/** A trimmed string of `min` (default 1) to `max` characters. */
const text = (max: number, min = 1) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const InvoiceId = schema(() => z.string().check(
  z.regex(/^[A-Za-z0-9._/-]{1,64}$/, 'invoice ids are 1-64 characters from letters, digits and . _ / -'),
  // A path segment of "." or ".." (or %2E%2E) is resolved away by URL parsers: such an invoice could never be read.
  z.refine((id) => id !== '.' && id !== '..', 'an invoice id cannot be "." or "..", which URLs cannot address'),
  z.meta({ description: 'The billing system\'s invoice number (not "." or "..").', example: 'F-2027-0042' }),
));

/**
 * The years any date may fall in. Far-off years are typos or probes, and some break date arithmetic (year 10000 has
 * five digits); the domain narrows further around today (`shared/domain/billing.ts`).
 */
const YEARS = { first: 2000, last: 2099 };
const inYears = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= YEARS.first && year <= YEARS.last;
};
const YEARS_MESSAGE = `dates must lie between ${YEARS.first}-01-01 and ${YEARS.last}-12-31`;

export const IsoDate = schema(() => z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
  z.refine(isRealCalendarDate, 'not a real calendar date'),
  z.refine(inYears, YEARS_MESSAGE),
  z.meta({ description: 'A calendar date, YYYY-MM-DD, in the creditor\'s time zone.', example: '2027-03-31' }),
));

export const IsoTimestamp = schema(() => z.iso.datetime({ offset: true }).check(z.refine(inYears, YEARS_MESSAGE)));

export const CurrencyCode = schema(() => z.string().check(
  z.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as EUR'),
  z.refine((code) => CURRENCIES.has(code), 'unknown ISO 4217 currency code'),
));

export const Money = schema(() => z
  .strictObject({
    value: z.number().check(z.int('amounts are integer minor units (cents)'), z.positive(), z.maximum(1e13)),
    currency: CurrencyCode,
  })
  .check(z.meta({ id: 'Money', description: 'An amount in integer minor units (cents for EUR) and its ISO 4217 currency.' })));

export const PaymentMethod = schema(() => z.enum(['transfer', 'direct_debit', 'card', 'cheque', 'bill_of_exchange']));

export const Contact = schema(() => z
  .strictObject({
    name: text(200),
    email: z.email().check(z.maxLength(254)),
    phone: z.optional(text(40, 3)),
    role: z.optional(text(100)),
  })
  .check(z.meta({ id: 'Contact' })));

export const Contacts = schema(() => z.array(Contact).check(z.minLength(1, 'at least one contact is required'), z.maxLength(10)));

export const Language = schema(() => z.enum(['fr', 'en']));

export const LadderAction = schema(() => z.enum(['reminder_email', 'phone_call', 'penalty_reminder', 'formal_notice', 'hand_off']));

/** A whole number of days from `min` to `max`. */
const days = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));

export const LadderStep = schema(() => z
  .strictObject({ offsetDays: days(0, 300), action: LadderAction })
  .check(z.meta({ id: 'LadderStep', description: 'One rung of the overdue ladder, `offsetDays` after the due date.' })));

export const PolicyOverrides = schema(() => z
  .strictObject({
    daysBeforeDue: z.optional(days(1, 60)),
    promiseGraceDays: z.optional(days(0, 30)),
    disputeFollowUpDays: z.optional(days(1, 60)),
    minimumGapDays: z.optional(days(1, 30)),
    ladder: z.optional(z.array(LadderStep).check(z.minLength(1), z.maxLength(12))),
    maxPromiseDays: z.optional(days(1, 365)),
    waivePenaltiesWhenPrincipalPaid: z.optional(z.boolean()),
    formalNoticeWaitDays: z.optional(days(8, 60)),
  })
  .check(z.meta({ id: 'PolicyOverrides', description: 'Per-invoice overrides of the dunning policy.' })));

/**
 * The creditor as the deployment describes it, checked where the deployment is configured (CDK synth,
 * `infra/settings.ts`): its legal mentions, bank details and named team (see `creditor.ts`).
 */
export const Creditor = schema(() => z.strictObject({
  /** Dénomination sociale. */
  name: text(200),
  /** SAS, SARL, SA... */
  legalForm: text(60),
  /** "10 000 €", as the mention reads; absent for forms without share capital. */
  shareCapital: z.optional(text(60)),
  siren: z.string().check(z.refine(isSiren, 'a SIREN: nine digits with a valid checksum')),
  /** The city of the registry ("RCS Paris"); absent for a creditor not registered at an RCS. */
  rcsCity: z.optional(text(100)),
  /** The registered office, lines separated by newlines. */
  address: text(300),
  vatNumber: z.optional(text(20)),
  iban: text(42),
  bic: text(11),
  bankName: z.optional(text(100)),
  /** Who signs the emails and answers the phone: a named team, never an anonymous "service". */
  team: z.strictObject({ name: text(100), phone: text(40) }),
  /** Who signs the formal notice: a person with authority to claim the debt, by name and title. */
  signatory: z.strictObject({ name: text(100), title: text(100) }),
}));
export type Creditor = z.infer<typeof Creditor>;

export const CustomerKind = schema(() => z.enum(['business', 'public', 'consumer']).check(
  z.meta({ description: 'business (default): L441-10 penalties and the 40 EUR indemnity; public: ECB + 8 points (R2192-31); consumer: legal interest from the formal notice only.' }),
));
export type CustomerKind = z.infer<typeof CustomerKind>;

const validLegalId = (value: string) => isSiren(value) || isSiret(value) || isVatNumber(value);

export const LegalId = schema(() => text(40).check(
  z.refine(validLegalId, 'expected a SIREN (9 digits), a SIRET (14 digits) with a valid checksum, or a VAT number such as FR32123456789'),
  z.meta({ description: 'SIREN, SIRET or intra-EU VAT number of the customer.', example: '732829320' }),
));

export const PostalAddress = schema(() => z
  .strictObject({
    lines: z.array(text(100)).check(z.minLength(1), z.maxLength(4)),
    postalCode: text(20),
    city: text(100),
    country: z.string().check(z.regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as FR')),
  })
  .check(z.meta({ id: 'PostalAddress', description: 'A postal address, as a registered letter is addressed.' })));
export type PostalAddress = z.infer<typeof PostalAddress>;

/** An annual rate in percent with at most four decimals (12.15, 10.3725). */
const ratePercent = () => z.number().check(
  z.minimum(0),
  z.maximum(100),
  z.refine((rate) => Math.abs(rate * 10_000 - Math.round(rate * 10_000)) < 1e-6, 'a rate has at most four decimals'),
);

export const InvoiceTerms = schema(() => z
  .strictObject({
    latePaymentRatePercent: z.optional(ratePercent().check(
      z.meta({ description: 'The contractual annual late-payment rate (business customers); below 3 × the legal interest rate of a half-year, that floor applies.' }),
    )),
    paymentTerms: z.optional(text(200).check(z.meta({ description: 'The payment terms as the contract words them, e.g. "45 jours fin de mois".' }))),
  })
  .check(z.meta({ id: 'InvoiceTerms' })));

export const RegisterInvoiceBody = schema(() => z
  .strictObject({
    invoiceId: InvoiceId,
    customer: z.strictObject({
      id: text(128),
      name: text(200),
      language: Language,
      kind: z.optional(CustomerKind),
      legalId: z.optional(LegalId),
      address: z.optional(PostalAddress),
      contacts: Contacts,
    }),
    amount: Money,
    issueDate: IsoDate,
    dueDate: IsoDate,
    purchaseOrder: z.optional(text(100)),
    pdfUrl: z.optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(2000))),
    // A payment page over plain http would be an invitation to phishing: https only.
    paymentUrl: z.optional(z.url({ protocol: /^https$/ }).check(
      z.maxLength(2000),
      z.meta({ description: 'A page where the customer pays this invoice online (from the billing system\'s payment provider): a button in the emails and pages that ask for payment.' }),
    )),
    paymentMethod: z.optional(PaymentMethod),
    reference: z.optional(text(140)),
    terms: z.optional(InvoiceTerms),
    policy: z.optional(PolicyOverrides),
  })
  .check(
    z.refine((b) => b.dueDate >= b.issueDate, { message: 'dueDate must not be before issueDate', path: ['dueDate'] }),
    z.meta({ id: 'RegisterInvoice' }),
  ));
export type RegisterInvoiceBody = z.infer<typeof RegisterInvoiceBody>;

export const PaymentBody = schema(() => z
  .strictObject({
    amount: Money,
    paidAt: z.union([IsoDate, IsoTimestamp]),
    reference: text(140).check(z.meta({ description: 'The payment\'s reference; the same reference twice counts once.' })),
  })
  .check(z.meta({ id: 'Payment' })));
export type PaymentBody = z.infer<typeof PaymentBody>;

export const WaiveBody = schema(() => z
  .strictObject({ reason: text(500).check(z.meta({ description: 'Why the penalties and the indemnity are waived (goodwill, settlement...): kept as evidence.' })) })
  .check(z.meta({ id: 'Waive' })));
export type WaiveBody = z.infer<typeof WaiveBody>;

export const FormalNoticeBody = schema(() => z
  .strictObject({
    postedAt: z.union([IsoDate, IsoTimestamp]).check(z.meta({ description: 'When the registered letter was posted (the proof of posting).' })),
    trackingNumber: text(40).check(z.meta({ description: 'The registered letter\'s number, as on the proof of posting.' })),
    receivedAt: z.optional(z.union([IsoDate, IsoTimestamp]).check(z.meta({ description: 'When the debtor received it, as on the acknowledgment of receipt (or its first presentation).' }))),
  })
  .check(z.meta({ id: 'FormalNoticeLetter' })));
export type FormalNoticeBody = z.infer<typeof FormalNoticeBody>;

/** Supporting documents are sent inline, base64-encoded: at most 3 MB decoded keeps a request under Lambda's 6 MB. */
export const MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;

/** `registered_letter_receipt`: the scan of the formal notice's acknowledgment of receipt (the "avis de réception"). */
export const DocumentKind = schema(() => z.enum(['contract', 'terms', 'purchase_order', 'delivery_proof', 'invoice_pdf', 'registered_letter_receipt', 'other']));
export type DocumentKind = z.infer<typeof DocumentKind>;

export const DocumentBody = schema(() => z
  .strictObject({
    kind: DocumentKind.check(z.meta({ description: 'What the document proves, for the evidence file of an injonction de payer.' })),
    filename: z.string().check(
      z.trim(),
      z.regex(/^[\p{L}\p{N} ._()-]{1,120}\.[A-Za-z0-9]{1,8}$/u, 'a file name of letters, digits, spaces and . _ ( ) -, with an extension'),
    ),
    contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png', 'text/plain', 'application/xml']),
    content: z.string().check(
      z.maxLength(Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4, `at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB once decoded`),
      z.regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'expected the file as base64'),
      z.minLength(4, 'the file is empty'),
      z.meta({ description: 'The file, base64-encoded (3 MB at most once decoded).' }),
    ),
  })
  .check(z.meta({ id: 'SupportingDocument' })));
export type DocumentBody = z.infer<typeof DocumentBody>;

export const CancelBody = schema(() => z.strictObject({ reason: text(500) }).check(z.meta({ id: 'Cancel' })));

export const PatchInvoiceBody = schema(() => z
  .strictObject({ dueDate: z.optional(IsoDate), contacts: z.optional(Contacts) })
  .check(
    z.refine((b) => b.dueDate !== undefined || b.contacts !== undefined, 'give a new dueDate and/or contacts'),
    z.meta({ id: 'PatchInvoice' }),
  ));
export type PatchInvoiceBody = z.infer<typeof PatchInvoiceBody>;

export const ResolveDisputeBody = schema(() => z
  .strictObject({
    outcome: z.enum(['rejected', 'corrected_amount', 'credit_note']).check(
      z.meta({
        description: 'rejected: the claim stands, reminders resume; corrected_amount: a new outstanding amount; credit_note: the invoice is cancelled.',
      }),
    ),
    correctedAmount: z.optional(Money),
    note: z.optional(text(2000)),
  })
  .check(
    z.refine((b) => b.outcome !== 'corrected_amount' || b.correctedAmount !== undefined, {
      message: 'correctedAmount is required when the outcome is corrected_amount',
      path: ['correctedAmount'],
    }),
    z.meta({ id: 'ResolveDispute' }),
  ));
export type ResolveDisputeBody = z.infer<typeof ResolveDisputeBody>;

export const CallOutcomeBody = schema(() => z
  .strictObject({
    outcome: z.enum(['promised', 'disputed', 'no_answer', 'wrong_number', 'other']),
    promisedDate: z.optional(IsoDate),
    paymentMethod: z.optional(PaymentMethod),
    note: z.optional(text(2000)),
  })
  .check(
    z.refine((b) => b.outcome !== 'promised' || b.promisedDate !== undefined, {
      message: 'promisedDate is required when the outcome is promised',
      path: ['promisedDate'],
    }),
    z.meta({ id: 'CallOutcome' }),
  ));
export type CallOutcomeBody = z.infer<typeof CallOutcomeBody>;

export const DisputeReason = schema(() => z.enum([
  'invoice_not_received',
  'goods_not_received',
  'defective',
  'wrong_amount',
  'missing_purchase_order',
  'other',
]));
export type DisputeReason = z.infer<typeof DisputeReason>;

/** Runs `blank` on the raw form value before `inner` parses it (zod/mini spells `z.preprocess` as this pipe). */
const preprocess = <S extends z.ZodMiniType>(blank: (v: unknown) => unknown, inner: S) => z.pipe(z.transform(blank), inner);

/** An optional form field: blank (empty or spaces only) counts as absent. */
const optionalText = (max: number) =>
  preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.optional(z.string().check(z.trim(), z.maxLength(max))));

/** The customer's answer, posted as a form from the page behind `/r/{token}`. */
export const CustomerAnswer = schema(() => z.discriminatedUnion('action', [
  z.object({ action: z.literal('promise'), promisedDate: IsoDate, paymentMethod: PaymentMethod, message: optionalText(2000) }),
  z.object({ action: z.literal('dispute'), reason: DisputeReason, message: optionalText(2000) }),
  z.object({
    action: z.literal('question'),
    message: text(2000),
    contactName: optionalText(200),
    contactEmail: preprocess((v) => (v === '' ? undefined : v), z.optional(z.email().check(z.maxLength(254)))),
  }),
  // The customer compares our bank details with the ones it holds for us: "differ" is how invoice fraud shows.
  z.object({ action: z.literal('bank_details'), bankDetails: z.enum(['match', 'differ']), message: optionalText(2000) }),
]));
export type CustomerAnswer = z.infer<typeof CustomerAnswer>;

/** Turns zod issues into the `details` of a 400 answer: where and what. */
export function describeIssues(error: z.core.$ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** The query of `GET /invoices`: every filter optional; `cursor` is the `nextCursor` of the previous page. */
export const ListInvoicesQuery = schema(() => z.strictObject({
  status: z.optional(z.enum(STATUSES)),
  customerId: z.optional(text(128)),
  dueBefore: z.optional(IsoDate),
  dueAfter: z.optional(IsoDate),
  limit: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,3}$/, 'an integer from 1 to 100')), z.transform(Number)).check(z.refine((n) => n >= 1 && n <= 100, 'an integer from 1 to 100'))),
  cursor: z.optional(z.string().check(z.maxLength(2000), z.regex(/^[A-Za-z0-9_-]+$/, 'the nextCursor of a previous page'))),
}).check(z.refine((q) => !q.dueAfter || !q.dueBefore || q.dueAfter < q.dueBefore, { message: 'dueAfter must come before dueBefore', path: ['dueAfter'] })));

/** An API key's id: the first 12 hex digits of its SHA-256 (see `GET /api-keys`). */
export const ApiKeyId = schema(() => z.string().check(z.regex(/^[0-9a-f]{12}$/, 'the keyId of GET /api-keys (12 hex digits)')));

/** A message of the start buffer (see `shared/ports/workflow-signals.ts`), as its consumer reads it back. */
export const WorkflowSignalSchema = schema(() => {
  const base = { invoiceId: z.string().check(z.minLength(1), z.maxLength(64)), since: z.optional(z.iso.datetime()), attempt: z.optional(z.number().check(z.int(), z.nonnegative())) };
  return z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('start'), ...base, executionName: z.string().check(z.regex(/^[0-9A-Za-z_-]{1,80}$/)), reconciled: z.optional(z.boolean()) }),
    z.strictObject({ type: z.literal('payment_notice'), ...base, reference: z.string().check(z.minLength(1), z.maxLength(200)) }),
    z.strictObject({ type: z.literal('wake'), ...base }),
  ]);
});
