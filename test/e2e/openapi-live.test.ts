/**
 * `/openapi.json` against the live answers: every route of the catalog is called over HTTP through the local runtime,
 * in the situations a billing system meets (created, replayed, refused, unknown, unauthenticated), and every answer
 * must be a response the document lists for that operation, its JSON body valid against the documented schema
 * (JSON Schema 2020-12, with ajv), and an invoice must carry no field the document does not describe.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../infra/catalog';
import { addDays, answerLink, type Reply, useRuntime } from './support/client';
import { frenchInvoice, invoiceNumber } from './support/invoices';

const START = '2027-01-04T07:00:00.000Z';
const client = useRuntime(START);

type Operation = { responses: Record<string, { content?: Record<string, { schema?: object }> }> };
let document: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();
/** Route key → the statuses seen, so that the test can tell every route was called. */
const seen = new Map<string, Set<number>>();

beforeAll(async () => {
  document = (await client().request('GET', '/openapi.json', { auth: false })).json;
  // The document's own references (`#/components/...`) resolve against it, registered under an id.
  ajv.addSchema(JSON.parse(JSON.stringify({ components: document.components }).replaceAll('"#/components/', '"openapi#/components/')), 'openapi');
});

/** Checks one live answer against the operation the document describes for `method path`. */
function conforms(method: string, path: string, reply: Reply): void {
  const key = `${method} ${path}`;
  seen.set(key, new Set([...(seen.get(key) ?? []), reply.status]));
  const operation = document.paths[path]?.[method.toLowerCase()];
  expect(operation, key).toBeDefined();
  const response = operation!.responses[String(reply.status)];
  expect(response, `${key} answered ${reply.status}, which the document does not list: ${String(reply.text).slice(0, 200)}`).toBeDefined();
  const schema = response!.content?.['application/json']?.schema;
  if (!schema || !(reply.headers.get('content-type') ?? '').includes('json')) return;
  const id = `${key} ${reply.status}`;
  let validate = validators.get(id);
  if (!validate) {
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')));
    validators.set(id, validate);
  }
  expect(validate(reply.json) ? [] : validate.errors, `${id}: ${JSON.stringify(reply.json).slice(0, 300)}`).toEqual([]);
}

/** An invoice as answered carries only fields the document describes (a generator would drop the others). */
function describedInvoice(invoice: Record<string, unknown>): void {
  const documented = Object.keys(document.components.schemas.Invoice!.properties ?? {});
  expect(Object.keys(invoice).filter((field) => !documented.includes(field))).toEqual([]);
}

describe('the OpenAPI document against the live answers', () => {
  it('lists every answer of every route, and describes every body', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('OAS'), today, { dueDate: addDays(today, 20) });
    const id = encodeURIComponent(body.invoiceId);

    const created = await c.register(body);
    conforms('POST', '/invoices', created);
    conforms('POST', '/invoices', await c.register(body));
    conforms('POST', '/invoices', await c.register({ ...body, amount: { value: 1, currency: 'EUR' } }));
    conforms('POST', '/invoices', await c.register({ ...body, dueDate: 'soon' }));
    conforms('POST', '/invoices', await c.register(body, { auth: false }));
    conforms('POST', '/invoices', await c.register(body, { auth: 'dk_not-a-key-0000000000000000000000000000000' }));
    await c.settle();

    const list = await c.request('GET', `/invoices?customerId=${body.customer.id}&limit=2`);
    conforms('GET', '/invoices', list);
    for (const invoice of list.json.invoices) describedInvoice(invoice);
    conforms('GET', '/invoices', await c.request('GET', '/invoices?limit=0'));

    const one = await c.get(body.invoiceId);
    conforms('GET', '/invoices/{invoiceId}', one);
    describedInvoice(one.json);
    conforms('GET', '/invoices/{invoiceId}', await c.get('F-NOPE-0000'));

    // The pre-reminder, then the customer's page and answer.
    await c.clockTo(one.json.preReminderAt);
    const [pre] = (await c.outbox(body.invoiceId)).filter((e) => e.links.some((l) => l.includes('/r/')));
    const page = answerLink(pre!);
    const shown = await c.open(page);
    conforms('GET', '/r/{token}', shown);
    conforms('POST', '/r/{token}', await c.answer(page, { action: 'question', message: 'Pouvez-vous renvoyer le bon de commande ?' }));
    conforms('POST', '/r/{token}', await c.answer(page, { action: 'promise', promisedDate: 'demain' }));
    conforms('GET', '/r/{token}', await c.open(`${new URL(page).origin}/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`));

    conforms('PATCH', '/invoices/{invoiceId}', await c.patch(body.invoiceId, { dueDate: addDays(today, 25) }));
    conforms('PATCH', '/invoices/{invoiceId}', await c.patch(body.invoiceId, { dueDate: 'never' }));
    conforms('POST', '/invoices/{invoiceId}/call-outcomes', await c.callOutcome(body.invoiceId, { outcome: 'no_answer', note: 'Messagerie' }));
    conforms('POST', '/invoices/{invoiceId}/dispute-resolution', await c.resolve(body.invoiceId, { outcome: 'rejected' }));
    conforms('POST', '/invoices/{invoiceId}/formal-notice', await c.request('POST', `/invoices/${id}/formal-notice`, { body: { postedAt: today, trackingNumber: 'LR-1' } }));
    conforms('POST', '/invoices/{invoiceId}/restart', await c.request('POST', `/invoices/${id}/restart`));
    conforms('POST', '/invoices/{invoiceId}/waive', await c.request('POST', `/invoices/${id}/waive`, { body: { reason: 'Geste commercial' } }));
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
    conforms('POST', '/invoices/{invoiceId}/documents', await c.request('POST', `/invoices/${id}/documents`, { body: { kind: 'contract', filename: 'contrat.pdf', contentType: 'application/pdf', content: pdf } }));
    conforms('GET', '/invoices/{invoiceId}/evidence', await c.evidence(body.invoiceId));
    conforms('POST', '/invoices/{invoiceId}/payments', await c.pay(body.invoiceId, { value: 1_000, currency: 'EUR' }, 'VIR-OAS-1', await c.today()));
    conforms('POST', '/invoices/{invoiceId}/payments', await c.pay(body.invoiceId, { value: -1, currency: 'EUR' }, 'VIR-OAS-2', await c.today()));
    conforms('POST', '/invoices/{invoiceId}/cancel', await c.cancel(body.invoiceId, 'Avoir émis'));
    conforms('POST', '/invoices/{invoiceId}/cancel', await c.cancel(body.invoiceId, 'Avoir émis'));
    await c.settle();

    // The operator's key management: the local key is the last in use.
    const apiKeys = await c.request('GET', '/api-keys');
    conforms('GET', '/api-keys', apiKeys);
    conforms('POST', '/api-keys/{keyId}/revoke', await c.request('POST', `/api-keys/${apiKeys.json.apiKeys[0].keyId}/revoke`));
    conforms('POST', '/api-keys/{keyId}/revoke', await c.request('POST', '/api-keys/000000000000/revoke'));
    conforms('POST', '/api-keys/{keyId}/revoke', await c.request('POST', '/api-keys/not-an-id/revoke'));

    const after = await c.get(body.invoiceId);
    conforms('GET', '/invoices/{invoiceId}', after);
    describedInvoice(after.json);

    // Every route of the catalog was called (the document itself aside).
    const called = [...seen.keys()];
    expect(ROUTES.filter((r) => r.path !== '/openapi.json').map((r) => `${r.method} ${r.path}`).filter((key) => !called.includes(key))).toEqual([]);
  });
});
