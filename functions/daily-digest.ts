/**
 * The operator's morning digest (EventBridge Scheduler, business days, creditor time): open disputes, promises,
 * overdue invoices on the ladder, each with what happens next. Sent once per local day, and only when something is
 * listed.
 */
import { localDate } from '../shared/domain/calendar';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { sesMailer } from '../shared/lambda/adapters';
import type { InvoiceRecord, InvoiceStatus } from '../shared/domain/invoice';
import { formatMoney } from '../shared/domain/money';
import { sendTeamEmail } from '../shared/services/notifications';

const SECTIONS: { status: InvoiceStatus; title: string }[] = [
  { status: 'disputed', title: 'Open disputes: resolve them' },
  { status: 'overdue', title: 'Overdue: on the escalation ladder' },
  { status: 'promised', title: 'Payment promised' },
];

const line = (r: InvoiceRecord) =>
  `${r.invoiceId} — ${r.customer.name} — ${formatMoney(r.outstanding, 'en')} — due ${r.dueDate}` +
  (r.promise && r.status === 'promised' ? ` — promised for ${r.promise.date}` : '') +
  (r.nextActionAt ? ` — next step ${r.nextActionAt}` : '');

export async function handler(): Promise<{ sent: boolean; invoices: number }> {
  const deps = getDependencies({ mailer: sesMailer });
  const config = getConfig();
  const lists = await Promise.all(SECTIONS.map((s) => deps.store.listByStatus(s.status, 200)));
  const invoices = lists.reduce((n, l) => n + l.length, 0);
  // Nothing needs the team today: no email (a daily "nothing" trains people to ignore the digest).
  if (invoices === 0) return { sent: false, invoices };
  const digest = SECTIONS.map((s, i) => ({ title: s.title, lines: lists[i].map(line) }));
  const today = localDate(deps.clock.now(), config.calendar);
  const sent = await sendTeamEmail(deps, config, undefined, 'daily_digest', `digest@${today}`, { digest });
  return { sent: sent.length > 0, invoices };
}
