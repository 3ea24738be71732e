/**
 * SES v2: the sender identity, a configuration set, and the way back for delivery events
 * (configuration set → default EventBridge bus → rule → `ses-events` handler → contact status and timeline).
 *
 * Defaults: the identity is the sender address (SES emails a verification link to it on deploy), which suits a
 * trial in the SES sandbox. Production needs a verified domain with DKIM: set `dunning:senderDomain` and publish
 * the three DKIM CNAME records SES shows for it, and ask AWS to leave the sandbox.
 * The configuration set is the identity's default, so every email sent from it reports its events, and it tracks
 * reputation metrics (bounce and complaint rates are what SES suspends accounts for).
 *
 * No delivery event is dropped silently: the rule's target sends what EventBridge could not deliver after its retries,
 * and Lambda's asynchronous invocation what the handler failed on every attempt, to one dead-letter queue, whose depth
 * is alarmed on.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { EVENT_HANDLERS } from '../catalog';
import type { DataConstruct } from './data';
import { DeadLetterQueue } from './dead-letter-queue';
import { constructId, HandlerFunction } from './handler-function';

/** What the `ses-events` handler is told about: the events that change a contact's status or the timeline. */
export const SES_EVENT_TYPES = [
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];
/** The same events as EventBridge names them (`detail-type`). */
export const SES_EVENT_DETAIL_TYPES = [
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
  'Email Delivery Delayed',
];

export interface EmailConstructProps {
  senderEmail: string;
  /** Verify this domain (Easy DKIM) instead of the sender address. */
  senderDomain?: string;
}

export class EmailConstruct extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly identity: ses.EmailIdentity;
  readonly configurationSetArn: string;
  /** Delivery events the `ses-events` handler never processed; set by `addEventHandler`. */
  eventsDeadLetterQueue?: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EmailConstructProps) {
    super(scope, id);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    this.identity = new ses.EmailIdentity(this, 'SenderIdentity', {
      identity: props.senderDomain ? ses.Identity.domain(props.senderDomain) : ses.Identity.email(props.senderEmail),
      configurationSet: this.configurationSet,
    });

    // SES publishes to the default bus only.
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: SES_EVENT_TYPES,
    });
  }

  /**
   * Routes this configuration set's delivery events to the `ses-events` handler, which may alert the team on a
   * bounce. Events of other configuration sets in the account are not matched.
   */
  addEventHandler(props: { environment: Record<string, string>; data: DataConstruct }): HandlerFunction {
    const fn = new HandlerFunction(this, constructId(EVENT_HANDLERS.sesEvents), {
      handler: EVENT_HANDLERS.sesEvents,
      environment: props.environment,
      timeout: Duration.seconds(30),
    });
    props.data.grantReadWrite(fn);
    this.grantSend(fn);
    // A bounce alert to the team is an email about the invoice: its copy is kept.
    props.data.grantWriteEmailCopies(fn);

    const deadLetterQueue = new DeadLetterQueue(this, 'DeliveryEventsDeadLetterQueue', {
      source: 'ses-events',
      holds: 'SES delivery events that EventBridge could not deliver, or that the ses-events handler failed on every attempt',
    });
    this.eventsDeadLetterQueue = deadLetterQueue;
    // EventBridge invokes the function asynchronously: its DLQ catches failed invokes (throttling beyond the retries,
    // a missing permission), not errors of the handler, which Lambda retries twice and then sends here.
    fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(deadLetterQueue) });

    new events.Rule(this, 'DeliveryEvents', {
      description: 'SES delivery, bounce, complaint, reject and delay events of the dunning emails',
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_EVENT_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      // EventBridge retries for up to a day (and may deliver twice anyway): the handler's timeline entries are keyed
      // by the event's id and time, so a redelivery never doubles one; the team alert is claimed once per address.
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 10, maxEventAge: Duration.hours(24), deadLetterQueue })],
    });
    return fn;
  }

  /**
   * `ses:SendEmail` / `ses:SendRawEmail` from the sender identity through this configuration set, nothing else.
   * In the SES sandbox, SES also checks the permission against each recipient's (verified) identity: a trial there
   * needs those identity ARNs added, or production access.
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [this.identity.emailIdentityArn, this.configurationSetArn],
    });
  }
}
