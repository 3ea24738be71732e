/**
 * `npm start`: the whole system on this machine, no AWS account.
 * Environment: PORT (default 3000), DUNNING_API_KEY (default local-dev-key), LOCAL_DATA_DIR (keep DynamoDB data on
 * disk), CLOCK_SPEED (virtual ms per real ms: 1 = real pace, 0 = frozen, 86400 = a day per second), SES_PORT,
 * CLOCK_START (an ISO timestamp the virtual clock starts at instead of now, to replay a past half-year against its
 * rates), LOCAL_FAULTS and LOCAL_FAULT_SEED (the fault mode, infra/local/faults.ts), LOG_LEVEL (the handlers' lines:
 * INFO by default, SILENT to quiet them), LOCAL_START_RATE / LOCAL_START_BURST and LOCAL_SIGNAL_RATE /
 * LOCAL_SIGNAL_BURST (the local Step Functions quotas, infra/local/token-bucket.ts).
 */
import { readFileSync } from 'node:fs';
import { parseFaultRates } from './faults';
import { createLocalRuntime, DEFAULT_API_KEY } from './runtime';
import { bucketFromEnv } from './token-bucket';

function numberFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    console.error(`${name} must be a non-negative number, got "${value}"`);
    process.exit(2);
  }
  return parsed;
}

/** CLOCK_START as an instant: a full ISO timestamp with its offset, as the contract says; anything else stops here. */
function instantFromEnv(name: string): Date | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const instant = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(instant.getTime())) {
    console.error(`${name} must be an ISO timestamp such as 2025-06-16T08:00:00Z, got "${value}"`);
    process.exit(2);
  }
  return instant;
}

function logLevelFromEnv() {
  const value = (process.env.LOG_LEVEL || 'INFO').toUpperCase();
  if (value === 'DEBUG' || value === 'INFO' || value === 'WARN' || value === 'ERROR' || value === 'SILENT') return value;
  console.error(`LOG_LEVEL must be DEBUG, INFO, WARN, ERROR or SILENT, got "${process.env.LOG_LEVEL}"`);
  process.exit(2);
}

/** The local Step Functions quotas: a bad value stops here with its name, not with a stack trace. */
function quotasFromEnv() {
  try {
    return { startExecution: bucketFromEnv('START'), sendTaskSuccess: bucketFromEnv('SIGNAL') };
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

const faultRates = parseFaultRates(process.env.LOCAL_FAULTS);
const quotas = quotasFromEnv();
const runtime = await createLocalRuntime({
  ...(faultRates ? { faults: { rates: faultRates, seed: numberFromEnv('LOCAL_FAULT_SEED', Date.now() % 2 ** 31) } } : {}),
  port: numberFromEnv('PORT', 3000),
  apiKey: process.env.DUNNING_API_KEY || DEFAULT_API_KEY,
  persistDir: process.env.LOCAL_DATA_DIR || undefined,
  speed: numberFromEnv('CLOCK_SPEED', 1),
  startAt: instantFromEnv('CLOCK_START'),
  sesPort: numberFromEnv('SES_PORT', 0),
  // One structured line per decision, email, answer and payment; LOG_LEVEL=SILENT (or WARN) quiets them.
  handlerLogLevel: logLevelFromEnv(),
  quotas,
});

const { url, apiKey, mailViewerUrl, clock } = runtime;
console.log(`
Preventive dunning — local runtime
  API              ${url}            (OpenAPI: ${url}/openapi.json)
  API key          ${apiKey}         (Authorization: Bearer ${apiKey})
  Mail viewer      ${mailViewerUrl}
  Virtual clock    ${url}/_local/clock  now ${clock.now().toISOString()}, speed ${clock.speedFactor}x
  Outbox (JSON)    ${url}/_local/outbox
  Events out       ${url}/_local/events
  Handler logs     ${(process.env.LOG_LEVEL || 'INFO').toUpperCase()} (LOG_LEVEL=SILENT quiets them)
  Executions       ${url}/_local/executions
  Start buffer     ${url}/_local/queues  Step Functions quotas: StartExecution ${runtime.quotas.startExecution.settings.rate}/s (bucket ${runtime.quotas.startExecution.settings.burst}), SendTaskSuccess ${runtime.quotas.sendTaskSuccess.settings.rate}/s (bucket ${runtime.quotas.sendTaskSuccess.settings.burst}) — LOCAL_START_RATE/_BURST, LOCAL_SIGNAL_RATE/_BURST
  Data             ${process.env.LOCAL_DATA_DIR ? `DynamoDB on disk in ${process.env.LOCAL_DATA_DIR}` : 'in memory (set LOCAL_DATA_DIR to keep it)'}
  Faults           ${runtime.faults ? `ON, seed ${runtime.faults.seed} (${url}/_local/faults)` : 'off (LOCAL_FAULTS=default to inject AWS-like failures)'}

Try:
  curl -s -X POST ${url}/invoices -H 'Authorization: Bearer ${apiKey}' -H 'content-type: application/json' -d '{
    "invoiceId": "INV-001",
    "customer": { "id": "C-1", "name": "Customer SA", "language": "en",
                  "contacts": [{ "name": "Accounts payable", "email": "ap@customer.example" }] },
    "amount": { "value": 120000, "currency": "EUR" },
    "issueDate": "${clock.now().toISOString().slice(0, 10)}",
    "dueDate": "${new Date(clock.now().getTime() + 30 * 86400_000).toISOString().slice(0, 10)}" }'
  curl -s -X POST ${url}/_local/clock -H 'content-type: application/json' -d '{"advance":"P20D"}'
  curl -s ${url}/_local/outbox
  curl -s ${url}/invoices/INV-001 -H 'Authorization: Bearer ${apiKey}'
  curl -s ${url}/_local/executions

Ctrl-C to stop.
`);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping (executions aborted, servers closed)…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  runtime.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));

/**
 * The processes this one was started under (npm, its shell, tsx), read from /proc where there is one. Killing npm does
 * not always reach us (a SIGKILL is not forwarded, and npm forwards nothing once it is gone), so we stop when any of
 * them is gone rather than keep the port and the emulators as an orphan.
 */
function ancestors(): number[] {
  const chain: number[] = [];
  for (let pid = process.ppid; pid > 1 && chain.length < 8; ) {
    chain.push(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return chain;
}

const parents = ancestors();
const watchdog = setInterval(() => {
  const gone = parents.find((pid) => {
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  });
  if (gone !== undefined || process.ppid === 1) shutdown(`parent process ${gone ?? process.ppid} ended`);
}, 1000);
watchdog.unref();
