/** POST /invoices/{invoiceId}/restart — the operator resumes an invoice whose execution ended in "Needs attention". */
import { restartExecution } from '../shared/billing';
import { awsWorkflow } from '../shared/commons/aws-workflow';
import { getDependencies } from '../shared/commons/dependencies';
import { httpHandler, invoiceIdParam, json } from '../shared/commons/http';
import { invoiceView } from '../shared/invoice';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const { record } = await restartExecution(getDependencies({ workflow: awsWorkflow }), invoiceId);
  return json(200, invoiceView(record));
});
