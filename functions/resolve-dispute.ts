/** POST /invoices/{invoiceId}/dispute-resolution — the operator closes an open dispute. */
import { resolveDispute } from '../shared/billing';
import { getDependencies } from '../shared/commons/dependencies';
import { awsWorkflow } from '../shared/commons/aws-workflow';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/commons/http';
import { billingSettings } from '../shared/commons/settings';
import { invoiceView } from '../shared/invoice';
import { ResolveDisputeBody } from '../shared/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, ResolveDisputeBody);
  const { record } = await resolveDispute(getDependencies({ workflow: awsWorkflow }), billingSettings(), invoiceId, body);
  return json(200, invoiceView(record));
});
