/** POST /invoices/{invoiceId}/call-outcomes — what the collector's phone call gave. */
import { recordCallOutcome } from '../shared/billing';
import { getDependencies } from '../shared/commons/dependencies';
import { awsWorkflow } from '../shared/commons/aws-workflow';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/commons/http';
import { billingSettings } from '../shared/commons/settings';
import { invoiceView } from '../shared/invoice';
import { CallOutcomeBody } from '../shared/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, CallOutcomeBody);
  const { record } = await recordCallOutcome(getDependencies({ workflow: awsWorkflow }), billingSettings(), invoiceId, body);
  return json(200, invoiceView(record));
});
