/**
 * Counters of what the local runtime did, in the units AWS bills: state transitions (every state entered, retries
 * included), Lambda invocations and their durations, DynamoDB read and write request units. `npm run bench` reads
 * them (test/bench); nothing else depends on them.
 *
 * Process-wide, like the runtime itself (one runtime per process). The hooks are one line each: the engine reports
 * the states it enters (`infra/local/engine.ts`), `LocalFunctions.invoke` each handler run (`functions.ts`), and the
 * runtime adds `instrumentDynamoDbClient` to the handlers' DynamoDB client (`runtime.ts`). Emails are counted from
 * the outbox by the bench itself.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface FunctionCounters {
  invocations: number;
  /** Sum of the invocations' durations rounded up to the millisecond, as Lambda bills them. */
  billedMs: number;
  errors: number;
}

export interface MetricsSnapshot {
  stateTransitions: number;
  /** State name → transitions into it (retries counted on the retried state). */
  byState: Record<string, number>;
  lambdaInvocations: number;
  lambdaBilledMs: number;
  byFunction: Record<string, FunctionCounters>;
  dynamoReadRequests: number;
  dynamoWriteRequests: number;
  /** Read request units (on-demand): 1 per 4 KB strongly consistent read, half that eventually consistent. */
  dynamoReadUnits: number;
  /** Write request units (on-demand): 1 per 1 KB written; a failed conditional write still costs 1. */
  dynamoWriteUnits: number;
  /** Request units per operation, e.g. `PutItem` → 42. */
  byOperation: Record<string, { requests: number; units: number }>;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

export class LocalMetrics {
  private counters = LocalMetrics.empty();

  static empty(): MetricsSnapshot {
    return {
      stateTransitions: 0,
      byState: {},
      lambdaInvocations: 0,
      lambdaBilledMs: 0,
      byFunction: {},
      dynamoReadRequests: 0,
      dynamoWriteRequests: 0,
      dynamoReadUnits: 0,
      dynamoWriteUnits: 0,
      byOperation: {},
    };
  }

  /** A state was entered (or retried): one billed transition on a standard workflow. */
  stateEntered(stateName: string): void {
    this.counters.stateTransitions += 1;
    this.counters.byState[stateName] = (this.counters.byState[stateName] ?? 0) + 1;
  }

  /** A handler ran for `ms` milliseconds (in-process: no cold start, local emulators). */
  lambdaInvoked(functionName: string, ms: number, failed = false): void {
    const billed = Math.max(1, Math.ceil(ms));
    this.counters.lambdaInvocations += 1;
    this.counters.lambdaBilledMs += billed;
    const entry = (this.counters.byFunction[functionName] ??= { invocations: 0, billedMs: 0, errors: 0 });
    entry.invocations += 1;
    entry.billedMs += billed;
    if (failed) entry.errors += 1;
  }

  dynamoRequest(operation: string, units: number): void {
    const write = WRITE_OPERATIONS.has(operation);
    if (!write && !READ_OPERATIONS.has(operation)) return; // DescribeTable, CreateTable: control plane, not billed per request
    if (write) {
      this.counters.dynamoWriteRequests += 1;
      this.counters.dynamoWriteUnits += units;
    } else {
      this.counters.dynamoReadRequests += 1;
      this.counters.dynamoReadUnits += units;
    }
    const entry = (this.counters.byOperation[operation] ??= { requests: 0, units: 0 });
    entry.requests += 1;
    entry.units += units;
  }

  snapshot(): MetricsSnapshot {
    return structuredClone(this.counters);
  }

  reset(): void {
    this.counters = LocalMetrics.empty();
  }
}

/** What happened between two snapshots. */
export function metricsDelta(after: MetricsSnapshot, before: MetricsSnapshot): MetricsSnapshot {
  const minusRecord = <T extends Record<string, number>>(a: Record<string, T>, b: Record<string, T>) => {
    const out: Record<string, T> = {};
    for (const [key, value] of Object.entries(a)) {
      const prior = b[key];
      const diff = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v - (prior?.[k] ?? 0)])) as T;
      if (Object.values(diff).some((v) => v !== 0)) out[key] = diff;
    }
    return out;
  };
  const byState: Record<string, number> = {};
  for (const [state, count] of Object.entries(after.byState)) {
    const diff = count - (before.byState[state] ?? 0);
    if (diff) byState[state] = diff;
  }
  return {
    stateTransitions: after.stateTransitions - before.stateTransitions,
    byState,
    lambdaInvocations: after.lambdaInvocations - before.lambdaInvocations,
    lambdaBilledMs: after.lambdaBilledMs - before.lambdaBilledMs,
    byFunction: minusRecord(after.byFunction as never, before.byFunction as never) as never,
    dynamoReadRequests: after.dynamoReadRequests - before.dynamoReadRequests,
    dynamoWriteRequests: after.dynamoWriteRequests - before.dynamoWriteRequests,
    dynamoReadUnits: after.dynamoReadUnits - before.dynamoReadUnits,
    dynamoWriteUnits: after.dynamoWriteUnits - before.dynamoWriteUnits,
    byOperation: minusRecord(after.byOperation as never, before.byOperation as never) as never,
  };
}

/** The runtime's counters (one runtime per process). */
export const localMetrics = new LocalMetrics();

const INSTRUMENTED = Symbol.for('dunning.local-metrics');

/**
 * Counts every request of `client` (and of DynamoDBDocumentClients built on it: they share its middleware stack) in
 * request units: asks DynamoDB for `ReturnConsumedCapacity: TOTAL` on the wire and adds up what it answers (dynalite
 * computes it like DynamoDB: item size per 1 KB written, per 4 KB read). A write refused by its condition still
 * costs a write unit on DynamoDB; it is counted as 1.
 */
export function instrumentDynamoDbClient(client: DynamoDBClient, metrics: LocalMetrics = localMetrics): void {
  const marked = client as unknown as Record<symbol, boolean>;
  if (marked[INSTRUMENTED]) return;
  marked[INSTRUMENTED] = true;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      if ((WRITE_OPERATIONS.has(operation) || READ_OPERATIONS.has(operation)) && typeof request?.body === 'string') {
        const body = JSON.parse(request.body) as Record<string, unknown>;
        if (!body.ReturnConsumedCapacity || body.ReturnConsumedCapacity === 'NONE') {
          body.ReturnConsumedCapacity = 'TOTAL';
          request.body = JSON.stringify(body);
          if (request.headers) {
            for (const name of Object.keys(request.headers)) {
              if (name.toLowerCase() === 'content-length') request.headers[name] = String(Buffer.byteLength(request.body as string));
            }
          }
        }
      }
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number }[];
        const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        metrics.dynamoRequest(operation, units || (WRITE_OPERATIONS.has(operation) ? 1 : 0.5));
        return result;
      } catch (error) {
        metrics.dynamoRequest(operation, WRITE_OPERATIONS.has(operation) ? 1 : 0.5);
        throw error;
      }
    },
    { step: 'build', priority: 'high', name: 'localMetricsConsumedCapacity', override: true },
  );
}
