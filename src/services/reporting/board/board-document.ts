import {
  BOARD_KPIS,
  changeText,
  type FigureUnit,
  formatShown,
} from '../../../domain/reporting/board-summary.ts';
import { type Shown, SUPPRESSED } from '../../../domain/reporting/disclosure.ts';
import { EQUITY_DIMENSION_LABELS, type EquityReport } from '../../../domain/reporting/report-types.ts';
import { formatDate, formatLondonDateTime } from '../../../domain/time/london.ts';
import type { BenefitAimProgress } from '../benefits.service.ts';
import type { BoardReport } from '../board.service.ts';
import { barChart, type ChartSvg } from './charts.ts';

/**
 * The board report laid out once for every format: headed sections of paragraphs, tables
 * (figures already formatted, `*` where suppressed) and charts (SVG, each with the table of
 * its figures). The page renders this with NHS.UK macros and the PDF draws the same, so the
 * two never disagree.
 */

/** A table: caption, column headings, rows of text; `numeric` columns are figures (right-aligned). */
export type DocTable = { caption: string; head: string[]; rows: string[][]; numeric: number[] };

/** A chart with its title, a note on what it leaves out, and the table of its figures. */
export type DocChart = { id: string; title: string; note: string | null; image: ChartSvg; table: DocTable };

export type DocBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'table'; table: DocTable }
  | { kind: 'chart'; chart: DocChart };

export type DocSection = { id: string; heading: string; blocks: DocBlock[] };

export type BoardDocument = {
  title: string;
  scopeName: string;
  /** "1 April 2025 to 31 March 2026" */
  periodText: string;
  previousPeriodText: string;
  generatedText: string;
  summary: string[];
  sections: DocSection[];
  /** What `*` and rounding mean (below national level), or that national figures are exact. */
  footnote: string;
};

/** The footnote on disclosure control, under every report below national level. */
export const DISCLOSURE_FOOTNOTE =
  '* fewer than 8 people, or suppressed so another value cannot be worked out; counts rounded to the nearest 5.';
const NATIONAL_FOOTNOTE =
  'National figures are shown as counted: small-number suppression and rounding apply below national level only.';

const periodText = (p: { from: string; to: string }) => `${formatDate(p.from)} to ${formatDate(p.to)}`;

/** The chart value of a shown figure: null (left out of the chart) when suppressed. */
const plotted = (value: Shown): number | null => (value === SUPPRESSED ? null : value);

function leftOut(names: string[]): string | null {
  return names.length === 0
    ? null
    : `Not in the chart because there are too few people (shown as * in the table): ${names.join('; ')}.`;
}

function describeSeries(categories: string[], series: { name: string; values: Shown[] }[], unit: FigureUnit) {
  return series
    .map(
      (s) =>
        `${s.name}: ${categories
          .map(
            (c, i) =>
              `${c} ${s.values[i] === SUPPRESSED ? 'too few to show' : formatShown(s.values[i] as Shown, unit)}`,
          )
          .join('; ')}.`,
    )
    .join(' ');
}

function kpiSection(report: BoardReport): DocSection {
  const percentKpis = report.kpis.filter(
    (k) => k.unit === 'percent' && BOARD_KPIS.some((b) => b.key === k.key),
  );
  const categories = percentKpis.map((k) => k.label.replace(/ \(%.*\)$/, ''));
  const series = [
    { name: 'This period', values: percentKpis.map((k) => k.current) },
    { name: 'Previous period', values: percentKpis.map((k) => k.previous) },
  ];
  const missing = percentKpis.flatMap((k, i) => [
    ...(k.current === SUPPRESSED ? [`${categories[i]} (this period)`] : []),
    ...(k.previous === SUPPRESSED ? [`${categories[i]} (previous period)`] : []),
  ]);
  const title = 'Percentage measures, this period and the previous period';
  const chartTable: DocTable = {
    caption: title,
    head: ['Measure', 'This period', 'Previous period'],
    rows: percentKpis.map((k, i) => [
      categories[i] as string,
      formatShown(k.current, 'percent'),
      formatShown(k.previous, 'percent'),
    ]),
    numeric: [1, 2],
  };
  const chart: DocChart = {
    id: 'chart-kpi-trend',
    title,
    note: leftOut(missing),
    image: barChart({
      id: 'chart-kpi-trend',
      title,
      description: `Bar chart with two bars per measure, this period and the previous period, on a scale of 0 to 100%. ${describeSeries(categories, series, 'percent')}`,
      categories,
      series: series.map((s) => ({ name: s.name, values: s.values.map(plotted) })),
      unit: 'percent',
      max: 100,
      layout: 'narrow',
    }),
    table: chartTable,
  };
  return {
    id: 'kpis',
    heading: 'Key performance indicators',
    blocks: [
      {
        kind: 'table',
        table: {
          caption: `Measures for ${periodText(report.period)}, beside ${periodText(report.previousPeriod)}`,
          head: ['Measure', 'This period', 'Previous period', 'Change'],
          rows: report.kpis.map((k) => [
            k.label,
            formatShown(k.current, k.unit),
            formatShown(k.previous, k.unit),
            changeText(k),
          ]),
          numeric: [1, 2],
        },
      },
      { kind: 'chart', chart },
    ],
  };
}

