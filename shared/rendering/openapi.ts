/** The OpenAPI 3.1 description of the billing API, generated from the zod schemas the handlers parse with. */
import * as z from 'zod/mini';
import { STATUSES } from '../domain/invoice';
import { CallOutcomeBody, CancelBody, CustomerAnswer, DocumentBody, FormalNoticeBody, PatchInvoiceBody, PaymentBody, RegisterInvoiceBody, ResolveDisputeBody, WaiveBody } from '../domain/schemas';

/**
 * A request schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1. Schemas with an id (`z.meta({ id })`) come out
 * as `$defs` of each schema that uses them; `openApiDocument` gathers them under `components.schemas`.
 */
const schema = (s: z.ZodMiniType) => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return json;
};

const COMPONENT_REF = '#/components/schemas/';

/**
 * Moves every `$defs` of the generated schemas to `components.schemas`, pointing their `$ref`s there: one shared
 * definition per id, as integrators' generators expect, instead of references that resolve nowhere.
 */
function gatherDefinitions<T extends { components: { schemas: Record<string, unknown> } }>(document: T): T {
  const gathered: Record<string, unknown> = {};
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const { $defs, ...rest } = node as Record<string, unknown>;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) gathered[name] ??= walk(definition);
    return Object.fromEntries(
      Object.entries(rest).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' ? value.replace(/^#\/\$defs\//, COMPONENT_REF) : walk(value)]),
    );
  };
  const walked = walk(document) as T;
  return { ...walked, components: { ...walked.components, schemas: { ...walked.components.schemas, ...gathered } } };
}

/** Money as the API writes it, inlined where a response carries it (the request schemas carry their own). */
const MONEY = { type: 'object', required: ['value', 'currency'], properties: { value: { type: 'integer' }, currency: { type: 'string' } } };

const errorResponse = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
          },
        },
      },
    },
  },
});

/**
 * What API Gateway itself answers before any handler runs (HTTP APIs fix these bodies): a missing Authorization header
 * is 401 `{"message":"Unauthorized"}`, an unknown key 403 `{"message":"Forbidden"}`, a route that does not exist 404
 * `{"message":"Not Found"}`.
 */
const gatewayResponse = (description: string, message: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' }, example: { message } } },
});

const invoiceResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Invoice' } } },
});

const jsonBody = (s: z.ZodMiniType) => ({ required: true, content: { 'application/json': { schema: schema(s) } } });

const invoiceIdParameter = {
  name: 'invoiceId',
  in: 'path',
  required: true,
  description: 'The invoice id, URL-encoded (a `/` is sent as %2F).',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._/-]{1,64}$' },
};

const commonErrors = {
  '400': errorResponse('The request is not valid; nothing was changed.'),
  '401': gatewayResponse('No `Authorization: Bearer <api key>` header (answered by API Gateway).', 'Unauthorized'),
  '403': gatewayResponse('The API key is not known (answered by API Gateway).', 'Forbidden'),
  '404': {
    description: 'No such invoice (`{ error }`), or no such route (`{ message: "Not Found" }`, answered by API Gateway).',
    content: { 'application/json': { schema: { oneOf: [errorResponse('').content['application/json'].schema, { $ref: '#/components/schemas/GatewayError' }] } } },
  },
  '409': errorResponse(
    'The request conflicts with the invoice\'s state (`invoice_closed`, `no_open_dispute`, `execution_running`, ...), or other requests were changing it at that moment (`concurrent_update`: retry).',
  ),
};

function invoiceAction(summary: string, body: z.ZodMiniType) {
  return {
    summary,
    parameters: [invoiceIdParameter],
    requestBody: jsonBody(body),
    responses: { '200': invoiceResponse('The invoice after the change.'), ...commonErrors },
  };
}

/**
 * Each operation's id, the name client generators give its method: stable, so that regenerating a client does not
 * rename what integrators call.
 */
