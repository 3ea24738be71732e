/**
 * SES configuration-set events through EventBridge: a permanent bounce suppresses the address and alerts the team.
 * Redelivery of the same event, against real conditional writes: ses-events-redelivery.test.ts.
 */
import { SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { PutCommand, UpdateCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/ses-events';
import { keys } from '../../../shared/adapters/dynamodb-table';
import { sha256 } from '../../../shared/domain/hashing';
import { conditionalCheckFailed, freshHandlerWorld, HANDLER_ENV, invoiceItem, mockAws, serveItems } from '../../support/aws-mocks';
import { invoiceRecord } from '../../support/fixtures';

const aws = mockAws();
const MESSAGE_ID = '0100018e5f2a7c3b-1f0e4d2c-pre-reminder';
const BOUNCED = 'compta@boulangerie-martin.fr';

function bounceEvent(id: string, bounceType: 'Permanent' | 'Transient' = 'Permanent') {
  return {
    version: '0',
    id,
    'detail-type': 'Email Bounced',
    source: 'aws.ses',
    account: '123456789012',
    time: '2027-03-19T08:00:09Z',
    region: 'eu-west-3',
    resources: [],
    detail: {
      eventType: 'Bounce',
      bounce: {
        bounceType,
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: BOUNCED, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: '2027-03-19T08:00:09.000Z',
        feedbackId: 'feedback-1',
      },
      mail: { timestamp: '2027-03-19T08:00:03.000Z', source: HANDLER_ENV.SENDER_EMAIL, messageId: MESSAGE_ID, destination: [BOUNCED] },
    },
  };
}

beforeEach(() => {
  freshHandlerWorld(aws, '2027-03-19T08:00:10.000Z');
  serveItems(aws, [
    invoiceItem(invoiceRecord({ status: 'awaiting_reply', phase: 'awaiting_reply' })),
    {
      ...keys.sesMessage(MESSAGE_ID),
      messageId: MESSAGE_ID,
      invoiceId: 'F-2027-0042',
      key: `pre_reminder@2027-03-31:${BOUNCED}`,
      to: [BOUNCED],
      sentAt: '2027-03-19T08:00:03.000Z',
    },
  ]);
  aws.doc.on(PutCommand).resolves({});
  aws.doc.on(UpdateCommand).resolves({});
  aws.ses.on(SendEmailCommand).resolves({ MessageId: 'team-alert-1' });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const invoicePuts = () =>
  aws.doc
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input as PutCommandInput)
    .filter((input) => input.Item?.sk === 'INVOICE');
const timelinePuts = () =>
  aws.doc
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input as PutCommandInput)
    .filter((input) => String(input.Item?.sk).startsWith('TIMELINE#'));
const sent = () => aws.ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input as SendEmailCommandInput);

describe('ses-events', () => {
  it('suppresses a permanently bounced address and alerts the team', async () => {
    expect(await handler(bounceEvent('evt-bounce-1'))).toEqual({ handled: 'email_bounced' });

    const puts = invoicePuts();
    expect(puts).toHaveLength(1);
    expect(puts[0].Item?.suppressedEmails).toEqual([BOUNCED]);
    expect(sent().map((email) => email.Destination?.ToAddresses)).toEqual([[HANDLER_ENV.TEAM_EMAIL]]);
    expect(aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input.Item)).toContainEqual(
      expect.objectContaining({ type: 'email_bounced', to: BOUNCED, permanent: true }),
    );
  });

  it("writes the bounce's entry at the event's time under a key derived from the event id and the address", async () => {
    await handler(bounceEvent('evt-bounce-key'));

    const eventId = `evt-bounce-key:${BOUNCED}`;
    const entry = timelinePuts().find((input) => input.Item?.type === 'email_bounced');
    expect(entry?.Item).toMatchObject({
      at: '2027-03-19T08:00:09.000Z',
      eventId,
      sk: `TIMELINE#2027-03-19T08:00:09.000Z#00${sha256(eventId).slice(0, 16)}`,
    });
    expect(entry?.ConditionExpression).toBe('attribute_not_exists(#pk)');
  });

  it('takes a taken key for an entry already written by an earlier delivery: no retry, no error', async () => {
    aws.doc.on(PutCommand).callsFake((input: PutCommandInput) => {
      if (String(input.Item?.sk).startsWith('TIMELINE#')) throw conditionalCheckFailed();
      return {};
    });
    const event = bounceEvent('evt-delivery-dup');
    const delivered = { ...event, 'detail-type': 'Email Delivered', detail: { eventType: 'Delivery', mail: event.detail.mail } };

    expect(await handler(delivered)).toEqual({ handled: 'delivery' });
    expect(timelinePuts().map((input) => input.Item?.type)).toEqual(['email_delivered']);
  });

  it('only notes a transient bounce: the address stays, nobody is alerted', async () => {
    expect(await handler(bounceEvent('evt-bounce-2', 'Transient'))).toEqual({ handled: 'transient' });
    expect(invoicePuts()).toEqual([]);
    expect(sent()).toEqual([]);
  });

  it('ignores events for messages it did not send', async () => {
    const event = bounceEvent('evt-bounce-3');
    event.detail.mail.messageId = 'someone-elses-message';
    expect(await handler(event)).toEqual({ handled: 'unknown_message' });
    expect(invoicePuts()).toEqual([]);
    expect(sent()).toEqual([]);
  });
});
