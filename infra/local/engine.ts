/**
 * Runs statemachines/invoice-dunning.asl.json — the one definition CDK deploys — on aws-local-stepfunctions, with
 * the workflow's waits on the virtual clock. The definition file is never edited for the local runtime: what the
 * engine lacks is adapted at load time by `adaptDefinitionForLocal` (pure, unit-tested).
 *
 * - `lambda:invoke` tasks run the handler module named by `FunctionName` and return `{ Payload, StatusCode, ... }`
 *   like the Lambda integration, so `OutputPath: "$.Payload"` works; a thrown error fails the task with the error's
 *   name (Retry/Catch match on it) and a Lambda-style JSON cause.
 * - `.waitForTaskToken` tasks ("parks") mint a task token, call the park handler with `{ state, taskToken }` and
 *   wait for SendTaskSuccess/SendTaskFailure on that token, or for the virtual clock to reach the timeout, which
 *   fails the task with `States.Timeout` (the definition catches it).
 * - Retry intervals are not slept (0 ms): the clock, not real time, is what moves in the local runtime.
 */
import './polyfills';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { STATE_MACHINE_FILE, WORKFLOW_FUNCTIONS } from '../catalog';
import type { Activity } from './activity';
import { localMetrics } from './metrics';
import type { TimerHandle, VirtualClock } from './virtual-clock';

// ---------------------------------------------------------------------------------------------------------------
// Loading and adapting the definition

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Parameters key the adaptation adds to a park: the original TimeoutSecondsPath, evaluated on the state's input. */
export const LOCAL_TIMEOUT_PARAMETER = 'LocalTimeoutSeconds';
/**
 * The engine arms a real-time `setTimeout` for every task's timeout (default 60 s) and reads TimeoutSecondsPath
 * after Parameters. Parks get this instead: the largest delay setTimeout accepts (about 24.8 days of real time).
 */
export const ENGINE_TASK_TIMEOUT_SECONDS = 2_147_483;
/** Placeholder for `$$.Task.Token`; the park handler replaces it with the token it mints. */
export const TOKEN_PLACEHOLDER = 'minted-by-the-local-park-task';

export type LocalTask =
  | { kind: 'lambda' }
  | {
      kind: 'park';
      /** Where the wake-up time comes from: `path` → the `LocalTimeoutSeconds` parameter; `none` → no timeout. */
      timeout: 'path' | 'fixed' | 'none';
      /** Whether a timeout may be retried (a retrier names States.Timeout or States.ALL). */
      timeoutRetryable: boolean;
    };

export interface AdaptedDefinition {
  definition: StateMachineDefinition;
  /** Every Task state by name and how the local runtime runs it. */
  tasks: Record<string, LocalTask>;
  /** Retry pauses overridden to 0 ms for every state that has a Retry field. */
  retryIntervalOverrides: Record<string, number>;
  /** Things the local runtime cannot honour, for the startup log. */
  warnings: string[];
}

/** Replaces every `${Name}` with `substitutions[Name]`; an unknown placeholder is an error. */
export function substitutePlaceholders(text: string, substitutions: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`No local substitution for \${${name}} in the state machine definition`);
    return value;
  });
}