const OPERATION_IDS: Record<string, string> = {
  'post /invoices': 'registerInvoice',
  'get /invoices': 'listInvoices',
  'get /invoices/{invoiceId}': 'getInvoice',
  'patch /invoices/{invoiceId}': 'updateInvoice',
  'post /invoices/{invoiceId}/payments': 'recordPayment',
  'post /invoices/{invoiceId}/cancel': 'cancelInvoice',
  'post /invoices/{invoiceId}/dispute-resolution': 'resolveDispute',
  'post /invoices/{invoiceId}/call-outcomes': 'recordCallOutcome',
  'post /invoices/{invoiceId}/waive': 'waivePenalties',
  'post /invoices/{invoiceId}/restart': 'restartExecution',
  'post /invoices/{invoiceId}/formal-notice': 'recordFormalNotice',
  'post /invoices/{invoiceId}/documents': 'attachDocument',
  'get /invoices/{invoiceId}/evidence': 'getEvidence',
  'get /api-keys': 'listApiKeys',
  'post /api-keys/{keyId}/revoke': 'revokeApiKey',
  'get /r/{token}': 'showCustomerPage',
  'post /r/{token}': 'answerOnCustomerPage',
};

function withOperationIds<T extends { paths: Record<string, Record<string, object>> }>(document: T): T {
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, operations]) => [
      path,
      Object.fromEntries(Object.entries(operations).map(([method, operation]) => [method, { operationId: OPERATION_IDS[`${method} ${path}`], ...operation }])),
    ]),
  );
  return { ...document, paths };
}

