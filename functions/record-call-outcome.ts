/** POST /invoices/{invoiceId}/call-outcomes — what the collector's phone call gave. */
import { recordCallOutcome } from '../shared/services/billing';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow, sqsSignals } from '../shared/lambda/adapters';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { CallOutcomeBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, CallOutcomeBody);
  const { record } = await recordCallOutcome(getDependencies({ workflow: awsWorkflow, signals: sqsSignals }), getConfig(), invoiceId, body);
  return json(200, invoiceView(record));
});
