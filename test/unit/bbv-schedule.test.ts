import { describe, expect, it } from 'vitest';
import { BBV_EXPOSURE } from '../../src/domain/pathways/default-rule-sets.ts';
import { type PathwayFacts, type PlannedTask, schedulePathway } from '../../src/domain/pathways/rule-set.ts';

/*
 * The blood-borne virus pathway of DOMAIN.md, to the minute, from awkward exposure times.
 * Every expected instant is worked out by hand:
 * - "N hours" is elapsed: add N × 1 h to the UTC instant;
 * - "N days/weeks/months" is a calendar step on the London wall clock: step the London
 *   date, keep the London time, clamp a missing day to the month's last day, then turn the
 *   wall time back into UTC (GMT = UTC; BST = UTC+1, from 01:00 UTC on the last Sunday of
 *   March to 01:00 UTC on the last Sunday of October: 29 Mar and 25 Oct 2026, 28 Mar and
 *   31 Oct 2027, 26 Mar 2028).
 * Columns: opensAt, dueAt, closesAt (null when the step has none).
 */

type Times = [opensAt: string | null, dueAt: string, closesAt: string | null];
type Expected = {
  'risk-assessment': Times;
  'hiv-pep-decision': Times;
  'hbv-prophylaxis': Times;
  'bbv-tests-6w': Times;
  'bbv-tests-3m': Times;
  'bbv-tests-6m': Times;
};

