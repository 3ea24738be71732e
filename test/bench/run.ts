/**
 * `npm run bench` (`--full`: 10,000 invoices in the lifecycle run instead of 1,000; `--burst N`: N registrations in the
 * month-end burst instead of 10,000).
 *
 * Measures, in one run, and writes test/bench/results.json plus the Performance section at the end of README.md:
 * - bundles: every handler bundled exactly as deployed (infra/bundling.ts), bytes and cold import time;
 * - api: register p50 in-process against dynalite vs the p50 of the raw writes one registration performs;
 * - lifecycle: N invoices through the local runtime on the virtual clock (own process, for its peak RSS);
 * - paths: typical invoices (and one customer's ten, whose emails group) counted in billed units and priced at list prices;
 * - burst: N registrations at once against the local Step Functions quotas, then the executions counted (own process).
 * Timings are reported, never asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRuntime } from '../../infra/local/runtime';
import { benchApi, type ApiSection } from './api';
import { benchBundles, type BundlesSection } from './bundles';
import type { BurstSection } from './burst';
import type { LifecycleSection } from './lifecycle';
import { benchPaths, LAMBDA_MEMORY_MB, PRICES, type PathResult } from './paths';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS_FILE = join(PROJECT_ROOT, 'test/bench/results.json');
const README = join(PROJECT_ROOT, 'README.md');

const argv = process.argv.slice(2);
const args = new Set(argv);
const full = args.has('--full');
const invoices = full ? 10_000 : 1_000;
const burstArg = argv.indexOf('--burst');
const burstSize = burstArg >= 0 ? Number(argv[burstArg + 1]) : 10_000;
if (!Number.isInteger(burstSize) || burstSize < 1) {
  console.error('--burst takes a whole number of registrations, e.g. --burst 10000');
  process.exit(2);
}
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The issue's aims, and the floor a fresh clone must reach (issue 5). */
const TARGETS = {
  bundleBytes: { target: 150 * 1024, floor: 300 * 1024 },
  coldStartMs: { target: 50, floor: 120 },
  apiRatio: { target: 1.3, floor: 2 },
  // Issue 15 lowered the full ladder's target from 2.00 to 1.20.
  promiseKeptUsdPer1000: { target: 0.4, floor: 0.6 },
  fullLadderUsdPer1000: { target: 1.2, floor: 3.0 },
  lifecycle10kSeconds: { target: 120 },
  lifecycleRssMb: { target: 1024 },
};

function machine() {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    nproc: (process as { availableParallelism?: () => number }).availableParallelism?.() ?? cpus().length,
    cpu: model,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * The lifecycle's budget for its 1 GB target: V8's old space limited to 640 MB, the rest of the GB left to the young
 * generation, code and native memory (about 110 MB of it before any invoice). Unlimited, V8 on a large machine lets
 * garbage pile up far past the live data: the same 10,000 invoices peaked at 1.4 GB of RSS for 449 MB live
 * (2026-12-02).
 */
const LIFECYCLE_OLD_SPACE_MB = 640;

/** Runs `test/bench/<script>.ts <count> <out.json>` in a process of its own (its peak RSS is its own) and reads its result. */
async function inChild<T>(script: 'lifecycle' | 'burst', count: number, nodeOptions: string[] = []): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-bench-'));
  const out = join(dir, `${script}.json`);
  try {
    const code = await new Promise<number | null>((resolveExit, reject) => {
      const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', join(PROJECT_ROOT, `test/bench/${script}.ts`), String(count), out], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
      });
      child.on('error', reject);
      child.on('exit', resolveExit);
    });
    if (code !== 0 || !existsSync(out)) throw new Error(`The ${script} run failed (exit ${code})`);
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pathsInProcess(): Promise<PathResult[]> {
  const runtime = await createLocalRuntime({
    port: 0,
    speed: 0,
    startAt: new Date('2025-03-03T08:00:00Z'),
    dailyDigest: false,
    log: () => undefined,
  });
  try {
    return await benchPaths({ runtime, repetitions: 3, log });
  } finally {
    await runtime.stop();
  }
}

