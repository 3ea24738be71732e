/**
 * EventBridge delivers each SES event at least once. The ses-events handler runs here against the DynamoDB emulator
 * (real conditional writes), with the clock and the mailer swapped: the same event delivered twice must leave the
 * timeline, the record and the team's inbox as one delivery does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/ses-events';
import { DynamoDbInvoiceStore } from '../../../shared/adapters/dynamodb-store';
import { resetClients } from '../../../shared/adapters/aws-clients';
import { overrideDependencies, resetDependencies } from '../../../shared/lambda/dependencies';
import type { OutgoingEmail } from '../../../shared/ports';
import { HANDLER_ENV } from '../../support/aws-mocks';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { invoiceRecord } from '../../support/fixtures';
import { FixedClock, MemoryDocuments } from '../../support/recording-ports';

const EVENT_TIME = '2027-03-19T08:00:09Z';
const CLAIRE = 'compta@boulangerie-martin.fr';
const PAUL = 'paul.martin@boulangerie-martin.fr';

let dynamo: LocalDynamo;
let store: DynamoDbInvoiceStore;
let clock: FixedClock;
let teamEmails: OutgoingEmail[];
let counter = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  resetDependencies();
  resetClients();
  await dynamo?.stop();
});

beforeEach(() => {
  vi.unstubAllEnvs();
  const env = {
    ...HANDLER_ENV,
    TABLE_NAME: dynamo.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: undefined,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  resetDependencies();
  resetClients();
  // Processed a while after it happened, as a retry would be: the entries still take the event's time.
  clock = new FixedClock('2027-03-19T08:05:00.000Z');
  teamEmails = [];
  overrideDependencies({ clock, documents: new MemoryDocuments(), mailer: { send: async (email) => (teamEmails.push(email), `team-alert-${teamEmails.length}`) } });
});

/** An invoice whose pre-reminder left to `to` as the SES message it returns. */
async function sentTo(to: string[], suppressedEmails: string[] = []) {
  const invoiceId = `F-2027-R${String(++counter).padStart(3, '0')}`;
  const base = invoiceRecord({ invoiceId, status: 'awaiting_reply', phase: 'awaiting_reply', suppressedEmails });
  const contacts = to.map((email, i) => ({ name: `Contact ${i + 1}`, email }));
  await store.createInvoice({ ...base, customer: { ...base.customer, contacts } });
  const messageId = `0100018e5f2a7c3b-${invoiceId}-pre-reminder`;
  const key = `pre_reminder@2027-03-31:${to[0]}`;
  await store.claimEmail(invoiceId, key, '2027-03-19T08:00:00.000Z');
  await store.recordEmailSent(invoiceId, key, messageId, to);
  return { invoiceId, messageId };
}

function sesEvent(id: string, messageId: string, to: string[], detail: Record<string, unknown>) {
  return {
    version: '0',
    id,
    'detail-type': 'SES event',
    source: 'aws.ses',
    account: '123456789012',
    time: EVENT_TIME,
    region: 'eu-west-3',
    resources: [],
    detail: { mail: { timestamp: '2027-03-19T08:00:03.000Z', source: HANDLER_ENV.SENDER_EMAIL, messageId, destination: to }, ...detail },
  };
}

const delivery = (id: string, messageId: string, to: string[]) =>
  sesEvent(id, messageId, to, { eventType: 'Delivery', delivery: { timestamp: EVENT_TIME, recipients: to } });

const bounce = (id: string, messageId: string, to: string[], bounceType: 'Permanent' | 'Transient' = 'Permanent') =>
  sesEvent(id, messageId, to, {
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: to.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1' })),
      timestamp: EVENT_TIME,
      feedbackId: `feedback-${id}`,
    },
  });

const entriesOf = async (invoiceId: string, type: string) => (await store.listTimeline(invoiceId)).filter((e) => e.type === type);

