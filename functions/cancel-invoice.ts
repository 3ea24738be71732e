/** POST /invoices/{invoiceId}/cancel — credit note or mistake: the execution ends, no more email. */
import { cancelInvoice } from '../shared/billing';
import { getDependencies } from '../shared/commons/dependencies';
import { awsWorkflow } from '../shared/commons/aws-workflow';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/commons/http';
import { invoiceView } from '../shared/invoice';
import { CancelBody } from '../shared/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const { reason } = parseJsonBody(event, CancelBody);
  const { record } = await cancelInvoice(getDependencies({ workflow: awsWorkflow }), invoiceId, reason);
  return json(200, invoiceView(record));
});
