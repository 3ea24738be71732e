/**
 * Tiny AWS-compatible endpoints so that the handlers' AWS SDK clients work unchanged against the local runtime:
 * - Step Functions (AWS JSON 1.0: `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`), backed by LocalEngine;
 * - EventBridge Scheduler (REST JSON: `/schedules/{Name}`), whose one-time `at(...)` schedules are timers on the
 *   virtual clock. Only the universal target `aws-sdk:sfn:startExecution` is implemented.
 * The SDK reaches them through AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_SCHEDULER (a URL with a path prefix).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { wallClockInstant } from '../../shared/domain/calendar';
import { StepFunctionsError, type LocalEngine } from './engine';
import type { FaultInjector } from './faults';
import type { TokenBucket } from './token-bucket';
import type { TimerHandle, VirtualClock } from './virtual-clock';

const ACCOUNT = '000000000000';
const REGION = 'eu-west-3';

function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Dates become epoch seconds, the JSON protocols' default timestamp format. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return epochSeconds(value);
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWire(item)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Step Functions

const SFN_JSON = 'application/x-amz-json-1.0';

function sendSfn(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': SFN_JSON,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

/**
 * Step Functions' API. `quotas` are the account's token buckets for StartExecution and SendTaskSuccess: a call that
 * finds its bucket empty is refused as AWS refuses it (HTTP 400, `ThrottlingException`, "Rate exceeded").
 */
export function handleStepFunctions(
  engine: LocalEngine,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  faults?: FaultInjector,
  quotas?: { startExecution: TokenBucket; sendTaskSuccess: TokenBucket },
): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
  if (req.method !== 'POST' || !operation) {
    sendSfn(res, 400, { __type: 'UnknownOperationException', message: `Unknown operation ${target}` });
    return;
  }
  let request: Record<string, string | undefined>;
  try {
    request = body ? (JSON.parse(body) as Record<string, string | undefined>) : {};
  } catch {
    sendSfn(res, 400, { __type: 'SerializationException', message: 'Malformed JSON body' });
    return;
  }
  const taskResponse = operation === 'SendTaskSuccess' || operation === 'SendTaskFailure';
  if ((operation === 'StartExecution' || taskResponse) && faults?.strikes('sfnThrottle')) {
    sendSfn(res, 400, { __type: 'ThrottlingException', message: 'Injected fault: Rate exceeded' });
    return;
  }
  // SendTaskFailure has a bucket of its own on AWS, of the same size: locally they share SendTaskSuccess's.
  const bucket = operation === 'StartExecution' ? quotas?.startExecution : taskResponse ? quotas?.sendTaskSuccess : undefined;
  if (bucket && !bucket.take()) {
    sendSfn(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    return;
  }
  try {
    switch (operation) {
      case 'StartExecution':
        return sendSfn(res, 200, toWire(engine.startExecution(request)));
      case 'SendTaskSuccess':
        engine.sendTaskSuccess(request);
        return sendSfn(res, 200, {});
      case 'SendTaskFailure':
        engine.sendTaskFailure(request);
        return sendSfn(res, 200, {});
      case 'DescribeExecution':
        return sendSfn(res, 200, toWire(engine.describeExecution(request.executionArn)));
      case 'StopExecution':
        return sendSfn(res, 200, toWire(engine.stopExecution(request)));
      default:
        return sendSfn(res, 400, {
          __type: 'UnknownOperationException',
          message: `The local runtime does not implement ${operation}`,
        });
    }
  } catch (error) {
    if (error instanceof StepFunctionsError) {
      return sendSfn(res, error.status, { __type: error.code, message: error.message });
    }
    console.error('[sfn] internal error', error);
    return sendSfn(res, 500, { __type: 'InternalFailure', message: String(error) });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// EventBridge Scheduler

export const START_EXECUTION_TARGET = 'arn:aws:scheduler:::aws-sdk:sfn:startExecution';

class SchedulerError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  ActionAfterCompletion?: string;
  FlexibleTimeWindow?: unknown;
  Target: { Arn: string; RoleArn?: string; Input?: string };
  State: string;
  Description?: string;
  CreationDate: Date;
  LastModificationDate: Date;
  /** When it fires (virtual time). */
  fireAt: Date;
  timer?: TimerHandle;
}

/** `at(2025-03-01T09:00:00)` in `timezone` (default UTC) → the instant. */
export function parseAtExpression(expression: string, timezone = 'UTC'): Date {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression.trim());
  if (!match) {
    throw new SchedulerError('ValidationException', 400, `The local Scheduler only supports at(yyyy-mm-ddThh:mm:ss): ${expression}`);
  }
  const [date, time] = match[1].split('T');
  const [hour, minute, second] = time.split(':').map(Number);
  try {
    if (hour > 23 || minute > 59 || second > 59) throw new RangeError(time);
    return new Date(wallClockInstant(date, hour, minute, timezone).getTime() + second * 1000);
  } catch {
    throw new SchedulerError('ValidationException', 400, `Invalid schedule expression: ${expression}`);
  }
}

