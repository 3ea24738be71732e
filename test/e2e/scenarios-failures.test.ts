/**
 * When AWS misbehaves, over HTTP on the virtual clock: SES refusing an email is retried and the email leaves once;
 * SES refusing it for good ends in "Needs attention" with the team told which invoice and why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getDependencies, overrideDependencies } from '../../shared/lambda/dependencies';
import type { Mailer, OutgoingEmail } from '../../shared/ports';
import { TEAM_EMAIL, addDays, kindOf, useRuntime } from './support/client';
import { frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z';
const client = useRuntime(START);
const s = scenarioHelpers(client);

/** Puts a mailer in front of the runtime's that SES-refuses mail to `address` (`times` times, or always). */
function refuseMailTo(address: string, times = Infinity): { attempts: () => number } {
  const real = getDependencies().mailer;
  let attempts = 0;
  const refusing: Mailer = {
    async send(email: OutgoingEmail) {
      if (email.to.includes(address) && attempts++ < times) {
        throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
      }
      return real.send(email);
    },
  };
  overrideDependencies({ mailer: refusing });
  restore = () => overrideDependencies({ mailer: real });
  return { attempts: () => attempts };
}
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('SES refusing emails', () => {
  it('retries a refused pre-reminder and sends it exactly once', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('FLAKY'), today, { dueDate: addDays(today, 30) });
    const address = body.customer.contacts[0].email;
    const refusals = refuseMailTo(address, 2);
    const registered = await s.register(body);

    await c.clockTo(registered.preReminderAt);

    expect(refusals.attempts()).toBe(3);
    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['pre_reminder']);
    expect((await s.execution(body.invoiceId)).currentState).toBe('Await customer reply');
  });

  it('ends in "Needs attention" and tells the team when SES keeps refusing', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('DOWN'), today, { dueDate: addDays(today, 30) });
    refuseMailTo(body.customer.contacts[0].email);
    const registered = await s.register(body);

    await c.clockTo(registered.preReminderAt);

    const execution = await s.execution(body.invoiceId);
    expect(execution).toMatchObject({ status: 'FAILED', currentState: 'Needs attention' });
    const emails = await s.emails(body.invoiceId);
    expect(emails.map(kindOf)).toEqual(['team_needs_attention']);
    expect(emails[0].to).toEqual([TEAM_EMAIL]);
    expect(emails[0].text).toContain(body.invoiceId);
    expect(emails[0].text).toContain('TooManyRequestsException');
    expect(await s.timelineTypes(body.invoiceId)).toContain('needs_attention');
  });

  it('lets the operator restart the invoice once SES is back, and the pre-reminder leaves then', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('RESTART'), today, { dueDate: addDays(today, 30) });
    refuseMailTo(body.customer.contacts[0].email);
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'FAILED', currentState: 'Needs attention' });

    // Refused while it runs: only an ended execution can be restarted.
    const other = frenchInvoice(invoiceNumber('RUNNING'), today, { dueDate: addDays(today, 60) });
    await s.register(other);
    const refused = await c.request('POST', `/invoices/${other.invoiceId}/restart`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('execution_running');

    restore!();
    const restarted = await c.request('POST', `/invoices/${body.invoiceId}/restart`);
    expect(restarted.status).toBe(200);
    expect(restarted.json.executionName).toBe(`${body.invoiceId}-r2`);
    await c.settle();

    const executions = await c.executionsOf(body.invoiceId);
    expect(executions.map((e) => [e.name, e.status])).toEqual([
      [`${body.invoiceId}-r1`, 'FAILED'],
      [`${body.invoiceId}-r2`, 'RUNNING'],
    ]);
    expect(executions[1].currentState).toBe('Await customer reply');
    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['team_needs_attention', 'pre_reminder']);
    expect(await s.timelineTypes(body.invoiceId)).toContain('execution_restarted');
  });
});
