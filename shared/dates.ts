/**
 * Calendar dates (YYYY-MM-DD) and their arithmetic, without time zones or holidays: what validation needs, kept apart
 * from the business calendar so that code which only checks dates does not load the holidays library.
 */
import { DateTime } from 'luxon';

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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a YYYY-MM-DD string that names a day that exists (2027-02-30 does not). */
export function isRealCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const parsed = DateTime.fromISO(value, { zone: 'UTC' });
  return parsed.isValid && parsed.toISODate() === value;
}

export function day(date: string): DateTime {
  const parsed = DateTime.fromISO(date, { zone: 'UTC' });
  if (!parsed.isValid || !DATE.test(date)) throw new RangeError(`Not a calendar date: ${date}`);
  return parsed;
}

export function addDays(date: string, days: number): string {
  return day(date).plus({ days }).toISODate()!;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(day(to).diff(day(from), 'days').days);
}

