import type { ReportKind } from '../../domain/access/reporting.policy.ts';
import { type Shown, SUPPRESSED } from '../../domain/reporting/disclosure.ts';
import type { Period } from '../../domain/reporting/period.ts';
import {
  EQUITY_DIMENSION_LABELS,
  EQUITY_DIMENSIONS,
  type EquityDimension,
  type EquityReport,
  type KpiReport,
  measureValue,
  type ReportScope,
  TRACKABLE_MEASURES,
  type TrackableMeasure,
} from '../../domain/reporting/report-types.ts';
import type { FieldError } from '../../domain/shared/errors.ts';
import { ORGANISATION_KIND_LABELS } from '../../domain/workforce/organisation.rules.ts';
import { barChart } from '../../services/reporting/board/charts.ts';
import { dateField, type FormBody } from '../shared/forms.ts';

/**
 * View models of the reporting pages. The services return figures that have already passed
 * disclosure control (a number, or `*`); this module only words and formats them, and reads
 * the scope and period that the pickers send.
 */

/** How a figure is read: a count of people or events, a rate or percentage, or a statistic (days). */
export type FigureKind = 'count' | 'rate' | 'statistic';

/**
 * A figure as a page shows it. `suppressed`: the template adds words for screen readers,
 * because "*" alone is read out as "star".
 */
export type Figure = { text: string; suppressed: boolean; kind: FigureKind; note?: string };

/** A rate with no staff behind it: nothing to hide, there is simply nobody in the group. */
const NO_STAFF: Figure = { text: '–', suppressed: false, kind: 'rate', note: 'no staff in this group' };

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToOneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** A count ("1,250"), a rate or percentage to one decimal place ("12.5"), a statistic ("12" or "12.5"). */
export function figure(value: Shown, kind: FigureKind, suffix = ''): Figure {
  if (value === SUPPRESSED) return { text: SUPPRESSED, suppressed: true, kind };
  const format = kind === 'count' ? whole : kind === 'rate' ? oneDecimal : upToOneDecimal;
  return { text: `${format.format(value)}${suffix}`, suppressed: false, kind };
}

/** The field names of the period inputs (NHS.UK date input: `from[day]`, `from[month]`, `from[year]`). */
const PERIOD_FIELDS = [
  { name: 'from', words: 'start date' },
  { name: 'to', words: 'end date' },
] as const;

type DateParts = { day: string; month: string; year: string };

/** What a report page was asked for, as the picker sends it (or a link carries it). */
export type ReportRequest = {
  scope: string | undefined;
  from: string | undefined;
  to: string | undefined;
  /** The date fields as typed, to show again. */
  values: { from: DateParts; to: DateParts };
  errors: FieldError[];
};

function text(query: FormBody, name: string): string {
  const value = query[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

/**
 * Reads the scope and period of a report page. Dates come from the picker's three fields,
 * or as `from=YYYY-MM-DD` from a link (the dimension switcher, the home page). A date that
 * is not real is a field error, worded for the date input the user sees.
 */
export function readReportRequest(query: unknown): ReportRequest {
  const q = (query ?? {}) as FormBody;
  const request: ReportRequest = {
    scope: text(q, 'scope') || undefined,
    from: undefined,
    to: undefined,
    values: { from: { day: '', month: '', year: '' }, to: { day: '', month: '', year: '' } },
    errors: [],
  };
  for (const { name, words } of PERIOD_FIELDS) {
    let parts: DateParts = {
      day: text(q, `${name}[day]`),
      month: text(q, `${name}[month]`),
      year: text(q, `${name}[year]`),
    };
    const iso = text(q, name);
    if (!parts.day && !parts.month && !parts.year && iso) {
      const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(iso);
      if (!match) {
        request.errors.push({ path: `/${name}-day`, message: `Enter a real ${words}, for example 1 4 2025` });
        continue;
      }
      parts = { year: match[1] as string, month: String(Number(match[2])), day: String(Number(match[3])) };
    }
    request.values[name] = parts;
    const read = dateField(
      { [`${name}[day]`]: parts.day, [`${name}[month]`]: parts.month, [`${name}[year]`]: parts.year },
      name,
    );
    if (read.error) {
      request.errors.push({ path: `/${name}-day`, message: `Enter a real ${words}, for example 1 4 2025` });
    } else if (read.value) {
      request[name] = read.value;
    }
  }
  return request;
}

/**
 * Errors from a report service placed on the picker's fields: the period's rules name
 * `/from` and `/to`, which the page shows on the first box of each date input.
 */
export function onPickerFields(errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) =>
    e.path === '/from' || e.path === '/to' ? { path: `${e.path}-day`, message: e.message } : e,
  );
}

