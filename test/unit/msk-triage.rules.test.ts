import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMERGENCY_FLAG_CODES,
  MSK_TRIAGE,
  type MskTriageAnswers,
  parseMskTriageAnswers,
  type RedFlagCode,
  triageMsk,
  URGENT_FLAG_CODES,
} from '../../src/domain/msk/msk-triage.rules.ts';
import { type FieldError, Invalid } from '../../src/domain/shared/errors.ts';

const ALL_FLAGS: RedFlagCode[] = [...EMERGENCY_FLAG_CODES, ...URGENT_FLAG_CODES];
const noRedFlags = () =>
  Object.fromEntries(ALL_FLAGS.map((code) => [code, false])) as Record<RedFlagCode, boolean>;

/** Mild, recent, working normally: supported self-care unless a test changes something. */
function answers(overrides: Partial<MskTriageAnswers> = {}, yes: RedFlagCode[] = []): MskTriageAnswers {
  const redFlags = noRedFlags();
  for (const code of yes) redFlags[code] = true;
  return {
    redFlags,
    area: 'back',
    painScore: 3,
    duration: 'under-6-weeks',
    normalDuties: 'yes',
    ...overrides,
  };
}

/** A form as posted: every red flag "no", the rest as strings. */
function form(
  overrides: Record<string, unknown> = {},
  flags: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    redFlags: { ...Object.fromEntries(ALL_FLAGS.map((code) => [code, 'no'])), ...flags },
    area: 'knee',
    painScore: '4',
    duration: '6-to-12-weeks',
    normalDuties: 'with-difficulty',
    ...overrides,
  };
}

function refusal(input: Record<string, unknown>): FieldError[] {
  try {
    parseMskTriageAnswers(input);
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return (error as Invalid).errors;
  }
  throw new Error('expected the form to be refused');
}

describe('MSK_TRIAGE', () => {
  it('asks every red flag once, in plain words, with a source', () => {
    const questions = [...MSK_TRIAGE.emergencyFlags, ...MSK_TRIAGE.urgentFlags];
    expect(questions.map((q) => q.code)).toEqual(ALL_FLAGS);
    for (const q of questions) {
      expect(q.text).toMatch(/\?$/);
      expect(q.errorMessage).toMatch(/^Select yes if /);
      expect(q.source).toMatch(/NICE|GIRFT/);
    }
    expect(MSK_TRIAGE.emergencyFlags[0]?.text).toMatch(/bladder or bowels/);
  });

  it('tells the person what to do for each route', () => {
    expect(MSK_TRIAGE.advice['emergency-department']).toMatch(/^Go to A&E now or call 999/);
    expect(MSK_TRIAGE.advice['urgent-care']).toMatch(/^Contact your GP today or call NHS 111/);
    // Every route short of A&E says when to go to A&E after all.
    for (const route of ['urgent-care', 'fast-track-physiotherapy', 'supported-self-care'] as const) {
      expect(MSK_TRIAGE.advice[route]).toMatch(/go to A&E or call 999 straight away/);
    }
  });
});

describe('triageMsk: red flags', () => {
  it.each(EMERGENCY_FLAG_CODES)('%s alone → emergency department', (code) => {
    const result = triageMsk(answers({}, [code]));
    expect(result.route).toBe('emergency-department');
    expect(result.redFlags).toEqual([code]);
    expect(result.advice).toBe(MSK_TRIAGE.advice['emergency-department']);
  });

  it.each(URGENT_FLAG_CODES)('%s alone → urgent care', (code) => {
    const result = triageMsk(answers({}, [code]));
    expect(result.route).toBe('urgent-care');
    expect(result.redFlags).toEqual([code]);
    expect(result.advice).toBe(MSK_TRIAGE.advice['urgent-care']);
  });

  it('emergency beats urgent, and lists every flag, emergency first', () => {
    const result = triageMsk(answers({}, ['night-pain', 'history-of-cancer', 'saddle-numbness']));
    expect(result.route).toBe('emergency-department');
    expect(result.redFlags).toEqual(['saddle-numbness', 'history-of-cancer', 'night-pain']);
  });

  it('a red flag needs no severity answers', () => {
    expect(triageMsk({ redFlags: { ...noRedFlags(), 'weight-loss': true } }).route).toBe('urgent-care');
  });

  it('any red flag overrides the mildest answers, whatever they are', () => {
    fc.assert(
      fc.property(fc.subarray(ALL_FLAGS, { minLength: 1 }), (yes) => {
        const route = triageMsk(answers({}, yes)).route;
        const emergency = yes.some((c) => (EMERGENCY_FLAG_CODES as readonly string[]).includes(c));
        expect(route).toBe(emergency ? 'emergency-department' : 'urgent-care');
      }),
    );
  });

  it('records the rule set’s version', () => {
    expect(triageMsk(answers()).version).toBe(MSK_TRIAGE.version);
  });
});

