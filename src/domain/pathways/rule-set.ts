import { Temporal } from 'temporal-polyfill';
import type { FieldError } from '../shared/errors.ts';
import { INTERVAL_UNITS, type Interval, stepFrom } from './timing.ts';

/** Who picks a task up from their worklist. */
export const TASK_ASSIGNEES = ['oh-clinician', 'oh-admin', 'trim-practitioner'] as const;
export type TaskAssignee = (typeof TASK_ASSIGNEES)[number];

export const ASSIGNEE_LABELS: Record<TaskAssignee, string> = {
  'oh-clinician': 'OH clinician',
  'oh-admin': 'OH administrator',
  'trim-practitioner': 'TRiM practitioner',
};

/**
 * Facts known when a pathway starts (e.g. `highRiskHcv: true`, `route: 'fast-track-physiotherapy'`),
 * which conditions on steps and tests read.
 */
export type PathwayFacts = Record<string, string | boolean | number | null>;

/** A step or test applies only when a fact has one of the given values. */
export type Condition = { fact: string; is: Array<string | boolean | number> };

/** A test to take at a step, perhaps only under a condition or with a note. */
export type TestRule = { name: string; when?: Condition; note?: string };

/**
 * One step of a pathway: the task it creates, when it opens and is due (counted
 * from the pathway's anchor: the moment of exposure, the incident, the retirement
 * date…), the hard limit after which it is pointless, who does it, what completes
 * it, and the source of the rule.
 */
export type StepRule = {
  code: string;
  title: string;
  assignee: TaskAssignee;
  /** What completes the task, in words the person doing it recognises. */
  completes: string;
  opensAfter?: Interval;
  dueAfter: Interval;
  /** After this the step no longer helps (HIV PEP after 72 hours), so it is shown as closed, not just late. */
  closesAfter?: Interval;
  when?: Condition;
  tests?: TestRule[];
  /** Where the timing comes from, cited on every task the step makes. */
  source: string;
};

/**
 * A versioned pathway: data, not code. An OH physician publishes a new version;
 * running pathways keep the version they started on.
 */
export type RuleSet = {
  code: string;
  version: number;
  title: string;
  /** The referral pathway slug a case on this pathway carries. */
  pathway: string;
  /** What the step times are counted from, in words ("the moment of exposure"). */
  anchor: string;
  steps: StepRule[];
  /** Numbers the service may tune (e.g. the trauma-exposure outreach count). */
  settings?: Record<string, number>;
  source: string;
};

/** A task a pathway asks for, with its dates worked out. */
export type PlannedTask = {
  code: string;
  title: string;
  assignee: TaskAssignee;
  completes: string;
  opensAt: Date | null;
  dueAt: Date;
  closesAt: Date | null;
  tests: string[];
  source: string;
};

function holds(condition: Condition | undefined, facts: PathwayFacts): boolean {
  if (!condition) return true;
  const value = facts[condition.fact];
  return value !== undefined && value !== null && condition.is.includes(value);
}

/**
 * The dated tasks of a pathway started at `anchor` with what is known (`facts`),
 * soonest due first. Pure: the same rule set, anchor and facts always give the same plan.
 */
