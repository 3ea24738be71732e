/** Mailer on SES v2: one SendEmail per email, simple content (attachments included), tags for the configuration set's events. */
import { SendEmailCommand, SESv2Client, type MessageTag } from '@aws-sdk/client-sesv2';
import type { EmailAttachment, Mailer, OutgoingEmail } from '../ports';
import { awsClient } from './aws-clients';

const CHARSET = 'UTF-8';
/** SES accepts tag names and values of at most 256 characters from [A-Za-z0-9_-]. */
const TAG_MAX_LENGTH = 256;

/** Replaces what SES rejects in a tag name or value (invoice ids often hold `/` or `.`). */
export function sanitizeTag(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, TAG_MAX_LENGTH);
}

function emailTags(tags: Record<string, string> | undefined): MessageTag[] | undefined {
  if (!tags) return undefined;
  const list = Object.entries(tags)
    .map(([name, value]) => ({ Name: sanitizeTag(name), Value: sanitizeTag(value) }))
    .filter((tag) => tag.Name !== '' && tag.Value !== '');
  return list.length > 0 ? list : undefined;
}

function sesAttachment(attachment: EmailAttachment) {
  return {
    FileName: attachment.filename,
    ContentType: attachment.contentType,
    RawContent: attachment.content,
    ContentDisposition: 'ATTACHMENT' as const,
    ContentTransferEncoding: 'BASE64' as const,
  };
}

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: { from: string; configurationSetName?: string },
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.options.from,
        Destination: { ToAddresses: email.to },
        ...(email.replyTo?.length ? { ReplyToAddresses: email.replyTo } : {}),
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: CHARSET },
            Body: {
              Html: { Data: email.html, Charset: CHARSET },
              Text: { Data: email.text, Charset: CHARSET },
            },
            ...(email.attachments?.length ? { Attachments: email.attachments.map(sesAttachment) } : {}),
          },
        },
        ...(this.options.configurationSetName ? { ConfigurationSetName: this.options.configurationSetName } : {}),
        ...(emailTags(email.tags) ? { EmailTags: emailTags(email.tags) } : {}),
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the email but returned no MessageId');
    return result.MessageId;
  }
}

/**
 * The mailer on the shared SES v2 client (endpoint and region from the environment), which makes one attempt per
 * email: an SDK retry after a reset connection could follow an attempt that SES accepted, and the error that ends it
 * would then look like a plain refusal, which gives the email's claim back and sends it twice. The state machine
 * retries the step instead, after a refusal that is known to be one.
 */
export function sesMailer(options: { from: string; configurationSetName?: string }): Mailer {
  return new SesMailer(awsClient(SESv2Client, { single: true }), options);
}
