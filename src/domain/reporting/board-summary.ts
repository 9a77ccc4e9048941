import { type Shown, SUPPRESSED } from './disclosure.ts';
import type { KpiReport } from './report-types.ts';

/**
 * The board report's comparison of this period with the one before, and the plain-English
 * summary of what changed. Pure: the report service passes in two KPI reports that have
 * already passed disclosure control, so nothing here ever sees a true small number — and
 * nothing compares a suppressed value: where either side is `*` the words say
 * "too few to compare" instead.
 */

/** How a figure reads: a count of people or events, a percentage, a number of days, a rate per 1,000. */
export type FigureUnit = 'count' | 'percent' | 'days' | 'rate';

/** One KPI as the board report shows it. */
export type BoardKpi = {
  key: string;
  /** The row label in tables and the CSV. */
  label: string;
  /** A short name inside a sentence ("the did-not-attend rate"). */
  name: string;
  unit: Exclude<FigureUnit, 'rate'>;
  /** The subject of a summary sentence ("Referrals", "The median wait for a first appointment"). */
  subject: string;
  /** Whether the summary mentions it (the fitness categories stay in the table only). */
  inSummary: boolean;
  value: (report: KpiReport) => Shown;
};

/** The KPIs of the board report, in the order of the table. */
export const BOARD_KPIS: readonly BoardKpi[] = [
  {
    key: 'referrals',
    name: 'referrals',
    label: 'Referrals received',
    unit: 'count',
    subject: 'Referrals',
    inSummary: true,
    value: (r) => r.input.referrals,
  },
  {
    key: 'selfReferralPercent',
    name: 'self-referrals',
    label: 'Self-referrals (% of referrals)',
    unit: 'percent',
    subject: 'The share of referrals that were self-referrals',
    inSummary: true,
    value: (r) => r.input.selfReferrals.percent,
  },
  {
    key: 'medianDaysToFirstAppointment',
    name: 'the median wait for a first appointment',
    label: 'Median days from referral to first appointment',
    unit: 'days',
    subject: 'The median wait for a first appointment',
    inSummary: true,
    value: (r) => r.input.daysToFirstAppointment.median,
  },
  {
    key: 'p90DaysToFirstAppointment',
    name: 'the 90th centile wait for a first appointment',
    label: '90th centile days from referral to first appointment',
    unit: 'days',
    subject: 'The wait within which 9 in 10 people had a first appointment',
    inSummary: true,
    value: (r) => r.input.daysToFirstAppointment.p90,
  },
  {
    key: 'didNotAttendPercent',
    name: 'the did-not-attend rate',
    label: 'Did-not-attend rate (% of appointments)',
    unit: 'percent',
    subject: 'The share of appointments missed without notice',
    inSummary: true,
    value: (r) => r.input.didNotAttend.percent,
  },
  {
    key: 'caseload',
    name: 'open cases',
    label: 'Open cases at the end of the period',
    unit: 'count',
    subject: 'Open cases at the end of the period',
    inSummary: true,
    value: (r) => r.input.caseload,
  },
  {
    key: 'outcomesTotal',
    name: 'fitness-for-work outcomes',
    label: 'Fitness-for-work outcomes recorded',
    unit: 'count',
    subject: 'Fitness-for-work outcomes recorded',
    inSummary: true,
    value: (r) => r.output.outcomesTotal,
  },
  {
    key: 'reportsWithin21DaysPercent',
    name: 'reports released within 21 days',
    label: 'Reports released within 21 days (%)',
    unit: 'percent',
    subject: 'The share of reports released within 21 days of the consultation',
    inSummary: true,
    value: (r) => r.output.reportsReleasedWithin21Days.percent,
  },
  {
    key: 'atWorkAtClosurePercent',
    name: 'people at work when their episode closed',
    label: 'At work when the episode closed (%)',
    unit: 'percent',
    subject: 'The share of people at work when their episode of care closed',
    inSummary: true,
    value: (r) => r.output.atWorkAtClosure.percent,
  },
  {
    key: 'reliableImprovementPercent',
    name: 'PHQ-9/GAD-7 reliable improvement',
    label: 'PHQ-9/GAD-7 reliable improvement (%)',
    unit: 'percent',
    subject: 'The share of people whose PHQ-9 or GAD-7 scores reliably improved',
    inSummary: true,
    value: (r) => r.output.reliableImprovement.percent,
  },
];

/** The change from the previous period: too few to compare, the same, or up/down by how much. */
export type Change =
  | { kind: 'too-few' }
  | { kind: 'same' }
  | {
      kind: 'up' | 'down';
      /** The absolute difference (percentage points for a percentage). */
      by: number;
      /** For a count, the change as a whole percentage of the previous value; null from 0. */
      percent: number | null;
    };

/** One KPI this period and the period before. */
export type KpiComparison = {
  key: string;
  label: string;
  name: string;
  unit: BoardKpi['unit'];
  subject: string;
  inSummary: boolean;
  current: Shown;
  previous: Shown;
  change: Change;
};