/** The definition file with each `${XxxFunctionArn}` replaced by the local function name (e.g. `park-invoice`). */
export function loadLocalDefinition(projectRoot: string): JsonObject {
  const text = readFileSync(join(projectRoot, STATE_MACHINE_FILE), 'utf8');
  return JSON.parse(substitutePlaceholders(text, { ...WORKFLOW_FUNCTIONS })) as JsonObject;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Adapts a definition to aws-local-stepfunctions without changing what it means (pure: the input is not modified).
 * For each `.waitForTaskToken` task: TimeoutSecondsPath moves into Parameters as `LocalTimeoutSeconds.$` (so it is
 * read from the state's input, as AWS does, not from the Parameters output, as the engine would), a fixed
 * TimeoutSeconds becomes `LocalTimeoutSeconds`, and the engine's own real-time timeout is pushed out of reach.
 * Retry pauses are overridden to 0 ms (returned separately: they are a run option, not part of the definition).
 */
export function adaptDefinitionForLocal(source: object): AdaptedDefinition {
  const definition = structuredClone(source) as JsonObject;
  const states = definition.States;
  if (!isObject(states)) throw new Error('The definition has no States');
  const tasks: Record<string, LocalTask> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  const warnings: string[] = [];
  if ('QueryLanguage' in definition && definition.QueryLanguage === 'JSONata') {
    throw new Error('The local engine ignores JSONata: write the definition in JSONPath');
  }

  for (const [name, value] of Object.entries(states)) {
    if (!isObject(value)) throw new Error(`State "${name}" is not an object`);
    const state = value;
    if (Array.isArray(state.Retry)) retryIntervalOverrides[name] = 0;
    if (state.Type === 'Wait') warnings.push(`Wait state "${name}" sleeps in real time locally (not on the virtual clock)`);
    if (state.Type === 'Map' || state.Type === 'Parallel') warnings.push(`"${name}": nested states are not adapted`);
    if (state.Type !== 'Task') continue;
    if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) {
      warnings.push(`"${name}": HeartbeatSeconds is ignored locally`);
    }
    const resource = String(state.Resource);
    if (resource === LAMBDA_INVOKE) {
      tasks[name] = { kind: 'lambda' };
      continue;
    }
    if (resource !== LAMBDA_INVOKE_WAIT) {
      throw new Error(`State "${name}": resource ${resource} has no local implementation`);
    }
    const parameters = isObject(state.Parameters) ? { ...state.Parameters } : {};
    let timeout: 'path' | 'fixed' | 'none' = 'none';
    if (typeof state.TimeoutSecondsPath === 'string') {
      parameters[`${LOCAL_TIMEOUT_PARAMETER}.$`] = state.TimeoutSecondsPath;
      timeout = 'path';
    } else if (typeof state.TimeoutSeconds === 'number') {
      parameters[LOCAL_TIMEOUT_PARAMETER] = state.TimeoutSeconds;
      timeout = 'fixed';
    }
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = ENGINE_TASK_TIMEOUT_SECONDS;
    state.Parameters = parameters;
    const retriers = Array.isArray(state.Retry) ? state.Retry : [];
    const timeoutRetryable = retriers.some(
      (retrier) =>
        isObject(retrier) &&
        Array.isArray(retrier.ErrorEquals) &&
        retrier.ErrorEquals.some((error) => error === 'States.Timeout' || error === 'States.ALL'),
    );
    tasks[name] = { kind: 'park', timeout, timeoutRetryable };
  }
  return {
    definition: definition as unknown as StateMachineDefinition,
    tasks,
    retryIntervalOverrides,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors with Step Functions' names (the SFN endpoint turns them into JSON errors)

export class StepFunctionsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** A task failure the engine matches by name in Retry/Catch. */
class TaskError extends Error {
  constructor(
    name: string,
    message: string,
    private readonly retryable = true,
    private readonly catchable = true,
  ) {
    super(message);
    this.name = name;
  }
  get isRetryable(): boolean {
    return this.retryable;
  }
  get isCatchable(): boolean {
    return this.catchable;
  }
}

/** Lambda's error payload as the lambda:invoke integration reports it in `Cause`. */
function lambdaError(error: unknown): TaskError {
  const err = error instanceof Error ? error : new Error(String(error));
  const cause = JSON.stringify({
    errorType: err.name || 'Error',
    errorMessage: err.message,
    trace: (err.stack ?? '').split('\n'),
  });
  return new TaskError(err.name || 'Error', cause);
}

// ---------------------------------------------------------------------------------------------------------------
// The engine

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface ExecutionEvent {
  type: string;
  /** Virtual time. */
  at: string;
  state?: string;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: unknown;
  retryAttempt?: number;
}

interface TokenEntry {
  token: string;
  execution: Execution;
  stateName: string;
  status: 'waiting' | 'succeeded' | 'failed' | 'timed_out' | 'aborted';
  /** The park handler has returned and the execution now waits for the token (it no longer counts as busy). */
  parked: boolean;
  timer?: TimerHandle;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

interface Execution {
  name: string;
  arn: string;
  input: string;
  /** The input's `invoiceId`, read once (`list()` reads every execution's). */
  invoiceId?: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  currentState?: string;
  events: ExecutionEvent[];
  /** Set once the events of a finished execution were let go (see `retainHistories`). */
  historyTrimmed?: boolean;
  /** The task tokens this execution minted (forgotten with it once it ends). */
  tokens: Set<string>;
  abort: () => void;
  /** Ends the execution's current unit of activity. */
  release: () => void;
}

export interface ExecutionSummary {
  name: string;
  executionArn: string;
  invoiceId?: string;
  status: ExecutionStatus;
  currentState?: string;
  parked: boolean;
  startedAt: string;
  stoppedAt?: string;
}

export interface LocalEngineOptions {
  projectRoot: string;
  stateMachineArn: string;
  clock: VirtualClock;
  activity: Activity;
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
  /** Log lines (warnings, failed executions); default console. */
  log?: (message: string) => void;
  /** Another definition (already substituted) instead of statemachines/invoice-dunning.asl.json (engine tests). */
  definition?: object;
  /** How many finished executions keep their event history (`GET /_local/executions/{name}`); default 2,000. */
  retainHistories?: number;
}

const DEFAULT_RETAINED_HISTORIES = 2000;

const TOKEN_PATTERN = /^AQ[A-Za-z0-9+/]{100,2000}={0,2}$/;
/** Names AWS refuses: whitespace, brackets, wildcards, special and control characters. */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const MAX_PAYLOAD_BYTES = 256 * 1024;

function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

/** A task token like AWS's: long, base64 with `+`, `/` and `=`. */
export function mintTaskToken(): string {
  return `AQ${randomBytes(301).toString('base64')}`;
}

/**
 * aws-local-stepfunctions stamps `$$.Execution.StartTime` with the real time, whatever context it is given: a park
 * reading the execution's age (`executionStartedAt`) is handed the start on the virtual clock instead, as AWS would.
 */
function withVirtualStartTime(payload: unknown, startDate: Date): unknown {
  if (!payload || typeof payload !== 'object' || !('executionStartedAt' in payload)) return payload;
  return { ...payload, executionStartedAt: startDate.toISOString() };
}

export class LocalEngine {
  readonly adapted: AdaptedDefinition;
  private readonly machine: StateMachine;
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, TokenEntry>();
  /** Finished executions, oldest first, whose histories are kept. */
  private readonly finished: Execution[] = [];
  /**
   * Tokens of finished executions, no longer waiting, by digest: a token is 400 characters, and a long run retires
   * tens of thousands of them.
   */
  private readonly retired = new Set<string>();
  private readonly stateMachineName: string;
  private readonly log: (message: string) => void;

  constructor(private readonly options: LocalEngineOptions) {
    this.log = options.log ?? ((message) => console.log(message));
    this.adapted = adaptDefinitionForLocal(options.definition ?? loadLocalDefinition(options.projectRoot));
    for (const warning of this.adapted.warnings) this.log(`[engine] ${warning}`);
    this.machine = new StateMachine(this.adapted.definition, { validationOptions: { checkArn: true, checkPaths: true } });
    this.stateMachineName = options.stateMachineArn.split(':').pop() ?? 'state-machine';
  }

  get stateMachineArn(): string {
    return this.options.stateMachineArn;
  }

  executionArn(name: string): string {
    return this.options.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
  }

  /** StartExecution: idempotent for a running execution with the same name and input, like AWS. */
  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: Date;
  } {
    if (request.stateMachineArn !== this.options.stateMachineArn) {
      throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    }
    const name = request.name ?? crypto.randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
      throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    }
    const inputText = request.input ?? '{}';
    if (Buffer.byteLength(inputText) > MAX_PAYLOAD_BYTES) {
      throw new StepFunctionsError('InvalidExecutionInput', 'Input exceeds 262144 bytes');
    }
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${inputText.slice(0, 80)}'`);
    }
    const existing = this.executions.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: existing.arn, startDate: existing.startDate };
      }
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
    }
    return this.run(name, inputText, input as Json);
  }

  private run(name: string, inputText: string, input: Json): { executionArn: string; startDate: Date } {
    const arn = this.executionArn(name);
    const startDate = this.options.clock.now();
    const execution: Execution = {
      name,
      arn,
      input: inputText,
      ...(isObject(input) && typeof input.invoiceId === 'string' ? { invoiceId: input.invoiceId } : {}),
      status: 'RUNNING',
      startDate,
      events: [],
      tokens: new Set(),
      abort: () => undefined,
      release: this.options.activity.enter(),
    };
    this.executions.set(name, execution);

    const handlers: Record<string, (input: unknown) => Promise<Json>> = {};
    for (const [stateName, task] of Object.entries(this.adapted.tasks)) {
      handlers[stateName] =
        task.kind === 'lambda'
          ? (taskInput) => this.invokeLambda(taskInput)
          : (taskInput) => this.park(execution, stateName, task, taskInput);
    }
    const run = this.machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        retryIntervalOverrides: this.adapted.retryIntervalOverrides,
      },
      context: {
        Execution: { Id: arn, Name: name, RoleArn: 'arn:aws:iam::000000000000:role/local-state-machine', StartTime: startDate.toISOString() },
        StateMachine: { Id: this.options.stateMachineArn, Name: this.stateMachineName },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    execution.abort = run.abort;

    const logsDone = (async () => {
      for await (const event of run.eventLogs) this.record(execution, event as unknown as Record<string, unknown>);
    })().catch((error) => this.log(`[engine] event log of ${name} failed: ${String(error)}`));

    void Promise.allSettled([run.result, logsDone]).then(([result]) => {
      if (execution.status === 'RUNNING') {
        execution.stopDate = this.options.clock.now();
        if (result.status === 'fulfilled') {
          execution.status = 'SUCCEEDED';
          execution.output = JSON.stringify(result.value);
        } else {
          execution.status = 'FAILED';
          const failed = [...execution.events].reverse().find((e) => e.type === 'ExecutionFailed');
          execution.error = failed?.error ?? (result.reason as Error)?.name;
          execution.cause = typeof failed?.cause === 'string' ? failed.cause : JSON.stringify(failed?.cause ?? null);
          this.log(`[engine] execution ${name} failed: ${execution.error}: ${execution.cause}`);
        }
      }
      this.closeTokens(execution, 'aborted');
      this.forget(execution);
      execution.release();
    });
    return { executionArn: arn, startDate };
  }

  private record(execution: Execution, event: Record<string, unknown>): void {
    const state = event.state as { name?: string; input?: unknown; output?: unknown } | undefined;
    const entry: ExecutionEvent = { type: String(event.type), at: this.options.clock.now().toISOString() };
    if (state?.name) entry.state = state.name;
    if (event.type === 'ExecutionStarted') entry.input = event.input;
    if (event.type === 'ExecutionSucceeded') entry.output = event.output;
    if (event.type === 'StateEntered') {
      entry.input = state?.input;
      execution.currentState = state?.name;
    }
    // Billed transitions: every state entered, and every retry (test/bench counts them).
    if ((event.type === 'StateEntered' || event.type === 'StateRetried') && state?.name) localMetrics.stateEntered(state.name);
    if (event.type === 'StateExited') {
      entry.input = state?.input;
      entry.output = state?.output;
    }
    if ('Error' in event) entry.error = String(event.Error);
    if ('Cause' in event) entry.cause = event.Cause;
    if (event.type === 'StateRetried') entry.retryAttempt = (event.retry as { attempt?: number })?.attempt;
    execution.events.push(entry);
  }

  private async invokeLambda(taskInput: unknown): Promise<Json> {
    const { FunctionName, Payload } = (taskInput ?? {}) as { FunctionName?: string; Payload?: unknown };
    if (!FunctionName) throw new TaskError('Lambda.ResourceNotFoundException', 'FunctionName is missing');
    let result: unknown;
    try {
      result = await this.options.invoke(FunctionName, Payload ?? {});
    } catch (error) {
      throw lambdaError(error);
    }
    if (Buffer.byteLength(JSON.stringify(result ?? null)) > MAX_PAYLOAD_BYTES) {
      throw new TaskError('States.DataLimitExceeded', `The result of ${FunctionName} exceeds 262144 bytes`, false);
    }
    return { ExecutedVersion: '$LATEST', Payload: (result ?? null) as Json, StatusCode: 200 };
  }

  /** A `.waitForTaskToken` task: mint a token, call the park handler, wait for the token or the virtual timeout. */
  private park(
    execution: Execution,
    stateName: string,
    task: Extract<LocalTask, { kind: 'park' }>,
    taskInput: unknown,
  ): Promise<Json> {
    const parameters = { ...((taskInput ?? {}) as Record<string, unknown>) };
    const timeoutSeconds = parameters[LOCAL_TIMEOUT_PARAMETER];
    delete parameters[LOCAL_TIMEOUT_PARAMETER];
    const functionName = parameters.FunctionName as string | undefined;
    const token = mintTaskToken();
    const payload = withVirtualStartTime(replaceToken(parameters.Payload, token), execution.startDate);
    const startedAt = this.options.clock.nowMs();

    return new Promise<Json>((resolve, reject) => {
      const entry: TokenEntry = {
        token,
        execution,
        stateName,
        status: 'waiting',
        parked: false,
        resolve: resolve as (output: unknown) => void,
        reject,
      };
      this.tokens.set(token, entry);
      execution.tokens.add(token);

      if (task.timeout !== 'none') {
        const seconds = Number(timeoutSeconds);
        if (!Number.isInteger(seconds) || seconds < 1) {
          this.settle(entry, 'failed');
          reject(new TaskError('States.Runtime', `${stateName}: timeout ${String(timeoutSeconds)} is not a positive integer`, false));
          return;
        }
        entry.timer = this.options.clock.at(
          startedAt + seconds * 1000,
          () => {
            if (entry.status !== 'waiting') return;
            this.settle(entry, 'timed_out');
            reject(new TaskError('States.Timeout', 'States.Timeout', task.timeoutRetryable));
          },
          `${execution.name}: ${stateName} times out`,
        );
      }

      if (!functionName) {
        this.settle(entry, 'failed');
        reject(new TaskError('Lambda.ResourceNotFoundException', 'FunctionName is missing'));
        return;
      }
      this.options.invoke(functionName, payload ?? {}).then(
        () => {
          // Lambda's result is ignored: only SendTaskSuccess/Failure or the timeout end the task.
          if (entry.status === 'waiting') {
            entry.parked = true;
            execution.release();
          }
        },
        (error: unknown) => {
          if (entry.status !== 'waiting') return;
          this.settle(entry, 'failed');
          reject(lambdaError(error));
        },
      );
    });
  }

  /** Closes a token; an execution that was parked on it becomes busy again (it moves to its next state). */
  private settle(entry: TokenEntry, status: TokenEntry['status']): void {
    entry.status = status;
    entry.timer?.cancel();
    if (entry.parked) {
      entry.parked = false;
      if (status !== 'aborted') entry.execution.release = this.options.activity.enter();
    }
  }

  private closeTokens(execution: Execution, status: 'aborted'): void {
    for (const token of execution.tokens) {
      const entry = this.tokens.get(token);
      if (entry?.status === 'waiting') {
        this.settle(entry, status);
        entry.reject(new TaskError('States.Runtime', 'The execution ended', false, false));
      }
    }
  }

  /**
   * What a long run would otherwise keep forever: a finished execution's token entries (their promises hold the whole
   * execution; their digests stay in `retired`, so that a late SendTaskSuccess is refused as on AWS), and — beyond
   * the `retainHistories` most recent finished executions — its event history (its summary stays).
   */
  private forget(execution: Execution): void {
    for (const token of execution.tokens) {
      this.tokens.delete(token);
      this.retired.add(tokenDigest(token));
    }
    execution.tokens.clear();
    // The run's abort holds the whole interpreted execution; a finished one has nothing left to abort.
    execution.abort = () => undefined;
    this.finished.push(execution);
    while (this.finished.length > (this.options.retainHistories ?? DEFAULT_RETAINED_HISTORIES)) {
      const oldest = this.finished.shift()!;
      oldest.events = [];
      oldest.historyTrimmed = true;
    }
  }

  private waitingEntry(token: unknown): TokenEntry {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) {
      throw new StepFunctionsError('InvalidToken', 'Invalid Token');
    }
    const entry = this.tokens.get(token);
    if (!entry && this.retired.has(tokenDigest(token))) throw new StepFunctionsError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    if (!entry) throw new StepFunctionsError('TaskDoesNotExist', 'Task Does Not Exist');
    if (entry.status !== 'waiting') {
      throw new StepFunctionsError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    return entry;
  }

  sendTaskSuccess(request: { taskToken?: string; output?: string }): void {
    const entry = this.waitingEntry(request.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(request.output ?? '');
    } catch {
      throw new StepFunctionsError('InvalidOutput', 'Invalid Output: not JSON');
    }
    if (Buffer.byteLength(request.output ?? '') > MAX_PAYLOAD_BYTES) {
      throw new StepFunctionsError('InvalidOutput', 'Output exceeds 262144 bytes');
    }
    this.settle(entry, 'succeeded');
    entry.resolve(output);
  }

  sendTaskFailure(request: { taskToken?: string; error?: string; cause?: string }): void {
    const entry = this.waitingEntry(request.taskToken);
    this.settle(entry, 'failed');
    entry.reject(new TaskError(request.error ?? '', request.cause ?? ''));
  }

  private find(nameOrArn: string | undefined): Execution {
    const name = nameOrArn?.startsWith('arn:') ? nameOrArn.split(':').pop() : nameOrArn;
    const execution = name ? this.executions.get(name) : undefined;
    if (!execution || (nameOrArn?.startsWith('arn:') && execution.arn !== nameOrArn)) {
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${nameOrArn}'`);
    }
    return execution;
  }

  describeExecution(executionArn: string | undefined) {
    const execution = this.find(executionArn);
    return {
      executionArn: execution.arn,
      stateMachineArn: this.options.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      input: execution.input,
      ...(execution.output !== undefined ? { output: execution.output } : {}),
      ...(execution.error !== undefined ? { error: execution.error } : {}),
      ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
    };
  }

  stopExecution(request: { executionArn?: string; error?: string; cause?: string }): { stopDate: Date } {
    const execution = this.find(request.executionArn);
    if (execution.status === 'RUNNING') {
      execution.status = 'ABORTED';
      execution.stopDate = this.options.clock.now();
      if (request.error !== undefined) execution.error = request.error;
      if (request.cause !== undefined) execution.cause = request.cause;
      execution.abort();
      this.closeTokens(execution, 'aborted');
    }
    return { stopDate: execution.stopDate ?? this.options.clock.now() };
  }

  list(): ExecutionSummary[] {
    // One pass over the tokens, not one per execution: the list of 10,000 executions stays linear.
    const parked = new Set<Execution>();
    for (const entry of this.tokens.values()) if (entry.parked && entry.status === 'waiting') parked.add(entry.execution);
    return [...this.executions.values()].map((execution) => this.summary(execution, parked.has(execution)));
  }

  /** How many executions were ever started, and how many of them are running. */
  counts(): { started: number; running: number } {
    let running = 0;
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') running += 1;
    return { started: this.executions.size, running };
  }

  summary(execution: Execution, parkedNow?: boolean): ExecutionSummary {
    const { invoiceId } = execution;
    const parked = parkedNow ?? [...execution.tokens].some((token) => {
      const entry = this.tokens.get(token);
      return entry?.parked === true && entry.status === 'waiting';
    });
    return {
      name: execution.name,
      executionArn: execution.arn,
      ...(invoiceId ? { invoiceId } : {}),
      status: execution.status,
      ...(execution.currentState ? { currentState: execution.currentState } : {}),
      parked,
      startedAt: execution.startDate.toISOString(),
      ...(execution.stopDate ? { stoppedAt: execution.stopDate.toISOString() } : {}),
    };
  }

  /** The execution's summary plus every event (states entered/exited with inputs and outputs). */
  history(name: string) {
    const execution = this.find(name);
    return {
      ...this.summary(execution),
      input: safeParse(execution.input),
      ...(execution.output !== undefined ? { output: safeParse(execution.output) } : {}),
      ...(execution.error !== undefined ? { error: execution.error, cause: execution.cause } : {}),
      events: execution.events,
      ...(execution.historyTrimmed ? { historyTrimmed: true } : {}),
    };
  }

  /** Aborts every running execution and releases its waits (and their engine timers). */
  stopAll(): void {
    for (const execution of this.executions.values()) {
      if (execution.status !== 'RUNNING') continue;
      execution.status = 'ABORTED';
      execution.stopDate = this.options.clock.now();
      execution.abort();
      this.closeTokens(execution, 'aborted');
    }
  }
}

function replaceToken(payload: unknown, token: string): unknown {
  if (Array.isArray(payload)) return payload.map((item) => replaceToken(item, token));
  if (typeof payload === 'string') return payload === TOKEN_PLACEHOLDER ? token : payload;
  if (isObject(payload)) {
    return Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, replaceToken(value, token)]));
  }
  return payload;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

