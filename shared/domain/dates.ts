/**
 * Calendar dates (YYYY-MM-DD) and their arithmetic, without time zones or holidays: what validation needs, kept apart
 * from the business calendar so that code which only checks dates does not load the holidays library.
 *
 * A calendar date names a day, not an instant, so the arithmetic runs on UTC midnights (Date.UTC, getUTC*): UTC has no
 * DST, every day there is 24 hours long, and no time-zone library is needed.
 */

/** Where and when the creditor does business; the holidays themselves live in calendar.ts. */
export interface BusinessCalendar {
  /** IANA time zone, e.g. Europe/Paris. */
  timeZone: string;
  /** ISO 3166 country (optionally `FR-67` style with a region) whose public holidays are skipped. */
  country: string;
  /** Local send time, HH:mm. */
  sendTime: string;
}

export const DEFAULT_CALENDAR: BusinessCalendar = { timeZone: 'Europe/Paris', country: 'FR', sendTime: '09:00' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** UTC midnight of a YYYY-MM-DD string, or NaN when it is not written so or names no real day. */
function utcMidnight(value: string): number {
  const match = DATE.exec(value);
  if (!match) return NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear rather than Date.UTC, which reads years 0-99 as 1900-1999.
  const ms = new Date(0).setUTCFullYear(year, month - 1, day);
  // Out-of-range fields roll over (2027-02-30 becomes 2027-03-02): a real day is one that survives the round trip.
  return isoDate(ms) === value ? ms : NaN;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function checked(date: string): number {
  const ms = utcMidnight(date);
  if (Number.isNaN(ms)) throw new RangeError(`Not a calendar date: ${date}`);
  return ms;
}

/** True for a YYYY-MM-DD string that names a day that exists (2027-02-30 does not). */
export function isRealCalendarDate(value: string): boolean {
  return !Number.isNaN(utcMidnight(value));
}

/** The year, month (1-12) and day of the month of a calendar date; a RangeError for anything else. */
export function dateParts(date: string): { year: number; month: number; day: number } {
  const at = new Date(checked(date));
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
}

/** ISO day of the week: 1 for Monday to 7 for Sunday. */
export function weekday(date: string): number {
  return new Date(checked(date)).getUTCDay() || 7;
}

export function addDays(date: string, days: number): string {
  return isoDate(checked(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((checked(to) - checked(from)) / DAY_MS);
}
