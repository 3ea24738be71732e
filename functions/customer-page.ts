/**
 * GET /r/{token} shows the customer's answer page and never changes the workflow (mail scanners pre-fetch every
 * link); POST /r/{token} records the answer (promise, problem, question) and confirms it.
 */
import { recordCustomerAnswer } from '../shared/services/billing';
import { localDate } from '../shared/domain/calendar';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow } from '../shared/lambda/adapters';
import { bodyText, type HttpEvent, type HttpResult } from '../shared/lambda/http';
import { DomainError } from '../shared/domain/errors';
import { CLOSED_STATUSES, timelineEntry } from '../shared/domain/invoice';
import { findLink } from '../shared/services/links';
import { renderAnswerPage, renderConfirmationPage, renderErrorPage, type ErrorReason } from '../shared/rendering/pages/answer-pages';
import { CustomerAnswer, describeIssues } from '../shared/domain/schemas';

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
    if (error instanceof DomainError) return renderErrorPage({ statusCode: error.status, reason: REASONS[error.status] ?? 'invalid' });
    console.error(JSON.stringify({ level: 'ERROR', message: 'customer page failed', error: String(error) }));
    return renderErrorPage({ statusCode: 500, reason: 'server_error' });
  }
}

async function answer(event: HttpEvent): Promise<HttpResult> {
  const deps = getDependencies({ workflow: awsWorkflow });
  const config = getConfig();
  const token = event.pathParameters?.token ?? '';
  const now = deps.clock.now();
  const link = await findLink(deps.store, token, now);
  const invoice = await deps.store.getInvoice(link.invoiceId);
  if (!invoice) return renderErrorPage({ statusCode: 404, language: link.language, reason: 'not_found' });
  const formAction = `/r/${token}`;
  const page = { creditor: config.creditor, invoice, link, formAction, today: localDate(now, config.calendar) };

  if (event.requestContext.http.method !== 'POST') {
    const requested = event.queryStringParameters?.action;
    await deps.store.appendTimeline(invoice.invoiceId, [timelineEntry('page_viewed', now, { contact: link.contactEmail })]);
    return renderAnswerPage({ ...page, ...(requested && ACTIONS.has(requested) ? { action: requested as 'promise' } : {}) });
  }

  await deps.store.countLinkUse(link.tokenHash, now.toISOString(), ANSWERS_PER_HOUR);
  const values = Object.fromEntries(new URLSearchParams(bodyText(event)));
  const parsed = CustomerAnswer.safeParse(values);
  if (!parsed.success) {
    const action = ACTIONS.has(values.action) ? (values.action as 'promise') : undefined;
    return { ...renderAnswerPage({ ...page, action, errors: describeIssues(parsed.error), values }), statusCode: 400 };
  }
  if (CLOSED_STATUSES.has(invoice.status)) return renderErrorPage({ statusCode: 409, language: link.language, reason: 'closed' });
  const { record } = await recordCustomerAnswer(deps, getConfig(), invoice.invoiceId, link.contactEmail, parsed.data);
  return renderConfirmationPage({ ...page, invoice: record, answer: parsed.data });
}
