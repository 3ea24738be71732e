import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInvoiceStore } from '../../../shared/adapters/dynamodb-store';
import { loadConfig } from '../../../shared/lambda/config';
import type { InvoiceRecord } from '../../../shared/domain/invoice';
import { sendCustomerEmail } from '../../../shared/services/notifications';
import type { Dependencies, InvoiceStore, OutgoingEmail } from '../../../shared/ports';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { invoiceRecord } from '../../support/fixtures';
import { FixedClock, MemoryDocuments, RecordingSignals, RecordingWorkflow } from '../../support/recording-ports';

let dynamo: LocalDynamo;
let store: DynamoDbInvoiceStore;
const config = loadConfig({ PUBLIC_BASE_URL: 'https://pay.example.com' });
let counter = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
});
afterAll(() => dynamo.stop());

function world(storeUnderTest: InvoiceStore = store) {
  const sent: OutgoingEmail[] = [];
  const documents = new MemoryDocuments();
  const deps: Dependencies = {
    store: storeUnderTest,
    clock: new FixedClock('2027-03-19T08:00:00.000Z'),
    workflow: new RecordingWorkflow(), signals: new RecordingSignals(),
    mailer: { send: async (email) => (sent.push(email), `msg-${sent.length}`) },
    documents,
  };
  return { deps, sent, documents };
}

async function stored(overrides: Partial<InvoiceRecord> = {}): Promise<InvoiceRecord> {
  const record = invoiceRecord({ invoiceId: `F-2027-N${++counter}`, ...overrides });
  await store.createInvoice(record);
  return record;
}

