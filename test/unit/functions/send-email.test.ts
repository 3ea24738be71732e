/**
 * The send-email task with SES and DynamoDB mocked: one email per reachable contact, through the configuration set,
 * never twice for the same step, never for a closed invoice.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type GetCommandInput, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/send-email';
import type { ExecutionState } from '../../../shared/domain/execution-state';
import type { InvoiceRecord } from '../../../shared/domain/invoice';
import { conditionalCheckFailed, freshHandlerWorld, HANDLER_ENV, invoiceItem, mockAws, serveItems } from '../../support/aws-mocks';
import { invoiceRecord, registration } from '../../support/fixtures';

const aws = mockAws();
const NOW = '2027-03-19T08:00:02.000Z';

const contacts = [
  registration.customer.contacts[0],
  { name: 'Jean Martin', email: 'jean@boulangerie-martin.fr' },
  { name: 'Ancienne adresse', email: 'ancienne@boulangerie-martin.fr' },
];

const customer = { ...registration.customer, contacts };
const preReminderDue = (overrides: Partial<InvoiceRecord> = {}) =>
  invoiceRecord({ customer, suppressedEmails: ['ancienne@boulangerie-martin.fr'], nextActionAt: '2027-03-19T08:00:00.000Z', ...overrides });

const state: ExecutionState = { invoiceId: 'F-2027-0042', revision: 1, step: 1, phase: 'before_pre_reminder', next: 'send_pre_reminder' };

let messages = 0;

beforeEach(() => {
  freshHandlerWorld(aws, NOW);
  aws.doc.on(PutCommand).resolves({});
  aws.doc.on(UpdateCommand).resolves({});
  // The customer has no other open invoice: each email is this invoice's own.
  aws.doc.on(QueryCommand).resolves({ Items: [] });
  aws.ses.on(SendEmailCommand).callsFake(() => ({ MessageId: `0100018e-ses-${++messages}` }));
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const puts = () => aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput);
const sent = () => aws.ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input as SendEmailCommandInput);

describe('send-email pre_reminder', () => {
  it('sends one email per contact that has not bounced, through the configuration set, each after claiming it', async () => {
    serveItems(aws, [invoiceItem(preReminderDue())]);

    const next = await handler({ state, email: 'pre_reminder' });

    expect(sent().map((email) => email.Destination?.ToAddresses)).toEqual([['compta@boulangerie-martin.fr'], ['jean@boulangerie-martin.fr']]);
    for (const email of sent()) {
      expect(email).toMatchObject({ FromEmailAddress: HANDLER_ENV.SENDER_EMAIL, ConfigurationSetName: HANDLER_ENV.SES_CONFIGURATION_SET });
      expect(email.Content?.Simple?.Body?.Text?.Data).toContain(`${HANDLER_ENV.PUBLIC_BASE_URL}/r/`);
    }
    const claims = puts().filter((input) => String(input.Item?.sk).startsWith('EMAIL#'));
    expect(claims.map((input) => input.Item?.sk)).toEqual([
      'EMAIL#pre_reminder@2027-03-31:compta@boulangerie-martin.fr',
      'EMAIL#pre_reminder@2027-03-31:jean@boulangerie-martin.fr',
    ]);
    for (const claim of claims) expect(claim.ConditionExpression).toBe('attribute_not_exists(#pk)');
    // Each email as the customer receives it is kept in the documents bucket, before it leaves and again with SES's id.
    const copies = aws.s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(copies.map((input) => [input.Bucket, input.Key])).toEqual([
      ['dunning-documents-test', 'invoices/F-2027-0042/emails/pre_reminder%402027-03-31%3Acompta%40boulangerie-martin.fr.json'],
      ['dunning-documents-test', 'invoices/F-2027-0042/emails/pre_reminder%402027-03-31%3Acompta%40boulangerie-martin.fr.json'],
      ['dunning-documents-test', 'invoices/F-2027-0042/emails/pre_reminder%402027-03-31%3Ajean%40boulangerie-martin.fr.json'],
      ['dunning-documents-test', 'invoices/F-2027-0042/emails/pre_reminder%402027-03-31%3Ajean%40boulangerie-martin.fr.json'],
    ]);
    const sentCopy = JSON.parse(String(copies[1].Body));
    expect(sentCopy).toMatchObject({ to: ['compta@boulangerie-martin.fr'], subject: sent()[0].Content?.Simple?.Subject?.Data, messageId: expect.stringMatching(/^0100018e-ses-/) });
    expect(sentCopy.html).toBe(sent()[0].Content?.Simple?.Body?.Html?.Data);
    expect(sentCopy.text).toBe(sent()[0].Content?.Simple?.Body?.Text?.Data);

    expect(next).toMatchObject({ next: 'wait', phase: 'awaiting_reply', wait: { until: '2027-03-31T22:00:00.000Z' } });
    const written = puts().find((input) => input.Item?.sk === 'INVOICE')!;
    expect(written.Item).toMatchObject({ preReminderSentFor: '2027-03-31', status: 'awaiting_reply', phase: 'awaiting_reply' });
  });

  it('sends nothing when the step runs again and finds its emails sent', async () => {
    const invoice = invoiceItem(preReminderDue());
    aws.doc.on(GetCommand).callsFake((input: GetCommandInput) =>
      // Every claim is taken, by an attempt that saw its email leave (it holds SES's message id).
      String(input.Key?.sk).startsWith('EMAIL#') ? { Item: { ...input.Key, messageId: 'ses-earlier' } } : input.Key?.sk === invoice.sk ? { Item: structuredClone(invoice) } : {},
    );
    aws.doc.on(PutCommand).callsFake((input: PutCommandInput) => {
      if (String(input.Item?.sk).startsWith('EMAIL#')) throw conditionalCheckFailed();
      return {};
    });

    const next = await handler({ state, email: 'pre_reminder' });

    expect(sent()).toEqual([]);
    expect(puts().filter((input) => String(input.Item?.sk).startsWith('LINK'))).toEqual([]);
    // The step still completes, so the execution moves on to await the reply.
    expect(next).toMatchObject({ next: 'wait', phase: 'awaiting_reply' });
  });

  it('sends nothing for a paid invoice', async () => {
    serveItems(aws, [invoiceItem(preReminderDue({ status: 'paid', phase: 'closed' }))]);
    await handler({ state, email: 'pre_reminder' });
    expect(sent()).toEqual([]);
    expect(puts().filter((input) => String(input.Item?.sk).startsWith('EMAIL#'))).toEqual([]);
  });

  it('sends nothing for a cancelled invoice', async () => {
    serveItems(aws, [invoiceItem(preReminderDue({ status: 'cancelled', phase: 'closed' }))]);
    await handler({ state, email: 'pre_reminder' });
    expect(sent()).toEqual([]);
  });

  it('refuses an email step it does not know', async () => {
    await expect(handler({ state, email: 'newsletter' })).rejects.toThrow(/Unknown email step/);
  });
});
