/**
 * The evidence bundle (shared/services/evidence.ts) against the real store and an in-memory document store: what the
 * ZIP holds and how its manifest vouches for it, that the same evidence is not written twice into a bucket that
 * keeps every object for years, and that new evidence makes a new bundle.
 */
import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ExecutionState } from '../../../shared/domain/execution-state';
import { attachDocument } from '../../../shared/services/billing';
import { evidenceWithBundle, writeEvidenceBundle } from '../../../shared/services/evidence';
import { handOffToLegal } from '../../../shared/services/hand-off';
import { SETTINGS, useServiceWorld } from '../../support/service-world';

const world = useServiceWorld('F-EV', '2027-05-18T07:00:00.000Z');
const onTheLadder = { status: 'overdue' as const, phase: 'overdue' as const, escalation: { done: 4 }, nextActionAt: '2027-05-18T07:00:00.000Z' };
const state = (invoiceId: string): ExecutionState => ({ invoiceId, revision: 1, step: 12, phase: 'overdue', next: 'hand_off' });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const zipsOf = () => [...world.documents.versions.keys()].filter((key) => key.endsWith('.zip'));

async function handedOff() {
  const { invoiceId } = await world.stored(onTheLadder);
  await handOffToLegal(world.deps, SETTINGS, state(invoiceId));
  return invoiceId;
}

describe('writeEvidenceBundle', () => {
  it('is written at the hand-off: a ZIP whose manifest gives every other file\'s SHA-256, with the team\'s email as sent', async () => {
    const invoiceId = await handedOff();
    const [key] = zipsOf();
    const files = unzipSync((await world.documents.get(key!))!.body);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));

    expect(manifest).toMatchObject({ invoiceId, generatedAt: '2027-05-18T07:00:00.000Z', algorithm: 'SHA-256' });
    expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f: { path: string }) => f.path), 'manifest.json'].sort());
    for (const file of manifest.files) expect(sha256(files[file.path]!), file.path).toBe(file.sha256);
    const emails = Object.keys(files).filter((path) => path.startsWith('emails/'));
    expect(emails).toEqual([expect.stringMatching(/^emails\/001-2027-05-18-hand_off-team\.json$/)]);
    expect(new TextDecoder().decode(files['summary.pdf']!.subarray(0, 5))).toBe('%PDF-');
    const timeline = await world.store.listTimeline(invoiceId);
    expect(timeline.filter((t) => t.type === 'evidence_bundle')).toEqual([expect.objectContaining({ sha256: sha256((await world.documents.get(key!))!.body) })]);
  });

  it('answers the same bundle when nothing changed, instead of locking another copy of every document', async () => {
    const invoiceId = await handedOff();
    world.clock.set('2027-05-18T15:00:00.000Z');
    const first = await writeEvidenceBundle(world.deps, SETTINGS, invoiceId);
    const again = await writeEvidenceBundle(world.deps, SETTINGS, invoiceId);

    expect(again).toEqual(first);
    // The hand-off's own bundle is the one answered: same day, same evidence.
    expect(zipsOf()).toHaveLength(1);
    expect(first?.generatedAt).toBe('2027-05-18T07:00:00.000Z');
  });

  it('writes a new one when the evidence grows (a supporting document) or the claim moves on (the next day)', async () => {
    const invoiceId = await handedOff();
    await attachDocument(world.deps, invoiceId, { kind: 'delivery_proof', filename: 'bon de livraison.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 bon').toString('base64') });
    const withDocument = await writeEvidenceBundle(world.deps, SETTINGS, invoiceId);
    expect(withDocument?.files.map((f) => f.path)).toContain('documents/delivery_proof/bon de livraison.pdf');

    world.clock.set('2027-05-19T07:00:00.000Z');
    const nextDay = await writeEvidenceBundle(world.deps, SETTINGS, invoiceId);
    expect(nextDay?.generatedAt).toBe('2027-05-19T07:00:00.000Z');
    expect(zipsOf()).toHaveLength(3);
  });

  it('answers the evidence an earlier version wrote as it stood, without a bundle it holds no claim for', async () => {
    const { invoiceId } = await world.stored({ status: 'handed_off', phase: 'closed', handedOffAt: '2027-05-18T07:00:00.000Z' });
    const legacy = { generatedAt: '2027-05-18T07:00:00.000Z', invoice: { invoiceId }, timeline: [] };
    const doc = DynamoDBDocumentClient.from(world.dynamo.client);
    await doc.send(new PutCommand({ TableName: world.dynamo.tableName, Item: { pk: `INVOICE#${invoiceId}`, sk: 'EVIDENCE', evidence: legacy } }));
    expect(await evidenceWithBundle(world.deps, SETTINGS, invoiceId)).toEqual({ evidence: legacy });
    expect(zipsOf()).toEqual([]);
  });

  it('is nothing before a hand-off', async () => {
    const { invoiceId } = await world.stored(onTheLadder);
    expect(await writeEvidenceBundle(world.deps, SETTINGS, invoiceId)).toBeUndefined();
    expect(zipsOf()).toEqual([]);
  });
});
