import { stringify } from 'csv-stringify/sync';
import { BOARD_KPIS } from '../../../domain/reporting/board-summary.ts';
import type { Shown } from '../../../domain/reporting/disclosure.ts';
import { EQUITY_DIMENSION_LABELS } from '../../../domain/reporting/report-types.ts';
import type { BoardReport } from '../board.service.ts';

/**
 * The board report as CSV for a board analyst to paste into a spreadsheet: one row per
 * figure, every row saying what it is (scope, period, section, measure, group, unit), the
 * value this period and, for a KPI, the previous period. Figures are plain numbers (no
 * thousands separators, no "%"), or `*` where disclosure control suppressed them — exactly
 * the figures of the page and the PDF.
 */

export const BOARD_CSV_COLUMNS = [
  'scope',
  'period_from',
  'period_to',
  'section',
  'measure',
  'group',
  'unit',
  'current',
  'previous',
] as const;

type Cell = string | number;
const cell = (value: Shown | Cell | null | undefined): Cell =>
  value === null || value === undefined ? '' : value;

/** The rows of the CSV (without the header), in the order of the report. */
export function boardCsvRows(report: BoardReport): Cell[][] {
  const rows: Cell[][] = [];
  const add = (
    section: string,
    measure: string,
    group: string,
    unit: string,
    current: Shown | Cell | null,
    previous: Shown | Cell | null = null,
  ) =>
    rows.push([
      report.scope.name,
      report.period.from,
      report.period.to,
      section,
      measure,
      group,
      unit,
      cell(current),
      cell(previous),
    ]);

  for (const k of report.kpis) add('Key performance indicators', k.label, '', k.unit, k.current, k.previous);
  for (const equity of report.equity) {
    const section = `Equity of access: ${EQUITY_DIMENSION_LABELS[equity.dimension].toLowerCase()}`;
    for (const r of [...equity.rows, { group: 'Total', ...equity.total }]) {
      add(section, 'Staff in post', r.group, 'count', r.workforce);
      add(section, 'Staff who used a service', r.group, 'count', r.people);
      // A group with no staff has no rate: blank, not a suppression.
      add(
        section,
        'Used a service per 1,000 staff',
        r.group,
        'rate per 1,000',
        r.workforce === 0 ? null : r.ratePer1000,
      );
    }
  }
  for (const organisation of report.benchmark ?? []) {
    for (const kpi of BOARD_KPIS) {
      add('Benchmark', kpi.label, organisation.scope.name, kpi.unit, kpi.value(organisation));
    }
  }
  for (const aim of report.benefits) {
    const section = `Benefits realisation: ${aim.name}`;
    add(
      section,
      `${aim.measureLabel}: baseline`,
      `${aim.baseline.from} to ${aim.baseline.to}`,
      aim.unit,
      aim.baseline.value,
    );
    add(section, `${aim.measureLabel}: target`, `by ${aim.target.date}`, aim.unit, aim.target.value);
    for (const q of aim.quarters) add(section, aim.measureLabel, q.label, aim.unit, q.value);
    add(section, 'Status', aim.reason, 'status', aim.statusLabel);
  }
  return rows;
}

/** The CSV file: a header row, then one row per figure. */
export function boardCsv(report: BoardReport): string {
  return stringify([[...BOARD_CSV_COLUMNS], ...boardCsvRows(report)]);
}

/** A file name for a download: "board-report-northmoor-2025-04-01-to-2026-03-31.csv". */
export function boardFilename(
  report: Pick<BoardReport, 'scope' | 'period'>,
  extension: 'csv' | 'pdf',
): string {
  const slug = report.scope.slug.replace(/[^a-z0-9-]/gi, '');
  return `board-report-${slug}-${report.period.from}-to-${report.period.to}.${extension}`;
}
