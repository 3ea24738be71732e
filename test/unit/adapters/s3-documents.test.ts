import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../../shared/adapters/s3-documents';
import { invoiceDocumentKey } from '../../../shared/ports';

const s3 = mockClient(S3Client);
const store = new S3DocumentStore(new S3Client({ region: 'eu-west-3' }), 'dunning-documents');

beforeEach(() => s3.reset());

describe('S3DocumentStore', () => {
  it('puts a document in the bucket under its key, with its content type', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('invoices/F-1/emails/a.json', '{"subject":"Rappel"}', 'application/json');
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'dunning-documents',
      Key: 'invoices/F-1/emails/a.json',
      Body: '{"subject":"Rappel"}',
      ContentType: 'application/json',
    });
  });

  it('reads a document back, and nothing for a key that does not exist', async () => {
    // The SDK's streaming body, as far as the adapter uses it.
    const body = { transformToByteArray: async () => new TextEncoder().encode('%PDF-1.7') };
    s3.on(GetObjectCommand, { Key: 'there' }).resolves({ Body: body as never, ContentType: 'application/pdf' });
    s3.on(GetObjectCommand, { Key: 'missing' }).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    const found = await store.get('there');
    expect(new TextDecoder().decode(found!.body)).toBe('%PDF-1.7');
    expect(found!.contentType).toBe('application/pdf');
    expect(await store.get('missing')).toBeUndefined();
  });

  it('passes on any other failure', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(store.get('x')).rejects.toThrow('Access Denied');
  });
});

describe('invoiceDocumentKey', () => {
  it('keeps an invoice id with a slash in one folder', () => {
    expect(invoiceDocumentKey('F/2027/1', 'emails/x.json')).toBe('invoices/F%2F2027%2F1/emails/x.json');
  });
});
