/** The HTTP API's Lambda authorizer: only a known API key, sent as a Bearer token, gets through. */
import { GetCommand, type GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/authorize-api-key';
import { keys } from '../../../shared/adapters/dynamodb-table';
import { sha256 } from '../../../shared/domain/hashing';
import { freshHandlerWorld, mockAws, serveItems } from '../../support/aws-mocks';
import { authorizerEvent } from '../../support/http-events';

const aws = mockAws();
const API_KEY = 'dk_live_3f9a1c7e5b2d4a6f8e0c1b3d5f7a9c2e';

beforeEach(() => {
  freshHandlerWorld(aws, '2027-03-25T10:00:00.000Z');
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('authorize-api-key', () => {
  it('refuses a request without an Authorization header, without looking anything up', async () => {
    expect(await handler(authorizerEvent())).toEqual({ isAuthorized: false });
    expect(aws.doc.commandCalls(GetCommand)).toEqual([]);
  });

  it('refuses a malformed Authorization header', async () => {
    for (const authorization of [`Basic ${Buffer.from(`user:${API_KEY}`).toString('base64')}`, 'Bearer abc', API_KEY, 'Bearer ']) {
      expect(await handler(authorizerEvent({ authorization })), authorization).toEqual({ isAuthorized: false });
    }
    expect(aws.doc.commandCalls(GetCommand)).toEqual([]);
  });

  it('refuses an unknown key, looked up by its hash', async () => {
    serveItems(aws, []);
    expect(await handler(authorizerEvent({ authorization: `Bearer ${API_KEY}` }))).toEqual({ isAuthorized: false });
    const lookups = aws.doc.commandCalls(GetCommand).map((call) => (call.args[0].input as GetCommandInput).Key);
    // Where keys are kept now, then where versions before 2026-12-01 kept them.
    expect(lookups).toEqual([keys.apiKey(sha256(API_KEY)), keys.legacyApiKey(sha256(API_KEY))]);
    // The key itself never reaches the database.
    expect(JSON.stringify(lookups)).not.toContain(API_KEY);
  });

  it('refuses a revoked key', async () => {
    const keyHash = sha256(API_KEY);
    serveItems(aws, [{ ...keys.apiKey(keyHash), keyHash, name: 'erp-production', createdAt: '2027-01-04T09:00:00.000Z', revokedAt: '2027-02-01T00:00:00.000Z' }]);
    expect(await handler(authorizerEvent({ authorization: `Bearer ${API_KEY}` }))).toEqual({ isAuthorized: false });
  });

  it('lets a known key through and names it for the handlers', async () => {
    const keyHash = sha256(API_KEY);
    serveItems(aws, [{ ...keys.apiKey(keyHash), keyHash, name: 'erp-production', createdAt: '2027-01-04T09:00:00.000Z' }]);
    expect(await handler(authorizerEvent({ authorization: `Bearer ${API_KEY}` }))).toEqual({
      isAuthorized: true,
      context: { keyName: 'erp-production' },
    });
  });
});
