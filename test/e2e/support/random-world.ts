/**
 * A world of random invoices for the property suites (test/e2e/properties*.test.ts): each invoice is driven through a
 * random sequence of payments (full, partial, too much, the same one twice), answers on the customer page, due-date
 * changes, cancellations, dispute resolutions, phone calls and restarts, some at the same instant and some while the
 * clock moves, at random moments on the virtual clock; then every invoice is checked against the invariants of
 * ./invariants.ts. A failure prints fast-check's seed: `PROPERTY_SEED=<seed>` replays the same world,
 * `PROPERTY_INVOICES` sets its size (default 100) and `PROPERTY_STATS=1` prints what happened.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { DEFAULT_FAULT_RATES } from '../../../infra/local/faults';
import { createLocalRuntime, type LocalRuntime } from '../../../infra/local/runtime';
import { addDays, answerLinkFor, DunningClient, isTeamEmail, kindOf, parisDate, type Reply } from './client';
import { englishInvoice, frenchInvoice, type RegisterBody } from './invoices';
import { eventViolations, violations, type ObservedInvoice } from './invariants';

const START = new Date('2027-01-04T07:00:00.000Z'); // Monday 4 January 2027, 08:00 in Paris
const INVOICES = Number(process.env.PROPERTY_INVOICES ?? 100);
const SEED = process.env.PROPERTY_SEED === undefined ? undefined : Number(process.env.PROPERTY_SEED);

type Action =
  | { kind: 'pay'; portion: 'full' | 'partial' | 'over' | 'again' }
  | { kind: 'promise'; days: number }
  | { kind: 'dispute' }
  | { kind: 'question' }
  /** The customer's bank-details check from its page: they match, or they differ (the team is alerted). */
  | { kind: 'bank'; answer: 'match' | 'differ' }
  | { kind: 'view' }
  | { kind: 'patch'; days: number }
  | { kind: 'cancel' }
  | { kind: 'resolve'; outcome: 'rejected' | 'corrected_amount' | 'credit_note' }
  | { kind: 'call'; outcome: 'promised' | 'disputed' | 'no_answer'; days: number }
  | { kind: 'restart' }
  | { kind: 'waive' }
  /** The team records the formal notice's registered letter: posted today, and received today or not yet. */
  | { kind: 'letter'; received: boolean };

interface Plan {
  dueInDays: number;
  amount: number;
  english: boolean;
  /** A second contact whose address bounces (the SES mailbox simulator). */
  bouncing: boolean;
  /**
   * An invoice of the world's one shared customer, whose accounts-payable address receives all its invoices' emails,
   * due on one of two dates: their reminders of one slot leave as one email, raced by the other invoices' events.
   */
  shared: boolean;
  /**
   * When, as a share (0-100) of the invoice's life up to the hand-off (due date + 50 days), and at which hour; a
   * racing event is sent while the clock moves to that moment, so that it lands amid the steps the clock sets off.
   */
  events: { share: number; hour: number; racing: boolean; action: Action }[];
}

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pay' as const), portion: fc.constantFrom('full' as const, 'partial' as const, 'over' as const, 'again' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('promise' as const), days: fc.integer({ min: -3, max: 75 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dispute' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('question' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bank' as const), answer: fc.constantFrom('match' as const, 'differ' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('view' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('patch' as const), days: fc.integer({ min: -20, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolve' as const), outcome: fc.constantFrom('rejected' as const, 'corrected_amount' as const, 'credit_note' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('call' as const), outcome: fc.constantFrom('promised' as const, 'disputed' as const, 'no_answer' as const), days: fc.integer({ min: -2, max: 70 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('waive' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('letter' as const), received: fc.boolean() }) },
);

const plan: fc.Arbitrary<Plan> = fc.record({
  dueInDays: fc.integer({ min: 3, max: 70 }),
  amount: fc.integer({ min: 1_000, max: 5_000_000 }),
  english: fc.boolean(),
  bouncing: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  shared: fc.integer({ min: 0, max: 2 }).map((n) => n === 0),
  // Events before the due date, around it and on the ladder; those at the same hour of the same day run concurrently.
  events: fc.array(
    fc.record({ share: fc.integer({ min: 0, max: 100 }), hour: fc.constantFrom(7, 10, 14), racing: fc.boolean(), action }),
    { minLength: 1, maxLength: 10 },
  ),
}).map((p) => (p.shared ? { ...p, english: false, dueInDays: p.dueInDays % 2 ? 21 : 35 } : p));

