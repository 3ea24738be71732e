/** POST /invoices/{invoiceId}/payments — a partial or full payment; a full one ends the execution at once. */
import { recordPayment } from '../shared/services/billing';
import { getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow } from '../shared/lambda/adapters';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { PaymentBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, PaymentBody);
  const { record } = await recordPayment(getDependencies({ workflow: awsWorkflow }), invoiceId, body);
  return json(200, invoiceView(record));
});
