/**
 * Builds the adapters a handler needs, once per Lambda container, from the environment. Every handler gets the
 * DynamoDB store and the clock; the SES mailer and the Step Functions workflow are passed in by the handlers that use
 * them (`sesMailer`, `awsWorkflow`), so that a handler's bundle holds only the AWS clients it calls. The local runtime
 * and tests swap pieces (the virtual clock, a recording mailer) with `overrideDependencies`.
 */
import { DynamoDbInvoiceStore } from '../adapters/dynamodb-store';
import { loadConfig, type AppConfig } from './config';
import { systemClock, type Dependencies, type DocumentStore, type InvoiceStore, type Mailer, type Workflow, type WorkflowSignals } from '../ports';
import { dynamoDbClient } from '../adapters/aws-clients';
import { powertoolsTelemetry } from '../adapters/powertools';

export interface AdapterFactories {
  mailer?: () => Mailer;
  workflow?: () => Workflow;
  signals?: () => WorkflowSignals;
  documents?: () => DocumentStore;
}

let config: AppConfig | undefined;
let store: InvoiceStore | undefined;
const built: { mailer?: Mailer; workflow?: Workflow; signals?: WorkflowSignals; documents?: DocumentStore } = {};
let overrides: Partial<Dependencies> = {};

export function getConfig(): AppConfig {
  config ??= loadConfig();
  return config;
}

function adapter<K extends keyof AdapterFactories>(name: K, factories: AdapterFactories): NonNullable<(typeof built)[K]> {
  const override = overrides[name];
  if (override) return override as NonNullable<(typeof built)[K]>;
  const factory = factories[name];
  if (!factory) throw new Error(`This handler did not ask for the ${name} adapter; pass it to getDependencies().`);
  built[name] ??= factory() as (typeof built)[K];
  return built[name]!;
}

/** The handler's dependencies; `mailer`, `workflow`, `signals` and `documents` exist only if their factory is given (or overridden). */
export function getDependencies(factories: AdapterFactories = {}): Dependencies {
  store ??= new DynamoDbInvoiceStore(dynamoDbClient(), getConfig().tableName);
  return {
    store: overrides.store ?? store,
    clock: overrides.clock ?? systemClock,
    telemetry: overrides.telemetry ?? powertoolsTelemetry(),
    get mailer() {
      return adapter('mailer', factories);
    },
    get workflow() {
      return adapter('workflow', factories);
    },
    get signals() {
      return adapter('signals', factories);
    },
    get documents() {
      return adapter('documents', factories);
    },
  };
}

/** Replaces some dependencies process-wide (local runtime, tests). */
export function overrideDependencies(partial: Partial<Dependencies>): void {
  overrides = { ...overrides, ...partial };
}

/** Forgets everything built so far, so the next call re-reads the environment (tests). */
export function resetDependencies(): void {
  config = undefined;
  store = undefined;
  delete built.mailer;
  delete built.workflow;
  delete built.signals;
  delete built.documents;
  overrides = {};
}
