import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { AwsWorkflow, type AwsWorkflowOptions } from '../adapters/aws-workflow';
import type { Workflow } from '../ports';
import { awsClient } from './aws-clients';
import { getConfig } from './dependencies';

function workflowOptions(): AwsWorkflowOptions {
  const config = getConfig();
  return {
    stateMachineArn: config.stateMachineArn,
    schedulerRoleArn: config.schedulerRoleArn,
    schedulerGroupName: config.schedulerGroupName,
  };
}

/** Step Functions only (start, status, wake): `getDependencies({ workflow: awsWorkflow })`. */
export function awsWorkflow(): Workflow {
  return new AwsWorkflow(awsClient(SFNClient), undefined, workflowOptions());
}

/**
 * Step Functions and EventBridge Scheduler, for the handlers that defer starts beyond the execution horizon
 * (register, update). A separate factory so that the other handlers' bundles leave the Scheduler client out.
 */
export function awsWorkflowWithScheduler(): Workflow {
  return new AwsWorkflow(awsClient(SFNClient), awsClient(SchedulerClient), workflowOptions());
}
