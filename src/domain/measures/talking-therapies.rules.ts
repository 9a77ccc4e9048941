import { type FieldError, Invalid } from '../shared/errors.ts';
import { INSTRUMENT_CODES, INSTRUMENTS, type InstrumentCode } from './instrument.rules.ts';

/** The thresholds NHS Talking Therapies uses to judge an episode, as data so a new edition can be dated. */
export type TalkingTherapiesRules = {
  version: number;
  /** A score at or above this is "a case" (clinical range). */
  caseness: Record<InstrumentCode, number>;
  /** A change of at least this many points is more than measurement error. */
  reliableChange: Record<InstrumentCode, number>;
  source: string;
};

/** NHS Talking Therapies caseness and reliable-change thresholds for PHQ-9 and GAD-7 (DOMAIN.md, "Instruments"). */
export const TALKING_THERAPIES_RULES: TalkingTherapiesRules = {
  version: 1,
  caseness: { 'PHQ-9': 10, 'GAD-7': 8 },
  reliableChange: { 'PHQ-9': 6, 'GAD-7': 4 },
  source:
    'NHS England, NHS Talking Therapies for anxiety and depression manual, and the NHS Talking Therapies ' +
    'data handbook: caseness PHQ-9 ≥ 10 or GAD-7 ≥ 8; reliable change PHQ-9 ≥ 6, GAD-7 ≥ 4 points; ' +
    'recovery, reliable improvement, reliable deterioration and reliable recovery between the first ' +
    'and last paired scores of a finished course of treatment.',
};

/** One scored questionnaire taken during an episode of care. */
export type EpisodeMeasure = { instrument: InstrumentCode; total: number; takenAt: Date };

/** The scores at one end of an episode; null where that instrument was not compared. */
export type EpisodeEnd = { takenAt: string; phq9: number | null; gad7: number | null };

/** The NHS Talking Therapies outcome flags of an episode, with the scores they were judged on. */
export type EpisodeOutcome = {
  first: EpisodeEnd;
  last: EpisodeEnd;
  caseness: boolean;
  recovery: boolean;
  reliableImprovement: boolean;
  reliableDeterioration: boolean;
  reliableRecovery: boolean;
};

type Pair = { code: InstrumentCode; first: EpisodeMeasure; last: EpisodeMeasure };

/**
 * The outcome of an episode between its first and last measures.
 *
 * How the ends are chosen. NHS Talking Therapies pairs PHQ-9 and GAD-7 scores taken at the same
 * session, but an OH service does not always take both every time, so each instrument is paired on
 * its own: its first score is its earliest measure and its last score is its latest. An instrument
 * is compared only when it was measured at two or more different times; an instrument measured
 * once is left out altogether (null at both ends), because a start score with no end score could
 * make someone "a case" who could then never be seen to recover, or hide a deterioration. Only
 * episodes with two or more measures of at least one instrument count (DOMAIN.md); otherwise the
 * result is null. Measures may come in any order.
 *
 * The flags, over the compared instruments only:
 * - caseness: at the start PHQ-9 ≥ 10 or GAD-7 ≥ 8;
 * - recovery: a case at the start and below every caseness threshold at the end;
 * - reliable deterioration: PHQ-9 rises by ≥ 6 or GAD-7 rises by ≥ 4;
 * - reliable improvement: PHQ-9 falls by ≥ 6 or GAD-7 falls by ≥ 4, and neither reliably deteriorates;
 * - reliable recovery: recovery and reliable improvement.
 *
 * @param measures every PHQ-9 and GAD-7 total of the episode
 * @param rules the thresholds (defaults to the current NHS Talking Therapies values)
 * @returns the outcome, or null when the episode has no instrument measured twice
 * @throws Invalid when a measure has an unknown instrument, a total out of range or a bad date
 */
export function episodeOutcome(
  measures: readonly EpisodeMeasure[],
  rules: TalkingTherapiesRules = TALKING_THERAPIES_RULES,
): EpisodeOutcome | null {
  assertMeasures(measures);
  // Array.prototype.sort is stable, so measures at the same instant keep the order they came in.
  const sorted = [...measures].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());

  const pairs: Pair[] = [];
  for (const code of INSTRUMENT_CODES) {
    const own = sorted.filter((m) => m.instrument === code);
    const first = own[0];
    const last = own.at(-1);
    // Two scores at the same instant are not a change over an episode.
    if (first && last && last.takenAt.getTime() > first.takenAt.getTime()) pairs.push({ code, first, last });
  }
  if (pairs.length === 0) return null;

  const caseness = pairs.some((p) => p.first.total >= rules.caseness[p.code]);
  const belowAtEnd = pairs.every((p) => p.last.total < rules.caseness[p.code]);
  const recovery = caseness && belowAtEnd;
  const reliableDeterioration = pairs.some(
    (p) => p.last.total - p.first.total >= rules.reliableChange[p.code],
  );
  const improvedOnOne = pairs.some((p) => p.first.total - p.last.total >= rules.reliableChange[p.code]);
  const reliableImprovement = improvedOnOne && !reliableDeterioration;

  return {
    first: endOf(pairs, 'first'),
    last: endOf(pairs, 'last'),
    caseness,
    recovery,
    reliableImprovement,
    reliableDeterioration,
    reliableRecovery: recovery && reliableImprovement,
  };
}

/** The scores at one end; its time is the earliest first (or latest last) of the compared instruments. */
function endOf(pairs: readonly Pair[], end: 'first' | 'last'): EpisodeEnd {
  const times = pairs.map((p) => p[end].takenAt.getTime());
  const at = end === 'first' ? Math.min(...times) : Math.max(...times);
  const score = (code: InstrumentCode) => pairs.find((p) => p.code === code)?.[end].total ?? null;
  return { takenAt: new Date(at).toISOString(), phq9: score('PHQ-9'), gad7: score('GAD-7') };
}

function assertMeasures(measures: readonly EpisodeMeasure[]): void {
  const errors: FieldError[] = [];
  measures.forEach((measure, index) => {
    const definition = Object.hasOwn(INSTRUMENTS, measure.instrument)
      ? INSTRUMENTS[measure.instrument]
      : undefined;
    if (!definition) {
      errors.push({
        path: `/measures/${index}/instrument`,
        message: `Choose one of ${INSTRUMENT_CODES.join(', ')}`,
      });
    } else if (!Number.isInteger(measure.total) || measure.total < 0 || measure.total > definition.totalMax) {
      errors.push({
        path: `/measures/${index}/total`,
        message: `A ${definition.code} total must be a whole number from 0 to ${definition.totalMax}`,
      });
    }
    if (!(measure.takenAt instanceof Date) || Number.isNaN(measure.takenAt.getTime())) {
      errors.push({
        path: `/measures/${index}/takenAt`,
        message: 'Enter the date the questionnaire was taken',
      });
    }
  });
  if (errors.length > 0) throw new Invalid('Some of the episode’s measures cannot be used.', errors);
}
