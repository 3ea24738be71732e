/**
 * SES configuration-set events, locally. On AWS, SES publishes delivery, bounce and complaint events of the
 * configuration set to EventBridge, whose rule invokes `functions/ses-events.ts`. Locally, after every email the
 * runtime sends, this module builds the same EventBridge events and invokes the same handler, following the SES
 * mailbox simulator: `bounce@simulator.amazonses.com` bounces permanently, `complaint@simulator.amazonses.com` is
 * delivered and then complains, every other address is delivered.
 *
 * Delivery is asynchronous (the sending handler goes on, as with SES) but counted as activity, so that
 * `POST /_local/clock` answers only once the events are processed. An event is delivered once the send is recorded
 * (the message id can be looked up), as SES events come seconds after the send on AWS. EventBridge delivers at least
 * once: `deliveries: 2` delivers every event twice in a row, to show that a redelivery changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/ports';
import type { Activity } from './activity';

export const BOUNCE_ADDRESS = 'bounce@simulator.amazonses.com';
export const COMPLAINT_ADDRESS = 'complaint@simulator.amazonses.com';

const REGION = 'eu-west-3';
const ACCOUNT = '000000000000';
const CONFIGURATION_SET = 'dunning-local';

export interface SentEmail {
  messageId: string;
  from?: string;
  to: string[];
  subject: string;
  tags: Record<string, string>;
}

export type SesEventType = 'Delivery' | 'Bounce' | 'Complaint';

const DETAIL_TYPES: Record<SesEventType, string> = {
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint',
};

export interface SesEventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: 'aws.ses';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown> & { eventType: SesEventType; mail: { messageId: string; destination: string[] } };
}

/** What the mailbox simulator does with one recipient. */
export function simulatorOutcome(address: string): SesEventType {
  const normalized = address.trim().toLowerCase();
  if (normalized === BOUNCE_ADDRESS) return 'Bounce';
  if (normalized === COMPLAINT_ADDRESS) return 'Complaint';
  return 'Delivery';
}

/**
 * The EventBridge events SES would publish for one sent email, in the order they come: a permanent bounce for the
 * bouncing recipients, a delivery for the others, then a complaint for those who complain (they were delivered first).
 */
export function sesEventsFor(email: SentEmail, at: Date): SesEventBridgeEvent[] {
  const time = at.toISOString();
  const bounced = email.to.filter((a) => simulatorOutcome(a) === 'Bounce');
  const delivered = email.to.filter((a) => simulatorOutcome(a) !== 'Bounce');
  const complained = email.to.filter((a) => simulatorOutcome(a) === 'Complaint');
  const mail = {
    timestamp: time,
    source: email.from ?? 'billing@example.com',
    sourceArn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`,
    sendingAccountId: ACCOUNT,
    messageId: email.messageId,
    destination: [...email.to],
    headersTruncated: false,
    commonHeaders: { to: [...email.to], subject: email.subject, messageId: email.messageId },
    // SES events carry tags as lists of values.
    tags: {
      'ses:configuration-set': [CONFIGURATION_SET],
      ...Object.fromEntries(Object.entries(email.tags).map(([key, value]) => [key, [value]])),
    },
  };
  const event = (eventType: SesEventType, detail: Record<string, unknown>): SesEventBridgeEvent => ({
    version: '0',
    id: randomUUID(),
    'detail-type': DETAIL_TYPES[eventType],
    source: 'aws.ses',
    account: ACCOUNT,
    time,
    region: REGION,
    resources: [`arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/${CONFIGURATION_SET}`],
    detail: { eventType, mail, ...detail },
  });
  const events: SesEventBridgeEvent[] = [];
  if (bounced.length > 0) {
    events.push(
      event('Bounce', {
        bounce: {
          feedbackId: randomUUID(),
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: bounced.map((emailAddress) => ({
            emailAddress,
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
          })),
          timestamp: time,
          reportingMTA: 'dns; local.simulator.amazonses.com',
        },
      }),
    );
  }
  if (delivered.length > 0) {
    events.push(
      event('Delivery', {
        delivery: {
          timestamp: time,
          processingTimeMillis: 0,
          recipients: delivered,
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'local.simulator.amazonses.com',
        },
      }),
    );
  }
  if (complained.length > 0) {
    events.push(
      event('Complaint', {
        complaint: {
          feedbackId: randomUUID(),
          complaintSubType: null,
          complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
          timestamp: time,
          complaintFeedbackType: 'abuse',
          arrivalDate: time,
        },
      }),
    );
  }
  return events;
}

export interface LocalSesEventsOptions {
  activity: Activity;
  clock: Clock;
  /** Invokes `functions/ses-events.ts` (through the runtime's LocalFunctions). */
  invoke: (event: SesEventBridgeEvent) => Promise<unknown>;
  /** True once the send of this message id is recorded (the handler can find the invoice). */
  isRecorded: (messageId: string) => Promise<boolean>;
  log: (message: string) => void;
  /** How many times each event is delivered (default 1). */
  deliveries?: number;
}

/** How long (real time) to wait for the sender to record a message id before delivering its events anyway. */
const RECORD_WAIT_MS = 2_000;
const RECORD_POLL_MS = 2;

export class LocalSesEvents {
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: LocalSesEventsOptions) {}

  /** Called right after an email left: its events follow asynchronously, counted as activity. */
  emailSent(email: SentEmail): void {
    if (this.stopped) return;
    // Entered synchronously, while the sending handler is still counted: the system never looks idle in between.
    const release = this.options.activity.enter();
    const work = this.deliver(email).finally(() => {
      release();
      this.inFlight.delete(work);
    });
    this.inFlight.add(work);
  }

  private async deliver(email: SentEmail): Promise<void> {
    try {
      const deadline = Date.now() + RECORD_WAIT_MS;
      while (!this.stopped && !(await this.options.isRecorded(email.messageId)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, RECORD_POLL_MS));
      }
      for (const event of sesEventsFor(email, this.options.clock.now())) {
        for (let delivery = 0; delivery < (this.options.deliveries ?? 1); delivery++) {
          if (this.stopped) return;
          try {
            await this.options.invoke(event);
          } catch (error) {
            // EventBridge would retry, then drop; locally the failure is logged and dropped.
            this.options.log(`[ses] ${event.detail.eventType} event for ${email.messageId} failed: ${String(error)}`);
          }
        }
      }
    } catch (error) {
      this.options.log(`[ses] events for ${email.messageId} not delivered: ${String(error)}`);
    }
  }

  /** Waits for the events in flight, then delivers no more. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    this.stopped = true;
  }
}