describe('triageMsk: severity and function', () => {
  it.each([
    ['mild, recent, working normally', {}, 'supported-self-care'],
    ['pain 6', { painScore: 6 }, 'supported-self-care'],
    ['pain 7', { painScore: 7 }, 'fast-track-physiotherapy'],
    ['pain 10', { painScore: 10 }, 'fast-track-physiotherapy'],
    ['pain 0', { painScore: 0 }, 'supported-self-care'],
    ['duties with difficulty', { normalDuties: 'with-difficulty' }, 'fast-track-physiotherapy'],
    ['cannot do normal duties', { normalDuties: 'no' }, 'fast-track-physiotherapy'],
    ['6 to 12 weeks', { duration: '6-to-12-weeks' }, 'fast-track-physiotherapy'],
    ['more than 12 weeks', { duration: 'over-12-weeks' }, 'fast-track-physiotherapy'],
    ['neck, otherwise mild', { area: 'neck' }, 'supported-self-care'],
  ] as [string, Partial<MskTriageAnswers>, string][])('%s → %s', (_name, overrides, route) => {
    expect(triageMsk(answers(overrides)).route).toBe(route);
    expect(triageMsk(answers(overrides)).redFlags).toEqual([]);
  });

  it('uses the thresholds in the rule set it is given', () => {
    const rules = { ...MSK_TRIAGE, fastTrack: { ...MSK_TRIAGE.fastTrack, painScoreAtLeast: 6 } };
    expect(triageMsk(answers({ painScore: 6 }), rules).route).toBe('fast-track-physiotherapy');
  });

  it('refuses to route without red flags when a severity answer is missing', () => {
    const { painScore: _, ...rest } = answers();
    expect(() => triageMsk(rest)).toThrow(Invalid);
  });
});

describe('parseMskTriageAnswers', () => {
  it('reads a posted form', () => {
    expect(parseMskTriageAnswers(form())).toEqual({
      redFlags: noRedFlags(),
      area: 'knee',
      painScore: 4,
      duration: '6-to-12-weeks',
      normalDuties: 'with-difficulty',
    });
  });

  it('accepts booleans and numbers from a JSON body', () => {
    const parsed = parseMskTriageAnswers(
      form({ painScore: 10 }, { 'night-pain': true, 'weight-loss': false }),
    );
    expect(parsed.painScore).toBe(10);
    expect(parsed.redFlags['night-pain']).toBe(true);
    expect(parsed.redFlags['weight-loss']).toBe(false);
  });

  it('needs every red flag answered yes or no', () => {
    const errors = refusal(
      form({}, { 'bladder-or-bowel': undefined, 'night-pain': 'maybe', 'fever-or-unwell': '' }),
    );
    expect(errors).toEqual([
      {
        path: '/redFlags/bladder-or-bowel',
        message: 'Select yes if you have had new problems controlling or emptying your bladder or bowels',
      },
      {
        path: '/redFlags/fever-or-unwell',
        message: 'Select yes if you have a high temperature or feel generally unwell',
      },
      {
        path: '/redFlags/night-pain',
        message: 'Select yes if the pain is there all the time at night and does not ease',
      },
    ]);
  });

  it('names every red flag when none was sent', () => {
    expect(refusal(form({ redFlags: undefined })).map((e) => e.path)).toEqual(
      ALL_FLAGS.map((code) => `/redFlags/${code}`),
    );
  });

  it.each([
    ['painScore', ''],
    ['painScore', '11'],
    ['painScore', '-1'],
    ['painScore', '7.5'],
    ['painScore', 'seven'],
    ['painScore', 3.5],
    ['area', 'elbow'],
    ['area', undefined],
    ['duration', '2 weeks'],
    ['normalDuties', 'sometimes'],
    ['normalDuties', null],
  ])('refuses %s = %j', (field, value) => {
    expect(refusal(form({ [field]: value })).map((e) => e.path)).toEqual([`/${field}`]);
  });

  it('lists every missing answer at once', () => {
    expect(refusal({}).length).toBe(ALL_FLAGS.length + 4);
  });

  it('with a red flag, lets the severity questions go unanswered', () => {
    const parsed = parseMskTriageAnswers({
      redFlags: { ...(form().redFlags as object), 'saddle-numbness': 'yes' },
    });
    expect(parsed).toEqual({ redFlags: { ...noRedFlags(), 'saddle-numbness': true } });
    expect(triageMsk(parsed).route).toBe('emergency-department');
  });

  it('with a red flag, still refuses a severity answer that is given but wrong', () => {
    expect(refusal(form({ painScore: '12' }, { 'history-of-cancer': 'yes' })).map((e) => e.path)).toEqual([
      '/painScore',
    ]);
  });
});
