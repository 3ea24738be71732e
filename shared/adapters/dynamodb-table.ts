/**
 * The single-table layout, in one place: the store adapter, the CDK stack's assertions, the local runtime (which
 * creates the table on the emulator) and the tests all read these constants.
 *
 * | item                 | pk                     | sk                                   | notes                                   |
 * |----------------------|------------------------|--------------------------------------|-----------------------------------------|
 * | invoice record       | `INVOICE#<id>`         | `INVOICE`                            | gsi1 for the operator queues, gsi2 for  |
 * |                      |                        |                                      | the customer's invoices                 |
 * | timeline entry       | `INVOICE#<id>`         | `TIMELINE#<at ISO>#<6 or 18 hex>`    | append-only: put if absent (see below)  |
 * | email claim          | `INVOICE#<id>`         | `EMAIL#<key>`                        | put if absent = the right to send once  |
 * | page views of a day  | `INVOICE#<id>`         | `VIEWS#<yyyy-mm-dd>#<tokenHash>`     | a counter: one item per link and day    |
 * | legacy evidence      | `INVOICE#<id>`         | `EVIDENCE`                           | read only: written before 2026-12-01    |
 * | SES message lookup   | `SESMSG#<messageId>`   | `SESMSG`                             | bounce/delivery event → invoice         |
 * | customer link        | `LINK#<tokenHash>`     | `LINK`                               | the record in the `link` map            |
 * | link use counter     | `LINK#<tokenHash>`     | `USES#<yyyy-mm-ddThh>`               | one per hour, expires with `expiresAt`  |
 * | API key              | `APIKEYS`              | `<keyHash>`                          | one partition: listed by operators      |
 * | API key (legacy)     | `APIKEY#<keyHash>`     | `APIKEY`                             | read only: keys made before 2026-12-01  |
 * | send slot            | `CUSTOMER#<id>`        | `SLOT#<kind>#<at>#<email>#<wave>`    | who sends one contact's grouped email   |
 * | pending start        | `STARTS#<0-15>`        | `<executionName>`                    | until the execution or schedule exists  |
 *
 * A timeline key's 6 hex digits are 2 of position in the append call (same-instant entries keep their order) and 4
 * random ones, retried on a collision; an entry that records an external event (`eventId`) has 16 hex digits of
 * sha256(eventId) instead, so a redelivered event finds its entry written and adds nothing.
 *
 * An invoice's record, timeline, claims and page-view counters share a partition, so one Query reads its whole story.
 * The `byStatus` index keys invoices by status and next action time: `gsi1sk` sorts as text, and invoices with no
 * next action sort last (`9999`). Only the invoice record carries gsi1 attributes, so the index holds nothing else.
 * The `byCustomer` index keys invoices by customer, open ones first (`O#`) then closed ones (`C#`), each by due date:
 * a customer's statement and grouped emails read its open part only, never its paid years; the list of a customer's
 * invoices reads both.
 *
 * Pending starts live a few seconds (from registration until the start buffer's consumer has started the execution),
 * spread over 16 partitions by a hash of the invoice id so that a month-end burst of registrations never makes one
 * partition hot; the reconciliation reads the 16 of them.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { CLOSED_STATUSES, type InvoiceStatus } from '../domain/invoice';

export const PK = 'pk';
export const SK = 'sk';
export const GSI1_NAME = 'byStatus';
export const GSI1_PK = 'gsi1pk';
export const GSI1_SK = 'gsi1sk';
export const GSI2_NAME = 'byCustomer';
export const GSI2_PK = 'gsi2pk';
export const GSI2_SK = 'gsi2sk';
/** DynamoDB TTL attribute (epoch seconds); TTL ignores items where it is absent or not a number. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * What the customer index projects besides its keys: enough to tell which invoices plan a step at an instant. Small
 * entries cost one write unit per record write, where the whole record would cost several.
 */
export const GSI2_PROJECTED = ['invoiceId', 'dueDate', 'status', 'nextActionAt'];

/** How many partitions the pending starts are spread over. */
export const PENDING_START_SHARDS = 16;

/** Attributes the layout adds to a stored document; they never leave the adapter. */
export const KEY_ATTRIBUTES = [PK, SK, GSI1_PK, GSI1_SK, GSI2_PK, GSI2_SK] as const;

