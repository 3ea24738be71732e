/** POST /invoices/{invoiceId}/documents — a supporting document (contract, order, delivery proof...) for the evidence. */
import { attachDocument } from '../shared/services/billing';
import { s3Documents } from '../shared/lambda/adapters';
import { getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json, parseJsonBody } from '../shared/lambda/http';
import { invoiceView } from '../shared/domain/invoice';
import { DocumentBody } from '../shared/domain/schemas';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const body = parseJsonBody(event, DocumentBody);
  const { record, changed } = await attachDocument(getDependencies({ documents: s3Documents }), invoiceId, body);
  return json(changed ? 201 : 200, invoiceView(record));
});
