/**
 * Telemetry with Powertools for AWS Lambda: JSON log lines (level from `POWERTOOLS_LOG_LEVEL`, service from
 * `POWERTOOLS_SERVICE_NAME`) and metrics in CloudWatch's embedded metric format, flushed at the end of each
 * invocation (`flushTelemetry`). The invocation's keys (request id, invoice, execution, step) are appended once by
 * the handler plumbing and carried by every line.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName, Telemetry } from '../ports/telemetry';

export const METRICS_NAMESPACE = 'PreventiveDunning';

let logger: Logger | undefined;
let metrics: Metrics | undefined;

function tools() {
  logger ??= new Logger();
  metrics ??= new Metrics({ namespace: METRICS_NAMESPACE });
  return { logger, metrics };
}

function record(metric: MetricName, value: number, dimensions: Record<string, string>): void {
  const { metrics: m } = tools();
  // A metric with its own dimensions is a single-metric document; plain counts share the invocation's.
  if (Object.keys(dimensions).length) {
    const single = m.singleMetric();
    for (const [name, dimension] of Object.entries(dimensions)) single.addDimension(name, dimension);
    single.addMetric(metric, MetricUnit.Count, value);
  } else {
    m.addMetric(metric, MetricUnit.Count, value);
  }
}

export function powertoolsTelemetry(): Telemetry {
  return {
    info: (message, facts = {}) => tools().logger.info(message, facts),
    error: (message, facts = {}) => tools().logger.error(message, facts),
    count: (metric: MetricName, dimensions = {}) => record(metric, 1, dimensions),
    measure: (metric: MetricName, value: number, dimensions = {}) => record(metric, value, dimensions),
  };
}

/** Keys every line of this invocation carries (the request id, the invoice, the execution, the step). */
export function appendLogKeys(keys: Record<string, unknown>): void {
  tools().logger.appendKeys(Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined)));
}

/** Ends an invocation: its metrics leave, its keys are forgotten (a warm Lambda serves other invoices next). */
export function flushTelemetry(): void {
  if (metrics?.hasStoredMetrics?.() ?? true) metrics?.publishStoredMetrics();
  logger?.resetKeys();
}
