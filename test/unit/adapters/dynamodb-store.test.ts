import { GetCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInvoiceStore } from '../../../shared/adapters/dynamodb-store';
import { keys } from '../../../shared/adapters/dynamodb-table';
import { backfillCustomerIndex } from '../../../shared/adapters/customer-index-backfill';
import { migrateLegacyApiKeys } from '../../../shared/adapters/legacy-api-keys';
import { TooManyRequestsError, ValidationError, VersionConflict } from '../../../shared/domain/errors';
import { sha256 } from '../../../shared/domain/hashing';
import type { InvoiceRecord, TimelineEntry } from '../../../shared/domain/invoice';
import type { LinkRecord } from '../../../shared/domain/link';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { invoiceRecord } from '../../support/fixtures';

let dynamo: LocalDynamo;
let store: DynamoDbInvoiceStore;
let counter = 0;
/** Each test works on its own invoice id, so tests share one emulator without seeing each other's items. */
const freshId = () => `F-2027-${String(++counter).padStart(4, '0')}`;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('DynamoDbInvoiceStore: invoice records', () => {
  it('creates once and reads back the record without key attributes', async () => {
    const record = invoiceRecord({ invoiceId: freshId() });
    expect(await store.createInvoice(record)).toBe(true);
    expect(await store.createInvoice({ ...record, status: 'paid' })).toBe(false);
    expect(await store.getInvoice(record.invoiceId)).toEqual(record);
  });

  it('returns undefined for an unknown invoice', async () => {
    expect(await store.getInvoice('F-NOPE')).toBeUndefined();
  });

  it('writes the operator-queue keys next to the record', async () => {
    const record = invoiceRecord({ invoiceId: freshId() });
    await store.createInvoice(record);
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Item } = await doc.send(new GetCommand({ TableName: dynamo.tableName, Key: keys.invoice(record.invoiceId) }));
    expect(Item).toMatchObject({
      pk: `INVOICE#${record.invoiceId}`,
      sk: 'INVOICE',
      gsi1pk: 'scheduled',
      gsi1sk: `2027-03-19T08:00:00.000Z#${record.invoiceId}`,
    });
  });

  it('replaces the record when the version read is still current', async () => {
    const record = invoiceRecord({ invoiceId: freshId() });
    await store.createInvoice(record);
    const next = { ...record, status: 'awaiting_reply' as const, version: 2 };
    await store.putInvoice(next);
    expect(await store.getInvoice(record.invoiceId)).toEqual(next);
  });

  it('rejects a write from a stale read with VersionConflict and changes nothing', async () => {
    const record = invoiceRecord({ invoiceId: freshId() });
    await store.createInvoice(record);
    const current = { ...record, status: 'awaiting_reply' as const, version: 2 };
    await store.putInvoice(current);

    // Another writer still holds version 1 and bumps it to 2.
    const stale = { ...record, status: 'paid' as const, version: 2 };
    await expect(store.putInvoice(stale)).rejects.toBeInstanceOf(VersionConflict);
    expect(await store.getInvoice(record.invoiceId)).toEqual(current);
  });

  it('rejects putInvoice on a record that does not exist', async () => {
    await expect(store.putInvoice(invoiceRecord({ invoiceId: freshId(), version: 2 }))).rejects.toBeInstanceOf(
      VersionConflict,
    );
  });

  it('lets exactly one of two concurrent writers from the same read win', async () => {
    const record = invoiceRecord({ invoiceId: freshId() });
    await store.createInvoice(record);
    const read = (await store.getInvoice(record.invoiceId))!;
    const results = await Promise.allSettled([
      store.putInvoice({ ...read, status: 'paid', version: read.version + 1 }),
      store.putInvoice({ ...read, status: 'cancelled', version: read.version + 1 }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(VersionConflict);
    const stored = await store.getInvoice(record.invoiceId);
    expect(stored?.version).toBe(2);
    expect(['paid', 'cancelled']).toContain(stored?.status);
  });
});

describe('DynamoDbInvoiceStore: timeline', () => {
  it('appends entries, never overwrites, and lists them in time order', async () => {
    const invoiceId = freshId();
    await store.appendTimeline(invoiceId, [
      { type: 'email_sent', at: '2027-03-19T08:00:01.000Z', key: 'pre_reminder', messageId: 'm-1' },
      { type: 'registered', at: '2027-02-01T10:15:00.000Z' },
    ]);
    // Same instant twice, in parallel writes: both kept, in the order given.
    await store.appendTimeline(invoiceId, [
      { type: 'page_viewed', at: '2027-03-20T14:02:00.000Z' },
      { type: 'promise', at: '2027-03-20T14:02:00.000Z', date: '2027-03-31', method: 'transfer' },
    ]);
    // An offset timestamp sorts by its instant.
    await store.appendTimeline(invoiceId, [{ type: 'payment', at: '2027-03-31T11:30:00+02:00', amount: 123456 }]);

    const timeline = await store.listTimeline(invoiceId);
    expect(timeline.map((e) => e.type)).toEqual(['registered', 'email_sent', 'page_viewed', 'promise', 'payment']);
    expect(timeline[1]).toEqual({ type: 'email_sent', at: '2027-03-19T08:00:01.000Z', key: 'pre_reminder', messageId: 'm-1' });
    expect(timeline[4].at).toBe('2027-03-31T11:30:00+02:00');
    expect(Object.keys(timeline[0])).not.toContain('pk');
  });

  it('keeps the invoice record and other items out of the timeline', async () => {
    const record = invoiceRecord({ invoiceId: freshId() });
    await store.createInvoice(record);
    await store.claimEmail(record.invoiceId, 'pre_reminder', '2027-03-19T08:00:00.000Z');
    await store.countPageView(record.invoiceId, 'hash', '2027-03-19');
    await store.appendTimeline(record.invoiceId, [{ type: 'registered', at: record.createdAt }]);
    expect(await store.listTimeline(record.invoiceId)).toEqual([{ type: 'registered', at: record.createdAt }]);
  });

  it('writes an entry that records an event once, however often and however concurrently it is appended', async () => {
    const invoiceId = freshId();
    const delivered: TimelineEntry = { type: 'email_delivered', at: '2027-03-19T08:00:09Z', to: ['compta@boulangerie-martin.fr'], eventId: 'evt-1' };
    await store.appendTimeline(invoiceId, [delivered]);
    await store.appendTimeline(invoiceId, [{ ...delivered }]);
    await Promise.all([store.appendTimeline(invoiceId, [delivered]), store.appendTimeline(invoiceId, [delivered])]);

    expect(await store.listTimeline(invoiceId)).toEqual([delivered]);
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: dynamo.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `INVOICE#${invoiceId}`, ':prefix': 'TIMELINE#' },
      }),
    );
    // Position 00, then four hex digits of the event id's hash instead of random ones.
    expect(Items?.map((item) => item.sk)).toEqual([`TIMELINE#2027-03-19T08:00:09.000Z#00${sha256('evt-1').slice(0, 16)}`]);
  });

  it('keeps entries of different events at the same instant apart', async () => {
    const invoiceId = freshId();
    const at = '2027-03-19T08:00:09.000Z';
    await store.appendTimeline(invoiceId, [{ type: 'email_bounced', at, to: 'a@example.fr', eventId: 'evt-2:a@example.fr' }]);
    await store.appendTimeline(invoiceId, [{ type: 'email_bounced', at, to: 'b@example.fr', eventId: 'evt-2:b@example.fr' }]);
    expect((await store.listTimeline(invoiceId)).map((e) => e.to).sort()).toEqual(['a@example.fr', 'b@example.fr']);
  });

  it('keeps every entry without an event id, even the same entry twice at the same instant', async () => {
    const invoiceId = freshId();
    const viewed: TimelineEntry = { type: 'page_viewed', at: '2027-03-20T14:02:00.000Z', contact: 'compta@boulangerie-martin.fr' };
    await store.appendTimeline(invoiceId, [viewed]);
    await store.appendTimeline(invoiceId, [viewed]);
    expect(await store.listTimeline(invoiceId)).toEqual([viewed, viewed]);
  });

  it('pages through long timelines', async () => {
    const invoiceId = freshId();
    // ~3 KB per entry: 500 entries exceed the 1 MB page of a Query.
    const padding = 'x'.repeat(3000);
    const entries: TimelineEntry[] = Array.from({ length: 500 }, (_, i) => ({
      type: 'page_viewed',
      at: new Date(Date.UTC(2027, 2, 20, 0, 0, i)).toISOString(),
      i,
      padding,
    }));
    for (let i = 0; i < entries.length; i += 50) await store.appendTimeline(invoiceId, entries.slice(i, i + 50));
    const timeline = await store.listTimeline(invoiceId);
    expect(timeline.map((e) => e.i)).toEqual(entries.map((e) => e.i));
  });
});

