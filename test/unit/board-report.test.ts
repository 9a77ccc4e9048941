import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { negotiateBoardFormat } from '../../src/api/reporting/board.routes.ts';
import { boardSummary, compareKpis } from '../../src/domain/reporting/board-summary.ts';
import type { EquityReport, KpiReport } from '../../src/domain/reporting/report-types.ts';
import { BOARD_CSV_COLUMNS, boardCsv, boardCsvRows } from '../../src/services/reporting/board/board-csv.ts';
import { boardDocument } from '../../src/services/reporting/board/board-document.ts';
import { barChart, tidySvg } from '../../src/services/reporting/board/charts.ts';
import type { BoardReport } from '../../src/services/reporting/board.service.ts';

const scope = {
  kind: 'system',
  slug: 'northmoor',
  name: 'Northmoor',
  organisationKind: null,
  controlled: true,
} as const;

function kpis(referrals: number | '*', selfPercent: number | '*'): KpiReport {
  return {
    scope,
    period: { from: '2026-01-01', to: '2026-03-31' },
    input: {
      referrals,
      selfReferrals: { count: 0, of: 0, percent: selfPercent },
      daysToFirstAppointment: { episodes: 0, median: 9, p90: '*' },
      didNotAttend: { count: 0, of: 0, percent: 6.5 },
      caseload: 80,
    },
    output: {
      outcomesByFitness: [{ fitness: 'fit', label: 'Fit for work', count: 40 }],
      outcomesTotal: 40,
      reportsReleasedWithin21Days: { count: 0, of: 0, percent: 90 },
      atWorkAtClosure: { count: 0, of: 0, percent: '*' },
      reliableImprovement: { count: 0, of: 0, percent: 50 },
    },
  };
}

const equity: EquityReport = {
  scope,
  period: { from: '2026-01-01', to: '2026-03-31' },
  dimension: 'staffGroup',
  rows: [
    { group: 'Police officer', workforce: 425, people: 85, ratePer1000: 200 },
    { group: 'Special constable', workforce: 20, people: '*', ratePer1000: '*' },
    { group: 'Police staff', workforce: 215, people: '*', ratePer1000: '*' },
  ],
  total: { workforce: 660, people: 105, ratePer1000: 159.1 },
};

function report(): BoardReport {
  const rows = compareKpis(kpis(1450, 38.5), kpis(1200, '*'));
  return {
    scope,
    period: { from: '2026-01-01', to: '2026-03-31' },
    previousPeriod: { from: '2025-10-02', to: '2025-12-31' },
    generatedAt: '2026-04-02T09:00:00.000Z',
    summary: boardSummary(rows),
    kpis: rows,
    equity: [equity],
    benchmark: [
      { ...kpis(600, 40), scope: { ...scope, kind: 'organisation', slug: 'p', name: 'Northmoor Police' } },
    ],
    benefits: [
      {
        id: 'a',
        name: 'Cut the wait to 10 days',
        measure: 'medianDaysToFirstAppointment',
        measureLabel: 'Median days from referral to first appointment',
        unit: 'days',
        direction: 'decrease',
        baseline: { value: 14, from: '2025-01-01', to: '2025-03-31' },
        target: { value: 10, date: '2026-03-31' },
        createdAt: '2025-04-01T09:00:00.000Z',
        createdBy: 'Tom Fletcher',
        quarters: [
          {
            from: '2025-04-01',
            to: '2025-06-30',
            label: 'April to June 2025',
            complete: true,
            value: 13,
            expected: 13,
          },
          {
            from: '2025-07-01',
            to: '2025-09-30',
            label: 'July to September 2025',
            complete: true,
            value: '*',
            expected: 12,
          },
        ],
        status: 'too-few',
        statusLabel: 'Too few to tell',
        reason: 'Too few people in July to September 2025 to tell.',
      },
    ],
  };
}

describe('the board report as CSV', () => {
  it('has one row per figure, each saying what it is', () => {
    const rows = boardCsvRows(report());
    expect(rows[0]).toEqual([
      'Northmoor',
      '2026-01-01',
      '2026-03-31',
      'Key performance indicators',
      'Referrals received',
      '',
      'count',
      1450,
      1200,
    ]);
    expect(rows).toContainEqual([
      'Northmoor',
      '2026-01-01',
      '2026-03-31',
      'Key performance indicators',
      'Self-referrals (% of referrals)',
      '',
      'percent',
      38.5,
      '*',
    ]);
    const equityRows = rows.filter((r) => r[3] === 'Equity of access: staff group');
    // Three figures per group (staff, users, rate), for each group and the total.
    expect(equityRows).toHaveLength(3 * 4);
    expect(equityRows).toContainEqual(
      expect.arrayContaining(['Staff who used a service', 'Special constable', 'count', '*']),
    );
    expect(rows.filter((r) => r[3] === 'Benchmark').every((r) => r[5] === 'Northmoor Police')).toBe(true);
    expect(rows).toContainEqual(
      expect.arrayContaining([
        'Benefits realisation: Cut the wait to 10 days',
        'July to September 2025',
        'days',
        '*',
      ]),
    );
  });

  it('parses back to the same figures, header first', () => {
    const parsed: string[][] = parse(boardCsv(report()));
    expect(parsed[0]).toEqual([...BOARD_CSV_COLUMNS]);
    expect(parsed).toHaveLength(boardCsvRows(report()).length + 1);
    const counts = parsed.slice(1).filter((r) => r[6] === 'count');
    for (const row of counts) {
      for (const value of [row[7], row[8]]) {
        if (value === '' || value === '*') continue;
        expect(Number(value) === 0 || Number(value) >= 8, `${row.join(',')}`).toBe(true);
      }
    }
  });
});

