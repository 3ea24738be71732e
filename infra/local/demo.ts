/**
 * `npm run demo`: a guided tour of the product on the local runtime, in well under a minute, no AWS account.
 *
 * Starts the runtime (a free port unless PORT is set, frozen virtual clock), registers four invoices as a billing
 * system would — French and English customers, EUR and GBP — and walks them day by day on the virtual clock:
 *   - Boulangerie Dupont promises a date from the pre-reminder's link, then pays before it;
 *   - Thames Valley Engineering disputes the amount, the credit team corrects it, the customer pays the new amount;
 *   - Atelier Moreau pays before the pre-reminder (no email at all);
 *   - Northwind Trading never answers: the whole ladder, up to the hand-off to legal with its evidence file.
 * Everything goes over HTTP (billing API, customer pages, /_local clock, outbox and executions), and the narrative
 * prints what happens: emails with their virtual timestamps, statuses, each execution's current state.
 */
import { pathToFileURL } from 'node:url';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { localDate, wallClockInstant } from '../../shared/domain/calendar';
import { addDays } from '../../shared/domain/dates';
import { requestJson } from './http-client';
import { createLocalRuntime, DEFAULT_API_KEY } from './runtime';

export interface DemoOptions {
  /** HTTP port; default PORT from the environment, else a free port. */
  port?: number;
  /** Where the narrative goes (default console.log). */
  print?: (line: string) => void;
  /** Virtual start time (default Monday 4 January 2027, 08:00 Paris). */
  startAt?: Date;
}

export interface DemoResult {
  /** Final status of each invoice, by invoice id. */
  statuses: Record<string, string>;
  /** Final execution status and state, by invoice id. */
  executions: Record<string, { status: string; currentState?: string }>;
  /** Emails sent per invoice. */
  emails: Record<string, number>;
  /** Virtual time at the end. */
  endedAt: string;
}

const ZONE = 'Europe/Paris';
const TEAM = 'credit team';

interface Reply {
  status: number;
  json: any;
}

interface Email {
  invoiceId?: string;
  to: string[];
  subject: string;
  links: string[];
  sentAt: string;
}

