/**
 * The buffer between the API and Step Functions (an SQS queue in `shared/adapters/sqs-signals.ts`): starts and
 * wake-ups are handed to it, and a bounded consumer (`functions/signal-workflow.ts`) makes the calls at the pace Step
 * Functions accepts, retrying its throttling instead of passing it on to a billing system.
 *
 * A signal names what is wanted, never how: the consumer reads the invoice's record (and, for a payment notice, the
 * payment on its timeline) and builds each execution's input itself, so that whoever may send to the queue cannot make
 * it start anything the record does not ask for.
 */
interface SignalBase {
  invoiceId: string;
  /** When the signal was first sent (ISO): how long it has waited, whatever its retries (a metric, alarmed on). */
  since?: string;
  /** How many times Step Functions throttled it (absent the first time). */
  attempt?: number;
}

export type WorkflowSignal =
  /**
   * Start the invoice's execution `executionName` (its current revision), or create its deferred start's schedule.
   * `reconciled`: sent again by the reconciliation, having been noted an hour ago and never confirmed.
   */
  | (SignalBase & { type: 'start'; executionName: string; reconciled?: boolean })
  /** Start the short execution that tells the team of the payment `reference` (received after closing, or too much). */
  | (SignalBase & { type: 'payment_notice'; reference: string })
  /** Wake the invoice's parked execution if something waits on its record (a wake-up that was throttled). */
  | (SignalBase & { type: 'wake' });

export interface WorkflowSignals {
  /**
   * Hands the signals to the buffer; resolves once it holds them durably. `delaySeconds` (at most 900) holds them
   * back that long: a throttled signal sent again later.
   */
  send(signals: WorkflowSignal[], options?: { delaySeconds?: number }): Promise<void>;
}

/**
 * A start not yet confirmed: written before the record that asks for it, deleted once its execution (or its schedule)
 * exists. The reconciliation signals again the notes older than an hour.
 */
export interface PendingStart {
  invoiceId: string;
  executionName: string;
  /** When it was asked for, or last signalled again by the reconciliation (ISO). */
  requestedAt: string;
}