const CASES: Array<{ label: string; anchor: string; expected: Expected }> = [
  {
    // Saturday, the day before the clocks go forward.
    label: 'Sat 28 Mar 2026 14:00 GMT (14:00Z)',
    anchor: '2026-03-28T14:00:00Z',
    expected: {
      'risk-assessment': [null, '2026-03-28T15:00:00.000Z', null], // +1 h
      // +1 h; closes +72 h = Tue 31 Mar 14:00Z (15:00 BST on the wall)
      'hiv-pep-decision': [null, '2026-03-28T15:00:00.000Z', '2026-03-31T14:00:00.000Z'],
      // +48 h = Mon 30 Mar 14:00Z (15:00 BST); closes +7 days = Sat 4 Apr 14:00 BST = 13:00Z
      'hbv-prophylaxis': [null, '2026-03-30T14:00:00.000Z', '2026-04-04T13:00:00.000Z'],
      // +4 weeks = 25 Apr 14:00 BST; +6 weeks = 9 May 14:00 BST
      'bbv-tests-6w': ['2026-04-25T13:00:00.000Z', '2026-05-09T13:00:00.000Z', null],
      'bbv-tests-3m': [null, '2026-06-28T13:00:00.000Z', null], // 28 Jun 14:00 BST
      'bbv-tests-6m': [null, '2026-09-28T13:00:00.000Z', null], // 28 Sep 14:00 BST
    },
  },
  {
    // Saturday night, the night the clocks go back.
    label: 'Sat 24 Oct 2026 23:30 BST (22:30Z)',
    anchor: '2026-10-24T22:30:00Z',
    expected: {
      'risk-assessment': [null, '2026-10-24T23:30:00.000Z', null], // +1 h = 00:30 BST on the 25th
      // closes +72 h = Tue 27 Oct 22:30Z = 22:30 GMT
      'hiv-pep-decision': [null, '2026-10-24T23:30:00.000Z', '2026-10-27T22:30:00.000Z'],
      // +48 h = Mon 26 Oct 22:30Z (22:30 GMT); closes +7 days = Sat 31 Oct 23:30 GMT
      'hbv-prophylaxis': [null, '2026-10-26T22:30:00.000Z', '2026-10-31T23:30:00.000Z'],
      // +4 weeks = 21 Nov 23:30 GMT; +6 weeks = 5 Dec 23:30 GMT
      'bbv-tests-6w': ['2026-11-21T23:30:00.000Z', '2026-12-05T23:30:00.000Z', null],
      'bbv-tests-3m': [null, '2027-01-24T23:30:00.000Z', null], // 24 Jan 2027 23:30 GMT
      'bbv-tests-6m': [null, '2027-04-24T22:30:00.000Z', null], // 24 Apr 2027 23:30 BST
    },
  },
  {
    label: 'Mon 31 Aug 2026 14:00 BST (13:00Z)',
    anchor: '2026-08-31T13:00:00Z',
    expected: {
      'risk-assessment': [null, '2026-08-31T14:00:00.000Z', null],
      'hiv-pep-decision': [null, '2026-08-31T14:00:00.000Z', '2026-09-03T13:00:00.000Z'],
      // +48 h = 2 Sep; +7 days = 7 Sep 14:00 BST
      'hbv-prophylaxis': [null, '2026-09-02T13:00:00.000Z', '2026-09-07T13:00:00.000Z'],
      // +28 days = 28 Sep, +42 days = 12 Oct, both 14:00 BST
      'bbv-tests-6w': ['2026-09-28T13:00:00.000Z', '2026-10-12T13:00:00.000Z', null],
      'bbv-tests-3m': [null, '2026-11-30T14:00:00.000Z', null], // 31 Nov → 30 Nov, 14:00 GMT
      'bbv-tests-6m': [null, '2027-02-28T14:00:00.000Z', null], // 31 Feb → 28 Feb 2027, 14:00 GMT
    },
  },
  {
    label: 'Tue 31 Aug 2027 14:00 BST (13:00Z), six months reaching a leap February',
    anchor: '2027-08-31T13:00:00Z',
    expected: {
      'risk-assessment': [null, '2027-08-31T14:00:00.000Z', null],
      'hiv-pep-decision': [null, '2027-08-31T14:00:00.000Z', '2027-09-03T13:00:00.000Z'],
      'hbv-prophylaxis': [null, '2027-09-02T13:00:00.000Z', '2027-09-07T13:00:00.000Z'],
      // BST 2027 lasts until 31 October, so 12 Oct is still 14:00 BST
      'bbv-tests-6w': ['2027-09-28T13:00:00.000Z', '2027-10-12T13:00:00.000Z', null],
      'bbv-tests-3m': [null, '2027-11-30T14:00:00.000Z', null], // 30 Nov 14:00 GMT
      'bbv-tests-6m': [null, '2028-02-29T14:00:00.000Z', null], // 31 Feb → 29 Feb 2028, 14:00 GMT
    },
  },
  {
    label: 'Thu 31 Dec 2026 23:59 GMT (23:59Z), the last minute of the year',
    anchor: '2026-12-31T23:59:00Z',
    expected: {
      'risk-assessment': [null, '2027-01-01T00:59:00.000Z', null], // +1 h, into the new year
      'hiv-pep-decision': [null, '2027-01-01T00:59:00.000Z', '2027-01-03T23:59:00.000Z'],
      'hbv-prophylaxis': [null, '2027-01-02T23:59:00.000Z', '2027-01-07T23:59:00.000Z'],
      // +28 days = 28 Jan 2027, +42 days = 11 Feb 2027, 23:59 GMT
      'bbv-tests-6w': ['2027-01-28T23:59:00.000Z', '2027-02-11T23:59:00.000Z', null],
      'bbv-tests-3m': [null, '2027-03-31T22:59:00.000Z', null], // 31 Mar 2027 23:59 BST
      'bbv-tests-6m': [null, '2027-06-30T22:59:00.000Z', null], // 31 Jun → 30 Jun 2027, 23:59 BST
    },
  },
  {
    label: 'Sun 25 Oct 2026 01:30 BST (00:30Z), the first of the two 01:30s',
    anchor: '2026-10-25T00:30:00Z',
    expected: {
      'risk-assessment': [null, '2026-10-25T01:30:00.000Z', null], // +1 h = 01:30 GMT, the wall clock repeats
      'hiv-pep-decision': [null, '2026-10-25T01:30:00.000Z', '2026-10-28T00:30:00.000Z'],
      // +48 h = 27 Oct 00:30Z (00:30 GMT); +7 days = 1 Nov 01:30 GMT
      'hbv-prophylaxis': [null, '2026-10-27T00:30:00.000Z', '2026-11-01T01:30:00.000Z'],
      'bbv-tests-6w': ['2026-11-22T01:30:00.000Z', '2026-12-06T01:30:00.000Z', null], // 01:30 GMT
      'bbv-tests-3m': [null, '2027-01-25T01:30:00.000Z', null], // 25 Jan 2027 01:30 GMT
      'bbv-tests-6m': [null, '2027-04-25T00:30:00.000Z', null], // 25 Apr 2027 01:30 BST
    },
  },
  {
    label: 'Sun 25 Oct 2026 01:30 GMT (01:30Z), the second of the two 01:30s',
    anchor: '2026-10-25T01:30:00Z',
    expected: {
      'risk-assessment': [null, '2026-10-25T02:30:00.000Z', null], // +1 h = 02:30 GMT
      'hiv-pep-decision': [null, '2026-10-25T02:30:00.000Z', '2026-10-28T01:30:00.000Z'],
      // calendar steps read the wall clock (01:30), so they match the first 01:30's
      'hbv-prophylaxis': [null, '2026-10-27T01:30:00.000Z', '2026-11-01T01:30:00.000Z'],
      'bbv-tests-6w': ['2026-11-22T01:30:00.000Z', '2026-12-06T01:30:00.000Z', null],
      'bbv-tests-3m': [null, '2027-01-25T01:30:00.000Z', null],
      'bbv-tests-6m': [null, '2027-04-25T00:30:00.000Z', null],
    },
  },
  {
    label: 'Sun 22 Mar 2026 01:30 GMT (01:30Z): seven days later 01:30 does not exist',
    anchor: '2026-03-22T01:30:00Z',
    expected: {
      'risk-assessment': [null, '2026-03-22T02:30:00.000Z', null],
      'hiv-pep-decision': [null, '2026-03-22T02:30:00.000Z', '2026-03-25T01:30:00.000Z'],
      // closes +7 days = 29 Mar 01:30, in the spring-forward gap → 02:30 BST = 01:30Z
      'hbv-prophylaxis': [null, '2026-03-24T01:30:00.000Z', '2026-03-29T01:30:00.000Z'],
      // 19 Apr and 3 May 01:30 BST
      'bbv-tests-6w': ['2026-04-19T00:30:00.000Z', '2026-05-03T00:30:00.000Z', null],
      'bbv-tests-3m': [null, '2026-06-22T00:30:00.000Z', null], // 22 Jun 01:30 BST
      'bbv-tests-6m': [null, '2026-09-22T00:30:00.000Z', null], // 22 Sep 01:30 BST
    },
  },
  {
    label: 'Sun 29 Mar 2026 00:30 GMT (00:30Z), half an hour before the clocks go forward',
    anchor: '2026-03-29T00:30:00Z',
    expected: {
      'risk-assessment': [null, '2026-03-29T01:30:00.000Z', null], // +1 h = 02:30 BST
      'hiv-pep-decision': [null, '2026-03-29T01:30:00.000Z', '2026-04-01T00:30:00.000Z'], // 01:30 BST
      // +48 h = 31 Mar 00:30Z (01:30 BST); +7 days = 5 Apr 00:30 BST = 4 Apr 23:30Z
      'hbv-prophylaxis': [null, '2026-03-31T00:30:00.000Z', '2026-04-04T23:30:00.000Z'],
      'bbv-tests-6w': ['2026-04-25T23:30:00.000Z', '2026-05-09T23:30:00.000Z', null], // 26 Apr, 10 May 00:30 BST
      'bbv-tests-3m': [null, '2026-06-28T23:30:00.000Z', null], // 29 Jun 00:30 BST
      'bbv-tests-6m': [null, '2026-09-28T23:30:00.000Z', null], // 29 Sep 00:30 BST
    },
  },
];

