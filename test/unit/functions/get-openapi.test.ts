/** GET /openapi.json describes the API that the catalog deploys. */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/get-openapi';
import { ROUTES } from '../../../infra/catalog';
import { freshHandlerWorld, mockAws } from '../../support/aws-mocks';
import { apiEvent } from '../../support/http-events';

const aws = mockAws();

beforeEach(() => {
  freshHandlerWorld(aws, '2027-03-25T10:00:00.000Z');
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('get-openapi', () => {
  it('answers an OpenAPI 3.1 JSON document describing every route of the catalog', async () => {
    const result = await handler(apiEvent({ method: 'GET', path: '/openapi.json' }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    const document = JSON.parse(result.body!);
    expect(document.openapi).toBe('3.1.0');
    // The document does not describe itself.
    for (const route of ROUTES.filter((r) => r.path !== '/openapi.json')) {
      expect(document.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it('names every operation of the catalog once, as client generators name their methods', async () => {
    const document = JSON.parse((await handler(apiEvent({ method: 'GET', path: '/openapi.json' }))).body!);
    const ids = ROUTES.filter((r) => r.path !== '/openapi.json').map((route) => document.paths[route.path][route.method.toLowerCase()].operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.paths['/invoices'].get.operationId).toBe('listInvoices');
  });

  it('asks for the API key on billing routes and not on customer pages', async () => {
    const document = JSON.parse((await handler(apiEvent({ method: 'GET', path: '/openapi.json' }))).body!);
    expect(document.security).toEqual([{ bearer: [] }]);
    for (const route of ROUTES.filter((r) => r.path !== '/openapi.json')) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      expect(operation.security === undefined ? 'bearer' : 'none', `${route.method} ${route.path}`).toBe(route.auth ? 'bearer' : 'none');
    }
  });

  it('documents what API Gateway itself answers on every billing route: 401, 403 and an unknown route\'s 404', async () => {
    const document = JSON.parse((await handler(apiEvent({ method: 'GET', path: '/openapi.json' }))).body!);
    expect(document.components.schemas.GatewayError).toMatchObject({ required: ['message'], properties: { message: { type: 'string' } } });
    for (const route of ROUTES.filter((r) => r.auth)) {
      const responses = document.paths[route.path][route.method.toLowerCase()].responses;
      expect(responses['401'].content['application/json'].example, `${route.method} ${route.path}`).toEqual({ message: 'Unauthorized' });
      expect(responses['403'].content['application/json'].example).toEqual({ message: 'Forbidden' });
      expect(JSON.stringify(responses['404'])).toContain('#/components/schemas/GatewayError');
    }
  });

  it('is a valid OpenAPI 3.1 document for a maintained validator, every $ref resolving under components', async () => {
    const document = JSON.parse((await handler(apiEvent({ method: 'GET', path: '/openapi.json' }))).body!);
    const refs = [...new Set(JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [])];
    expect(refs.filter((ref) => !ref.includes('#/components/schemas/'))).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('"$defs"');
    // Shared schemas are named once: the registration body and the types it is made of.
    expect(document.paths['/invoices'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RegisterInvoice' });
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['RegisterInvoice', 'Money', 'PostalAddress', 'Contact', 'Payment', 'FormalNoticeLetter']));
    await expect(SwaggerParser.validate(document)).resolves.toBeDefined();
  });

  it('names the server it was called on', async () => {
    const document = JSON.parse((await handler(apiEvent({ method: 'GET', path: '/openapi.json', headers: { host: 'api.example.com' } }))).body!);
    expect(document.servers).toEqual([{ url: 'https://api.example.com' }]);
  });
});
