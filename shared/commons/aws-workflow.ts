import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { AwsWorkflow } from '../adapters/aws-workflow';
import type { Workflow } from '../ports';
import { awsClient } from './aws-clients';
import { getConfig } from './dependencies';

/** Step Functions and EventBridge Scheduler: `getDependencies({ workflow: awsWorkflow })`. */
export function awsWorkflow(): Workflow {
  const config = getConfig();
  return new AwsWorkflow(awsClient(SFNClient), awsClient(SchedulerClient), {
    stateMachineArn: config.stateMachineArn,
    schedulerRoleArn: config.schedulerRoleArn,
    schedulerGroupName: config.schedulerGroupName,
  });
}
