import { describe, expect, it } from 'vitest';
import {
  boardSummary,
  changeBetween,
  changeText,
  compareKpis,
  formatShown,
} from '../../src/domain/reporting/board-summary.ts';
import type { Shown } from '../../src/domain/reporting/disclosure.ts';
import type { KpiReport } from '../../src/domain/reporting/report-types.ts';

/** A KPI report with every figure given (or 0), as kpiReport returns it after disclosure control. */
function kpis(figures: Partial<Record<string, Shown>> = {}): KpiReport {
  const f = (key: string): Shown => figures[key] ?? 0;
  return {
    scope: { kind: 'system', slug: 's', name: 'S', organisationKind: null, controlled: true },
    period: { from: '2025-04-01', to: '2025-06-30' },
    input: {
      referrals: f('referrals'),
      selfReferrals: { count: 0, of: 0, percent: f('self') },
      daysToFirstAppointment: { episodes: 0, median: f('median'), p90: f('p90') },
      didNotAttend: { count: 0, of: 0, percent: f('dna') },
      caseload: f('caseload'),
    },
    output: {
      outcomesByFitness: [
        { fitness: 'fit', label: 'Fit for work', count: f('fit') },
        { fitness: 'temporarily-unfit', label: 'Temporarily unfit for work', count: f('unfit') },
      ],
      outcomesTotal: f('outcomes'),
      reportsReleasedWithin21Days: { count: 0, of: 0, percent: f('reports') },
      atWorkAtClosure: { count: 0, of: 0, percent: f('atWork') },
      reliableImprovement: { count: 0, of: 0, percent: f('improvement') },
    },
  };
}

describe('the board summary in plain English', () => {
  it('worked example: a quarter with every figure comparable', () => {
    const previous = kpis({
      referrals: 1200,
      self: 32,
      median: 12,
      p90: 30,
      dna: 8,
      caseload: 300,
      outcomes: 400,
      reports: 75,
      atWork: 88.5,
      improvement: 50,
    });
    const current = kpis({
      referrals: 1450,
      self: 38.5,
      median: 9,
      p90: 30,
      dna: 6.5,
      caseload: 300,
      outcomes: 405,
      reports: 80,
      atWork: 88.5,
      improvement: 51,
    });
    expect(boardSummary(compareKpis(current, previous))).toEqual([
      'Referrals rose from 1,200 to 1,450 (up 21%).',
      'The share of referrals that were self-referrals rose from 32% to 38.5% (up 6.5 percentage points).',
      'The median wait for a first appointment fell from 12 to 9 days.',
      'The wait within which 9 in 10 people had a first appointment stayed at 30 days.',
      'The share of appointments missed without notice fell from 8% to 6.5% (down 1.5 percentage points).',
      'Open cases at the end of the period stayed at 300.',
      'Fitness-for-work outcomes recorded rose from 400 to 405 (up 1%).',
      'The share of reports released within 21 days of the consultation rose from 75% to 80% (up 5 percentage points).',
      'The share of people at work when their episode of care closed stayed at 88.5%.',
      'The share of people whose PHQ-9 or GAD-7 scores reliably improved rose from 50% to 51% (up 1 percentage point).',
    ]);
  });

  it('never compares a suppressed figure: either side "*" is "too few to compare", named together', () => {
    const previous = kpis({ referrals: 40, self: '*', median: 12, p90: '*', improvement: 50 });
    const current = kpis({ referrals: 35, self: 20, median: '*', p90: '*', improvement: '*' });
    const summary = boardSummary(compareKpis(current, previous));
    expect(summary[0]).toBe('Referrals fell from 40 to 35 (down 13%).');
    expect(summary.at(-1)).toBe(
      'Too few to compare with the previous period: self-referrals, the median wait for a first appointment, the 90th centile wait for a first appointment and PHQ-9/GAD-7 reliable improvement.',
    );
    // No sentence mentions a number beside a suppressed measure.
    expect(summary.join(' ')).not.toMatch(
      /self-referrals rose|median wait for a first appointment (rose|fell)/,
    );
  });

  it('a count that rises from 0 says so without a percentage; a tiny change is "less than 1%"', () => {
    const summary = boardSummary(
      compareKpis(kpis({ referrals: 410, caseload: 10_005 }), kpis({ referrals: 0, caseload: 10_000 })),
    );
    expect(summary).toContain('Referrals rose from 0 to 410.');
    expect(summary).toContain(
      'Open cases at the end of the period rose from 10,000 to 10,005 (up less than 1%).',
    );
  });

  it('one day is "1 day"', () => {
    const summary = boardSummary(compareKpis(kpis({ median: 1 }), kpis({ median: 2 })));
    expect(summary).toContain('The median wait for a first appointment fell from 2 to 1 day.');
  });

  it('keeps the fitness categories in the table, out of the summary', () => {
    const rows = compareKpis(kpis({ fit: 125, unfit: '*' }), kpis({ fit: 100, unfit: 10 }));
    expect(rows.map((r) => r.label)).toContain('Outcome: Fit for work');
    expect(rows.find((r) => r.key === 'outcome:temporarily-unfit')?.change).toEqual({ kind: 'too-few' });
    expect(boardSummary(rows).join(' ')).not.toContain('Fit for work');
  });
});

describe('figures and changes as the tables print them', () => {
  it.each([
    [1450, 'count', '1,450'],
    [38.5, 'percent', '38.5%'],
    [100, 'percent', '100%'],
    [9, 'days', '9 days'],
    [1, 'days', '1 day'],
    [12, 'rate', '12.0'],
    [184.66, 'rate', '184.7'],
    ['*', 'count', '*'],
    ['*', 'rate', '*'],
    [0, 'count', '0'],
  ] as const)('%s as %s is "%s"', (value, unit, text) => {
    expect(formatShown(value, unit)).toBe(text);
  });

  it('words the change column', () => {
    expect(changeText({ unit: 'count', change: changeBetween(1200, 1450) })).toBe('Up 21%');
    expect(changeText({ unit: 'count', change: changeBetween(0, 15) })).toBe('Up from 0');
    expect(changeText({ unit: 'percent', change: changeBetween(8, 6.5) })).toBe('Down 1.5 percentage points');
    expect(changeText({ unit: 'days', change: changeBetween(12, 9) })).toBe('Down 3 days');
    expect(changeText({ unit: 'count', change: changeBetween(5, 5) })).toBe('No change');
    expect(changeText({ unit: 'count', change: changeBetween('*', 5) })).toBe('Too few to compare');
  });
});
