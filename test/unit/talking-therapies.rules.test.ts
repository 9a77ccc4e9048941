import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EpisodeMeasure,
  type EpisodeOutcome,
  episodeOutcome,
  TALKING_THERAPIES_RULES,
} from '../../src/domain/measures/talking-therapies.rules.ts';
import { Invalid } from '../../src/domain/shared/errors.ts';

const session = (n: number) => new Date(Date.UTC(2026, 0, 5 + 7 * n, 10));
const phq = (total: number, n: number): EpisodeMeasure => ({
  instrument: 'PHQ-9',
  total,
  takenAt: session(n),
});
const gad = (total: number, n: number): EpisodeMeasure => ({
  instrument: 'GAD-7',
  total,
  takenAt: session(n),
});

type Flags = Pick<
  EpisodeOutcome,
  'caseness' | 'recovery' | 'reliableImprovement' | 'reliableDeterioration' | 'reliableRecovery'
>;
const flags = (outcome: EpisodeOutcome | null): Flags | null =>
  outcome && {
    caseness: outcome.caseness,
    recovery: outcome.recovery,
    reliableImprovement: outcome.reliableImprovement,
    reliableDeterioration: outcome.reliableDeterioration,
    reliableRecovery: outcome.reliableRecovery,
  };
const NONE: Flags = {
  caseness: false,
  recovery: false,
  reliableImprovement: false,
  reliableDeterioration: false,
  reliableRecovery: false,
};

describe('TALKING_THERAPIES_RULES', () => {
  it('holds the NHS Talking Therapies thresholds with their source', () => {
    expect(TALKING_THERAPIES_RULES.caseness).toEqual({ 'PHQ-9': 10, 'GAD-7': 8 });
    expect(TALKING_THERAPIES_RULES.reliableChange).toEqual({ 'PHQ-9': 6, 'GAD-7': 4 });
    expect(TALKING_THERAPIES_RULES.source).toMatch(/NHS Talking Therapies/);
  });
});

describe('episodeOutcome: worked examples', () => {
  const examples: [string, EpisodeMeasure[], Flags | null][] = [
    [
      'PHQ-9 18→7 and GAD-7 15→6: caseness, recovery, reliable improvement, reliable recovery',
      [phq(18, 0), gad(15, 0), phq(12, 3), gad(10, 3), phq(7, 6), gad(6, 6)],
      {
        caseness: true,
        recovery: true,
        reliableImprovement: true,
        reliableDeterioration: false,
        reliableRecovery: true,
      },
    ],
    [
      'PHQ-9 12→7 only: improvement of 5 is not reliable, but 7 is below caseness so it is recovery',
      [phq(12, 0), phq(7, 4)],
      { ...NONE, caseness: true, recovery: true },
    ],
    [
      'PHQ-9 16→10: reliable improvement of 6 but still a case, so no recovery',
      [phq(16, 0), phq(10, 5)],
      { ...NONE, caseness: true, reliableImprovement: true },
    ],
    [
      'GAD-7 9→14: reliable deterioration',
      [gad(9, 0), gad(14, 4)],
      { ...NONE, caseness: true, reliableDeterioration: true },
    ],
    [
      'GAD-7 10→13: a rise of 3 is not reliable deterioration',
      [gad(10, 0), gad(13, 4)],
      { ...NONE, caseness: true },
    ],
    [
      'not a case at start (PHQ-9 8, GAD-7 6) cannot recover, though both improve reliably',
      [phq(8, 0), gad(6, 0), phq(2, 4), gad(2, 4)],
      { ...NONE, reliableImprovement: true },
    ],
    [
      'improves on PHQ-9 by 7 but GAD-7 rises by 5: not reliable improvement, reliable deterioration',
      [phq(15, 0), gad(5, 0), phq(8, 4), gad(10, 4)],
      { ...NONE, caseness: true, reliableDeterioration: true },
    ],
    [
      'a case on GAD-7 only (PHQ-9 6, GAD-7 8): recovery needs both below caseness at the end',
      [phq(6, 0), gad(8, 0), phq(3, 4), gad(7, 4)],
      { ...NONE, caseness: true, recovery: true },
    ],
    [
      'PHQ-9 falls below 10 but GAD-7 is still 8: no recovery',
      [phq(14, 0), gad(9, 0), phq(6, 4), gad(8, 4)],
      { ...NONE, caseness: true, reliableImprovement: true },
    ],
    [
      'GAD-7 12→8 is a reliable fall of 4 but 8 is still a case',
      [gad(12, 0), gad(8, 4)],
      { ...NONE, caseness: true, reliableImprovement: true },
    ],
    ['a single measure → null', [phq(18, 0)], null],
    ['one PHQ-9 and one GAD-7 → null (no instrument measured twice)', [phq(18, 0), gad(15, 3)], null],
    ['no measures → null', [], null],
  ];

  it.each(examples)('%s', (_name, measures, expected) => {
    expect(flags(episodeOutcome(measures))).toEqual(expected);
  });
});