export function openApiDocument(serverUrl?: string) {
  return withOperationIds(gatherDefinitions({
    openapi: '3.1.0',
    info: {
      title: 'Preventive dunning API',
      version: '1.0.0',
      description:
        'Register invoices, record payments and changes; the service sends a courteous pre-reminder before the due date and escalates after it. Every billing route needs `Authorization: Bearer <api key>`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key created with `npm run create-api-key`.' } },
      schemas: {
        GatewayError: {
          type: 'object',
          description: 'An answer of API Gateway itself, before any handler runs (401, 403, 404 for an unknown route).',
          required: ['message'],
          properties: { message: { type: 'string' } },
        },
        Waiver: {
          type: 'object',
          description: 'The penalties and the indemnity given up: by `policy` once the principal was paid, or by an `operator`.',
          required: ['at', 'reason', 'by'],
          properties: { at: { type: 'string', format: 'date-time' }, reason: { type: 'string' }, by: { type: 'string', enum: ['policy', 'operator'] } },
        },
        Claim: {
          type: 'object',
          description:
            'What is claimed on `asOf` (creditor\'s calendar, inclusive), as French law computes it: simple interest, actual days / 365, one period per base and rate, each rounded to the minor unit (half away from zero). business: ECB rate of each half-year + 10 points, or the contractual rate raised to 3 × the legal interest rate; public: ECB + 8 points fixed at the start of the delay; consumer: legal interest from the formal notice only, no indemnity. `total` is in the invoice currency; for an invoice not in EUR it leaves out the EUR indemnity, claimed beside it.',
          required: ['asOf', 'principal', 'penalties', 'indemnity', 'total'],
          properties: {
            asOf: { type: 'string', format: 'date' },
            principal: MONEY,
            penalties: {
              type: 'object',
              required: ['amount', 'provisional', 'periods'],
              properties: {
                amount: MONEY,
                provisional: { type: 'boolean', description: 'A period uses the latest known rate, its half-year not being in the rates table yet.' },
                periods: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['from', 'to', 'days', 'base', 'ratePercent', 'source', 'amount'],
                    properties: {
                      from: { type: 'string', format: 'date' },
                      to: { type: 'string', format: 'date' },
                      days: { type: 'integer' },
                      base: MONEY,
                      ratePercent: { type: 'number' },
                      source: { type: 'string', enum: ['ecb_plus_10', 'contractual', 'legal_floor', 'ecb_plus_8', 'legal_interest'] },
                      amount: MONEY,
                      provisional: { type: 'boolean' },
                    },
                  },
                },
              },
            },
            indemnity: MONEY,
            indemnityApart: { ...MONEY, description: 'The EUR indemnity still claimed beside `total` for an invoice in another currency.' },
            penaltiesPaid: MONEY,
            penaltiesOverpaid: { ...MONEY, description: 'Paid towards the penalties beyond what they now come to: due back to the customer.' },
            waived: {
              allOf: [{ $ref: '#/components/schemas/Waiver' }],
              description: 'What the waiver gave up: the penalties and indemnity accrued by the end of `upTo` and not paid. Interest of later days is claimed again.',
              properties: { upTo: { type: 'string', format: 'date' }, amount: MONEY },
            },
            total: MONEY,
          },
        },
        ApiKey: {
          type: 'object',
          required: ['keyId', 'name', 'createdAt'],
          properties: { keyId: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, revokedAt: { type: 'string', format: 'date-time' } },
        },
        Invoice: {
          type: 'object',
          description: 'The invoice as the service sees it.',
          required: ['invoiceId', 'status', 'amount', 'outstanding', 'dueDate', 'executionName', 'preReminderAt'],
          properties: {
            invoiceId: { type: 'string' },
            status: { type: 'string', enum: ['scheduled', 'awaiting_reply', 'promised', 'disputed', 'overdue', 'paid', 'cancelled', 'handed_off'] },
            partiallyPaid: { type: 'boolean' },
            customer: schema(RegisterInvoiceBody.shape.customer),
            amount: schema(RegisterInvoiceBody.shape.amount),
            // What is still owed: 0 once paid (the request's Money is positive).
            outstanding: MONEY,
            issueDate: { type: 'string', format: 'date' },
            dueDate: { type: 'string', format: 'date' },
            executionName: { type: 'string' },
            preReminderAt: { type: 'string', format: 'date-time' },
            scheduledStartAt: { type: 'string', format: 'date-time', description: 'When a deferred start (EventBridge Scheduler) begins the execution.' },
            nextActionAt: { type: 'string', format: 'date-time', description: 'When the execution next acts on its own (an email, a deadline).' },
            promise: {
              type: 'object',
              required: ['date', 'afterDueDate', 'at', 'source'],
              properties: {
                date: { type: 'string', format: 'date' },
                method: { type: 'string' },
                afterDueDate: { type: 'boolean' },
                at: { type: 'string', format: 'date-time' },
                source: { type: 'string', enum: ['customer', 'call'] },
                brokenAt: { type: 'string', format: 'date-time' },
              },
            },
            dispute: {
              type: 'object',
              required: ['reason', 'at', 'status'],
              properties: {
                reason: { type: 'string' },
                message: { type: 'string' },
                at: { type: 'string', format: 'date-time' },
                status: { type: 'string', enum: ['open', 'resolved'] },
                outcome: { type: 'string', enum: ['rejected', 'corrected_amount', 'credit_note'] },
              },
            },
            formalNoticeAt: { type: 'string', format: 'date-time', description: 'When the first formal notice known to have left was sent.' },
            registeredLetter: {
              type: 'object',
              description: "The formal notice's registered letter: requested, then posted and received as recorded (days or instants, as given).",
              required: ['requestedAt', 'filename', 'by'],
              properties: {
                requestedAt: { type: 'string', format: 'date-time' },
                filename: { type: 'string' },
                by: { oneOf: [{ type: 'string', const: 'team' }, { type: 'object', required: ['provider', 'reference'], properties: { provider: { type: 'string' }, reference: { type: 'string' } } }] },
                postedAt: { type: 'string' },
                trackingNumber: { type: 'string' },
                receivedAt: { type: 'string' },
              },
            },
            documents: {
              type: 'array',
              items: {
                type: 'object',
                required: ['kind', 'filename', 'contentType', 'size', 'sha256', 'at'],
                properties: { kind: { type: 'string' }, filename: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' }, sha256: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
              },
            },
            bankDetailsCheck: {
              type: 'object',
              description: "The customer's last answer on our bank details: `differ` alerted the team.",
              required: ['answer', 'at', 'contact'],
              properties: { answer: { type: 'string', enum: ['match', 'differ'] }, at: { type: 'string', format: 'date-time' }, contact: { type: 'string' }, message: { type: 'string' } },
            },
            warnings: { type: 'array', items: { type: 'string' } },
            creditBalance: {
              ...MONEY,
              description: 'Money received beyond what was owed (an overpayment, a payment after cancellation): due back to the customer.',
            },
            handedOffAt: { type: 'string', format: 'date-time', description: 'When the invoice was handed off to legal; kept when a later payment settles it.' },
            waiver: { $ref: '#/components/schemas/Waiver' },
            claim: { $ref: '#/components/schemas/Claim' },
            timeline: { type: 'array', items: { type: 'object', required: ['type', 'at'], properties: { type: { type: 'string' }, at: { type: 'string', format: 'date-time' } } } },
          },
        },
      },
    },
    paths: {
      '/invoices': {
        post: {
          summary: 'Register an invoice',
          description: 'The same body again answers 200 with the same result; another body under the same id answers 409.',
          requestBody: jsonBody(RegisterInvoiceBody),
          responses: {
            '201': invoiceResponse('Registered; the pre-reminder is planned at `preReminderAt`.'),
            '200': invoiceResponse('Already registered with this very body.'),
            ...commonErrors,
          },
        },
        get: {
          summary: 'List invoices',
          description:
            "Read from the indexes, never a scan: with `customerId`, the customer's invoices by due date (open ones first, then closed ones); otherwise by status (in the order of `status` values when none is given), then soonest next action first. Follow `nextCursor` until it is absent; a cursor only continues a list with the same filters.",
          parameters: [
            { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...STATUSES] } },
            { name: 'customerId', in: 'query', required: false, schema: { type: 'string', maxLength: 128 } },
            { name: 'dueBefore', in: 'query', required: false, description: 'Due strictly before this date.', schema: { type: 'string', format: 'date' } },
            { name: 'dueAfter', in: 'query', required: false, description: 'Due strictly after this date.', schema: { type: 'string', format: 'date' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
            { name: 'cursor', in: 'query', required: false, description: 'The `nextCursor` of the previous page.', schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'A page of invoices (without their timelines) and, unless it is the last page, `nextCursor`.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['invoices'],
                    properties: { invoices: { type: 'array', items: { $ref: '#/components/schemas/Invoice' } }, nextCursor: { type: 'string' } },
                  },
                },
              },
            },
            ...commonErrors,
          },
        },
      },
      '/invoices/{invoiceId}': {
        get: {
          summary: 'The invoice, its status and its timeline',
          parameters: [invoiceIdParameter],
          responses: { '200': invoiceResponse('The invoice with its timeline.'), ...commonErrors },
        },
        patch: invoiceAction('Change the due date and/or the contacts', PatchInvoiceBody),
      },
      '/invoices/{invoiceId}/payments': {
        post: {
          ...invoiceAction('Record a partial or full payment', PaymentBody),
          description:
            'Money received is always recorded, whatever the status: after a hand-off it settles the invoice (the hand-off stays on record); on a paid or cancelled invoice, or beyond what is owed, it becomes a `creditBalance`, and the team is told. The same `reference` twice counts once. A `paidAt` in the future is a 400.',
        },
      },
      '/invoices/{invoiceId}/cancel': { post: invoiceAction('Cancel the invoice (credit note, mistake)', CancelBody) },
      '/invoices/{invoiceId}/dispute-resolution': { post: invoiceAction('Resolve an open dispute (operator)', ResolveDisputeBody) },
      '/invoices/{invoiceId}/call-outcomes': { post: invoiceAction('Record a phone call outcome (operator)', CallOutcomeBody) },
      '/invoices/{invoiceId}/waive': {
        post: {
          ...invoiceAction('Waive the late-payment penalties and the indemnity (operator)', WaiveBody),
          description: 'Gives up the penalties and the indemnity accrued by the end of today, recorded with its reason on the timeline and in the evidence. A principal still unpaid bears interest again from tomorrow, which a later waiver (another reason) may give up too; the same reason again changes nothing. 409 on a cancelled invoice.',
        },
      },
      '/invoices/{invoiceId}/restart': {
        post: {
          summary: 'Restart the invoice\'s execution after it ended in "Needs attention" (operator)',
          description: 'Starts a new revision (`-r2`, ...) that plans from the invoice as it stands. 409 while the current execution runs.',
          parameters: [invoiceIdParameter],
          responses: { '200': invoiceResponse('The invoice with its new execution name.'), ...commonErrors },
        },
      },
      '/invoices/{invoiceId}/formal-notice': {
        post: {
          ...invoiceAction('Record the formal notice\'s registered letter: posted, then received (operator)', FormalNoticeBody),
          description: 'The formal notice asks the team to post its letter by registered mail with acknowledgment of receipt. Record the posting (`postedAt`, `trackingNumber`), then the receipt (`receivedAt`, from the acknowledgment): the hand-off comes the day after the notice\'s 8 days from receipt have run, or, without a receipt, `formalNoticeWaitDays` after posting. The same facts again change nothing; another tracking number is a new posting. 409 before any formal notice; a date in the future, a posting before the letter was written or a receipt before the posting is a 400.',
        },
      },
      '/invoices/{invoiceId}/documents': {
        post: {
          ...invoiceAction('Attach a supporting document for the evidence file (contract, terms, order, delivery proof, invoice PDF)', DocumentBody),
          responses: {
            '201': invoiceResponse('Attached: the invoice, naming the document in `documents`.'),
            '200': invoiceResponse('The same file (content and name) was attached already.'),
            ...commonErrors,
          },
          description: 'The file is sent base64-encoded in the JSON body, 3 MB at most once decoded, and stored in the documents bucket under its SHA-256. 201 when attached, 200 when the same file (content and name) was attached already; 30 documents at most per invoice (409). Accepted in any status: an evidence file is completed after the hand-off too.',
        },
      },
      '/invoices/{invoiceId}/evidence': {
        get: {
          summary: 'The evidence file written at hand-off to legal, and a link to its bundle',
          description: 'The evidence file as JSON, with `bundle`: the evidence bundle (a ZIP with `summary.pdf`, every email as sent, the formal notice\'s letters, the supporting documents and `manifest.json` giving each file\'s SHA-256), written as of today when something changed since the last one. `bundle.url` fetches the ZIP without credentials until `bundle.expiresAt` (15 minutes). 404 before a hand-off.',
          parameters: [invoiceIdParameter],
          responses: { '200': { description: 'The evidence file and its bundle (`bundle`: `url`, `expiresAt`, `sha256`, `size`, `files`, `generatedAt`).' }, ...commonErrors },
        },
      },
      '/api-keys': {
        get: {
          summary: "The billing API's keys (operator)",
          description: 'Names, creation and revocation dates, and the `keyId` naming each key (the first 12 hex digits of its SHA-256). A key itself is only ever shown once, when `npm run create-api-key` makes it.',
          responses: { '200': { description: 'The keys, oldest first.', content: { 'application/json': { schema: { type: 'object', required: ['apiKeys'], properties: { apiKeys: { type: 'array', items: { $ref: '#/components/schemas/ApiKey' } } } } } } }, ...commonErrors },
        },
      },
      '/api-keys/{keyId}/revoke': {
        post: {
          summary: 'Revoke an API key (operator)',
          description: 'The key opens nothing from then on; API Gateway may serve its cached authorization for up to five minutes more. Revoking again changes nothing. The last key still in use cannot be revoked here (409): create another first.',
          parameters: [{ name: 'keyId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{12}$' } }],
          responses: { '200': { description: 'The key, revoked.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiKey' } } } }, ...commonErrors, '409': errorResponse('The last key in use.') },
        },
      },
      '/r/{token}': {
        get: { summary: 'The customer\'s answer page (never changes state)', security: [], parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'An HTML page.' }, '404': { description: 'Unknown link.' }, '410': { description: 'Expired link.' } } },
        post: {
          summary: 'Record the customer\'s answer',
          security: [],
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: schema(CustomerAnswer) } } },
          responses: { '200': { description: 'A confirmation page.' }, '400': { description: 'The form is not valid.' }, '404': { description: 'Unknown link.' }, '410': { description: 'Expired link.' }, '429': { description: 'Too many answers on this link.' } },
        },
      },
    },
  }));
}
