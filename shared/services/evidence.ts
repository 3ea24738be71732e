/**
 * The evidence bundle: one ZIP in the document store that a lawyer, a collection agency or a court clerk can read
 * without the product. It holds a summary PDF (parties, the claim then and now, payments, the routing recommendation,
 * the story), the evidence file as JSON, every email as sent (customer's and team's, as kept when they left), the
 * formal notice's letters, the supporting documents, and `manifest.json` listing each file with its SHA-256 and the
 * bundle's date, so that nothing in it can be changed unnoticed. Written at the hand-off, and again (as of that day)
 * whenever the evidence is asked for, since a receipt, a document or a payment may have come since.
 */
import { zipSync } from 'fflate';
import { sha256 } from '../domain/hashing';
import { invoiceView, type InvoiceRecord, type TimelineEntry } from '../domain/invoice';
import type { Claim } from '../domain/claim';
import { invoiceClaim } from '../domain/invoice-claim';
import { recommendRoute } from '../domain/legal-routing';
import { timelineLine } from '../rendering/letters/timeline-lines';
import { invoiceDocumentKey, type Dependencies } from '../ports';
import type { NotificationSettings } from './notifications';
import { readTimeline } from './record-updates';

export interface BundleFile {
  path: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface EvidenceBundle {
  /** Where the ZIP is in the document store. */
  key: string;
  generatedAt: string;
  size: number;
  sha256: string;
  files: BundleFile[];
  /** Documents named by the timeline or the record that the store did not have (kept before copies existed). */
  missing: string[];
}

/** Changes when what a bundle holds changes shape, so that bundles of an earlier version are not answered again. */
const BUNDLE_FORMAT = 1;

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A file name safe in every unzip tool: no folders, no control or reserved characters. */
function safeName(name: string): string {
  const cleaned = name.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^\.+/, '_');
  return cleaned.slice(0, 150) || 'file';
}

/**
 * The evidence file and its bundle as of now, from one read of the record and the timeline; undefined before a
 * hand-off. Evidence an earlier version kept in an item of its own is answered as written, without a bundle: it holds
 * no claim to put one together from.
 */
export async function evidenceWithBundle(
  deps: Pick<Dependencies, 'store' | 'clock' | 'documents'>,
  config: Pick<NotificationSettings, 'creditor' | 'calendar' | 'teamLanguage'>,
  invoiceId: string,
): Promise<{ evidence: Evidence; bundle?: EvidenceBundle } | undefined> {
  const loaded = await loadEvidence(deps, config, invoiceId);
  if (!loaded?.record) return loaded;
  return { evidence: loaded.evidence, bundle: await writeBundle(deps, config, loaded.record, loaded.evidence) };
}

/** Writes the evidence bundle of a handed-off invoice as it stands now; undefined before a hand-off. */
export async function writeEvidenceBundle(
  deps: Pick<Dependencies, 'store' | 'clock' | 'documents'>,
  config: Pick<NotificationSettings, 'creditor' | 'calendar' | 'teamLanguage'>,
  invoiceId: string,
): Promise<EvidenceBundle | undefined> {
  return (await evidenceWithBundle(deps, config, invoiceId))?.bundle;
}

