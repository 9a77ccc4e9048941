import { Temporal } from 'temporal-polyfill';
import { Invalid } from '../shared/errors.ts';

/** A reporting period: whole days from `from` to `to`, both included, in Europe/London. */
export type Period = { from: string; to: string };

/** The longest period a report covers in one go. */
export const MAX_PERIOD_DAYS = 366 * 5;

/**
 * The period asked for. With no dates, the twelve months up to and including `today`;
 * with only one, the twelve months starting or ending on it. Refuses a period that ends
 * before it starts or is longer than five years, naming the field.
 */
export function reportingPeriod(input: { from?: string; to?: string }, today: string): Period {
  const errors: { path: string; message: string }[] = [];
  const parse = (value: string | undefined, path: string) => {
    if (value === undefined || value === '') return null;
    try {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error('format');
      return Temporal.PlainDate.from(value, { overflow: 'reject' });
    } catch {
      errors.push({ path, message: 'Enter a real date as YYYY-MM-DD, for example 2026-04-01.' });
      return null;
    }
  };
  const from = parse(input.from, '/from');
  const to = parse(input.to, '/to');
  if (errors.length > 0) throw new Invalid('The reporting period is not a real date.', errors);
  const end = to ?? (from ? from.add({ years: 1 }).subtract({ days: 1 }) : Temporal.PlainDate.from(today));
  const start = from ?? end.subtract({ years: 1 }).add({ days: 1 });
  if (Temporal.PlainDate.compare(start, end) > 0) {
    throw new Invalid('The period ends before it starts.', [
      { path: '/to', message: 'Enter an end date on or after the start date.' },
    ]);
  }
  if (start.until(end, { largestUnit: 'days' }).days + 1 > MAX_PERIOD_DAYS) {
    throw new Invalid('The period is longer than five years.', [
      { path: '/from', message: 'Choose a period of five years or less.' },
    ]);
  }
  return { from: start.toString(), to: end.toString() };
}

/** The period of the same length that ends the day before this one starts. */
export function previousPeriod(period: Period): Period {
  const start = Temporal.PlainDate.from(period.from);
  const end = Temporal.PlainDate.from(period.to);
  const days = start.until(end, { largestUnit: 'days' }).days;
  const previousEnd = start.subtract({ days: 1 });
  return { from: previousEnd.subtract({ days }).toString(), to: previousEnd.toString() };
}

/** The number of days in a period, both ends included. */
export function periodDays(period: Period): number {
  return (
    Temporal.PlainDate.from(period.from).until(Temporal.PlainDate.from(period.to), { largestUnit: 'days' })
      .days + 1
  );
}
