/**
 * The start buffer's consumer: SQS delivers up to ten signals at a time, with a bounded number of these running at
 * once (the event source mapping's maximum concurrency), so that Step Functions sees a pace it accepts. Each signal
 * starts an execution, schedules a deferred start, or wakes a parked wait (`deliverSignal`).
 *
 * A signal Step Functions throttles is sent again with a growing, jittered delay (and this delivery succeeds): however
 * long a month-end backlog lasts, throttling never uses up a message's deliveries. Any other failure goes back to the
 * queue (`batchItemFailures`); a signal failing that way 25 times lands in the dead-letter queue, which is alarmed on.
 * Each delivery reports how long its signal has waited since it was first sent (`SignalAgeSeconds`, alarmed on): a
 * signal throttled again and again is a new message each time, so the queue's own age would not show it.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsWorkflowWithScheduler, isThrottling, retryDelaySeconds, sqsSignals } from '../shared/lambda/adapters';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { WorkflowSignalSchema } from '../shared/domain/schemas';
import { deliverSignal } from '../shared/services/workflow-signals';
import type { Dependencies, WorkflowSignal } from '../shared/ports';
import { flushTelemetry } from '../shared/lambda/telemetry';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const deps = getDependencies({ workflow: awsWorkflowWithScheduler, signals: sqsSignals });
  try {
    const failed = await Promise.all(event.Records.map((message) => deliver(deps, message)));
    return { batchItemFailures: failed.filter((id) => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
  } finally {
    flushTelemetry();
  }
}

/** Delivers one message; resolves with its id when it must come back. */
async function deliver(deps: Dependencies, message: SQSRecord): Promise<string | undefined> {
  const parsed = WorkflowSignalSchema.safeParse(safeJson(message.body));
  if (!parsed.success) {
    // Nothing will ever make it valid: said, and let go, rather than left to fill the dead-letter queue.
    deps.telemetry?.error('not a workflow signal; dropped', { messageId: message.messageId, issues: parsed.error.issues.length });
    return undefined;
  }
  const signal = parsed.data as WorkflowSignal;
  if (signal.since) deps.telemetry?.measure('SignalAgeSeconds', Math.max(0, (deps.clock.now().getTime() - Date.parse(signal.since)) / 1000));
  try {
    const outcome = await deliverSignal(deps, getConfig(), signal);
    deps.telemetry?.info('signal delivered', { invoiceId: signal.invoiceId, type: signal.type, outcome });
    return undefined;
  } catch (error) {
    if (!isThrottling(error)) {
      deps.telemetry?.error('signal not delivered; it comes back', { invoiceId: signal.invoiceId, type: signal.type, error: String(error) });
      return message.messageId;
    }
    deps.telemetry?.count('Throttles');
    const attempt = (signal.attempt ?? 0) + 1;
    try {
      await deps.signals.send([{ ...signal, attempt }], { delaySeconds: retryDelaySeconds(attempt) });
      return undefined;
    } catch {
      return message.messageId; // Not handed back: this very message comes back after its visibility timeout.
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
