import { Temporal } from 'temporal-polyfill';
import type { FieldError } from '../shared/errors.ts';
import { type Shown, SUPPRESSED } from './disclosure.ts';
import { TRACKABLE_MEASURES, type TrackableMeasure } from './report-types.ts';

/**
 * Benefits realisation (PRODUCT.md capability 7; the benefits realisation plan of
 * police-local-healthcare-engagement.md): a named aim on one measure of the minimum
 * dataset, from a baseline to a target by a date, tracked quarter by quarter. Pure rules:
 * which quarters to track, whether the latest one is on track, and what a valid aim is.
 */

export const AIM_DIRECTIONS = ['increase', 'decrease'] as const;
export type AimDirection = (typeof AIM_DIRECTIONS)[number];

/** How each trackable measure reads, for validation and display. */
export const MEASURE_UNITS: Record<TrackableMeasure, 'count' | 'percent' | 'days'> = {
  referrals: 'count',
  selfReferralPercent: 'percent',
  medianDaysToFirstAppointment: 'days',
  p90DaysToFirstAppointment: 'days',
  didNotAttendPercent: 'percent',
  reportsWithin21DaysPercent: 'percent',
  atWorkAtClosurePercent: 'percent',
  reliableImprovementPercent: 'percent',
};

/** The most quarters an aim tracks (the latest five years): a report stays quick however old the aim. */
export const MAX_TRACKED_QUARTERS = 20;