/** What the driver was told, per invoice. */
interface Told {
  body: RegisterBody;
  acceptedPayments: { reference: string; amount: { value: number; currency: string } }[];
  cancelled: boolean;
  /** An operator's waiver the API accepted. */
  waived: boolean;
  serverErrors: string[];
  /** Payments the API refused although they were valid: money received must always be recorded. */
  refusedPayments: string[];
  /** Postings and receipts of the letter refused otherwise than "no notice yet" (409): they were valid. */
  refusedLetters: string[];
  /** The real time at which the API first answered that the invoice was closed (paid, cancelled). */
  closedAtRealMs?: number;
}

/** Runs a request like a billing system or a browser would: a 5xx is retried (the API is safe to retry), a 4xx is final. */
async function reliably<T>(what: string, told: Told, send: () => Promise<Reply<T>>): Promise<Reply<T>> {
  for (let attempt = 1; ; attempt++) {
    const reply = await send();
    if (reply.status < 500) return reply;
    told.serverErrors.push(`${what}: ${reply.status} ${String(reply.text).slice(0, 200)}`);
    if (attempt === 6) return reply;
  }
}

/** Notes the moment an answer says the invoice is closed: no customer email may leave after it. */
function noteClosing(told: Told, reply: Reply): void {
  const status = (reply.json as { status?: string } | undefined)?.status;
  if (reply.status === 200 && (status === 'paid' || status === 'cancelled') && told.closedAtRealMs === undefined) told.closedAtRealMs = Date.now();
}

async function perform(c: DunningClient, told: Told, act: Action, n: number): Promise<void> {
  const id = told.body.invoiceId;
  const today = await c.today();
  const current = await reliably('read', told, () => c.get(id));
  if (current.status !== 200) return;
  const invoice = current.json as { outstanding: { value: number; currency: string }; amount: { value: number } };
  const link = async () => {
    const emails = (await c.outbox(id)).filter((e) => !isTeamEmail(e) && e.links.some((l) => l.includes('/r/')));
    return emails.length ? answerLinkFor(emails[emails.length - 1]!, id) : undefined;
  };
  switch (act.kind) {
    case 'pay': {
      const owed = invoice.outstanding.value;
      const value = act.portion === 'full' ? Math.max(owed, 1) : act.portion === 'over' ? owed + 5_000 : Math.max(1, Math.floor(owed / 3));
      const previous = told.acceptedPayments.at(-1);
      const reference = act.portion === 'again' && previous ? previous.reference : `VIR-${id}-${n}`;
      const amount = act.portion === 'again' && previous ? previous.amount : { value, currency: told.body.amount.currency };
      const reply = await reliably(`pay ${reference}`, told, () => c.pay(id, amount, reference, today));
      noteClosing(told, reply);
      if (reply.status !== 200) told.refusedPayments.push(`${reference}: ${reply.status} ${String(reply.text).slice(0, 200)}`);
      else if (!told.acceptedPayments.some((p) => p.reference === reference)) told.acceptedPayments.push({ reference, amount });
      return;
    }
    case 'promise':
    case 'dispute':
    case 'question':
    case 'bank':
    case 'view': {
      const page = await link();
      if (!page) return;
      if (act.kind === 'view') {
        await reliably('view', told, () => c.open(page));
        return;
      }
      if (act.kind === 'bank') {
        await reliably('bank', told, () => c.answer(page, { action: 'bank_details', bankDetails: act.answer, message: `Vérifié le ${today}` }));
        return;
      }
      const form: Record<string, string> =
        act.kind === 'promise'
          ? { action: 'promise', promisedDate: addDays(today, act.days), paymentMethod: 'transfer' }
          : act.kind === 'dispute'
            ? { action: 'dispute', reason: 'wrong_amount', message: 'Le montant ne correspond pas au bon de commande.' }
            : { action: 'question', message: 'Pouvez-vous nous renvoyer la facture ?' };
      await reliably(act.kind, told, () => c.answer(page, form));
      return;
    }
    case 'patch':
      await reliably('patch', told, () => c.patch(id, { dueDate: addDays(today, act.days) }));
      return;
    case 'cancel': {
      const reply = await reliably('cancel', told, () => c.cancel(id, 'Avoir émis'));
      noteClosing(told, reply);
      if (reply.status === 200) told.cancelled = true;
      return;
    }
    case 'resolve': {
      const correctedAmount = { value: Math.max(1, Math.floor(invoice.amount.value * 0.9)), currency: told.body.amount.currency };
      const reply = await reliably('resolve', told, () =>
        c.resolve(id, { outcome: act.outcome, ...(act.outcome === 'corrected_amount' ? { correctedAmount } : {}), note: 'Décision du service' }),
      );
      noteClosing(told, reply);
      if (reply.status === 200 && act.outcome === 'credit_note') told.cancelled = true;
      return;
    }
    case 'call':
      await reliably('call', told, () =>
        c.callOutcome(id, { outcome: act.outcome, note: 'Appel', ...(act.outcome === 'promised' ? { promisedDate: addDays(today, act.days), paymentMethod: 'transfer' } : {}) }),
      );
      return;
    case 'restart':
      await reliably('restart', told, () => c.request('POST', `/invoices/${encodeURIComponent(id)}/restart`));
      return;
    case 'letter': {
      // One letter per invoice (one tracking number): a second record adds its receipt, or says the same again.
      const body = { postedAt: today, trackingNumber: `LR-${id}`, ...(act.received ? { receivedAt: today } : {}) };
      const reply = await reliably('letter', told, () => c.request('POST', `/invoices/${encodeURIComponent(id)}/formal-notice`, { body }));
      const posted = (reply.json as { registeredLetter?: { postedAt?: string } } | undefined)?.registeredLetter?.postedAt;
      // Posted on an earlier day, the same tracking number today is a correction of the posting day: a valid one.
      if (reply.status !== 200 && reply.status !== 409) told.refusedLetters.push(`${JSON.stringify(body)}: ${reply.status} ${String(reply.text).slice(0, 200)}${posted ? ` (posted ${posted})` : ''}`);
      return;
    }
    case 'waive': {
      // A new reason each time: a later waiver covers what accrued since the last one.
      const reply = await reliably('waive', told, () => c.request('POST', `/invoices/${encodeURIComponent(id)}/waive`, { body: { reason: `Geste commercial ${today}` } }));
      if (reply.status === 200) told.waived = true;
      return;
    }
  }
}

