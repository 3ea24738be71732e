/** POST /invoices — registers an invoice and starts (or schedules) its execution. Idempotent on the body. */
import { registerInvoice } from '../shared/services/billing';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { sqsSignals } from '../shared/lambda/adapters';
import { httpHandler, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { RegisterInvoiceBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, RegisterInvoiceBody);
  const { created, record } = await registerInvoice(getDependencies({ signals: sqsSignals }), getConfig(), body);
  return json(created ? 201 : 200, invoiceView(record), { location: `/invoices/${encodeURIComponent(record.invoiceId)}` });
});
