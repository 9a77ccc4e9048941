import { Temporal } from 'temporal-polyfill';
import { LONDON } from '../time/london.ts';

/**
 * The units a pathway rule counts in. Minutes and hours are elapsed time; days,
 * weeks, months and years are calendar steps on the Europe/London wall clock
 * (DOMAIN.md "Time rules").
 */
export const INTERVAL_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/**
 * A step of time in a pathway rule, e.g. `{ amount: 6, unit: 'weeks' }`. A negative
 * amount steps back (a retirement pathway opens months before the retirement date).
 * `endOfDay` moves the result to the end of that London calendar day ("same day").
 */
export type Interval = { amount: number; unit: IntervalUnit; endOfDay?: boolean };

const ELAPSED_MS: Partial<Record<IntervalUnit, number>> = { minutes: 60_000, hours: 3_600_000 };

/** The last minute of a London day: "same day" means before the day ends on the wall clock. */
const END_OF_DAY = new Temporal.PlainTime(23, 59);

/**
 * The instant an interval after `start`:
 * - minutes and hours are elapsed time, whatever the clocks do (1 hour after 00:30 on
 *   the night the clocks go forward is 02:30 BST);
 * - days, weeks (7 × days), months and years keep the London wall-clock time of day, so
 *   a 14:00 exposure has its tests due at 14:00 local across a change to or from BST;
 * - a day that does not exist in the target month falls on that month's last day
 *   (31 August + 6 months = 28 or 29 February);
 * - a wall-clock time the clocks skip (01:30 on the last Sunday of March) moves forward
 *   by the gap; one that happens twice (01:30 on the last Sunday of October) takes the
 *   first (Temporal's "compatible" rule, as RFC 5545 calendars do).
 */
export function stepFrom(start: Date, interval: Interval): Date {
  const elapsed = ELAPSED_MS[interval.unit];
  let zoned = Temporal.Instant.fromEpochMilliseconds(start.getTime()).toZonedDateTimeISO(LONDON);
  zoned =
    elapsed === undefined
      ? zoned.add({ [interval.unit]: interval.amount }, { overflow: 'constrain' })
      : zoned.add({ milliseconds: interval.amount * elapsed });
  if (interval.endOfDay) {
    zoned = zoned.toPlainDate().toZonedDateTime({ timeZone: LONDON, plainTime: END_OF_DAY });
  }
  return new Date(zoned.epochMilliseconds);
}

const UNIT_WORDS: Record<IntervalUnit, [string, string]> = {
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
  years: ['year', 'years'],
};

/** An interval in plain English, e.g. "72 hours", "6 weeks before", "the same day". */
export function describeInterval(interval: Interval): string {
  const n = Math.abs(interval.amount);
  const [one, many] = UNIT_WORDS[interval.unit];
  const base = n === 0 ? '' : `${n} ${n === 1 ? one : many}${interval.amount < 0 ? ' before' : ''}`;
  if (interval.endOfDay) return base === '' ? 'the same day' : `by the end of the day, ${base}`;
  return base === '' ? 'at once' : base;
}
