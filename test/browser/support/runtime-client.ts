import { requestJson, type JsonReply } from '../../../infra/local/http-client';
/** A small HTTP client for the local runtime (`infra/local/runtime.ts`), used the way a billing system would. */
export type CallResult = JsonReply;

export interface OutboxEmail {
  invoiceId?: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  links: string[];
  sentAt: string;
  tags?: Record<string, string> | { Name: string; Value: string }[];
}

export function runtimeClient(baseUrl: () => string, apiKey: string) {
  async function call(method: string, path: string, body?: unknown, authorized = true): Promise<CallResult> {
    return requestJson(method, `${baseUrl()}${path}`, { body, ...(authorized ? { apiKey } : {}) });
  }

  return {
    call,
    async now(): Promise<Date> {
      return new Date((await call('GET', '/_local/clock', undefined, false)).json.now);
    },
    async clockTo(instant: Date): Promise<void> {
      const { status, text } = await call('POST', '/_local/clock', { to: instant.toISOString() }, false);
      if (status !== 200) throw new Error(`clock: ${status} ${text}`);
    },
    async outbox(): Promise<OutboxEmail[]> {
      return (await call('GET', '/_local/outbox', undefined, false)).json;
    },
    async invoice(invoiceId: string): Promise<any> {
      const { status, json, text } = await call('GET', `/invoices/${encodeURIComponent(invoiceId)}`);
      if (status !== 200) throw new Error(`GET invoice ${invoiceId}: ${status} ${text}`);
      return json;
    },
  };
}
