/** GET /invoices/{invoiceId}/evidence — the evidence file written at hand-off. */
import { getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json } from '../shared/lambda/http';
import { NotFoundError } from '../shared/domain/errors';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const evidence = await getDependencies().store.getEvidence(invoiceId);
  if (!evidence) throw new NotFoundError(`No evidence file for invoice ${invoiceId} (written at hand-off to legal).`);
  return json(200, evidence);
});
