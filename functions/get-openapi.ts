/** GET /openapi.json — the API description, generated from the same zod schemas the handlers enforce. */
import { json } from '../shared/lambda/http';
import { openApiDocument } from '../shared/rendering/openapi';
import type { HttpEvent } from '../shared/lambda/http';

let document: string | undefined;

export async function handler(event: HttpEvent) {
  const host = event.headers?.host;
  document ??= JSON.stringify(openApiDocument(host ? `${event.headers['x-forwarded-proto'] ?? 'https'}://${host}` : undefined));
  return { ...json(200, null, { 'cache-control': 'public, max-age=300' }), body: document };
}
