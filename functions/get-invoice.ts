/** GET /invoices/{invoiceId} — the invoice, its status, its timeline and what is claimed as of now. */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json } from '../shared/lambda/http';
import { NotFoundError } from '../shared/domain/errors';
import { invoiceClaim } from '../shared/domain/invoice-claim';
import { invoiceView } from '../shared/domain/invoice';
import { readTimeline } from '../shared/services/record-updates';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const { store, clock } = getDependencies();
  const record = await store.getInvoice(invoiceId);
  if (!record) throw new NotFoundError(`No invoice ${invoiceId}.`);
  const claim = invoiceClaim(record, getConfig().calendar, clock.now());
  return json(200, { ...invoiceView(record, await readTimeline(store, record)), claim });
});
