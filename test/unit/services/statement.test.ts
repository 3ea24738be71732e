/**
 * The statement behind a statement link, against the real store: it lists the customer's open invoices only, an answer
 * names one of them or is refused, and "all on one date" is checked against every invoice before any is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInvoiceStore } from '../../../shared/adapters/dynamodb-store';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/domain/errors';
import type { InvoiceRecord } from '../../../shared/domain/invoice';
import type { LinkRecord } from '../../../shared/domain/link';
import { loadConfig } from '../../../shared/lambda/config';
import type { Dependencies } from '../../../shared/ports';
import { answerOnStatement, customerStatement } from '../../../shared/services/statement';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { invoiceRecord } from '../../support/fixtures';
import { FixedClock, MemoryDocuments, RecordingSignals, RecordingWorkflow } from '../../support/recording-ports';

let dynamo: LocalDynamo;
let store: DynamoDbInvoiceStore;
const config = loadConfig({ PUBLIC_BASE_URL: 'https://pay.example.com' });
const NOW = '2027-03-22T09:00:00.000Z'; // Monday 22 March 2027, before the fixtures' due date of 31 March
let counter = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
});
afterAll(() => dynamo.stop());

function deps(): Dependencies {
  return { store, clock: new FixedClock(NOW), workflow: new RecordingWorkflow(), signals: new RecordingSignals(), mailer: { send: async () => 'msg' }, documents: new MemoryDocuments() };
}

async function customerWith(...overrides: Partial<InvoiceRecord>[]) {
  const id = `CUST-S${++counter}`;
  const records = [];
  for (const [index, override] of overrides.entries()) {
    const record = invoiceRecord({
      invoiceId: `F-${id}-${index + 1}`,
      customer: { ...invoiceRecord().customer, id },
      status: 'awaiting_reply',
      phase: 'awaiting_reply',
      ...override,
    });
    await store.createInvoice(record);
    records.push(record);
  }
  const link: LinkRecord = {
    tokenHash: `hash-${id}`,
    invoiceId: records[0]!.invoiceId,
    statementOf: id,
    contactEmail: 'compta@boulangerie-martin.fr',
    language: 'fr',
    allowedActions: ['promise', 'dispute', 'question'],
    createdAt: NOW,
    expiresAt: '2027-06-01T00:00:00.000Z',
    uses: 0,
  };
  return { records, link };
}

const statusOf = async (invoiceId: string) => (await store.getInvoice(invoiceId))!.status;

describe('customerStatement', () => {
  it("lists the customer's open invoices by due date, with what is claimed once past due, and nobody else's", async () => {
    const { records, link } = await customerWith({ dueDate: '2027-03-31' }, { dueDate: '2027-02-28', status: 'overdue', phase: 'overdue' }, { status: 'paid', phase: 'closed' });
    await customerWith({});

    const statement = await customerStatement(deps(), config, link, new Date(NOW));

    expect(statement.lines.map((l) => l.invoice.invoiceId)).toEqual([records[1]!.invoiceId, records[0]!.invoiceId]);
    expect(statement.lines[0]!.claim?.principal).toEqual(records[1]!.outstanding);
    expect(statement.lines[1]!.claim).toBeUndefined();
    expect(statement).toMatchObject({ customer: { id: link.statementOf, name: records[0]!.customer.name }, today: '2027-03-22', latestPromiseDate: '2027-05-21' });
  });
});

describe('answerOnStatement', () => {
  it('records an answer on the invoice it names', async () => {
    const { records, link } = await customerWith({}, {});
    const { answered } = await answerOnStatement(deps(), config, link, { invoiceId: records[1]!.invoiceId, action: 'dispute', reason: 'defective' }, new Date(NOW));
    expect(answered).toEqual([{ invoiceId: records[1]!.invoiceId, action: 'dispute' }]);
    expect(await statusOf(records[1]!.invoiceId)).toBe('disputed');
    expect(await statusOf(records[0]!.invoiceId)).toBe('awaiting_reply');
  });

  it("refuses another customer's invoice as unknown, and a closed one as closed, whatever the form says", async () => {
    const { link } = await customerWith({});
    const { records: theirs } = await customerWith({}, { status: 'paid', phase: 'closed' });
    const { records: ours, link: ourLink } = await customerWith({}, { status: 'paid', phase: 'closed' });
    await expect(answerOnStatement(deps(), config, link, { invoiceId: theirs[0]!.invoiceId, action: 'question', message: 'x' }, new Date(NOW))).rejects.toThrow(NotFoundError);
    await expect(answerOnStatement(deps(), config, link, { invoiceId: theirs[0]!.invoiceId, action: 'nonsense' }, new Date(NOW))).rejects.toThrow(NotFoundError);
    await expect(answerOnStatement(deps(), config, ourLink, { invoiceId: ours[1]!.invoiceId, action: 'question', message: 'x' }, new Date(NOW))).rejects.toThrow(ConflictError);
    expect(await statusOf(theirs[0]!.invoiceId)).toBe('awaiting_reply');
  });

  it('promises every invoice that can take a promise on one date, leaving an open dispute to its resolution', async () => {
    const disputed = { status: 'disputed' as const, phase: 'disputed' as const, dispute: { reason: 'defective' as const, at: NOW, status: 'open' as const } };
    const { records, link } = await customerWith({}, disputed, { status: 'overdue', phase: 'overdue', dueDate: '2027-03-01' });

    const { answered } = await answerOnStatement(deps(), config, link, { action: 'promise_all', promisedDate: '2027-04-02', paymentMethod: 'transfer' }, new Date(NOW));

    expect(answered.map((a) => a.invoiceId).sort()).toEqual([records[0]!.invoiceId, records[2]!.invoiceId].sort());
    for (const index of [0, 2]) expect((await store.getInvoice(records[index]!.invoiceId))!.promise).toMatchObject({ date: '2027-04-02', method: 'transfer', source: 'customer' });
    expect((await store.getInvoice(records[1]!.invoiceId))!.promise).toBeUndefined();
  });

  it('leaves out, without refusing the rest, an invoice paid between the page and the answer', async () => {
    const { records, link } = await customerWith({}, {}, {});
    const world = deps();
    const paidMeanwhile = records[1]!.invoiceId;
    let read = false;
    world.store = Object.create(store, {
      getInvoice: {
        value: async (invoiceId: string) => {
          const record = await store.getInvoice(invoiceId);
          // The payment lands right after the statement read the invoice, before its promise is written.
          if (invoiceId === paidMeanwhile && record && !read) {
            read = true;
            await store.putInvoice({ ...record, status: 'paid', phase: 'closed', outstanding: { ...record.outstanding, value: 0 }, version: record.version + 1 });
          }
          return record;
        },
      },
    });

    const { answered } = await answerOnStatement(world, config, link, { action: 'promise_all', promisedDate: '2027-04-02', paymentMethod: 'transfer' }, new Date(NOW));

    expect(answered.map((a) => a.invoiceId).sort()).toEqual([records[0]!.invoiceId, records[2]!.invoiceId].sort());
    expect(await statusOf(paidMeanwhile)).toBe('paid');
    for (const index of [0, 2]) expect(await statusOf(records[index]!.invoiceId)).toBe('promised');
  });

  it("knows only the invoices addressed to the link's contact", async () => {
    const other = { customer: { ...invoiceRecord().customer, contacts: [{ name: 'Autre service', email: 'achats@boulangerie-martin.fr' }] } };
    const { records, link } = await customerWith({}, {});
    const elsewhere = invoiceRecord({ ...other, invoiceId: `${records[0]!.invoiceId}-X`, customer: { ...other.customer, id: link.statementOf! } });
    await store.createInvoice(elsewhere);

    const statement = await customerStatement(deps(), config, link, new Date(NOW));
    expect(statement.lines.map((l) => l.invoice.invoiceId)).toEqual(records.map((r) => r.invoiceId));
    await expect(answerOnStatement(deps(), config, link, { invoiceId: elsewhere.invoiceId, action: 'question', message: 'x' }, new Date(NOW))).rejects.toThrow(NotFoundError);
  });

  it('changes nothing when the date is too far for any one of the invoices', async () => {
    const { records, link } = await customerWith({}, { policy: { maxPromiseDays: 5 } });
    const attempt = answerOnStatement(deps(), config, link, { action: 'promise_all', promisedDate: '2027-04-02', paymentMethod: 'transfer' }, new Date(NOW));
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ details: [{ path: 'promisedDate', code: 'promise_too_far' }] });
    for (const record of records) expect((await store.getInvoice(record.invoiceId))!.promise).toBeUndefined();
  });
});
