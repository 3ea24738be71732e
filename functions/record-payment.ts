/** POST /invoices/{invoiceId}/payments — a partial or full payment; a full one ends the execution at once. */
import { recordPayment } from '../shared/billing';
import { getDependencies } from '../shared/commons/dependencies';
import { awsWorkflow } from '../shared/commons/aws-workflow';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/commons/http';
import { invoiceView } from '../shared/invoice';
import { PaymentBody } from '../shared/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, PaymentBody);
  const { record } = await recordPayment(getDependencies({ workflow: awsWorkflow }), invoiceId, body);
  return json(200, invoiceView(record));
});
