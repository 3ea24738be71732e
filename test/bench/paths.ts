/**
 * `paths`: typical lives of an invoice, each run for real on the local runtime, one invoice (or one customer's ten) at a time, with the
 * runtime's counters (infra/local/metrics.ts) read before and after: state transitions (every state entered, as
 * Step Functions standard bills them), Lambda invocations and billed milliseconds (API handlers and the authorizer
 * included), emails (per recipient), DynamoDB read/write request units, API Gateway requests. Priced with the list
 * prices below.
 */
import { localMetrics, metricsDelta, type MetricsSnapshot } from '../../infra/local/metrics';
import type { LocalRuntime } from '../../infra/local/runtime';
import { DAY_MS, Driver, isoDate } from './driver';

/** List prices, USD, us-east-1 and eu-west-1 (the same there). */
export const PRICES = {
  region: 'us-east-1 / eu-west-1 list prices, USD',
  stepFunctionsStandardPerStateTransition: 0.000025,
  lambdaArmPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  sesPer1000Emails: 0.1,
  dynamoDbOnDemandPerMillionWriteRequestUnits: 0.625,
  dynamoDbOnDemandPerMillionReadRequestUnits: 0.125,
  apiGatewayHttpApiPerMillionRequests: 1.0,
  eventBridgeCustomEventsPerMillion: 1.0,
  sqsStandardPerMillionRequests: 0.4,
} as const;

/** Every function's configured memory (HandlerFunction's default; infra/dunning-stack.ts overrides none), ARM64. */
export const LAMBDA_MEMORY_MB = 256;

export const PATH_NAMES = ['paid-before-pre-reminder', 'promise-kept', 'dispute-resolved', 'full-ladder-to-legal', 'ten-invoices-one-customer'] as const;

/** How many invoices one run of a path registers (per-invoice figures divide by it). */
const INVOICES_PER_RUN: Partial<Record<PathName, number>> = { 'ten-invoices-one-customer': 10 };
export type PathName = (typeof PATH_NAMES)[number];

export interface PathResult {
  name: PathName;
  /** What the invoice went through. */
  scenario: string;
  terminalState: string;
  stateTransitions: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  emails: number;
  dynamoWrites: number;
  dynamoReads: number;
  apiRequests: number;
  /** Events out published on the bus. */
  busEvents: number;
  /** Start-buffer requests: SendMessage, and ReceiveMessage and DeleteMessage per delivery. */
  sqsRequests: number;
  usdPer1000: number;
  usdPer1000ByService: Record<string, number>;
  /** Per invoice: transitions by state, invocations by function, request units by DynamoDB operation. */
  transitionsByState: Record<string, number>;
  invocationsByFunction: Record<string, number>;
  dynamoByOperation: Record<string, { requests: number; units: number }>;
}

const SCENARIOS: Record<PathName, string> = {
  'paid-before-pre-reminder': 'registered 30 days before due; paid 5 days later, before the pre-reminder',
  'promise-kept': 'pre-reminder; the customer opens the link and promises the due date; paid on the promised date',
  'dispute-resolved':
    'pre-reminder; the customer opens the link and disputes the amount; the operator corrects the amount 2 days later; paid 3 days after that',
  'full-ladder-to-legal': 'pre-reminder, no answer, no payment: the whole overdue ladder, then hand-off to legal',
  'ten-invoices-one-customer':
    'ten invoices of one customer due on one date: one grouped pre-reminder for the ten, no answer, each paid on its due date (figures per invoice)',
};

