/**
 * `lifecycle`: N invoices (1,000; 10,000 with --full) through the local runtime on the virtual clock, from
 * registration to their terminal state, across a mix of paths (deterministic, seeded):
 *   40 % paid before the pre-reminder, 25 % promise kept, 10 % dispute resolved then paid,
 *   10 % silent until the first overdue reminder then paid, 5 % promise broken then paid during the ladder,
 *   10 % full ladder to legal hand-off.
 * All invoices are registered on day 0 (due in 25 to 55 days); then the clock moves one day at a time to 14:00 UTC,
 * firing every timer due (pre-reminders, wake-ups, ladder steps), and the day's payments and answers are sent over
 * HTTP. Run in its own process by run.ts (`node --max-old-space-size=640 --import tsx test/bench/lifecycle.ts N
 * out.json`) so that its peak RSS is its own, within the heap budget of its 1 GB target.
 */
import { writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { createLocalRuntime } from '../../infra/local/runtime';
import { DAY_MS, Driver, isoDate, pool, prng } from './driver';

export interface LifecycleSection {
  invoices: number;
  seconds: number;
  peakRssMb: number;
  /** V8's heap limit in this process (`heap_size_limit`: the old space run.ts sets, plus the young generation). */
  heapLimitMb: number;
  /** Virtual days simulated. */
  days: number;
  mix: Record<string, number>;
  /** Executions by final status and state. */
  outcomes: Record<string, number>;
  registerSeconds: number;
}

type Kind = 'paid-early' | 'promise-kept' | 'dispute-resolved' | 'paid-after-reminder' | 'promise-broken' | 'full-ladder';
const MIX: [Kind, number][] = [
  ['paid-early', 0.4],
  ['promise-kept', 0.25],
  ['dispute-resolved', 0.1],
  ['paid-after-reminder', 0.1],
  ['promise-broken', 0.05],
  ['full-ladder', 0.1],
];

interface Invoice {
  id: string;
  kind: Kind;
  dueMs: number;
  executionName: string;
  amount: number;
  /** The customer has already been given an answer to send. */
  answered: boolean;
}

type Action = { invoice: Invoice; run: (driver: Driver) => Promise<unknown> };

export async function benchLifecycle(options: { invoices: number; log: (line: string) => void; progress: (line: string) => void }): Promise<LifecycleSection> {
  const started = performance.now();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  sampler.unref();
  const start = Date.parse('2025-03-03T14:00:00Z'); // a Monday
  const runtime = await createLocalRuntime({ port: 0, speed: 0, startAt: new Date(start), dailyDigest: false, log: () => undefined });
  const driver = new Driver(runtime);
  const random = prng(20250303);
  try {
    const invoices: Invoice[] = [];
    const mix: Record<string, number> = {};
    for (let i = 0; i < options.invoices; i++) {
      let r = random();
      let kind: Kind = 'full-ladder';
      for (const [k, share] of MIX) {
        if (r < share) {
          kind = k;
          break;
        }
        r -= share;
      }
      mix[kind] = (mix[kind] ?? 0) + 1;
      const dueDay = 25 + Math.floor(random() * 31);
      invoices.push({
        id: `LC-${String(i + 1).padStart(6, '0')}`,
        kind,
        dueMs: start + dueDay * DAY_MS,
        executionName: '',
        amount: 50_000 + Math.floor(random() * 500_000),
        answered: false,
      });
    }

    const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));

    // Day 0: every invoice is registered (16 requests in flight, as a billing system's batch would).
    const actions = new Map<number, Action[]>();
    const plan = (day: number, action: Action) => {
      const list = actions.get(day) ?? [];
      list.push(action);
      actions.set(day, list);
    };
    const dayOf = (ms: number) => Math.floor((ms - start) / DAY_MS);
    let registered = 0;
    await pool(invoices, 16, async (invoice) => {
      const result = await driver.register(invoice.id, isoDate(start), isoDate(invoice.dueMs), invoice.amount);
      invoice.executionName = result.executionName;
      registered += 1;
      if (registered % 250 === 0) options.progress(`lifecycle: registered ${registered}/${invoices.length}`);
    });
    await runtime.settle();
    const registerSeconds = (performance.now() - started) / 1000;

    const pay = (amount?: number) => (d: Driver, inv: Invoice) => d.pay(inv.id, amount ?? inv.amount);
    for (const invoice of invoices) {
      const dueDay = dayOf(invoice.dueMs);
      if (invoice.kind === 'paid-early') plan(1 + Math.floor(random() * (dueDay - 15)), { invoice, run: (d) => pay()(d, invoice) });
      if (invoice.kind === 'paid-after-reminder') plan(dueDay + 3, { invoice, run: (d) => pay()(d, invoice) });
    }

    const lastDue = Math.max(...invoices.map((i) => dayOf(i.dueMs)));
    const days = lastDue + 75;
    let outboxCursor = 0;
    let done = 0;
    const isDone = new Set<string>();
    for (let day = 1; day <= days; day++) {
      await driver.advanceTo(start + day * DAY_MS);
      // Customers read the emails that went out since yesterday and answer some of them.
      const outbox = runtime.outbox;
      for (; outboxCursor < outbox.length; outboxCursor++) {
        const entry = outbox[outboxCursor];
        const invoice = entry.invoiceId ? byId.get(entry.invoiceId) : undefined;
        if (!invoice || invoice.answered) continue;
        const link = entry.links.find((l) => l.startsWith(`${runtime.url}/r/`));
        if (!link) continue;
        const dueDay = dayOf(invoice.dueMs);
        if (invoice.kind === 'promise-kept' || invoice.kind === 'promise-broken') {
          invoice.answered = true;
          const promisedDay = Math.max(day + 1, dueDay);
          plan(day + 1, {
            invoice,
            run: (d) => d.answer(link, { action: 'promise', promisedDate: isoDate(start + promisedDay * DAY_MS), paymentMethod: 'transfer' }),
          });
          // Kept: paid on the promised day. Broken: paid 20 days after it, during the ladder.
          plan(invoice.kind === 'promise-kept' ? promisedDay : promisedDay + 20, { invoice, run: (d) => pay()(d, invoice) });
        } else if (invoice.kind === 'dispute-resolved') {
          invoice.answered = true;
          const corrected = Math.round(invoice.amount * 0.9);
          plan(day + 1, { invoice, run: (d) => d.answer(link, { action: 'dispute', reason: 'wrong_amount', message: 'Wrong quantity.' }) });
          plan(day + 4, { invoice, run: (d) => d.resolveDispute(invoice.id, corrected) });
          plan(day + 6, { invoice, run: (d) => pay(corrected)(d, invoice) });
        }
      }
      // Keep memory flat: the emails read are dropped (like DELETE /_local/outbox); the counts are not needed here.
      if (outboxCursor > 0) {
        outbox.splice(0, outboxCursor);
        outboxCursor = 0;
      }
      const today = actions.get(day) ?? [];
      actions.delete(day);
      await pool(today, 16, async (action) => {
        await action.run(driver);
      });
      await runtime.settle();
      for (const summary of runtime.engine.list()) {
        if (summary.status !== 'RUNNING' && !isDone.has(summary.name)) {
          isDone.add(summary.name);
          done += 1;
        }
      }
      const rss = process.memoryUsage().rss;
      peakRss = Math.max(peakRss, rss);
      options.progress(
        `lifecycle: day ${day}/${days}, ${done}/${invoices.length} finished, ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${Math.round(rss / 1048576)} MB`,
      );
      if (done === invoices.length && actions.size === 0) break;
    }
    const outcomes: Record<string, number> = {};
    for (const summary of runtime.engine.list()) {
      const key = summary.status === 'RUNNING' ? 'RUNNING' : `${summary.status}: ${summary.currentState ?? ''}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      invoices: invoices.length,
      seconds: Math.round(seconds * 10) / 10,
      peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576),
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1048576),
      days,
      mix,
      outcomes,
      registerSeconds: Math.round(registerSeconds * 10) / 10,
    };
  } finally {
    clearInterval(sampler);
    await runtime.stop();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const invoices = Number(process.argv[2] ?? 1000);
  const out = process.argv[3];
  const result = await benchLifecycle({
    invoices,
    log: (line) => process.stderr.write(`${line}\n`),
    progress: (line) => process.stderr.write(`\r  ${line}   `),
  });
  process.stderr.write('\n');
  if (out) writeFileSync(out, JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
