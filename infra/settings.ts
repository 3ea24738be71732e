/**
 * Deployment settings, read once from the CDK context (`cdk.json`, or `npx cdk deploy -c dunning:teamEmail=...`).
 * This is the one place that lists them, with their defaults. The stack turns them into the environment variables
 * that `shared/lambda/config.ts` reads in every handler.
 *
 * | context key             | default                     | meaning                                                     |
 * |-------------------------|-----------------------------|-------------------------------------------------------------|
 * | `dunning:senderEmail`   | `billing@example.com`       | From address of every email                                 |
 * | `dunning:senderDomain`  | none                        | Verify this domain (Easy DKIM) instead of the sender address |
 * | `dunning:teamEmail`     | `credit-team@example.com`   | Credit team: notifications and the daily digest             |
 * | `dunning:handOffEmail`  | none                        | Collection agency or lawyer: copied on hand-offs            |
 * | `dunning:alarmEndpoint` | none                        | Also told of alarms: an email address or an https:// URL    |
 * | `dunning:creditor`      | required (example in cdk.json) | Legal mentions (R123-237), bank details, team name and phone |
 * | `dunning:teamLanguage`  | `fr`                        | Language of the team's emails and digest (`fr` or `en`)     |
 * | `dunning:timeZone`      | `Europe/Paris`              | Creditor's time zone: due dates, send window, digest time   |
 * | `dunning:country`       | `FR`                        | Creditor's country: public holidays skipped                 |
 * | `dunning:sendTime`      | `09:00`                     | Local time at which emails go out                           |
 * | `dunning:publicBaseUrl` | the HTTP API's own URL      | Base URL of the customer links (a custom domain)            |
 * | `dunning:policy`        | the defaults in code        | Overrides of the dunning policy (`shared/domain/policy.ts`) |
 * | `dunning:documentRetentionYears` | 10                 | Years documents stay under Object Lock (governance mode)    |
 *
 * Object values may be given as JSON strings, which is what `-c key=value` on the command line produces.
 */
import type { Node } from 'constructs';
import { Creditor } from '../shared/domain/schemas';

/** The creditor as the handlers read it (shared/lambda/config.ts), so that what CDK passes is what they expect. */
export type CreditorSettings = Creditor;

export interface DunningSettings {
  senderEmail: string;
  /** When set, the SES identity is this domain (production: DKIM-signed mail); otherwise the sender address. */
  senderDomain?: string;
  teamEmail: string;
  /** Who takes over at hand-off (a collection agency, a lawyer): copied on hand-offs and on payments after them. */
  handOffEmail?: string;
  /** Also subscribed to the alarms topic, besides the team: an email address or an https:// URL (an on-call tool). */
  alarmEndpoint?: string;
  creditor: CreditorSettings;
  teamLanguage: 'fr' | 'en';
  timeZone: string;
  country: string;
  sendTime: string;
  /** Empty: customer links use the HTTP API's own URL. */
  publicBaseUrl: string;
  /** Partial policy, merged over the defaults by the handlers; absent: the defaults. */
  policy?: Record<string, unknown>;
  /** Years documents stay under Object Lock (the commercial records period by default). */
  documentRetentionYears: number;
}

