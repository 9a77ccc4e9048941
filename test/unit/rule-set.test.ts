import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BBV_EXPOSURE,
  DEFAULT_RULE_SETS,
  DENTAL_INJURY,
  MSK,
  RETIREMENT,
  SELF_HARM_RISK,
  TRIM,
} from '../../src/domain/pathways/default-rule-sets.ts';
import {
  changeErrors,
  type PathwayFacts,
  type RuleSet,
  ruleSetErrors,
  type StepRule,
  schedulePathway,
} from '../../src/domain/pathways/rule-set.ts';
import type { Interval } from '../../src/domain/pathways/timing.ts';

/** A one-step rule set that passes every check; each test changes one thing. */
function ruleSetWith(steps: Array<Partial<StepRule>>, settings?: Record<string, number>): RuleSet {
  return {
    code: 'test-pathway',
    version: 1,
    title: 'A test pathway',
    pathway: 'other',
    anchor: 'the start',
    source: 'A test',
    ...(settings ? { settings } : {}),
    steps: steps.map((step, i) => ({
      code: `step-${i + 1}`,
      title: `Step ${i + 1}`,
      assignee: 'oh-clinician',
      completes: 'Done.',
      dueAfter: { amount: 6, unit: 'weeks' },
      source: 'A guideline, section 1',
      ...step,
    })),
  };
}

/** Any minute from 2020 to 2035. */
const anyMinute = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:00Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 60_000) * 60_000));
/** Any facts the shipped rule sets read, present, null or absent. */
const anyFacts: fc.Arbitrary<PathwayFacts> = fc.record(
  {
    highRiskHcv: fc.option(fc.boolean()),
    avulsed: fc.option(fc.boolean()),
    route: fc.option(
      fc.constantFrom(
        'emergency-department',
        'urgent-care',
        'fast-track-physiotherapy',
        'supported-self-care',
      ),
    ),
  },
  { requiredKeys: [] },
);

const paths = (ruleSet: RuleSet) => ruleSetErrors(ruleSet).map((e) => e.path);
/** A deliberately malformed interval, as a form or a database row might hold one. */
const malformed = (value: unknown) => value as Interval;

