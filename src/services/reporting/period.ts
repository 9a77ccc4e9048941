import { type Period, reportingPeriod } from '../../domain/reporting/period.ts';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import type { ServiceContext } from '../shared/context.ts';

/** A period with the instants it runs between: London midnight of its first day to that after its last. */
export type PeriodBounds = Period & { start: Date; end: Date };

/** The period asked for (twelve months to today by default), with its bounds as instants. */
export function periodBounds(ctx: ServiceContext, input: { from?: string; to?: string }): PeriodBounds {
  return boundsOf(reportingPeriod(input, londonDate(ctx.now())));
}

/** The instants a period runs between. */
export function boundsOf(period: Period): PeriodBounds {
  return { ...period, start: londonInstant(period.from, 0), end: londonInstant(addDays(period.to, 1), 0) };
}
