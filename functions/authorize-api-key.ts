/**
 * The HTTP API's Lambda authorizer: `Authorization: Bearer <api key>`, looked up by its SHA-256 (keys are stored
 * hashed). Answers in the "simple response" format; API Gateway caches the answer per header value.
 */
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { getDependencies } from '../shared/lambda/dependencies';
import { sha256 } from '../shared/domain/hashing';

export async function handler(event: APIGatewayRequestAuthorizerEventV2) {
  const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
  const match = /^Bearer\s+(\S{8,200})$/i.exec(header.trim());
  if (!match) return { isAuthorized: false };
  const key = await getDependencies().store.getApiKey(sha256(match[1]));
  // A revoked key opens nothing (API Gateway may serve its cached answer for up to five minutes more).
  return key && !key.revokedAt ? { isAuthorized: true, context: { keyName: key.name } } : { isAuthorized: false };
}
