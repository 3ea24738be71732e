/**
 * Drives the local runtime like its users: the billing system over HTTP (register, payments, dispute resolution),
 * the customer through the links of the emails (GET the page, POST the answer form), and time through the virtual
 * clock. Shared by the `paths` and `lifecycle` sections.
 */
import type { LocalRuntime } from '../../infra/local/runtime';

export const DAY_MS = 86_400_000;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class Driver {
  /** HTTP requests to API routes (what API Gateway bills), local /_local routes excluded. */
  apiRequests = 0;
  private readonly auth: Record<string, string>;

  constructor(readonly runtime: LocalRuntime) {
    this.auth = { authorization: `Bearer ${runtime.apiKey}` };
  }

  now(): number {
    return this.runtime.clock.nowMs();
  }

  private async request(method: string, path: string, init: { json?: unknown; form?: Record<string, string>; auth?: boolean } = {}) {
    this.apiRequests += 1;
    const headers: Record<string, string> = init.auth === false ? {} : { ...this.auth };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const url = path.startsWith('http') ? path : `${this.runtime.url}${path}`;
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return { status: response.status, text };
  }

  /** Registers an invoice of a customer of its own, or of `customerId` (whose invoices share one contact). */
  async register(invoiceId: string, issueDate: string, dueDate: string, amount = 120_000, customerId?: string): Promise<{ preReminderAt: string; executionName: string }> {
    const id = customerId ?? `C-${invoiceId}`;
    const { text } = await this.request('POST', '/invoices', {
      json: {
        invoiceId,
        customer: {
          id,
          name: 'Customer SA',
          language: id.charCodeAt(id.length - 1) % 3 === 0 ? 'fr' : 'en',
          contacts: [{ name: 'Accounts payable', email: `ap+${id.toLowerCase()}@customer.example` }],
        },
        amount: { value: amount, currency: 'EUR' },
        issueDate,
        dueDate,
      },
    });
    return JSON.parse(text) as { preReminderAt: string; executionName: string };
  }

  pay(invoiceId: string, amount = 120_000, reference = `PAY-${invoiceId}`) {
    return this.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/payments`, {
      json: { amount: { value: amount, currency: 'EUR' }, paidAt: new Date(this.now()).toISOString(), reference },
    });
  }

  resolveDispute(invoiceId: string, correctedValue: number) {
    return this.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/dispute-resolution`, {
      json: { outcome: 'corrected_amount', correctedAmount: { value: correctedValue, currency: 'EUR' }, note: 'Corrected' },
    });
  }

  /** The customer opens the page of the link, then answers the form. */
  async answer(link: string, form: Record<string, string>): Promise<void> {
    await this.request('GET', link, { auth: false });
    await this.request('POST', link, { auth: false, form });
  }

  /** The first customer-page link of the latest email to the invoice's contact. */
  linkFor(invoiceId: string): string | undefined {
    const prefix = `${this.runtime.url}/r/`;
    for (let i = this.runtime.outbox.length - 1; i >= 0; i--) {
      const entry = this.runtime.outbox[i];
      if (entry.invoiceId !== invoiceId) continue;
      const link = entry.links.find((l) => l.startsWith(prefix));
      if (link) return link;
    }
    return undefined;
  }

  /** Emails (one per recipient, as SES bills them) in the outbox. */
  emailCount(): number {
    return this.runtime.outbox.reduce((sum, entry) => sum + entry.to.length, 0);
  }

  async advanceTo(ms: number): Promise<void> {
    if (ms > this.now()) await this.runtime.clock.setTo(new Date(ms));
    else await this.runtime.settle();
  }

  /** The terminal state of each finished execution (Paid, Cancelled, Handed off to legal, ...), RUNNING otherwise. */
  outcome(executionName: string): string {
    const history = this.runtime.engine.history(executionName) as { status: string; currentState?: string };
    return history.status === 'RUNNING' ? 'RUNNING' : `${history.status}:${history.currentState ?? ''}`;
  }
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** A small deterministic PRNG (mulberry32), so that every run has the same mix. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
