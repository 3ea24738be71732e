/**
 * A small HTTP client for the end-to-end scenarios: the billing system's API calls, the operator's calls, the local
 * runtime's clock / outbox / executions views, and a customer (or a mail scanner) following the links of an email.
 * Everything goes over HTTP to a runtime started in-process; nothing reaches into its internals.
 */
import Holidays from 'date-holidays';
import { TZDate } from '@date-fns/tz';
import { wallClock } from '../../support/wall-clock';
import { afterAll, beforeAll } from 'vitest';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createLocalRuntime, DOCUMENTS_BUCKET, type LocalRuntime, type LocalRuntimeOptions } from '../../../infra/local/runtime';
import type { OutboxEntry } from '../../../infra/local/outbox';
import type { BusEvent as LocalBusEvent } from '../../../infra/local/aws-endpoints';
import { requestJson, type JsonReply } from '../../../infra/local/http-client';

export type Reply<T = any> = JsonReply<T>;

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding), for malformed-body tests. */
  raw?: string;
  headers?: Record<string, string>;
  /** false = no Authorization header; a string = that bearer key. Default: the runtime's key. */
  auth?: boolean | string;
}

export interface ExecutionSummary {
  name: string;
  invoiceId?: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  currentState?: string;
  parked: boolean;
  startedAt: string;
  stoppedAt?: string;
}

export interface ExecutionHistory extends ExecutionSummary {
  input: unknown;
  output?: any;
  error?: string;
  events: { type: string; state?: string; at?: string; [key: string]: unknown }[];
}

export type Email = OutboxEntry;
export type BusEvent = Omit<LocalBusEvent, 'detail'> & { detail: { eventId: string; invoiceId: string; customerId: string; status: string; at: string } & Record<string, unknown> };

export class DunningClient {
  constructor(
    readonly url: string,
    readonly apiKey: string,
    /** The local S3 endpoint of the documents bucket, when the runtime is in this process. */
    readonly s3Endpoint?: string,
  ) {}

  /** The documents bucket's object at `key`, as JSON (the local S3 emulator, read as any S3 client would). */
  async document(key: string): Promise<any> {
    return JSON.parse(Buffer.from((await this.documentBytes(key)).body).toString('utf8'));
  }

