import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INSTRUMENT_CODES,
  INSTRUMENTS,
  type InstrumentCode,
  type Severity,
  scoreMeasure,
  severityLabel,
  severityOf,
} from '../../src/domain/measures/instrument.rules.ts';
import { type FieldError, Invalid } from '../../src/domain/shared/errors.ts';

/** An answer set of `count` items that adds up to `total` (items filled with 3s, then the remainder). */
function answersTotalling(count: number, total: number, item9 = 0): number[] {
  const answers = Array.from({ length: count }, () => 0);
  let left = total - item9;
  for (let i = 0; i < count && left > 0; i++) {
    if (count === 9 && i === 8) continue;
    answers[i] = Math.min(3, left);
    left -= answers[i] as number;
  }
  if (count === 9) answers[8] = item9;
  if (left > 0) throw new Error(`cannot make ${total} from ${count} items`);
  return answers;
}

/** The field errors scoreMeasure throws, or fails the test. */
function refusal(instrument: InstrumentCode, answers: readonly unknown[]): FieldError[] {
  try {
    scoreMeasure(instrument, answers);
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return (error as Invalid).errors;
  }
  throw new Error('expected the answers to be refused');
}

describe('INSTRUMENTS', () => {
  it.each(INSTRUMENT_CODES)('%s: bands are ordered, contiguous and cover 0 to the maximum', (code) => {
    const definition = INSTRUMENTS[code];
    expect(definition.items).toHaveLength(definition.itemCount);
    expect(definition.totalMax).toBe(definition.itemCount * definition.itemMax);
    expect(definition.answerLabels).toHaveLength(definition.itemMax - definition.itemMin + 1);
    expect(definition.answerLoinc).toHaveLength(definition.answerLabels.length);
    expect(definition.bands[0]?.from).toBe(0);
    expect(definition.bands.at(-1)?.to).toBe(definition.totalMax);
    definition.bands.forEach((band, i) => {
      expect(band.to).toBeGreaterThanOrEqual(band.from);
      if (i > 0) expect(band.from).toBe((definition.bands[i - 1]?.to ?? Number.NaN) + 1);
    });
    expect(definition.source).toMatch(/20\d\d/);
  });

  it('carries the LOINC total codes and the published answer labels', () => {
    expect(INSTRUMENTS['PHQ-9'].loincTotal).toBe('44261-6');
    expect(INSTRUMENTS['GAD-7'].loincTotal).toBe('70274-6');
    expect(INSTRUMENTS['GAD-7'].answerLabels).toEqual([
      'Not at all',
      'Several days',
      'More than half the days',
      'Nearly every day',
    ]);
  });
});

describe('scoreMeasure: every band boundary', () => {
  const cases: [InstrumentCode, number, Severity][] = [
    ['PHQ-9', 0, 'minimal'],
    ['PHQ-9', 4, 'minimal'],
    ['PHQ-9', 5, 'mild'],
    ['PHQ-9', 9, 'mild'],
    ['PHQ-9', 10, 'moderate'],
    ['PHQ-9', 14, 'moderate'],
    ['PHQ-9', 15, 'moderately-severe'],
    ['PHQ-9', 19, 'moderately-severe'],
    ['PHQ-9', 20, 'severe'],
    ['PHQ-9', 27, 'severe'],
    ['GAD-7', 0, 'minimal'],
    ['GAD-7', 4, 'minimal'],
    ['GAD-7', 5, 'mild'],
    ['GAD-7', 9, 'mild'],
    ['GAD-7', 10, 'moderate'],
    ['GAD-7', 14, 'moderate'],
    ['GAD-7', 15, 'severe'],
    ['GAD-7', 21, 'severe'],
  ];
  it.each(cases)('%s total %i → %s', (code, total, severity) => {
    // Item 9 is kept at 0 below the maximum so the flag does not mix into the band test.
    const item9 = code === 'PHQ-9' && total > 24 ? 3 : 0;
    const answers = answersTotalling(INSTRUMENTS[code].itemCount, total, item9);
    const score = scoreMeasure(code, answers);
    expect(score.total).toBe(total);
    expect(score.severity).toBe(severity);
    expect(severityOf(code, total)).toBe(severity);
  });
});

describe('scoreMeasure: PHQ-9 item 9', () => {
  it.each([1, 2, 3])('flags self-harm risk when item 9 is %i, even with a minimal total', (item9) => {
    const score = scoreMeasure('PHQ-9', answersTotalling(9, item9, item9));
    expect(score.total).toBe(item9);
    expect(score.severity).toBe('minimal');
    expect(score.flags).toEqual(['self-harm-risk']);
  });

  it('raises no flag when item 9 is "Not at all", even with a severe total', () => {
    const score = scoreMeasure('PHQ-9', [3, 3, 3, 3, 3, 3, 3, 3, 0]);
    expect(score).toEqual({ total: 24, severity: 'severe', flags: [] });
  });

  it('never flags GAD-7', () => {
    expect(scoreMeasure('GAD-7', [3, 3, 3, 3, 3, 3, 3]).flags).toEqual([]);
  });
});