/** The date fields showing a period (after a report ran, so a default period is shown as well). */
export function periodValues(period: Period): { from: DateParts; to: DateParts } {
  const parts = (date: string): DateParts => {
    const [year = '', month = '', day = ''] = date.split('-');
    return { day: String(Number(day)), month: String(Number(month)), year };
  };
  return { from: parts(period.from), to: parts(period.to) };
}

/** "Northmoor (system)", "Northmoor Police (police force)", "All organisations (national)". */
export function scopeLabel(scope: ReportScope): string {
  if (scope.kind === 'national') return scope.name;
  if (scope.kind === 'system') return `${scope.name} (system)`;
  const kind =
    (ORGANISATION_KIND_LABELS as Record<string, string>)[scope.organisationKind ?? ''] ?? 'organisation';
  // "Police force" reads "police force" in brackets; an initialism ("NHS trust") keeps its capitals.
  const inSentence = /^[A-Z][a-z]/.test(kind) ? `${kind.charAt(0).toLowerCase()}${kind.slice(1)}` : kind;
  return `${scope.name} (${inSentence})`;
}

/** The kind of an organisation in words, for tables ("Police force", "NHS trust"). */
export function organisationKindLabel(kind: string | null): string {
  return (ORGANISATION_KIND_LABELS as Record<string, string>)[kind ?? ''] ?? 'Organisation';
}

/** Items of the scope select, the chosen one selected. */
export function scopeItems(scopes: readonly ReportScope[], chosen: string | undefined) {
  return scopes.map((s) => ({ value: s.slug, text: scopeLabel(s), selected: s.slug === chosen }));
}

