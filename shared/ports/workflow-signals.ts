/**
 * The buffer between the API and Step Functions (an SQS queue in `shared/adapters/sqs-signals.ts`): starts and
 * wake-ups are handed to it, and a bounded consumer (`functions/signal-workflow.ts`) makes the calls at the pace Step
 * Functions accepts, retrying its throttling instead of passing it on to a billing system.
 */
export type WorkflowSignal =
  /**
   * Start `executionName` (or create its deferred start's schedule). Without `input`, the consumer builds it from the
   * record when it starts, so the first wait is measured from then; with one, it starts exactly that (a payment notice).
   */
  | { type: 'start'; invoiceId: string; executionName: string; input?: object; attempt?: number; now?: boolean }
  /** Wake the invoice's parked execution if an event waits on its record (a wake-up that was throttled). */
  | { type: 'wake'; invoiceId: string; attempt?: number };

export interface WorkflowSignals {
  /**
   * Hands the signals to the buffer; resolves once it holds them durably. `delaySeconds` (at most 900) holds them
   * back that long: a throttled signal sent again later.
   */
  send(signals: WorkflowSignal[], options?: { delaySeconds?: number }): Promise<void>;
}

/**
 * `attempt` counts the times Step Functions throttled a signal (absent the first time). `now` starts at once even if
 * the record still names a deferred start's time (that schedule has fired already: the start just finds it running).
 */

/**
 * A start not yet confirmed: written before the record it starts, deleted once its execution (or its schedule) exists.
 * The reconciliation reads the markers older than a few minutes and starts what is still missing.
 */
export interface PendingStart {
  invoiceId: string;
  executionName: string;
  /** When it was asked for (ISO). */
  requestedAt: string;
}
