/**
 * POST /invoices/{invoiceId}/payments — money received, partial or full, recorded whatever the invoice's status; a full
 * payment ends the execution at once, a payment after closing or beyond what was owed starts the team's notice.
 */
import { awsWorkflow, sqsSignals } from '../shared/lambda/adapters';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { PaymentBody } from '../shared/domain/schemas';
import { recordPayment } from '../shared/services/billing';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, PaymentBody);
  const { record } = await recordPayment(getDependencies({ workflow: awsWorkflow, signals: sqsSignals }), getConfig(), invoiceId, body);
  return json(200, invoiceView(record));
});
