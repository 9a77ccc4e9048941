import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AimInput,
  type AimPlan,
  aimErrors,
  expectedValue,
  judgeAim,
  MAX_TRACKED_QUARTERS,
  type Quarter,
  quartersBetween,
  trackedQuarters,
} from '../../src/domain/reporting/benefits.rules.ts';

describe('quarters between two dates', () => {
  it('splits a span into calendar quarters, cutting the ends', () => {
    expect(quartersBetween('2025-04-01', '2026-02-14')).toEqual([
      { from: '2025-04-01', to: '2025-06-30', label: 'April to June 2025', complete: true },
      { from: '2025-07-01', to: '2025-09-30', label: 'July to September 2025', complete: true },
      { from: '2025-10-01', to: '2025-12-31', label: 'October to December 2025', complete: true },
      {
        from: '2026-01-01',
        to: '2026-02-14',
        label: 'January to March 2026 (to 14 February)',
        complete: false,
      },
    ]);
  });

  it('marks a quarter cut at its start', () => {
    expect(quartersBetween('2025-05-10', '2025-07-31')).toEqual([
      { from: '2025-05-10', to: '2025-06-30', label: 'April to June 2025 (from 10 May)', complete: false },
      { from: '2025-07-01', to: '2025-07-31', label: 'July to September 2025 (to 31 July)', complete: false },
    ]);
  });

  it('is empty when the span ends before it starts, one day when it is one day', () => {
    expect(quartersBetween('2025-05-10', '2025-05-09')).toEqual([]);
    expect(quartersBetween('2025-12-31', '2025-12-31')).toHaveLength(1);
  });

  it(`keeps the latest ${MAX_TRACKED_QUARTERS} quarters of a long span`, () => {
    const quarters = quartersBetween('2010-01-01', '2026-03-31');
    expect(quarters).toHaveLength(MAX_TRACKED_QUARTERS);
    expect(quarters.at(-1)?.to).toBe('2026-03-31');
    expect(quarters[0]?.from).toBe('2021-04-01');
  });

  it('tracks from the day after the baseline to today', () => {
    expect(trackedQuarters({ baselineTo: '2025-06-30' }, '2025-10-02').map((q) => q.label)).toEqual([
      'July to September 2025',
      'October to December 2025 (to 2 October)',
    ]);
    expect(trackedQuarters({ baselineTo: '2025-06-30' }, '2025-06-30')).toEqual([]);
  });

  it('covers every day of the span exactly once, in order (property)', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => {
      const d = new Date(Date.UTC(2020, 0, 1) + n * 86_400_000);
      return d.toISOString().slice(0, 10);
    });
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 1500 }), (from, length) => {
        const to = new Date(Date.parse(`${from}T00:00:00Z`) + length * 86_400_000).toISOString().slice(0, 10);
        const quarters = quartersBetween(from, to);
        if (quarters.length >= MAX_TRACKED_QUARTERS) return;
        expect(quarters[0]?.from).toBe(from);
        expect(quarters.at(-1)?.to).toBe(to);
        for (let i = 1; i < quarters.length; i++) {
          const next = new Date(Date.parse(`${quarters[i - 1]?.to}T00:00:00Z`) + 86_400_000);
          expect(quarters[i]?.from).toBe(next.toISOString().slice(0, 10));
        }
      }),
    );
  });
});

/** A quarter of 2025 or 2026 by its first month, whole or cut. */
const q = (from: string, to: string, complete = true): Quarter => ({
  from,
  to,
  label: `${from} to ${to}`,
  complete,
});

const waits: AimPlan = {
  measure: 'medianDaysToFirstAppointment',
  direction: 'decrease',
  baselineValue: 14,
  baselineTo: '2025-03-31',
  targetValue: 10,
  targetDate: '2026-03-31',
};

describe('the straight line from baseline to target', () => {
  it('starts at the baseline, reaches the target on the target date, and stays there', () => {
    expect(expectedValue(waits, '2025-03-31')).toBe(14);
    expect(expectedValue(waits, '2025-09-30')).toBe(12); // 183 of 365 days: 14 − 4 × 0.501
    expect(expectedValue(waits, '2026-03-31')).toBe(10);
    expect(expectedValue(waits, '2027-01-01')).toBe(10);
  });
});