describe('scoreMeasure refuses incomplete or bad answers', () => {
  const phq = (overrides: Record<number, unknown>) => {
    const answers: unknown[] = [1, 1, 1, 1, 1, 1, 1, 1, 1];
    for (const [i, v] of Object.entries(overrides)) answers[Number(i)] = v;
    return answers;
  };

  it.each([
    ['null', null, 'Answer question 3'],
    ['undefined', undefined, 'Answer question 3'],
    ['an empty string', '', 'Answer question 3'],
    ['a string number', '2', 'Answer 3 must be a whole number from 0 to 3'],
    ['a fraction', 1.5, 'Answer 3 must be a whole number from 0 to 3'],
    ['negative', -1, 'Answer 3 must be a whole number from 0 to 3'],
    ['4', 4, 'Answer 3 must be a whole number from 0 to 3'],
    ['NaN', Number.NaN, 'Answer 3 must be a whole number from 0 to 3'],
    ['a boolean', true, 'Answer 3 must be a whole number from 0 to 3'],
  ])('item 3 %s → /answers/2', (_name, value, message) => {
    expect(refusal('PHQ-9', phq({ 2: value }))).toEqual([{ path: '/answers/2', message }]);
  });

  it('names the ninth answer with a 1-based number and a 0-based path', () => {
    expect(refusal('PHQ-9', phq({ 8: 7 }))).toEqual([
      { path: '/answers/8', message: 'Answer 9 must be a whole number from 0 to 3' },
    ]);
  });

  it('reports every bad item at once', () => {
    expect(refusal('GAD-7', [0, -1, 0, 'x', 0, 0, null]).map((e) => e.path)).toEqual([
      '/answers/1',
      '/answers/3',
      '/answers/6',
    ]);
  });

  it('refuses too few answers, naming the set and each missing item', () => {
    expect(refusal('GAD-7', [0, 1, 2, 3, 0])).toEqual([
      { path: '/answers', message: 'Answer all 7 questions' },
      { path: '/answers/5', message: 'Answer question 6' },
      { path: '/answers/6', message: 'Answer question 7' },
    ]);
  });

  it('refuses a sparse array (a hole is a missing answer)', () => {
    const answers = [0, 0, 0, 0, 0, 0, 0];
    delete answers[4];
    expect(refusal('GAD-7', answers)).toEqual([{ path: '/answers/4', message: 'Answer question 5' }]);
  });

  it('refuses extra answers', () => {
    expect(refusal('GAD-7', [0, 0, 0, 0, 0, 0, 0, 0])).toEqual([
      { path: '/answers', message: 'There are 7 questions but 8 answers were given' },
    ]);
  });

  it('refuses no answers', () => {
    expect(refusal('PHQ-9', [])).toHaveLength(10);
  });

  it('explains itself', () => {
    expect(() => scoreMeasure('PHQ-9', [])).toThrow(/PHQ-9 answers/);
  });
});

describe('severityOf', () => {
  it.each([-1, 28, 3.5, Number.NaN])('refuses a PHQ-9 total of %d', (total) => {
    expect(() => severityOf('PHQ-9', total)).toThrow(Invalid);
  });
});

describe('scoreMeasure: any complete answer set', () => {
  it.each(INSTRUMENT_CODES)('%s scores to the sum of its answers, in a band that contains it', (code) => {
    const { itemCount, itemMin, itemMax } = INSTRUMENTS[code];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: itemMin, max: itemMax }), { minLength: itemCount, maxLength: itemCount }),
        (answers) => {
          const score = scoreMeasure(code, answers);
          expect(score.total).toBe(answers.reduce((a, b) => a + b, 0));
          const band = INSTRUMENTS[code].bands.find((b) => b.severity === score.severity);
          expect(band).toBeDefined();
          expect(score.total).toBeGreaterThanOrEqual(band?.from ?? Number.NaN);
          expect(score.total).toBeLessThanOrEqual(band?.to ?? Number.NaN);
          expect(score.flags.includes('self-harm-risk')).toBe(code === 'PHQ-9' && (answers[8] ?? 0) > 0);
        },
      ),
    );
  });
});

describe('severityLabel', () => {
  it.each([
    ['minimal', 'Minimal'],
    ['mild', 'Mild'],
    ['moderate', 'Moderate'],
    ['moderately-severe', 'Moderately severe'],
    ['severe', 'Severe'],
  ] as const)('%s → %s', (severity, label) => {
    expect(severityLabel(severity)).toBe(label);
  });
});
