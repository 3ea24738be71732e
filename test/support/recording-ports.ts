/**
 * Small fakes for the ports a test does not exercise: a Workflow that records what it was asked, a clock the test
 * sets, a mailer that refuses to be used where no email may leave, and a document store in memory.
 */
import type { ExecutionState } from '../../shared/domain/execution-state';
import { deliverSignal } from '../../shared/services/workflow-signals';
import { SETTINGS } from './service-world';
import type { Clock, Dependencies, DocumentStore, Mailer, OutgoingEmail, StoredDocument, Workflow, WorkflowSignal, WorkflowSignals } from '../../shared/ports';

export type WorkflowCall =
  | { op: 'start'; executionName: string; input: object }
  | { op: 'wake'; taskToken: string; output: object }
  | { op: 'end'; taskToken: string; ending: 'paid' | 'cancelled' }
  | { op: 'route'; taskToken: string; state: ExecutionState }
  | { op: 'scheduleStart'; executionName: string; at: string; input: object }
  | { op: 'rescheduleStart'; executionName: string; at: string; input: object };

export class RecordingWorkflow implements Workflow {
  readonly calls: WorkflowCall[] = [];

  async start(executionName: string, input: object): Promise<boolean> {
    this.calls.push({ op: 'start', executionName, input });
    if (this.started.has(executionName)) return false;
    this.started.add(executionName);
    return true;
  }

  async wake(taskToken: string, output: object): Promise<boolean> {
    this.calls.push({ op: 'wake', taskToken, output });
    return true;
  }

  async end(taskToken: string, ending: 'paid' | 'cancelled'): Promise<boolean> {
    this.calls.push({ op: 'end', taskToken, ending });
    return true;
  }

  async route(taskToken: string, state: ExecutionState): Promise<boolean> {
    this.calls.push({ op: 'route', taskToken, state });
    return true;
  }

  async scheduleStart(executionName: string, at: string, input: object): Promise<void> {
    this.calls.push({ op: 'scheduleStart', executionName, at, input });
    this.scheduled.add(executionName);
  }

  private readonly started = new Set<string>();
  private readonly scheduled = new Set<string>();
  private statusOverride: { value: string | undefined } | undefined;

  /** What `status` answers when a test says so; otherwise RUNNING for a name started here, and undefined for others. */
  set executionStatus(value: string | undefined) {
    this.statusOverride = { value };
  }

  get executionStatus(): string | undefined {
    return this.statusOverride?.value;
  }

  async status(executionName: string): Promise<string | undefined> {
    if (this.statusOverride) return this.statusOverride.value;
    return this.started.has(executionName) ? 'RUNNING' : undefined;
  }

  /** A schedule made here can be moved until it fires (`scheduleFired`); one never made cannot. */
  scheduleFired = false;

  async rescheduleStart(executionName: string, at: string, input: object): Promise<boolean> {
    this.calls.push({ op: 'rescheduleStart', executionName, at, input });
    return !this.scheduleFired && this.scheduled.has(executionName);
  }

  of<K extends WorkflowCall['op']>(op: K): Extract<WorkflowCall, { op: K }>[] {
    return this.calls.filter((call): call is Extract<WorkflowCall, { op: K }> => call.op === op);
  }

  reset(): void {
    this.calls.length = 0;
  }
}

/** A start buffer that keeps what it is given; `refuse` makes the next sends fail as SQS does in an outage. */
export class RecordingSignals implements WorkflowSignals {
  readonly sent: { signal: WorkflowSignal; delaySeconds?: number }[] = [];
  refuse = 0;

  async send(signals: WorkflowSignal[], options: { delaySeconds?: number } = {}): Promise<void> {
    if (this.refuse > 0) {
      this.refuse -= 1;
      throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
    }
    for (const signal of signals) this.sent.push({ signal, ...(options.delaySeconds ? { delaySeconds: options.delaySeconds } : {}) });
  }

  of<K extends WorkflowSignal['type']>(type: K): Extract<WorkflowSignal, { type: K }>[] {
    return this.sent.map(({ signal }) => signal).filter((signal): signal is Extract<WorkflowSignal, { type: K }> => signal.type === type);
  }
}

/**
 * A start buffer whose consumer runs at once: each signal is delivered by the real `deliverSignal` to the test's
 * workflow, as an unthrottled queue would a moment later. `sent` keeps every signal; a delayed one (a safety wake-up)
 * is kept in `delayed`, for the test to deliver when it means to.
 */
export class InlineSignals implements WorkflowSignals {
  readonly sent: WorkflowSignal[] = [];
  readonly delayed: WorkflowSignal[] = [];

  constructor(private readonly deps: () => Pick<Dependencies, 'store' | 'clock' | 'workflow' | 'signals'>) {}

  async send(signals: WorkflowSignal[], options: { delaySeconds?: number } = {}): Promise<void> {
    for (const signal of signals) {
      this.sent.push(signal);
      if (options.delaySeconds) this.delayed.push(signal);
      else await deliverSignal(this.deps(), SETTINGS, signal);
    }
  }
}

export class FixedClock implements Clock {
  private current: Date;

  constructor(iso: string) {
    this.current = new Date(iso);
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export const refusingMailer: Mailer = {
  async send() {
    throw new Error('No email may leave in this test');
  },
};

/** A mailer that keeps what it is asked to send; `refuse` makes the next sends fail as SES does when throttling. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  refuse = 0;

  async send(email: OutgoingEmail): Promise<string> {
    if (this.refuse > 0) {
      this.refuse--;
      // As the SDK throws it: SES answered (an HTTP status), so the email did not leave.
      throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    }
    this.sent.push(email);
    return `ses-${this.sent.length}`;
  }
}

/** A document store in memory: what was put, by key, every version kept (as the versioned bucket does). */
export class MemoryDocuments implements DocumentStore {
  readonly versions = new Map<string, StoredDocument[]>();

  async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    this.versions.set(key, [...(this.versions.get(key) ?? []), { body: bytes, contentType }]);
  }

  async get(key: string): Promise<StoredDocument | undefined> {
    return this.versions.get(key)?.at(-1);
  }

  /** Not a link anyone can follow: says which document and for how long, for the tests to read back. */
  async url(key: string, expiresInSeconds: number): Promise<string> {
    return `memory://${key}?expires=${expiresInSeconds}`;
  }

  /** The latest version of a JSON document. */
  json(key: string): unknown {
    const latest = this.versions.get(key)?.at(-1);
    return latest && JSON.parse(new TextDecoder().decode(latest.body));
  }
}
