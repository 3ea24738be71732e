/**
 * SES configuration-set events (through EventBridge): deliveries go on the timeline; a permanent bounce or a complaint
 * suppresses the address and alerts the team (shared/services/email-events.ts). EventBridge delivers at least once; a
 * redelivered event changes nothing, by construction: its timeline entries are keyed by the event's id and time.
 */
import * as z from 'zod/mini';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { s3Documents, sesMailer } from '../shared/lambda/adapters';
import '../shared/domain/zod-locale';
import { recordEmailEvent } from '../shared/services/email-events';

const Recipients = z._default(z.array(z.looseObject({ emailAddress: z.string() })), []);

/** The parts of an SES event we use; everything else passes through untouched. */
const SesEvent = z.looseObject({
  id: z.string(),
  time: z.iso.datetime(),
  detail: z.looseObject({
    eventType: z.string(),
    mail: z.looseObject({ messageId: z.string(), destination: z._default(z.array(z.string()), []) }),
    bounce: z.optional(z.looseObject({ bounceType: z.string(), bouncedRecipients: Recipients })),
    complaint: z.optional(z.looseObject({ complainedRecipients: Recipients })),
  }),
});

export async function handler(raw: unknown): Promise<{ handled: string }> {
  const { id, time, detail } = SesEvent.parse(raw);
  const { eventType, mail, bounce, complaint } = detail;
  const handled = await recordEmailEvent(getDependencies({ mailer: sesMailer, documents: s3Documents }), getConfig(), {
    id,
    at: new Date(time),
    type: eventType,
    messageId: mail.messageId,
    destination: mail.destination,
    bounceType: bounce?.bounceType,
    recipients: (bounce?.bouncedRecipients ?? complaint?.complainedRecipients ?? []).map((r) => r.emailAddress),
  });
  return { handled };
}
