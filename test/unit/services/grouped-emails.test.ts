/**
 * One email per customer, against the real store (DynamoDB emulator): the invoices whose steps fall due for one
 * contact in one slot leave in one email, whatever order and concurrency their executions reach it in; an invoice
 * paid meanwhile drops out; a refused email is sent again by the retry, one that may have left is never sent twice.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInvoiceStore } from '../../../shared/adapters/dynamodb-store';
import { groupedStepDue } from '../../../shared/domain/grouping';
import { isSuppressed, type InvoiceRecord } from '../../../shared/domain/invoice';
import { recordEmailEvent } from '../../../shared/services/email-events';
import { loadConfig } from '../../../shared/lambda/config';
import type { Dependencies, OutgoingEmail } from '../../../shared/ports';
import { SlotBusyError, sendGroupedEmail, type SlotTiming } from '../../../shared/services/grouped-emails';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { invoiceRecord } from '../../support/fixtures';
import { FixedClock, MemoryDocuments, RecordingSignals, RecordingWorkflow } from '../../support/recording-ports';

let dynamo: LocalDynamo;
let store: DynamoDbInvoiceStore;
const config = loadConfig({ PUBLIC_BASE_URL: 'https://pay.example.com' });
const SLOT = '2027-03-19T08:00:00.000Z';
const LATER_SLOT = '2027-03-22T08:00:00.000Z';
let counter = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
});
afterAll(() => dynamo.stop());

function world(now = SLOT) {
  const sent: OutgoingEmail[] = [];
  const documents = new MemoryDocuments();
  const deps: Dependencies = {
    store,
    clock: new FixedClock(now),
    workflow: new RecordingWorkflow(), signals: new RecordingSignals(),
    mailer: { send: async (email) => (sent.push(email), `msg-${counter}-${sent.length}`) },
    documents,
  };
  return { deps, sent, documents };
}

const customerEmails = (sent: OutgoingEmail[]) => sent.filter((email) => !email.to.includes(config.teamEmail));

/** A customer of its own, each test's: invoices of `contacts`, due on `dueDates`, their pre-reminders at `at`. */
async function customer(invoices: { dueDate?: string; at?: string; contacts?: string[]; overrides?: Partial<InvoiceRecord> }[]) {
  const id = `CUST-G${++counter}`;
  const records: InvoiceRecord[] = [];
  for (const [index, invoice] of invoices.entries()) {
    const base = invoiceRecord();
    const contacts = (invoice.contacts ?? ['ap@client.example']).map((email) => ({ name: 'Claire Martin', email }));
    const record = invoiceRecord({
      invoiceId: `F-${id}-${index + 1}`,
      executionName: `F-${id}-${index + 1}-r1`,
      customer: { ...base.customer, id, contacts },
      dueDate: invoice.dueDate ?? '2027-03-31',
      nextActionAt: invoice.at ?? SLOT,
      ...invoice.overrides,
    });
    await store.createInvoice(record);
    records.push(record);
  }
  return records;
}

/** What the invoice's own "Send pre-reminder email" step does, from its record as it reads it. */
async function ownStep(deps: Dependencies, invoiceId: string, timing: Partial<SlotTiming> = {}) {
  const record = (await store.getInvoice(invoiceId))!;
  const step = groupedStepDue(record, config, deps.clock.now());
  if (!step) throw new Error(`${invoiceId} has no grouped step due`);
  return sendGroupedEmail(deps, config, record, step, timing);
}

/** A write that never answers: the Lambda running it is as good as dead. */
const hang = () => new Promise<never>(() => undefined);

async function markPaid(invoiceId: string) {
  const record = (await store.getInvoice(invoiceId))!;
  await store.putInvoice({ ...record, status: 'paid', phase: 'closed', outstanding: { ...record.outstanding, value: 0 }, version: record.version + 1 });
}

