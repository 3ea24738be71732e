/** PATCH /invoices/{invoiceId} — a new due date (the execution re-plans) and/or new contacts. */
import { updateInvoice } from '../shared/billing';
import { getDependencies } from '../shared/commons/dependencies';
import { awsWorkflowWithScheduler } from '../shared/commons/aws-workflow';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/commons/http';
import { billingSettings } from '../shared/commons/settings';
import { invoiceView } from '../shared/invoice';
import { PatchInvoiceBody } from '../shared/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, PatchInvoiceBody);
  const { record } = await updateInvoice(getDependencies({ workflow: awsWorkflowWithScheduler }), billingSettings(), invoiceId, body);
  return json(200, invoiceView(record));
});