  /** The documents bucket's object at `key`, as stored. */
  async documentBytes(key: string): Promise<{ body: Uint8Array; contentType?: string }> {
    if (!this.s3Endpoint) throw new Error('No S3 endpoint: the runtime is not in this process');
    const s3 = new S3Client({ endpoint: this.s3Endpoint, forcePathStyle: true, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: DOCUMENTS_BUCKET, Key: key }));
      return { body: await object.Body!.transformToByteArray(), contentType: object.ContentType };
    } finally {
      s3.destroy();
    }
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const auth = options.auth ?? true;
    const apiKey = auth === true ? this.apiKey : typeof auth === 'string' ? auth : undefined;
    return requestJson<T>(method, `${this.url}${path}`, { body: options.body, raw: options.raw, headers: options.headers, apiKey });
  }

  // ── Billing system ────────────────────────────────────────────────────────────────────────────────────────────
  register(body: unknown, options: Omit<RequestOptions, 'body'> = {}) {
    return this.request('POST', '/invoices', { ...options, body });
  }

  get(invoiceId: string) {
    return this.request('GET', `/invoices/${encodeURIComponent(invoiceId)}`);
  }

  /** The invoice as GET returns it; fails the test when it is not 200. */
  async invoice(invoiceId: string): Promise<InvoiceView> {
    const reply = await this.get(invoiceId);
    if (reply.status !== 200) throw new Error(`GET ${invoiceId} answered ${reply.status}: ${reply.text}`);
    return reply.json as InvoiceView;
  }

  pay(invoiceId: string, amount: { value: number; currency: string }, reference: string, paidAt?: string) {
    return this.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/payments`, {
      body: { amount, reference, paidAt: paidAt ?? new Date().toISOString().slice(0, 10) },
    });
  }

  cancel(invoiceId: string, reason = 'Credit note issued') {
    return this.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/cancel`, { body: { reason } });
  }

  patch(invoiceId: string, body: { dueDate?: string; contacts?: unknown[] }) {
    return this.request('PATCH', `/invoices/${encodeURIComponent(invoiceId)}`, { body });
  }

  // ── Operator ──────────────────────────────────────────────────────────────────────────────────────────────────
  resolve(invoiceId: string, body: { outcome: 'rejected' | 'corrected_amount' | 'credit_note'; correctedAmount?: unknown; note?: string }) {
    return this.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/dispute-resolution`, { body });
  }

  callOutcome(invoiceId: string, body: { outcome: string; promisedDate?: string; paymentMethod?: string; note?: string }) {
    return this.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/call-outcomes`, { body });
  }

  evidence(invoiceId: string) {
    return this.request('GET', `/invoices/${encodeURIComponent(invoiceId)}/evidence`);
  }

  // ── Local runtime ─────────────────────────────────────────────────────────────────────────────────────────────
  async now(): Promise<Date> {
    return new Date((await this.request('GET', '/_local/clock', { auth: false })).json.now);
  }

  /** Today's date in the creditor's time zone (Europe/Paris). */
  async today(): Promise<string> {
    return parisDate(await this.now());
  }

  /** Moves the virtual clock by an ISO 8601 duration; resolves once everything due has happened. */
  async advance(duration: string): Promise<Date> {
    const reply = await this.request('POST', '/_local/clock', { body: { advance: duration }, auth: false });
    if (reply.status !== 200) throw new Error(`advance ${duration}: ${reply.status} ${reply.text}`);
    return new Date(reply.json.now);
  }

  /** Moves the virtual clock to an instant (never backwards); resolves once everything due has happened. */
  async clockTo(instant: string | Date): Promise<Date> {
    const to = typeof instant === 'string' ? instant : instant.toISOString();
    const reply = await this.request('POST', '/_local/clock', { body: { to }, auth: false });
    if (reply.status !== 200) throw new Error(`clock to ${to}: ${reply.status} ${reply.text}`);
    return new Date(reply.json.now);
  }

  /** Fires what is due at the current virtual time and waits until the system is idle (the clock does not move). */
  async settle(): Promise<Date> {
    const reply = await this.request('POST', '/_local/clock', { body: {}, auth: false });
    if (reply.status !== 200) throw new Error(`settle: ${reply.status} ${reply.text}`);
    return new Date(reply.json.now);
  }

  /** Sent emails, optionally only those of one invoice (customer and team emails alike). */
  async outbox(invoiceId?: string): Promise<Email[]> {
    const all = (await this.request<Email[]>('GET', '/_local/outbox', { auth: false })).json;
    // A grouped email is about every invoice it lists.
    return invoiceId === undefined ? all : all.filter((email) => email.invoiceIds.includes(invoiceId));
  }

  /** Events out as published on the local bus, optionally those of one invoice. */
  async events(invoiceId?: string): Promise<BusEvent[]> {
    const all = (await this.request<BusEvent[]>('GET', '/_local/events', { auth: false })).json;
    return invoiceId === undefined ? all : all.filter((event) => event.detail.invoiceId === invoiceId);
  }

  async executions(): Promise<ExecutionSummary[]> {
    return (await this.request<ExecutionSummary[]>('GET', '/_local/executions', { auth: false })).json;
  }

  async execution(name: string): Promise<ExecutionHistory> {
    const reply = await this.request<ExecutionHistory>('GET', `/_local/executions/${encodeURIComponent(name)}`, { auth: false });
    if (reply.status !== 200) throw new Error(`execution ${name}: ${reply.status} ${reply.text}`);
    return reply.json;
  }

  /** The executions of one invoice (normally exactly one). */
  async executionsOf(invoiceId: string): Promise<ExecutionSummary[]> {
    return (await this.executions()).filter((e) => e.invoiceId === invoiceId);
  }

  // ── Customer (or a mail scanner) ──────────────────────────────────────────────────────────────────────────────
  /** GET of a link as a browser or a scanner does it (absolute URL from an email). */
  async open(link: string): Promise<Reply<string>> {
    const response = await fetch(link, { redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, json: text, text, headers: response.headers };
  }

  /** POST of the answer form behind a link (application/x-www-form-urlencoded). */
  async answer(link: string, form: Record<string, string>): Promise<Reply<string>> {
    const target = new URL(link);
    target.search = '';
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, json: text, text, headers: response.headers };
  }
}

