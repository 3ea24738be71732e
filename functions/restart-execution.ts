/** POST /invoices/{invoiceId}/restart — the operator resumes an invoice whose execution ended in "Needs attention". */
import { restartExecution } from '../shared/services/billing';
import { awsWorkflow, sqsSignals } from '../shared/lambda/adapters';
import { getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const { record } = await restartExecution(getDependencies({ workflow: awsWorkflow, signals: sqsSignals }), invoiceId);
  return json(200, invoiceView(record));
});
