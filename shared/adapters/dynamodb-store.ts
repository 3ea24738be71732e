/**
 * InvoiceStore on DynamoDB (layout in ./dynamodb-table). Every write is a single-item conditional write: the local
 * emulator has no transactions, and a conditional put is all the "at most once" guarantees need.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
  type TranslateConfig,
} from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { TooManyRequestsError, ValidationError, VersionConflict } from '../domain/errors';
import { sha256 } from '../domain/hashing';
import { CLOSED_STATUSES, STATUSES, type InvoiceRecord, type InvoiceStatus, type TimelineEntry } from '../domain/invoice';
import type { LinkRecord } from '../domain/link';
import type { ApiKeyRecord, ApiKeySummary, EmailClaim, InvoiceListPage, InvoiceListQuery, InvoiceStore, OpenInvoiceRef, PendingStart, SendSlot, SlotClaim, SlotEmail, SlotOutcome } from '../ports';
import { CUSTOMER_PARTS, PENDING_START_SHARDS, GSI1_NAME, GSI1_PK, GSI1_SK, GSI2_NAME, GSI2_PK, GSI2_PROJECTED, GSI2_SK, KEY_ATTRIBUTES, keys, PK, recordIndexKeys, SK, TTL_ATTRIBUTE } from './dynamodb-table';

type Item = Record<string, unknown>;

/** Hour counters outlive their hour a little, then TTL sweeps them. */
const LINK_COUNTER_TTL_SECONDS = 2 * 24 * 3600;
/** A send slot is only asked about around its instant (and by a retry of its steps): two months is plenty. */
const SEND_SLOT_TTL_SECONDS = 60 * 24 * 3600;
/** A timeline key collision (same instant, same 4 random hex digits) is retried with fresh digits. */
const TIMELINE_PUT_ATTEMPTS = 3;

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

function withoutKeys<T>(item: Item): T {
  const copy = { ...item };
  for (const name of KEY_ATTRIBUTES) delete copy[name];
  return copy as T;
}

/** Normalises to `toISOString()` so that keys sort by time whatever offset the caller wrote. */
function isoInstant(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`Not a timestamp: ${at}`);
  return new Date(ms).toISOString();
}

const TRANSLATE_CONFIG: TranslateConfig = { marshallOptions: { removeUndefinedValues: true } };