/**
 * Moves the clock, and fails with what keeps the system busy when a step does not settle in `limitMs` (an execution
 * looping between states, say): the longest-running executions and the states they last went through.
 */
async function clockTo(c: DunningClient, at: Date, limitMs = 120_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      const running = (await c.executions()).filter((e) => e.status === 'RUNNING');
      const histories = await Promise.all(running.map((e) => c.execution(e.name)));
      const busiest = histories.sort((a, b) => b.events.length - a.events.length).slice(0, 3);
      const states = (h: (typeof histories)[number]) => h.events.filter((e) => e.type === 'StateEntered').slice(-20).map((e) => e.state);
      reject(new Error(`the clock did not settle at ${at.toISOString()}: ${busiest.map((h) => `${h.name} (${h.events.length} events): ${states(h).join(' → ')}`).join('\n')}`));
    }, limitMs);
  });
  try {
    await Promise.race([c.clockTo(at), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** Drives every plan on one runtime and returns the broken invariants (with the plan of each invoice that broke one). */
async function drive(runtime: LocalRuntime, plans: Plan[], faults: boolean) {
  const c = new DunningClient(runtime.url, runtime.apiKey);
  const today = parisDate(START);
  const run = `P${Math.floor(Math.random() * 1e6)}`;
  const world: Told[] = [];
  for (const [i, p] of plans.entries()) {
    const make = p.english ? englishInvoice : frenchInvoice;
    const shared = p.shared ? { customer: { id: `${run}-SHARED`, contacts: [{ name: 'Service comptable', email: `compta+${run.toLowerCase()}@durand-menuiseries.fr` }] } } : {};
    const body = make(`${run}-${i}`, today, { dueDate: addDays(today, p.dueInDays), amount: { value: p.amount, currency: 'EUR' }, ...shared });
    if (p.bouncing) body.customer.contacts.push({ name: 'Ancienne adresse', email: 'bounce@simulator.amazonses.com' });
    const told: Told = { body, acceptedPayments: [], cancelled: false, waived: false, serverErrors: [], refusedPayments: [], refusedLetters: [] };
    // 200 when a first attempt was recorded before its answer failed: the retry is the same registration.
    const reply = await reliably('register', told, () => c.register(body));
    expect([200, 201], reply.text).toContain(reply.status);
    world.push(told);
  }
  // Every event, in time order; those at the same moment run together.
  const moments = new Map<number, { told: Told; action: Action; n: number; racing: boolean }[]>();
  plans.forEach((p, i) =>
    p.events.forEach((e, n) => {
      // A letter is recorded in the weeks after the formal notice (due + 30), where it can move the hand-off (+ 45).
      const day = e.action.kind === 'letter' ? p.dueInDays + 30 + Math.floor((e.share / 100) * 20) : Math.floor((e.share / 100) * (p.dueInDays + 50));
      const at = START.getTime() + day * 86_400_000 + (e.hour - 7) * 3_600_000;
      moments.set(at, [...(moments.get(at) ?? []), { told: world[i], action: e.action, n, racing: e.racing }]);
    }),
  );
  for (const at of [...moments.keys()].sort((a, b) => a - b)) {
    const events = moments.get(at)!;
    const racing = events.filter((e) => e.racing);
    await Promise.all([clockTo(c, new Date(at)), ...racing.map(({ told, action: act, n }) => perform(c, told, act, n))]);
    await Promise.all(events.filter((e) => !e.racing).map(({ told, action: act, n }) => perform(c, told, act, n)));
  }
  // Long after everything: every invoice has reached where it will stay.
  await clockTo(c, new Date(START.getTime() + 320 * 86_400_000));

  const outbox = await c.outbox();
  const executions = await c.executions();
  const events = await c.events();
  const broken: string[] = [];
  const statuses: Record<string, number> = {};
  for (const [i, told] of world.entries()) {
    const id = told.body.invoiceId;
    const observed: ObservedInvoice = {
      invoice: (await reliably('final read', told, () => c.get(id))).json,
      emails: outbox.filter((e) => e.invoiceIds.includes(id)),
      executions: executions.filter((e) => e.invoiceId === id),
      acceptedPayments: told.acceptedPayments,
      cancelled: told.cancelled,
      waived: told.waived,
      ...(told.closedAtRealMs === undefined ? {} : { closedAtRealMs: told.closedAtRealMs }),
    };
    const found = [
      ...violations(observed, { faults }),
      ...eventViolations(observed.invoice, events.filter((e) => e.detail.invoiceId === id)),
      ...told.refusedPayments.map((refused) => `${id}: a valid payment was refused: ${refused}`),
      ...told.refusedLetters.map((refused) => `${id}: a valid registered letter was refused: ${refused}`),
    ];
    statuses[observed.invoice.status] = (statuses[observed.invoice.status] ?? 0) + 1;
    if (found.length) {
      const failed = await Promise.all(observed.executions.filter((e) => e.status === 'FAILED').map((e) => c.execution(e.name)));
      const why = failed.map((h) => `  ${h.name} failed: ${String(h.error).slice(0, 300)} after ${h.events.filter((e) => e.type === 'StateEntered').slice(-6).map((e) => e.state).join(' → ')}`);
      broken.push(...found, ...why, `  plan of ${id}: ${JSON.stringify(plans[i])}`);
    }
  }
  const letters = (await Promise.all(world.map(async (t) => (await c.get(t.body.invoiceId)).json?.registeredLetter as { postedAt?: string; receivedAt?: string } | undefined))).filter((l) => l?.postedAt);
  const summary = {
    statuses,
    emails: outbox.length,
    payments: world.reduce((n, t) => n + t.acceptedPayments.length, 0),
    waivers: world.filter((t) => t.waived).length,
    lettersPosted: letters.length,
    lettersReceived: letters.filter((l) => l?.receivedAt).length,
    bankAlerts: outbox.filter((e) => kindOf(e) === 'team_bank_details').length,
    eventsOut: events.length,
    groupedEmails: outbox.filter((e) => e.invoiceIds.length > 1).length,
    invoicesInGroupedEmails: outbox.filter((e) => e.invoiceIds.length > 1).reduce((n, e) => n + e.invoiceIds.length, 0),
    events: moments.size,
  };
  return { broken, serverErrors: world.flatMap((t) => t.serverErrors), summary };
}

/** Drives a random world of `PROPERTY_INVOICES` invoices on a fresh runtime, with or without faults, and checks it. */
export async function checkRandomWorld(faults: boolean): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(plan, { minLength: INVOICES, maxLength: INVOICES }), async (plans) => {
      const runtime = await createLocalRuntime({
        port: 0,
        speed: 0,
        startAt: START,
        dailyDigest: false,
        log: () => undefined,
        ...(faults ? { faults: { rates: DEFAULT_FAULT_RATES, seed: 20_270_104 } } : {}),
      });
      try {
        const started = Date.now();
        const { broken, serverErrors, summary } = await drive(runtime, plans, faults);
        if (process.env.PROPERTY_STATS) {
          console.log(JSON.stringify({ seconds: (Date.now() - started) / 1000, ...summary, serverErrors: serverErrors.length, faults: runtime.faults?.injected }));
        }
        expect(broken).toEqual([]);
        // Without faults nothing ever answers a 5xx; with them, the fault mode must have had something to do.
        if (!faults) expect(serverErrors).toEqual([]);
        else {
          expect(Object.values(runtime.faults!.injected).every((count) => count > 0), JSON.stringify(runtime.faults!.injected)).toBe(true);
          // A crash right after a claim loses that email by design, and the team hears of it.
          expect(runtime.outbox.some((email) => email.subject.includes('Envoi d’e-mail non confirmé'))).toBe(true);
        }
      } finally {
        await runtime.stop();
      }
    }),
    // One world of a hundred invoices per run; shrinking one would replay hundreds of runs, so the seed is the report.
    { numRuns: 1, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
}

