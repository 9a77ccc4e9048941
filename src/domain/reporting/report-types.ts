import type { Shown } from './disclosure.ts';
import type { Period } from './period.ts';

/** What a report is about, as shown in its heading. `controlled`: disclosure control applies (below national level). */
export type ReportScope = {
  kind: 'organisation' | 'system' | 'national';
  slug: string;
  name: string;
  /** For an organisation, its kind (police-force, nhs-trust, …); null otherwise. */
  organisationKind: string | null;
  controlled: boolean;
};

export const EQUITY_DIMENSIONS = ['staffGroup', 'ethnicity', 'sex', 'ageBand', 'disability'] as const;
export type EquityDimension = (typeof EQUITY_DIMENSIONS)[number];

export const EQUITY_DIMENSION_LABELS: Record<EquityDimension, string> = {
  staffGroup: 'Staff group',
  ethnicity: 'Ethnic group',
  sex: 'Sex',
  ageBand: 'Age band',
  disability: 'Disability',
};

/** One group of a dimension: staff in post in the period, those who used an OH&WB service, and the rate. */
export type EquityRow = { group: string; workforce: Shown; people: Shown; ratePer1000: Shown };

/** `GET /api/v1/reports/equity`. */
export type EquityReport = {
  scope: ReportScope;
  period: Period;
  dimension: EquityDimension;
  rows: EquityRow[];
  total: Omit<EquityRow, 'group'>;
};

/** A count with the share it makes of a whole (percent, one decimal place). */
export type CountShare = { count: Shown; of: Shown; percent: Shown };

/** `GET /api/v1/reports/kpis`: input and output measures of the minimum dataset. */
export type KpiReport = {
  scope: ReportScope;
  period: Period;
  input: {
    /** Referrals received in the period (management, self and other). */
    referrals: Shown;
    /** Self-referrals as a share of referrals. */
    selfReferrals: CountShare;
    /** Days from referral to first appointment, for episodes whose first appointment was in the period. */
    daysToFirstAppointment: { episodes: Shown; median: Shown; p90: Shown };
    /** Appointments in the period that were attended or missed, and the share missed. */
    didNotAttend: CountShare;
    /** Open cases at the end of the period. */
    caseload: Shown;
  };
  output: {
    /** Fitness-for-work outcomes recorded in the period, by category. */
    outcomesByFitness: Array<{ fitness: string; label: string; count: Shown }>;
    outcomesTotal: Shown;
    /** Reports released in the period, and how many within 21 days of the consultation. */
    reportsReleasedWithin21Days: CountShare;
    /** Episodes closed in the period with the person at work (remained or returned). */
    atWorkAtClosure: CountShare;
    /** Episodes with two or more PHQ-9/GAD-7 measures ending in the period that reliably improved. */
    reliableImprovement: CountShare;
  };
};

/** The KPI measures a benefits-realisation aim may track (keys into KpiReport). */
export const TRACKABLE_MEASURES = {
  referrals: 'Referrals received',
  selfReferralPercent: 'Self-referrals (% of referrals)',
  medianDaysToFirstAppointment: 'Median days from referral to first appointment',
  p90DaysToFirstAppointment: '90th centile days from referral to first appointment',
  didNotAttendPercent: 'Did-not-attend rate (%)',
  reportsWithin21DaysPercent: 'Reports released within 21 days (%)',
  atWorkAtClosurePercent: 'At work when the episode closed (%)',
  reliableImprovementPercent: 'PHQ-9/GAD-7 reliable improvement (%)',
} as const;
export type TrackableMeasure = keyof typeof TRACKABLE_MEASURES;

/** The value of a trackable measure in a KPI report. */
export function measureValue(report: KpiReport, measure: TrackableMeasure): Shown {
  switch (measure) {
    case 'referrals':
      return report.input.referrals;
    case 'selfReferralPercent':
      return report.input.selfReferrals.percent;
    case 'medianDaysToFirstAppointment':
      return report.input.daysToFirstAppointment.median;
    case 'p90DaysToFirstAppointment':
      return report.input.daysToFirstAppointment.p90;
    case 'didNotAttendPercent':
      return report.input.didNotAttend.percent;
    case 'reportsWithin21DaysPercent':
      return report.output.reportsReleasedWithin21Days.percent;
    case 'atWorkAtClosurePercent':
      return report.output.atWorkAtClosure.percent;
    case 'reliableImprovementPercent':
      return report.output.reliableImprovement.percent;
  }
}