export class DynamoDbInvoiceStore implements InvoiceStore {
  private readonly document: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.document = DynamoDBDocumentClient.from(client, TRANSLATE_CONFIG);
  }

  /**
   * lib-dynamodb keeps its marshalling options on the wrapped client's shared config, so another document client
   * built on the same DynamoDBClient silently replaces ours (undefined values then throw). The options are read
   * synchronously when `send` is called, so setting them just before each call is enough.
   */
  private get doc(): DynamoDBDocumentClient {
    this.document.config.translateConfig = TRANSLATE_CONFIG;
    return this.document;
  }

  async getInvoice(invoiceId: string): Promise<InvoiceRecord | undefined> {
    const item = await this.get(keys.invoice(invoiceId));
    return item && withoutKeys<InvoiceRecord>(item);
  }

  async createInvoice(record: InvoiceRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.invoiceItem(record),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putInvoice(record: InvoiceRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.invoiceItem(record),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': record.version - 1 },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflict(`invoice ${record.invoiceId}`);
      throw error;
    }
  }

  async appendTimeline(invoiceId: string, entries: TimelineEntry[]): Promise<void> {
    await Promise.all(entries.map((entry, index) => this.putTimelineEntry(invoiceId, entry, index)));
  }

  async listTimeline(invoiceId: string): Promise<TimelineEntry[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': keys.invoice(invoiceId)[PK], ':prefix': keys.timelinePrefix },
      ScanIndexForward: true,
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<TimelineEntry>(item));
  }

  async claimEmail(invoiceId: string, key: string, at: string, owner?: string): Promise<EmailClaim> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.emailClaim(invoiceId, key), invoiceId, key, claimedAt: at, ...(owner ? { owner } : {}) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return { state: 'claimed' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Taken already: whether its email is known to have left tells a finished attempt from one that stopped midway.
      return (await this.getEmailClaim(invoiceId, key)) ?? { state: 'unconfirmed' };
    }
  }

  async getEmailClaim(invoiceId: string, key: string): Promise<EmailClaim | undefined> {
    const existing = await this.get(keys.emailClaim(invoiceId, key));
    if (!existing) return undefined;
    if (!existing.messageId) return { state: 'unconfirmed', ...(existing.owner ? { owner: String(existing.owner) } : {}) };
    return { state: 'sent', ...(existing.entry ? { entry: existing.entry as TimelineEntry } : {}) };
  }

  async takeOverEmailClaim(invoiceId: string, key: string, from: string, to: string): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.emailClaim(invoiceId, key),
        UpdateExpression: 'SET #owner = :to',
        ConditionExpression: '#owner = :from AND attribute_not_exists(messageId)',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':from': from, ':to': to },
      }),
    );
  }

  async releaseEmailClaim(invoiceId: string, key: string, owner?: string): Promise<void> {
    await this.conditionally(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.emailClaim(invoiceId, key),
        // Never forget a claim whose email is known to have left, nor one somebody else holds now.
        ConditionExpression: `attribute_not_exists(messageId)${owner ? ' AND #owner = :owner' : ''}`,
        ...(owner ? { ExpressionAttributeNames: { '#owner': 'owner' }, ExpressionAttributeValues: { ':owner': owner } } : {}),
      }),
    );
  }

  async recordEmailSent(invoiceId: string, key: string, messageId: string, to: string[] = [], entry?: TimelineEntry, invoiceIds?: string[]): Promise<void> {
    // Wall-clock time: this is bookkeeping on the claim, the timeline entry carries the business time.
    const sentAt = new Date().toISOString();
    // The lookup goes first: once the claim says "sent", a bounce for this message must be able to find it.
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.sesMessage(messageId), messageId, invoiceId, key, to, sentAt, ...(invoiceIds ? { invoiceIds } : {}) },
      }),
    );
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.emailClaim(invoiceId, key),
          UpdateExpression: `SET messageId = :messageId, sentAt = :sentAt, #to = :to${entry ? ', #entry = :entry' : ''}`,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK, '#to': 'to', ...(entry ? { '#entry': 'entry' } : {}) },
          ExpressionAttributeValues: { ':messageId': messageId, ':sentAt': sentAt, ':to': to, ...(entry ? { ':entry': entry } : {}) },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new Error(`Email ${key} of invoice ${invoiceId} was sent without a claim`, { cause: error });
      }
      throw error;
    }
  }

  async findEmailByMessageId(messageId: string): Promise<{ invoiceId: string; key: string; to: string[]; invoiceIds: string[] } | undefined> {
    const item = await this.get(keys.sesMessage(messageId));
    if (!item) return undefined;
    const invoiceId = item.invoiceId as string;
    return { invoiceId, key: item.key as string, to: (item.to as string[] | undefined) ?? [], invoiceIds: (item.invoiceIds as string[] | undefined) ?? [invoiceId] };
  }

  async claimSendSlot(slot: SendSlot, holder: string): Promise<SlotClaim> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          // Wall-clock time: how long a holder has been at it is a lease, not business time.
          Item: { ...keys.sendSlot(slot), holder, heldSinceMs: Date.now(), [TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + SEND_SLOT_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return { state: 'claimed' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.getSendSlot(slot);
    }
  }

  async getSendSlot(slot: SendSlot): Promise<SlotClaim> {
    const item = await this.get(keys.sendSlot(slot));
    if (!item) return { state: 'free' };
    if (item.done) {
      return { state: 'done', emails: (item.emails as SlotEmail[] | undefined) ?? [], ...(item.sent ? { sent: item.sent as NonNullable<SlotOutcome['sent']> } : {}) };
    }
    return { state: 'held', holder: String(item.holder), heldSinceMs: Number(item.heldSinceMs), sending: item.sendingAt !== undefined };
  }

  async adoptSendSlot(slot: SendSlot, from: string, to: string): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sendSlot(slot),
        UpdateExpression: 'SET holder = :to, heldSinceMs = :now',
        ConditionExpression: 'holder = :from AND attribute_not_exists(sendingAt) AND attribute_not_exists(done)',
        ExpressionAttributeValues: { ':from': from, ':to': to, ':now': Date.now() },
      }),
    );
  }

  async markSlotSending(slot: SendSlot, holder: string, emails: SlotEmail[]): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sendSlot(slot),
        UpdateExpression: 'SET sendingAt = :now, emails = :emails',
        ConditionExpression: 'holder = :holder AND attribute_not_exists(done)',
        ExpressionAttributeValues: { ':holder': holder, ':now': Date.now(), ':emails': emails },
      }),
    );
  }

  async finishSendSlot(slot: SendSlot, outcome: SlotOutcome): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sendSlot(slot),
        UpdateExpression: `SET done = :done, emails = :emails${outcome.sent ? ', sent = :sent' : ''}`,
        ExpressionAttributeValues: { ':done': true, ':emails': outcome.emails, ...(outcome.sent ? { ':sent': outcome.sent } : {}) },
      }),
    );
  }

  async releaseSendSlot(slot: SendSlot, holder: string): Promise<void> {
    await this.conditionally(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.sendSlot(slot),
        ConditionExpression: 'holder = :holder AND attribute_not_exists(done)',
        ExpressionAttributeValues: { ':holder': holder },
      }),
    );
  }

  /** Sends a conditional write: false when its condition did not hold. */
  private async conditionally(command: UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.doc.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listOpenInvoices(customerId: string, limit = 500): Promise<OpenInvoiceRef[]> {
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: GSI2_NAME,
        KeyConditionExpression: '#gpk = :customer AND begins_with(#gsk, :open)',
        ExpressionAttributeNames: { '#gpk': GSI2_PK, '#gsk': GSI2_SK },
        ExpressionAttributeValues: { ':customer': keys.customerPartition(customerId), ':open': CUSTOMER_PARTS.open },
        ScanIndexForward: true,
      },
      limit,
    );
    return items.map((item) => Object.fromEntries(GSI2_PROJECTED.filter((name) => item[name] !== undefined).map((name) => [name, item[name]])) as unknown as OpenInvoiceRef);
  }

  async putLink(link: LinkRecord): Promise<void> {
    // Kept in a map: the record's own ISO `expiresAt` must not sit in the table's TTL attribute.
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.link(link.tokenHash), link } }));
  }

  async getLink(tokenHash: string): Promise<LinkRecord | undefined> {
    const item = await this.get(keys.link(tokenHash));
    return item?.link as LinkRecord | undefined;
  }

  async countPageView(invoiceId: string, tokenHash: string, day: string): Promise<number> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.pageViews(invoiceId, day, tokenHash),
        UpdateExpression: 'ADD #views :one',
        ExpressionAttributeNames: { '#views': 'views' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.views ?? 1);
  }

  async countLinkUse(tokenHash: string, at: string, limit: number): Promise<void> {
    const instant = isoInstant(at);
    const hour = instant.slice(0, 13);
    const expiresAt = Math.floor(Date.parse(`${hour}:00:00Z`) / 1000) + LINK_COUNTER_TTL_SECONDS;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.linkUses(tokenHash, hour),
          UpdateExpression: 'SET #ttl = :ttl ADD #uses :one',
          ConditionExpression: 'attribute_not_exists(#uses) OR #uses < :limit',
          ExpressionAttributeNames: { '#uses': 'uses', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': expiresAt },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new TooManyRequestsError('This link has been used too often in the last hour. Please try again later.');
      }
      throw error;
    }
    // The link's lifetime total, for the evidence file; the hour counter above is what enforces the limit.
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.link(tokenHash),
          UpdateExpression: 'SET #link.#uses = #link.#uses + :one',
          ConditionExpression: 'attribute_exists(#link.#uses)',
          ExpressionAttributeNames: { '#link': 'link', '#uses': 'uses' },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const item = (await this.get(keys.apiKey(keyHash))) ?? (await this.get(keys.legacyApiKey(keyHash)));
    return item && withoutKeys<ApiKeyRecord>(item);
  }

  async putApiKey(key: ApiKeyRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...key, ...keys.apiKey(key.keyHash) } }));
  }

  async listApiKeys(): Promise<ApiKeySummary[]> {
    const items = await this.apiKeyItems('');
    return items.map((item) => summaryOf(withoutKeys<ApiKeyRecord>(item))).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The keys' items whose hash begins with `prefix` (all of them for ''). */
  private apiKeyItems(prefix: string): Promise<Item[]> {
    return this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :keys AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':keys': keys.apiKey('')[PK], ':prefix': prefix },
    });
  }

  /** The one key a `keyId` names, or nothing (no such key, or not a keyId). */
  private async apiKeyNamed(keyId: string): Promise<Item | undefined> {
    if (!/^[0-9a-f]{12}$/.test(keyId)) return undefined;
    const [match, ...others] = await this.apiKeyItems(keyId);
    return others.length ? undefined : match;
  }

  async revokeApiKey(keyId: string, at: string): Promise<ApiKeySummary | undefined> {
    const match = await this.apiKeyNamed(keyId);
    if (!match) return undefined;
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.apiKey(String(match.keyHash)),
        // Revoked once: a second revocation keeps the first instant.
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return summaryOf(withoutKeys<ApiKeyRecord>(Attributes!));
  }

  async restoreApiKey(keyId: string, at: string): Promise<void> {
    const match = await this.apiKeyNamed(keyId);
    if (!match) return;
    await this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.apiKey(String(match.keyHash)),
        UpdateExpression: 'REMOVE revokedAt',
        ConditionExpression: 'revokedAt = :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async countByStatus(status: InvoiceStatus): Promise<number> {
    let count = 0;
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1_NAME,
          KeyConditionExpression: '#gpk = :status',
          ExpressionAttributeNames: { '#gpk': GSI1_PK },
          ExpressionAttributeValues: { ':status': status },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async putPendingStart(start: PendingStart): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...start, ...keys.pendingStart(start.invoiceId, start.executionName) } }));
  }

  async getPendingStart(invoiceId: string, executionName: string): Promise<PendingStart | undefined> {
    const item = await this.get(keys.pendingStart(invoiceId, executionName));
    return item ? ({ invoiceId: item.invoiceId, executionName: item.executionName, requestedAt: item.requestedAt } as PendingStart) : undefined;
  }

  async deletePendingStart({ invoiceId, executionName, seen }: Pick<PendingStart, 'invoiceId' | 'executionName'> & { seen?: string }): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.pendingStart(invoiceId, executionName),
          ...(seen ? { ConditionExpression: '#requestedAt = :seen', ExpressionAttributeNames: { '#requestedAt': 'requestedAt' }, ExpressionAttributeValues: { ':seen': seen } } : {}),
        }),
      );
    } catch (error) {
      // Noted again since it was read: the newer request keeps its note.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async touchPendingStart({ invoiceId, executionName }: Pick<PendingStart, 'invoiceId' | 'executionName'>, at: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.pendingStart(invoiceId, executionName),
          UpdateExpression: 'SET #requestedAt = :at',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#requestedAt': 'requestedAt', '#pk': PK },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Each shard is read whole (its notes sort by execution name, not by age): notes live seconds, so a shard holds a
   * handful, and the oldest `limit` of all are only known once every shard's are.
   */
  async listPendingStarts(before: string, limit: number): Promise<PendingStart[]> {
    const shards = await Promise.all(
      Array.from({ length: PENDING_START_SHARDS }, (_, shard) =>
        this.queryAll({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :shard',
          FilterExpression: '#requestedAt < :before',
          ExpressionAttributeNames: { '#pk': PK, '#requestedAt': 'requestedAt' },
          ExpressionAttributeValues: { ':shard': keys.pendingStartShard(shard), ':before': before },
        }),
      ),
    );
    return shards
      .flat()
      .map(({ invoiceId, executionName, requestedAt }) => ({ invoiceId, executionName, requestedAt }) as PendingStart)
      .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))
      .slice(0, limit);
  }

  async listByStatus(status: InvoiceStatus, limit = 100): Promise<InvoiceRecord[]> {
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: GSI1_NAME,
        KeyConditionExpression: '#gpk = :status',
        ExpressionAttributeNames: { '#gpk': GSI1_PK },
        ExpressionAttributeValues: { ':status': status },
        ScanIndexForward: true,
      },
      limit,
    );
    return items.map((item) => withoutKeys<InvoiceRecord>(item));
  }

  async listInvoices(query: InvoiceListQuery): Promise<InvoiceListPage> {
    const parts = listParts(query, this.tableName);
    const invoices: InvoiceRecord[] = [];
    let part = query.after?.part ?? 0;
    let startKey: Record<string, unknown> | undefined = query.after?.key;
    // A filter that matches little must not make one request read a whole year of invoices: past a few reads, the page
    // is answered as it is (short, even empty) with the position to go on from.
    for (let reads = 0; part < parts.length && invoices.length < query.limit && reads < LIST_READS_PER_PAGE; reads++) {
      let page;
      try {
        page = await this.doc.send(new QueryCommand({ ...parts[part]!, ExclusiveStartKey: startKey, Limit: LIST_ITEMS_PER_READ }));
      } catch (error) {
        // A position that does not fit this index (edited by hand, or of other filters) is the caller's mistake.
        if (startKey && (error as { name?: string }).name === 'ValidationException') throw new ValidationError('The cursor is not valid.');
        throw error;
      }
      const items = page.Items ?? [];
      const room = query.limit - invoices.length;
      if (items.length > room) {
        // The page fills within this read: it goes on after the last item kept, which is an exact position.
        const kept = items.slice(0, room);
        invoices.push(...kept.map((item) => withoutKeys<InvoiceRecord>(item)));
        startKey = positionOf(kept.at(-1)!, parts[part]!.IndexName);
        break;
      }
      invoices.push(...items.map((item) => withoutKeys<InvoiceRecord>(item)));
      startKey = page.LastEvaluatedKey;
      if (!startKey) part++;
    }
    // The customer index holds a few attributes: the page's records are read in full.
    const records = parts[0]?.IndexName === GSI2_NAME ? await this.readAll(invoices.map((r) => r.invoiceId)) : invoices;
    const next = part < parts.length ? { part, ...(startKey ? { key: startKey as Record<string, string> } : {}) } : undefined;
    return { invoices: records, ...(next ? { next } : {}) };
  }

  private async readAll(invoiceIds: string[]): Promise<InvoiceRecord[]> {
    const records = await Promise.all(invoiceIds.map((invoiceId) => this.getInvoice(invoiceId)));
    return records.filter((record): record is InvoiceRecord => record !== undefined);
  }

  async getLegacyEvidence(invoiceId: string): Promise<unknown | undefined> {
    const item = await this.get(keys.legacyEvidence(invoiceId));
    return item?.evidence;
  }

  private invoiceItem(record: InvoiceRecord): Item {
    return { ...record, ...keys.invoice(record.invoiceId), ...recordIndexKeys(record) };
  }

  private async get(key: Item): Promise<Item | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return result.Item;
  }

  private async putTimelineEntry(invoiceId: string, entry: TimelineEntry, index: number): Promise<void> {
    const at = isoInstant(entry.at);
    // Two hex digits of position keep one call's same-instant entries in the order given; four random ones keep
    // parallel writers apart. An entry that records an external event takes hex digits of its event id's hash
    // instead (16, so that two events of one invoice in the same second do not meet by chance): the same event
    // delivered again maps to the same key, finds it taken, and adds nothing.
    const position = Math.min(index, 255).toString(16).padStart(2, '0');
    const eventKey = entry.eventId === undefined ? undefined : sha256(entry.eventId).slice(0, 16);
    for (let attempt = 1; ; attempt++) {
      const suffix = eventKey ?? randomBytes(2).toString('hex');
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...entry, ...keys.timeline(invoiceId, at, position + suffix) },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (eventKey) return; // written by an earlier delivery of the same event
        if (attempt >= TIMELINE_PUT_ATTEMPTS) throw error;
      }
    }
  }

  private async queryAll(input: QueryCommandInput, limit = Infinity): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const remaining = limit - items.length;
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          ExclusiveStartKey: startKey,
          ...(Number.isFinite(remaining) ? { Limit: remaining } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items;
  }
}