/** A rate per 1,000 staff; a group with no staff has no rate at all ("–"), which is not a suppression. */
const rateText = (row: { workforce: Shown; ratePer1000: Shown }) =>
  row.workforce === 0 ? NO_RATE : formatShown(row.ratePer1000, 'rate');
const NO_RATE = '–';

function equityTable(report: EquityReport): DocTable {
  const label = EQUITY_DIMENSION_LABELS[report.dimension];
  return {
    caption: `By ${label.toLowerCase()}`,
    head: [label, 'Staff in post', 'Staff who used a service', 'Per 1,000 staff'],
    rows: [
      ...report.rows.map((r) => [
        r.group,
        formatShown(r.workforce, 'count'),
        formatShown(r.people, 'count'),
        rateText(r),
      ]),
      [
        'Total',
        formatShown(report.total.workforce, 'count'),
        formatShown(report.total.people, 'count'),
        rateText(report.total),
      ],
    ],
    numeric: [1, 2, 3],
  };
}

function equitySection(report: BoardReport): DocSection {
  const blocks: DocBlock[] = [
    {
      kind: 'paragraph',
      text: 'Staff who used an occupational health and wellbeing service in the period, per 1,000 staff in post, by group. A low rate may mean a group is missing out.',
    },
  ];
  const byGroup = report.equity.find((e) => e.dimension === 'staffGroup');
  if (byGroup?.rows.some((r) => r.workforce !== 0)) {
    const staffed = byGroup.rows.filter((r) => r.workforce !== 0);
    const categories = staffed.map((r) => r.group);
    const values = staffed.map((r) => r.ratePer1000);
    const title = 'Staff who used a service per 1,000 staff, by staff group';
    blocks.push({
      kind: 'chart',
      chart: {
        id: 'chart-equity-staff-group',
        title,
        note: leftOut(staffed.filter((r) => r.ratePer1000 === SUPPRESSED).map((r) => r.group)),
        image: barChart({
          id: 'chart-equity-staff-group',
          title,
          description: `Bar chart, one bar per staff group. ${describeSeries(categories, [{ name: 'Per 1,000 staff', values }], 'rate')}`,
          categories,
          series: [{ name: 'Per 1,000 staff', values: values.map(plotted) }],
          unit: 'rate',
          layout: 'narrow',
        }),
        table: {
          caption: title,
          head: ['Staff group', 'Per 1,000 staff'],
          rows: staffed.map((r) => [r.group, formatShown(r.ratePer1000, 'rate')]),
          numeric: [1],
        },
      },
    });
  }
  for (const equity of report.equity) blocks.push({ kind: 'table', table: equityTable(equity) });
  return { id: 'equity', heading: 'Equity of access', blocks };
}

/** The benchmark columns: the KPIs a board compares across organisations, with short headings that fit a row. */
const BENCHMARK_COLUMNS = [
  { key: 'referrals', heading: 'Referrals' },
  { key: 'selfReferralPercent', heading: 'Self-referrals' },
  { key: 'medianDaysToFirstAppointment', heading: 'Median wait' },
  { key: 'didNotAttendPercent', heading: 'Did not attend' },
  { key: 'reportsWithin21DaysPercent', heading: 'Reports within 21 days' },
  { key: 'atWorkAtClosurePercent', heading: 'At work at closure' },
] as const;

