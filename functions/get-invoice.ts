/** GET /invoices/{invoiceId} — the invoice, its status and its timeline. */
import { getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json } from '../shared/lambda/http';
import { NotFoundError } from '../shared/domain/errors';
import { invoiceView } from '../shared/domain/invoice';
import { readTimeline } from '../shared/services/record-updates';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const { store } = getDependencies();
  const record = await store.getInvoice(invoiceId);
  if (!record) throw new NotFoundError(`No invoice ${invoiceId}.`);
  return json(200, invoiceView(record, await readTimeline(store, record)));
});