/** No default creditor: emails and letters must not go out signed by an example company. */
export const DEFAULT_SETTINGS: Omit<DunningSettings, 'creditor'> = {
  senderEmail: 'billing@example.com',
  teamEmail: 'credit-team@example.com',
  teamLanguage: 'fr',
  timeZone: 'Europe/Paris',
  country: 'FR',
  sendTime: '09:00',
  publicBaseUrl: '',
  documentRetentionYears: 10,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const COUNTRY = /^[A-Z]{2}$/;
const HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;

/** Reads and checks the `dunning:*` context values; a wrong value fails the synth with the key's name. */
export function readSettings(node: Node): DunningSettings {
  const value = (key: string): unknown => node.tryGetContext(`dunning:${key}`);
  const text = (key: string, fallback: string): string => {
    const raw = value(key);
    if (raw === undefined || raw === null) return fallback;
    if (typeof raw !== 'string') throw new Error(`dunning:${key} must be a string`);
    return raw.trim();
  };
  const object = (key: string): Record<string, unknown> | undefined => {
    let raw = value(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw === 'string') {
      try {
        raw = JSON.parse(raw);
      } catch {
        throw new Error(`dunning:${key} must be a JSON object`);
      }
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`dunning:${key} must be an object`);
    return raw as Record<string, unknown>;
  };
  const check = (key: string, ok: boolean, expected: string) => {
    if (!ok) throw new Error(`dunning:${key} must be ${expected}`);
  };

  const senderEmail = text('senderEmail', DEFAULT_SETTINGS.senderEmail);
  check('senderEmail', EMAIL.test(senderEmail), 'an email address');
  const senderDomain = text('senderDomain', '') || undefined;
  if (senderDomain) {
    check('senderDomain', DOMAIN.test(senderDomain), 'a domain name');
    check('senderDomain', senderEmail.toLowerCase().endsWith(`@${senderDomain.toLowerCase()}`), `the domain of ${senderEmail}`);
  }
  const teamEmail = text('teamEmail', DEFAULT_SETTINGS.teamEmail);
  check('teamEmail', EMAIL.test(teamEmail), 'an email address');
  const handOffEmail = text('handOffEmail', '') || undefined;
  if (handOffEmail) check('handOffEmail', EMAIL.test(handOffEmail), 'an email address');
  const alarmEndpoint = text('alarmEndpoint', '') || undefined;
  if (alarmEndpoint) check('alarmEndpoint', EMAIL.test(alarmEndpoint) || HTTPS_URL.test(alarmEndpoint), 'an email address or an https:// URL');

  const parsedCreditor = Creditor.safeParse(object('creditor') ?? {});
  if (!parsedCreditor.success) {
    const fields = parsedCreditor.error.issues.map((issue) => `${issue.path.join('.') || '(object)'} ${issue.message}`).join('; ');
    throw new Error(`dunning:creditor must give the creditor's legal mentions, bank details and team: ${fields}`);
  }
  const creditor = parsedCreditor.data;

  const teamLanguage = text('teamLanguage', DEFAULT_SETTINGS.teamLanguage);
  check('teamLanguage', teamLanguage === 'fr' || teamLanguage === 'en', '"fr" or "en"');

  const timeZone = text('timeZone', DEFAULT_SETTINGS.timeZone);
  check('timeZone', isTimeZone(timeZone), 'an IANA time zone such as Europe/Paris');
  const country = text('country', DEFAULT_SETTINGS.country).toUpperCase();
  check('country', COUNTRY.test(country), 'an ISO 3166-1 alpha-2 code such as FR');
  const sendTime = text('sendTime', DEFAULT_SETTINGS.sendTime);
  check('sendTime', TIME.test(sendTime), 'a local time HH:mm');

  const publicBaseUrl = text('publicBaseUrl', DEFAULT_SETTINGS.publicBaseUrl).replace(/\/+$/, '');
  check('publicBaseUrl', publicBaseUrl === '' || HTTPS_URL.test(publicBaseUrl), 'empty or an https:// URL');

  const retention = value('documentRetentionYears') ?? DEFAULT_SETTINGS.documentRetentionYears;
  const documentRetentionYears = typeof retention === 'string' ? Number(retention) : retention;
  check('documentRetentionYears', Number.isInteger(documentRetentionYears) && (documentRetentionYears as number) >= 1 && (documentRetentionYears as number) <= 100, 'a whole number of years from 1 to 100');

  return {
    senderEmail,
    senderDomain,
    teamEmail,
    handOffEmail,
    alarmEndpoint,
    creditor,
    teamLanguage: teamLanguage as 'fr' | 'en',
    timeZone,
    country,
    sendTime,
    publicBaseUrl,
    policy: object('policy'),
    documentRetentionYears: documentRetentionYears as number,
  };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}
