/**
 * The telemetry of one invocation: its keys on every log line (the request id, the invoice, the execution, the step),
 * a count of the throttling that makes Step Functions retry it, and its metrics flushed when it ends.
 */
import type { Context } from 'aws-lambda';
import { appendLogKeys, flushTelemetry } from '../adapters/powertools';
import { getDependencies } from './dependencies';

export { flushTelemetry };

/** AWS's throttling and our own "retry later" (a grouped email's slot still held). */
const THROTTLED = /Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded|SlotBusy/;

interface WorkflowInvocation {
  state?: { invoiceId?: string; step?: number };
  email?: string;
  execution?: string;
}

/** Wraps a workflow task's handler (its input is the execution state) with its invocation's telemetry. */
export function withTelemetry<I extends WorkflowInvocation, O>(name: string, handle: (input: I, context?: Context) => Promise<O>) {
  return async (input: I, context?: Context): Promise<O> => {
    appendLogKeys({ handler: name, requestId: context?.awsRequestId, invoiceId: input.state?.invoiceId, execution: input.execution, step: input.email ?? input.state?.step });
    try {
      return await handle(input, context);
    } catch (error) {
      const telemetry = getDependencies().telemetry;
      if (THROTTLED.test(`${(error as Error)?.name} ${(error as Error)?.message}`)) telemetry?.count('Throttles');
      telemetry?.error('step failed, Step Functions retries it', { error: String(error) });
      throw error;
    } finally {
      flushTelemetry();
    }
  };
}