describe('DynamoDbInvoiceStore: emails', () => {
  it('grants an email claim to exactly one of concurrent claimers', async () => {
    const invoiceId = freshId();
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => store.claimEmail(invoiceId, 'pre_reminder', '2027-03-19T08:00:00.000Z')),
    );
    expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
    // The winner has not sent yet: to the others the claim is unconfirmed.
    expect(claims.filter((c) => c.state === 'unconfirmed')).toHaveLength(4);
    expect(await store.claimEmail(invoiceId, 'reminder_1', '2027-04-01T07:00:00.000Z')).toEqual({ state: 'claimed' });
  });

  it('gives back a claim whose email did not leave, so that it can be claimed again', async () => {
    const invoiceId = freshId();
    await store.claimEmail(invoiceId, 'reminder_1', '2027-04-01T07:00:00.000Z');
    await store.releaseEmailClaim(invoiceId, 'reminder_1');
    expect(await store.claimEmail(invoiceId, 'reminder_1', '2027-04-01T07:00:05.000Z')).toEqual({ state: 'claimed' });
  });

  it('keeps the claim of an email that left, even when asked to release it, with its timeline entry for a retry', async () => {
    const invoiceId = freshId();
    const entry = { type: 'email_sent' as const, at: '2027-04-01T07:00:01.000Z', to: 'compta@boulangerie-martin.fr', eventId: 'email:reminder_1' };
    await store.claimEmail(invoiceId, 'reminder_1', '2027-04-01T07:00:00.000Z');
    await store.recordEmailSent(invoiceId, 'reminder_1', 'ses-sent-1', ['compta@boulangerie-martin.fr'], entry);
    await store.releaseEmailClaim(invoiceId, 'reminder_1');
    expect(await store.claimEmail(invoiceId, 'reminder_1', '2027-04-01T07:00:05.000Z')).toEqual({ state: 'sent', entry });
  });

  it('tells a claim whose sender stopped before SES answered from one whose email left', async () => {
    const invoiceId = freshId();
    await store.claimEmail(invoiceId, 'reminder_2', '2027-04-01T07:00:00.000Z');
    expect(await store.claimEmail(invoiceId, 'reminder_2', '2027-04-01T07:05:00.000Z')).toEqual({ state: 'unconfirmed' });
    await store.recordEmailSent(invoiceId, 'reminder_2', 'ses-sent-2');
    expect(await store.claimEmail(invoiceId, 'reminder_2', '2027-04-01T07:06:00.000Z')).toEqual({ state: 'sent' });
  });

  it('finds the invoice, key and recipients of a sent message by its SES message id', async () => {
    const invoiceId = freshId();
    await store.claimEmail(invoiceId, 'pre_reminder', '2027-03-19T08:00:00.000Z');
    await store.recordEmailSent(invoiceId, 'pre_reminder', 'ses-0102-abc', ['compta@boulangerie-martin.fr']);
    expect(await store.findEmailByMessageId('ses-0102-abc')).toEqual({
      invoiceId,
      key: 'pre_reminder',
      to: ['compta@boulangerie-martin.fr'],
      invoiceIds: [invoiceId],
    });
    expect(await store.findEmailByMessageId('ses-unknown')).toBeUndefined();

    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.emailClaim(invoiceId, 'pre_reminder') }),
    );
    expect(Item).toMatchObject({ messageId: 'ses-0102-abc', claimedAt: '2027-03-19T08:00:00.000Z' });
    expect(typeof Item?.sentAt).toBe('string');
  });

  it('defaults the recipients to an empty list', async () => {
    const invoiceId = freshId();
    await store.claimEmail(invoiceId, 'pre_reminder', '2027-03-19T08:00:00.000Z');
    await store.recordEmailSent(invoiceId, 'pre_reminder', 'ses-no-to');
    expect(await store.findEmailByMessageId('ses-no-to')).toEqual({ invoiceId, key: 'pre_reminder', to: [], invoiceIds: [invoiceId] });
  });

  it('finds every invoice a grouped email covered by its message id', async () => {
    const [first, second] = [freshId(), freshId()];
    for (const invoiceId of [first, second]) {
      await store.claimEmail(invoiceId, 'pre_reminder', '2027-03-19T08:00:00.000Z');
      await store.recordEmailSent(invoiceId, 'pre_reminder', 'ses-grouped', ['ap@client.example'], undefined, [first, second]);
    }
    expect((await store.findEmailByMessageId('ses-grouped'))?.invoiceIds).toEqual([first, second]);
  });

  it('refuses to record an email that was never claimed', async () => {
    await expect(store.recordEmailSent(freshId(), 'pre_reminder', 'ses-orphan')).rejects.toThrow(/without a claim/);
  });
});

