/**
 * `bundles`: every handler in functions/ bundled exactly as CDK deploys it (infra/bundling.ts), its size, what
 * dominates it (esbuild metafile, grouped by package), and its cold import time: the median over fresh node
 * processes of (spawn → import the bundle → exit) minus the median of a bare node start measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { bundleHandler } from '../../infra/bundling';

export interface BundleResult {
  handler: string;
  bytes: number;
  coldStartMs: number;
  /** Largest contributors to the minified output, by package (or project folder), bytes. */
  topInputs: { input: string; bytes: number }[];
}

export interface BundlesSection {
  runs: number;
  bareNodeStartMs: number;
  results: BundleResult[];
}

const LOADER = 'const f = process.argv[1]; if (f) await import(f);';

/** The environment Lambda gives every handler (values are placeholders; nothing is called at import). */
const HANDLER_ENV = {
  AWS_REGION: 'eu-west-3',
  AWS_DEFAULT_REGION: 'eu-west-3',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  TABLE_NAME: 'dunning',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-3:000000000000:stateMachine:invoice-dunning',
  SENDER_EMAIL: 'billing@example.com',
  TEAM_EMAIL: 'credit-team@example.com',
  PUBLIC_BASE_URL: 'https://example.com',
  POWERTOOLS_SERVICE_NAME: 'dunning',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  TZ: 'UTC',
};

function timeProcess(file?: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', LOADER, ...(file ? [file] : [])], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...HANDLER_ENV },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`Importing ${file ?? '(nothing)'} failed: ${result.stderr}`);
  return ms;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function topInputs(metafile: Metafile, limit = 6): { input: string; bytes: number }[] {
  const output = Object.values(metafile.outputs)[0];
  const groups = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
    const key = pkg ?? path.split('/').slice(0, path.startsWith('shared/') ? 2 : 1).join('/');
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([input, bytes]) => ({ input, bytes }));
}

export async function benchBundles(options: { projectRoot: string; runs: number; log: (line: string) => void }): Promise<BundlesSection> {
  const { projectRoot, runs, log } = options;
  const handlers = readdirSync(join(projectRoot, 'functions'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
  const outDir = join(tmpdir(), `dunning-bench-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  try {
    const built: { handler: string; file: string; bytes: number; metafile: Metafile }[] = [];
    // Built one after the other (esbuild uses every core for each build anyway).
    for (const handler of handlers) {
      const file = join(outDir, handler, 'index.mjs');
      const result = await bundleHandler(join(projectRoot, 'functions', `${handler}.ts`), file);
      const output = Object.values(result.metafile!.outputs)[0];
      built.push({ handler, file, bytes: output.bytes, metafile: result.metafile! });
    }
    log(`  bundled ${built.length} handlers; timing cold imports (${runs} fresh processes each)`);

    // Interleaved rounds: bare start, then every bundle, so that drift in machine load hits all alike.
    const bare: number[] = [];
    const times = new Map<string, number[]>(built.map((b) => [b.handler, []]));
    timeProcess(); // warm the file cache
    for (const b of built) timeProcess(pathToFileURL(b.file).href);
    for (let round = 0; round < runs; round++) {
      bare.push(timeProcess());
      for (const b of built) times.get(b.handler)!.push(timeProcess(pathToFileURL(b.file).href));
    }
    const bareMs = median(bare);
    const results = built.map((b) => ({
      handler: b.handler,
      bytes: b.bytes,
      coldStartMs: round1(Math.max(0, median(times.get(b.handler)!) - bareMs)),
      topInputs: topInputs(b.metafile),
    }));
    return { runs, bareNodeStartMs: round1(bareMs), results };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