/** The change between two shown values; never computed from a suppressed one. */
export function changeBetween(previous: Shown, current: Shown): Change {
  if (previous === SUPPRESSED || current === SUPPRESSED) return { kind: 'too-few' };
  const by = Math.round(Math.abs(current - previous) * 10) / 10;
  if (by === 0) return { kind: 'same' };
  const percent = previous === 0 ? null : Math.round((Math.abs(current - previous) / previous) * 100);
  return { kind: current > previous ? 'up' : 'down', by, percent };
}

/**
 * Every KPI of the board report with its previous value and the change, followed by the
 * fitness-for-work outcomes by category (in the table, not the summary).
 */
export function compareKpis(current: KpiReport, previous: KpiReport): KpiComparison[] {
  const rows: KpiComparison[] = BOARD_KPIS.map((kpi) => {
    const now = kpi.value(current);
    const before = kpi.value(previous);
    return {
      key: kpi.key,
      label: kpi.label,
      name: kpi.name,
      unit: kpi.unit,
      subject: kpi.subject,
      inSummary: kpi.inSummary,
      current: now,
      previous: before,
      change: changeBetween(before, now),
    };
  });
  for (const outcome of current.output.outcomesByFitness) {
    const before = previous.output.outcomesByFitness.find((o) => o.fitness === outcome.fitness)?.count ?? 0;
    rows.push({
      key: `outcome:${outcome.fitness}`,
      label: `Outcome: ${outcome.label}`,
      name: `outcomes of "${outcome.label}"`,
      unit: 'count',
      subject: `Outcomes of "${outcome.label}"`,
      inSummary: false,
      current: outcome.count,
      previous: before,
      change: changeBetween(before, outcome.count),
    });
  }
  return rows;
}

const grouped = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A number in UK style: thousands separated, at most one decimal place ("1,450", "9.5"). */
export function formatNumber(value: number): string {
  return grouped.format(value);
}

/**
 * A shown figure as the tables print it: `*` when suppressed; counts as "1,450", percentages
 * as "38.5%", days as "9 days", rates per 1,000 always with one decimal ("12.0") — so only a
 * count is ever printed as a bare whole number.
 */
export function formatShown(value: Shown, unit: FigureUnit): string {
  if (value === SUPPRESSED) return SUPPRESSED;
  switch (unit) {
    case 'count':
      return formatNumber(value);
    case 'percent':
      return `${formatNumber(value)}%`;
    case 'days':
      return `${formatNumber(value)} ${value === 1 ? 'day' : 'days'}`;
    case 'rate':
      return oneDecimal.format(value);
  }
}

/** The change column of the KPI table: "Up 21%", "Down 1.5 percentage points", "No change", "Too few to compare". */
export function changeText(comparison: Pick<KpiComparison, 'unit' | 'change'>): string {
  const { change, unit } = comparison;
  switch (change.kind) {
    case 'too-few':
      return 'Too few to compare';
    case 'same':
      return 'No change';
    case 'up':
    case 'down': {
      const word = change.kind === 'up' ? 'Up' : 'Down';
      if (unit === 'percent') return `${word} ${points(change.by)}`;
      if (unit === 'days') return `${word} ${formatShown(change.by, 'days')}`;
      return change.percent === null ? `${word} from 0` : `${word} ${percentWords(change.percent)}`;
    }
  }
}

function points(by: number): string {
  return `${formatNumber(by)} percentage ${by === 1 ? 'point' : 'points'}`;
}

function percentWords(percent: number): string {
  return percent === 0 ? 'less than 1%' : `${formatNumber(percent)}%`;
}

/** One sentence on one KPI that can be compared. */
function sentence(c: KpiComparison): string {
  const { change } = c;
  const value = (v: Shown) => (c.unit === 'days' ? formatNumber(v as number) : formatShown(v, c.unit));
  const unitAfter = c.unit === 'days' ? ` ${c.current === 1 ? 'day' : 'days'}` : '';
  if (change.kind === 'same') return `${c.subject} stayed at ${value(c.current)}${unitAfter}.`;
  if (change.kind === 'too-few') return '';
  const verb = change.kind === 'up' ? 'rose' : 'fell';
  const direction = change.kind === 'up' ? 'up' : 'down';
  const range = `from ${value(c.previous)} to ${value(c.current)}${unitAfter}`;
  if (c.unit === 'percent') return `${c.subject} ${verb} ${range} (${direction} ${points(change.by)}).`;
  if (c.unit === 'days') return `${c.subject} ${verb} ${range}.`;
  if (change.percent === null) return `${c.subject} ${verb} ${range}.`;
  return `${c.subject} ${verb} ${range} (${direction} ${percentWords(change.percent)}).`;
}

/** "a, b and c" */
function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * What changed since the previous period, in plain English, one sentence per KPI of the
 * summary, e.g. "Referrals rose from 1,200 to 1,450 (up 21%)." KPIs where either period is
 * suppressed are never compared: they are named together in one last sentence,
 * "Too few to compare with the previous period: …".
 */
export function boardSummary(comparisons: readonly KpiComparison[]): string[] {
  const inSummary = comparisons.filter((c) => c.inSummary);
  const sentences = inSummary.filter((c) => c.change.kind !== 'too-few').map(sentence);
  const tooFew = inSummary.filter((c) => c.change.kind === 'too-few');
  if (tooFew.length > 0) {
    sentences.push(`Too few to compare with the previous period: ${listInWords(tooFew.map((c) => c.name))}.`);
  }
  return sentences;
}
