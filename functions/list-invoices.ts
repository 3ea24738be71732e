/**
 * GET /invoices — operators' and integrators' list: filters `status`, `customerId`, `dueBefore`, `dueAfter` (strict
 * bounds), `limit` (1–100, default 50) and `cursor` (the `nextCursor` of the previous page). Read from the indexes,
 * never a scan: a customer's invoices by due date (open ones first), otherwise by status then next action time.
 */
import { getDependencies } from '../shared/lambda/dependencies';
import { httpHandler, json, parseWith } from '../shared/lambda/http';
import { sha256 } from '../shared/domain/hashing';
import { ValidationError } from '../shared/domain/errors';
import { invoiceView } from '../shared/domain/invoice';
import { ListInvoicesQuery } from '../shared/domain/schemas';
import type { ListPosition } from '../shared/ports';

const DEFAULT_LIMIT = 50;

export const handler = httpHandler(async (event) => {
  const { cursor, limit = DEFAULT_LIMIT, ...filters } = parseWith(ListInvoicesQuery, event.queryStringParameters ?? {});
  const after = cursor === undefined ? undefined : readCursor(cursor, filters);
  const page = await getDependencies().store.listInvoices({ ...filters, limit, ...(after ? { after } : {}) });
  return json(200, {
    invoices: page.invoices.map((record) => invoiceView(record)),
    ...(page.next ? { nextCursor: writeCursor(page.next, filters) } : {}),
  });
});

/** A cursor only continues the list it came from: it carries a fingerprint of its filters. */
const fingerprint = (filters: object) => sha256(JSON.stringify(Object.entries(filters).sort(([a], [b]) => a.localeCompare(b)))).slice(0, 16);

function writeCursor(position: ListPosition, filters: object): string {
  return Buffer.from(JSON.stringify({ f: fingerprint(filters), p: position.part, k: position.key })).toString('base64url');
}

function readCursor(cursor: string, filters: object): ListPosition {
  let decoded: { f?: unknown; p?: unknown; k?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'not the nextCursor of a previous page' }]);
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'not the nextCursor of a previous page' }]);
  }
  const key = decoded.k;
  const keyIsValid = key === undefined || (typeof key === 'object' && key !== null && Object.values(key).every((v) => typeof v === 'string'));
  if (decoded.f !== fingerprint(filters) || !Number.isInteger(decoded.p) || (decoded.p as number) < 0 || (decoded.p as number) > 16 || !keyIsValid) {
    throw new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'not the nextCursor of a previous page with these filters' }]);
  }
  return { part: decoded.p as number, ...(key ? { key: key as Record<string, string> } : {}) };
}
