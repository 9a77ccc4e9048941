import type { Actor } from '../../domain/access/roles.ts';
import { boardSummary, compareKpis, type KpiComparison } from '../../domain/reporting/board-summary.ts';
import { type Period, previousPeriod } from '../../domain/reporting/period.ts';
import {
  EQUITY_DIMENSIONS,
  type EquityReport,
  type KpiReport,
  type ReportScope,
} from '../../domain/reporting/report-types.ts';
import type { ServiceContext } from '../shared/context.ts';
import { aimsOfScope, type BenefitAimProgress } from './benefits.service.ts';
import { computeEquity } from './equity.service.ts';
import { benchmarkReport, computeKpis } from './kpi.service.ts';
import { boundsOf, periodBounds } from './period.ts';
import { resolveReportScope } from './scope.service.ts';

/**
 * The board report of one organisation, system or the country for one period: the KPIs beside
 * the previous period with the change, a plain-English summary of what changed, equity of
 * access on every dimension, a benchmark of a system's organisations, and the scope's
 * benefits-realisation aims. Every figure below national level has passed disclosure control.
 */
export type BoardReport = {
  scope: ReportScope;
  period: Period;
  previousPeriod: Period;
  /** When the report was made (ISO instant). */
  generatedAt: string;
  summary: string[];
  kpis: KpiComparison[];
  equity: EquityReport[];
  /** The KPIs of each organisation of a system, side by side; null for an organisation or the country. */
  benchmark: KpiReport[] | null;
  benefits: BenefitAimProgress[];
};

/** The board report (analyst, wellbeing lead, sysadmin with reach: canReport 'board'). */
export async function boardReport(
  ctx: ServiceContext,
  actor: Actor,
  input: { scope: string; from?: string; to?: string },
): Promise<BoardReport> {
  const period = periodBounds(ctx, input);
  const scope = await resolveReportScope(ctx, actor, 'board', input.scope);
  const before = boundsOf(previousPeriod(period));
  const [current, previous] = await Promise.all([
    computeKpis(ctx, scope, period),
    computeKpis(ctx, scope, before),
  ]);
  const equity: EquityReport[] = [];
  for (const dimension of EQUITY_DIMENSIONS) equity.push(await computeEquity(ctx, scope, dimension, period));
  const benchmark =
    scope.kind === 'system'
      ? (await benchmarkReport(ctx, actor, { scope: scope.slug, from: period.from, to: period.to }))
          .organisations
      : null;
  const kpis = compareKpis(current, previous);
  const { id: _id, organisationIds: _ids, ...shown } = scope;
  return {
    scope: shown,
    period: { from: period.from, to: period.to },
    previousPeriod: { from: before.from, to: before.to },
    generatedAt: ctx.now().toISOString(),
    summary: boardSummary(kpis),
    kpis,
    equity,
    benchmark,
    benefits: await aimsOfScope(ctx, scope),
  };
}