export function price(delta: { stateTransitions: number; lambdaInvocations: number; lambdaGbSeconds: number; emails: number; dynamoWriteUnits: number; dynamoReadUnits: number; apiRequests: number; busEvents: number; sqsRequests: number }) {
  const perInvoice = {
    stepFunctions: delta.stateTransitions * PRICES.stepFunctionsStandardPerStateTransition,
    lambdaRequests: (delta.lambdaInvocations * PRICES.lambdaArmPerMillionRequests) / 1e6,
    lambdaDuration: delta.lambdaGbSeconds * PRICES.lambdaArmPerGbSecond,
    ses: (delta.emails * PRICES.sesPer1000Emails) / 1000,
    dynamoDbWrites: (delta.dynamoWriteUnits * PRICES.dynamoDbOnDemandPerMillionWriteRequestUnits) / 1e6,
    dynamoDbReads: (delta.dynamoReadUnits * PRICES.dynamoDbOnDemandPerMillionReadRequestUnits) / 1e6,
    apiGateway: (delta.apiRequests * PRICES.apiGatewayHttpApiPerMillionRequests) / 1e6,
    eventBridge: (delta.busEvents * PRICES.eventBridgeCustomEventsPerMillion) / 1e6,
    sqs: (delta.sqsRequests * PRICES.sqsStandardPerMillionRequests) / 1e6,
  };
  const byService = Object.fromEntries(Object.entries(perInvoice).map(([k, v]) => [k, round4(v * 1000)]));
  const total = Object.values(perInvoice).reduce((a, b) => a + b, 0) * 1000;
  return { usdPer1000: round4(total), byService };
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

async function runPath(driver: Driver, name: PathName, invoiceId: string): Promise<string> {
  if (name === 'ten-invoices-one-customer') return runCustomerOfTen(driver, invoiceId);
  const start = driver.now();
  const due = start + 30 * DAY_MS;
  const { preReminderAt, executionName } = await driver.register(invoiceId, isoDate(start), isoDate(due));
  await driver.runtime.settle();
  const afterPreReminder = Date.parse(preReminderAt) + 3600_000;
  switch (name) {
    case 'paid-before-pre-reminder':
      await driver.advanceTo(start + 5 * DAY_MS);
      await driver.pay(invoiceId);
      break;
    case 'promise-kept': {
      await driver.advanceTo(afterPreReminder);
      const link = driver.linkFor(invoiceId);
      if (!link) throw new Error(`${invoiceId}: no pre-reminder link`);
      await driver.answer(link, { action: 'promise', promisedDate: isoDate(due), paymentMethod: 'transfer' });
      await driver.runtime.settle();
      await driver.advanceTo(due + 10 * 3600_000);
      await driver.pay(invoiceId);
      break;
    }
    case 'dispute-resolved': {
      await driver.advanceTo(afterPreReminder);
      const link = driver.linkFor(invoiceId);
      if (!link) throw new Error(`${invoiceId}: no pre-reminder link`);
      await driver.answer(link, { action: 'dispute', reason: 'wrong_amount', message: 'The quantity is wrong.' });
      await driver.runtime.settle();
      await driver.advanceTo(driver.now() + 2 * DAY_MS);
      await driver.resolveDispute(invoiceId, 100_000);
      await driver.runtime.settle();
      await driver.advanceTo(driver.now() + 3 * DAY_MS);
      await driver.pay(invoiceId, 100_000);
      break;
    }
    case 'full-ladder-to-legal':
      await driver.advanceTo(due + 80 * DAY_MS);
      break;
  }
  await driver.runtime.settle();
  // Let any straggling timer of this invoice fire (a wake-up already cancelled, a follow-up).
  await driver.advanceTo(driver.now() + DAY_MS);
  return driver.outcome(executionName);
}

/** Ten invoices of one customer, one contact, one due date: their pre-reminders leave as one email. */
async function runCustomerOfTen(driver: Driver, runId: string): Promise<string> {
  const start = driver.now();
  const due = start + 30 * DAY_MS;
  const ids = Array.from({ length: 10 }, (_, i) => `${runId}-${i + 1}`);
  const executions = [];
  for (const id of ids) executions.push((await driver.register(id, isoDate(start), isoDate(due), 120_000, `C-${runId}`)).executionName);
  await driver.runtime.settle();
  await driver.advanceTo(due + 10 * 3600_000);
  for (const id of ids) await driver.pay(id);
  await driver.runtime.settle();
  await driver.advanceTo(driver.now() + DAY_MS);
  const outcomes = new Set(executions.map((execution) => driver.outcome(execution)));
  return outcomes.size === 1 ? [...outcomes][0]! : [...outcomes].join(', ');
}

export async function benchPaths(options: { runtime: LocalRuntime; repetitions: number; log: (line: string) => void }): Promise<PathResult[]> {
  const driver = new Driver(options.runtime);
  const results: PathResult[] = [];
  let serial = 0;
  for (const name of PATH_NAMES) {
    const n = options.repetitions;
    let before: MetricsSnapshot = localMetrics.snapshot();
    let delta: MetricsSnapshot | undefined;
    const emailsBefore = driver.emailCount();
    const apiBefore = driver.apiRequests;
    const eventsBefore = options.runtime.events.length;
    // The start buffer: a SendMessage per signal, and per delivery a ReceiveMessage and a DeleteMessage (the event
    // source mapping batches them; counted one each, an upper bound).
    const sqsRequests = () => options.runtime.signalQueue.sent + 2 * options.runtime.signalQueue.deliveries;
    const sqsBefore = sqsRequests();
    let terminalState = '';
    for (let i = 0; i < n; i++) {
      terminalState = await runPath(driver, name, `PATH-${String(++serial).padStart(4, '0')}`);
      if (!terminalState.startsWith('SUCCEEDED')) options.log(`  warning: ${name} ended ${terminalState}`);
    }
    delta = metricsDelta(localMetrics.snapshot(), before);
    before = localMetrics.snapshot();
    const per = (value: number) => value / (n * (INVOICES_PER_RUN[name] ?? 1));
    const lambdaGbSeconds = per(delta.lambdaBilledMs / 1000) * (LAMBDA_MEMORY_MB / 1024);
    const counts = {
      stateTransitions: per(delta.stateTransitions),
      lambdaInvocations: per(delta.lambdaInvocations),
      lambdaGbSeconds,
      emails: per(driver.emailCount() - emailsBefore),
      dynamoWriteUnits: per(delta.dynamoWriteUnits),
      dynamoReadUnits: per(delta.dynamoReadUnits),
      apiRequests: per(driver.apiRequests - apiBefore),
      busEvents: per(options.runtime.events.length - eventsBefore),
      sqsRequests: per(sqsRequests() - sqsBefore),
    };
    const { usdPer1000, byService } = price(counts);
    results.push({
      name,
      scenario: SCENARIOS[name],
      terminalState: terminalState.replace(/^SUCCEEDED:/, ''),
      stateTransitions: counts.stateTransitions,
      lambdaInvocations: counts.lambdaInvocations,
      lambdaGbSeconds: Math.round(lambdaGbSeconds * 1e5) / 1e5,
      emails: counts.emails,
      dynamoWrites: counts.dynamoWriteUnits,
      dynamoReads: counts.dynamoReadUnits,
      apiRequests: counts.apiRequests,
      busEvents: counts.busEvents,
      sqsRequests: counts.sqsRequests,
      usdPer1000,
      usdPer1000ByService: byService,
      transitionsByState: Object.fromEntries(Object.entries(delta.byState).map(([k, v]) => [k, per(v)])),
      invocationsByFunction: Object.fromEntries(Object.entries(delta.byFunction).map(([k, v]) => [k, per(v.invocations)])),
      dynamoByOperation: Object.fromEntries(
        Object.entries(delta.byOperation).map(([k, v]) => [k, { requests: per(v.requests), units: per(v.units) }]),
      ),
    });
    options.log(`  ${name}: ${counts.stateTransitions} transitions, ${counts.lambdaInvocations} invocations, USD ${usdPer1000} per 1,000`);
  }
  return results;
}
