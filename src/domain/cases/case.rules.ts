import { RuleRefused } from '../shared/errors.ts';

export const CASE_STATUSES = [
  'awaiting-appointment',
  'appointment-booked',
  'consulted',
  'outcome-recorded',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  'awaiting-appointment': 'Waiting for an appointment',
  'appointment-booked': 'Appointment booked',
  consulted: 'Seen by occupational health',
  'outcome-recorded': 'Outcome recorded',
  closed: 'Closed',
};

/** Fitness-for-work outcomes that a manager may see (DOMAIN.md, FOM ethics guidance). */
export const FITNESS_OUTCOMES = [
  'fit',
  'fit-with-adjustments',
  'temporarily-unfit',
  'unfit-for-role',
] as const;
export type FitnessOutcome = (typeof FITNESS_OUTCOMES)[number];

export const FITNESS_LABELS: Record<FitnessOutcome, string> = {
  fit: 'Fit for work',
  'fit-with-adjustments': 'Fit for work with adjustments',
  'temporarily-unfit': 'Temporarily unfit for work',
  'unfit-for-role': 'Unfit for their role',
};

/** Fit-note families of adjustment, offered as a starting point; free text is allowed too. */
export const ADJUSTMENT_FAMILIES = [
  'Phased return to work',
  'Altered hours',
  'Amended duties',
  'Workplace adaptations',
] as const;

export const CLOSURE_OUTCOMES = [
  'remained-at-work',
  'returned-to-work',
  'redeployed',
  'left-employment',
  'ill-health-retirement',
  'not-known',
] as const;
export type ClosureOutcome = (typeof CLOSURE_OUTCOMES)[number];

export const CLOSURE_LABELS: Record<ClosureOutcome, string> = {
  'remained-at-work': 'Remained at work',
  'returned-to-work': 'Returned to work',
  redeployed: 'Redeployed',
  'left-employment': 'Left employment',
  'ill-health-retirement': 'Ill-health retirement',
  'not-known': 'Not known',
};

export type CaseEvent =
  | { type: 'book' }
  | { type: 'cancel-last-appointment' }
  | { type: 'consult' }
  | { type: 'record-outcome'; fitness: FitnessOutcome; adjustments: string[] }
  | { type: 'write-report' }
  | { type: 'close' };

/** The case's one state machine. Illegal events throw with a message a user can act on. */
export function transitionCase(state: CaseStatus, event: CaseEvent): CaseStatus {
  if (state === 'closed') throw new RuleRefused('This case is closed.');
  switch (event.type) {
    case 'book':
      return state === 'awaiting-appointment' ? 'appointment-booked' : state;
    case 'cancel-last-appointment':
      return state === 'appointment-booked' ? 'awaiting-appointment' : state;
    case 'consult':
      return state === 'outcome-recorded' ? state : 'consulted';
    case 'record-outcome':
      if (state !== 'consulted' && state !== 'outcome-recorded') {
        throw new RuleRefused('Record a consultation before the fitness-for-work outcome.');
      }
      if (event.fitness === 'fit-with-adjustments' && event.adjustments.length === 0) {
        throw new RuleRefused(
          'Say which adjustments you recommend when the outcome is fit with adjustments.',
        );
      }
      return 'outcome-recorded';
    case 'write-report':
      if (state !== 'consulted' && state !== 'outcome-recorded') {
        throw new RuleRefused('Record a consultation before writing the management report.');
      }
      return state;
    case 'close':
      if (state !== 'outcome-recorded') {
        throw new RuleRefused('Record the fitness-for-work outcome before closing the case.');
      }
      return 'closed';
  }
}

/** A review date must be a real date and not in the past (London calendar date `today`). */
export function checkReviewDate(reviewDate: string | null | undefined, today: string): void {
  if (!reviewDate) return;
  if (reviewDate < today) throw new RuleRefused('The review date cannot be in the past.');
}