export interface InvoiceView {
  invoiceId: string;
  status: string;
  partiallyPaid: boolean;
  customer: { id: string; name: string; language: 'fr' | 'en'; contacts: { name: string; email: string }[] };
  amount: { value: number; currency: string };
  outstanding: { value: number; currency: string };
  issueDate: string;
  dueDate: string;
  executionName: string;
  preReminderAt: string;
  nextActionAt?: string;
  promise?: { date: string; method?: string; afterDueDate: boolean; source: string };
  dispute?: { reason: string; status: string; outcome?: string };
  warnings: string[];
  creditBalance?: { value: number; currency: string };
  formalNoticeAt?: string;
  registeredLetter?: { requestedAt: string; filename: string; by: unknown; postedAt?: string; trackingNumber?: string; receivedAt?: string };
  claim: {
    asOf: string;
    principal: { value: number; currency: string };
    penalties: { amount: { value: number; currency: string }; provisional: boolean; periods: { from: string; to: string; days: number; ratePercent: number }[] };
    indemnity: { value: number; currency: string };
    penaltiesPaid?: { value: number; currency: string };
    waived?: { by: string; reason: string; upTo: string; amount: { value: number; currency: string } };
    total: { value: number; currency: string };
  };
  timeline: { type: string; at: string; [key: string]: unknown }[];
}

/** The customer's personal answer link in an email (the page itself, without `?action=`). */
export function answerLink(email: Email): string {
  const link = answerLinks(email)[0];
  if (!link) throw new Error(`No answer link in "${email.subject}"`);
  return link;
}

/** The answer pages of an email, one per invoice it lists, in its order: the pages its `?action=` buttons lead to. */
export function answerLinks(email: Email): string[] {
  const pages = email.links.filter((l) => /\/r\/[A-Za-z0-9_-]+\?action=/.test(l)).map((l) => l.replace(/\?.*$/, ''));
  return [...new Set(pages)];
}

/** The answer page of one invoice of an email: a grouped email lists its invoices, and their links, in one order. */
export function answerLinkFor(email: Email, invoiceId: string): string {
  const index = email.invoiceIds.indexOf(invoiceId);
  const link = answerLinks(email)[index];
  if (index < 0 || !link) throw new Error(`No answer link for ${invoiceId} in "${email.subject}"`);
  return link;
}

/** The customer's statement page linked from an email: the customer link that is no invoice's answer page. */
export function statementLink(email: Email): string {
  const pages = new Set(answerLinks(email));
  const link = email.links.find((l) => /\/r\/[A-Za-z0-9_-]+$/.test(l) && !pages.has(l));
  if (!link) throw new Error(`No statement link in "${email.subject}"`);
  return link;
}