const ORDER = [
  'risk-assessment',
  'hiv-pep-decision',
  'hbv-prophylaxis',
  'bbv-tests-6w',
  'bbv-tests-3m',
  'bbv-tests-6m',
] as const;

const timesOf = (task: PlannedTask): Times => [
  task.opensAt?.toISOString() ?? null,
  task.dueAt.toISOString(),
  task.closesAt?.toISOString() ?? null,
];

describe('the BBV exposure schedule, to the minute', () => {
  it.each(CASES)('$label', ({ anchor, expected }) => {
    const plan = schedulePathway(BBV_EXPOSURE, new Date(anchor), {});
    // Soonest due first; the two 1-hour steps keep the order of the rule set.
    expect(plan.map((t) => t.code)).toEqual([...ORDER]);
    expect(Object.fromEntries(plan.map((t) => [t.code, timesOf(t)]))).toEqual(expected);
  });

  it('gives every task to an OH clinician, with its source cited', () => {
    for (const task of schedulePathway(BBV_EXPOSURE, new Date('2026-03-28T14:00:00Z'), {})) {
      expect(task.assignee).toBe('oh-clinician');
      expect(task.source).not.toBe('');
      expect(task.completes).not.toBe('');
    }
    const sources = Object.fromEntries(
      schedulePathway(BBV_EXPOSURE, new Date('2026-03-28T14:00:00Z'), {}).map((t) => [t.code, t.source]),
    );
    expect(sources['hiv-pep-decision']).toMatch(/BHIVA\/BASHH.*72 hours/);
    expect(sources['hbv-prophylaxis']).toMatch(/Green Book ch\. 18.*48 hours.*7 days/);
  });
});

