import {
  type EpisodeMeasure,
  type EpisodeOutcome,
  episodeOutcome,
} from '../measures/talking-therapies.rules.ts';
import { bandOfAge, ethnicGroup } from '../workforce/categories.ts';

/**
 * The minimum OH&WB dataset (DOMAIN.md, "Minimum dataset"): one row per episode of care,
 * derived from the records — never typed in twice. An episode is a referral, with the case
 * it opened. These rules turn the stored facts into the dataset's fields; the reports and
 * the extract use the same ones.
 */

/** Appointments that count as "seen or offered and missed": the first of these ends the wait. */
export const FIRST_APPOINTMENT_STATUSES = ['attended', 'did-not-attend'] as const;

/** Closure outcomes where the person was at work when the episode closed (an output KPI). */
export const AT_WORK_OUTCOMES = ['remained-at-work', 'returned-to-work'] as const;

/** A report counts as timely when released within this many days of the consultation it reports on. */
export const REPORT_RELEASE_DAYS = 21;

/** The dataset's reasons for referral. */
export const REFERRAL_REASONS = [
  'mental health',
  'musculoskeletal',
  'blood-borne virus exposure',
  'other physical',
  'pre-placement',
  'health surveillance',
  'immunisation',
  'dental injury',
  'retirement preparation',
  'other',
] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number];

const REASON_BY_PATHWAY: Record<string, ReferralReason> = {
  'mental-health': 'mental health',
  musculoskeletal: 'musculoskeletal',
  'blood-borne-virus': 'blood-borne virus exposure',
  general: 'other physical',
  'pre-placement': 'pre-placement',
  'health-surveillance': 'health surveillance',
  immunisation: 'immunisation',
  'dental-injury': 'dental injury',
  'retirement-preparation': 'retirement preparation',
};

/** The dataset's reason for a pathway slug (the pathway OH triaged it onto, or the self-referral's choice). */
export function referralReason(pathway: string | null): ReferralReason {
  return (pathway && REASON_BY_PATHWAY[pathway]) || 'other';
}

/** Disability as the dataset records it. */
export function disabilityAnswer(value: string | null): 'yes' | 'no' | 'not declared' {
  return value === 'yes' || value === 'no' ? value : 'not declared';
}

/** Sex as the dataset records it. */
export function sexAnswer(value: string | null): 'female' | 'male' | 'other' | 'not known' {
  return value === 'female' || value === 'male' || value === 'other' ? value : 'not known';
}

/** Whole days between two London dates written YYYY-MM-DD (`to` minus `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** First and last score of one instrument in an episode, and whether they were taken at different times. */
export type InstrumentEnds = { first: number; last: number; twice: boolean } | null;

/** An episode's first and last scores as the dataset's SQL returns them (`MEASURE_ENDS`). */
export type MeasureEndsColumns = {
  phq_first: number | null;
  phq_last: number | null;
  phq_twice: boolean;
  gad_first: number | null;
  gad_last: number | null;
  gad_twice: boolean;
};

/** Each instrument's ends from those columns (null when the episode has none of it). */
export function instrumentEnds(row: MeasureEndsColumns): { phq9: InstrumentEnds; gad7: InstrumentEnds } {
  const ends = (first: number | null, last: number | null, twice: boolean): InstrumentEnds =>
    first === null ? null : { first: Number(first), last: Number(last), twice };
  return {
    phq9: ends(row.phq_first, row.phq_last, row.phq_twice),
    gad7: ends(row.gad_first, row.gad_last, row.gad_twice),
  };
}

/**
 * The NHS Talking Therapies outcome of an episode from the first and last score of each
 * instrument (as the reports aggregate them), by the one rule in talking-therapies.rules.ts.
 */
export function outcomeFromEnds(phq9: InstrumentEnds, gad7: InstrumentEnds): EpisodeOutcome | null {
  const start = new Date(0);
  const end = new Date(1);
  const measures: EpisodeMeasure[] = [];
  const add = (instrument: 'PHQ-9' | 'GAD-7', ends: InstrumentEnds) => {
    if (!ends) return;
    measures.push({ instrument, total: ends.first, takenAt: start });
    if (ends.twice) measures.push({ instrument, total: ends.last, takenAt: end });
  };
  add('PHQ-9', phq9);
  add('GAD-7', gad7);
  return episodeOutcome(measures);
}