/** Items a list reads per query, and queries per page: at most 1,000 items read for one page. */
const LIST_ITEMS_PER_READ = 100;
const LIST_READS_PER_PAGE = 10;

/** The position just after `item` in an index: its table keys and the index's keys, as LastEvaluatedKey gives them. */
function positionOf(item: Item, indexName: string | undefined): Record<string, unknown> {
  const names = indexName === GSI2_NAME ? [PK, SK, GSI2_PK, GSI2_SK] : [PK, SK, GSI1_PK, GSI1_SK];
  return Object.fromEntries(names.map((name) => [name, item[name]]));
}

function summaryOf({ keyHash, name, createdAt, revokedAt }: ApiKeyRecord): ApiKeySummary {
  return { keyId: keyHash.slice(0, 12), name, createdAt, ...(revokedAt ? { revokedAt } : {}) };
}

/**
 * The index queries that together list the invoices a query asks for, in the order they are read: a customer's open
 * part then its closed part (by due date), or one status (by next action), or every status one after the other.
 * Due dates bound the customer index's key; on the status index they filter.
 */
function listParts(query: InvoiceListQuery, tableName: string): QueryCommandInput[] {
  const { status, customerId, dueBefore, dueAfter } = query;
  const dueFilter = [dueAfter ? '#due > :after' : '', dueBefore ? '#due < :before' : ''].filter(Boolean);
  const dueValues = { ...(dueAfter ? { ':after': dueAfter } : {}), ...(dueBefore ? { ':before': dueBefore } : {}) };
  if (customerId) {
    const parts = status ? [CLOSED_STATUSES.has(status) ? CUSTOMER_PARTS.closed : CUSTOMER_PARTS.open] : [CUSTOMER_PARTS.open, CUSTOMER_PARTS.closed];
    return parts.map((part) => ({
      TableName: tableName,
      IndexName: GSI2_NAME,
      // Keys are `<part><due date>#<id>`: after the whole day of `dueAfter`, before the first key of `dueBefore`.
      KeyConditionExpression: '#gpk = :customer AND #gsk BETWEEN :low AND :high',
      ...(status ? { FilterExpression: '#status = :status' } : {}),
      ExpressionAttributeNames: { '#gpk': GSI2_PK, '#gsk': GSI2_SK, ...(status ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: {
        ':customer': keys.customerPartition(customerId),
        ':low': `${part}${dueAfter ? `${dueAfter}#\uffff` : ''}`,
        ':high': `${part}${dueBefore ?? '\uffff'}`,
        ...(status ? { ':status': status } : {}),
      },
    }));
  }
  return (status ? [status] : [...STATUSES]).map((one) => ({
    TableName: tableName,
    IndexName: GSI1_NAME,
    KeyConditionExpression: '#gpk = :status',
    ...(dueFilter.length ? { FilterExpression: dueFilter.join(' AND ') } : {}),
    ExpressionAttributeNames: { '#gpk': GSI1_PK, ...(dueFilter.length ? { '#due': 'dueDate' } : {}) },
    ExpressionAttributeValues: { ':status': one, ...dueValues },
  }));
}