describe('sendCustomerEmail', () => {
  it('sends one email per reachable contact, each with its own answer link and a reply-to of the team', async () => {
    const contacts = [
      { name: 'Claire Martin', email: 'claire@example.fr' },
      { name: 'Paul Durand', email: 'paul@example.fr' },
      { name: 'Old Address', email: 'gone@example.fr' },
    ];
    const base = invoiceRecord();
    const record = await stored({ customer: { ...base.customer, contacts }, suppressedEmails: ['gone@example.fr'] });
    const { deps, sent, documents } = world();

    const { timeline, emailed } = await sendCustomerEmail(deps, config, record, 'pre_reminder', 'pre_reminder@2027-03-31');

    // Each email is kept as the customer receives it: a copy before it leaves, then one with SES's message id.
    const copy = `invoices/${record.invoiceId}/emails/${encodeURIComponent('pre_reminder@2027-03-31:claire@example.fr')}.json`;
    expect(documents.versions.get(copy)?.length).toBe(2);
    expect(documents.json(copy)).toMatchObject({ to: ['claire@example.fr'], subject: sent[0].subject, html: sent[0].html, text: sent[0].text, messageId: 'msg-1' });
    expect(timeline[0]).toMatchObject({ document: copy, messageId: 'msg-1' });

    expect(sent.map((e) => e.to)).toEqual([['claire@example.fr'], ['paul@example.fr']]);
    // A customer who answers by email reaches the credit team, not the sending address.
    expect(sent.every((e) => e.replyTo?.join() === config.teamEmail)).toBe(true);
    const links = sent.map((e) => /https:\/\/pay\.example\.com\/r\/([A-Za-z0-9_-]+)/.exec(e.html)?.[1]);
    expect(new Set(links).size).toBe(2);
    expect(timeline.map((t) => t.to)).toEqual(['claire@example.fr', 'paul@example.fr']);
    expect(emailed).toBe(true);
    // Each email's entry is on the timeline as it leaves, not when the step finishes.
    expect((await store.listTimeline(record.invoiceId)).map((t) => t.to)).toEqual(['claire@example.fr', 'paul@example.fr']);
  });

  it('sends nothing the second time for the same step, as when Lambda retries it', async () => {
    const record = await stored();
    const { deps, sent } = world();
    await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0');
    await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0');
    expect(sent).toHaveLength(1);
  });

  it('sends nothing when the invoice was paid after the step read it but before the email left', async () => {
    const record = await stored();
    // The payment lands between the step's read (the `record` argument) and the send: right after the claim.
    const payingStore: InvoiceStore = Object.create(store);
    payingStore.claimEmail = async (...args) => {
      const claim = await store.claimEmail(...args);
      const current = (await store.getInvoice(record.invoiceId))!;
      await store.putInvoice({ ...current, status: 'paid', phase: 'closed', version: current.version + 1 });
      return claim;
    };
    const { deps, sent } = world(payingStore);

    const result = await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0');

    expect(sent).toEqual([]);
    expect(result).toEqual({ timeline: [], emailed: false });
  });

  it('sends the email on the retry when SES refused it the first time, and only once', async () => {
    const record = await stored();
    const { deps, sent } = world();
    let refusals = 1;
    const flaky = { send: async (email: OutgoingEmail) => {
      if (refusals-- > 0) throw Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
      return deps.mailer.send(email);
    } };
    const flakyDeps = { ...deps, mailer: flaky };

    await expect(sendCustomerEmail(flakyDeps, config, record, 'reminder', 'ladder@0')).rejects.toThrow('Maximum sending rate');
    expect(sent).toEqual([]);
    await sendCustomerEmail(flakyDeps, config, record, 'reminder', 'ladder@0');
    await sendCustomerEmail(flakyDeps, config, record, 'reminder', 'ladder@0');
    expect(sent).toHaveLength(1);
  });

  it('keeps the claim when SES did not answer (a timeout), so that the retry tells the team instead of sending twice', async () => {
    const record = await stored();
    const { deps, sent } = world();
    const timingOut = { send: async () => {
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    } };
    await expect(sendCustomerEmail({ ...deps, mailer: timingOut }, config, record, 'reminder', 'ladder@0')).rejects.toThrow('socket hang up');
    const retry = await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0');
    expect(retry.emailed).toBe('unconfirmed');
    expect(sent.map((e) => e.subject)).toEqual([expect.stringContaining('Envoi d’e-mail non confirmé')]);
  });

  it('sends nothing for a cancelled invoice', async () => {
    const record = await stored({ status: 'cancelled', phase: 'closed' });
    const { deps, sent } = world();
    expect(await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0')).toEqual({ timeline: [], emailed: false });
    expect(sent).toEqual([]);
  });

  it('says when no contact can receive the email, every address having bounced', async () => {
    const record = await stored({ suppressedEmails: ['compta@boulangerie-martin.fr'] });
    const { deps, sent } = world();
    expect(await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0')).toEqual({ timeline: [], emailed: false });
    expect(sent).toEqual([]);
  });

  it('writes the timeline entry of an email again on a retry when the first attempt stopped right after sending it', async () => {
    const record = await stored();
    const failingOnce: InvoiceStore = Object.create(store);
    let failures = 1;
    failingOnce.appendTimeline = async (...args) => {
      if (failures-- > 0) throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
      return store.appendTimeline(...args);
    };
    const { deps, sent } = world(failingOnce);

    await expect(sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0')).rejects.toThrow('Throughput');
    expect(await store.listTimeline(record.invoiceId)).toEqual([]);
    const retry = await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0');
    await sendCustomerEmail(deps, config, record, 'reminder', 'ladder@0');

    expect(sent).toHaveLength(1);
    expect(retry.emailed).toBe(true);
    const timeline = await store.listTimeline(record.invoiceId);
    expect(timeline.map((t) => [t.type, t.messageId])).toEqual([['email_sent', 'msg-1']]);
  });

  it('tells the team once, and sends nothing, when an earlier attempt stopped between the claim and SES', async () => {
    const record = await stored();
    const { deps, sent } = world();
    // The earlier attempt: claimed, then the process died before SES answered.
    await store.claimEmail(record.invoiceId, 'ladder@1:compta@boulangerie-martin.fr', '2027-03-19T08:00:00.000Z');

    const first = await sendCustomerEmail(deps, config, record, 'penalty_reminder', 'ladder@1');
    const second = await sendCustomerEmail(deps, config, record, 'penalty_reminder', 'ladder@1');

    expect(sent.map((e) => [e.to, e.subject])).toEqual([[[config.teamEmail], expect.stringContaining('Envoi d’e-mail non confirmé')]]);
    expect(sent[0].text).toContain('compta@boulangerie-martin.fr');
    expect(first.emailed).toBe('unconfirmed');
    expect(second.timeline).toEqual([]);
    // One entry: the notice to the team, which names the email that may not have left.
    const timeline = await store.listTimeline(record.invoiceId);
    expect(timeline).toEqual([expect.objectContaining({ type: 'email_unconfirmed', email: 'ladder@1', to: 'compta@boulangerie-martin.fr', messageId: 'msg-1' })]);
  });

  it('sends the "may not have left" notice again when it stopped between its own claim and SES: never lost, at worst twice', async () => {
    const record = await stored();
    const { deps, sent } = world();
    // Both the email and, on the retry, its notice to the team stopped right after their claims.
    await store.claimEmail(record.invoiceId, 'ladder@1:compta@boulangerie-martin.fr', '2027-03-19T08:00:00.000Z');
    await store.claimEmail(record.invoiceId, 'unconfirmed@ladder@1:compta@boulangerie-martin.fr:team', '2027-03-19T08:00:01.000Z');

    const retry = await sendCustomerEmail(deps, config, record, 'penalty_reminder', 'ladder@1');
    await sendCustomerEmail(deps, config, record, 'penalty_reminder', 'ladder@1');

    expect(retry.emailed).toBe('unconfirmed');
    expect(sent.map((e) => [e.to, e.subject])).toEqual([[[config.teamEmail], expect.stringContaining('Envoi d’e-mail non confirmé')]]);
    expect((await store.listTimeline(record.invoiceId)).map((t) => [t.type, t.email])).toEqual([['email_unconfirmed', 'ladder@1']]);
  });

  it('keeps the "may not have left" entry when writing it failed right after the notice left', async () => {
    const record = await stored();
    // The timeline write after the notice fails once (throttling): the retry finds the notice sent and writes its entry.
    let failures = 1;
    const failingOnce: InvoiceStore = Object.create(store, {
      appendTimeline: {
        value: async (...args: Parameters<InvoiceStore['appendTimeline']>) => {
          if (args[1].some((t) => t.type === 'email_unconfirmed') && failures-- > 0) throw new Error('ProvisionedThroughputExceededException');
          return store.appendTimeline(...args);
        },
      },
    });
    const { deps, sent } = world(failingOnce);
    await store.claimEmail(record.invoiceId, 'ladder@1:compta@boulangerie-martin.fr', '2027-03-19T08:00:00.000Z');

    await expect(sendCustomerEmail(deps, config, record, 'penalty_reminder', 'ladder@1')).rejects.toThrow('Throughput');
    await sendCustomerEmail(deps, config, record, 'penalty_reminder', 'ladder@1');

    expect(sent).toHaveLength(1);
    expect((await store.listTimeline(record.invoiceId)).map((t) => [t.type, t.email])).toEqual([['email_unconfirmed', 'ladder@1']]);
  });
});
