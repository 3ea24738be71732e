/**
 * The creditor's business calendar: dates are calendar dates in the creditor's time zone, emails leave at the send
 * time on business days (weekends and the country's public holidays skipped). Time zones come from luxon (IANA data),
 * holidays from date-holidays: no hand-written DST or holiday arithmetic here. (Lambda bundles carry date-holidays'
 * answers for the configured country instead of the library itself: see shared/precomputed-holidays.ts.)
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export { DEFAULT_CALENDAR, type BusinessCalendar } from './dates';
import type { BusinessCalendar } from './dates';

export { addDays, daysBetween, isRealCalendarDate } from './dates';
import { addDays, day } from './dates';

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
  return publicHolidays(calendar.country, day(date).year).has(date);
}

export function isBusinessDay(date: string, calendar: BusinessCalendar): boolean {
  return day(date).weekday <= 5 && !isPublicHoliday(date, calendar);
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
function canonicalInstant(at: DateTime): string {
  return at.toUTC().toJSDate().toISOString();
}

/** The instant (UTC ISO) of the send time on that local date; a send time inside a DST gap moves forward. */
export function sendInstant(date: string, calendar: BusinessCalendar): string {
  const local = DateTime.fromISO(`${date}T${calendar.sendTime}`, { zone: calendar.timeZone });
  if (!local.isValid) throw new RangeError(`Bad date, send time or time zone: ${date} ${calendar.sendTime} ${calendar.timeZone}`);
  return canonicalInstant(local);
}

/** Midnight at the start of that local date, as a UTC ISO instant. */
export function startOfLocalDay(date: string, calendar: BusinessCalendar): string {
  return canonicalInstant(DateTime.fromISO(date, { zone: calendar.timeZone }).startOf('day'));
}

/** The creditor-local calendar date of an instant. */
export function localDate(instant: string | Date, calendar: BusinessCalendar): string {
  const at = typeof instant === 'string' ? DateTime.fromISO(instant) : DateTime.fromJSDate(instant);
  return at.setZone(calendar.timeZone).toISODate()!;
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
