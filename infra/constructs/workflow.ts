/**
 * Step Functions: one standard execution per invoice, defined once in `statemachines/` (the local runtime runs the
 * same file), and the six functions its tasks invoke.
 *
 * Defaults: standard workflow (executions last up to a year and wait for free); a fixed name, `<stack>-invoice-dunning`,
 * which operators find in the console and which lets handlers know the ARN without referencing the resource (a
 * function ARN in the definition plus a grant on the state machine would otherwise form a cycle); logs at level
 * ERROR without execution data, so neither task tokens nor customers' personal data reach CloudWatch (the execution
 * history in the console keeps every step for 90 days); X-Ray tracing on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StartBufferConstruct } from './start-buffer';
import { STATE_MACHINE_FILE, WORKFLOW_FUNCTIONS } from '../catalog';
import type { DataConstruct } from './data';
import type { EmailConstruct } from './email';
import { constructId, HandlerFunction, PROJECT_ROOT } from './handler-function';

type Handler = (typeof WORKFLOW_FUNCTIONS)[keyof typeof WORKFLOW_FUNCTIONS];

/** Handlers that send email get more time: SES calls plus rendering, retried by the state machine on failure. */
const TIMEOUTS: Partial<Record<Handler, Duration>> = {
  'send-email': Duration.seconds(30),
  // Reads every document of the invoice and zips them (up to 30 supporting documents of 3 MB).
  'hand-off': Duration.minutes(2),
};

/** The bundle is made in memory: room for the documents, the ZIP beside them, and the CPU that comes with memory. */
const MEMORY: Partial<Record<Handler, number>> = {
  'hand-off': 1024,
};

/** The actions that complete a parked task: only success, the workflow never fails a task from outside. */
export const TASK_RESPONSE_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure'];

export function stateMachineName(scope: Construct): string {
  return `${Stack.of(scope).stackName}-invoice-dunning`;
}

/** The state machine's ARN from its name: usable by any function, including those the state machine invokes. */
export function stateMachineArn(scope: Construct): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(scope),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Lets a handler complete parked tasks (`SendTaskSuccess` with a task token from the database). IAM checks the
 * call against the state machine that issued the token, so the grant names this one state machine, by name.
 */
export function grantTaskResponse(scope: Construct, grantee: iam.IGrantable): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: TASK_RESPONSE_ACTIONS, resourceArns: [stateMachineArn(scope)] });
}

/**
 * Lets a handler read the status of this state machine's executions. Execution names are per invoice, made at run
 * time: the grant covers the executions of this one state machine.
 */
export function grantDescribeExecutions(scope: Construct, grantee: HandlerFunction): void {
  const executions = Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName(scope)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  grantee.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
  Validations.of(grantee.executionRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName(scope)}:*]`,
    reason: 'One execution per invoice, named at run time: the grant is limited to the executions of this state machine.',
  });
}

export interface WorkflowConstructProps {
  environment: Record<string, string>;
  data: DataConstruct;
  email: EmailConstruct;
  startBuffer: StartBufferConstruct;
}

export class WorkflowConstruct extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** Handler name → function, for the six handlers of `WORKFLOW_FUNCTIONS`. */
  readonly functions: Record<Handler, HandlerFunction>;

  constructor(scope: Construct, id: string, props: WorkflowConstructProps) {
    super(scope, id);

    const handlers = Object.values(WORKFLOW_FUNCTIONS) as Handler[];
    this.functions = Object.fromEntries(
      handlers.map((handler) => [
        handler,
        new HandlerFunction(this, constructId(handler), {
          handler,
          environment: props.environment,
          timeout: TIMEOUTS[handler],
          ...(MEMORY[handler] ? { memorySize: MEMORY[handler] } : {}),
        }),
      ]),
    ) as Record<Handler, HandlerFunction>;

    for (const fn of Object.values(this.functions)) props.data.grantReadWrite(fn);
    // Park checks the record's pending events before it parks, and completes its own task when there are some; the
    // callback steps (the ladder's rungs, the hand-off) send their own execution on. Each hands that call to the start
    // buffer when Step Functions throttles it.
    for (const handler of ['park-invoice', 'send-email', 'hand-off'] as const) {
      grantTaskResponse(this, this.functions[handler]);
      props.startBuffer.grantSignal(this.functions[handler]);
    }
    props.email.grantSend(this.functions['send-email']);
    props.data.grantWriteEmailCopies(this.functions['send-email']);
    props.data.grantWriteLetters(this.functions['send-email']);
    props.email.grantSend(this.functions['hand-off']);
    // The hand-off writes the evidence bundle, and keeps the copy of its email to the team.
    props.data.grantEvidenceBundles(this.functions['hand-off']);
    props.data.grantWriteEmailCopies(this.functions['hand-off']);

    const name = stateMachineName(this);
    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch's log resource policy from growing with each state machine.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'InvoiceDunning', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'Preventive dunning of one invoice',
      definitionBody: sfn.DefinitionBody.fromString(readFileSync(join(PROJECT_ROOT, STATE_MACHINE_FILE), 'utf8')),
      definitionSubstitutions: Object.fromEntries(
        Object.entries(WORKFLOW_FUNCTIONS).map(([placeholder, handler]) => [placeholder, this.functions[handler].functionArn]),
      ),
      logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });
    // The definition calls unqualified function ARNs: invoke exactly those (`grantInvoke` would add `<arn>:*`).
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(this.functions).map((fn) => fn.functionArn),
      }),
    );

    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-SF1',
        reason:
          'Level ERROR on purpose: the execution history (kept 90 days, shown in the console) already records every ' +
          'step for operators; CloudWatch gets failures only, without execution data, so no task token or personal data is logged.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Added by CDK for logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, ' +
          'logs:GetLogDelivery, ...) and X-Ray actions have no resource-level permissions.',
      },
    );
  }
}
