/**
 * The reconciliation of starts (EventBridge Scheduler, every ten minutes): any start noted more than an hour ago
 * and still unconfirmed — its signal never reached the buffer, or was lost with a crash — is signalled again and
 * counted (`StartsReconciled`, alarmed on). Starting is idempotent, so a slow start signalled twice starts once.
 */
import { getDependencies } from '../shared/lambda/dependencies';
import { sqsSignals } from '../shared/lambda/adapters';
import { flushTelemetry } from '../shared/lambda/telemetry';
import { reconcileStarts } from '../shared/services/workflow-signals';

export async function handler(): Promise<{ reconciled: number }> {
  try {
    return { reconciled: await reconcileStarts(getDependencies({ signals: sqsSignals })) };
  } finally {
    flushTelemetry();
  }
}