/** Every link of an email that leads to the customer pages (with and without `?action=`). */
export function customerLinks(email: Email): string[] {
  return email.links.filter((l) => /\/r\//.test(l));
}

/**
 * What an email is, from its subject (English and French): the customer emails by template, the team emails by title.
 */
export type EmailKind =
  | 'pre_reminder'
  | 'promise_acknowledgement'
  | 'dispute_acknowledgement'
  | 'dispute_outcome'
  | 'promise_broken'
  | 'reminder'
  | 'penalty_reminder'
  | 'formal_notice'
  | 'team_dispute'
  | 'team_dispute_follow_up'
  | 'team_question'
  | 'team_call_task'
  | 'team_registered_letter'
  | 'team_bank_details'
  | 'team_hand_off'
  | 'team_needs_attention'
  | 'team_contact_bounced'
  | 'team_daily_digest'
  | 'unknown';

const TEAM_TITLES: [RegExp, EmailKind][] = [
  [/^\[(Dunning|Relances)\] (Dispute reported|Litige signalé)/, 'team_dispute'],
  [/^\[(Dunning|Relances)\] (Dispute still open|Litige toujours ouvert)/, 'team_dispute_follow_up'],
  [/^\[(Dunning|Relances)\] (Customer question|Question d’un client)/, 'team_question'],
  [/^\[(Dunning|Relances)\] (Phone call to make|Appel à passer)/, 'team_call_task'],
  [/^\[(Dunning|Relances)\] (Registered letter to post|Lettre recommandée à envoyer)/, 'team_registered_letter'],
  [/^\[(Dunning|Relances)\] (Bank details differ|Coordonnées bancaires différentes)/, 'team_bank_details'],
  [/^\[(Dunning|Relances)\] (Handed off|Transmission au contentieux)/, 'team_hand_off'],
  [/^\[(Dunning|Relances)\] (Needs attention|Intervention requise)/, 'team_needs_attention'],
  [/^\[(Dunning|Relances)\] (Contact address bounced|Adresse e-mail rejetée)/, 'team_contact_bounced'],
  [/^\[(Dunning|Relances)\] (Daily digest|Synthèse du jour)/, 'team_daily_digest'],
];

const CUSTOMER_SUBJECTS: [RegExp, EmailKind][] = [
  [/is everything in order\?|tout est-il en ordre/, 'pre_reminder'],
  [/^(Thank you|Merci)[ \u202f]?:/, 'promise_acknowledgement'],
  [/we have received your report|nous avons bien reçu votre signalement/, 'dispute_acknowledgement'],
  [/our answer to your report|suite donnée à votre signalement|amount corrected$|montant corrigé$/, 'dispute_outcome'],
  [/not received$|non reçu$/, 'promise_broken'],
  [/^(Second reminder|Deuxième rappel)/, 'penalty_reminder'],
  [/^(Reminder|Rappel)[ \u202f]?:/, 'reminder'],
  [/^(Formal notice|Mise en demeure)/, 'formal_notice'],
];

export function kindOf(email: Pick<Email, 'subject'>): EmailKind {
  for (const [pattern, kind] of [...TEAM_TITLES, ...CUSTOMER_SUBJECTS]) if (pattern.test(email.subject)) return kind;
  return 'unknown';
}

export function kinds(emails: Email[]): EmailKind[] {
  return emails.map(kindOf);
}

/** How many emails of each kind. */
export function countKinds(emails: Email[]): Partial<Record<EmailKind, number>> {
  const counts: Partial<Record<EmailKind, number>> = {};
  for (const kind of kinds(emails)) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

export const TEAM_EMAIL = 'credit-team@example.com';

export function isTeamEmail(email: Email): boolean {
  return email.to.includes(TEAM_EMAIL);
}

/** The creditor-local (Europe/Paris) calendar date of an instant. */
export function parisDate(instant: Date | string): string {
  return wallClock(instant).date;
}

/**
 * The instant of a Paris wall-clock time on a date, as `toISOString()` writes it. (TZDate's constructor goes through
 * the host's time zone, which the test configuration sets to UTC.)
 */
export function parisInstant(date: string, time = '09:00'): string {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return new Date(new TZDate(year, month - 1, day, hour, minute, 'Europe/Paris').getTime()).toISOString();
}

/** The Paris wall-clock time (HH:mm) of an instant. */
export function parisTime(instant: string | Date): string {
  return wallClock(instant).time;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const frenchHolidays = new Holidays('FR');

/** A French business day (no weekend, no public holiday): the tests' own oracle, independent of shared/domain/calendar. */
export function isFrenchBusinessDay(date: string): boolean {
  if (weekday(date) > 5) return false;
  const holidays = frenchHolidays.isHoliday(new Date(`${date}T12:00:00`)) || [];
  return !holidays.some((h) => h.type === 'public');
}

/** The date itself if it is a business day, else the next one. */
export function onOrAfterBusinessDay(date: string): string {
  let current = date;
  while (!isFrenchBusinessDay(current)) current = addDays(current, 1);
  return current;
}

/** 09:00 Paris on the first business day at or after `date`. */
export function sendSlot(date: string): string {
  return parisInstant(onOrAfterBusinessDay(date), '09:00');
}

/**
 * When the default ladder hands off an invoice left silent: at + 45, but never sooner than 15 days after the formal
 * notice actually left (+ 30, moved to a business day), which gives the notice its 8 days from receipt.
 */
export function handOffSlot(dueDate: string): string {
  const notice = sendSlot(addDays(dueDate, 30));
  return [sendSlot(addDays(dueDate, 45)), sendSlot(addDays(parisDate(notice), 15))].sort().at(-1)!;
}

/** Formats an amount as the emails do (fr-FR / en-GB). */
export function money(amount: { value: number; currency: string }, language: 'fr' | 'en'): string {
  return new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: amount.currency }).format(amount.value / 100);
}

/** 1 = Monday … 7 = Sunday, for a YYYY-MM-DD date. */
export function weekday(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * One runtime for the whole test file (one per worker process), frozen virtual clock at `startAt`. Returns a getter:
 * the client exists once `beforeAll` has run.
 */
export function useRuntime(
  startAt: string,
  apiKey = 'e2e-scenarios-key-0123456789',
  options: Pick<LocalRuntimeOptions, 'sesEventDeliveries'> = {},
): () => DunningClient {
  let runtime: LocalRuntime | undefined;
  let client: DunningClient | undefined;
  beforeAll(async () => {
    runtime = await createLocalRuntime({ port: 0, apiKey, speed: 0, startAt: new Date(startAt), dailyDigest: false, log: () => undefined, ...options });
    client = new DunningClient(runtime.url, runtime.apiKey, runtime.endpoints.s3);
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return () => {
    if (!client) throw new Error('The runtime is not started (use the client inside tests)');
    return client;
  };
}