/** The address of a report page for a scope and period (and anything else it needs). */
export function reportHref(
  path: string,
  params: { scope?: string; from?: string; to?: string; dimension?: string },
): string {
  const search = new URLSearchParams();
  for (const key of ['scope', 'dimension', 'from', 'to'] as const) {
    const value = params[key];
    if (value) search.set(key, value);
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** A dimension of the equity report from the address, `staffGroup` when none is given; null when unknown. */
export function readDimension(query: unknown): EquityDimension | null {
  const value = text((query ?? {}) as FormBody, 'dimension');
  if (value === '') return 'staffGroup';
  return (EQUITY_DIMENSIONS as readonly string[]).includes(value) ? (value as EquityDimension) : null;
}

/** The equity report as the page shows it: table rows, the chart, and whether there is anything to show. */
export function equityView(report: EquityReport) {
  const dimension = EQUITY_DIMENSION_LABELS[report.dimension];
  const totalRate = report.total.ratePer1000 === SUPPRESSED ? null : report.total.ratePer1000;
  const title = `Staff who used a service per 1,000 staff, by ${dimension.toLowerCase()}`;
  // The chart draws the groups whose rate can be shown; the note names the others.
  const empty = report.rows.filter((r) => r.workforce === 0).map((r) => r.group);
  const hidden = report.rows
    .filter((r) => r.workforce !== 0 && r.ratePer1000 === SUPPRESSED)
    .map((r) => r.group);
  const plotted = report.rows.filter((r) => r.workforce !== 0 && r.ratePer1000 !== SUPPRESSED) as Array<
    (typeof report.rows)[number] & { ratePer1000: number }
  >;
  const rateText = totalRate === null ? null : oneDecimal.format(totalRate);
  const reference = totalRate === null ? undefined : { value: totalRate, label: `All staff: ${rateText}` };
  return {
    dimension,
    noStaff: report.total.workforce === 0,
    noUse: report.total.people === 0,
    rows: report.rows.map((r) => ({
      group: r.group,
      workforce: figure(r.workforce, 'count'),
      people: figure(r.people, 'count'),
      rate: r.workforce === 0 ? NO_STAFF : figure(r.ratePer1000, 'rate'),
    })),
    total: {
      workforce: figure(report.total.workforce, 'count'),
      people: figure(report.total.people, 'count'),
      rate: figure(report.total.ratePer1000, 'rate'),
    },
    /** For the report-chart component: the heading, the SVG (none when no group can be drawn), the note. */
    chart: {
      id: 'equity-chart',
      title,
      image:
        plotted.length === 0
          ? null
          : barChart({
              id: 'equity-chart',
              title: `${title}, ${report.scope.name}`,
              description: `Bar chart, one bar per group${
                rateText ? `, with a dashed line at the rate for all staff, ${rateText} per 1,000` : ''
              }. ${chartSummary(report)}`,
              categories: plotted.map((r) => r.group),
              series: [{ name: 'Per 1,000 staff', values: plotted.map((r) => r.ratePer1000) }],
              unit: 'rate',
              reference,
              layout: 'narrow',
            }),
      note:
        [
          hidden.length
            ? `Not in the chart because there are too few people (shown as * in the table): ${hidden.join('; ')}.`
            : '',
          empty.length
            ? `Not in the chart because there are no staff in ${empty.length === 1 ? 'the group' : 'these groups'} (shown as – in the table): ${empty.join('; ')}.`
            : '',
        ]
          .filter(Boolean)
          .join(' ') || null,
    },
  };
}

/** The gist of the chart in a sentence or two, for its text alternative. */
function chartSummary(report: EquityReport): string {
  const shown = report.rows.filter((r) => r.ratePer1000 !== SUPPRESSED) as Array<
    (typeof report.rows)[number] & { ratePer1000: number }
  >;
  if (shown.length === 0) return 'No group has a rate that can be shown. The figures are in the table.';
  const sorted = [...shown].sort((a, b) => b.ratePer1000 - a.ratePer1000);
  const highest = sorted[0] as (typeof sorted)[number];
  const lowest = sorted.at(-1) as (typeof sorted)[number];
  const empty = report.rows.filter((r) => r.workforce === 0).length;
  const hidden = report.rows.length - shown.length - empty;
  const groups = (n: number) => `${n} ${n === 1 ? 'group has' : 'groups have'}`;
  return [
    `Highest: ${highest.group}, ${oneDecimal.format(highest.ratePer1000)} per 1,000 staff.`,
    shown.length > 1
      ? `Lowest: ${lowest.group}, ${oneDecimal.format(lowest.ratePer1000)} per 1,000 staff.`
      : '',
    hidden ? `${groups(hidden)} a rate hidden to protect privacy.` : '',
    empty ? `${groups(empty)} no staff.` : '',
    'The same figures are in the table.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A KPI row: what it measures, its value, and what it is based on ("15 of 45 referrals"). */
type KpiRow = {
  label: string;
  hint: string;
  value: Figure;
  basis: { count: Figure; of: Figure | null; noun: string } | null;
};

/** The input and output KPIs in plain words, in the order of the minimum dataset's KPI tables. */
export function kpiView(report: KpiReport) {
  const { input, output } = report;
  const percent = (v: Shown) => figure(v, 'rate', '%');
  const days = (v: Shown) => figure(v, 'statistic', v === 1 ? ' day' : ' days');
  const inputRows: KpiRow[] = [
    {
      label: 'Referrals received',
      hint: 'From managers, from staff themselves and from others.',
      value: figure(input.referrals, 'count'),
      basis: null,
    },
    {
      label: 'Self-referrals',
      hint: 'Staff who asked for help themselves, as a share of all referrals.',
      value: percent(input.selfReferrals.percent),
      basis: {
        count: figure(input.selfReferrals.count, 'count'),
        of: figure(input.selfReferrals.of, 'count'),
        noun: 'referrals',
      },
    },
    {
      label: 'Days from referral to first appointment — median',
      hint: 'Half of people waited this long or less.',
      value: days(input.daysToFirstAppointment.median),
      basis: {
        count: figure(input.daysToFirstAppointment.episodes, 'count'),
        of: null,
        noun: 'first appointments',
      },
    },
    {
      label: 'Days from referral to first appointment — 90th centile',
      hint: '9 in 10 people waited this long or less.',
      value: days(input.daysToFirstAppointment.p90),
      basis: {
        count: figure(input.daysToFirstAppointment.episodes, 'count'),
        of: null,
        noun: 'first appointments',
      },
    },
    {
      label: 'Did not attend',
      hint: 'Appointments missed without notice, as a share of appointments attended or missed.',
      value: percent(input.didNotAttend.percent),
      basis: {
        count: figure(input.didNotAttend.count, 'count'),
        of: figure(input.didNotAttend.of, 'count'),
        noun: 'appointments',
      },
    },
    {
      label: 'Open cases at the end of the period',
      hint: 'The caseload still open on the last day.',
      value: figure(input.caseload, 'count'),
      basis: null,
    },
  ];
  const outputRows: KpiRow[] = [
    {
      label: 'Reports released within 21 days',
      hint: 'Reports to managers released within 21 days of the consultation, as a share of reports released.',
      value: percent(output.reportsReleasedWithin21Days.percent),
      basis: {
        count: figure(output.reportsReleasedWithin21Days.count, 'count'),
        of: figure(output.reportsReleasedWithin21Days.of, 'count'),
        noun: 'reports',
      },
    },
    {
      label: 'At work when the episode closed',
      hint: 'Episodes closed with the person remaining at or returning to work.',
      value: percent(output.atWorkAtClosure.percent),
      basis: {
        count: figure(output.atWorkAtClosure.count, 'count'),
        of: figure(output.atWorkAtClosure.of, 'count'),
        noun: 'episodes closed',
      },
    },
    {
      label: 'Reliable improvement on PHQ-9 or GAD-7',
      hint: 'Episodes with two or more scores whose scores fell by more than chance would explain (NHS Talking Therapies rules).',
      value: percent(output.reliableImprovement.percent),
      basis: {
        count: figure(output.reliableImprovement.count, 'count'),
        of: figure(output.reliableImprovement.of, 'count'),
        noun: 'episodes with two or more scores',
      },
    },
  ];
  const noActivity =
    input.referrals === 0 &&
    input.caseload === 0 &&
    input.didNotAttend.of === 0 &&
    output.outcomesTotal === 0 &&
    output.reportsReleasedWithin21Days.of === 0 &&
    output.atWorkAtClosure.of === 0;
  return {
    noActivity,
    inputRows,
    outputRows,
    fitness: output.outcomesByFitness.map((o) => ({ label: o.label, count: figure(o.count, 'count') })),
    fitnessTotal: figure(output.outcomesTotal, 'count'),
  };
}

/** The measures benchmarking compares, in order, with the kind of figure each is. */
const BENCHMARK_MEASURES: ReadonlyArray<{
  measure: TrackableMeasure;
  kind: FigureKind;
  suffix: string;
  /** A column heading short enough for a table of ten columns. */
  short: string;
  /** What the column counts, in words (under the table). */
  hint: string;
}> = [
  {
    measure: 'referrals',
    kind: 'count',
    suffix: '',
    short: 'Referrals',
    hint: 'From managers, from staff themselves and from others.',
  },
  {
    measure: 'selfReferralPercent',
    kind: 'rate',
    suffix: '%',
    short: 'Self-referrals',
    hint: 'Staff who asked for help themselves.',
  },
  {
    measure: 'medianDaysToFirstAppointment',
    kind: 'statistic',
    suffix: '',
    short: 'Median days to first appointment',
    hint: 'Half of people waited this long or less.',
  },
  {
    measure: 'p90DaysToFirstAppointment',
    kind: 'statistic',
    suffix: '',
    short: '90th centile days to first appointment',
    hint: '9 in 10 people waited this long or less.',
  },
  {
    measure: 'didNotAttendPercent',
    kind: 'rate',
    suffix: '%',
    short: 'Did not attend',
    hint: 'Of appointments attended or missed.',
  },
  {
    measure: 'reportsWithin21DaysPercent',
    kind: 'rate',
    suffix: '%',
    short: 'Reports within 21 days',
    hint: 'Of reports released, those released within 21 days of the consultation.',
  },
  {
    measure: 'atWorkAtClosurePercent',
    kind: 'rate',
    suffix: '%',
    short: 'At work at closure',
    hint: 'Of episodes closed, those where the person remained at or returned to work.',
  },
  {
    measure: 'reliableImprovementPercent',
    kind: 'rate',
    suffix: '%',
    short: 'Reliable improvement',
    hint: 'Of episodes with two or more scores, those that reliably improved (NHS Talking Therapies rules).',
  },
];

/** One row per organisation, one column per measure (the same definitions for every organisation). */
export function benchmarkView(organisations: readonly KpiReport[]) {
  return {
    measures: BENCHMARK_MEASURES.map((m) => ({
      key: m.measure,
      short: m.short,
      definition: `${TRACKABLE_MEASURES[m.measure]}. ${m.hint}`,
    })),
    rows: organisations.map((report) => ({
      name: report.scope.name,
      kind: organisationKindLabel(report.scope.organisationKind),
      slug: report.scope.slug,
      values: BENCHMARK_MEASURES.map((m) => figure(measureValue(report, m.measure), m.kind, m.suffix)),
      noActivity: kpiView(report).noActivity,
    })),
  };
}

/** The reports of the reporting home page, in the order a reader meets them. */
export const REPORT_PAGES: ReadonlyArray<{
  kind: ReportKind;
  path: string;
  title: string;
  description: string;
  /** Which scopes the report takes; benchmarking compares the organisations of a system. */
  scopeKinds: ReadonlyArray<ReportScope['kind']>;
  /** What the home page's card says when the scope chosen is of a kind the report does not take. */
  otherScope?: string;
}> = [
  {
    kind: 'equity',
    path: '/reporting/equity',
    title: 'Who is and is not using services',
    description:
      'Staff who used an occupational health and wellbeing service, per 1,000 staff in post, by staff group, ethnic group, sex, age band and disability. It shows which groups may be missing out.',
    scopeKinds: ['organisation', 'system', 'national'],
  },
  {
    kind: 'kpis',
    path: '/reporting/kpis',
    title: 'Service measures (KPIs)',
    description:
      'What goes into the service (referrals, self-referrals, waits for a first appointment, missed appointments, caseload) and what comes out of it (fitness for work, timely reports, people at work, improvement in mood and anxiety).',
    scopeKinds: ['organisation', 'system', 'national'],
  },
  {
    kind: 'benchmark',
    path: '/reporting/benchmark',
    title: 'Benchmarking across the system',
    description:
      'The same service measures for every organisation of a system side by side, police and NHS alike, worked out the same way for each.',
    scopeKinds: ['system'],
    otherScope: 'Choose a system to compare its organisations.',
  },
  {
    kind: 'mds',
    path: '/reporting/dataset',
    title: 'Minimum dataset extract',
    description:
      'One row per episode of care, with no names and no dates of birth, to download as a spreadsheet (CSV) for your own analysis.',
    scopeKinds: ['organisation', 'system'],
    otherScope: 'Choose an organisation or a system: the extract is not made for the whole country.',
  },
  {
    kind: 'board',
    path: '/reporting/board',
    title: 'Board report',
    description:
      'A summary of the service for a board or a chief officer group, with charts, as a page, a PDF or a spreadsheet.',
    scopeKinds: ['organisation', 'system', 'national'],
  },
  {
    kind: 'benefits',
    path: '/reporting/benefits',
    title: 'Benefits realisation',
    description: 'The aims of the service, the measures that track them, and how far each has come.',
    // Aims are set by an organisation or a system, never for the whole country.
    scopeKinds: ['organisation', 'system'],
    otherScope: 'Aims are set by an organisation or a system: choose one to see its aims.',
  },
];
