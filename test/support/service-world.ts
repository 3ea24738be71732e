/**
 * The services as they run in production but for the edges: the real DynamoDB store on an emulator (dynalite, so
 * conditional writes and races are real), a clock the test sets, a workflow that records its calls and a mailer that
 * keeps what it sends. One emulator per test file; each test registers its own invoice ids.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DynamoDbInvoiceStore } from '../../shared/adapters/dynamodb-store';
import type { BillingSettings } from '../../shared/domain/billing';
import { DEFAULT_CALENDAR } from '../../shared/domain/calendar';
import type { InvoiceRecord } from '../../shared/domain/invoice';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { EXAMPLE_CREDITOR } from '../../shared/lambda/config';
import type { Dependencies } from '../../shared/ports';
import type { NotificationSettings } from '../../shared/services/notifications';
import { startDynalite, type LocalDynamo } from './dynalite';
import { invoiceRecord } from './fixtures';
import { FixedClock, InlineSignals, MemoryDocuments, RecordingMailer, RecordingWorkflow } from './recording-ports';

export const SETTINGS: BillingSettings & NotificationSettings = {
  calendar: DEFAULT_CALENDAR,
  policy: DEFAULT_POLICY,
  executionHorizonDays: 240,
  creditor: EXAMPLE_CREDITOR,
  teamEmail: 'credit-team@example.com',
  publicBaseUrl: 'https://pay.example.com',
  teamLanguage: 'fr',
};

export interface ServiceWorld {
  /** The emulator itself, for what a test writes as another version of the product would have. */
  dynamo: LocalDynamo;
  store: DynamoDbInvoiceStore;
  clock: FixedClock;
  workflow: RecordingWorkflow;
  signals: InlineSignals;
  mailer: RecordingMailer;
  documents: MemoryDocuments;
  deps: Dependencies;
  /** Writes a record as the execution would have left it; a fresh id unless one is given. */
  stored(overrides?: Partial<InvoiceRecord>): Promise<InvoiceRecord>;
  read(invoiceId: string): Promise<InvoiceRecord>;
}

/** Call at the top of a test file: the world is fresh for each test, the emulator shared by the file. */
export function useServiceWorld(prefix: string, startAt = '2027-03-19T08:00:00.000Z'): ServiceWorld {
  let dynamo: LocalDynamo;
  let counter = 0;
  const world = {} as ServiceWorld;
  beforeAll(async () => {
    dynamo = await startDynalite();
    world.dynamo = dynamo;
    world.store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
  });
  afterAll(() => dynamo?.stop());
  beforeEach(() => {
    world.clock = new FixedClock(startAt);
    world.workflow = new RecordingWorkflow();
    world.signals = new InlineSignals(() => world.deps);
    world.mailer = new RecordingMailer();
    world.documents = new MemoryDocuments();
    world.deps = { store: world.store, clock: world.clock, workflow: world.workflow, signals: world.signals, mailer: world.mailer, documents: world.documents };
  });
  world.stored = async (overrides = {}) => {
    const record = invoiceRecord({ invoiceId: `${prefix}-${++counter}`, ...overrides });
    await world.store.createInvoice(record);
    return record;
  };
  world.read = async (invoiceId) => {
    const record = await world.store.getInvoice(invoiceId);
    if (!record) throw new Error(`no record ${invoiceId}`);
    return record;
  };
  return world;
}