describe('on track, not on track, too few to tell', () => {
  it('is on track when the latest full quarter is at or better than the line (a decrease: lower)', () => {
    const judgement = judgeAim(waits, [
      { quarter: q('2025-04-01', '2025-06-30'), value: 15 },
      { quarter: q('2025-07-01', '2025-09-30'), value: 11 },
      // A quarter still running is shown but never judged.
      { quarter: q('2025-10-01', '2025-10-20', false), value: 30 },
    ]);
    expect(judgement.status).toBe('on-track');
    expect(judgement.judged).toEqual({ label: '2025-07-01 to 2025-09-30', value: 11, expected: 12 });
    expect(judgement.reason).toBe(
      'In 2025-07-01 to 2025-09-30 it was 11 days, at or better than the 12 days expected by then on the way to the target.',
    );
  });

  it('is not on track when it is worse than the line', () => {
    const judgement = judgeAim(waits, [{ quarter: q('2025-07-01', '2025-09-30'), value: 13 }]);
    expect(judgement.status).toBe('not-on-track');
    expect(judgement.reason).toContain('short of the 12 days expected');
  });

  it('for an increase, higher is better', () => {
    const selfReferral: AimPlan = {
      measure: 'selfReferralPercent',
      direction: 'increase',
      baselineValue: 20,
      baselineTo: '2025-03-31',
      targetValue: 40,
      targetDate: '2026-03-31',
    };
    expect(judgeAim(selfReferral, [{ quarter: q('2025-07-01', '2025-09-30'), value: 30 }]).status).toBe(
      'on-track',
    );
    const behind = judgeAim(selfReferral, [{ quarter: q('2025-07-01', '2025-09-30'), value: 29.9 }]);
    expect(behind.status).toBe('not-on-track');
    expect(behind.reason).toContain('29.9%');
  });

  it('is too few to tell when the latest full quarter is suppressed, even if an older one is not', () => {
    const judgement = judgeAim(waits, [
      { quarter: q('2025-04-01', '2025-06-30'), value: 9 },
      { quarter: q('2025-07-01', '2025-09-30'), value: '*' },
    ]);
    expect(judgement.status).toBe('too-few');
    expect(judgement.reason).toBe('Too few people in 2025-07-01 to 2025-09-30 to tell.');
  });

  it('is too few to tell before any full quarter has ended', () => {
    expect(judgeAim(waits, [{ quarter: q('2025-04-01', '2025-05-01', false), value: 8 }])).toEqual({
      status: 'too-few',
      reason: 'No full quarter has ended since the baseline yet.',
      judged: null,
    });
    expect(judgeAim(waits, []).status).toBe('too-few');
  });

  it('after the target date, says whether the target was met', () => {
    const met = judgeAim(waits, [{ quarter: q('2026-01-01', '2026-03-31'), value: 10 }]);
    expect(met).toMatchObject({ status: 'on-track' });
    expect(met.reason).toBe('In 2026-01-01 to 2026-03-31 it was 10 days, which meets the target of 10 days.');
    const missed = judgeAim(waits, [{ quarter: q('2026-04-01', '2026-06-30'), value: 10.5 }]);
    expect(missed.status).toBe('not-on-track');
    expect(missed.reason).toContain('misses the target of 10 days');
  });
});

describe('what a valid aim is', () => {
  const good: AimInput = {
    name: 'Raise self-referral to 40%',
    measure: 'selfReferralPercent',
    direction: 'increase',
    baselineValue: 24,
    baselineFrom: '2025-01-01',
    baselineTo: '2025-03-31',
    targetValue: 40,
    targetDate: '2027-03-31',
  };
  const today = '2026-05-01';
  const paths = (input: Partial<AimInput>) => aimErrors({ ...good, ...input }, today).map((e) => e.path);

  it('accepts a complete, consistent aim', () => {
    expect(aimErrors(good, today)).toEqual([]);
  });

  it('names each field at fault', () => {
    expect(paths({ name: '  ' })).toEqual(['/name']);
    expect(paths({ name: 'x'.repeat(201) })).toEqual(['/name']);
    expect(paths({ measure: 'happiness' })).toEqual(['/measure']);
    expect(paths({ direction: 'sideways' })).toEqual(['/direction']);
    expect(paths({ baselineValue: null })).toEqual(['/baselineValue']);
    expect(paths({ baselineValue: Number.NaN })).toEqual(['/baselineValue']);
    expect(paths({ targetValue: -1 })).toEqual(['/targetValue']);
    expect(paths({ targetValue: 140 })).toEqual(['/targetValue']);
    expect(paths({ baselineFrom: '2025-02-30' })).toEqual(['/baselineFrom']);
    expect(paths({ baselineTo: '31/03/2025' })).toEqual(['/baselineTo']);
    expect(paths({ targetDate: '' })).toEqual(['/targetDate']);
  });

  it('refuses a baseline that ends before it starts, has not ended, or is over a year', () => {
    expect(paths({ baselineFrom: '2025-04-01', baselineTo: '2025-03-31' })).toEqual(['/baselineTo']);
    expect(paths({ baselineTo: '2026-06-30' })).toEqual(['/baselineTo']);
    expect(paths({ baselineFrom: '2024-01-01' })).toEqual(['/baselineFrom']);
  });

  it('refuses a target date on or before the end of the baseline', () => {
    expect(paths({ targetDate: '2025-03-31' })).toEqual(['/targetDate']);
  });

  it('refuses a target on the wrong side of the baseline for the direction', () => {
    expect(aimErrors({ ...good, targetValue: 20 }, today)).toEqual([
      { path: '/targetValue', message: 'For an increase, the target must be higher than the baseline.' },
    ]);
    expect(paths({ direction: 'decrease' })).toEqual(['/targetValue']);
  });

  it('asks for a one-quarter baseline for referrals, a count tracked per quarter', () => {
    const referrals = { measure: 'referrals', baselineValue: 300, targetValue: 400 };
    expect(paths({ ...referrals, baselineFrom: '2025-01-01', baselineTo: '2025-12-31' })).toEqual([
      '/baselineFrom',
    ]);
    expect(paths({ ...referrals, baselineFrom: '2025-01-01', baselineTo: '2025-03-31' })).toEqual([]);
  });
});
