/**
 * SES configuration-set events through EventBridge: a permanent bounce suppresses the address and alerts the team;
 * with the idempotency table configured, each event id is processed once (Powertools).
 */
import { PutItemCommand, UpdateItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand, UpdateCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/ses-events';
import { keys } from '../../../shared/adapters/dynamodb-table';
import { conditionalCheckFailed, freshHandlerWorld, HANDLER_ENV, invoiceItem, mockAws, serveItems } from '../../support/aws-mocks';
import { invoiceRecord } from '../../support/fixtures';

const aws = mockAws();
const MESSAGE_ID = '0100018e5f2a7c3b-1f0e4d2c-pre-reminder';
const BOUNCED = 'compta@boulangerie-martin.fr';
const IDEMPOTENCY_TABLE = 'dunning-idempotency-test';

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
  freshHandlerWorld(aws, '2027-03-19T08:00:10.000Z', { IDEMPOTENCY_TABLE_NAME: undefined });
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
const sent = () => aws.ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input as SendEmailCommandInput);

describe('ses-events without the idempotency table', () => {
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

describe('ses-events with the idempotency table', () => {
  it('processes the first delivery of an event id and answers the second from the idempotency record', async () => {
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', IDEMPOTENCY_TABLE);
    aws.ddb.on(UpdateItemCommand).resolves({});
    aws.ddb.on(PutItemCommand).resolvesOnce({});

    const event = bounceEvent('evt-bounce-dup');
    expect(await handler(event)).toEqual({ handled: 'email_bounced' });

    const [claim] = aws.ddb.commandCalls(PutItemCommand).map((call) => call.args[0].input as PutItemCommandInput);
    expect(claim.TableName).toBe(IDEMPOTENCY_TABLE);
    // The key is the hash of the event id (eventKeyJmesPath 'id'), so a redelivery of the same id finds it.
    const idHash = createHash('md5').update(JSON.stringify(event.id)).digest('base64');
    expect(claim.Item?.id?.S).toMatch(new RegExp(`#${idHash.replace(/[+/=]/g, '\\$&')}$`));
    expect(claim.ConditionExpression).toContain('attribute_not_exists(#id)');

    // EventBridge delivers the same event again: the idempotency record now exists and holds the result.
    aws.doc.resetHistory();
    aws.ses.resetHistory();
    const expiration = Math.floor(Date.now() / 1000) + 3600;
    aws.ddb.on(PutItemCommand).rejects(
      conditionalCheckFailed({
        id: { S: claim.Item!.id!.S! },
        status: { S: 'COMPLETED' },
        expiration: { N: String(expiration) },
        data: { M: { handled: { S: 'email_bounced' } } },
      }),
    );

    expect(await handler(event)).toEqual({ handled: 'email_bounced' });
    expect(aws.doc.commandCalls(GetCommand)).toEqual([]);
    expect(aws.doc.commandCalls(PutCommand)).toEqual([]);
    expect(sent()).toEqual([]);
    const keysUsed = aws.ddb.commandCalls(PutItemCommand).map((call) => (call.args[0].input as PutItemCommandInput).Item?.id?.S);
    expect(new Set(keysUsed)).toEqual(new Set([claim.Item!.id!.S]));
  });
});