async function writeBundle(
  deps: Pick<Dependencies, 'clock' | 'documents'>,
  config: Pick<NotificationSettings, 'creditor' | 'calendar' | 'teamLanguage'>,
  record: InvoiceRecord,
  evidence: Evidence,
): Promise<EvidenceBundle> {
  const { invoiceId } = record;
  const generatedAt = deps.clock.now().toISOString();
  const language = config.teamLanguage;
  const routing = recommendRoute({
    kind: record.customer.kind ?? 'business',
    total: evidence.claim.total,
    ...(evidence.claim.indemnityApart ? {} : { indemnityInTotal: evidence.claim.indemnity }),
    ...(record.customer.address ? { debtorAddress: record.customer.address } : {}),
    language,
    asOf: generatedAt.slice(0, 10),
  });

  // The same evidence (record, timeline, claim of the day, documents) makes the same bundle: the one written already is
  // answered again, rather than one more copy of every document locked in the bucket for years. The entries that
  // note bundles themselves do not count, or each bundle would call for the next.
  const fingerprint = sha256(
    JSON.stringify({
      format: BUNDLE_FORMAT,
      evidence: { ...evidence, timeline: evidence.timeline.filter((entry) => entry.type !== 'evidence_bundle') },
      routing,
      documents: (record.documents ?? []).map((document) => document.key),
      letter: record.registeredLetter?.key,
    }),
  );
  const sidecar = invoiceDocumentKey(invoiceId, `evidence/${fingerprint}.json`);
  const written = await deps.documents.get(sidecar);
  if (written) return JSON.parse(new TextDecoder().decode(written.body)) as EvidenceBundle;

  // Each file with its manifest entry, hashed once as it is added.
  const files = new Map<string, { bytes: Uint8Array; entry: BundleFile }>();
  const add = (path: string, bytes: Uint8Array, contentType: string) => {
    // Two documents of the same name (a letter re-sent) both stay: the later one gets a number.
    let unique = path;
    for (let n = 2; files.has(unique); n++) unique = path.replace(/(\.[^./]+)?$/, `-${n}$1`);
    files.set(unique, { bytes, entry: { path: unique, contentType, size: bytes.byteLength, sha256: sha256(bytes) } });
  };
  const missing: string[] = [];
  // Fetched documents by key: the formal notice's email copies are read again for the letters they name.
  const fetched = new Map<string, Uint8Array | undefined>();
  const copy = async (key: string, path: string) => {
    if (fetched.has(key)) return;
    const document = await deps.documents.get(key);
    fetched.set(key, document?.body);
    if (document) add(path, document.body, document.contentType);
    else missing.push(key);
  };

  add('evidence.json', utf8(JSON.stringify({ ...evidence, routing }, null, 2)), 'application/json');
  add('timeline.json', utf8(JSON.stringify(evidence.timeline, null, 2)), 'application/json');
  await copyEmails(evidence.timeline, copy);
  await copyLetters(record, evidence.timeline, fetched, copy);
  for (const document of record.documents ?? []) await copy(document.key, `documents/${document.kind}/${safeName(document.filename)}`);

  // Loaded only for a bundle (see prepareFormalNotice): the hand-off's other work does without the PDF library.
  const { renderEvidenceSummary } = await import('../rendering/letters/evidence-summary');
  const summary = await renderEvidenceSummary({
    language,
    generatedAt,
    timeZone: config.calendar.timeZone,
    creditor: config.creditor,
    invoice: record,
    ...(evidence.claimAtHandOff ? { claimAtHandOff: evidence.claimAtHandOff } : {}),
    claim: evidence.claim,
    payments: evidence.payments.map((entry) => ({
      paidAt: String(entry.paidAt ?? entry.at),
      amount: entry.amount as { value: number; currency: string },
      reference: String(entry.reference ?? ''),
    })),
    timeline: evidence.timeline.map((entry) => ({ at: entry.at, text: timelineLine(entry, language) })),
    routing: { title: routing.title, lines: routing.lines },
    files: [...files.values()].map(({ entry }) => ({ path: entry.path, sha256: entry.sha256 })),
  });
  add('summary.pdf', summary, 'application/pdf');

  const manifestFiles = [...files.values()].map(({ entry }) => entry);
  const manifest = { invoiceId, generatedAt, algorithm: 'SHA-256', files: manifestFiles, ...(missing.length ? { missing } : {}) };
  const zipped = Object.fromEntries([...files].map(([path, { bytes }]) => [path, bytes]));
  zipped['manifest.json'] = utf8(JSON.stringify(manifest, null, 2));

  // Every entry dated with the bundle, so the same contents make the same ZIP.
  const mtime = new Date(generatedAt);
  const zip = zipSync(Object.fromEntries(Object.entries(zipped).map(([path, bytes]) => [path, [bytes, { mtime }]])), { level: 6 });
  // Named by its date and its evidence: two bundles of one instant (a document attached the moment of the hand-off)
  // never share a key, so a sidecar always names the ZIP it describes.
  const key = invoiceDocumentKey(invoiceId, `evidence/${generatedAt.replace(/[:.]/g, '-')}-${fingerprint.slice(0, 16)}.zip`);
  await deps.documents.put(key, zip, 'application/zip');
  const bundle: EvidenceBundle = { key, generatedAt, size: zip.byteLength, sha256: sha256(zip), files: manifestFiles, missing };
  await deps.documents.put(sidecar, JSON.stringify(bundle), 'application/json');
  return bundle;
}

type Copy = (key: string, path: string) => Promise<void>;

/**
 * Team emails that are the product's own diagnostics (an error's cause, an email that may not have left): they stay
 * with the team, not in a file handed to an agency or a court.
 */
const INTERNAL_EMAILS = new Set(['needs_attention', 'email_unconfirmed']);

/** Every email the timeline says left with a copy kept, but internal diagnostics: numbered in the order they left. */
async function copyEmails(timeline: TimelineEntry[], copy: Copy): Promise<void> {
  let n = 0;
  for (const entry of timeline) {
    if ((entry.type !== 'email_sent' && entry.type !== 'team_notified') || typeof entry.document !== 'string') continue;
    if (entry.type === 'team_notified' && INTERNAL_EMAILS.has(String(entry.email))) continue;
    n += 1;
    const who = entry.type === 'email_sent' ? String(entry.to ?? 'customer') : 'team';
    await copy(entry.document, `emails/${String(n).padStart(3, '0')}-${entry.at.slice(0, 10)}-${safeName(String(entry.email ?? 'email'))}-${safeName(who)}.json`);
  }
}

