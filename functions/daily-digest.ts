/**
 * The operator's morning digest (EventBridge Scheduler, business days, creditor time): open disputes, promises,
 * overdue invoices on the ladder, each with what happens next, and formal notices whose registered letter is still to post, in the team's language and time zone. Sent once per
 * local day, and only when something is listed — a legal rates table missing the current half-year counts.
 */
import { localDate } from '../shared/domain/calendar';
import { ratesOutdated } from '../shared/domain/rates';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { sesMailer } from '../shared/lambda/adapters';
import { letterToPost } from '../shared/domain/registered-letter';
import { DIGEST_STATUSES, invoiceDigestSection, lettersDigestSection, ratesDigestSection } from '../shared/rendering/email/team-emails';
import { sendTeamEmail } from '../shared/services/notifications';
import { CLOSED_STATUSES, STATUSES } from '../shared/domain/invoice';

/** The statuses an invoice can be open in: their counts are the dashboard's "invoices by status". */
const OPEN_STATUSES = STATUSES.filter((status) => !CLOSED_STATUSES.has(status));

export async function handler(): Promise<{ sent: boolean; invoices: number }> {
  const deps = getDependencies({ mailer: sesMailer });
  const config = getConfig();
  // Each business morning, how many invoices are open in each status (closed ones only ever grow: not counted).
  const counts = await Promise.all(OPEN_STATUSES.map((status) => deps.store.countByStatus(status)));
  OPEN_STATUSES.forEach((status, i) => deps.telemetry?.measure('OpenInvoices', counts[i]!, { status }));
  const locale = { language: config.teamLanguage, timeZone: config.calendar.timeZone };
  const today = localDate(deps.clock.now(), config.calendar);
  const outdated = ratesOutdated(today);
  const lists = await Promise.all(DIGEST_STATUSES.map((status) => deps.store.listByStatus(status, 200)));
  const invoices = lists.reduce((n, l) => n + l.length, 0);
  const letters = lists.flat().filter(letterToPost);
  // Nothing needs the team today: no email (a daily "nothing" trains people to ignore the digest).
  if (invoices === 0 && !outdated) return { sent: false, invoices };
  // The rates alone: their section, without three empty lists under it. Letters to post come first: they are the
  // proof of a formal notice, and the hand-off waits for them.
  const digest = [
    ...(outdated ? [ratesDigestSection(outdated, locale)] : []),
    ...(letters.length ? [lettersDigestSection(letters, locale)] : []),
    ...(invoices > 0 ? DIGEST_STATUSES.map((status, i) => invoiceDigestSection(status, lists[i], locale)) : []),
  ];
  const sent = await sendTeamEmail(deps, config, undefined, 'daily_digest', `digest@${today}`, { digest });
  return { sent: sent.length > 0, invoices };
}
