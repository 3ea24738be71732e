/**
 * The customer's statement (DESIGN.md §5 "One email per customer"): behind a statement link, every open invoice of the
 * customer addressed to the link's contact, with its status and what is claimed today, answered per invoice or, for a
 * promise, all at once.
 *
 * The link is bound to a customer and a contact, so an answer names an invoice: one of another customer, or one the
 * contact is no longer a contact of, is refused as if it did not exist (404), a closed one as closed (409). "We will pay
 * all of these on <date>" is checked against every invoice's policy before anything is written, so a date one invoice
 * cannot take changes none of them; an invoice paid meanwhile is left out, not refused.
 */
import { latestPromiseDate, promiseDateError } from '../domain/billing';
import { localDate } from '../domain/calendar';
import type { Claim } from '../domain/claim';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { sameAddress, type InvoiceRecord } from '../domain/invoice';
import { invoiceClaim } from '../domain/invoice-claim';
import type { LinkRecord } from '../domain/link';
import { CustomerAnswer, describeIssues } from '../domain/schemas';
import { invoicePolicy, isClosed } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { recordCustomerAnswer, type BillingSettings } from './billing';

export interface StatementLine {
  invoice: InvoiceRecord;
  /** What is claimed today, once the invoice is past due. */
  claim?: Claim;
}

export interface Statement {
  customer: { id: string; name: string };
  lines: StatementLine[];
  today: string;
  /** The latest date a promise made today may name on every line (the strictest policy). */
  latestPromiseDate: string;
}

export type StatementAnswer = { invoiceId: string; action: 'promise' | 'dispute' | 'question'; promisedDate?: string };

/** The statement of the link's customer as of now. `fresh` replaces lines the index may not show yet (just answered). */
export async function customerStatement(
  deps: Pick<Dependencies, 'store'>,
  settings: BillingSettings,
  link: LinkRecord,
  now: Date,
  fresh: InvoiceRecord[] = [],
): Promise<Statement> {
  const customerId = link.statementOf;
  if (!customerId) throw new NotFoundError('This link is not valid.');
  const listed = await deps.store.listOpenInvoices(customerId);
  const answered = new Set(fresh.map((record) => record.invoiceId));
  const read = await Promise.all(listed.filter((ref) => !answered.has(ref.invoiceId)).map((ref) => deps.store.getInvoice(ref.invoiceId)));
  const byId = new Map([...read, ...fresh].filter((r): r is InvoiceRecord => r !== undefined).map((record) => [record.invoiceId, record]));
  const records = [...byId.values()]
    .filter((record) => !isClosed(record) && onStatement(record, link))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceId.localeCompare(b.invoiceId));
  const today = localDate(now, settings.calendar);
  const lines = records.map((invoice) => ({
    invoice,
    ...(today > invoice.dueDate ? { claim: invoiceClaim(invoice, settings.calendar, now) } : {}),
  }));
  const occasion = records.find((record) => record.invoiceId === link.invoiceId) ?? records[0] ?? (await deps.store.getInvoice(link.invoiceId));
  const latest = records.map((record) => latestPromiseDate(invoicePolicy(record, settings), today)).sort()[0];
  return {
    customer: { id: customerId, name: occasion?.customer.name ?? customerId },
    lines,
    today,
    latestPromiseDate: latest ?? today,
  };
}

/** Whether an invoice belongs on the link's statement: the customer's, and still addressed to the link's contact. */
function onStatement(record: InvoiceRecord, link: LinkRecord): boolean {
  return record.customer.id === link.statementOf && record.customer.contacts.some((contact) => sameAddress(contact.email, link.contactEmail));
}

/** Answers written at once by "pay all on one date": enough to be quick, few enough not to crowd the table. */
const PARALLEL_WRITES = 5;

/** Invoices a promise for all of them covers: an invoice with an open dispute waits for its resolution instead. */
export function promisable(record: InvoiceRecord): boolean {
  return !isClosed(record) && record.dispute?.status !== 'open';
}

/**
 * Records an answer posted on the statement page (the form values as posted). Resolves with what was recorded and the
 * records as written; throws ValidationError (with field details) for a form to show again, NotFoundError for an
 * invoice that is not the customer's, ConflictError for a closed one.
 */
export async function answerOnStatement(
  deps: Dependencies,
  settings: BillingSettings,
  link: LinkRecord,
  values: Record<string, string>,
  now: Date,
): Promise<{ answered: StatementAnswer[]; records: InvoiceRecord[] }> {
  const customerId = link.statementOf;
  if (!customerId) throw new NotFoundError('This link is not valid.');
  if (values.action === 'promise_all') {
    const answer = parse({ promisedDate: values.promisedDate ?? '', paymentMethod: values.paymentMethod ?? '', action: 'promise' }) as Extract<CustomerAnswer, { action: 'promise' }>;
    const targets = await deps.store.listOpenInvoices(customerId);
    // Each invoice is read itself (the index holds a few attributes and lags) before its policy is checked.
    const records = (await Promise.all(targets.map((ref) => deps.store.getInvoice(ref.invoiceId)))).filter(
      (record): record is InvoiceRecord => record !== undefined && promisable(record) && onStatement(record, link),
    );
    if (records.length === 0) throw new ConflictError('nothing_to_promise', 'No open invoice can take a promise now.');
    const today = localDate(now, settings.calendar);
    for (const record of records) {
      const error = promiseDateError(answer.promisedDate, invoicePolicy(record, settings), today);
      if (error) throw error;
    }
    const written: InvoiceRecord[] = [];
    for (let start = 0; start < records.length; start += PARALLEL_WRITES) {
      const batch = records.slice(start, start + PARALLEL_WRITES);
      const results = await Promise.allSettled(batch.map((record) => recordCustomerAnswer(deps, settings, record.invoiceId, link.contactEmail, answer)));
      for (const result of results) {
        if (result.status === 'fulfilled') written.push(result.value.record);
        // Paid or cancelled since the page was read: nothing is owed on it, so no promise either.
        else if (!(result.reason instanceof ConflictError && result.reason.code === 'invoice_closed')) throw result.reason;
      }
    }
    return { answered: written.map((record) => ({ invoiceId: record.invoiceId, action: 'promise', promisedDate: answer.promisedDate })), records: written };
  }
  const { invoiceId = '', ...fields } = values;
  const record = await deps.store.getInvoice(invoiceId);
  // Another customer's invoice (or one no longer addressed to this contact) is not one this link knows of.
  if (!record || !onStatement(record, link)) throw new NotFoundError('This invoice is not on this statement.');
  const answer = parse(fields);
  if (answer.action === 'bank_details') throw new ValidationError('The request is not valid.', [{ path: 'action', message: 'unknown action' }]);
  if (isClosed(record)) throw new ConflictError('invoice_closed', `Invoice ${invoiceId} is ${record.status}.`);
  const { record: written } = await recordCustomerAnswer(deps, settings, invoiceId, link.contactEmail, answer);
  return {
    answered: [{ invoiceId, action: answer.action, ...(answer.action === 'promise' ? { promisedDate: answer.promisedDate } : {}) }],
    records: [written],
  };
}

function parse(values: Record<string, string>): CustomerAnswer {
  const parsed = CustomerAnswer.safeParse(values);
  if (!parsed.success) throw new ValidationError('The request is not valid.', describeIssues(parsed.error));
  return parsed.data;
}
