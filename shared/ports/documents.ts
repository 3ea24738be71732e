/** Where documents live (S3 in `shared/adapters/s3-documents.ts`): emails as sent, letters, evidence bundles. */
export interface StoredDocument {
  body: Uint8Array;
  contentType: string;
}

export interface DocumentStore {
  /**
   * Stores a document under `key`. Writing the same key again keeps the earlier version (the bucket is versioned and
   * locked against deletion on AWS): a retry that writes it again loses nothing.
   */
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<StoredDocument | undefined>;
  /** A link that fetches the document without credentials for `expiresInSeconds` (a bundle too big for an API answer). */
  url(key: string, expiresInSeconds: number): Promise<string>;
}

/** The key of a document of an invoice: `invoices/<invoice id, URL-encoded>/<path>`, so ids with `/` stay one folder. */
export function invoiceDocumentKey(invoiceId: string, path: string): string {
  return `invoices/${encodeURIComponent(invoiceId)}/${path}`;
}