describe('DynamoDbInvoiceStore: page views', () => {
  it('counts the views of one link per day, apart from other links and other days', async () => {
    const invoiceId = freshId();
    const counts = await Promise.all(Array.from({ length: 5 }, () => store.countPageView(invoiceId, 'hash-a', '2027-03-19')));
    expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await store.countPageView(invoiceId, 'hash-b', '2027-03-19')).toBe(1);
    expect(await store.countPageView(invoiceId, 'hash-a', '2027-03-20')).toBe(1);
  });
});

describe('DynamoDbInvoiceStore: links and API keys', () => {
  const link = (tokenHash: string): LinkRecord => ({
    tokenHash,
    invoiceId: 'F-2027-0042',
    contactEmail: 'compta@boulangerie-martin.fr',
    language: 'fr',
    allowedActions: ['promise', 'dispute', 'question'],
    createdAt: '2027-03-19T08:00:00.000Z',
    expiresAt: '2027-07-29T22:00:00.000Z',
    uses: 0,
  });

  it('stores and reads a link record', async () => {
    await store.putLink(link('a'.repeat(64)));
    expect(await store.getLink('a'.repeat(64))).toEqual(link('a'.repeat(64)));
    expect(await store.getLink('b'.repeat(64))).toBeUndefined();
  });

  it('counts uses per hour and refuses the one past the limit', async () => {
    const hash = 'c'.repeat(64);
    await store.putLink(link(hash));
    for (let i = 0; i < 3; i++) await store.countLinkUse(hash, `2027-03-20T14:0${i}:00.000Z`, 3);
    await expect(store.countLinkUse(hash, '2027-03-20T14:59:59.000Z', 3)).rejects.toBeInstanceOf(TooManyRequestsError);
    // A new hour starts a new counter.
    await store.countLinkUse(hash, '2027-03-20T15:00:00.000Z', 3);
    // The refused use is not counted in the link's total.
    expect((await store.getLink(hash))?.uses).toBe(4);
  });

  it('sets an expiry on hour counters', async () => {
    const hash = 'd'.repeat(64);
    await store.countLinkUse(hash, '2027-03-20T14:10:00.000Z', 5);
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.linkUses(hash, '2027-03-20T14') }),
    );
    expect(Item?.uses).toBe(1);
    expect(Item?.expiresAt).toBe(Date.UTC(2027, 2, 20, 14) / 1000 + 2 * 24 * 3600);
    // Counting a link that has no record does not create one.
    expect(await store.getLink(hash)).toBeUndefined();
  });

  it('stores and reads an API key', async () => {
    const key = { keyHash: 'e'.repeat(64), name: 'ERP production', createdAt: '2027-01-05T09:00:00.000Z' };
    await store.putApiKey(key);
    expect(await store.getApiKey(key.keyHash)).toEqual(key);
    expect(await store.getApiKey('f'.repeat(64))).toBeUndefined();
  });
});

