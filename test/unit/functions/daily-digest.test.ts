/**
 * The daily digest with DynamoDB and SES mocked: the team hears of the invoices that need it and, when the legal rates
 * table lacks the current half-year, of that first; a day with nothing to say sends nothing.
 */
import { SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/daily-digest';
import { freshHandlerWorld, invoiceItem, mockAws } from '../../support/aws-mocks';
import { overrideDependencies } from '../../../shared/lambda/dependencies';
import { silentTelemetry } from '../../../shared/ports';
import { invoiceRecord } from '../../support/fixtures';

const aws = mockAws();

function world(now: string, overdue: ReturnType<typeof invoiceRecord>[] = []) {
  freshHandlerWorld(aws, now);
  aws.doc.on(PutCommand).resolves({});
  aws.doc.on(UpdateCommand).resolves({});
  aws.doc.on(QueryCommand).callsFake((input: { ExpressionAttributeValues?: Record<string, unknown>; Select?: string }) => {
    const items = input.ExpressionAttributeValues?.[':status'] === 'overdue' ? overdue.map(invoiceItem) : [];
    return input.Select === 'COUNT' ? { Count: items.length } : { Items: items };
  });
  aws.ses.on(SendEmailCommand).resolves({ MessageId: 'digest-1' });
}

const sent = () => aws.ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input as SendEmailCommandInput);
const text = (email: SendEmailCommandInput) => email.Content?.Simple?.Body?.Text?.Data ?? '';

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('the daily digest', () => {
  it('measures the open invoices of each status, for the dashboard', async () => {
    world('2027-04-05T06:00:00.000Z', [invoiceRecord({ status: 'overdue', phase: 'overdue' }), invoiceRecord({ invoiceId: 'F-2', status: 'overdue', phase: 'overdue' })]);
    const measured: [string, number, Record<string, string> | undefined][] = [];
    overrideDependencies({ telemetry: { ...silentTelemetry, measure: (metric, value, dimensions) => void measured.push([metric, value, dimensions]) } });
    await handler();
    expect(measured).toEqual(
      ['scheduled', 'awaiting_reply', 'promised', 'disputed', 'overdue'].map((status) => ['OpenInvoices', status === 'overdue' ? 2 : 0, { status }]),
    );
  });

  beforeEach(() => aws.ses.reset());

  it('sends nothing on a day with no invoice to list and rates up to date', async () => {
    world('2026-03-16T07:00:00.000Z'); // H1 2026 is in the table
    expect(await handler()).toEqual({ sent: false, invoices: 0 });
    expect(sent()).toEqual([]);
  });

  it('asks the team to add the half-year the rates table lacks, even with no invoice to list', async () => {
    world('2026-12-01T07:00:00.000Z'); // H2 2026 is not in the table
    expect(await handler()).toEqual({ sent: true, invoices: 0 });
    const [digest] = sent();
    expect(text(digest)).toContain('shared/domain/rates.ts');
    expect(text(digest)).toMatch(/provisoire/);
  });

  it('lists the overdue invoices in French, the rates request first when the table is behind', async () => {
    world('2026-12-01T07:00:00.000Z', [invoiceRecord({ status: 'overdue', phase: 'overdue' })]);
    expect(await handler()).toEqual({ sent: true, invoices: 1 });
    const body = text(sent()[0]);
    expect(body).toContain('F-2027-0042');
    expect(body.indexOf('rates.ts')).toBeLessThan(body.indexOf('F-2027-0042'));
  });
});
