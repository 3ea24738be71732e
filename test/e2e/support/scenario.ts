/**
 * Shared steps of the scenarios: register (and remember, so that the invoice is closed after its test and stops
 * costing time to later clock advances), the execution of an invoice, the emails of an invoice by kind.
 */
import { afterEach, expect } from 'vitest';
import { countKinds, kindOf, type DunningClient, type Email, type EmailKind, type ExecutionSummary } from './client';
import type { RegisterBody } from './invoices';

export function scenarioHelpers(client: () => DunningClient) {
  const opened: string[] = [];

  // Close what a test left open: its timers would otherwise keep firing during the next tests' clock advances.
  afterEach(async () => {
    const ids = opened.splice(0);
    for (const id of ids) await client().cancel(id, 'end of test');
    if (ids.length) await client().settle();
  });

  return {
    /** Registers an invoice and expects 201. */
    async register(body: RegisterBody) {
      const reply = await client().register(body);
      expect(reply.status, reply.text).toBe(201);
      opened.push(body.invoiceId);
      await client().settle();
      return reply.json as { invoiceId: string; status: string; executionName: string; preReminderAt: string; warnings: string[] };
    },

    /** The one execution of an invoice. */
    async execution(invoiceId: string): Promise<ExecutionSummary> {
      const executions = await client().executionsOf(invoiceId);
      expect(executions, `executions of ${invoiceId}`).toHaveLength(1);
      return executions[0];
    },

    /** The states the invoice's one execution entered, in order: what Step Functions bills (one transition each). */
    async statesEntered(invoiceId: string): Promise<string[]> {
      const { name } = await this.execution(invoiceId);
      const history = await client().execution(name);
      return history.events.filter((event) => event.type === 'StateEntered').map((event) => event.state!);
    },

    async emails(invoiceId: string, kind?: EmailKind): Promise<Email[]> {
      const emails = await client().outbox(invoiceId);
      return kind ? emails.filter((e) => kindOf(e) === kind) : emails;
    },

    async counts(invoiceId: string) {
      return countKinds(await client().outbox(invoiceId));
    },

    /** The one email of that kind for the invoice (fails if there are none or several). */
    async only(invoiceId: string, kind: EmailKind): Promise<Email> {
      const emails = (await client().outbox(invoiceId)).filter((e) => kindOf(e) === kind);
      expect(emails.map((e) => e.subject), `${kind} emails of ${invoiceId}`).toHaveLength(1);
      return emails[0];
    },

    async status(invoiceId: string): Promise<string> {
      return (await client().invoice(invoiceId)).status;
    },

    async timelineTypes(invoiceId: string): Promise<string[]> {
      return (await client().invoice(invoiceId)).timeline.map((t) => t.type);
    },
  };
}
