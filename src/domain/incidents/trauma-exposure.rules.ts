import { Temporal } from 'temporal-polyfill';
import { type FieldError, Invalid } from '../shared/errors.ts';
import { londonDate } from '../time/london.ts';

/** When the trauma exposure log prompts proactive outreach: `threshold` incidents within `windowMonths`. */
export type TraumaOutreachRule = { threshold: number; windowMonths: number; source: string };

/**
 * The default outreach rule: 5 traumatic incidents in 12 calendar months. This is a service default,
 * not a national threshold; an OH physician can change it for their force or trust. Outreach is an
 * offer of support, never a compulsory referral (DOMAIN.md, "TRiM").
 */
export const TRAUMA_OUTREACH_DEFAULT: TraumaOutreachRule = {
  threshold: 5,
  windowMonths: 12,
  source:
    'OHWB service default (verify with the OH physician): DOMAIN.md "TRiM" — police officers meet 450–600 ' +
    'traumatic events in a career; crossing a configurable count in a window prompts proactive outreach.',
};

/** An officer's exposure: the count in the rule's window, the count ever logged, and whether to reach out. */
export type TraumaExposure = {
  /** Incidents in the rule's window (12 months by default), up to now. */
  last12Months: number;
  /** Every incident in the log. */
  total: number;
  outreachDue: boolean;
  /** The first London calendar date of the window (YYYY-MM-DD), for "since 5 March 2025". */
  windowStart: string;
};

/**
 * Counts an officer's traumatic incidents and says whether proactive outreach is due.
 *
 * The window is whole calendar days on the Europe/London calendar, so that the count reads the same
 * all day and matches what a person sees: with a 12-month window on 5 March 2026 it runs from
 * 5 March 2025 (included) to now. An incident exactly 12 months ago still counts that day and drops
 * out the next. Subtracting months from 31 March gives the last day of February (Temporal "constrain").
 * Incidents after `now` (a clock or entry error) are not counted in the window, though they are in
 * `total`, which is simply the size of the log.
 *
 * @param incidentTimes when each logged incident happened
 * @param now the current instant
 * @param rule the outreach rule (defaults to TRAUMA_OUTREACH_DEFAULT)
 * @throws Invalid when an incident time is not a real date or the rule is not a positive whole count and window
 */
export function traumaExposure(
  incidentTimes: readonly Date[],
  now: Date,
  rule: TraumaOutreachRule = TRAUMA_OUTREACH_DEFAULT,
): TraumaExposure {
  assertInputs(incidentTimes, rule);
  const start = Temporal.PlainDate.from(londonDate(now)).subtract({ months: rule.windowMonths });
  const inWindow = incidentTimes.filter(
    (at) =>
      at.getTime() <= now.getTime() &&
      Temporal.PlainDate.compare(Temporal.PlainDate.from(londonDate(at)), start) >= 0,
  ).length;
  return {
    last12Months: inWindow,
    total: incidentTimes.length,
    outreachDue: inWindow >= rule.threshold,
    windowStart: start.toString(),
  };
}

function assertInputs(incidentTimes: readonly Date[], rule: TraumaOutreachRule): void {
  const errors: FieldError[] = [];
  incidentTimes.forEach((at, index) => {
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
      errors.push({ path: `/incidents/${index}/occurredAt`, message: 'Enter the date of the incident' });
    }
  });
  if (!Number.isInteger(rule.threshold) || rule.threshold < 1) {
    errors.push({
      path: '/rule/threshold',
      message: 'The outreach count must be a whole number of 1 or more',
    });
  }
  if (!Number.isInteger(rule.windowMonths) || rule.windowMonths < 1) {
    errors.push({
      path: '/rule/windowMonths',
      message: 'The window must be a whole number of months, 1 or more',
    });
  }
  if (errors.length > 0) throw new Invalid('The trauma exposure log cannot be counted.', errors);
}
