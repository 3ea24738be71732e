/** The document store on S3: one bucket, keys per invoice (see `invoiceDocumentKey`). */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentStore, StoredDocument } from '../ports/documents';
import { awsClient } from './aws-clients';

export interface S3DocumentsOptions {
  bucket: string;
  /** Path-style addressing, for an S3-compatible emulator (the local runtime); AWS uses virtual-hosted style. */
  forcePathStyle?: boolean;
}

export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    // The SDK adds a checksum to every upload, which S3 requires of a bucket under Object Lock.
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async get(key: string): Promise<StoredDocument | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: await object.Body!.transformToByteArray(), contentType: object.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** A presigned GET, signed with the function's own (temporary) credentials: it expires with them at the latest. */
  async url(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }
}

export function s3Documents(options: S3DocumentsOptions): DocumentStore {
  const client = options.forcePathStyle ? new S3Client({ forcePathStyle: true }) : awsClient(S3Client);
  return new S3DocumentStore(client, options.bucket);
}
