/**
 * Which handler serves which route, and which handler stands behind each `${...}` placeholder of the state machine.
 * The CDK stack and the local runtime both read this list, so a route exists in both or in neither.
 */

export interface Route {
  method: 'GET' | 'POST' | 'PATCH';
  /** API Gateway path syntax: `{invoiceId}` is a path parameter. */
  path: string;
  /** A file in functions/, without the extension. */
  handler: string;
  /** Billing and operator routes need `Authorization: Bearer <api key>`; customer pages and the OpenAPI do not. */
  auth: boolean;
}

export const ROUTES: Route[] = [
  { method: 'POST', path: '/invoices', handler: 'register-invoice', auth: true },
  { method: 'GET', path: '/invoices', handler: 'list-invoices', auth: true },
  { method: 'GET', path: '/invoices/{invoiceId}', handler: 'get-invoice', auth: true },
  { method: 'PATCH', path: '/invoices/{invoiceId}', handler: 'update-invoice', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/payments', handler: 'record-payment', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/cancel', handler: 'cancel-invoice', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/dispute-resolution', handler: 'resolve-dispute', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/call-outcomes', handler: 'record-call-outcome', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/waive', handler: 'waive-penalties', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/restart', handler: 'restart-execution', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/formal-notice', handler: 'record-formal-notice', auth: true },
  { method: 'POST', path: '/invoices/{invoiceId}/documents', handler: 'attach-document', auth: true },
  { method: 'GET', path: '/invoices/{invoiceId}/evidence', handler: 'get-evidence', auth: true },
  { method: 'GET', path: '/api-keys', handler: 'list-api-keys', auth: true },
  { method: 'POST', path: '/api-keys/{keyId}/revoke', handler: 'revoke-api-key', auth: true },
  { method: 'GET', path: '/openapi.json', handler: 'get-openapi', auth: false },
  { method: 'GET', path: '/r/{token}', handler: 'customer-page', auth: false },
  { method: 'POST', path: '/r/{token}', handler: 'customer-page', auth: false },
];

/** The HTTP API's Lambda authorizer (payload 2.0, simple responses). */
export const AUTHORIZER_HANDLER = 'authorize-api-key';

/** State machine placeholder → handler invoked by that task. */
export const WORKFLOW_FUNCTIONS = {
  PlanRemindersFunctionArn: 'plan-reminders',
  ParkFunctionArn: 'park-invoice',
  CheckFunctionArn: 'check-news',
  SendEmailFunctionArn: 'send-email',
  PlanEscalationFunctionArn: 'plan-escalation',
  HandOffFunctionArn: 'hand-off',
} as const;

/** Handlers triggered by events rather than routes or the state machine. */
export const EVENT_HANDLERS = {
  /** SES configuration-set events (delivery, bounce, complaint) through EventBridge. */
  sesEvents: 'ses-events',
  /** The daily operator digest, from an EventBridge Scheduler cron in the creditor's time zone. */
  dailyDigest: 'daily-digest',
  /** Events out: new timeline entries from the table's stream, published to the stack's EventBridge bus. */
  publishEvents: 'publish-events',
  /** The start buffer's consumer: starts, deferred starts and throttled wake-ups, at the pace Step Functions accepts. */
  signalWorkflow: 'signal-workflow',
  /** Every ten minutes: starts noted but never confirmed are signalled again. */
  reconcileStarts: 'reconcile-starts',
} as const;

/**
 * The start buffer's pace, shared by the stack's event source mapping and the local runtime's queue: up to ten
 * signals per invocation, at most three invocations at once. Each signal is one Step Functions call of about 50 ms,
 * so the consumer asks for a few hundred per second at most — about StartExecution's sustained rate in the largest
 * regions — and its throttled calls come back later rather than failing anything.
 */
export const START_BUFFER = {
  batchSize: 10,
  maxConcurrency: 3,
  /** Six times the consumer's timeout (30 s), as AWS advises for SQS event sources. */
  visibilityTimeoutSeconds: 180,
  /**
   * Deliveries that fail (other than by throttling, which is sent again instead) before the dead-letter queue: 25, each
   * back after the visibility timeout — some 75 minutes of retries.
   */
  maxReceiveCount: 25,
  /** How often the reconciliation runs. */
  reconcileEveryMinutes: 10,
} as const;

export const STATE_MACHINE_FILE = 'statemachines/invoice-dunning.asl.json';
