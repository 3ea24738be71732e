/**
 * A Mailer decorator: every email still goes through the real SesMailer (to the SES emulator and its mail viewer);
 * the decorator also keeps a copy with the virtual sending time, the invoice id (from the `invoiceId` tag) and every
 * invoice a grouped email covers, the
 * links found in the HTML and where its attachments can be fetched, for `GET /_local/outbox` and the tests.
 */
import type { Clock, Mailer, OutgoingEmail } from '../../shared/ports';

export interface OutboxEntry {
  messageId: string;
  invoiceId?: string;
  /** Every invoice the email covers: several for a grouped reminder, the one `invoiceId` otherwise. */
  invoiceIds: string[];
  /** Invoice id → the cause of its email (`tags.email` when the email is about one invoice). */
  causes: Record<string, string>;
  to: string[];
  subject: string;
  text: string;
  html: string;
  links: string[];
  tags: Record<string, string>;
  /** Files sent with the email, each fetched from the documents bucket at `url`. */
  attachments: { filename: string; contentType: string; size: number; url: string }[];
  /** Virtual time of sending. */
  sentAt: string;
  /** Real time of sending (ms since the epoch): orders emails and requests that share one virtual instant. */
  sentAtRealMs: number;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&lt;': '<', '&gt;': '>' };

/** Every `href` value of the HTML, entities decoded, in document order. */
export function extractLinks(html: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const raw = match[1] ?? match[2] ?? '';
    links.push(raw.replace(/&(amp|quot|#39|#x27|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity));
  }
  return links;
}

export class RecordingMailer implements Mailer {
  readonly outbox: OutboxEntry[] = [];

  constructor(
    private readonly inner: Mailer,
    private readonly clock: Clock,
    /** Called after each email left (the runtime delivers its SES events from here). */
    private readonly onSent?: (entry: OutboxEntry) => void,
    /** Where an attachment kept in the documents bucket under `key` can be fetched. */
    private readonly documentUrl: (key: string) => string = (key) => key,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    const sentAt = this.clock.now().toISOString();
    const messageId = await this.inner.send(email);
    const entry: OutboxEntry = {
      messageId,
      ...(email.tags?.invoiceId ? { invoiceId: email.tags.invoiceId } : {}),
      invoiceIds: email.invoiceIds ?? (email.tags?.invoiceId ? [email.tags.invoiceId] : []),
      causes: email.invoiceIds
        ? Object.fromEntries(email.invoiceIds.map((invoiceId, i) => [invoiceId, email.causes?.[i] ?? '']))
        : email.tags?.invoiceId
          ? { [email.tags.invoiceId]: email.tags.email ?? '' }
          : {},
      to: [...email.to],
      subject: email.subject,
      text: email.text,
      html: email.html,
      links: extractLinks(email.html),
      tags: { ...(email.tags ?? {}) },
      // The files themselves stay in the bucket: the outbox of a long run holds no PDFs.
      attachments: (email.attachments ?? []).map(({ filename, contentType, content, key }) => ({ filename, contentType, size: content.byteLength, url: this.documentUrl(key) })),
      sentAt,
      sentAtRealMs: Date.now(),
    };
    this.outbox.push(entry);
    this.onSent?.(entry);
    return messageId;
  }
}
