import { Temporal } from 'temporal-polyfill';

/** Every wall-clock rule and every date shown to a person is in the UK's time zone. */
export const LONDON = 'Europe/London';

/** The calendar date in London at an instant, as YYYY-MM-DD. */
export function londonDate(at: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime())
    .toZonedDateTimeISO(LONDON)
    .toPlainDate()
    .toString();
}

/** A date and time as a person in the UK reads it, e.g. "Tuesday 3 March 2026, 2:30pm". */
export function formatLondonDateTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: LONDON,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  })
    .format(at)
    .replace(' at ', ', ')
    .replace(' am', 'am')
    .replace(' pm', 'pm');
}

/** A time of day in London, e.g. "2:30pm". */
export function formatLondonTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: LONDON,
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  })
    .format(at)
    .replace(' am', 'am')
    .replace(' pm', 'pm');
}

/** A calendar date (YYYY-MM-DD) as "3 March 2026". */
export function formatDate(date: string | Date): string {
  const d = typeof date === 'string' ? new Date(`${date}T12:00:00Z`) : date;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: LONDON,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(d);
}

/** The instant of a London wall-clock time on a date, e.g. ("2026-03-29", 9, 0). */
export function londonInstant(date: string, hour: number, minute = 0): Date {
  const zoned = Temporal.PlainDate.from(date).toZonedDateTime({
    timeZone: LONDON,
    plainTime: new Temporal.PlainTime(hour, minute),
  });
  return new Date(zoned.epochMilliseconds);
}

/** Add calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** True when a London wall-clock time falls outside 08:00–18:00 Monday to Friday (shift workers' slots). */
export function isOutOfHours(at: Date): boolean {
  const zoned = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(LONDON);
  return zoned.dayOfWeek >= 6 || zoned.hour < 8 || zoned.hour >= 18;
}
