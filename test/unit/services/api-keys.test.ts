/** Revoking API keys: never the last one in use over the API, which would lock every caller out. */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors';
import { sha256 } from '../../../shared/domain/hashing';
import { revokeApiKey } from '../../../shared/services/api-keys';
import { useServiceWorld } from '../../support/service-world';

const world = useServiceWorld('F-KEYS');

describe('revokeApiKey', () => {
  it('revokes a key while another is in use, then refuses to revoke the last one unless told to', async () => {
    // One table per file: the keys of this test are the only ones in it.
    const [erp, crm] = [sha256('erp-key'), sha256('crm-key')];
    await world.store.putApiKey({ keyHash: erp, name: 'erp', createdAt: '2027-01-01T00:00:00.000Z' });
    await world.store.putApiKey({ keyHash: crm, name: 'crm', createdAt: '2027-01-02T00:00:00.000Z' });

    expect(await revokeApiKey(world.deps, erp.slice(0, 12))).toMatchObject({ name: 'erp', revokedAt: world.clock.now().toISOString() });
    await expect(revokeApiKey(world.deps, crm.slice(0, 12))).rejects.toThrow(ConflictError);
    expect((await world.store.getApiKey(crm))?.revokedAt).toBeUndefined();
    expect(await revokeApiKey(world.deps, crm.slice(0, 12), { allowLast: true })).toMatchObject({ name: 'crm' });
    await expect(revokeApiKey(world.deps, 'abcdefabcdef')).rejects.toThrow(NotFoundError);
  });

  it('keeps a key in use when the last two are revoked at the same moment', async () => {
    const hashes = [sha256('race-a'), sha256('race-b')];
    for (const [i, keyHash] of hashes.entries()) await world.store.putApiKey({ keyHash, name: `k${i}`, createdAt: '2027-01-01T00:00:00.000Z' });
    // Every other key of the table is revoked already by the test before.
    const results = await Promise.allSettled(hashes.map((h) => revokeApiKey(world.deps, h.slice(0, 12))));
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(1);
    expect((await world.store.listApiKeys()).some((key) => !key.revokedAt)).toBe(true);
  });
});
