/**
 * The creditor's business calendar: dates are calendar dates in the creditor's time zone, emails leave at the send
 * time on business days (weekends and the country's public holidays skipped). Time zones come from @date-fns/tz (the
 * runtime's IANA data through Intl), holidays from date-holidays: no hand-written DST or holiday arithmetic here.
 * (Lambda bundles carry date-holidays' answers for the configured country instead of the library itself: see
 * shared/lambda/precomputed-holidays.ts.)
 */
import { TZDateMini } from '@date-fns/tz/date/mini';
import { tzOffset } from '@date-fns/tz/tzOffset';
import Holidays from 'date-holidays';

export { DEFAULT_CALENDAR, type BusinessCalendar } from './dates';
import type { BusinessCalendar } from './dates';

export { addDays, daysBetween, isRealCalendarDate } from './dates';
import { addDays, dateParts, weekday } from './dates';

const holidayCache = new Map<string, Set<string>>();

/** The public holidays of a country (`FR`, or `FR-67` for a region) in a year, as YYYY-MM-DD dates. */
export function publicHolidays(country: string, year: number): Set<string> {
  const key = `${country}:${year}`;
  let dates = holidayCache.get(key);
  if (!dates) {
    const [countryCode, region] = country.split('-');
    const holidays = region ? new Holidays(countryCode, region) : new Holidays(countryCode);
    dates = new Set(
      (holidays.getHolidays(year) || []).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(key, dates);
  }
  return dates;
}

export function isPublicHoliday(date: string, calendar: BusinessCalendar): boolean {
  return publicHolidays(calendar.country, dateParts(date).year).has(date);
}

export function isBusinessDay(date: string, calendar: BusinessCalendar): boolean {
  return weekday(date) <= 5 && !isPublicHoliday(date, calendar);
}

/** The date itself when it is a business day, else the closest earlier one. */
export function onOrBeforeBusinessDay(date: string, calendar: BusinessCalendar): string {
  let current = date;
  while (!isBusinessDay(current, calendar)) current = addDays(current, -1);
  return current;
}

/** The date itself when it is a business day, else the closest later one. */
export function onOrAfterBusinessDay(date: string, calendar: BusinessCalendar): string {
  let current = date;
  while (!isBusinessDay(current, calendar)) current = addDays(current, 1);
  return current;
}

/**
 * Every instant the system stores has the form of Date#toISOString (UTC, milliseconds), so that instants compare
 * correctly as strings: "08:00:00Z" would sort after "08:00:00.000Z" although it is the same moment.
 */
function canonicalInstant(at: Date): string {
  return at.toISOString();
}

const knownZones = new Set<string>();

/**
 * The time zone itself when the runtime's Intl knows it, else a RangeError. @date-fns/tz alone would give an Invalid
 * Date for most unknown names but read anything containing "+hh" or "-hh" ("Foo-05") as a fixed offset.
 */
function knownZone(timeZone: string): string {
  if (!knownZones.has(timeZone)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      throw new RangeError(`Not a time zone: ${timeZone}`);
    }
    knownZones.add(timeZone);
  }
  return timeZone;
}

/**
 * The instant at which the clock on the wall in `timeZone` shows `hour:minute` on `date`, asking @date-fns/tz which
 * offsets the zone uses that day rather than hard-coding any. On most days there is one, and one answer. In the
 * fall-back overlap the time exists twice: the first occurrence (summer time) wins. In the spring-forward gap it does
 * not exist: the earlier offset then reads it moved forward by the gap (02:30 becomes 03:30 summer time). That is
 * Temporal's default "compatible" disambiguation (and RFC 5545's), whatever the host's time zone and today's date.
 * TZDate's date-and-time constructor is not used for this: it goes through the host's time zone, and near the host's
 * own DST changes it can be an hour off (with TZ=Europe/Paris, 02:30 in Dublin on 2027-10-31 came out 01:30; see
 * github.com/date-fns/tz issues 13 and 40). Lambda runs in UTC, but the local runtime in the developer's time zone.
 */
