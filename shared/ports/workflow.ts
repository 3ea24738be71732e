/**
 * The invoice's execution: started, asked about, woken from a parked wait, or started later (Step Functions and
 * EventBridge Scheduler in `shared/adapters/aws-workflow.ts`).
 */
import type { ExecutionState } from '../domain/execution-state';

export interface Workflow {
  /**
   * Starts the invoice's execution; resolves `false` when that name was started before (names are never reused), which
   * is not an error: a retry, a duplicate signal.
   */
  start(executionName: string, input: object): Promise<boolean>;
  /** The execution's status (`RUNNING`, `SUCCEEDED`, `FAILED`, ...), or undefined when it was never started. */
  status(executionName: string): Promise<string | undefined>;
  /** Wakes a parked wait. Resolves `false` when the token is no longer waiting (timed out, already woken). */
  wake(taskToken: string, output: object): Promise<boolean>;
  /**
   * Ends a parked wait straight into the execution's ending (*Paid*, *Cancelled*): the invoice closed, nothing is left
   * to check. Resolves `false` when the token is no longer waiting.
   */
  end(taskToken: string, ending: 'paid' | 'cancelled'): Promise<boolean>;
  /**
   * Sends a parked wait on without a Choice: to the step `state.next` names, which acts on `state` (`ROUTED_STEPS`), or
   * else to "Decide the next step" with the wait's own input. Resolves `false` when the token is no longer waiting.
   */
  route(taskToken: string, state: ExecutionState): Promise<boolean>;
  /** Creates a one-time schedule that starts the execution at `at` and then deletes itself. */
  scheduleStart(executionName: string, at: string, input: object): Promise<void>;
  /**
   * Moves a scheduled start to `at`. Resolves `false` when the schedule no longer exists (it has fired: the execution
   * runs and re-plans on its own).
   */
  rescheduleStart(executionName: string, at: string, input: object): Promise<boolean>;
}
