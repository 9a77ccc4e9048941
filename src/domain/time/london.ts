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

// hourCycle h12 (1–12), not hour12 (which en-GB renders as 0–11, so 12:30 would read "0:30pm").
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

/** The parts of a formatted instant by type, so the text does not depend on the ICU version's punctuation. */
function partsOf(format: Intl.DateTimeFormat, at: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
}

/** "2:30pm", the NHS style for a time of day. */
function nhsTime(p: Record<string, string>): string {
  return `${p.hour}:${p.minute}${(p.dayPeriod ?? '').toLowerCase().replace(/\s|\./g, '')}`;
}

/** A date and time as a person in the UK reads it, e.g. "Tuesday 3 March 2026, 2:30pm" (NHS style). */
export function formatLondonDateTime(at: Date): string {
  const p = partsOf(dateTimeFormat, at);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${nhsTime(p)}`;
}

/** A time of day in London, e.g. "2:30pm". */
export function formatLondonTime(at: Date): string {
  return nhsTime(partsOf(timeFormat, at));
}

/** A calendar date (YYYY-MM-DD) as "3 March 2026". */
export function formatDate(date: string | Date): string {
  // A bare calendar date is read at midday UTC so that no time zone can move it to another day.
  const d =
    typeof date === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00Z` : date) : date;
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

/** A calendar date with its weekday, e.g. "Saturday 5 December 2026" (shift workers plan by the day of the week). */
export function formatDateWithWeekday(date: string | Date): string {
  const d =
    typeof date === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00Z` : date) : date;
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: LONDON,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}
