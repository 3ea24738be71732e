/** Calls the local runtime over HTTP and reads the answer as JSON when it is JSON: for the demo and the tests. */

export interface JsonReply<T = any> {
  status: number;
  /** The parsed body, or undefined when the body is not JSON (an HTML page, say). */
  json: T;
  text: string;
  headers: Headers;
}

export interface JsonRequest {
  /** Serialized as JSON with `content-type: application/json`; `raw` sends a body as it is instead. */
  body?: unknown;
  raw?: string;
  /** An API key to send as `Authorization: Bearer ...`. */
  apiKey?: string;
  headers?: Record<string, string>;
}

export async function requestJson<T = any>(method: string, url: string, request: JsonRequest = {}): Promise<JsonReply<T>> {
  const headers: Record<string, string> = {};
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.apiKey) headers.authorization = `Bearer ${request.apiKey}`;
  Object.assign(headers, request.headers);
  const body = request.raw ?? (request.body !== undefined ? JSON.stringify(request.body) : undefined);
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}
