/**
 * A dead-letter queue: where an asynchronous delivery lands when every retry has failed, so that nothing is dropped
 * silently. All of them alike: SQS-managed encryption (SSE-SQS, which every AWS sender can use without a key grant),
 * TLS only, messages kept 14 days (SQS's longest), a standard queue (EventBridge Scheduler refuses FIFO ones).
 *
 * The monitoring construct finds every `DeadLetterQueue` of the stack and alarms on its depth; `source` names the alarm
 * and its runbook entry (`dlq-<source>` in infra/RUNBOOK.md).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** Short, kebab-case name of the delivery that fails into it: `ses-events`, `daily-digest`... */
  source: string;
  /** What a message in it means, in a sentence: the alarm's description and the nag acknowledgement. */
  holds: string;
}

export class DeadLetterQueue extends sqs.Queue {
  readonly source: string;
  readonly holds: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.source = props.source;
    this.holds = props.holds;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue is itself a dead-letter queue (${props.holds}): a dead-letter queue of its own would only move the ` +
        'same messages one step further. Its depth is alarmed on instead.',
    });
  }
}
