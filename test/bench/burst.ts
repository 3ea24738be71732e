/**
 * `burst`: a month-end burst. N invoices (10,000 by default, `--burst N`) are registered as fast as a billing system's
 * many clients would (64 requests in flight), while the local Step Functions endpoint throttles StartExecution like a
 * large region (a bucket of 1,300 refilled at 300 per second of virtual time, unless LOCAL_START_RATE / _BURST say
 * otherwise). The virtual clock stands still during the registrations, so the bucket refills only once they are over
 * and the clock runs: the harshest case for the start buffer. Then the clock runs a minute at a time until every
 * accepted registration has its execution (or two virtual hours pass), and the executions are counted against the
 * registrations. Run in its own process by run.ts, for its peak RSS.
 */
import { writeFileSync } from 'node:fs';
import { createLocalRuntime } from '../../infra/local/runtime';
import { DAY_MS, Driver, isoDate, pool } from './driver';

export interface BurstSection {
  registrations: number;
  /** Answered 201. */
  accepted: number;
  /** Executions that exist for them at the end. */
  started: number;
  /** Accepted but never started. */
  lost: number;
  p50RegisterMs: number;
  p99RegisterMs: number;
  /** From the first registration to the last start. */
  wallSeconds: number;
  peakRssMb: number;
  /** How the buffer went: calls Step Functions refused, deliveries, messages dead-lettered, virtual time to drain. */
  throttledStarts: number;
  queueDeliveries: number;
  deadLetters: number;
  virtualSecondsToDrain: number;
  clients: number;
  startQuota: { rate: number; burst: number };
}

const CLIENTS = 64;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchBurst(options: { registrations: number; progress: (line: string) => void }): Promise<BurstSection> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  sampler.unref();
  const start = Date.parse('2025-03-31T16:00:00Z'); // month end
  const runtime = await createLocalRuntime({ port: 0, speed: 0, startAt: new Date(start), dailyDigest: false, log: () => undefined });
  const driver = new Driver(runtime);
  try {
    const ids = Array.from({ length: options.registrations }, (_, i) => `ME-${String(i + 1).padStart(6, '0')}`);
    const latencies: number[] = [];
    const names = new Set<string>();
    let accepted = 0;
    const began = performance.now();
    await pool(ids, CLIENTS, async (id, index) => {
      // Due in 30 to 60 days: every execution parks until its pre-reminder.
      const due = start + (30 + (index % 31)) * DAY_MS;
      const sent = performance.now();
      const { executionName } = await driver.register(id, isoDate(start), isoDate(due), 100_000 + index);
      latencies.push(performance.now() - sent);
      names.add(executionName);
      accepted += 1;
      if (accepted % 1000 === 0) options.progress(`burst: registered ${accepted}/${ids.length}, RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
    });
    const startedCount = () => runtime.engine.list().filter((summary) => names.has(summary.name)).length;
    // The clock runs: a virtual minute at a time, each answered once everything it released has settled.
    let virtualSeconds = 0;
    let started = startedCount();
    while (started < accepted && virtualSeconds < 2 * 3600) {
      await runtime.clock.setTo(new Date(runtime.clock.nowMs() + 60_000));
      virtualSeconds += 60;
      started = startedCount();
      options.progress(`burst: ${started}/${accepted} started after ${virtualSeconds} virtual s, RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
    }
    const wallSeconds = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      registrations: ids.length,
      accepted,
      started,
      lost: accepted - started,
      p50RegisterMs: Math.round(percentile(latencies, 50) * 10) / 10,
      p99RegisterMs: Math.round(percentile(latencies, 99) * 10) / 10,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576),
      throttledStarts: runtime.quotas.startExecution.throttled,
      queueDeliveries: runtime.signalQueue.deliveries,
      deadLetters: runtime.signalQueue.deadLetters.length,
      virtualSecondsToDrain: virtualSeconds,
      clients: CLIENTS,
      startQuota: { ...runtime.quotas.startExecution.settings },
    };
  } finally {
    clearInterval(sampler);
    await runtime.stop();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const registrations = Number(process.argv[2] ?? 10_000);
  const out = process.argv[3];
  const result = await benchBurst({ registrations, progress: (line) => process.stderr.write(`\r  ${line}   `) });
  process.stderr.write('\n');
  if (out) writeFileSync(out, JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