describe('the board report laid out for page and PDF', () => {
  it('has the KPI table with the change, equity tables with *, and a chart per aim', () => {
    const document = boardDocument(report());
    expect(document.scopeName).toBe('Northmoor');
    expect(document.periodText).toBe('1 January 2026 to 31 March 2026');
    expect(document.sections.map((s) => s.heading)).toEqual([
      'Key performance indicators',
      'Equity of access',
      'The organisations of the system',
      'Benefits realisation',
    ]);
    const kpiTable = document.sections[0]?.blocks.find((b) => b.kind === 'table');
    expect(kpiTable?.kind === 'table' && kpiTable.table.rows[0]).toEqual([
      'Referrals received',
      '1,450',
      '1,200',
      'Up 21%',
    ]);
    const charts = document.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'chart');
    expect(charts).toHaveLength(3);
    const equityChart = charts.find((c) => c.kind === 'chart' && c.chart.id === 'chart-equity-staff-group');
    expect(equityChart?.kind === 'chart' && equityChart.chart.note).toBe(
      'Not in the chart because there are too few people (shown as * in the table): Special constable; Police staff.',
    );
    expect(document.footnote).toContain('fewer than 8 people');
  });
});

describe('charts as SVG for a strict Content Security Policy', () => {
  it('has an accessible name and description, no inline styles, and ids of its own', () => {
    const { svg } = barChart({
      id: 'chart-test',
      title: 'Use per 1,000 staff',
      description: 'Police officer 200.0',
      categories: ['Police officer', 'Special constable'],
      series: [
        { name: 'This period', values: [200, null] },
        { name: 'Previous period', values: [150, 100] },
      ],
      unit: 'rate',
    });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="chart-test-title chart-test-desc"/);
    expect(svg).toContain('<title id="chart-test-title">Use per 1,000 staff</title>');
    expect(svg).not.toMatch(/style=|<style/);
    expect(svg).not.toMatch(/\bzr\d+-/);
    expect(svg).toContain('id="chart-test-p0"');
    // The suppressed value is not drawn; the others are labelled.
    expect(svg).toContain('>200.0<');
    expect(svg).not.toMatch(/^<svg [^>]*\swidth="/);
  });

  it('draws a labelled reference line (narrow layout: names over the bars), and keeps it on the axis', () => {
    const chart = (reference: number) =>
      barChart({
        id: 'equity-chart',
        title: 'Staff who used a service per 1,000 staff',
        description: 'Bar chart',
        categories: ['Police officer', 'Police staff'],
        series: [{ name: 'Per 1,000 staff', values: [120, 90] }],
        unit: 'rate',
        reference: { value: reference, label: `All staff: ${reference.toFixed(1)}` },
        layout: 'narrow',
      });
    const { svg, width } = chart(104.2);
    expect(width).toBe(420);
    expect(svg).toContain('>All staff: 104.2<');
    expect(svg).toMatch(/stroke-dasharray="[^"]+"/);
    expect(svg).toContain('>Police officer<');
    expect(svg).toContain('>120.0<');
    expect(svg).not.toMatch(/style=|<style/);
    // A reference beyond every bar still falls on the axis, which reaches a round number past it.
    expect(chart(184.7).svg).toContain('>200.0<');
  });

  it('escapes the title and turns style rules into attributes', () => {
    expect(
      tidySvg(
        '<svg width="1" viewBox="0 0 1 1"><text style="font-size:12px;font-family:sans-serif;">a</text></svg>',
        'c',
        'A & <B>',
        'd',
      ),
    ).toBe(
      '<svg viewBox="0 0 1 1" role="img" focusable="false" aria-labelledby="c-title c-desc"><title id="c-title">A &amp; &lt;B&gt;</title><desc id="c-desc">d</desc><text font-size="12px" font-family="sans-serif">a</text></svg>',
    );
  });
});

describe('the board report format from Accept', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/html', 'text/html'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html'],
    ['application/pdf', 'application/pdf'],
    ['text/csv', 'text/csv'],
    ['text/*', 'text/html'],
    ['text/csv;q=0.5, application/pdf', 'application/pdf'],
    ['text/csv, */*;q=0.1', 'text/csv'],
    ['image/png', null],
    ['application/pdf;q=0', null],
    ['text/plain', null],
  ] as const)('%s → %s', (accept, format) => {
    expect(negotiateBoardFormat(accept)).toBe(format);
  });
});
