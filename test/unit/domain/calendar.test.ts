import { describe, expect, it } from 'vitest';
import {
  addDays,
  type BusinessCalendar,
  DEFAULT_CALENDAR,
  daysBetween,
  isBusinessDay,
  isPublicHoliday,
  isRealCalendarDate,
  localDate,
  nextSendSlot,
  onOrAfterBusinessDay,
  onOrBeforeBusinessDay,
  preReminderInstant,
  sendInstant,
  startOfLocalDay,
} from '../../../shared/domain/calendar';
import { wallClock } from '../../support/wall-clock';

const paris = DEFAULT_CALENDAR;
const berlin: BusinessCalendar = { timeZone: 'Europe/Berlin', country: 'DE', sendTime: '09:00' };
const london: BusinessCalendar = { timeZone: 'Europe/London', country: 'GB', sendTime: '09:00' };
const newYork: BusinessCalendar = { timeZone: 'America/New_York', country: 'US', sendTime: '09:00' };
const strasbourg: BusinessCalendar = { timeZone: 'Europe/Paris', country: 'FR-67', sendTime: '09:00' };

/** The pre-reminder ten days before `dueDate` with the default French calendar. */
const preReminder = (dueDate: string, calendar: BusinessCalendar = paris) => preReminderInstant(dueDate, 10, calendar);

describe('real calendar dates', () => {
  it.each(['2027-02-30', '2026-02-29', '2100-02-29', '2027-04-31', '2027-13-01', '2027-00-10', '2027-01-00'])(
    'refuses %s, a day that does not exist',
    (value) => {
      expect(isRealCalendarDate(value)).toBe(false);
    },
  );

  it.each(['2028-02-29', '2000-02-29', '2027-12-31', '2027-01-01'])('accepts %s, a day that exists', (value) => {
    expect(isRealCalendarDate(value)).toBe(true);
  });

  it.each(['2027-1-05', '2027-01-5', '27-01-05', '2027/01/05', '2027-01-05T00:00:00.000Z', ' 2027-01-05', ''])(
    'refuses %j, which is not written YYYY-MM-DD',
    (value) => {
      expect(isRealCalendarDate(value)).toBe(false);
    },
  );

  it('refuses to do arithmetic on a day that does not exist', () => {
    expect(() => addDays('2027-02-30', 1)).toThrow(RangeError);
    expect(() => daysBetween('2027-01-01', '2027-1-05')).toThrow(RangeError);
  });
});