export const keys = {
  invoice: (invoiceId: string) => ({ [PK]: `INVOICE#${invoiceId}`, [SK]: 'INVOICE' }),
  timelinePrefix: 'TIMELINE#',
  timeline: (invoiceId: string, atIso: string, suffix: string) => ({
    [PK]: `INVOICE#${invoiceId}`,
    [SK]: `TIMELINE#${atIso}#${suffix}`,
  }),
  emailClaim: (invoiceId: string, key: string) => ({ [PK]: `INVOICE#${invoiceId}`, [SK]: `EMAIL#${key}` }),
  legacyEvidence: (invoiceId: string) => ({ [PK]: `INVOICE#${invoiceId}`, [SK]: 'EVIDENCE' }),
  pageViews: (invoiceId: string, day: string, tokenHash: string) => ({ [PK]: `INVOICE#${invoiceId}`, [SK]: `VIEWS#${day}#${tokenHash}` }),
  sesMessage: (messageId: string) => ({ [PK]: `SESMSG#${messageId}`, [SK]: 'SESMSG' }),
  link: (tokenHash: string) => ({ [PK]: `LINK#${tokenHash}`, [SK]: 'LINK' }),
  /** `hour` is `yyyy-mm-ddThh` in UTC. */
  linkUses: (tokenHash: string, hour: string) => ({ [PK]: `LINK#${tokenHash}`, [SK]: `USES#${hour}` }),
  /** All API keys in one partition, so that they can be listed (few, read once per authorizer cache miss). */
  apiKey: (keyHash: string) => ({ [PK]: 'APIKEYS', [SK]: keyHash }),
  /** Where keys created before 2026-12-01 are: read, never written (they are listed once written again). */
  legacyApiKey: (keyHash: string) => ({ [PK]: `APIKEY#${keyHash}`, [SK]: 'APIKEY' }),
  customerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  pendingStart: (invoiceId: string, executionName: string) => ({
    [PK]: `STARTS#${parseInt(createHash('sha256').update(invoiceId).digest('hex').slice(0, 2), 16) % PENDING_START_SHARDS}`,
    [SK]: executionName,
  }),
  pendingStartShard: (shard: number) => `STARTS#${shard}`,
  sendSlot: (slot: { customerId: string; kind: string; at: string; contact: string; wave: number }) => ({
    [PK]: `CUSTOMER#${slot.customerId}`,
    [SK]: `SLOT#${slot.kind}#${slot.at}#${slot.contact.toLowerCase()}#${slot.wave}`,
  }),
};

/** The operator-queue index keys of an invoice record. */
export function statusIndexKeys(record: { status: string; nextActionAt?: string; invoiceId: string }) {
  return { [GSI1_PK]: record.status, [GSI1_SK]: `${record.nextActionAt ?? '9999'}#${record.invoiceId}` };
}

/** The two parts of a customer's index: its open invoices, then its closed ones. */
export const CUSTOMER_PARTS = { open: 'O#', closed: 'C#' } as const;

/** The customer index keys of an invoice record: in its customer's open or closed part, by due date. */
export function customerIndexKeys(record: { status: string; dueDate: string; invoiceId: string; customer: { id: string } }) {
  const part = CLOSED_STATUSES.has(record.status as InvoiceStatus) ? CUSTOMER_PARTS.closed : CUSTOMER_PARTS.open;
  return { [GSI2_PK]: keys.customerPartition(record.customer.id), [GSI2_SK]: `${part}${record.dueDate}#${record.invoiceId}` };
}

/** Every index attribute an invoice record carries. */
export function recordIndexKeys(record: Parameters<typeof customerIndexKeys>[0] & { nextActionAt?: string }) {
  return { ...statusIndexKeys(record), ...customerIndexKeys(record) };
}

export function tableCreateInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PK, AttributeType: 'S' },
      { AttributeName: SK, AttributeType: 'S' },
      { AttributeName: GSI1_PK, AttributeType: 'S' },
      { AttributeName: GSI1_SK, AttributeType: 'S' },
      { AttributeName: GSI2_PK, AttributeType: 'S' },
      { AttributeName: GSI2_SK, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PK, KeyType: 'HASH' },
      { AttributeName: SK, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1_NAME,
        KeySchema: [
          { AttributeName: GSI1_PK, KeyType: 'HASH' },
          { AttributeName: GSI1_SK, KeyType: 'RANGE' },
        ],
        // The queue shows whole records; projecting everything saves a read per row.
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: GSI2_NAME,
        KeySchema: [
          { AttributeName: GSI2_PK, KeyType: 'HASH' },
          { AttributeName: GSI2_SK, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: GSI2_PROJECTED },
      },
    ],
  };
}

