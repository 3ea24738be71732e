/**
 * What a wall clock in a time zone shows at an instant, read with Intl alone: an oracle for the tests that does not
 * share code with the calendar it checks.
 */
export function wallClock(instant: string | Date, timeZone = 'Europe/Paris'): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}