describe('a grouped email', () => {
  it("lists every invoice of the customer due for the contact in the slot, and none of another slot's or contact's", async () => {
    const [first, second, third, otherSlot, otherContact] = await customer([
      { dueDate: '2027-03-31' },
      { dueDate: '2027-03-30' },
      { dueDate: '2027-03-31' },
      { dueDate: '2027-04-05', at: LATER_SLOT },
      { contacts: ['boss@client.example'] },
    ]);
    const { deps, sent, documents } = world();

    const result = await ownStep(deps, first!.invoiceId);

    expect(sent).toHaveLength(1);
    // Soonest due first, then by number; the holder's own invoice is one of them, not necessarily the first.
    expect(sent[0]!.invoiceIds).toEqual([second!.invoiceId, first!.invoiceId, third!.invoiceId]);
    expect(sent[0]!.to).toEqual(['ap@client.example']);
    expect(sent[0]!.tags).toMatchObject({ invoiceId: second!.invoiceId });
    expect(result.emailed).toBe(true);
    for (const invoice of [first, second, third]) {
      const entries = (await store.listTimeline(invoice!.invoiceId)).filter((t) => t.type === 'email_sent');
      expect(entries, invoice!.invoiceId).toMatchObject([{ messageId: expect.any(String), to: 'ap@client.example', email: 'pre_reminder' }]);
      // Each invoice keeps its copy of what the customer received, with the message id.
      expect(documents.json(entries[0]!.document as string)).toMatchObject({ invoiceId: invoice!.invoiceId, subject: sent[0]!.subject, messageId: entries[0]!.messageId });
    }
    expect(new Set(await Promise.all([first, second, third].map(async (i) => (await store.listTimeline(i!.invoiceId)).find((t) => t.type === 'email_sent')?.messageId))).size).toBe(1);
    for (const invoice of [otherSlot, otherContact]) expect(await store.listTimeline(invoice!.invoiceId)).toEqual([]);

    // The other invoices' own steps come next: their emails have left, nothing more is sent.
    for (const invoice of [second, third]) expect((await ownStep(deps, invoice!.invoiceId)).emailed).toBe(true);
    expect(sent).toHaveLength(1);
    // The other contact's invoice is its own email.
    await ownStep(deps, otherContact!.invoiceId);
    expect(sent.map((e) => e.to)).toEqual([['ap@client.example'], ['boss@client.example']]);
  });

  it('is one email when every execution reaches the slot at once', async () => {
    const invoices = await customer(Array.from({ length: 6 }, () => ({})));
    const { deps, sent } = world();

    const results = await Promise.all(invoices.map((invoice) => ownStep(deps, invoice.invoiceId)));

    expect(sent).toHaveLength(1);
    expect([...sent[0]!.invoiceIds!].sort()).toEqual(invoices.map((i) => i.invoiceId).sort());
    expect(results.every((r) => r.emailed === true)).toBe(true);
  });

  it('leaves out an invoice paid while the email was being written', async () => {
    const [first, paid, third] = await customer([{}, {}, {}]);
    const { deps, sent, documents } = world();
    // The payment lands as the first copy of the email is kept, after the invoices were gathered and claimed.
    let landed = false;
    const put = documents.put.bind(documents);
    documents.put = async (key, body, type) => {
      if (!landed) {
        landed = true;
        await markPaid(paid!.invoiceId);
      }
      return put(key, body, type);
    };

    await ownStep(deps, first!.invoiceId);

    expect(sent).toHaveLength(1);
    expect(sent[0]!.invoiceIds).toEqual([first!.invoiceId, third!.invoiceId]);
    expect(sent[0]!.text).not.toContain(paid!.invoiceId);
    expect(await store.listTimeline(paid!.invoiceId)).toEqual([]);
  });

  it('waits for news to be seen: an invoice whose execution has an event pending goes in a second email of the slot', async () => {
    const [first, busy] = await customer([{}, { overrides: { pendingEvents: [{ seq: 1, type: 'question', at: SLOT }] } }]);
    const { deps, sent } = world();

    await ownStep(deps, first!.invoiceId);
    expect(sent.map((e) => e.invoiceIds)).toEqual([[first!.invoiceId]]);

    // Its execution saw the question and decided to send the pre-reminder all the same.
    const record = (await store.getInvoice(busy!.invoiceId))!;
    await store.putInvoice({ ...record, pendingEvents: [], version: record.version + 1 });
    expect((await ownStep(deps, busy!.invoiceId)).emailed).toBe(true);
    expect(sent.map((e) => e.invoiceIds)).toEqual([[first!.invoiceId], [busy!.invoiceId]]);
  });

  it('is sent by the retry when SES refused it, once', async () => {
    const invoices = await customer([{}, {}]);
    const { deps, sent } = world();
    const send = deps.mailer.send;
    let refusals = 1;
    deps.mailer = {
      send: async (email) => {
        if (refusals-- > 0) throw Object.assign(new Error('Throttling'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
        return send(email);
      },
    };

    await expect(ownStep(deps, invoices[0]!.invoiceId)).rejects.toThrow('Throttling');
    expect(sent).toHaveLength(0);
    // The retry (or the other invoice's execution) finds the slot and the claims given back.
    await ownStep(deps, invoices[1]!.invoiceId);
    await ownStep(deps, invoices[0]!.invoiceId);
    expect(sent.map((e) => e.invoiceIds?.length)).toEqual([2]);
  });

  it('is never sent twice when SES did not answer: the retry tells the team instead', async () => {
    const invoices = await customer([{}, {}]);
    const { deps, sent } = world();
    const send = deps.mailer.send;
    let timeouts = 1;
    deps.mailer = {
      send: async (email) => {
        if (timeouts-- > 0) throw new Error('socket hang up');
        return send(email);
      },
    };

    await expect(ownStep(deps, invoices[0]!.invoiceId)).rejects.toThrow('socket hang up');
    // Within the holder's lease, the retry waits for it; past the lease (the Lambda is long dead), the slot's email may
    // have left: a second email of the slot finds both claims' fate unknown and tells the team instead of resending.
    await expect(ownStep(deps, invoices[0]!.invoiceId, { waitMs: 30 })).rejects.toThrow(SlotBusyError);
    const retried = await ownStep(deps, invoices[0]!.invoiceId, { leaseMs: 0 });
    const other = await ownStep(deps, invoices[1]!.invoiceId, { leaseMs: 0 });

    expect([retried.emailed, other.emailed]).toEqual(['unconfirmed', 'unconfirmed']);
    expect(customerEmails(sent)).toHaveLength(0);
    expect(sent.filter((e) => e.to.includes(config.teamEmail)).map((e) => e.tags?.invoiceId).sort()).toEqual(invoices.map((i) => i.invoiceId).sort());
  });

  it('is sent once by a successor when its holder died before reaching SES, and the late holder sends nothing', async () => {
    const invoices = await customer([{}, {}]);
    const { deps, sent, documents } = world();
    // The first holder stops for good while it keeps the copy of the email: its claims are taken, SES never called.
    const put = documents.put.bind(documents);
    let wake: () => void = () => undefined;
    documents.put = async (key, body, type) => {
      documents.put = put;
      await new Promise<void>((resolve) => (wake = resolve));
      return put(key, body, type);
    };
    const dead = ownStep(deps, invoices[0]!.invoiceId);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const successor = await ownStep(deps, invoices[1]!.invoiceId, { leaseMs: 50 });
    expect(successor.emailed).toBe(true);
    expect(sent.map((e) => [...e.invoiceIds!].sort())).toEqual([invoices.map((i) => i.invoiceId).sort()]);

    // The first holder comes back to life: its slot was taken over, so it stops short of SES and gives nothing back.
    wake();
    await expect(dead).rejects.toThrow(SlotBusyError);
    expect(sent).toHaveLength(1);
    expect((await ownStep(deps, invoices[0]!.invoiceId)).emailed).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('is recorded from the slot when the holder stopped after SES took it: neither sent again nor reported lost', async () => {
    const [first, second] = await customer([{}, {}]);
    const { deps, sent } = world();
    const record = store.recordEmailSent.bind(store);
    // The holder cannot write that the second invoice's email left (the table throttles it, past every retry).
    deps.store = Object.create(store, {
      recordEmailSent: { value: (invoiceId: string, ...rest: Parameters<typeof store.recordEmailSent> extends [string, ...infer R] ? R : never) => (invoiceId === second!.invoiceId ? Promise.reject(new Error('throttled')) : record(invoiceId, ...rest)) },
    });
    await expect(ownStep(deps, first!.invoiceId)).rejects.toThrow('throttled');
    deps.store = store;

    const result = await ownStep(deps, second!.invoiceId);

    expect(result.emailed).toBe(true);
    expect(sent).toHaveLength(1);
    const entries = (await store.listTimeline(second!.invoiceId)).filter((t) => t.type === 'email_sent');
    expect(entries).toMatchObject([{ messageId: expect.any(String), to: 'ap@client.example' }]);
    expect(await store.getEmailClaim(second!.invoiceId, 'pre_reminder@2027-03-31:ap@client.example')).toMatchObject({ state: 'sent' });
    // The first invoice's step, retried, finds its email sent.
    expect((await ownStep(deps, first!.invoiceId)).emailed).toBe(true);
    expect(sent).toHaveLength(1);
  });
});

describe('the delivery events of a grouped email', () => {
  it('suppress a bounced address on every invoice the email listed, however each record spells it', async () => {
    const [first, second] = await customer([{ contacts: ['AP@client.example'] }, { contacts: ['ap@client.example'] }]);
    const { deps, sent } = world();
    await ownStep(deps, first!.invoiceId);
    expect(sent).toHaveLength(1);
    const messageId = (await store.listTimeline(first!.invoiceId)).find((t) => t.type === 'email_sent')!.messageId as string;

    const outcome = await recordEmailEvent(deps, config, { id: 'evt-1', at: new Date(SLOT), type: 'Bounce', bounceType: 'Permanent', messageId, destination: sent[0]!.to, recipients: sent[0]!.to });

    expect(outcome).toBe('email_bounced');
    for (const invoice of [first, second]) {
      const record = (await store.getInvoice(invoice!.invoiceId))!;
      expect(record.customer.contacts.every((c) => isSuppressed(record, c.email)), invoice!.invoiceId).toBe(true);
    }
  });
});

describe('grouped emails, whatever the order of arrival (property)', () => {
  it('cover each due invoice and contact exactly once, never a paid one, in one email per contact and slot', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            slot: fc.constantFrom(SLOT, LATER_SLOT),
            contacts: fc.subarray(['ap@client.example', 'boss@client.example'], { minLength: 1 }),
            paidBefore: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.infiniteStream(fc.nat()),
        async (specs, order) => {
          const invoices = await customer(specs.map((spec) => ({ at: spec.slot, contacts: spec.contacts })));
          for (const [index, spec] of specs.entries()) if (spec.paidBefore) await markPaid(invoices[index]!.invoiceId);
          const { deps, sent } = world(LATER_SLOT);
          // Executions arrive in a random order, in random concurrent batches.
          const open = invoices.filter((_, index) => !specs[index]!.paidBefore);
          const shuffled = [...open].sort(() => (order.next().value % 3) - 1);
          for (let start = 0; start < shuffled.length; ) {
            const size = 1 + (order.next().value % 3);
            await Promise.all(shuffled.slice(start, start + size).map((invoice) => ownStep(deps, invoice.invoiceId)));
            start += size;
          }
          const covered = sent.flatMap((email) => email.invoiceIds!.map((invoiceId) => `${invoiceId}→${email.to.join()}`));
          const expected = open.flatMap((invoice) => invoice.customer.contacts.map((contact) => `${invoice.invoiceId}→${contact.email}`));
          expect(covered.sort()).toEqual(expected.sort());
          const groups = open.flatMap((invoice) => invoice.customer.contacts.map((contact) => `${invoice.nextActionAt}→${contact.email}`));
          expect(sent).toHaveLength(new Set(groups).size);
        },
      ),
      { numRuns: 25, seed: Number(process.env.PROPERTY_SEED ?? 20270319) },
    );
  });
});
