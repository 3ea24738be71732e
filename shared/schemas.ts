/**
 * The billing API's contract as zod schemas: the handlers parse with them and `GET /openapi.json` is generated
 * from them, so the documentation cannot drift from what is enforced.
 */
import * as z from 'zod';
import { isRealCalendarDate } from './dates';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const InvoiceId = z
  .string()
  .regex(/^[A-Za-z0-9._/-]{1,64}$/, 'invoice ids are 1-64 characters from letters, digits and . _ / -')
  .meta({ description: 'The billing system\'s invoice number.', example: 'F-2027-0042' });

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isRealCalendarDate, 'not a real calendar date')
  .meta({ description: 'A calendar date, YYYY-MM-DD, in the creditor\'s time zone.', example: '2027-03-31' });

export const IsoTimestamp = z.iso.datetime({ offset: true });

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as EUR')
  .refine((code) => CURRENCIES.has(code), 'unknown ISO 4217 currency code');

export const Money = z
  .object({
    value: z.number().int('amounts are integer minor units (cents)').positive().max(1e13),
    currency: CurrencyCode,
  })
  .strict()
  .meta({ id: 'Money', description: 'An amount in integer minor units (cents for EUR) and its ISO 4217 currency.' });

export const PaymentMethod = z.enum(['transfer', 'direct_debit', 'card', 'cheque', 'bill_of_exchange']);

export const Contact = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
    phone: z.string().trim().min(3).max(40).optional(),
    role: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .meta({ id: 'Contact' });

export const Contacts = z.array(Contact).min(1, 'at least one contact is required').max(10);

export const Language = z.enum(['fr', 'en']);

export const LadderAction = z.enum(['reminder_email', 'phone_call', 'penalty_reminder', 'formal_notice', 'hand_off']);

export const LadderStep = z
  .object({ offsetDays: z.number().int().min(0).max(300), action: LadderAction })
  .strict()
  .meta({ id: 'LadderStep', description: 'One rung of the overdue ladder, `offsetDays` after the due date.' });

export const PolicyOverrides = z
  .object({
    daysBeforeDue: z.number().int().min(1).max(60).optional(),
    promiseGraceDays: z.number().int().min(0).max(30).optional(),
    disputeFollowUpDays: z.number().int().min(1).max(60).optional(),
    minimumGapDays: z.number().int().min(1).max(30).optional(),
    ladder: z.array(LadderStep).min(1).max(12).optional(),
  })
  .strict()
  .meta({ id: 'PolicyOverrides', description: 'Per-invoice overrides of the dunning policy.' });

export const RegisterInvoiceBody = z
  .object({
    invoiceId: InvoiceId,
    customer: z
      .object({
        id: z.string().trim().min(1).max(128),
        name: z.string().trim().min(1).max(200),
        language: Language,
        contacts: Contacts,
      })
      .strict(),
    amount: Money,
    issueDate: IsoDate,
    dueDate: IsoDate,
    purchaseOrder: z.string().trim().min(1).max(100).optional(),
    pdfUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    paymentMethod: PaymentMethod.optional(),
    reference: z.string().trim().min(1).max(140).optional(),
    policy: PolicyOverrides.optional(),
  })
  .strict()
  .refine((b) => b.dueDate >= b.issueDate, { message: 'dueDate must not be before issueDate', path: ['dueDate'] })
  .meta({ id: 'RegisterInvoice' });
export type RegisterInvoiceBody = z.infer<typeof RegisterInvoiceBody>;

export const PaymentBody = z
  .object({
    amount: Money,
    paidAt: z.union([IsoDate, IsoTimestamp]),
    reference: z.string().trim().min(1).max(140).meta({ description: 'The payment\'s reference; the same reference twice counts once.' }),
  })
  .strict()
  .meta({ id: 'Payment' });
export type PaymentBody = z.infer<typeof PaymentBody>;

export const CancelBody = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .meta({ id: 'Cancel' });

export const PatchInvoiceBody = z
  .object({ dueDate: IsoDate.optional(), contacts: Contacts.optional() })
  .strict()
  .refine((b) => b.dueDate !== undefined || b.contacts !== undefined, 'give a new dueDate and/or contacts')
  .meta({ id: 'PatchInvoice' });
export type PatchInvoiceBody = z.infer<typeof PatchInvoiceBody>;

export const ResolveDisputeBody = z
  .object({
    outcome: z.enum(['rejected', 'corrected_amount', 'credit_note']).meta({
      description: 'rejected: the claim stands, reminders resume; corrected_amount: a new outstanding amount; credit_note: the invoice is cancelled.',
    }),
    correctedAmount: Money.optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((b) => b.outcome !== 'corrected_amount' || b.correctedAmount !== undefined, {
    message: 'correctedAmount is required when the outcome is corrected_amount',
    path: ['correctedAmount'],
  })
  .meta({ id: 'ResolveDispute' });
export type ResolveDisputeBody = z.infer<typeof ResolveDisputeBody>;

export const CallOutcomeBody = z
  .object({
    outcome: z.enum(['promised', 'disputed', 'no_answer', 'wrong_number', 'other']),
    promisedDate: IsoDate.optional(),
    paymentMethod: PaymentMethod.optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((b) => b.outcome !== 'promised' || b.promisedDate !== undefined, {
    message: 'promisedDate is required when the outcome is promised',
    path: ['promisedDate'],
  })
  .meta({ id: 'CallOutcome' });
export type CallOutcomeBody = z.infer<typeof CallOutcomeBody>;

export const DisputeReason = z.enum([
  'invoice_not_received',
  'goods_not_received',
  'defective',
  'wrong_amount',
  'missing_purchase_order',
  'other',
]);
export type DisputeReason = z.infer<typeof DisputeReason>;

const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());

/** The customer's answer, posted as a form from the page behind `/r/{token}`. */
export const CustomerAnswer = z.discriminatedUnion('action', [
  z.object({ action: z.literal('promise'), promisedDate: IsoDate, paymentMethod: PaymentMethod, message: optionalText(2000) }),
  z.object({ action: z.literal('dispute'), reason: DisputeReason, message: optionalText(2000) }),
  z.object({
    action: z.literal('question'),
    message: z.string().trim().min(1).max(2000),
    contactName: optionalText(200),
    contactEmail: z.preprocess((v) => (v === '' ? undefined : v), z.email().max(254).optional()),
  }),
]);
export type CustomerAnswer = z.infer<typeof CustomerAnswer>;

/** Turns zod issues into the `details` of a 400 answer: where and what. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
