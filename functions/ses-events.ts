/**
 * SES configuration-set events (through EventBridge): deliveries go on the timeline; a permanent bounce or a complaint
 * suppresses the address (no more email to it) and alerts the team. EventBridge delivers at least once, so each
 * event id is processed once (Powertools idempotency table).
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { suppressContact } from '../shared/billing';
import { dynamoDbClient } from '../shared/commons/aws-clients';
import { getConfig, getDependencies } from '../shared/commons/dependencies';
import { sesMailer } from '../shared/commons/ses-mailer';
import '../shared/commons/zod-locale';
import { timelineEntry } from '../shared/invoice';
import { sendTeamEmail } from '../shared/notifications';

const Recipients = z._default(z.array(z.looseObject({ emailAddress: z.string() })), []);

/** The parts of an SES event we use; everything else passes through untouched. */
const SesEvent = z.looseObject({
  id: z.string(),
  detail: z.looseObject({
    eventType: z.string(),
    mail: z.looseObject({ messageId: z.string(), destination: z._default(z.array(z.string()), []) }),
    bounce: z.optional(z.looseObject({ bounceType: z.string(), bouncedRecipients: Recipients })),
    complaint: z.optional(z.looseObject({ complainedRecipients: Recipients })),
    delivery: z.optional(z.looseObject({ recipients: z._default(z.array(z.string()), []) })),
  }),
});

async function processEvent(raw: unknown): Promise<{ handled: string }> {
  const event = SesEvent.parse(raw);
  const deps = getDependencies({ mailer: sesMailer });
  const { eventType, mail, bounce, complaint } = event.detail;
  const sent = await deps.store.findEmailByMessageId(mail.messageId);
  if (!sent || sent.invoiceId === '_team') return { handled: 'unknown_message' };
  const now = deps.clock.now();
  if (eventType === 'Delivery') {
    await deps.store.appendTimeline(sent.invoiceId, [timelineEntry('email_delivered', now, { to: mail.destination, messageId: mail.messageId })]);
    return { handled: 'delivery' };
  }
  const permanent = eventType === 'Complaint' || (eventType === 'Bounce' && bounce?.bounceType === 'Permanent');
  const addresses = (bounce?.bouncedRecipients ?? complaint?.complainedRecipients ?? []).map((r) => r.emailAddress);
  if (!permanent) {
    await deps.store.appendTimeline(sent.invoiceId, [timelineEntry('email_bounced', now, { to: addresses, bounceType: bounce?.bounceType ?? eventType, permanent: false })]);
    return { handled: 'transient' };
  }
  const type = eventType === 'Complaint' ? 'email_complaint' : 'email_bounced';
  for (const address of addresses) {
    const { record } = await suppressContact(deps, sent.invoiceId, address, type, { messageId: mail.messageId, permanent: true });
    const timeline = await sendTeamEmail(deps, getConfig(), record, 'contact_bounced', `bounce@${address}`, {
      facts: { address, event: eventType },
    });
    if (timeline.length) await deps.store.appendTimeline(sent.invoiceId, timeline);
  }
  return { handled: type };
}

let processOnce: ((event: unknown) => Promise<{ handled: string }>) | undefined;
let idempotency: IdempotencyConfig | undefined;

export async function handler(event: unknown, context?: Context) {
  const tableName = process.env.IDEMPOTENCY_TABLE_NAME;
  if (!tableName) return processEvent(event);
  idempotency ??= new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: 7 * 86_400 });
  processOnce ??= makeIdempotent(processEvent, {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamoDbClient() }),
    config: idempotency,
  });
  // Lets Powertools expire an in-progress record when this invocation times out, so a retry is not blocked.
  if (context) idempotency.registerLambdaContext(context);
  return processOnce(event);
}