function benchmarkSection(report: BoardReport): DocSection | null {
  if (!report.benchmark) return null;
  const columns = BENCHMARK_COLUMNS.flatMap((c) => {
    const kpi = BOARD_KPIS.find((k) => k.key === c.key);
    return kpi ? [{ ...c, kpi }] : [];
  });
  return {
    id: 'benchmark',
    heading: 'The organisations of the system',
    blocks: [
      {
        kind: 'paragraph',
        text: 'The same measures for each organisation, worked out the same way, for the same period. The median wait is in days from referral to first appointment; the other measures are as in the table of key performance indicators.',
      },
      {
        kind: 'table',
        table: {
          caption: `Benchmark, ${periodText(report.period)}`,
          head: ['Organisation', ...columns.map((c) => c.heading)],
          rows: report.benchmark.map((o) => [
            o.scope.name,
            ...columns.map((c) => formatShown(c.kpi.value(o), c.kpi.unit)),
          ]),
          numeric: columns.map((_c, i) => i + 1),
        },
      },
    ],
  };
}

const AIM_UNIT: Record<BenefitAimProgress['unit'], FigureUnit> = {
  count: 'count',
  percent: 'percent',
  days: 'days',
};

/** "Apr–Jun 2026" for a chart axis (the table has the full label). */
function shortQuarter(from: string, complete: boolean): string {
  const month = Number(from.slice(5, 7));
  const first = month - ((month - 1) % 3);
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[first - 1]}–${names[first + 1]} ${from.slice(0, 4)}${complete ? '' : ' (part)'}`;
}

/** The blocks of one aim: what it is, where it stands, and its quarters as a chart and a table. */
export function aimBlocks(aim: BenefitAimProgress, index: number): DocBlock[] {
  const unit = AIM_UNIT[aim.unit];
  const blocks: DocBlock[] = [
    { kind: 'subheading', text: aim.name },
    {
      kind: 'paragraph',
      text: `${aim.measureLabel}. Baseline ${formatShown(aim.baseline.value, unit)} (${periodText(aim.baseline)}); target ${formatShown(aim.target.value, unit)} by ${formatDate(aim.target.date)}.`,
    },
    { kind: 'paragraph', text: `${aim.statusLabel}: ${aim.reason}` },
  ];
  if (aim.quarters.length === 0) return blocks;
  const categories = aim.quarters.map((q) => shortQuarter(q.from, q.complete));
  const title = `${aim.name}: quarter by quarter`;
  const id = `chart-aim-${index + 1}`;
  blocks.push({
    kind: 'chart',
    chart: {
      id,
      title,
      note: leftOut(aim.quarters.filter((q) => q.value === SUPPRESSED).map((q) => q.label)),
      image: barChart({
        id,
        title,
        description: `One bar per quarter, oldest first, showing ${aim.measureLabel.toLowerCase()}; a dashed line shows the straight path from the baseline to the target. ${describeSeries(
          categories,
          [
            { name: 'Recorded', values: aim.quarters.map((q) => q.value) },
            { name: 'Expected', values: aim.quarters.map((q) => q.expected) },
          ],
          unit,
        )}`,
        categories,
        series: [{ name: 'Recorded', values: aim.quarters.map((q) => plotted(q.value)) }],
        line: { name: 'Expected on the way to the target', values: aim.quarters.map((q) => q.expected) },
        unit,
        max: unit === 'percent' ? 100 : undefined,
        layout: 'narrow',
      }),
      table: {
        caption: title,
        head: ['Quarter', 'Recorded', 'Expected on the way to the target'],
        rows: aim.quarters.map((q) => [q.label, formatShown(q.value, unit), formatShown(q.expected, unit)]),
        numeric: [1, 2],
      },
    },
  });
  return blocks;
}

function benefitsSection(report: BoardReport): DocSection {
  const blocks: DocBlock[] =
    report.benefits.length === 0
      ? [
          {
            kind: 'paragraph',
            text:
              report.scope.kind === 'national'
                ? 'Benefits-realisation aims are set by organisations and systems.'
                : `No benefits-realisation aims have been set for ${report.scope.name} yet.`,
          },
        ]
      : report.benefits.flatMap(aimBlocks);
  return { id: 'benefits', heading: 'Benefits realisation', blocks };
}

/** The board report laid out for the page and the PDF. */
export function boardDocument(report: BoardReport): BoardDocument {
  const sections = [
    kpiSection(report),
    equitySection(report),
    benchmarkSection(report),
    benefitsSection(report),
  ].filter((s): s is DocSection => s !== null);
  return {
    title: 'Occupational health and wellbeing board report',
    scopeName: report.scope.name,
    periodText: periodText(report.period),
    previousPeriodText: periodText(report.previousPeriod),
    generatedText: `Made on ${formatLondonDateTime(new Date(report.generatedAt))}`,
    summary: report.summary,
    sections,
    footnote: report.scope.controlled ? DISCLOSURE_FOOTNOTE : NATIONAL_FOOTNOTE,
  };
}