export function wallClockInstant(date: string, hour: number, minute: number, timeZone: string): Date {
  const { year, month, day } = dateParts(date);
  const zone = knownZone(timeZone);
  const wall = new Date(0).setUTCFullYear(year, month - 1, day) + (hour * 60 + minute) * 60_000;
  // The offsets in force a day before and a day after: the same but across a DST change.
  const offsets = [tzOffset(zone, new Date(wall - 86_400_000)), tzOffset(zone, new Date(wall + 86_400_000))];
  const candidates = offsets.map((offset) => new TZDateMini(wall - offset * 60_000, zone));
  const showsTheTime = (at: Date) =>
    at.getFullYear() === year && at.getMonth() === month - 1 && at.getDate() === day && at.getHours() === hour && at.getMinutes() === minute;
  return candidates.find(showsTheTime) ?? candidates[0];
}

const SEND_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The instant (UTC ISO) of the send time on that local date; a send time inside a DST gap moves forward. */
export function sendInstant(date: string, calendar: BusinessCalendar): string {
  const time = SEND_TIME.exec(calendar.sendTime);
  if (!time) throw new RangeError(`Bad send time, HH:mm expected: ${calendar.sendTime}`);
  return canonicalInstant(wallClockInstant(date, Number(time[1]), Number(time[2]), calendar.timeZone));
}

/** Midnight at the start of that local date, as a UTC ISO instant (01:00 where the day starts with a DST gap). */
export function startOfLocalDay(date: string, calendar: BusinessCalendar): string {
  return canonicalInstant(wallClockInstant(date, 0, 0, calendar.timeZone));
}

/** The creditor-local calendar date of an instant (an ISO string with an offset or Z, or a Date). */
export function localDate(instant: string | Date, calendar: Pick<BusinessCalendar, 'timeZone'>): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not an instant: ${String(instant)}`);
  const at = new TZDateMini(ms, knownZone(calendar.timeZone));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/**
 * When the pre-reminder leaves: `daysBeforeDue` before the due date, moved to the previous business day so that the
 * customer keeps at least that many days, at the send time.
 */
export function preReminderInstant(dueDate: string, daysBeforeDue: number, calendar: BusinessCalendar): string {
  return sendInstant(onOrBeforeBusinessDay(addDays(dueDate, -daysBeforeDue), calendar), calendar);
}

/** The first send slot on a business day at or after `date`, never before `notBefore`. */
export function nextSendSlot(date: string, calendar: BusinessCalendar, notBefore?: string): string {
  let candidate = onOrAfterBusinessDay(date, calendar);
  let instant = sendInstant(candidate, calendar);
  if (notBefore) {
    // Compare instants, not strings: notBefore may carry milliseconds or an offset (2027-03-29T08:30:00+02:00).
    const earliest = Date.parse(notBefore);
    if (Number.isNaN(earliest)) throw new RangeError(`Not an instant: ${notBefore}`);
    while (Date.parse(instant) < earliest) {
      candidate = onOrAfterBusinessDay(addDays(candidate, 1), calendar);
      instant = sendInstant(candidate, calendar);
    }
  }
  return instant;
}

/**
 * Clock skew allowed on a timestamp the API receives: a billing system whose clock runs a little ahead is not "in the
 * future". A fact dated by day (a payment, a posting) may be today at the latest, in the creditor's calendar.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Whether a day (YYYY-MM-DD) or an instant the API received lies in the future. */
export function datedInFuture(value: string, calendar: Pick<BusinessCalendar, 'timeZone'>, now: Date): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value > localDate(now, calendar);
  return Date.parse(value) > now.getTime() + CLOCK_SKEW_MS;
}

/** The day of a fact given as a day or as an instant, in the creditor's calendar. */
export function dayOf(value: string, calendar: Pick<BusinessCalendar, 'timeZone'>): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDate(value, calendar);
}