export function schedulePathway(ruleSet: RuleSet, anchor: Date, facts: PathwayFacts): PlannedTask[] {
  return ruleSet.steps
    .filter((step) => holds(step.when, facts))
    .map((step) => ({
      code: step.code,
      title: step.title,
      assignee: step.assignee,
      completes: step.completes,
      opensAt: step.opensAfter ? stepFrom(anchor, step.opensAfter) : null,
      dueAt: stepFrom(anchor, step.dueAfter),
      closesAt: step.closesAfter ? stepFrom(anchor, step.closesAfter) : null,
      tests: (step.tests ?? [])
        .filter((test) => holds(test.when, facts))
        .map((test) => (test.note ? `${test.name} (${test.note})` : test.name)),
      source: step.source,
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The fewest and most days `amount` months (or years) can add from any date: 28-day Februaries, leap years, month ends. */
const calendarSpans = new Map<string, [number, number]>();
function calendarSpanDays(unit: 'months' | 'years', amount: number): [number, number] {
  const key = `${unit}:${amount}`;
  const known = calendarSpans.get(key);
  if (known) return known;
  // Every day of a four-year cycle (one leap year) meets every month length and every clamp.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let day = Temporal.PlainDate.from('2027-01-01');
  for (let i = 0; i < 1461; i++, day = day.add({ days: 1 })) {
    const span = day.until(day.add({ [unit]: amount }, { overflow: 'constrain' }), {
      largestUnit: 'days',
    }).days;
    min = Math.min(min, span);
    max = Math.max(max, span);
  }
  const result: [number, number] = [min, max];
  calendarSpans.set(key, result);
  return result;
}

/**
 * The shortest and longest time an interval can add on any anchor, in ms: elapsed units
 * exactly; calendar units by the span of days, give or take the hour the clocks move;
 * "end of day" up to a day more.
 */
export function intervalBounds(interval: Interval): [number, number] {
  const { amount, unit } = interval;
  let bounds: [number, number];
  if (unit === 'minutes' || unit === 'hours') {
    const ms = amount * (unit === 'minutes' ? 60_000 : HOUR_MS);
    bounds = [ms, ms];
  } else {
    const [minDays, maxDays] =
      unit === 'days'
        ? [amount, amount]
        : unit === 'weeks'
          ? [7 * amount, 7 * amount]
          : calendarSpanDays(unit, amount);
    bounds = [minDays * DAY_MS - HOUR_MS, maxDays * DAY_MS + HOUR_MS];
  }
  return interval.endOfDay ? [bounds[0], bounds[1] + DAY_MS] : bounds;
}

/**
 * True when `earlier` never lands after `later`, whatever the anchor. The same calendar
 * unit compares by amount (stepping is monotonic); anything else by the bounds, which
 * is safe though it may refuse a pair that happens to work on every real date.
 */
export function neverAfter(earlier: Interval, later: Interval): boolean {
  const isCalendar = (i: Interval) => i.unit !== 'minutes' && i.unit !== 'hours';
  if (earlier.unit === later.unit && (isCalendar(earlier) || (!earlier.endOfDay && !later.endOfDay))) {
    if (earlier.amount !== later.amount) return earlier.amount < later.amount;
    return !earlier.endOfDay || Boolean(later.endOfDay);
  }
  if (isCalendar(earlier) && isCalendar(later)) {
    // Both keep the anchor's wall-clock time, so an earlier or equal date is an earlier or equal
    // instant; "end of day" on the earlier one needs a strictly earlier date, unless both have it.
    const [, earliestMax] = daySpan(earlier);
    const [latestMin] = daySpan(later);
    return earlier.endOfDay && !later.endOfDay ? earliestMax < latestMin : earliestMax <= latestMin;
  }
  return intervalBounds(earlier)[1] <= intervalBounds(later)[0];
}

/** The fewest and most calendar days a calendar interval moves the date. */
function daySpan(interval: Interval): [number, number] {
  const { amount, unit } = interval;
  if (unit === 'days') return [amount, amount];
  if (unit === 'weeks') return [7 * amount, 7 * amount];
  return calendarSpanDays(unit as 'months' | 'years', amount);
}

function intervalErrors(interval: unknown, path: string): FieldError[] {
  if (typeof interval !== 'object' || interval === null)
    return [{ path, message: 'Give an amount and a unit.' }];
  const { amount, unit } = interval as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (typeof amount !== 'number' || !Number.isInteger(amount) || Math.abs(amount) > 1000) {
    errors.push({ path: `${path}/amount`, message: 'The amount must be a whole number from -1000 to 1000.' });
  }
  if (!INTERVAL_UNITS.includes(unit as Interval['unit'])) {
    errors.push({ path: `${path}/unit`, message: `The unit must be one of ${INTERVAL_UNITS.join(', ')}.` });
  }
  return errors;
}

/**
 * What is wrong with a rule set an OH physician wants to publish, field by field:
 * every step needs a code, a title, a source and a due time; a step must open
 * before it is due and be due no later than it closes, on any anchor date.
 */
export function ruleSetErrors(ruleSet: RuleSet): FieldError[] {
  const errors: FieldError[] = [];
  if (ruleSet.steps.length === 0)
    errors.push({ path: '/steps', message: 'A pathway needs at least one step.' });
  const codes = new Set<string>();
  ruleSet.steps.forEach((step, i) => {
    const at = `/steps/${i}`;
    if (!/^[a-z0-9-]{2,40}$/.test(step.code)) {
      errors.push({
        path: `${at}/code`,
        message: 'A code is 2 to 40 lower-case letters, digits or hyphens.',
      });
    } else if (codes.has(step.code)) {
      errors.push({ path: `${at}/code`, message: `Step code ${step.code} is used twice.` });
    }
    codes.add(step.code);
    if (step.title.trim() === '') errors.push({ path: `${at}/title`, message: 'Enter a title.' });
    if (step.source.trim() === '') {
      errors.push({
        path: `${at}/source`,
        message: 'Enter the source of this rule (guideline and section).',
      });
    }
    const intervals = [
      ['opensAfter', step.opensAfter],
      ['dueAfter', step.dueAfter],
      ['closesAfter', step.closesAfter],
    ] as const;
    const shapeErrors = intervals.flatMap(([name, interval]) =>
      name === 'dueAfter' || interval !== undefined ? intervalErrors(interval, `${at}/${name}`) : [],
    );
    errors.push(...shapeErrors);
    if (shapeErrors.length > 0) return;
    if (step.opensAfter && !neverAfter(step.opensAfter, step.dueAfter)) {
      errors.push({
        path: `${at}/opensAfter`,
        message: `${step.title} must open before it is due.`,
      });
    }
    if (step.closesAfter && !neverAfter(step.dueAfter, step.closesAfter)) {
      errors.push({
        path: `${at}/closesAfter`,
        message: `${step.title} must not close before it is due.`,
      });
    }
  });
  for (const [name, value] of Object.entries(ruleSet.settings ?? {})) {
    if (!Number.isInteger(value) || value < 1 || value > 10_000) {
      errors.push({
        path: `/settings/${name}`,
        message: 'A setting must be a whole number from 1 to 10,000.',
      });
    }
  }
  return errors;
}

/**
 * What a new version may change without a release of OHWB: each step's times and
 * source, and the settings. Steps, their codes, wording, who does them, conditions
 * and tests stay as they are: code and the API (task codes) depend on them.
 */
export function changeErrors(current: RuleSet, next: RuleSet): FieldError[] {
  if (next.steps.length !== current.steps.length) {
    return [
      {
        path: '/steps',
        message: `Keep the ${current.steps.length} steps; adding or removing a step needs a release of OHWB.`,
      },
    ];
  }
  const errors: FieldError[] = [];
  next.steps.forEach((step, i) => {
    const was = current.steps[i];
    if (!was) return;
    for (const key of ['code', 'title', 'assignee', 'completes', 'when', 'tests'] as const) {
      if (JSON.stringify(step[key] ?? null) !== JSON.stringify(was[key] ?? null)) {
        errors.push({
          path: `/steps/${i}/${key}`,
          message: `Only the times and source of a step can change; keep its ${key}.`,
        });
      }
    }
  });
  for (const name of Object.keys(next.settings ?? {})) {
    if (!Object.hasOwn(current.settings ?? {}, name)) {
      errors.push({ path: `/settings/${name}`, message: `${name} is not a setting of this pathway.` });
    }
  }
  return errors;
}