describe('DynamoDbInvoiceStore: operator queues and evidence', () => {
  it('lists invoices of a status, soonest next action first, those without one last', async () => {
    const status = 'disputed' as const;
    const late = invoiceRecord({ invoiceId: freshId(), status, nextActionAt: '2027-05-02T07:00:00.000Z' });
    const none = invoiceRecord({ invoiceId: freshId(), status, nextActionAt: undefined });
    const soon = invoiceRecord({ invoiceId: freshId(), status, nextActionAt: '2027-04-10T07:00:00.000Z' });
    const other = invoiceRecord({ invoiceId: freshId(), status: 'promised', nextActionAt: '2027-04-01T07:00:00.000Z' });
    await Promise.all([late, none, soon, other].map((r) => store.createInvoice(r)));

    const listed = await store.listByStatus(status);
    expect(listed.map((r) => r.invoiceId)).toEqual([soon.invoiceId, late.invoiceId, none.invoiceId]);
    expect(listed[0]).toEqual(soon);
    expect(listed[2]).not.toHaveProperty('nextActionAt');
    expect((await store.listByStatus(status, 2)).map((r) => r.invoiceId)).toEqual([soon.invoiceId, late.invoiceId]);
  });

  it('moves an invoice between queues when its status changes', async () => {
    const record = invoiceRecord({ invoiceId: freshId(), status: 'overdue' });
    await store.createInvoice(record);
    await store.putInvoice({ ...record, status: 'handed_off', nextActionAt: undefined, version: 2 });
    expect((await store.listByStatus('overdue')).map((r) => r.invoiceId)).not.toContain(record.invoiceId);
    expect((await store.listByStatus('handed_off')).map((r) => r.invoiceId)).toContain(record.invoiceId);
  });

  it('keeps its marshalling options when another document client wraps the same DynamoDBClient', async () => {
    // lib-dynamodb stores options on the shared client config; this one would turn removeUndefinedValues off.
    DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: false } });
    const record = invoiceRecord({ invoiceId: freshId(), promise: { date: '2027-04-02', method: undefined, afterDueDate: true, at: '2027-03-20T10:00:00.000Z', source: 'customer' } });
    await store.createInvoice(record);
    expect((await store.getInvoice(record.invoiceId))?.promise).toEqual({ date: '2027-04-02', afterDueDate: true, at: '2027-03-20T10:00:00.000Z', source: 'customer' });
  });
});