describe('ses-events: the same event delivered twice', () => {
  it('adds one email_delivered entry, at the time of the event', async () => {
    const { invoiceId, messageId } = await sentTo([CLAIRE]);
    const event = delivery('evt-delivery-1', messageId, [CLAIRE]);

    expect(await handler(event)).toEqual({ handled: 'delivery' });
    clock.set('2027-03-19T09:30:00.000Z');
    expect(await handler(structuredClone(event))).toEqual({ handled: 'delivery' });

    expect(await entriesOf(invoiceId, 'email_delivered')).toEqual([
      { type: 'email_delivered', at: '2027-03-19T08:00:09.000Z', to: [CLAIRE], messageId, eventId: 'evt-delivery-1' },
    ]);
  });

  it('notes a transient bounce once and suppresses nothing', async () => {
    const { invoiceId, messageId } = await sentTo([CLAIRE]);
    const event = bounce('evt-transient-1', messageId, [CLAIRE], 'Transient');

    expect(await handler(event)).toEqual({ handled: 'transient' });
    expect(await handler(event)).toEqual({ handled: 'transient' });

    expect(await entriesOf(invoiceId, 'email_bounced')).toEqual([
      expect.objectContaining({ to: [CLAIRE], permanent: false, eventId: 'evt-transient-1' }),
    ]);
    expect((await store.getInvoice(invoiceId))?.suppressedEmails).toEqual([]);
    expect(teamEmails).toEqual([]);
  });

  it('suppresses a permanently bounced address once, adds one entry and sends one team email', async () => {
    const { invoiceId, messageId } = await sentTo([CLAIRE]);
    const event = bounce('evt-bounce-1', messageId, [CLAIRE]);

    expect(await handler(event)).toEqual({ handled: 'email_bounced' });
    const afterFirst = await store.getInvoice(invoiceId);
    expect(await handler(event)).toEqual({ handled: 'email_bounced' });

    const record = await store.getInvoice(invoiceId);
    expect(record?.suppressedEmails).toEqual([CLAIRE]);
    // The second delivery did not write the record at all.
    expect(record).toEqual(afterFirst);
    expect(record?.version).toBe(2);
    expect(await entriesOf(invoiceId, 'email_bounced')).toEqual([
      { type: 'email_bounced', at: '2027-03-19T08:00:09.000Z', to: CLAIRE, messageId, permanent: true, eventId: `evt-bounce-1:${CLAIRE}` },
    ]);
    expect(teamEmails.map((email) => email.to)).toEqual([[HANDLER_ENV.TEAM_EMAIL]]);
    expect(await entriesOf(invoiceId, 'team_notified')).toHaveLength(1);
  });

  it('gives each address of one bounce event its own entry and alert, and the redelivery none more', async () => {
    const { invoiceId, messageId } = await sentTo([CLAIRE, PAUL]);
    const event = bounce('evt-bounce-2', messageId, [CLAIRE, PAUL]);

    await handler(event);
    await handler(event);

    expect((await store.getInvoice(invoiceId))?.suppressedEmails).toEqual([CLAIRE, PAUL]);
    const entries = await entriesOf(invoiceId, 'email_bounced');
    expect(entries.map((e) => [e.to, e.eventId])).toEqual(
      expect.arrayContaining([
        [CLAIRE, `evt-bounce-2:${CLAIRE}`],
        [PAUL, `evt-bounce-2:${PAUL}`],
      ]),
    );
    expect(entries).toHaveLength(2);
    expect(teamEmails.map((email) => email.tags?.email).sort()).toEqual([`bounce@${CLAIRE}`, `bounce@${PAUL}`].sort());
  });

  it('completes a delivery that stopped after suppressing the address: the entry is added, the record is not written again', async () => {
    // The first delivery suppressed the address, then the Lambda stopped before the timeline entry and the alert.
    const { invoiceId, messageId } = await sentTo([CLAIRE], [CLAIRE]);
    const before = await store.getInvoice(invoiceId);

    expect(await handler(bounce('evt-bounce-3', messageId, [CLAIRE]))).toEqual({ handled: 'email_bounced' });

    expect(await store.getInvoice(invoiceId)).toEqual(before);
    expect(await entriesOf(invoiceId, 'email_bounced')).toEqual([expect.objectContaining({ to: CLAIRE, eventId: `evt-bounce-3:${CLAIRE}` })]);
    expect(teamEmails).toHaveLength(1);
  });

  it('notes a complaint about an address that already bounced, without writing the record or alerting again', async () => {
    const { invoiceId, messageId } = await sentTo([CLAIRE]);
    await handler(bounce('evt-bounce-4', messageId, [CLAIRE]));
    const afterBounce = await store.getInvoice(invoiceId);

    const complaint = sesEvent('evt-complaint-4', messageId, [CLAIRE], {
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: CLAIRE }], complaintFeedbackType: 'abuse' },
    });
    expect(await handler(complaint)).toEqual({ handled: 'email_complaint' });
    expect(await handler(complaint)).toEqual({ handled: 'email_complaint' });

    expect(await store.getInvoice(invoiceId)).toEqual(afterBounce);
    expect((await entriesOf(invoiceId, 'email_complaint')).map((e) => e.eventId)).toEqual([`evt-complaint-4:${CLAIRE}`]);
    expect(teamEmails).toHaveLength(1);
  });
});