function check(value: number, limits: { target?: number; floor?: number }) {
  return {
    value,
    ...limits,
    meetsTarget: limits.target === undefined ? undefined : value <= limits.target,
    ...(limits.floor !== undefined ? { meetsFloor: value <= limits.floor } : {}),
  };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

function readmeSection(
  sections: { bundles: BundlesSection; api: ApiSection; lifecycle: LifecycleSection; paths: PathResult[]; burst?: BurstSection },
  results: { date: string; machine: ReturnType<typeof machine>; notes: string[] },
): string {
  const { bundles, api, lifecycle, paths } = sections;
  const m = results.machine;
  const lines: string[] = [];
  lines.push('## Performance', '');
  lines.push(
    `Measured by \`npm run bench\` on ${results.date.slice(0, 10)}: ${m.nproc} CPU (${m.cpu}), ${m.memoryGb} GB memory, node ${m.node}. ` +
      'Raw figures in `test/bench/results.json` (run again to refresh this section; `--full` runs 10,000 invoices). ' +
      'Timings depend on the machine and are never asserted in tests.',
    '',
  );
  lines.push('### Cost per 1,000 invoices (USD, list prices us-east-1 / eu-west-1)', '');
  lines.push('| path | state transitions | Lambda invocations | Lambda GB-s | emails | DynamoDB WRU | DynamoDB RRU | API requests | USD / 1,000 |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of paths) {
    lines.push(
      `| ${p.name} | ${p.stateTransitions} | ${p.lambdaInvocations} | ${p.lambdaGbSeconds.toFixed(3)} | ${p.emails} | ${p.dynamoWrites} | ${p.dynamoReads} | ${p.apiRequests} | **${p.usdPer1000.toFixed(2)}** |`,
    );
  }
  lines.push(
    '',
    'Per invoice, from real local executions (`infra/local/metrics.ts`). Prices: Step Functions standard USD 0.000025 per state ' +
      'transition; Lambda ARM USD 0.20 per million requests and USD 0.0000133334 per GB-second at 256 MB; SES USD 0.10 per ' +
      '1,000 emails (one per recipient); DynamoDB on-demand USD 0.625 per million write and USD 0.125 per million read request ' +
      'units; API Gateway HTTP API USD 1.00 per million requests; EventBridge USD 1.00 per million events out (the ' +
      'publish-events invocations are in the Lambda figures); SQS standard USD 0.40 per million requests to the start buffer ' +
      '(a send per signal, a receive and a delete per delivery). Not counted: CloudWatch Logs and metrics, alarms and the ' +
      'dashboard (per month, not per invoice), X-Ray, the daily digest, SES events and Scheduler, data transfer, free tiers.',
    '',
    '**How transitions are counted**: as Step Functions standard bills them — every state entered is one transition ' +
      '(Task, Choice and the terminal Succeed/Fail states alike; a retry is one more), counted from the engine\'s event log ' +
      '(`StateEntered` and `StateRetried`). The start of an execution is not a transition. A parked `.waitForTaskToken` task ' +
      'costs nothing while it waits. Lambda durations are measured in-process against the local emulators and billed per ' +
      'millisecond, rounded up: on AWS, network latency to DynamoDB and SES adds to them (GB-seconds are a minor part of the cost).',
    '',
  );
  lines.push('### Bundles (as deployed: esbuild, ESM, minified, AWS SDK bundled)', '');
  lines.push(`Cold import: median of ${bundles.runs} fresh node processes, minus a bare node start (${bundles.bareNodeStartMs} ms) measured in the same run.`, '');
  lines.push('| handler | size | cold import | largest parts |', '|---|---:|---:|---|');
  for (const b of [...bundles.results].sort((a, c) => c.bytes - a.bytes)) {
    lines.push(`| ${b.handler} | ${kb(b.bytes)} | ${b.coldStartMs} ms | ${b.topInputs.slice(0, 3).map((t) => `${t.input} ${kb(t.bytes)}`).join(', ')} |`);
  }
  lines.push('', '### API and lifecycle', '');
  lines.push('| measure | value |', '|---|---:|');
  lines.push(`| register p50 (in-process, dynalite) | ${api.registerP50Ms} ms |`);
  lines.push(`| raw writes of one registration p50 (${api.rawWrites} writes: ${api.registrationRequests.join(' → ')}) | ${api.rawWritesP50Ms} ms |`);
  lines.push(`| ratio | ${api.ratio} |`);
  lines.push(`| lifecycle: invoices through the local runtime | ${lifecycle.invoices} |`);
  lines.push(`| lifecycle: wall time (${lifecycle.days} virtual days) | ${lifecycle.seconds} s |`);
  lines.push(`| lifecycle: peak RSS (V8 old space limited to ${LIFECYCLE_OLD_SPACE_MB} MB, heap limit ${lifecycle.heapLimitMb} MB) | ${lifecycle.peakRssMb} MB |`);
  if (sections.burst) {
    const b = sections.burst;
    lines.push('', '### Month-end burst', '');
    lines.push(
      `${b.registrations} invoices registered by ${b.clients} concurrent clients through the local runtime, whose Step Functions endpoint ` +
        `throttles StartExecution like a large region (bucket ${b.startQuota.burst}, refilled at ${b.startQuota.rate} per second of virtual time). ` +
        'The virtual clock stands still while they register, so the bucket refills only once the clock runs: every start beyond the ' +
        'bucket is throttled, goes back to the start buffer and is retried later. Latencies are those of one process serving 64 clients ' +
        'at once (mostly queueing behind each other on two cores), not of API Gateway and Lambda.',
      '',
    );
    lines.push('| measure | value |', '|---|---:|');
    lines.push(`| registrations | ${b.registrations} |`);
    lines.push(`| accepted (201) | ${b.accepted} |`);
    lines.push(`| executions started | ${b.started} |`);
    lines.push(`| **lost** | **${b.lost}** |`);
    lines.push(`| register p50 / p99 | ${b.p50RegisterMs} ms / ${b.p99RegisterMs} ms |`);
    lines.push(`| StartExecution calls throttled (then retried) | ${b.throttledStarts} |`);
    lines.push(`| signals dead-lettered | ${b.deadLetters} |`);
    lines.push(`| virtual time for the buffer to drain | ${b.virtualSecondsToDrain} s |`);
    lines.push(`| wall time, first registration to last start | ${b.wallSeconds} s |`);
    lines.push(`| peak RSS | ${b.peakRssMb} MB |`);
  }
  lines.push('', '### Against the targets (issues 5 and 15)', '');
  for (const note of results.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}

function writeReadme(section: string): void {
  const text = readFileSync(README, 'utf8');
  const start = text.search(/^## Performance\s*$/m);
  let next = -1;
  if (start >= 0) {
    const rest = text.slice(start + 1);
    const match = /^## (?!#)/m.exec(rest);
    next = match ? start + 1 + match.index : -1;
  }
  const updated =
    start < 0
      ? `${text.replace(/\s*$/, '')}\n\n${section}`
      : `${text.slice(0, start)}${section}${next >= 0 ? `\n${text.slice(next)}` : ''}`;
  writeFileSync(README, updated.endsWith('\n') ? updated : `${updated}\n`);
}

function notes(results: { bundles: BundlesSection; api: ApiSection; lifecycle: LifecycleSection; paths: PathResult[]; burst?: BurstSection }): string[] {
  const largest = [...results.bundles.results].sort((a, b) => b.bytes - a.bytes)[0];
  const slowest = [...results.bundles.results].sort((a, b) => b.coldStartMs - a.coldStartMs)[0];
  const over = results.bundles.results.filter((b) => b.bytes > TARGETS.bundleBytes.target).length;
  const promise = results.paths.find((p) => p.name === 'promise-kept')!;
  const ladder = results.paths.find((p) => p.name === 'full-ladder-to-legal')!;
  const mark = (ok: boolean, floorOk?: boolean) => (ok ? 'meets the target' : floorOk === false ? '**misses the floor**' : floorOk ? 'misses the target (within the floor)' : '**misses the target**');
  const perInvoice = results.lifecycle.seconds / results.lifecycle.invoices;
  const rssPer = results.lifecycle.peakRssMb / results.lifecycle.invoices;
  return [
    `Bundles: largest ${largest.handler} ${kb(largest.bytes)} (target 150 KB, floor 300 KB), ${over} of ${results.bundles.results.length} above 150 KB: ` +
      `${mark(largest.bytes <= TARGETS.bundleBytes.target, largest.bytes <= TARGETS.bundleBytes.floor)}. Largest parts: ${largest.topInputs.map((t) => `${t.input} ${kb(t.bytes)}`).join(', ')}. ` +
      'The bundled AWS SDK is most of every bundle: the DynamoDB client alone is about 180 KB with @smithy/core, so 150 KB is out of reach while it is bundled. ' +
      'Leaving the SDK to the Lambda runtime instead (measured on 2026-11-23, same machine) gave 119-201 KB bundles but 168-230 ms cold imports, past the 120 ms floor: the SDK stays bundled, since cold start is what callers feel.',
    `Cold import: slowest ${slowest.handler} ${slowest.coldStartMs} ms (target 50, floor 120): ${mark(slowest.coldStartMs <= 50, slowest.coldStartMs <= 120)}.`,
    `API: register ${results.api.ratio}x its raw writes (target 1.3, floor 2): ${mark(results.api.ratio <= 1.3, results.api.ratio <= 2)}. ` +
      `One registration is ${results.api.registrationRequests.join(' → ')}; the rest is validation, planning and the handler around them.`,
    `promise-kept USD ${promise.usdPer1000.toFixed(2)} per 1,000 (target 0.40, floor 0.60): ${mark(promise.usdPer1000 <= 0.4, promise.usdPer1000 <= 0.6)}; ` +
      `Step Functions ${promise.usdPer1000ByService.stepFunctions} (${promise.stateTransitions} transitions), SES ${promise.usdPer1000ByService.ses} (${promise.emails} emails).`,
    `full-ladder-to-legal USD ${ladder.usdPer1000.toFixed(2)} per 1,000 (target 1.20, floor 3.00): ${mark(ladder.usdPer1000 <= 1.2, ladder.usdPer1000 <= 3)}; ` +
      `Step Functions ${ladder.usdPer1000ByService.stepFunctions} (${ladder.stateTransitions} transitions), SES ${ladder.usdPer1000ByService.ses} (${ladder.emails} emails).`,
    `Lifecycle: ${results.lifecycle.invoices} invoices in ${results.lifecycle.seconds} s, peak RSS ${results.lifecycle.peakRssMb} MB ` +
      `(${(perInvoice * 1000).toFixed(0)} ms and ${rssPer.toFixed(2)} MB per invoice${results.lifecycle.invoices < 10_000 ? `; 10,000 would take about ${Math.round(perInvoice * 10_000)} s at that rate, and memory is not extrapolated, since the runtime's own few hundred MB come before any invoice — run \`npm run bench -- --full\`` : ''}). ` +
      (results.lifecycle.invoices >= 10_000
        ? `Targets for 10,000: 1 GB ${mark(results.lifecycle.peakRssMb <= TARGETS.lifecycleRssMb.target)}; 120 s ${mark(results.lifecycle.seconds <= TARGETS.lifecycle10kSeconds.target)}.`
        : `Target for 10,000: 120 s ${mark(perInvoice * 10_000 <= TARGETS.lifecycle10kSeconds.target)} (time extrapolated).`),
    ...(results.burst
      ? [
          `Burst: ${results.burst.registrations} registrations, ${results.burst.accepted} accepted, ${results.burst.started} executions started, ` +
            `${results.burst.lost} lost (target 0): ${results.burst.lost === 0 && results.burst.started === results.burst.accepted ? 'meets the target' : '**misses the target**'}; ` +
            `${results.burst.throttledStarts} throttled StartExecution calls retried through the start buffer, ${results.burst.deadLetters} dead-lettered.`,
        ]
      : []),
  ];
}

/** `--readme-only`: re-renders the README section from test/bench/results.json without measuring again. */
function renderFromResults(): void {
  const saved = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
  const sections = {
    bundles: { runs: saved.bundlesMethod.coldStartRuns, bareNodeStartMs: saved.bundlesMethod.bareNodeStartMs, results: saved.bundles },
    api: saved.api,
    lifecycle: saved.lifecycle,
    paths: saved.paths,
    burst: saved.burst,
  };
  saved.notes = notes(sections);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(saved, null, 2)}\n`);
  writeReadme(readmeSection(sections, saved));
  log(`re-rendered the Performance section of README.md from ${RESULTS_FILE}`);
}

async function main(): Promise<void> {
  if (args.has('--readme-only')) return renderFromResults();
  const began = performance.now();
  const elapsed = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
  log(`npm run bench${full ? ' --full' : ''}: ${invoices} invoices in the lifecycle run`);

  log('bundles: building every handler as deployed');
  const bundles = await benchBundles({ projectRoot: PROJECT_ROOT, runs: 7, log });
  log(`  done (${elapsed()})`);

  log('api: register vs its raw writes, in-process against dynalite');
  const api = await benchApi({ iterations: 200, log });
  log(`  register p50 ${api.registerP50Ms} ms, raw writes p50 ${api.rawWritesP50Ms} ms, ratio ${api.ratio} (${elapsed()})`);

  log('paths: typical invoices and a customer of ten, counted and priced');
  const paths = await pathsInProcess();
  log(`  done (${elapsed()})`);

  log(`lifecycle: ${invoices} invoices through the local runtime on the virtual clock`);
  const lifecycle = await inChild<LifecycleSection>('lifecycle', invoices, [`--max-old-space-size=${LIFECYCLE_OLD_SPACE_MB}`]);
  log(`  ${lifecycle.invoices} invoices in ${lifecycle.seconds} s, peak RSS ${lifecycle.peakRssMb} MB (${elapsed()})`);

  log(`burst: ${burstSize} registrations at once, Step Functions quotas emulated`);
  const burst = await inChild<BurstSection>('burst', burstSize);
  log(`  ${burst.accepted} accepted, ${burst.started} started, ${burst.lost} lost in ${burst.wallSeconds} s, peak RSS ${burst.peakRssMb} MB (${elapsed()})`);

  const sections = { bundles, api, lifecycle, paths, burst };
  const largest = Math.max(...bundles.results.map((b) => b.bytes));
  const slowest = Math.max(...bundles.results.map((b) => b.coldStartMs));
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    options: { full, invoices, burst: burstSize },
    prices: { ...PRICES, lambdaMemoryMb: LAMBDA_MEMORY_MB, lambdaArchitecture: 'arm64' },
    transitionCounting:
      'Every state entered (Task, Choice, Succeed, Fail) is one billed transition, plus one per retry (StateEntered and StateRetried events of the local engine); starting an execution is not one.',
    bundles: bundles.results,
    bundlesMethod: { coldStartRuns: bundles.runs, bareNodeStartMs: bundles.bareNodeStartMs },
    api,
    lifecycle,
    paths,
    burst,
    targets: {
      largestBundleBytes: check(largest, TARGETS.bundleBytes),
      slowestColdStartMs: check(slowest, TARGETS.coldStartMs),
      apiRatio: check(api.ratio, TARGETS.apiRatio),
      promiseKeptUsdPer1000: check(paths.find((p) => p.name === 'promise-kept')!.usdPer1000, TARGETS.promiseKeptUsdPer1000),
      fullLadderUsdPer1000: check(paths.find((p) => p.name === 'full-ladder-to-legal')!.usdPer1000, TARGETS.fullLadderUsdPer1000),
      lifecycleSeconds: check(lifecycle.seconds, lifecycle.invoices >= 10_000 ? TARGETS.lifecycle10kSeconds : {}),
      lifecyclePeakRssMb: check(lifecycle.peakRssMb, TARGETS.lifecycleRssMb),
      burstLost: { value: burst.lost, target: 0, meetsTarget: burst.lost === 0 },
    },
    notes: [] as string[],
  };
  results.notes = notes(sections);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  writeReadme(readmeSection(sections, results));
  log(`wrote ${RESULTS_FILE} and the Performance section of README.md (${elapsed()})`);
  for (const note of results.notes) log(`- ${note}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
