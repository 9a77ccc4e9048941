import { equitySql } from '../../db/queries/reporting.query.ts';
import type { ReportKind } from '../../domain/access/reporting.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { controlCounts, type Shown, showRate } from '../../domain/reporting/disclosure.ts';
import { equityGroups } from '../../domain/reporting/equity.rules.ts';
import type { EquityDimension, EquityReport } from '../../domain/reporting/report-types.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { type PeriodBounds, periodBounds } from './period.ts';
import { type ResolvedScope, reportReach, resolveReportScope, uuidArray } from './scope.service.ts';

/**
 * Equity of access: for each group of a dimension, the staff in post in the period (the
 * workforce denominator), how many of them used an OH&WB service, and the use per 1,000
 * staff, with disclosure control below national level.
 */
export async function equityReport(
  ctx: ServiceContext,
  actor: Actor,
  input: { scope: string; dimension: EquityDimension; from?: string; to?: string },
  report: ReportKind = 'equity',
): Promise<EquityReport> {
  const period = periodBounds(ctx, input);
  const scope = await resolveReportScope(ctx, actor, report, input.scope);
  return computeEquity(ctx, scope, input.dimension, period);
}

/** The equity table of a resolved scope (permission already checked). */
export async function computeEquity(
  ctx: ServiceContext,
  scope: ResolvedScope,
  dimension: EquityDimension,
  period: PeriodBounds,
): Promise<EquityReport> {
  const rows = await inTransaction(ctx, reportReach(scope), (tx) =>
    ctx.preparedIn(tx)<{ key: string; workforce: number; people: number }>(
      `ohwb_equity_${dimension}`,
      equitySql(dimension),
      [uuidArray(scope.organisationIds), period.start, period.end, period.from, period.to],
    ),
  );
  const groups = equityGroups(
    dimension,
    rows.map((r) => ({ key: r.key, workforce: Number(r.workforce), people: Number(r.people) })),
  );
  const workforce = controlCounts(
    groups.map((g) => g.workforce),
    groups.reduce((sum, g) => sum + g.workforce, 0),
    scope.controlled,
  );
  const people = controlCounts(
    groups.map((g) => g.people),
    groups.reduce((sum, g) => sum + g.people, 0),
    scope.controlled,
  );
  const rate = (p: Shown, w: Shown, basis: number) => showRate(p, w, basis, 1000, scope.controlled);
  const totalWorkforce = groups.reduce((sum, g) => sum + g.workforce, 0);
  const { id: _id, organisationIds: _ids, ...shownScope } = scope;
  return {
    scope: shownScope,
    period: { from: period.from, to: period.to },
    dimension,
    rows: groups.map((g, i) => {
      const w = workforce.cells[i] as Shown;
      const p = people.cells[i] as Shown;
      return { group: g.group, workforce: w, people: p, ratePer1000: rate(p, w, g.workforce) };
    }),
    total: {
      workforce: workforce.total,
      people: people.total,
      ratePer1000: rate(people.total, workforce.total, totalWorkforce),
    },
  };
}
