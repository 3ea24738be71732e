/** POST /invoices — registers an invoice and starts (or schedules) its execution. Idempotent on the body. */
import { registerInvoice } from '../shared/billing';
import { getDependencies } from '../shared/commons/dependencies';
import { awsWorkflowWithScheduler } from '../shared/commons/aws-workflow';
import { httpHandler, json, parseJsonBody } from '../shared/commons/http';
import { billingSettings } from '../shared/commons/settings';
import { invoiceView } from '../shared/invoice';
import { RegisterInvoiceBody } from '../shared/schemas';

export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, RegisterInvoiceBody);
  const { created, record } = await registerInvoice(getDependencies({ workflow: awsWorkflowWithScheduler }), billingSettings(), body);
  return json(created ? 201 : 200, invoiceView(record), { location: `/invoices/${encodeURIComponent(record.invoiceId)}` });
});