describe('DynamoDbInvoiceStore: the customer index and send slots', () => {
  const customerOf = (id: string) => ({ ...invoiceRecord().customer, id });

  it("lists a customer's open invoices by due date, and no other customer's", async () => {
    const customer = customerOf(`C-${freshId()}`);
    const later = invoiceRecord({ invoiceId: freshId(), dueDate: '2027-05-01', customer });
    const sooner = invoiceRecord({ invoiceId: freshId(), dueDate: '2027-04-01', customer });
    const other = invoiceRecord({ invoiceId: freshId(), customer: customerOf(`C-${freshId()}`) });
    for (const record of [later, sooner, other]) await store.createInvoice(record);
    expect((await store.listOpenInvoices(customer.id)).map((r) => r.invoiceId)).toEqual([sooner.invoiceId, later.invoiceId]);
    // The index holds what tells which invoices plan a step when; the record itself is read for the rest.
    expect(await store.listOpenInvoices(customer.id)).toContainEqual({ invoiceId: sooner.invoiceId, dueDate: '2027-04-01', status: 'scheduled', nextActionAt: sooner.nextActionAt });
  });

  it("moves an invoice out of the customer's open invoices once it is paid, cancelled or handed off", async () => {
    const customer = customerOf(`C-${freshId()}`);
    const records = ['paid', 'cancelled', 'handed_off', 'overdue'].map((status) => ({ status, record: invoiceRecord({ invoiceId: freshId(), customer }) }));
    for (const { record } of records) await store.createInvoice(record);
    for (const { status, record } of records) await store.putInvoice({ ...record, status: status as typeof record.status, version: record.version + 1 });
    expect((await store.listOpenInvoices(customer.id)).map((r) => r.invoiceId)).toEqual([records[3]!.record.invoiceId]);
  });

  const slot = () => ({ customerId: `C-${freshId()}`, kind: 'pre_reminder', at: '2027-03-19T08:00:00.000Z', contact: 'AP@Client.example', wave: 1 });

  it('lets only the first claimant hold a send slot, and tells the others who holds it since when', async () => {
    const s = slot();
    const before = Date.now();
    expect(await store.claimSendSlot(s, 'exec-a')).toEqual({ state: 'claimed' });
    const second = await store.claimSendSlot(s, 'exec-b');
    expect(second).toMatchObject({ state: 'held', holder: 'exec-a', sending: false });
    expect(second.state === 'held' && second.heldSinceMs).toBeGreaterThanOrEqual(before);
    // The address is one contact whatever its case.
    expect(await store.claimSendSlot({ ...s, contact: 'ap@client.example' }, 'exec-c')).toMatchObject({ state: 'held', holder: 'exec-a' });
    expect(await store.claimSendSlot({ ...s, wave: 2 }, 'exec-b')).toEqual({ state: 'claimed' });
  });

  it("answers a finished slot with the invoices' emails it carried and the email as it left", async () => {
    const s = slot();
    await store.claimSendSlot(s, 'exec-a');
    const emails = [{ invoiceId: 'F-1', key: 'pre_reminder@2027-03-31:ap@client.example' }, { invoiceId: 'F-2', key: 'pre_reminder@2027-03-30:AP@client.example' }];
    const sent = { messageId: 'ses-1', at: '2027-03-19T08:00:00.000Z', subject: '2 factures', to: ['ap@client.example'] };
    await store.finishSendSlot(s, { emails, sent });
    expect(await store.claimSendSlot(s, 'exec-b')).toEqual({ state: 'done', emails, sent });
    expect(await store.getSendSlot(s)).toEqual({ state: 'done', emails, sent });
  });

  it('fences the send: only the holder stamps it, and a stamped slot can no longer be adopted', async () => {
    const s = slot();
    await store.claimSendSlot(s, 'exec-a');
    expect(await store.markSlotSending(s, 'exec-b', [])).toBe(false);
    expect(await store.adoptSendSlot(s, 'exec-a', 'exec-b')).toBe(true);
    // The first holder, adopted away, cannot reach SES any more; the adopter can.
    expect(await store.markSlotSending(s, 'exec-a', [])).toBe(false);
    expect(await store.markSlotSending(s, 'exec-b', [{ invoiceId: 'F-1', key: 'k' }])).toBe(true);
    expect(await store.getSendSlot(s)).toMatchObject({ state: 'held', holder: 'exec-b', sending: true });
    expect(await store.adoptSendSlot(s, 'exec-b', 'exec-c')).toBe(false);
  });

  it('gives a slot back only for its holder and never once it is done', async () => {
    const s = slot();
    await store.claimSendSlot(s, 'exec-a');
    await store.releaseSendSlot(s, 'exec-b');
    expect(await store.getSendSlot(s)).toMatchObject({ state: 'held', holder: 'exec-a' });
    await store.releaseSendSlot(s, 'exec-a');
    expect(await store.getSendSlot(s)).toEqual({ state: 'free' });
    await store.claimSendSlot(s, 'exec-b');
    await store.finishSendSlot(s, { emails: [{ invoiceId: 'F-1', key: 'k' }] });
    await store.releaseSendSlot(s, 'exec-b');
    expect(await store.getSendSlot(s)).toEqual({ state: 'done', emails: [{ invoiceId: 'F-1', key: 'k' }] });
  });

  it("hands an unsent claim from a dead owner to its successor, and gives back only the owner's", async () => {
    const invoiceId = freshId();
    await store.claimEmail(invoiceId, 'k', '2027-03-19T08:00:00.000Z', 'exec-a');
    expect(await store.getEmailClaim(invoiceId, 'k')).toEqual({ state: 'unconfirmed', owner: 'exec-a' });
    expect(await store.takeOverEmailClaim(invoiceId, 'k', 'exec-x', 'exec-b')).toBe(false);
    expect(await store.takeOverEmailClaim(invoiceId, 'k', 'exec-a', 'exec-b')).toBe(true);
    await store.releaseEmailClaim(invoiceId, 'k', 'exec-a');
    expect(await store.getEmailClaim(invoiceId, 'k')).toEqual({ state: 'unconfirmed', owner: 'exec-b' });
    await store.recordEmailSent(invoiceId, 'k', 'ses-k');
    expect(await store.takeOverEmailClaim(invoiceId, 'k', 'exec-b', 'exec-c')).toBe(false);
    await store.releaseEmailClaim(invoiceId, 'k', 'exec-b');
    expect(await store.getEmailClaim(invoiceId, 'k')).toEqual({ state: 'sent' });
  });
});

