/** POST /invoices/{invoiceId}/formal-notice — the formal notice's registered letter, as posted and as received. */
import { recordRegisteredLetter } from '../shared/services/billing';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow, sqsSignals } from '../shared/lambda/adapters';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { FormalNoticeBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, FormalNoticeBody);
  const { record } = await recordRegisteredLetter(getDependencies({ workflow: awsWorkflow, signals: sqsSignals }), getConfig(), invoiceId, body);
  return json(200, invoiceView(record));
});
