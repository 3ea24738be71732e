/**
 * What the system says about itself as it works: one structured line per decision and per email, keyed by invoice,
 * and the counts operators alarm on and graph (Powertools Logger and Metrics in `shared/adapters/powertools.ts`).
 */

/** The counts of the CloudWatch namespace `PreventiveDunning` (dimension `service`, and `kind` where named). */
export type MetricName =
  /** A customer or team email left (`kind`: its kind). */
  | 'EmailsSent'
  /** A customer's answer from a page (`kind`: promise, dispute, question, bank_details). */
  | 'Answers'
  | 'Payments'
  | 'HandOffs'
  /** An execution ended in *Needs attention*: the team was emailed why (alarmed on). */
  | 'NeedsAttention'
  /** A step found AWS throttling it, or its grouped email's slot busy, and will be retried. */
  | 'Throttles'
  /** A start noted an hour ago and never made, which the reconciliation's signal did make (alarmed on). */
  | 'StartsReconciled'
  /** How long a start or wake-up signal has waited since it was first sent, at each delivery (alarmed on, maximum). */
  | 'SignalAgeSeconds'
  /** How many invoices are open in each status (`status`), counted each business morning by the digest. */
  | 'OpenInvoices';

export interface Telemetry {
  info(message: string, facts?: Record<string, unknown>): void;
  error(message: string, facts?: Record<string, unknown>): void;
  count(metric: MetricName, dimensions?: Record<string, string>): void;
  /** A level rather than an occurrence (how many there are now). */
  measure(metric: MetricName, value: number, dimensions?: Record<string, string>): void;
}

/** Says nothing: the default where nobody listens (unit tests of services). */
export const silentTelemetry: Telemetry = { info: () => undefined, error: () => undefined, count: () => undefined, measure: () => undefined };
