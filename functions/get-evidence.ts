/**
 * GET /invoices/{invoiceId}/evidence — the evidence file, fixed at the hand-off and completed by what came after, with
 * its bundle: a ZIP written now to the documents bucket, fetched through a short-lived link (a bundle with its
 * supporting documents outgrows what an API answer may carry).
 */
import { s3Documents } from '../shared/lambda/adapters';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, invoiceIdParam, json } from '../shared/lambda/http';
import { NotFoundError } from '../shared/domain/errors';
import { evidenceWithBundle } from '../shared/services/evidence';

/** Long enough to download a large bundle on a slow line, short enough that a forwarded link soon dies. */
const LINK_SECONDS = 15 * 60;

export const handler = httpHandler(async (event) => {
  const invoiceId = invoiceIdParam(event);
  const deps = getDependencies({ documents: s3Documents });
  const config = getConfig();
  const found = await evidenceWithBundle(deps, config, invoiceId);
  if (!found) throw new NotFoundError(`No evidence file for invoice ${invoiceId} (written at hand-off to legal).`);
  const { evidence, bundle } = found;
  // Evidence an earlier version wrote as it stood comes without a bundle.
  if (!bundle) return json(200, evidence);
  const { key: _key, ...facts } = bundle;
  const expiresAt = new Date(deps.clock.now().getTime() + LINK_SECONDS * 1000).toISOString();
  return json(200, { ...evidence, bundle: { ...facts, url: await deps.documents.url(bundle.key, LINK_SECONDS), expiresAt } });
});