describe('addDays and daysBetween', () => {
  it('crosses month ends, year ends and leap days', () => {
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2027-01-05', -10)).toBe('2026-12-26');
    expect(addDays('2027-01-31', 30)).toBe('2027-03-02');
  });

  it('counts whole days, negative when the second date is earlier', () => {
    expect(daysBetween('2027-01-31', '2027-03-01')).toBe(29);
    expect(daysBetween('2028-01-31', '2028-03-01')).toBe(30);
    expect(daysBetween('2027-12-25', '2028-01-05')).toBe(11);
    expect(daysBetween('2027-03-01', '2027-01-31')).toBe(-29);
    expect(daysBetween('2027-05-10', '2027-05-10')).toBe(0);
    expect(daysBetween('2027-01-01', '2028-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('counts a DST weekend as whole days, not 23 or 25 hours', () => {
    expect(daysBetween('2027-03-27', '2027-03-29')).toBe(2);
    expect(daysBetween('2027-10-30', '2027-11-01')).toBe(2);
  });

  it('undoes itself: adding the days between two dates lands on the second date', () => {
    expect(addDays('2027-11-15', daysBetween('2027-11-15', '2028-03-02'))).toBe('2028-03-02');
  });
});

describe('French public holidays', () => {
  it.each([
    ['2027-01-01', "New Year's Day"],
    ['2027-03-29', 'Easter Monday'],
    ['2027-05-01', 'Labour Day'],
    ['2027-05-06', 'Ascension'],
    ['2027-05-08', 'Victory in Europe Day'],
    ['2027-05-17', 'Whit Monday (Lundi de Pentecôte, still a jour férié in the Code du travail)'],
    ['2027-07-14', 'Bastille Day'],
    ['2027-08-15', 'Assumption'],
    ['2027-11-01', "All Saints' Day"],
    ['2027-11-11', 'Armistice Day'],
    ['2027-12-25', 'Christmas'],
    ['2026-12-25', 'Christmas of the previous year'],
  ])('treats %s (%s) as a public holiday, not a business day', (date) => {
    expect(isPublicHoliday(date, paris)).toBe(true);
    expect(isBusinessDay(date, paris)).toBe(false);
  });

  it('does not treat observances such as Whit Sunday or Mothers Day as extra holidays, nor Good Friday outside Alsace-Moselle', () => {
    expect(isPublicHoliday('2027-05-16', paris)).toBe(false);
    expect(isPublicHoliday('2027-05-30', paris)).toBe(false);
    expect(isPublicHoliday('2027-03-26', paris)).toBe(false);
    expect(isBusinessDay('2027-03-26', paris)).toBe(true);
  });

  it('knows the Alsace-Moselle extras (Good Friday, 26 December) when the creditor is in Bas-Rhin', () => {
    expect(isPublicHoliday('2027-03-26', strasbourg)).toBe(true);
    expect(isPublicHoliday('2027-12-26', strasbourg)).toBe(true);
    expect(isPublicHoliday('2027-12-26', paris)).toBe(false);
  });

  it('treats Saturdays and Sundays as non-business days and ordinary weekdays as business days', () => {
    expect(isBusinessDay('2027-03-06', paris)).toBe(false); // Saturday
    expect(isBusinessDay('2027-03-07', paris)).toBe(false); // Sunday
    expect(isBusinessDay('2027-03-08', paris)).toBe(true); // Monday
    expect(isBusinessDay('2027-03-05', paris)).toBe(true); // Friday
  });
});

describe('the pre-reminder, ten days before the due date at 09:00 Paris', () => {
  it('leaves exactly ten days before when that is a business day (09:00 CET is 08:00Z)', () => {
    // 2027-03-22 - 10 = Friday 2027-03-12
    expect(preReminder('2027-03-22')).toBe('2027-03-12T08:00:00.000Z');
  });

  it('moves a Saturday back to the Friday before', () => {
    // 2027-03-16 - 10 = Saturday 2027-03-06
    expect(preReminder('2027-03-16')).toBe('2027-03-05T08:00:00.000Z');
  });

  it('moves a Sunday back to the Friday before', () => {
    // 2027-03-17 - 10 = Sunday 2027-03-07
    expect(preReminder('2027-03-17')).toBe('2027-03-05T08:00:00.000Z');
  });

  it.each([
    ['2027-05-16', 'Ascension, Thursday 2027-05-06', '2027-05-05T07:00:00.000Z'],
    ['2027-05-11', 'Labour Day on Saturday 2027-05-01', '2027-04-30T07:00:00.000Z'],
    ['2027-05-18', 'VE Day on Saturday 2027-05-08', '2027-05-07T07:00:00.000Z'],
    ['2027-07-24', 'Bastille Day, Wednesday 2027-07-14', '2027-07-13T07:00:00.000Z'],
    ['2027-08-25', 'Assumption on Sunday 2027-08-15', '2027-08-13T07:00:00.000Z'],
    ['2027-11-21', 'Armistice Day, Thursday 2027-11-11', '2027-11-10T08:00:00.000Z'],
    ['2028-01-04', 'Christmas on Saturday 2027-12-25', '2027-12-24T08:00:00.000Z'],
  ])('due %s: skips %s', (dueDate, _why, expected) => {
    expect(preReminder(dueDate)).toBe(expected);
  });

  it('skips a holiday Monday and the weekend before it: Whit Monday 2027-05-17 goes back to Friday 05-14', () => {
    expect(preReminder('2027-05-27')).toBe('2027-05-14T07:00:00.000Z');
  });

  it('skips Easter Monday and the weekend, and sends on Friday 2027-03-26 at 09:00 CET, i.e. 08:00Z', () => {
    expect(preReminder('2027-04-08')).toBe('2027-03-26T08:00:00.000Z');
  });

  it('skips All Saints on Monday 2027-11-01 and the DST weekend: Friday 10-29 is still summer time, 07:00Z', () => {
    expect(preReminder('2027-11-11')).toBe('2027-10-29T07:00:00.000Z');
  });

  it('sends at 09:00 CET, 08:00Z, once summer time has ended on 2027-10-31', () => {
    expect(preReminder('2027-11-12')).toBe('2027-11-02T08:00:00.000Z');
  });

  it('goes back into the previous year, before Christmas, when the due date is early January', () => {
    // 2027-01-05 - 10 = Saturday 2026-12-26; Friday 12-25 is Christmas; so Thursday 12-24.
    expect(preReminder('2027-01-05')).toBe('2026-12-24T08:00:00.000Z');
  });

  it("uses the previous year's holidays when New Year's Day is skipped", () => {
    // 2027-01-11 - 10 = Friday 2027-01-01, a holiday; Thursday 2026-12-31 is a business day.
    expect(preReminder('2027-01-11')).toBe('2026-12-31T08:00:00.000Z');
  });

  it('honours another number of days before due', () => {
    // 2027-04-15 - 15 = Tuesday 2027-03-31
    expect(preReminderInstant('2027-04-15', 15, paris)).toBe('2027-03-31T07:00:00.000Z');
  });

  it('over a whole year, always leaves on a business day at 09:00 Paris, keeping at least ten days and no more than needed', () => {
    for (let dueDate = '2027-01-01'; dueDate <= '2027-12-31'; dueDate = addDays(dueDate, 1)) {
      const instant = preReminder(dueDate);
      const { date: sendDate, time } = wallClock(instant);
      expect(time, dueDate).toBe('09:00');
      expect(isBusinessDay(sendDate, paris), dueDate).toBe(true);
      expect(daysBetween(sendDate, dueDate), dueDate).toBeGreaterThanOrEqual(10);
      // Every day after the send date up to "ten days before" is a day off: it is the latest possible business day.
      for (let d = addDays(sendDate, 1); d <= addDays(dueDate, -10); d = addDays(d, 1)) {
        expect(isBusinessDay(d, paris), `${dueDate}: ${d}`).toBe(false);
      }
    }
  });
});

describe('another country and another time zone', () => {
  it('skips German holidays, such as Good Friday, in Germany', () => {
    // 2027-04-05 - 10 = Good Friday 2027-03-26: a holiday in Germany, a business day in France.
    expect(preReminder('2027-04-05', berlin)).toBe('2027-03-25T08:00:00.000Z');
    expect(preReminder('2027-04-05', paris)).toBe('2027-03-26T08:00:00.000Z');
  });

  it('skips British bank holidays, including substitute days, and sends at 09:00 London time', () => {
    // 2027-12-25/26 fall on a weekend, so 27 and 28 December are substitute bank holidays.
    expect(preReminder('2028-01-07', london)).toBe('2027-12-24T09:00:00.000Z');
    // Early May bank holiday, Monday 2027-05-03; 09:00 BST is 08:00Z.
    expect(preReminder('2027-05-13', london)).toBe('2027-04-30T08:00:00.000Z');
    // ...which is an ordinary Monday in France.
    expect(preReminder('2027-05-13', paris)).toBe('2027-05-03T07:00:00.000Z');
  });

  it('does not apply French holidays abroad', () => {
    expect(isBusinessDay('2027-07-14', london)).toBe(true);
    expect(isBusinessDay('2027-07-14', paris)).toBe(false);
  });

  it('sends at 09:00 New York time, following the US DST change of 2027-03-14', () => {
    // Friday 2027-03-12, EST (UTC-5)
    expect(preReminder('2027-03-22', newYork)).toBe('2027-03-12T14:00:00.000Z');
    // Monday 2027-03-15, EDT (UTC-4)
    expect(preReminder('2027-03-25', newYork)).toBe('2027-03-15T13:00:00.000Z');
  });

  it('skips the observed US Independence Day (Monday 2027-07-05) in New York but not in Paris', () => {
    expect(preReminder('2027-07-15', newYork)).toBe('2027-07-02T13:00:00.000Z');
    expect(preReminder('2027-07-15', paris)).toBe('2027-07-05T07:00:00.000Z');
  });
});

describe('send instants across DST', () => {
  it('09:00 Paris is 08:00Z in winter and 07:00Z in summer', () => {
    expect(sendInstant('2027-03-26', paris)).toBe('2027-03-26T08:00:00.000Z');
    expect(sendInstant('2027-03-29', paris)).toBe('2027-03-29T07:00:00.000Z');
    expect(sendInstant('2027-10-29', paris)).toBe('2027-10-29T07:00:00.000Z');
    expect(sendInstant('2027-11-02', paris)).toBe('2027-11-02T08:00:00.000Z');
  });

  it('moves a send time that does not exist (inside the spring-forward gap) forward, not backward', () => {
    const instant = sendInstant('2027-03-28', { ...paris, sendTime: '02:30' });
    expect(instant).toBe('2027-03-28T01:30:00.000Z'); // 03:30 CEST
  });

  it('honours a send time other than 09:00', () => {
    expect(sendInstant('2027-06-01', { ...paris, sendTime: '14:15' })).toBe('2027-06-01T12:15:00.000Z');
  });

  it('starts the local day at local midnight, 23:00Z or 22:00Z the day before', () => {
    expect(startOfLocalDay('2027-01-15', paris)).toBe('2027-01-14T23:00:00.000Z');
    expect(startOfLocalDay('2027-07-15', paris)).toBe('2027-07-14T22:00:00.000Z');
    expect(startOfLocalDay('2027-03-28', paris)).toBe('2027-03-27T23:00:00.000Z');
    expect(startOfLocalDay('2027-10-31', paris)).toBe('2027-10-30T22:00:00.000Z');
  });
});

describe('localDate', () => {
  it('gives the Paris date of an instant late in the UTC evening', () => {
    expect(localDate('2027-03-31T22:30:00.000Z', paris)).toBe('2027-04-01');
    expect(localDate('2027-12-31T23:30:00.000Z', paris)).toBe('2028-01-01');
    expect(localDate('2027-01-15T22:59:59.000Z', paris)).toBe('2027-01-15');
    expect(localDate('2027-01-15T23:00:00.000Z', paris)).toBe('2027-01-16');
  });

  it('accepts a Date and an instant written with another offset', () => {
    expect(localDate(new Date('2027-07-14T22:00:00.000Z'), paris)).toBe('2027-07-15');
    expect(localDate('2027-06-30T23:30:00-04:00', paris)).toBe('2027-07-01');
  });

  it('gives the New York date for a New York creditor', () => {
    expect(localDate('2027-03-15T03:00:00.000Z', newYork)).toBe('2027-03-14');
    expect(localDate('2027-03-15T03:00:00.000Z', paris)).toBe('2027-03-15');
  });
});

describe('nearest business days', () => {
  it('keeps a business day and moves a day off to the nearest business day in the asked direction', () => {
    expect(onOrBeforeBusinessDay('2027-03-30', paris)).toBe('2027-03-30');
    expect(onOrAfterBusinessDay('2027-03-30', paris)).toBe('2027-03-30');
    expect(onOrBeforeBusinessDay('2027-03-29', paris)).toBe('2027-03-26');
    expect(onOrAfterBusinessDay('2027-03-27', paris)).toBe('2027-03-30');
    expect(onOrAfterBusinessDay('2027-12-25', london)).toBe('2027-12-29');
  });
});

describe('nextSendSlot', () => {
  it('sends at 09:00 on the date itself when it is a business day', () => {
    expect(nextSendSlot('2027-03-30', paris)).toBe('2027-03-30T07:00:00.000Z');
  });

  it('moves a weekend and a holiday Monday to the next business day', () => {
    expect(nextSendSlot('2027-03-27', paris)).toBe('2027-03-30T07:00:00.000Z');
    // Saturday 10-30, Sunday 10-31 (DST ends), All Saints Monday 11-01
    expect(nextSendSlot('2027-10-30', paris)).toBe('2027-11-02T08:00:00.000Z');
  });

  it('returns the slot itself when notBefore is exactly that instant', () => {
    expect(nextSendSlot('2027-03-30', paris, '2027-03-30T07:00:00.000Z')).toBe('2027-03-30T07:00:00.000Z');
  });

  it('keeps the same day when notBefore is earlier that morning', () => {
    expect(nextSendSlot('2027-03-30', paris, '2027-03-30T05:12:00.000Z')).toBe('2027-03-30T07:00:00.000Z');
    expect(nextSendSlot('2027-03-30', paris, '2027-03-30T08:30:00+02:00')).toBe('2027-03-30T07:00:00.000Z');
  });

  it('moves to the next business day when the send time has already passed', () => {
    expect(nextSendSlot('2027-03-30', paris, '2027-03-30T07:00:01.000Z')).toBe('2027-03-31T07:00:00.000Z');
    expect(nextSendSlot('2027-04-01', paris, '2027-04-02T10:00:00+02:00')).toBe('2027-04-05T07:00:00.000Z');
  });

  it('is never before notBefore, even by milliseconds (as in new Date().toISOString())', () => {
    expect(nextSendSlot('2027-03-30', paris, '2027-03-30T07:00:00.500Z')).toBe('2027-03-31T07:00:00.000Z');
  });

  it('is never before a notBefore written with a negative offset', () => {
    // 03:30-04:00 is 07:30Z, after the 07:00Z slot.
    expect(nextSendSlot('2027-03-30', paris, '2027-03-30T03:30:00-04:00')).toBe('2027-03-31T07:00:00.000Z');
  });

  it('refuses a notBefore that is not an instant rather than ignoring it', () => {
    expect(() => nextSendSlot('2027-03-30', paris, 'tomorrow')).toThrow(RangeError);
  });

  it('over a week of notBefore values every 37 minutes, always lands on a business-day 09:00 at or after notBefore', () => {
    const start = Date.parse('2027-12-22T00:00:00.000Z');
    for (let t = start; t < start + 9 * 86_400_000; t += 37 * 60_000) {
      const notBefore = new Date(t + 123).toISOString();
      const slot = nextSendSlot('2027-12-22', paris, notBefore);
      const local = wallClock(slot);
      expect(Date.parse(slot), notBefore).toBeGreaterThanOrEqual(Date.parse(notBefore));
      expect(local.time, notBefore).toBe('09:00');
      expect(isBusinessDay(local.date, paris), notBefore).toBe(true);
      // ...and it is the first such slot: less than a business day's wait, holidays aside.
      expect(Date.parse(slot) - Date.parse(notBefore), notBefore).toBeLessThan(6 * 86_400_000);
    }
  });
});
