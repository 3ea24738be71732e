/**
 * The small interfaces the services talk through. Each has an AWS adapter in `shared/adapters/`; tests and the local
 * runtime plug in the same adapters pointed at emulators (or, for Step Functions, at the local engine's endpoint).
 */
import type { Clock } from './clock';
import type { DocumentStore } from './documents';
import type { InvoiceStore } from './invoice-store';
import type { Mailer } from './mailer';
import type { RegisteredLetters } from './registered-letters';
import type { Telemetry } from './telemetry';
import type { Workflow } from './workflow';
import type { WorkflowSignals } from './workflow-signals';

export { systemClock, type Clock } from './clock';
export type { ApiKeyRecord, ApiKeySummary, EmailClaim, InvoiceListPage, InvoiceListQuery, InvoiceStore, ListPosition, OpenInvoiceRef, SendSlot, SlotClaim, SlotEmail, SlotOutcome } from './invoice-store';
export type { EmailAttachment, Mailer, OutgoingEmail } from './mailer';
export { invoiceDocumentKey, type DocumentStore, type StoredDocument } from './documents';
export type { LetterDispatch, LetterToPost, RegisteredLetters } from './registered-letters';
export type { Workflow } from './workflow';
export type { PendingStart, WorkflowSignal, WorkflowSignals } from './workflow-signals';
export { silentTelemetry, type MetricName, type Telemetry } from './telemetry';

/** Everything a service needs besides its input. */
export interface Dependencies {
  store: InvoiceStore;
  mailer: Mailer;
  workflow: Workflow;
  /** The buffer in front of Step Functions: starts and throttled wake-ups go through it. */
  signals: WorkflowSignals;
  clock: Clock;
  /** Emails as sent, letters, evidence bundles (S3). */
  documents: DocumentStore;
  /** A registered-letter provider; without one, the team posts the formal notice's letter. */
  letters?: RegisteredLetters;
  /** Log lines and metrics; absent where nobody listens. */
  telemetry?: Telemetry;
}
