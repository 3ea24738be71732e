/**
 * GET /r/{token} shows the customer's answer page and never changes the workflow (mail scanners pre-fetch every
 * link); POST /r/{token} records the answer (promise, problem, question) and confirms it. A statement link shows every
 * open invoice of the customer instead (`?format=pdf|csv` downloads it), answered per invoice or all at once.
 */
import { recordCustomerAnswer } from '../shared/services/billing';
import { localDate } from '../shared/domain/calendar';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow, sqsSignals } from '../shared/lambda/adapters';
import { bodyText, type HttpEvent, type HttpResult } from '../shared/lambda/http';
import { latestPromiseDate } from '../shared/domain/billing';
import { DomainError, ValidationError } from '../shared/domain/errors';
import { CLOSED_STATUSES } from '../shared/domain/invoice';
import { invoicePolicy } from '../shared/domain/workflow';
import { findLink, recordPageView } from '../shared/services/links';
import { renderAnswerPage, renderConfirmationPage, renderErrorPage, type ErrorReason, type FieldError } from '../shared/rendering/pages/answer-pages';
import { CustomerAnswer, describeIssues } from '../shared/domain/schemas';
import type { LinkRecord } from '../shared/domain/link';
import type { Dependencies } from '../shared/ports';
import { answerOnStatement, customerStatement, type Statement } from '../shared/services/statement';
import { renderStatementConfirmation, renderStatementPage, type StatementAction } from '../shared/rendering/pages/statement-page';
import { renderStatementCsv } from '../shared/rendering/statement-csv';

/** Answers per link and hour: far above a person's needs, low enough to stop a script. */
const ANSWERS_PER_HOUR = 20;
const ACTIONS = new Set(['promise', 'dispute', 'question']);

const REASONS: Record<number, ErrorReason> = {
  404: 'not_found',
  410: 'expired',
  429: 'too_many',
  409: 'closed',
  400: 'invalid',
};

export async function handler(event: HttpEvent): Promise<HttpResult> {
  try {
    return await answer(event);
  } catch (error) {
    if (error instanceof DomainError) {
      // Racing writers (409 concurrent_update) did not close the invoice: the customer is asked to send it again.
      const reason = error.code === 'concurrent_update' ? 'busy' : (REASONS[error.status] ?? 'invalid');
      return renderErrorPage({ statusCode: error.status, reason });
    }
    console.error(JSON.stringify({ level: 'ERROR', message: 'customer page failed', error: String(error) }));
    return renderErrorPage({ statusCode: 500, reason: 'server_error' });
  }
}

async function answer(event: HttpEvent): Promise<HttpResult> {
  const deps = getDependencies({ workflow: awsWorkflow, signals: sqsSignals });
  const config = getConfig();
  const token = event.pathParameters?.token ?? '';
  const now = deps.clock.now();
  const link = await findLink(deps.store, token, now);
  if (link.statementOf) return statement(event, deps, config, link, token, now);
  const invoice = await deps.store.getInvoice(link.invoiceId);
  if (!invoice) return renderErrorPage({ statusCode: 404, language: link.language, reason: 'not_found' });
  const today = localDate(now, config.calendar);
  const formAction = `/r/${token}`;
  const page = { creditor: config.creditor, invoice, link, formAction, today, latestPromiseDate: latestPromiseDate(invoicePolicy(invoice, config), today) };

  if (event.requestContext.http.method !== 'POST') {
    const requested = event.queryStringParameters?.action;
    await recordPageView(deps.store, link, config.calendar, now);
    return renderAnswerPage({ ...page, ...(requested && ACTIONS.has(requested) ? { action: requested as 'promise' } : {}) });
  }

  await deps.store.countLinkUse(link.tokenHash, now.toISOString(), ANSWERS_PER_HOUR);
  const values = Object.fromEntries(new URLSearchParams(bodyText(event)));
  const action = ACTIONS.has(values.action) ? (values.action as 'promise') : undefined;
  const parsed = CustomerAnswer.safeParse(values);
  if (!parsed.success) return { ...renderAnswerPage({ ...page, action, errors: describeIssues(parsed.error), values }), statusCode: 400 };
  if (CLOSED_STATUSES.has(invoice.status)) return renderErrorPage({ statusCode: 409, language: link.language, reason: 'closed' });
  try {
    const { record } = await recordCustomerAnswer(deps, config, invoice.invoiceId, link.contactEmail, parsed.data);
    return renderConfirmationPage({ ...page, invoice: record, answer: parsed.data });
  } catch (error) {
    // A rule of the domain refused the answer (a promised date too far): the form again, saying why, nothing changed.
    if (error instanceof ValidationError && Array.isArray(error.details)) {
      return { ...renderAnswerPage({ ...page, action, errors: error.details as FieldError[], values }), statusCode: 400 };
    }
    throw error;
  }
}

const STATEMENT_ACTIONS = new Set<string>([...ACTIONS, 'promise_all']);

async function statement(event: HttpEvent, deps: Dependencies, config: ReturnType<typeof getConfig>, link: LinkRecord, token: string, now: Date): Promise<HttpResult> {
  const formAction = `/r/${token}`;
  const page = (s: Statement) => ({ creditor: config.creditor, language: link.language, formAction, ...s });
  if (event.requestContext.http.method !== 'POST') {
    const query = event.queryStringParameters ?? {};
    // A download renders a document each time: it counts against the link's hourly uses, as an answer does.
    if (query.format === 'csv' || query.format === 'pdf') await deps.store.countLinkUse(link.tokenHash, now.toISOString(), ANSWERS_PER_HOUR);
    const current = await customerStatement(deps, config, link, now);
    const download = { creditor: config.creditor, language: link.language, customer: current.customer, lines: current.lines, today: current.today };
    if (query.format === 'csv') return file(renderStatementCsv(download), 'text/csv; charset=utf-8', `${current.today}.csv`, false);
    if (query.format === 'pdf') {
      // Loaded on demand: the PDF library and its fonts would double the cold start of every page a customer opens.
      const { renderStatementPdf } = await import('../shared/rendering/letters/statement');
      return file(Buffer.from(await renderStatementPdf(download)).toString('base64'), 'application/pdf', `${current.today}.pdf`, true);
    }
    await recordPageView(deps.store, link, config.calendar, now);
    const action = query.action && STATEMENT_ACTIONS.has(query.action) ? (query.action as StatementAction) : undefined;
    return renderStatementPage({ ...page(current), ...(query.invoice || action ? { focus: { ...(query.invoice ? { invoiceId: query.invoice } : {}), ...(action ? { action } : {}) } } : {}) });
  }
  await deps.store.countLinkUse(link.tokenHash, now.toISOString(), ANSWERS_PER_HOUR);
  const values = Object.fromEntries(new URLSearchParams(bodyText(event)));
  try {
    const { answered, records } = await answerOnStatement(deps, config, link, values, now);
    return renderStatementConfirmation({ ...page(await customerStatement(deps, config, link, now, records)), answered });
  } catch (error) {
    // The form again, saying why; nothing changed.
    if (error instanceof ValidationError && Array.isArray(error.details)) {
      return { ...renderStatementPage({ ...page(await customerStatement(deps, config, link, now)), errors: error.details as FieldError[], values }), statusCode: 400 };
    }
    throw error;
  }
}

/** A statement download: never cached (it names amounts), saved under the creditor-local date. */
function file(body: string, contentType: string, name: string, base64: boolean): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="statement-${name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body,
    isBase64Encoded: base64,
  };
}