/** The facts of one episode as the database holds them (see the dataset query). */
export type EpisodeFacts = {
  personId: string;
  organisationSlug: string;
  organisationKind: string;
  providerSlug: string;
  providerModel: string;
  service: string;
  staffGroup: string;
  /** Whole years of age on the referral date; null when the date of birth is unknown. */
  ageAtReferral: number | null;
  sex: string | null;
  ethnicCategory: string | null;
  disability: string | null;
  source: string;
  pathway: string | null;
  priority: string | null;
  referralDate: string;
  firstAppointmentDate: string | null;
  attended: number;
  didNotAttend: number;
  consultationModes: string | null;
  fitness: string | null;
  adjustmentsRecommended: boolean | null;
  reportReleasedDate: string | null;
  consultationDateBeforeReport: string | null;
  closureDate: string | null;
  closureOutcome: string | null;
  phq9: InstrumentEnds;
  gad7: InstrumentEnds;
};

/** The columns of the minimum dataset extract, in order. */
export const MDS_COLUMNS = [
  'pseudonym',
  'organisation',
  'organisation_kind',
  'provider',
  'provider_model',
  'service',
  'staff_group',
  'age_band',
  'sex',
  'ethnic_group',
  'disability',
  'referral_source',
  'reason',
  'pathway',
  'priority',
  'referral_date',
  'first_appointment_date',
  'days_to_first_appointment',
  'attended',
  'did_not_attend',
  'consultation_modes',
  'fitness_outcome',
  'adjustments_recommended',
  'report_released_date',
  'days_consultation_to_release',
  'closure_date',
  'closure_outcome',
  'phq9_first',
  'phq9_last',
  'gad7_first',
  'gad7_last',
  'tt_caseness',
  'tt_recovery',
  'tt_reliable_improvement',
  'tt_reliable_deterioration',
  'tt_reliable_recovery',
] as const;

const yesNo = (value: boolean | null | undefined) =>
  value === null || value === undefined ? '' : value ? 'yes' : 'no';
const text = (value: string | number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);

/** One row of the extract, in MDS_COLUMNS order. Blank means not (yet) known. */
export function mdsRow(pseudonym: string, e: EpisodeFacts): string[] {
  const outcome = outcomeFromEnds(e.phq9, e.gad7);
  return [
    pseudonym,
    e.organisationSlug,
    e.organisationKind,
    e.providerSlug,
    e.providerModel,
    e.service,
    e.staffGroup,
    bandOfAge(e.ageAtReferral) ?? 'not known',
    sexAnswer(e.sex),
    ethnicGroup(e.ethnicCategory),
    disabilityAnswer(e.disability),
    e.source,
    referralReason(e.pathway),
    text(e.pathway),
    text(e.priority),
    e.referralDate,
    text(e.firstAppointmentDate),
    e.firstAppointmentDate ? String(daysBetween(e.referralDate, e.firstAppointmentDate)) : '',
    String(e.attended),
    String(e.didNotAttend),
    text(e.consultationModes),
    text(e.fitness),
    yesNo(e.adjustmentsRecommended),
    text(e.reportReleasedDate),
    e.reportReleasedDate && e.consultationDateBeforeReport
      ? String(daysBetween(e.consultationDateBeforeReport, e.reportReleasedDate))
      : '',
    text(e.closureDate),
    text(e.closureOutcome),
    text(e.phq9?.first),
    e.phq9?.twice ? String(e.phq9.last) : '',
    text(e.gad7?.first),
    e.gad7?.twice ? String(e.gad7.last) : '',
    yesNo(outcome?.caseness),
    yesNo(outcome?.recovery),
    yesNo(outcome?.reliableImprovement),
    yesNo(outcome?.reliableDeterioration),
    yesNo(outcome?.reliableRecovery),
  ];
}
