/** POST /invoices/{invoiceId}/dispute-resolution — the operator closes an open dispute. */
import { resolveDispute } from '../shared/services/billing';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow, sqsSignals } from '../shared/lambda/adapters';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { ResolveDisputeBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, ResolveDisputeBody);
  const { record } = await resolveDispute(getDependencies({ workflow: awsWorkflow, signals: sqsSignals }), getConfig(), invoiceId, body);
  return json(200, invoiceView(record));
});
