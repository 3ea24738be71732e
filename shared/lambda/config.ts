/**
 * Deployment configuration, read once from the environment. CDK sets these variables from its context values;
 * the local runtime sets them from its own defaults. Documented in the README.
 */
import type { BillingSettings } from '../domain/billing';
import { missingCreditorFields, type Creditor } from '../domain/creditor';
import { DEFAULT_CALENDAR } from '../domain/dates';
import { resolvePolicy, type DunningPolicy } from '../domain/policy';
import type { NotificationSettings } from '../services/notifications';

/**
 * Everything a handler is configured with: what the services need (calendar, policy, creditor, team, links,
 * horizon) and where the AWS resources are.
 */
export interface AppConfig extends NotificationSettings, BillingSettings {
  tableName: string;
  stateMachineArn: string;
  /** Sender address of every email (a verified SES identity). */
  senderEmail: string;
  configurationSetName?: string;
  schedulerRoleArn?: string;
  schedulerGroupName?: string;
  /** Where Scheduler sends a deferred start it could not make. */
  deferredStartDeadLetterQueueArn?: string;
  /** The start buffer's queue (starts and throttled wake-ups of executions). */
  signalQueueUrl?: string;
  /** The stack's EventBridge bus, where every transition is published (events out). */
  eventBusName?: string;
  /** The S3 bucket of documents: emails as sent, letters, evidence bundles. */
  documentsBucket: string;
  /** Path-style S3 addressing, for the local runtime's emulator. */
  documentsPathStyle: boolean;
}

/** The creditor of the local runtime and the tests: an example, every legal mention present and plainly fictitious. */
export const EXAMPLE_CREDITOR: Creditor = {
  name: 'Example SAS',
  legalForm: 'SAS',
  shareCapital: '10 000 €',
  siren: '000000000',
  rcsCity: 'Paris',
  address: '1 rue de l’Exemple\n75001 Paris',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'AGRIFRPP',
  bankName: 'Example Bank',
  team: { name: 'Comptabilité clients', phone: '+33 1 00 00 00 00' },
  signatory: { name: 'Camille Exemple', title: 'Responsable du crédit clients' },
};

/** The creditor from `CREDITOR` (JSON): a missing legal mention stops the handler with the field's name. */
function creditorFrom(value: string | undefined): Creditor {
  if (!value) return EXAMPLE_CREDITOR;
  const creditor = json<unknown>(value, {});
  const missing = missingCreditorFields(creditor);
  if (missing.length) throw new Error(`Invalid CREDITOR configuration: missing or wrong ${missing.join(', ')}`);
  return creditor as Creditor;
}

function json<T>(value: string | undefined, fallback: T): T {
  if (!value) return fallback;
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    throw new Error(`Invalid JSON in configuration: ${value.slice(0, 40)}`, { cause: error });
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    tableName: env.TABLE_NAME ?? 'dunning',
    stateMachineArn: env.STATE_MACHINE_ARN ?? '',
    senderEmail: env.SENDER_EMAIL ?? 'billing@example.com',
    teamEmail: env.TEAM_EMAIL ?? 'credit-team@example.com',
    handOffEmail: env.HAND_OFF_EMAIL || undefined,
    teamLanguage: env.TEAM_LANGUAGE === 'en' ? 'en' : 'fr',
    configurationSetName: env.SES_CONFIGURATION_SET || undefined,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    creditor: creditorFrom(env.CREDITOR),
    calendar: {
      timeZone: env.CREDITOR_TIME_ZONE || DEFAULT_CALENDAR.timeZone,
      country: env.CREDITOR_COUNTRY || DEFAULT_CALENDAR.country,
      sendTime: env.SEND_TIME || DEFAULT_CALENDAR.sendTime,
    },
    policy: resolvePolicy(json<Partial<DunningPolicy>>(env.DUNNING_POLICY, {})),
    executionHorizonDays: Number(env.EXECUTION_HORIZON_DAYS ?? 240),
    schedulerRoleArn: env.SCHEDULER_ROLE_ARN || undefined,
    schedulerGroupName: env.SCHEDULER_GROUP_NAME || undefined,
    eventBusName: env.EVENT_BUS_NAME || undefined,
    signalQueueUrl: env.SIGNAL_QUEUE_URL || undefined,
    deferredStartDeadLetterQueueArn: env.DEFERRED_START_DLQ_ARN || undefined,
    documentsBucket: env.DOCUMENTS_BUCKET ?? 'dunning-documents',
    documentsPathStyle: env.DOCUMENTS_PATH_STYLE === 'true',
  };
}
