/**
 * The pending-start notes of the store (shared/adapters/dynamodb-store.ts) on the DynamoDB emulator: a note per
 * execution name, spread over the STARTS# shards, forgotten once its execution exists; and the reconciliation's read,
 * which must find the oldest notes wherever they are, and only those asked for before the cutoff.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbInvoiceStore } from '../../../shared/adapters/dynamodb-store';
import { keys, PENDING_START_SHARDS } from '../../../shared/adapters/dynamodb-table';
import type { PendingStart } from '../../../shared/ports';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';

let dynamo: LocalDynamo;
let store: DynamoDbInvoiceStore;
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';
const BASE = Date.parse('2027-03-31T18:00:00.000Z');
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

const note = (invoiceId: string, requestedAt: string, revision = 1): PendingStart => ({ invoiceId, executionName: `${invoiceId}-r${revision}`, requestedAt });
const shardOf = (start: Pick<PendingStart, 'invoiceId' | 'executionName'>) => keys.pendingStart(start.invoiceId, start.executionName).pk as string;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
});

afterAll(async () => {
  await dynamo?.stop();
});

beforeEach(async () => {
  // One emulator for the file: each test reads the notes of its own making only.
  for (const start of await store.listPendingStarts(FAR_FUTURE, 10_000)) await store.deletePendingStart(start);
});

describe('DynamoDbInvoiceStore: pending starts', () => {
  it('keeps a note under its shard and execution name, and lists it back as it was put', async () => {
    const start = note('F-2027-0042', at(0));
    await store.putPendingStart(start);

    expect(await store.listPendingStarts(FAR_FUTURE, 10)).toEqual([start]);
    const { Item } = await DynamoDBDocumentClient.from(dynamo.client).send(new GetCommand({ TableName: dynamo.tableName, Key: keys.pendingStart(start.invoiceId, start.executionName) }));
    expect(Item).toEqual({ ...start, pk: shardOf(start), sk: 'F-2027-0042-r1' });
    expect(shardOf(start)).toMatch(new RegExp(`^STARTS#(${Array.from({ length: PENDING_START_SHARDS }, (_, shard) => shard).join('|')})$`));
  });

  it('keeps one note per execution name: noting the same start again (a replayed registration) moves its time', async () => {
    await store.putPendingStart(note('F-2027-0043', at(0)));
    await store.putPendingStart(note('F-2027-0043', at(5)));
    expect(await store.listPendingStarts(FAR_FUTURE, 10)).toEqual([note('F-2027-0043', at(5))]);
  });

  it('forgets a note once deleted, and only that execution\'s note', async () => {
    await store.putPendingStart(note('F-2027-0044', at(0), 1));
    await store.putPendingStart(note('F-2027-0044', at(1), 2));
    await store.putPendingStart(note('F-2027-0045', at(2)));

    await store.deletePendingStart({ invoiceId: 'F-2027-0044', executionName: 'F-2027-0044-r1' });

    expect(await store.listPendingStarts(FAR_FUTURE, 10)).toEqual([note('F-2027-0044', at(1), 2), note('F-2027-0045', at(2))]);
  });

  it('deletes a note that is not there without complaint (the consumer and a replay may both forget it)', async () => {
    await expect(store.deletePendingStart({ invoiceId: 'F-NEVER', executionName: 'F-NEVER-r1' })).resolves.toBeUndefined();
    await store.putPendingStart(note('F-2027-0046', at(0)));
    await store.deletePendingStart(note('F-2027-0046', at(0)));
    await expect(store.deletePendingStart(note('F-2027-0046', at(0)))).resolves.toBeUndefined();
    expect(await store.listPendingStarts(FAR_FUTURE, 10)).toEqual([]);
  });

  it('lists, across every shard, only the notes asked for before the cutoff, oldest first', async () => {
    // 40 invoices of a month-end burst, a minute apart, put in a shuffled order.
    const notes = Array.from({ length: 40 }, (_, index) => note(`F-2027-M${String(index + 1).padStart(3, '0')}`, at(index)));
    for (const start of [...notes].sort((a, b) => shardOf(a).localeCompare(shardOf(b)) || b.executionName.localeCompare(a.executionName))) await store.putPendingStart(start);
    expect(new Set(notes.map(shardOf)).size).toBeGreaterThan(8);

    expect(await store.listPendingStarts(at(25), 1000)).toEqual(notes.slice(0, 25));
    // Strictly before: a note asked for at the cutoff itself waits.
    expect(await store.listPendingStarts(at(0), 1000)).toEqual([]);
    expect(await store.listPendingStarts(FAR_FUTURE, 1000)).toEqual(notes);
  });

  it('lists at most `limit` notes', async () => {
    const notes = Array.from({ length: 40 }, (_, index) => note(`F-2027-L${String(index + 1).padStart(3, '0')}`, at(index)));
    for (const start of notes) await store.putPendingStart(start);
    for (const limit of [1, 3, 16, 39]) expect(await store.listPendingStarts(FAR_FUTURE, limit), `limit ${limit}`).toHaveLength(limit);
  });

  it('finds an old note behind newer ones of its shard when the limit is small', async () => {
    // Invoices of one shard: the ones sorted first by name are recent; the last one by name is old.
    const ids: string[] = [];
    for (let n = 1; ids.length < 6; n++) {
      const id = `F-2027-S${String(n).padStart(4, '0')}`;
      if (shardOf({ invoiceId: id, executionName: `${id}-r1` }) === 'STARTS#3') ids.push(id);
    }
    const recent = ids.slice(0, 5).map((id, index) => note(id, at(120 + index)));
    const old = note(ids[5]!, at(0));
    for (const start of [...recent, old]) await store.putPendingStart(start);

    expect(await store.listPendingStarts(at(60), 1)).toEqual([old]);
  });

  it('lists the oldest `limit` notes of all, even when a shard holds more than `limit` newer ones that sort first by name', async () => {
    // Forty invoices; the later the name, the older the note (a backlog registered in reverse order).
    const notes = Array.from({ length: 40 }, (_, index) => note(`F-2027-R${String(index + 1).padStart(3, '0')}`, at(40 - index)));
    for (const start of notes) await store.putPendingStart(start);
    const oldestFirst = [...notes].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    const limit = 3;
    // The situation under test exists: one of the three oldest shares its shard with more than `limit` notes whose
    // names sort before its own.
    const crowded = oldestFirst.slice(0, limit).some((start) => notes.filter((other) => shardOf(other) === shardOf(start) && other.executionName < start.executionName).length >= limit);
    expect(crowded).toBe(true);

    expect(await store.listPendingStarts(FAR_FUTURE, limit)).toEqual(oldestFirst.slice(0, limit));
  });
});