/** The formal notice's letters: the one to post, and every PDF an email carried (named in the email copies, fetched). */
async function copyLetters(record: InvoiceRecord, timeline: TimelineEntry[], fetched: ReadonlyMap<string, Uint8Array | undefined>, copy: Copy): Promise<void> {
  if (record.registeredLetter) await copy(record.registeredLetter.key, `letters/${safeName(record.registeredLetter.filename)}`);
  for (const entry of timeline) {
    if (entry.type !== 'email_sent' || entry.email !== 'formal_notice' || typeof entry.document !== 'string') continue;
    const stored = fetched.get(entry.document);
    const attachments = stored ? ((JSON.parse(new TextDecoder().decode(stored)) as { attachments?: { key: string; filename: string }[] }).attachments ?? []) : [];
    for (const attachment of attachments) await copy(attachment.key, `letters/email/${safeName(attachment.filename)}`);
  }
}

const ANSWERS = new Set(['promise', 'promise_broken', 'dispute', 'question', 'call_outcome', 'bank_details_confirmed', 'bank_details_differ']);
const DELIVERY = new Set(['email_delivered', 'email_bounced', 'email_complaint']);

/** How often the customer opened its pages: one view counted per link and day. */
function pageViews(views: TimelineEntry[]) {
  const days = new Set(views.map((view) => view.at.slice(0, 10)));
  return { count: views.length, days: days.size, ...(views.length ? { first: views[0]!.at, last: views[views.length - 1]!.at } : {}) };
}

function letterFacts(record: InvoiceRecord) {
  const { postedAt, trackingNumber, receivedAt, by } = record.registeredLetter ?? {};
  return { by, ...(postedAt ? { postedAt, trackingNumber } : {}), ...(receivedAt ? { receivedAt } : {}) };
}

/**
 * The evidence file: what the hand-off fixed, the invoice as it stands now (a payment may have come since), and from
 * the timeline every email sent, every answer and payment, and the whole story. Undefined before a hand-off.
 */
export async function readEvidence(deps: Pick<Dependencies, 'store' | 'clock'>, config: Pick<NotificationSettings, 'creditor' | 'calendar'>, invoiceId: string) {
  return (await loadEvidence(deps, config, invoiceId))?.evidence;
}

/** The evidence with the record it was composed from; no record for evidence an earlier version wrote as it stood. */
async function loadEvidence(
  deps: Pick<Dependencies, 'store' | 'clock'>,
  config: Pick<NotificationSettings, 'creditor' | 'calendar'>,
  invoiceId: string,
): Promise<{ evidence: Evidence; record?: InvoiceRecord } | undefined> {
  const record = await deps.store.getInvoice(invoiceId);
  if (!record?.handedOffAt) return undefined;
  // Handed off by a version that kept the evidence in an item of its own (the same fields but `atHandOff`): as written.
  if (!record.handOffEvidence) {
    const legacy = (await deps.store.getLegacyEvidence(invoiceId)) as Evidence | undefined;
    return legacy && { evidence: legacy };
  }
  const timeline = await readTimeline(deps.store, record);
  return { record, evidence: composeEvidence(record, record.handOffEvidence, config, timeline, invoiceClaim(record, config.calendar, deps.clock.now())) };
}

type Evidence = ReturnType<typeof composeEvidence>;

function composeEvidence(
  record: InvoiceRecord,
  fixed: NonNullable<InvoiceRecord['handOffEvidence']>,
  config: Pick<NotificationSettings, 'creditor'>,
  timeline: TimelineEntry[],
  claim: Claim,
) {
  const of = (test: (entry: TimelineEntry) => boolean) => timeline.filter(test);
  return {
    generatedAt: record.handedOffAt!,
    creditor: config.creditor,
    atHandOff: fixed.atHandOff,
    registration: record.registration,
    // The claim as the hand-off fixed it, and as it stands today (interest runs on; a payment may have come since).
    claimAtHandOff: fixed.claim,
    // A hand-off by an earlier version fixed only the penalties, as it computed them.
    ...(fixed.penalties ? { penaltiesAtHandOff: fixed.penalties } : {}),
    claim,
    invoice: invoiceView(record),
    remindersSent: of((t) => t.type === 'email_sent'),
    deliveries: of((t) => DELIVERY.has(t.type)),
    pageViews: pageViews(of((t) => t.type === 'page_viewed')),
    customerAnswers: of((t) => ANSWERS.has(t.type)),
    // Said plainly either way: a letter is claimed only once it is recorded as posted.
    registeredLetter: record.registeredLetter
      ? { requestedAt: record.registeredLetter.requestedAt, filename: record.registeredLetter.filename, posted: record.registeredLetter.postedAt !== undefined, ...letterFacts(record) }
      : { requested: false },
    payments: of((t) => t.type === 'payment'),
    penaltyDecisions: of((t) => t.type === 'penalties_waived' || t.type === 'penalties_claimable'),
    timeline,
  };
}
