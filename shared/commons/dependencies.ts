/**
 * Builds the adapters a handler needs, once per Lambda container, from the environment. The local runtime and tests
 * swap pieces (the virtual clock, a recording mailer) with `overrideDependencies`.
 */
import { DynamoDbInvoiceStore } from '../adapters/dynamodb-store';
import { SesMailer } from '../adapters/ses-mailer';
import { AwsWorkflow } from '../adapters/aws-workflow';
import { loadConfig, type AppConfig } from '../config';
import { systemClock, type Dependencies } from '../ports';
import { dynamoDbClient, schedulerClient, sesClient, sfnClient } from './aws-clients';

let config: AppConfig | undefined;
let dependencies: Dependencies | undefined;
let overrides: Partial<Dependencies> = {};

export function getConfig(): AppConfig {
  config ??= loadConfig();
  return config;
}

export function getDependencies(): Dependencies {
  if (!dependencies) {
    const settings = getConfig();
    dependencies = {
      store: new DynamoDbInvoiceStore(dynamoDbClient(), settings.tableName),
      mailer: new SesMailer(sesClient(), {
        from: settings.senderEmail,
        configurationSetName: settings.configurationSetName,
      }),
      workflow: new AwsWorkflow(sfnClient(), schedulerClient(), {
        stateMachineArn: settings.stateMachineArn,
        schedulerRoleArn: settings.schedulerRoleArn,
        schedulerGroupName: settings.schedulerGroupName,
      }),
      clock: systemClock,
    };
  }
  return { ...dependencies, ...overrides };
}

/** Replaces some dependencies process-wide (local runtime, tests). */
export function overrideDependencies(partial: Partial<Dependencies>): void {
  overrides = { ...overrides, ...partial };
}

/** Forgets everything built so far, so the next call re-reads the environment (tests). */
export function resetDependencies(): void {
  config = undefined;
  dependencies = undefined;
  overrides = {};
}
