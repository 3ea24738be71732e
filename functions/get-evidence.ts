/** GET /invoices/{invoiceId}/evidence — the evidence file, fixed at the hand-off and completed by what came after. */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json } from '../shared/lambda/http';
import { NotFoundError } from '../shared/domain/errors';
import { readEvidence } from '../shared/services/hand-off';

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const evidence = await readEvidence(getDependencies(), getConfig(), invoiceId);
  if (!evidence) throw new NotFoundError(`No evidence file for invoice ${invoiceId} (written at hand-off to legal).`);
  return json(200, evidence);
});
