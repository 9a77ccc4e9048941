import { RuleRefused } from '../shared/errors.ts';

export const REPORT_STATUSES = [
  'awaiting-employee',
  'released',
  'correction-requested',
  'withheld',
  'superseded',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_DECISIONS = ['release', 'request-correction', 'withhold'] as const;
export type ReportDecision = (typeof REPORT_DECISIONS)[number];

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  'awaiting-employee': 'Waiting for the employee to read it',
  released: 'Released to the manager',
  'correction-requested': 'Employee asked for a correction',
  withheld: 'Withheld by the employee',
  superseded: 'Replaced by a newer version',
};

export type ReportEvent = { type: 'decide'; decision: ReportDecision } | { type: 'supersede' };

/**
 * The report's one state machine. The employee sees the report first and may release
 * it, ask for a factual correction, or withhold it (Access to Medical Reports Act 1988
 * practice; FOM Ethics Guidance §3.74–3.76). A withheld report may still be released
 * later if the employee changes their mind. A report is never released automatically.
 */
export function transitionReport(state: ReportStatus, event: ReportEvent): ReportStatus {
  switch (event.type) {
    case 'decide':
      if (state === 'awaiting-employee' || (state === 'withheld' && event.decision === 'release')) {
        return decisionStatus(event.decision);
      }
      if (state === 'released') throw new RuleRefused('This report has already been released.');
      if (state === 'superseded') throw new RuleRefused('This report has been replaced by a newer version.');
      throw new RuleRefused(`This report is ${REPORT_STATUS_LABELS[state].toLowerCase()}.`);
    case 'supersede':
      if (state === 'released') throw new RuleRefused('A released report cannot be replaced.');
      return 'superseded';
  }
}

/** The status a decision leads to. */
export function decisionStatus(decision: ReportDecision): ReportStatus {
  switch (decision) {
    case 'release':
      return 'released';
    case 'request-correction':
      return 'correction-requested';
    case 'withhold':
      return 'withheld';
  }
}

/**
 * After this many days without the employee's decision, the clinician is prompted to
 * follow up. The report is never released automatically (DOMAIN.md; Access to Medical
 * Reports Act 1988 allows 21 days to arrange to see a report).
 */
export const DECISION_PROMPT_DAYS = 21;

/** Whether a report held for the employee has waited long enough for the clinician to follow up. */
export function needsDecisionFollowUp(report: { status: string; createdAt: Date }, now: Date): boolean {
  return (
    (report.status === 'awaiting-employee' || report.status === 'correction-requested') &&
    now.getTime() - report.createdAt.getTime() >= DECISION_PROMPT_DAYS * 86_400_000
  );
}