/** "Fri 19 Mar 2027 09:00", Paris time. */
function paris(instant: string | Date): string {
  return format(new TZDate(new Date(instant).getTime(), ZONE), 'EEE d LLL yyyy HH:mm');
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const envPort = process.env.PORT;
  const port = options.port ?? (envPort !== undefined && envPort !== '' ? Number(envPort) : 0);
  const startAt = options.startAt ?? new Date('2027-01-04T07:00:00.000Z');
  const runtime = await createLocalRuntime({
    port,
    apiKey: process.env.DUNNING_API_KEY || DEFAULT_API_KEY,
    speed: 0,
    startAt,
    dailyDigest: false,
    log: () => undefined,
  });
  const { url, apiKey } = runtime;

  const call = async (method: string, path: string, body?: unknown, auth = true): Promise<Reply> => {
    const reply = await requestJson(method, `${url}${path}`, { body, ...(auth ? { apiKey } : {}) });
    return { status: reply.status, json: reply.json ?? reply.text };
  };
  const expectOk = (reply: Reply, what: string) => {
    if (reply.status >= 400) throw new Error(`${what} answered ${reply.status}: ${JSON.stringify(reply.json)}`);
    return reply.json;
  };
  const post = async (link: string, form: Record<string, string>) => {
    const response = await fetch(link.replace(/\?.*$/, ''), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    await response.text();
    if (response.status >= 400) throw new Error(`answer on ${link} answered ${response.status}`);
  };
  const now = async () => new Date((await call('GET', '/_local/clock', undefined, false)).json.now);
  const clockTo = async (instant: string) => expectOk(await call('POST', '/_local/clock', { to: instant }, false), 'clock');
  const outbox = async (): Promise<Email[]> => (await call('GET', '/_local/outbox', undefined, false)).json;
  const executions = async (): Promise<{ invoiceId?: string; status: string; currentState?: string }[]> =>
    (await call('GET', '/_local/executions', undefined, false)).json;
  const invoice = async (id: string) => expectOk(await call('GET', `/invoices/${encodeURIComponent(id)}`), `GET ${id}`);

  try {
    const start = await now();
    const today = localDate(start, { timeZone: ZONE });
    print('Preventive dunning — demo on the local runtime');
    print(`  API ${url}   mail viewer ${runtime.mailViewerUrl}   virtual clock starts ${paris(start)} (Paris)`);
    print('');

    const people = {
      dupont: { id: 'FA-2027-0101', who: 'Boulangerie Dupont SARL (fr)' },
      thames: { id: 'INV-UK-55012', who: 'Thames Valley Engineering Ltd (en)' },
      moreau: { id: 'FA-2027-0102', who: 'Atelier Moreau (fr)' },
      northwind: { id: 'INV-UK-55013', who: 'Northwind Trading Ltd (en)' },
    };
    const names = Object.fromEntries(Object.values(people).map((p) => [p.id, p.who]));
    const bodies = [
      {
        invoiceId: people.dupont.id,
        customer: { id: 'C-FR-0007', name: 'Boulangerie Dupont SARL', language: 'fr', contacts: [{ name: 'Claire Dupont', email: 'compta@boulangerie-dupont.fr', role: 'Gérante' }] },
        amount: { value: 185_000, currency: 'EUR' },
        issueDate: today,
        dueDate: addDays(today, 30),
        purchaseOrder: 'BC-0419',
        paymentMethod: 'transfer',
      },
      {
        invoiceId: people.thames.id,
        customer: { id: 'C-UK-0031', name: 'Thames Valley Engineering Ltd', language: 'en', contacts: [{ name: 'Priya Shah', email: 'payables@thamesvalley-eng.co.uk', role: 'Accounts payable' }] },
        amount: { value: 1_240_000, currency: 'GBP' },
        issueDate: today,
        dueDate: addDays(today, 31),
        purchaseOrder: 'PO-88120',
      },
      {
        invoiceId: people.moreau.id,
        customer: { id: 'C-FR-0112', name: 'Atelier Moreau', language: 'fr', contacts: [{ name: 'Luc Moreau', email: 'luc@atelier-moreau.fr' }] },
        amount: { value: 64_000, currency: 'EUR' },
        issueDate: today,
        dueDate: addDays(today, 25),
      },
      {
        invoiceId: people.northwind.id,
        customer: { id: 'C-UK-0044', name: 'Northwind Trading Ltd', language: 'en', contacts: [{ name: 'Tom Baker', email: 'ap@northwind-trading.co.uk', phone: '+44 20 7946 0018' }] },
        amount: { value: 798_000, currency: 'EUR' },
        issueDate: today,
        dueDate: addDays(today, 28),
      },
    ];
    print('The billing system registers four invoices:');
    for (const body of bodies) {
      const registered = expectOk(await call('POST', '/invoices', body), `register ${body.invoiceId}`);
      const amount = new Intl.NumberFormat(body.customer.language === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: body.amount.currency }).format(body.amount.value / 100);
      print(`  ${body.invoiceId}  ${names[body.invoiceId].padEnd(36)} ${amount.padStart(12)}  due ${body.dueDate}  → ${registered.status}, pre-reminder ${paris(registered.preReminderAt)}`);
    }
    await call('POST', '/_local/clock', {}, false);

    let seenEmails = 0;
    const lastState = new Map<string, string>();
    /** Prints the emails sent and the invoices whose status or execution state changed since the last report. */
    const report = async () => {
      const emails = await outbox();
      for (const email of emails.slice(seenEmails)) {
        const to = email.to.map((a) => (a.startsWith('credit-team') ? TEAM : a)).join(', ');
        print(`  ${paris(email.sentAt)}  ✉ ${to}: “${email.subject}”`);
      }
      seenEmails = emails.length;
      const runs = await executions();
      for (const body of bodies) {
        const { status } = await invoice(body.invoiceId);
        const run = runs.find((e) => e.invoiceId === body.invoiceId);
        const line = `${status} — execution ${run?.status ?? 'not started'}${run?.currentState ? ` in “${run.currentState}”` : ''}`;
        if (lastState.get(body.invoiceId) !== line) {
          print(`      ${body.invoiceId} ${names[body.invoiceId]}: ${line}`);
          lastState.set(body.invoiceId, line);
        }
      }
    };
    await report();

    const emailFor = async (invoiceId: string, pattern: RegExp) =>
      (await outbox()).filter((e) => e.invoiceId === invoiceId && pattern.test(e.subject)).at(-1);
    // The invoice's answer page is where its `?action=` buttons lead (the email's other customer link is the statement).
    const answerLinkOf = (email: Email) => email.links.find((l) => /\/r\/[A-Za-z0-9_-]+\?action=/.test(l))!.replace(/\?.*$/, '');

    const done = new Set<string>();
    const closed = (status: string) => ['paid', 'cancelled', 'handed_off'].includes(status);
    let dupontPromise: string | undefined;
    let thamesDisputedOn: string | undefined;

    // Day by day at 10:00 Paris: the clock fires everything due (09:00 send slots included), then people act.
    for (let day = 1; day <= 120; day++) {
      const date = addDays(today, day);
      const at = wallClockInstant(date, 10, 0, ZONE).toISOString();
      const before = seenEmails;
      await clockTo(at);
      const emailsNow = (await outbox()).length;
      const actions: (() => Promise<void>)[] = [];

      // Atelier Moreau pays by transfer on day 3, long before its pre-reminder.
      if (day === 3) {
        actions.push(async () => {
          print(`  ${paris(at)}  💶 Atelier Moreau pays 640,00 € by transfer`);
          expectOk(await call('POST', `/invoices/${people.moreau.id}/payments`, { amount: { value: 64_000, currency: 'EUR' }, paidAt: date, reference: 'VIR-MOREAU-0001' }), 'pay');
        });
      }
      // Boulangerie Dupont answers the pre-reminder: payment by transfer two days before the due date.
      if (!dupontPromise) {
        const pre = await emailFor(people.dupont.id, /tout est-il en ordre/);
        if (pre && pre.sentAt < at) {
          dupontPromise = addDays(bodies[0].dueDate, -2);
          const promised = dupontPromise;
          actions.push(async () => {
            print(`  ${paris(at)}  🖱 Claire Dupont opens the link and promises a transfer on ${promised}`);
            await post(answerLinkOf(pre), { action: 'promise', promisedDate: promised, paymentMethod: 'transfer' });
          });
        }
      } else if (date === addDays(dupontPromise, -3) && !done.has('dupont-paid')) {
        done.add('dupont-paid');
        actions.push(async () => {
          print(`  ${paris(at)}  💶 Boulangerie Dupont pays 1 850,00 € by transfer, three days before the promised date`);
          expectOk(await call('POST', `/invoices/${people.dupont.id}/payments`, { amount: { value: 185_000, currency: 'EUR' }, paidAt: date, reference: 'VIR-DUPONT-7781' }), 'pay');
        });
      }
      // Thames Valley disputes the amount from the pre-reminder; four days later the team corrects it; they pay late.
      if (!thamesDisputedOn) {
        const pre = await emailFor(people.thames.id, /is everything in order/);
        if (pre && pre.sentAt < at) {
          thamesDisputedOn = date;
          actions.push(async () => {
            print(`  ${paris(at)}  🖱 Priya Shah reports a wrong amount: “The PO says £11,800.00 (agreed discount).”`);
            await post(answerLinkOf(pre), { action: 'dispute', reason: 'wrong_amount', message: 'The PO says £11,800.00 (agreed discount).' });
          });
        }
      } else if (date === addDays(thamesDisputedOn, 4)) {
        actions.push(async () => {
          print(`  ${paris(at)}  🧑‍💼 The credit team resolves the dispute: corrected amount £11,800.00`);
          expectOk(
            await call('POST', `/invoices/${people.thames.id}/dispute-resolution`, {
              outcome: 'corrected_amount',
              correctedAmount: { value: 1_180_000, currency: 'GBP' },
              note: 'Discount agreed on PO-88120',
            }),
            'resolve',
          );
        });
      } else if (date === addDays(bodies[1].dueDate, 5)) {
        actions.push(async () => {
          print(`  ${paris(at)}  💶 Thames Valley Engineering pays £11,800.00 by BACS`);
          expectOk(await call('POST', `/invoices/${people.thames.id}/payments`, { amount: { value: 1_180_000, currency: 'GBP' }, paidAt: date, reference: 'BACS-TVE-55012' }), 'pay');
        });
      }

      if (emailsNow === before && actions.length === 0) continue;
      await report();
      for (const action of actions) await action();
      await call('POST', '/_local/clock', {}, false);
      await report();

      const statuses = await Promise.all(bodies.map(async (b) => (await invoice(b.invoiceId)).status as string));
      if (statuses.every(closed)) break;
    }

    // The hand-off's evidence file.
    const evidence = await call('GET', `/invoices/${people.northwind.id}/evidence`);
    if (evidence.status === 200) {
      print('');
      print(`Evidence file of ${people.northwind.id} (GET /invoices/${people.northwind.id}/evidence): ${evidence.json.remindersSent.length} emails to the customer, ${evidence.json.timeline.length} timeline entries, claim today ${evidence.json.claim.total.value / 100} ${evidence.json.claim.total.currency} (principal ${evidence.json.claim.principal.value / 100}, penalties ${evidence.json.claim.penalties.amount.value / 100}).`);
    }

    const result: DemoResult = { statuses: {}, executions: {}, emails: {}, endedAt: (await now()).toISOString() };
    const runs = await executions();
    const emails = await outbox();
    print('');
    print(`Where things stand on ${paris(result.endedAt)} (virtual time):`);
    for (const body of bodies) {
      const { status } = await invoice(body.invoiceId);
      const run = runs.find((e) => e.invoiceId === body.invoiceId);
      result.statuses[body.invoiceId] = status;
      result.executions[body.invoiceId] = { status: run?.status ?? 'NONE', ...(run?.currentState ? { currentState: run.currentState } : {}) };
      result.emails[body.invoiceId] = emails.filter((e) => e.invoiceId === body.invoiceId).length;
      print(`  ${body.invoiceId}  ${names[body.invoiceId].padEnd(36)} ${status.padEnd(11)} execution ${run?.status} in “${run?.currentState}”, ${result.emails[body.invoiceId]} email(s)`);
    }
    return result;
  } finally {
    await runtime.stop();
  }
}

// `npm run demo` / `tsx infra/local/demo.ts`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  runDemo()
    .then(() => {
      console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s (real time).`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error('Demo failed:', error);
      process.exit(1);
    });
}