export class LocalScheduler {
  private readonly schedules = new Map<string, LocalSchedule>();

  /** Starts this Scheduler could not make (what the target's dead-letter queue holds on AWS). */
  readonly deadLetters: { schedule: string; error: string }[] = [];

  constructor(
    private readonly engine: LocalEngine,
    private readonly clock: VirtualClock,
    private readonly log: (message: string) => void = (message) => console.log(message),
    /** The account's StartExecution bucket, which deferred starts count against too. */
    private readonly startQuota?: TokenBucket,
  ) {}

  private deadLetter(schedule: LocalSchedule, error: string): void {
    this.deadLetters.push({ schedule: `${schedule.GroupName}/${schedule.Name}`, error });
    this.log(`[scheduler] schedule ${schedule.GroupName}/${schedule.Name} could not start its execution: ${error}`);
  }

  list(): Omit<LocalSchedule, 'timer'>[] {
    return [...this.schedules.values()].map(({ timer: _timer, ...schedule }) => schedule);
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: string): void {
    try {
      const match = /^\/schedules(?:\/([^/]+))?\/?$/.exec(path);
      if (!match) throw new SchedulerError('ValidationException', 400, `The local Scheduler does not serve ${req.method} ${path}`);
      const name = match[1] ? decodeURIComponent(match[1]) : undefined;
      const group = query.get('groupName') ?? 'default';
      if (!name && req.method === 'GET') return this.send(res, 200, { Schedules: this.summaries(query) });
      if (!name) throw new SchedulerError('ValidationException', 400, 'A schedule name is required');
      switch (req.method) {
        case 'POST':
          return this.send(res, 200, { ScheduleArn: this.create(name, JSON.parse(body || '{}')).Arn });
        case 'GET':
          return this.send(res, 200, this.describe(this.get(name, group)));
        case 'DELETE':
          this.delete(name, group);
          return this.send(res, 200, {});
        case 'PUT': {
          // UpdateSchedule replaces the whole definition of an existing schedule.
          const input = JSON.parse(body || '{}');
          const existing = this.get(name, typeof input.GroupName === 'string' ? input.GroupName : 'default');
          this.delete(existing.Name, existing.GroupName);
          return this.send(res, 200, { ScheduleArn: this.create(name, input).Arn });
        }
        default:
          throw new SchedulerError('ValidationException', 400, `The local Scheduler does not implement ${req.method} ${path}`);
      }
    } catch (error) {
      if (error instanceof SchedulerError) return this.sendError(res, error);
      if (error instanceof SyntaxError) return this.sendError(res, new SchedulerError('ValidationException', 400, 'Malformed JSON'));
      console.error('[scheduler] internal error', error);
      return this.sendError(res, new SchedulerError('InternalServerException', 500, String(error)));
    }
  }

  private key(name: string, group: string): string {
    return `${group}/${name}`;
  }

  private get(name: string, group: string): LocalSchedule {
    const schedule = this.schedules.get(this.key(name, group));
    if (!schedule) throw new SchedulerError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
    return schedule;
  }

