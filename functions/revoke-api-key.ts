/**
 * POST /api-keys/{keyId}/revoke — revokes a key (operator): it opens nothing from then on (API Gateway may serve its
 * cached authorization for up to five minutes more). Revoking again changes nothing; the last key in use: 409.
 */
import { getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, json, parseWith } from '../shared/lambda/http';
import { ApiKeyId } from '../shared/domain/schemas';
import { revokeApiKey } from '../shared/services/api-keys';

export const handler = httpHandler(async (event) => {
  const keyId = parseWith(ApiKeyId, event.pathParameters?.keyId ?? '');
  return json(200, await revokeApiKey(getDependencies(), keyId));
});