/** A calendar quarter (January–March, April–June, …), clipped to the tracked span. */
export type Quarter = {
  from: string;
  to: string;
  /** "April to June 2026", or "April to June 2026 (to 14 May)" for a part quarter. */
  label: string;
  /** False when the quarter is cut short at either end: it is shown, but never judged. */
  complete: boolean;
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The calendar quarters that overlap `from`..`to` (both included), oldest first, each cut to
 * the span; at most the latest MAX_TRACKED_QUARTERS. Empty when `to` is before `from`.
 * Calendar quarters are also the NHS financial year's quarters (Q1 is April to June).
 */
export function quartersBetween(from: string, to: string): Quarter[] {
  const start = Temporal.PlainDate.from(from);
  const end = Temporal.PlainDate.from(to);
  if (Temporal.PlainDate.compare(start, end) > 0) return [];
  const quarters: Quarter[] = [];
  let first = Temporal.PlainDate.from({
    year: start.year,
    month: start.month - ((start.month - 1) % 3),
    day: 1,
  });
  while (Temporal.PlainDate.compare(first, end) <= 0) {
    const last = first.add({ months: 3 }).subtract({ days: 1 });
    const clippedFrom = Temporal.PlainDate.compare(first, start) < 0 ? start : first;
    const clippedTo = Temporal.PlainDate.compare(last, end) > 0 ? end : last;
    const complete = clippedFrom.equals(first) && clippedTo.equals(last);
    const name = `${MONTHS[first.month - 1]} to ${MONTHS[last.month - 1]} ${first.year}`;
    const cut = [
      clippedFrom.equals(first) ? null : `from ${clippedFrom.day} ${MONTHS[clippedFrom.month - 1]}`,
      clippedTo.equals(last) ? null : `to ${clippedTo.day} ${MONTHS[clippedTo.month - 1]}`,
    ].filter(Boolean);
    quarters.push({
      from: clippedFrom.toString(),
      to: clippedTo.toString(),
      label: cut.length ? `${name} (${cut.join(' ')})` : name,
      complete,
    });
    first = first.add({ months: 3 });
  }
  return quarters.slice(-MAX_TRACKED_QUARTERS);
}

/** The facts of an aim the tracking rule reads. */
export type AimPlan = {
  measure: TrackableMeasure;
  direction: AimDirection;
  baselineValue: number;
  /** The last day of the baseline period: the straight line to the target starts here. */
  baselineTo: string;
  targetValue: number;
  targetDate: string;
};

/** The quarters to track for an aim: from the day after its baseline to today. */
export function trackedQuarters(aim: Pick<AimPlan, 'baselineTo'>, today: string): Quarter[] {
  return quartersBetween(Temporal.PlainDate.from(aim.baselineTo).add({ days: 1 }).toString(), today);
}

/**
 * Where the aim expects the measure to be on a date: on the straight line from the baseline
 * (at the end of the baseline period) to the target (on the target date), and at the target
 * from the target date on. Rounded to one decimal place, as the figures are shown.
 */
export function expectedValue(aim: AimPlan, date: string): number {
  const start = Temporal.PlainDate.from(aim.baselineTo);
  const target = Temporal.PlainDate.from(aim.targetDate);
  const span = start.until(target, { largestUnit: 'days' }).days;
  const gone = start.until(Temporal.PlainDate.from(date), { largestUnit: 'days' }).days;
  const share = span <= 0 ? 1 : Math.min(1, Math.max(0, gone / span));
  return Math.round((aim.baselineValue + (aim.targetValue - aim.baselineValue) * share) * 10) / 10;
}

export type AimStatus = 'on-track' | 'not-on-track' | 'too-few';
export const AIM_STATUS_LABELS: Record<AimStatus, string> = {
  'on-track': 'On track',
  'not-on-track': 'Not on track',
  'too-few': 'Too few to tell',
};

/** The value of the measure in one quarter, as shown (after disclosure control). */
export type AimPoint = { quarter: Quarter; value: Shown };

export type AimJudgement = {
  status: AimStatus;
  /** Why, in a sentence a board member can check against the table. */
  reason: string;
  /** The quarter judged: the latest complete one; null before the first one ends. */
  judged: { label: string; value: Shown; expected: number } | null;
};

const at = (n: number) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(n);

/** A value with its unit, for the reason sentence. */
export function valueInWords(measure: TrackableMeasure, value: number): string {
  const unit = MEASURE_UNITS[measure];
  if (unit === 'percent') return `${at(value)}%`;
  if (unit === 'days') return `${at(value)} ${value === 1 ? 'day' : 'days'}`;
  return at(value);
}

/**
 * Whether an aim is on track, judged on the latest complete quarter only (a quarter still
 * running, or cut short, would mislead — a count in half a quarter is half a count):
 * - no complete quarter yet, or its value suppressed: too few to tell;
 * - at or better than where the straight line from baseline to target expects it (better is
 *   higher for an increase, lower for a decrease): on track; otherwise not on track. From
 *   the target date on, the line is at the target, so the judgement is whether it was met.
 * An older quarter is never used in place of a suppressed latest one: that would call an
 * aim on track on stale figures.
 */
export function judgeAim(aim: AimPlan, points: readonly AimPoint[]): AimJudgement {
  const latest = [...points].reverse().find((p) => p.quarter.complete);
  if (!latest) {
    return {
      status: 'too-few',
      reason: 'No full quarter has ended since the baseline yet.',
      judged: null,
    };
  }
  const expected = expectedValue(aim, latest.quarter.to);
  const label = latest.quarter.label;
  if (latest.value === SUPPRESSED) {
    return {
      status: 'too-few',
      reason: `Too few people in ${label} to tell.`,
      judged: { label, value: latest.value, expected },
    };
  }
  const value = latest.value;
  const better = aim.direction === 'increase' ? value >= expected : value <= expected;
  const targetPassed = latest.quarter.to >= aim.targetDate;
  const shown = valueInWords(aim.measure, value);
  const wanted = valueInWords(aim.measure, expected);
  const was = `In ${label} it was ${shown}`;
  const reason = targetPassed
    ? better
      ? `${was}, which meets the target of ${wanted}.`
      : `${was}, which misses the target of ${wanted}.`
    : better
      ? `${was}, at or better than the ${wanted} expected by then on the way to the target.`
      : `${was}, short of the ${wanted} expected by then on the way to the target.`;
  return { status: better ? 'on-track' : 'not-on-track', reason, judged: { label, value, expected } };
}

/** A new aim as entered (numbers already read from text by the caller). */
export type AimInput = {
  name: string;
  measure: string;
  direction: string;
  baselineValue: number | null;
  baselineFrom: string;
  baselineTo: string;
  targetValue: number | null;
  targetDate: string;
};

function realDate(value: string): Temporal.PlainDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    return null;
  }
}