describe('backfillCustomerIndex', () => {
  it('indexes invoices written before the customer index, the open ones where statements read them', async () => {
    const customer = { ...invoiceRecord().customer, id: `C-${freshId()}` };
    const open = invoiceRecord({ invoiceId: freshId(), customer });
    const paid = invoiceRecord({ invoiceId: freshId(), customer, status: 'paid', phase: 'closed' });
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    // As a version without the index wrote them: the record and its status keys only.
    for (const record of [open, paid]) {
      await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { ...record, ...keys.invoice(record.invoiceId), gsi1pk: record.status, gsi1sk: `9999#${record.invoiceId}` } }));
    }
    expect(await store.listOpenInvoices(customer.id)).toEqual([]);

    const first = await backfillCustomerIndex(dynamo.client, dynamo.tableName);
    expect(first.updated).toBeGreaterThanOrEqual(1);
    expect((await store.listOpenInvoices(customer.id)).map((r) => r.invoiceId)).toEqual([open.invoiceId]);
    // Again: nothing left to do for these two.
    const again = await backfillCustomerIndex(dynamo.client, dynamo.tableName);
    expect(again.updated).toBe(0);
  });
});

describe('DynamoDbInvoiceStore: listInvoices', () => {
  /** Every page of a list, following the store's positions. */
  async function allPages(query: Omit<Parameters<typeof store.listInvoices>[0], 'after'>) {
    const pages: string[][] = [];
    let after: Parameters<typeof store.listInvoices>[0]['after'];
    do {
      const page = await store.listInvoices({ ...query, ...(after ? { after } : {}) });
      pages.push(page.invoices.map((r) => r.invoiceId));
      after = page.next;
    } while (after && pages.length < 50);
    return pages;
  }

  async function customerWithInvoices() {
    const customer = { ...invoiceRecord().customer, id: `C-${freshId()}` };
    const make = (dueDate: string, status: InvoiceRecord['status']) => invoiceRecord({ invoiceId: freshId(), customer, dueDate, status, phase: status === 'paid' ? 'closed' : 'awaiting_reply' });
    const records = [make('2027-04-01', 'awaiting_reply'), make('2027-03-01', 'overdue'), make('2027-02-01', 'paid'), make('2027-05-01', 'promised'), make('2027-03-15', 'paid')];
    for (const record of records) await store.createInvoice(record);
    return { customer, records };
  }

  it("pages through a customer's invoices, open ones by due date then closed ones, each once", async () => {
    const { customer, records } = await customerWithInvoices();
    const pages = await allPages({ customerId: customer.id, limit: 2 });
    expect(pages.flat()).toEqual([records[1], records[0], records[3], records[2], records[4]].map((r) => r!.invoiceId));
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    // Records come whole, not as the index holds them.
    expect((await store.listInvoices({ customerId: customer.id, limit: 1 })).invoices[0]).toEqual(records[1]);
  });

  it("filters a customer's invoices by status and by strict due-date bounds", async () => {
    const { customer, records } = await customerWithInvoices();
    expect((await allPages({ customerId: customer.id, status: 'paid', limit: 10 })).flat()).toEqual([records[2]!.invoiceId, records[4]!.invoiceId]);
    expect((await allPages({ customerId: customer.id, dueAfter: '2027-03-01', dueBefore: '2027-05-01', limit: 10 })).flat()).toEqual([records[0]!.invoiceId, records[4]!.invoiceId]);
  });

  it('lists by status from the status index, due dates filtering, and every status when none is asked', async () => {
    const { records } = await customerWithInvoices();
    const ids = new Set(records.map((r) => r.invoiceId));
    const ours = (pages: string[][]) => pages.flat().filter((id) => ids.has(id));
    expect(ours(await allPages({ status: 'paid', limit: 3 })).sort()).toEqual([records[2]!.invoiceId, records[4]!.invoiceId].sort());
    expect(ours(await allPages({ status: 'paid', dueAfter: '2027-03-01', limit: 3 }))).toEqual([records[4]!.invoiceId]);
    const every = await allPages({ limit: 7 });
    expect(ours(every).sort()).toEqual([...ids].sort());
    expect(new Set(every.flat()).size).toBe(every.flat().length);
  });

  it('counts the invoices of a status without reading them out', async () => {
    const before = await store.countByStatus('disputed');
    for (let i = 0; i < 3; i++) await store.createInvoice(invoiceRecord({ invoiceId: freshId(), status: 'disputed', phase: 'disputed' }));
    expect(await store.countByStatus('disputed')).toBe(before + 3);
  });

  it('refuses a position that does not fit the index as the caller\'s mistake', async () => {
    await expect(store.listInvoices({ status: 'paid', limit: 2, after: { part: 0, key: { pk: 'x' } } })).rejects.toThrow(ValidationError);
  });
});

