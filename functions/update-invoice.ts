/** PATCH /invoices/{invoiceId} — a new due date (the execution re-plans) and/or new contacts. */
import { updateInvoice } from '../shared/services/billing';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflowWithScheduler, sqsSignals } from '../shared/lambda/adapters';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { PatchInvoiceBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, PatchInvoiceBody);
  const { record } = await updateInvoice(getDependencies({ workflow: awsWorkflowWithScheduler, signals: sqsSignals }), getConfig(), invoiceId, body);
  return json(200, invoiceView(record));
});