/**
 * What is wrong with a new aim, one message per field (JSON-pointer paths as the API names
 * them), or none. `today` is the London date: the baseline must be in the past and the
 * target in the future of the baseline. A count (referrals) is tracked per quarter, so its
 * baseline must be one quarter long to compare like with like.
 */
export function aimErrors(input: AimInput, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const add = (path: string, message: string) => errors.push({ path, message });
  if (!input.name.trim()) add('/name', 'Enter a name for the aim.');
  else if (input.name.trim().length > 200) add('/name', 'Name the aim in 200 characters or fewer.');
  const measure = Object.hasOwn(TRACKABLE_MEASURES, input.measure)
    ? (input.measure as TrackableMeasure)
    : null;
  if (!measure) add('/measure', 'Choose the measure the aim tracks.');
  if (!(AIM_DIRECTIONS as readonly string[]).includes(input.direction)) {
    add('/direction', 'Choose whether the measure should go up or down.');
  }
  const percent = measure !== null && MEASURE_UNITS[measure] === 'percent';
  const checkValue = (value: number | null, path: string, what: string) => {
    if (value === null || !Number.isFinite(value))
      add(path, `Enter the ${what} as a number, for example 12.`);
    else if (value < 0) add(path, `The ${what} cannot be below 0.`);
    else if (percent && value > 100) add(path, `The ${what} is a percentage: enter 100 or less.`);
  };
  checkValue(input.baselineValue, '/baselineValue', 'baseline value');
  checkValue(input.targetValue, '/targetValue', 'target value');
  const from = realDate(input.baselineFrom);
  const to = realDate(input.baselineTo);
  const target = realDate(input.targetDate);
  const real = 'Enter a real date as YYYY-MM-DD, for example 2026-03-31.';
  if (!from) add('/baselineFrom', real);
  if (!to) add('/baselineTo', real);
  if (!target) add('/targetDate', real);
  if (from && to) {
    if (Temporal.PlainDate.compare(from, to) > 0) {
      add('/baselineTo', 'The baseline period must end on or after the day it starts.');
    } else if (Temporal.PlainDate.compare(to, Temporal.PlainDate.from(today)) > 0) {
      add('/baselineTo', 'The baseline period must have ended: choose an end date no later than today.');
    } else if (from.until(to, { largestUnit: 'days' }).days + 1 > 366) {
      add('/baselineFrom', 'Choose a baseline period of a year or less.');
    } else if (measure !== null && MEASURE_UNITS[measure] === 'count') {
      const days = from.until(to, { largestUnit: 'days' }).days + 1;
      if (days < 89 || days > 92) {
        add(
          '/baselineFrom',
          'Referrals are tracked per quarter: choose a baseline period of one quarter (about three months).',
        );
      }
    }
  }
  if (to && target && Temporal.PlainDate.compare(target, to) <= 0) {
    add('/targetDate', 'The target date must be after the baseline period ends.');
  }
  const direction = input.direction as AimDirection;
  if (
    errors.length === 0 &&
    input.baselineValue !== null &&
    input.targetValue !== null &&
    (direction === 'increase'
      ? input.targetValue <= input.baselineValue
      : input.targetValue >= input.baselineValue)
  ) {
    add(
      '/targetValue',
      direction === 'increase'
        ? 'For an increase, the target must be higher than the baseline.'
        : 'For a decrease, the target must be lower than the baseline.',
    );
  }
  return errors;
}