describe('DynamoDbInvoiceStore: API keys', () => {
  it('lists keys by id and name only, oldest first, and revokes one once, keeping the first instant', async () => {
    const hash = (n: number) => sha256(`key-${n}-${freshId()}`);
    const [a, b] = [hash(1), hash(2)];
    await store.putApiKey({ keyHash: b, name: 'erp', createdAt: '2027-01-02T00:00:00.000Z' });
    await store.putApiKey({ keyHash: a, name: 'crm', createdAt: '2027-01-01T00:00:00.000Z' });
    const listed = (await store.listApiKeys()).filter((k) => [a, b].some((h) => h.startsWith(k.keyId)));
    expect(listed).toEqual([
      { keyId: a.slice(0, 12), name: 'crm', createdAt: '2027-01-01T00:00:00.000Z' },
      { keyId: b.slice(0, 12), name: 'erp', createdAt: '2027-01-02T00:00:00.000Z' },
    ]);
    expect(JSON.stringify(listed)).not.toContain(a);

    expect(await store.revokeApiKey(a.slice(0, 12), '2027-02-01T00:00:00.000Z')).toMatchObject({ revokedAt: '2027-02-01T00:00:00.000Z' });
    expect(await store.revokeApiKey(a.slice(0, 12), '2027-03-01T00:00:00.000Z')).toMatchObject({ revokedAt: '2027-02-01T00:00:00.000Z' });
    expect(await store.getApiKey(a)).toMatchObject({ name: 'crm', revokedAt: '2027-02-01T00:00:00.000Z' });
    expect(await store.revokeApiKey('ffffffffffff', '2027-02-01T00:00:00.000Z')).toBeUndefined();
  });

  it('still finds a key stored where versions before 2026-12-01 put it', async () => {
    const keyHash = sha256(`legacy-${freshId()}`);
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { ...keys.legacyApiKey(keyHash), keyHash, name: 'old', createdAt: '2026-01-01T00:00:00.000Z' } }));
    expect(await store.getApiKey(keyHash)).toEqual({ keyHash, name: 'old', createdAt: '2026-01-01T00:00:00.000Z' });

    // Once moved by the upgrade, it can be listed and revoked like any other.
    expect((await migrateLegacyApiKeys(dynamo.client, dynamo.tableName)).moved).toBeGreaterThanOrEqual(1);
    expect((await store.listApiKeys()).map((k) => k.keyId)).toContain(keyHash.slice(0, 12));
    await store.revokeApiKey(keyHash.slice(0, 12), '2027-01-01T00:00:00.000Z');
    expect((await store.getApiKey(keyHash))?.revokedAt).toBe('2027-01-01T00:00:00.000Z');
    expect((await migrateLegacyApiKeys(dynamo.client, dynamo.tableName)).moved).toBe(0);
  });
});
