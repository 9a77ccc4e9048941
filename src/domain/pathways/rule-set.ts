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

/**
 * Anchors that test a rule set's windows on awkward dates: month ends, a leap day,
 * and both changes of the clocks (UTC instants).
 */
const PROBE_ANCHORS = [
  '2026-01-31T14:00:00Z',
  '2028-02-29T09:00:00Z',
  '2026-03-29T00:30:00Z',
  '2026-10-25T00:30:00Z',
  '2026-08-31T23:30:00Z',
].map((s) => new Date(s));

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
    for (const anchor of PROBE_ANCHORS) {
      const due = stepFrom(anchor, step.dueAfter).getTime();
      if (step.opensAfter && stepFrom(anchor, step.opensAfter).getTime() > due) {
        errors.push({ path: `${at}/opensAfter`, message: `${step.title} must open before it is due.` });
        break;
      }
      if (step.closesAfter && stepFrom(anchor, step.closesAfter).getTime() < due) {
        errors.push({ path: `${at}/closesAfter`, message: `${step.title} must not close before it is due.` });
        break;
      }
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
