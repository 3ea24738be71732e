/**
 * The AWS adapters a handler may ask for, configured from the deployment: `getDependencies({ mailer: sesMailer })`.
 * Each handler names the ones it calls, so that its bundle carries only those AWS clients.
 */
import { stepFunctionsWorkflow, stepFunctionsWorkflowWithScheduler, type AwsWorkflowOptions } from '../adapters/aws-workflow';
import { s3Documents as s3DocumentsWith } from '../adapters/s3-documents';
import { sesMailer as sesMailerWith } from '../adapters/ses-mailer';
import { eventBridgePublisher } from '../adapters/eventbridge-publisher';
import { sqsWorkflowSignals } from '../adapters/sqs-signals';
import type { DocumentStore, Mailer, Workflow, WorkflowSignals } from '../ports';
import type { EventPublisher } from '../ports/events';

export { newTimelineItem } from '../adapters/stream-records';
export { isThrottling } from '../adapters/aws-clients';
export { retryDelaySeconds } from '../adapters/sqs-signals';
import { getConfig } from './dependencies';

/** The SES v2 mailer with the deployment's sender and configuration set. */
export function sesMailer(): Mailer {
  const config = getConfig();
  return sesMailerWith({ from: config.senderEmail, configurationSetName: config.configurationSetName });
}

function workflowOptions(): AwsWorkflowOptions {
  const config = getConfig();
  return {
    stateMachineArn: config.stateMachineArn,
    schedulerRoleArn: config.schedulerRoleArn,
    schedulerGroupName: config.schedulerGroupName,
    deferredStartDeadLetterQueueArn: config.deferredStartDeadLetterQueueArn,
  };
}

/** Step Functions only (start, status, wake). */
export function awsWorkflow(): Workflow {
  return stepFunctionsWorkflow(workflowOptions());
}

/** Step Functions and EventBridge Scheduler, for the handlers that may defer a start (register, update). */
export function awsWorkflowWithScheduler(): Workflow {
  return stepFunctionsWorkflowWithScheduler(workflowOptions());
}

/** The start buffer (SQS), for the handlers that start executions or wake them. */
export function sqsSignals(): WorkflowSignals {
  return sqsWorkflowSignals(getConfig().signalQueueUrl);
}

/** The deployment's document bucket (emails as sent, letters, evidence). */
export function s3Documents(): DocumentStore {
  const config = getConfig();
  return s3DocumentsWith({ bucket: config.documentsBucket, forcePathStyle: config.documentsPathStyle });
}

/** The stack's EventBridge bus, where events out are published. */
export function eventPublisher(): EventPublisher {
  const { eventBusName } = getConfig();
  if (!eventBusName) throw new Error('EVENT_BUS_NAME is not set');
  return eventBridgePublisher(eventBusName);
}