describe('the BBV follow-up tests', () => {
  const testsOf = (facts: PathwayFacts) =>
    Object.fromEntries(
      schedulePathway(BBV_EXPOSURE, new Date('2026-08-31T13:00:00Z'), facts).map((t) => [t.code, t.tests]),
    );

  const STANDARD = {
    'risk-assessment': [],
    'hiv-pep-decision': [],
    'hbv-prophylaxis': [],
    'bbv-tests-6w': ['HBsAg', 'HCV antigen/PCR', 'HIV Ag/Ab combined'],
    'bbv-tests-3m': ['HBsAg', 'HCV antibody', 'HIV Ag/Ab combined'],
    'bbv-tests-6m': ['HBsAg', 'HCV antibody', 'HIV Ag/Ab combined (only if not tested at 3 months)'],
  };

  it('lists the DOMAIN.md tests at 4–6 weeks, 3 months and 6 months', () => {
    expect(testsOf({})).toEqual(STANDARD);
  });

  it('adds HCV antigen/PCR at 3 months only when the HCV risk is high', () => {
    expect(testsOf({ highRiskHcv: true })).toEqual({
      ...STANDARD,
      'bbv-tests-3m': ['HBsAg', 'HCV antibody', 'HCV antigen/PCR (high risk of HCV)', 'HIV Ag/Ab combined'],
    });
  });

  it.each<[string, PathwayFacts]>([
    ['false', { highRiskHcv: false }],
    ['null (not known)', { highRiskHcv: null }],
    ['the string "true"', { highRiskHcv: 'true' }],
    ['1', { highRiskHcv: 1 }],
    ['absent', {}],
  ])('leaves it out when highRiskHcv is %s', (_label, facts) => {
    expect(testsOf(facts)).toEqual(STANDARD);
  });

  it('does not change any time when the HCV risk is high', () => {
    const anchor = new Date('2026-10-24T22:30:00Z');
    const times = (facts: PathwayFacts) => schedulePathway(BBV_EXPOSURE, anchor, facts).map(timesOf);
    expect(times({ highRiskHcv: true })).toEqual(times({ highRiskHcv: false }));
  });
});
