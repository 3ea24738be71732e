/** POST /invoices/{invoiceId}/cancel — credit note or mistake: the execution ends, no more email. */
import { cancelInvoice } from '../shared/services/billing';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow, sqsSignals } from '../shared/lambda/adapters';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { CancelBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const { reason } = parseJsonBody(event, CancelBody);
  const { record } = await cancelInvoice(getDependencies({ workflow: awsWorkflow, signals: sqsSignals }), getConfig(), invoiceId, reason);
  return json(200, invoiceView(record));
});
