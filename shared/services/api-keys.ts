/**
 * The billing API's keys as operators manage them: listed (never shown: a key is only ever printed once, when made)
 * and revoked. The last key still in use cannot be revoked over the API, which would lock every caller out, the
 * operator included; `npm run api-keys -- revoke` can, from the AWS account.
 */
import { ConflictError, NotFoundError } from '../domain/errors';
import type { ApiKeySummary, Dependencies } from '../ports';

export async function revokeApiKey(deps: Pick<Dependencies, 'store' | 'clock'>, keyId: string, options: { allowLast?: boolean } = {}): Promise<ApiKeySummary> {
  const active = (await deps.store.listApiKeys()).filter((key) => !key.revokedAt);
  if (!options.allowLast && active.length === 1 && active[0]!.keyId === keyId) {
    throw new ConflictError('last_api_key', 'This is the only key still in use: create another one before revoking it.');
  }
  const at = deps.clock.now().toISOString();
  const revoked = await deps.store.revokeApiKey(keyId, at);
  if (!revoked) throw new NotFoundError(`No API key ${keyId}.`);
  // Two revocations at once may each have seen the other's key in use: looked at again after the write, the one that
  // left no key in use takes its own back (both may; a key in use always remains).
  if (!options.allowLast && revoked.revokedAt === at && (await deps.store.listApiKeys()).every((key) => key.revokedAt)) {
    await deps.store.restoreApiKey(keyId, at);
    throw new ConflictError('last_api_key', 'This is the only key still in use: create another one before revoking it.');
  }
  return revoked;
}