describe('episodeOutcome: which measures are first and last', () => {
  it('sorts by time, whatever order the measures come in', () => {
    const outcome = episodeOutcome([phq(7, 6), gad(6, 6), phq(12, 3), phq(18, 0), gad(15, 0)]);
    expect(outcome?.first).toEqual({ takenAt: session(0).toISOString(), phq9: 18, gad7: 15 });
    expect(outcome?.last).toEqual({ takenAt: session(6).toISOString(), phq9: 7, gad7: 6 });
    expect(outcome?.reliableRecovery).toBe(true);
  });

  it('leaves out an instrument measured only once, so its start score cannot decide caseness', () => {
    // GAD-7 15 at the start would make this a case; with no end score it is not compared.
    const outcome = episodeOutcome([phq(8, 0), gad(15, 0), phq(4, 4)]);
    expect(outcome?.first).toEqual({ takenAt: session(0).toISOString(), phq9: 8, gad7: null });
    expect(outcome?.last).toEqual({ takenAt: session(4).toISOString(), phq9: 4, gad7: null });
    expect(outcome?.caseness).toBe(false);
  });

  it('pairs each instrument on its own dates and reports the episode’s outer dates', () => {
    const outcome = episodeOutcome([gad(12, 1), phq(14, 0), gad(6, 5), phq(9, 4)]);
    expect(outcome?.first).toEqual({ takenAt: session(0).toISOString(), phq9: 14, gad7: 12 });
    expect(outcome?.last).toEqual({ takenAt: session(5).toISOString(), phq9: 9, gad7: 6 });
    expect(outcome?.recovery).toBe(true);
  });

  it('does not compare two measures of one instrument taken at the same instant', () => {
    expect(episodeOutcome([phq(18, 0), phq(4, 0)])).toBeNull();
  });

  it('uses the thresholds it is given', () => {
    const strict = { ...TALKING_THERAPIES_RULES, reliableChange: { 'PHQ-9': 8, 'GAD-7': 4 } };
    expect(episodeOutcome([phq(16, 0), phq(10, 5)], strict)?.reliableImprovement).toBe(false);
  });
});

describe('episodeOutcome: bad measures', () => {
  it.each([
    ['a PHQ-9 total above 27', phq(28, 0), '/measures/0/total'],
    ['a negative total', gad(-1, 0), '/measures/0/total'],
    ['a fractional total', gad(4.5, 0), '/measures/0/total'],
    ['an invalid date', { instrument: 'GAD-7', total: 3, takenAt: new Date('nope') }, '/measures/0/takenAt'],
    [
      'an unknown instrument',
      { instrument: 'PHQ-2', total: 3, takenAt: session(0) },
      '/measures/0/instrument',
    ],
  ] as [string, EpisodeMeasure, string][])('refuses %s', (_name, measure, path) => {
    try {
      episodeOutcome([measure, phq(5, 2)]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).errors.map((e) => e.path)).toEqual([path]);
    }
  });
});

describe('episodeOutcome: invariants', () => {
  const measure = fc.record({
    instrument: fc.constantFrom('PHQ-9' as const, 'GAD-7' as const),
    total: fc.integer({ min: 0, max: 21 }),
    takenAt: fc.integer({ min: 0, max: 20 }).map(session),
  });
  it('reliable recovery implies recovery and improvement; improvement and deterioration never both hold', () => {
    // Unique per instrument and time: two measures of one instrument at one instant keep their given order.
    const episode = fc.uniqueArray(measure, {
      maxLength: 10,
      selector: (m) => `${m.instrument}@${m.takenAt.getTime()}`,
    });
    fc.assert(
      fc.property(episode, (measures) => {
        const outcome = episodeOutcome(measures);
        if (!outcome) return;
        if (outcome.recovery) expect(outcome.caseness).toBe(true);
        expect(outcome.reliableRecovery).toBe(outcome.recovery && outcome.reliableImprovement);
        expect(outcome.reliableImprovement && outcome.reliableDeterioration).toBe(false);
        expect(episodeOutcome([...measures].reverse())).toEqual(outcome);
      }),
    );
  });
});