  create(name: string, input: Record<string, unknown>): LocalSchedule {
    const group = typeof input.GroupName === 'string' ? input.GroupName : 'default';
    if (!/^[0-9a-zA-Z-_.]{1,64}$/.test(name)) throw new SchedulerError('ValidationException', 400, `Invalid schedule name: ${name}`);
    if (this.schedules.has(this.key(name, group))) {
      throw new SchedulerError('ConflictException', 409, `Schedule ${name} already exists.`);
    }
    const target = (input.Target ?? {}) as LocalSchedule['Target'];
    if (target.Arn !== START_EXECUTION_TARGET) {
      throw new SchedulerError('ValidationException', 400, `The local Scheduler only supports the target ${START_EXECUTION_TARGET}`);
    }
    const expression = String(input.ScheduleExpression ?? '');
    const timezone = typeof input.ScheduleExpressionTimezone === 'string' ? input.ScheduleExpressionTimezone : 'UTC';
    const fireAt = parseAtExpression(expression, timezone);
    const now = this.clock.now();
    const schedule: LocalSchedule = {
      Name: name,
      GroupName: group,
      Arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${name}`,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: timezone,
      ...(typeof input.ActionAfterCompletion === 'string' ? { ActionAfterCompletion: input.ActionAfterCompletion } : {}),
      FlexibleTimeWindow: input.FlexibleTimeWindow,
      Target: target,
      State: typeof input.State === 'string' ? input.State : 'ENABLED',
      ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
      CreationDate: now,
      LastModificationDate: now,
      fireAt,
    };
    this.schedules.set(this.key(name, group), schedule);
    if (schedule.State === 'ENABLED') {
      schedule.timer = this.clock.at(fireAt, () => this.fire(schedule), `schedule ${group}/${name}`);
    }
    return schedule;
  }

  delete(name: string, group: string): void {
    const schedule = this.get(name, group);
    schedule.timer?.cancel();
    this.schedules.delete(this.key(name, group));
  }

  /**
   * Starts the schedule's execution, as the universal target does: through the account's StartExecution quota, retried
   * with growing delays while it throttles (for the target's RetryPolicy's maximum event age), and dead-lettered (kept
   * in `deadLetters`, as the target's dead-letter queue would) when it fails otherwise or for too long —
   * `ExecutionAlreadyExists` included, as on AWS.
   */
  private fire(schedule: LocalSchedule, attempt = 0): void {
    schedule.timer = undefined;
    const maxAgeMs = 1000 * Number((schedule.Target as { RetryPolicy?: { MaximumEventAgeInSeconds?: number } }).RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400);
    if (this.startQuota && !this.startQuota.take()) {
      const retryAt = this.clock.nowMs() + 1000 * Math.min(60, 2 ** attempt);
      if (retryAt - schedule.fireAt.getTime() <= maxAgeMs) {
        schedule.timer = this.clock.at(retryAt, () => this.fire(schedule, attempt + 1), `schedule ${schedule.GroupName}/${schedule.Name} (retry)`);
        return;
      }
      this.deadLetter(schedule, 'ThrottlingException: Rate exceeded (every retry of the RetryPolicy)');
    } else {
      try {
        const params = JSON.parse(schedule.Target.Input ?? '{}') as { StateMachineArn?: string; Name?: string; Input?: unknown };
        this.engine.startExecution({
          stateMachineArn: params.StateMachineArn,
          name: params.Name,
          input: typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input ?? {}),
        });
      } catch (error) {
        this.deadLetter(schedule, String(error));
      }
    }
    if (schedule.ActionAfterCompletion === 'DELETE') {
      this.schedules.delete(this.key(schedule.Name, schedule.GroupName));
    } else {
      schedule.State = 'DISABLED';
    }
  }

  private summaries(query: URLSearchParams) {
    const group = query.get('ScheduleGroup');
    const prefix = query.get('NamePrefix') ?? '';
    return [...this.schedules.values()]
      .filter((s) => (!group || s.GroupName === group) && s.Name.startsWith(prefix))
      .map((s) => ({
        Name: s.Name,
        GroupName: s.GroupName,
        Arn: s.Arn,
        State: s.State,
        CreationDate: epochSeconds(s.CreationDate),
        LastModificationDate: epochSeconds(s.LastModificationDate),
        Target: { Arn: s.Target.Arn },
      }));
  }

  private describe(schedule: LocalSchedule) {
    const { timer: _timer, fireAt: _fireAt, ...rest } = schedule;
    return toWire(rest);
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  }

  private sendError(res: ServerResponse, error: SchedulerError): void {
    const text = JSON.stringify({ Message: error.message });
    res.writeHead(error.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// EventBridge (AWS JSON 1.1: `POST /` with `X-Amz-Target: AWSEvents.PutEvents`): the stack's bus, keeping what is put

/** An event as a subscriber of the bus receives it. */
export interface BusEvent {
  id: string;
  source: string;
  'detail-type': string;
  /** The event's `Time`, as the publisher set it (the transition's). */
  time: string;
  eventBusName: string;
  detail: unknown;
}

/** The local bus: PutEvents keeps each entry, `GET /_local/events` lists them in the order they were put. */
export class LocalEventBus {
  readonly events: BusEvent[] = [];

  handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    if (target !== 'AWSEvents.PutEvents') return send(400, { __type: 'UnknownOperationException', message: `Not implemented locally: ${target}` });
    const { Entries = [] } = JSON.parse(body || '{}') as { Entries?: { Source?: string; DetailType?: string; Detail?: string; EventBusName?: string; Time?: number }[] };
    const results = Entries.map((entry) => {
      const id = randomUUID();
      this.events.push({
        id,
        source: entry.Source ?? '',
        'detail-type': entry.DetailType ?? '',
        time: new Date(entry.Time === undefined ? Date.now() : entry.Time * 1000).toISOString(),
        eventBusName: entry.EventBusName ?? 'default',
        detail: JSON.parse(entry.Detail ?? '{}'),
      });
      return { EventId: id };
    });
    send(200, { FailedEntryCount: 0, Entries: results });
  }
}
