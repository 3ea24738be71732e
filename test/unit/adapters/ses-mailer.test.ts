import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsClient, resetClients } from '../../../shared/adapters/aws-clients';
import { sanitizeTag, sesMailer, SesMailer } from '../../../shared/adapters/ses-mailer';
import type { OutgoingEmail } from '../../../shared/ports';

const ses = mockClient(SESv2Client);

const email: OutgoingEmail = {
  to: ['compta@boulangerie-martin.fr'],
  subject: 'Facture F-2027/0042 : tout est-il en ordre ?',
  html: '<p>Bonjour Claire,</p><p>Montant : 1 234,56 €</p>',
  text: 'Bonjour Claire,\nMontant : 1 234,56 €',
  tags: { invoiceId: 'F-2027/0042.v2', 'email key': 'pre_reminder' },
  replyTo: ['credit-team@example.com'],
};

beforeEach(() => {
  ses.reset();
});

describe('SesMailer', () => {
  it('sends simple UTF-8 content with the configuration set, sanitized tags and reply-to', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0102018f-abc' });
    const mailer = new SesMailer(new SESv2Client({}), { from: 'billing@example.com', configurationSetName: 'dunning' });

    expect(await mailer.send(email)).toBe('0102018f-abc');

    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      FromEmailAddress: 'billing@example.com',
      Destination: { ToAddresses: ['compta@boulangerie-martin.fr'] },
      ReplyToAddresses: ['credit-team@example.com'],
      Content: {
        Simple: {
          Subject: { Data: 'Facture F-2027/0042 : tout est-il en ordre ?', Charset: 'UTF-8' },
          Body: {
            Html: { Data: '<p>Bonjour Claire,</p><p>Montant : 1 234,56 €</p>', Charset: 'UTF-8' },
            Text: { Data: 'Bonjour Claire,\nMontant : 1 234,56 €', Charset: 'UTF-8' },
          },
        },
      },
      ConfigurationSetName: 'dunning',
      EmailTags: [
        { Name: 'invoiceId', Value: 'F-2027_0042_v2' },
        { Name: 'email_key', Value: 'pre_reminder' },
      ],
    });
  });

  it('sends attachments (the formal notice\'s PDF) as base64 parts of the simple content, by name and type', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-pdf' });
    const mailer = new SesMailer(new SESv2Client({}), { from: 'billing@example.com' });
    const content = new Uint8Array([0x25, 0x50, 0x44, 0x46]);

    await mailer.send({ ...email, attachments: [{ filename: 'mise-en-demeure.pdf', contentType: 'application/pdf', content, key: 'invoices/F/letters/x.pdf' }] });

    expect(ses.commandCalls(SendEmailCommand)[0].args[0].input.Content?.Simple?.Attachments).toEqual([
      { FileName: 'mise-en-demeure.pdf', ContentType: 'application/pdf', RawContent: content, ContentDisposition: 'ATTACHMENT', ContentTransferEncoding: 'BASE64' },
    ]);
  });

  it('leaves out the optional fields when there is nothing to send', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const mailer = new SesMailer(new SESv2Client({}), { from: 'billing@example.com' });

    await mailer.send({ ...email, tags: undefined, replyTo: undefined });

    const input = ses.commandCalls(SendEmailCommand)[0].args[0].input;
    expect(input).not.toHaveProperty('ConfigurationSetName');
    expect(input).not.toHaveProperty('EmailTags');
    expect(input).not.toHaveProperty('ReplyToAddresses');
    expect(input.Content?.Simple).not.toHaveProperty('Attachments');
  });

  it('fails when SES returns no message id', async () => {
    ses.on(SendEmailCommand).resolves({});
    const mailer = new SesMailer(new SESv2Client({}), { from: 'billing@example.com' });
    await expect(mailer.send(email)).rejects.toThrow(/MessageId/);
  });

  it('passes SES errors through', async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const mailer = new SesMailer(new SESv2Client({}), { from: 'billing@example.com' });
    await expect(mailer.send(email)).rejects.toMatchObject({ name: 'MessageRejected' });
  });
});

describe('sanitizeTag', () => {
  it('keeps what SES accepts and replaces the rest', () => {
    expect(sanitizeTag('Abc_09-z')).toBe('Abc_09-z');
    expect(sanitizeTag('FAC 2027/é.1')).toBe('FAC_2027___1');
    expect(sanitizeTag('x'.repeat(300))).toHaveLength(256);
  });
});

describe('sesMailer', () => {
  it('makes one attempt per email, so that an error means the email was refused, not maybe sent', async () => {
    resetClients();
    sesMailer({ from: 'billing@example.com' });
    expect(await awsClient(SESv2Client).config.maxAttempts()).toBe(1);
    resetClients();
  });
});