describe('ruleSetErrors: the shipped rule sets', () => {
  it.each(DEFAULT_RULE_SETS.map((ruleSet) => [ruleSet.code, ruleSet] as const))(
    'accepts %s',
    (_code, ruleSet) => {
      expect(ruleSetErrors(ruleSet)).toEqual([]);
    },
  );

  it('has unique rule set codes', () => {
    const codes = DEFAULT_RULE_SETS.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('ruleSetErrors: steps and their fields', () => {
  it('accepts a minimal valid rule set', () => {
    expect(ruleSetErrors(ruleSetWith([{}]))).toEqual([]);
  });

  it('refuses a pathway without steps', () => {
    expect(ruleSetErrors(ruleSetWith([]))).toEqual([
      { path: '/steps', message: 'A pathway needs at least one step.' },
    ]);
  });

  it.each([
    ['one character', 'a'],
    ['capitals', 'Risk-Assessment'],
    ['a space', 'risk assessment'],
    ['an underscore', 'risk_assessment'],
    ['empty', ''],
    ['41 characters', 'a'.repeat(41)],
  ])('refuses a code with %s', (_label, code) => {
    expect(ruleSetErrors(ruleSetWith([{ code }]))).toEqual([
      { path: '/steps/0/code', message: 'A code is 2 to 40 lower-case letters, digits or hyphens.' },
    ]);
  });

  it.each([['ab'], ['a'.repeat(40)], ['bbv-tests-6w'], ['42']])('accepts the code %s', (code) => {
    expect(ruleSetErrors(ruleSetWith([{ code }]))).toEqual([]);
  });

  it('refuses a duplicate code on the second step that uses it', () => {
    expect(ruleSetErrors(ruleSetWith([{ code: 'same' }, { code: 'other' }, { code: 'same' }]))).toEqual([
      { path: '/steps/2/code', message: 'Step code same is used twice.' },
    ]);
  });

  it('refuses a blank title and a blank source', () => {
    expect(ruleSetErrors(ruleSetWith([{ title: '   ', source: '' }]))).toEqual([
      { path: '/steps/0/title', message: 'Enter a title.' },
      { path: '/steps/0/source', message: 'Enter the source of this rule (guideline and section).' },
    ]);
  });

  it('reports every fault of every step, each at its own path', () => {
    expect(paths(ruleSetWith([{ code: 'X' }, { title: '' }, { source: ' ' }]))).toEqual([
      '/steps/0/code',
      '/steps/1/title',
      '/steps/2/source',
    ]);
  });
});

describe('ruleSetErrors: interval shapes', () => {
  it.each([
    ['a fraction', 1.5],
    ['over 1000', 1001],
    ['under -1000', -1001],
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['a string', '6'],
    ['missing', undefined],
  ])('refuses an amount that is %s', (_label, amount) => {
    expect(ruleSetErrors(ruleSetWith([{ dueAfter: malformed({ amount, unit: 'weeks' }) }]))).toEqual([
      { path: '/steps/0/dueAfter/amount', message: 'The amount must be a whole number from -1000 to 1000.' },
    ]);
  });

  it.each([[1000], [-1000], [0]])('accepts the amount %d', (amount) => {
    expect(ruleSetErrors(ruleSetWith([{ dueAfter: { amount, unit: 'days' } }]))).toEqual([]);
  });

  it.each([['fortnights'], ['Weeks'], ['seconds'], [''], [undefined]])('refuses the unit %s', (unit) => {
    expect(ruleSetErrors(ruleSetWith([{ dueAfter: malformed({ amount: 2, unit }) }]))).toEqual([
      {
        path: '/steps/0/dueAfter/unit',
        message: 'The unit must be one of minutes, hours, days, weeks, months, years.',
      },
    ]);
  });

  it('refuses a missing due time, and a null opening or closing time', () => {
    expect(ruleSetErrors(ruleSetWith([{ dueAfter: malformed(undefined) }]))).toEqual([
      { path: '/steps/0/dueAfter', message: 'Give an amount and a unit.' },
    ]);
    expect(paths(ruleSetWith([{ opensAfter: malformed(null), closesAfter: malformed(null) }]))).toEqual([
      '/steps/0/opensAfter',
      '/steps/0/closesAfter',
    ]);
  });

  it('reports both halves of a bad interval, and no ordering error on top', () => {
    expect(
      paths(
        ruleSetWith([
          { opensAfter: malformed({ amount: 0.5, unit: 'eons' }), dueAfter: { amount: 1, unit: 'hours' } },
        ]),
      ),
    ).toEqual(['/steps/0/opensAfter/amount', '/steps/0/opensAfter/unit']);
  });
});

describe('ruleSetErrors: a step opens before it is due and closes no earlier', () => {
  const weeks = (amount: number): Interval => ({ amount, unit: 'weeks' });

  it('refuses a step that opens after it is due', () => {
    expect(
      ruleSetErrors(ruleSetWith([{ title: 'Tests', opensAfter: weeks(7), dueAfter: weeks(6) }])),
    ).toEqual([{ path: '/steps/0/opensAfter', message: 'Tests must open before it is due.' }]);
  });

  it('refuses a step that closes before it is due', () => {
    const step = {
      title: 'HBIG',
      dueAfter: { amount: 48, unit: 'hours' },
      closesAfter: { amount: 24, unit: 'hours' },
    } as const;
    expect(ruleSetErrors(ruleSetWith([step]))).toEqual([
      { path: '/steps/0/closesAfter', message: 'HBIG must not close before it is due.' },
    ]);
  });

  it('accepts a step that opens, is due and closes at the same moment', () => {
    expect(
      ruleSetErrors(ruleSetWith([{ opensAfter: weeks(6), dueAfter: weeks(6), closesAfter: weeks(6) }])),
    ).toEqual([]);
  });

  it.each<[string, Interval, Interval]>([
    // A day is 25 hours on the night the clocks go back.
    [
      '1 day against 24 hours (the fall-back day is 25 hours)',
      { amount: 1, unit: 'days' },
      { amount: 24, unit: 'hours' },
    ],
    // 31 January + 30 days = 2 March, + 1 month = 28 February.
    [
      '30 days against 1 month (31 Jan + 1 month = 28 Feb)',
      { amount: 30, unit: 'days' },
      { amount: 1, unit: 'months' },
    ],
    ['negative steps in the wrong order', { amount: -4, unit: 'months' }, { amount: -6, unit: 'months' }],
  ])('refuses opening after due on some anchors: %s', (_label, opensAfter, dueAfter) => {
    expect(paths(ruleSetWith([{ opensAfter, dueAfter }]))).toEqual(['/steps/0/opensAfter']);
  });

  it.each<[string, Interval, Interval]>([
    [
      '24 hours against 1 day (the fall-back day is 25 hours)',
      { amount: 24, unit: 'hours' },
      { amount: 1, unit: 'days' },
    ],
    // 29 March + 4 weeks = 26 April, + 1 month = 29 April.
    ['4 weeks against 1 month', { amount: 4, unit: 'weeks' }, { amount: 1, unit: 'months' }],
  ])('refuses closing before due on some anchors: %s', (_label, closesAfter, dueAfter) => {
    expect(paths(ruleSetWith([{ closesAfter, dueAfter }]))).toEqual(['/steps/0/closesAfter']);
  });

  it.each<[string, Interval, Interval]>([
    // The shortest day (spring forward) is 23 hours: equal, not after.
    ['23 hours against 1 day', { amount: 23, unit: 'hours' }, { amount: 1, unit: 'days' }],
    // The shortest month (February) is 28 days: equal, not after.
    ['4 weeks against 1 month', { amount: 4, unit: 'weeks' }, { amount: 1, unit: 'months' }],
    [
      '6 months before against 4 months before',
      { amount: -6, unit: 'months' },
      { amount: -4, unit: 'months' },
    ],
    ['2 months before against 2 weeks before', { amount: -2, unit: 'months' }, { amount: -2, unit: 'weeks' }],
  ])('accepts an opening never after due: %s', (_label, opensAfter, dueAfter) => {
    expect(ruleSetErrors(ruleSetWith([{ opensAfter, dueAfter }]))).toEqual([]);
  });

  /*
   * BUG: ruleSetErrors tries only five fixed anchors (PROBE_ANCHORS). No year after any of
   * them contains a 29 February, and together they cover only some runs of month lengths,
   * so it accepts steps that are out of order on other anchors, though its JSDoc promises
   * "on any anchor date". (The "31 August" probe, 2026-08-31T23:30Z, is 1 September 00:30
   * BST in London.) Unskip once the check bounds calendar lengths instead of sampling.
   */
  it('refuses opening at 1 year but due at 365 days (out of order from 1 June 2027: opens 1 June 2028, due 31 May 2028)', () => {
    const opensAfter: Interval = { amount: 1, unit: 'years' };
    const dueAfter: Interval = { amount: 365, unit: 'days' };
    const plan = schedulePathway(
      ruleSetWith([{ opensAfter, dueAfter }]),
      new Date('2027-06-01T08:00:00Z'),
      {},
    );
    expect(plan[0]?.opensAt?.toISOString()).toBe('2028-06-01T08:00:00.000Z');
    expect(plan[0]?.dueAt.toISOString()).toBe('2028-05-31T08:00:00.000Z');
    expect(paths(ruleSetWith([{ opensAfter, dueAfter }]))).toEqual(['/steps/0/opensAfter']);
  });

  it('refuses closing at 365 days but due at 1 year (from 1 January 2020: closes 31 Dec 2020, due 1 Jan 2021)', () => {
    expect(
      paths(
        ruleSetWith([{ closesAfter: { amount: 365, unit: 'days' }, dueAfter: { amount: 1, unit: 'years' } }]),
      ),
    ).toEqual(['/steps/0/closesAfter']);
  });

  it('refuses opening at 9 months but due at 275 days (from 1 May 2026: opens 1 Feb 2027, due 31 Jan 2027)', () => {
    expect(
      paths(
        ruleSetWith([{ opensAfter: { amount: 9, unit: 'months' }, dueAfter: { amount: 275, unit: 'days' } }]),
      ),
    ).toEqual(['/steps/0/opensAfter']);
  });

  it('refuses closing at 48 weeks but due at 11 months (from 1 March 2026: closes 31 Jan 2027, due 1 Feb 2027)', () => {
    expect(
      paths(
        ruleSetWith([
          { closesAfter: { amount: 48, unit: 'weeks' }, dueAfter: { amount: 11, unit: 'months' } },
        ]),
      ),
    ).toEqual(['/steps/0/closesAfter']);
  });

  it('a rule set it accepts opens no later than due and closes no earlier, on any anchor', () => {
    const interval = fc.oneof(
      fc.record({ amount: fc.integer({ min: 0, max: 2000 }), unit: fc.constant('hours' as const) }),
      fc.record({ amount: fc.integer({ min: 0, max: 400 }), unit: fc.constant('days' as const) }),
      fc.record({ amount: fc.integer({ min: 0, max: 60 }), unit: fc.constant('weeks' as const) }),
      fc.record({ amount: fc.integer({ min: 0, max: 14 }), unit: fc.constant('months' as const) }),
      fc.record({ amount: fc.integer({ min: 0, max: 2 }), unit: fc.constant('years' as const) }),
    );
    fc.assert(
      fc.property(interval, interval, interval, anyMinute, (opensAfter, dueAfter, closesAfter, anchor) => {
        const ruleSet = ruleSetWith([
          { opensAfter, dueAfter },
          { dueAfter, closesAfter },
        ]);
        fc.pre(ruleSetErrors(ruleSet).length === 0);
        for (const task of schedulePathway(ruleSet, anchor, {})) {
          expect(task.opensAt?.getTime() ?? 0).toBeLessThanOrEqual(task.dueAt.getTime());
          expect(task.closesAt?.getTime() ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(
            task.dueAt.getTime(),
          );
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('ruleSetErrors: settings', () => {
  it.each([[0], [-1], [1.5], [10_001], [Number.NaN]])('refuses the setting %d', (value) => {
    expect(ruleSetErrors(ruleSetWith([{}], { outreachThreshold: value }))).toEqual([
      { path: '/settings/outreachThreshold', message: 'A setting must be a whole number from 1 to 10,000.' },
    ]);
  });

  it.each([[1], [10_000], [12]])('accepts the setting %d', (value) => {
    expect(ruleSetErrors(ruleSetWith([{}], { leadMonths: value }))).toEqual([]);
  });

  it('names each bad setting', () => {
    expect(paths(ruleSetWith([{}], { good: 5, bad: 0, worse: 2.5 }))).toEqual([
      '/settings/bad',
      '/settings/worse',
    ]);
  });
});

const ANCHOR = new Date('2026-06-01T09:00:00Z');
const codes = (ruleSet: RuleSet, facts: PathwayFacts) =>
  schedulePathway(ruleSet, ANCHOR, facts).map((t) => t.code);

describe('schedulePathway: conditions on facts', () => {
  it('adds the replant step for a dental injury only when a tooth was knocked out', () => {
    // 10:00 BST + 60 minutes, before 23:59 the same day.
    expect(codes(DENTAL_INJURY, { avulsed: true })).toEqual([
      'replant-tooth',
      'dental-assessment',
      'dental-review-2w',
      'dental-review-4w',
      'dental-review-3m',
      'dental-review-6m',
      'dental-review-1y',
    ]);
    const notKnockedOut: PathwayFacts[] = [
      { avulsed: false },
      { avulsed: null },
      {},
      { avulsed: 'true' },
      { avulsed: 1 },
    ];
    for (const facts of notKnockedOut) {
      expect(codes(DENTAL_INJURY, facts)).not.toContain('replant-tooth');
      expect(codes(DENTAL_INJURY, facts)).toHaveLength(6);
    }
  });

  it('puts an avulsion at 23:30 after the same-day assessment (due 00:30, the assessment 23:59)', () => {
    const plan = schedulePathway(DENTAL_INJURY, new Date('2026-06-01T22:30:00Z'), { avulsed: true });
    expect(plan.slice(0, 2).map((t) => [t.code, t.dueAt.toISOString()])).toEqual([
      ['dental-assessment', '2026-06-01T22:59:00.000Z'],
      ['replant-tooth', '2026-06-01T23:30:00.000Z'],
    ]);
  });

  it.each<[string, string[]]>([
    ['fast-track-physiotherapy', ['physio-assessment', 'return-to-work-review']],
    ['supported-self-care', ['self-care-check', 'return-to-work-review']],
    ['emergency-department', ['return-to-work-review']],
    ['urgent-care', ['return-to-work-review']],
  ])('follows the MSK route %s', (route, expected) => {
    expect(codes(MSK, { route })).toEqual(expected);
  });

  it('without a route, an MSK pathway has only the return-to-work review', () => {
    expect(codes(MSK, {})).toEqual(['return-to-work-review']);
    expect(codes(MSK, { route: null })).toEqual(['return-to-work-review']);
  });

  it('ignores facts no step asks about', () => {
    expect(schedulePathway(TRIM, ANCHOR, { avulsed: true, route: 'x' })).toEqual(
      schedulePathway(TRIM, ANCHOR, {}),
    );
  });
});

describe('schedulePathway: the plan', () => {
  it('copies each step’s words onto its task', () => {
    const [task] = schedulePathway(SELF_HARM_RISK, ANCHOR, {});
    const step = SELF_HARM_RISK.steps[0];
    expect(task).toEqual({
      code: step?.code,
      title: step?.title,
      assignee: step?.assignee,
      completes: step?.completes,
      opensAt: null,
      // 1 June 10:00 BST → 23:59 BST the same day.
      dueAt: new Date('2026-06-01T22:59:00Z'),
      closesAt: null,
      tests: [],
      source: step?.source,
    });
  });

  it('counts TRiM from the incident: 72 hours elapsed, then one calendar month', () => {
    // Sat 24 Oct 2026 22:00 BST (21:00Z): +72 h = 21:00Z on the 27th (21:00 GMT); +1 month = 24 Nov 22:00 GMT.
    const plan = schedulePathway(TRIM, new Date('2026-10-24T21:00:00Z'), {});
    expect(plan.map((t) => [t.code, t.dueAt.toISOString(), t.assignee])).toEqual([
      ['trim-initial', '2026-10-27T21:00:00.000Z', 'trim-practitioner'],
      ['trim-follow-up', '2026-11-24T22:00:00.000Z', 'trim-practitioner'],
    ]);
  });

  it('counts retirement preparation back from the retirement date', () => {
    // Retirement 31 August 2027 09:00 BST (08:00Z).
    const plan = schedulePathway(RETIREMENT, new Date('2027-08-31T08:00:00Z'), {});
    expect(plan.map((t) => [t.code, t.opensAt?.toISOString() ?? null, t.dueAt.toISOString()])).toEqual([
      // −6 months = 28 Feb 2027 09:00 GMT; −4 months = 30 Apr 2027 09:00 BST.
      ['retirement-review', '2027-02-28T09:00:00.000Z', '2027-04-30T08:00:00.000Z'],
      // −3 months = 31 May 2027 09:00 BST.
      ['continuity-consent', null, '2027-05-31T08:00:00.000Z'],
      // −2 months = 30 Jun 2027; −2 weeks = 17 Aug 2027, both 09:00 BST.
      ['continuity-summary', '2027-06-30T08:00:00.000Z', '2027-08-17T08:00:00.000Z'],
    ]);
  });

  it('is pure: the same inputs give the same plan and the rule set is left alone', () => {
    const before = structuredClone(BBV_EXPOSURE);
    const anchor = new Date('2026-03-28T14:00:00Z');
    expect(schedulePathway(BBV_EXPOSURE, anchor, { highRiskHcv: true })).toEqual(
      schedulePathway(BBV_EXPOSURE, anchor, { highRiskHcv: true }),
    );
    expect(BBV_EXPOSURE).toEqual(before);
    expect(anchor.toISOString()).toBe('2026-03-28T14:00:00.000Z');
  });

  it('keeps the rule-set order for tasks due at the same moment', () => {
    const ruleSet = ruleSetWith([
      { code: 'later', dueAfter: { amount: 2, unit: 'hours' } },
      { code: 'first', dueAfter: { amount: 1, unit: 'hours' } },
      { code: 'second', dueAfter: { amount: 60, unit: 'minutes' } },
    ]);
    expect(codes(ruleSet, {})).toEqual(['first', 'second', 'later']);
  });
});

describe.each(DEFAULT_RULE_SETS.map((ruleSet) => [ruleSet.code, ruleSet] as const))(
  'schedulePathway(%s) on any anchor and facts',
  (_code, ruleSet) => {
    it('is ordered by due time, opens no later than due, closes no earlier than due', () => {
      fc.assert(
        fc.property(anyMinute, anyFacts, (anchor, facts) => {
          const plan = schedulePathway(ruleSet, anchor, facts);
          for (let i = 1; i < plan.length; i++) {
            expect(plan[i - 1]?.dueAt.getTime()).toBeLessThanOrEqual(plan[i]?.dueAt.getTime() ?? 0);
          }
          for (const task of plan) {
            if (task.opensAt) expect(task.opensAt.getTime()).toBeLessThanOrEqual(task.dueAt.getTime());
            if (task.closesAt) expect(task.closesAt.getTime()).toBeGreaterThanOrEqual(task.dueAt.getTime());
          }
        }),
        { numRuns: 500 },
      );
    });

    it('has one task for every step whose condition holds, and no other', () => {
      fc.assert(
        fc.property(anyMinute, anyFacts, (anchor, facts) => {
          const expected = ruleSet.steps
            .filter((s) => !s.when || s.when.is.some((v) => v === facts[s.when?.fact ?? '']))
            .map((s) => s.code)
            .sort();
          expect(
            schedulePathway(ruleSet, anchor, facts)
              .map((t) => t.code)
              .sort(),
          ).toEqual(expected);
        }),
        { numRuns: 200 },
      );
    });
  },
);

describe('changeErrors: what a new version may change without a release', () => {
  const current = BBV_EXPOSURE;
  const withStep = (i: number, change: Partial<StepRule>): RuleSet => ({
    ...current,
    steps: current.steps.map((s, j) => (j === i ? { ...s, ...change } : s)),
  });
  it('allows new times and sources', () => {
    expect(
      changeErrors(
        current,
        withStep(3, { dueAfter: { amount: 8, unit: 'weeks' }, source: 'Local policy 2027' }),
      ),
    ).toEqual([]);
  });
  const changes: Array<[string, Partial<StepRule>]> = [
    ['code', { code: 'renamed' }],
    ['title', { title: 'Something else' }],
    ['assignee', { assignee: 'oh-admin' }],
    ['tests', { tests: [] }],
    ['when', { when: { fact: 'highRiskHcv', is: [true] } }],
  ];
  it.each(changes)('refuses a change to the %s of a step', (key, change) => {
    expect(changeErrors(current, withStep(2, change))).toEqual([
      { path: `/steps/2/${key}`, message: expect.any(String) },
    ]);
  });
  it('refuses adding or removing a step, and an unknown setting', () => {
    expect(changeErrors(current, { ...current, steps: current.steps.slice(1) })).toEqual([
      { path: '/steps', message: expect.any(String) },
    ]);
    expect(changeErrors(TRIM, { ...TRIM, settings: { ...TRIM.settings, madeUp: 3 } })).toEqual([
      { path: '/settings/madeUp', message: expect.any(String) },
    ]);
  });
});
