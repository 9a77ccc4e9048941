import type { ReportKind } from '../../domain/access/reporting.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { FITNESS_LABELS, FITNESS_OUTCOMES } from '../../domain/cases/case.rules.ts';
import {
  controlCounts,
  type Shown,
  showLoneCount,
  showRate,
  showStatistic,
} from '../../domain/reporting/disclosure.ts';
import type { Period } from '../../domain/reporting/period.ts';
import type { CountShare, KpiReport, ReportScope } from '../../domain/reporting/report-types.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { kpiTotals, refreshKpiDaysOf } from './kpi-days.service.ts';
import { type PeriodBounds, periodBounds } from './period.ts';
import { type ResolvedScope, reportReach, resolveReportScope } from './scope.service.ts';

/** The input and output KPIs of a scope for a period, with disclosure control below national level. */
export async function kpiReport(
  ctx: ServiceContext,
  actor: Actor,
  input: { scope: string; from?: string; to?: string },
  report: ReportKind = 'kpis',
): Promise<KpiReport> {
  const period = periodBounds(ctx, input);
  const scope = await resolveReportScope(ctx, actor, report, input.scope);
  return computeKpis(ctx, scope, period);
}

/**
 * Benchmarking: the KPIs of every organisation of a system on the same definitions, side by
 * side (each organisation controlled on its own).
 */
export async function benchmarkReport(
  ctx: ServiceContext,
  actor: Actor,
  input: { scope: string; from?: string; to?: string },
): Promise<{ scope: ReportScope; period: Period; organisations: KpiReport[] }> {
  const period = periodBounds(ctx, input);
  const scope = await resolveReportScope(ctx, actor, 'benchmark', input.scope);
  if (scope.kind !== 'system') {
    throw new Invalid('Benchmarking compares the organisations of a system.', [
      { path: '/scope', message: 'Choose a system, not an organisation.' },
    ]);
  }
  const members = await Promise.all(
    scope.organisationIds.map((organisationId) => memberScope(ctx, organisationId)),
  );
  const organisations: KpiReport[] = [];
  for (const member of members) organisations.push(await computeKpis(ctx, member, period));
  organisations.sort((a, b) => a.scope.name.localeCompare(b.scope.name));
  const { id: _id, organisationIds: _ids, ...shown } = scope;
  return { scope: shown, period: { from: period.from, to: period.to }, organisations };
}

async function memberScope(ctx: ServiceContext, organisationId: string): Promise<ResolvedScope> {
  const [row] = await ctx.prepared<{ slug: string; name: string; kind: string }>(
    'ohwb_report_member',
    'select slug, name, kind from organisations where id = $1',
    [organisationId],
  );
  if (!row) throw new Error(`Organisation ${organisationId} vanished while benchmarking.`);
  return {
    kind: 'organisation',
    slug: row.slug,
    name: row.name,
    organisationKind: row.kind,
    controlled: true,
    id: organisationId,
    organisationIds: [organisationId],
  };
}

/** The KPIs of a resolved scope (permission already checked). */
export async function computeKpis(
  ctx: ServiceContext,
  scope: ResolvedScope,
  period: PeriodBounds,
): Promise<KpiReport> {
  const reach = reportReach(scope);
  await refreshKpiDaysOf(ctx, reach, scope.organisationIds);
  const totals = await inTransaction(ctx, reach, (tx) =>
    kpiTotals(ctx.preparedIn(tx), scope.organisationIds, period.from, period.to),
  );
  const controlled = scope.controlled;
  const share = (count: number, of: number): CountShare => {
    const shownCount = showLoneCount(count, controlled);
    const shownOf = showLoneCount(of, controlled);
    return { count: shownCount, of: shownOf, percent: showRate(shownCount, shownOf, of, 100, controlled) };
  };

  const fitness = totals.fitness as Record<string, number>;
  const fitnessCounts = FITNESS_OUTCOMES.map((f) => Number(fitness[f] ?? 0));
  const fitnessTotal = fitnessCounts.reduce((a, b) => a + b, 0);
  const fitnessShown = controlCounts(fitnessCounts, fitnessTotal, controlled);

  const waitEpisodes = totals.wait_episodes;
  const { id: _id, organisationIds: _ids, ...shownScope } = scope;
  return {
    scope: shownScope,
    period: { from: period.from, to: period.to },
    input: {
      referrals: showLoneCount(totals.referrals, controlled),
      selfReferrals: share(totals.self_referrals, totals.referrals),
      daysToFirstAppointment: {
        episodes: showLoneCount(waitEpisodes, controlled),
        median: showStatistic(nullableNumber(totals.median), waitEpisodes, controlled),
        p90: showStatistic(nullableNumber(totals.p90), waitEpisodes, controlled),
      },
      didNotAttend: share(totals.missed, totals.appointments),
      caseload: showLoneCount(totals.caseload, controlled),
    },
    output: {
      outcomesByFitness: FITNESS_OUTCOMES.map((f, i) => ({
        fitness: f,
        label: FITNESS_LABELS[f],
        count: fitnessShown.cells[i] as Shown,
      })),
      outcomesTotal: fitnessShown.total,
      reportsReleasedWithin21Days: share(totals.reports_timely, totals.reports_released),
      atWorkAtClosure: share(totals.closed_at_work, totals.closed),
      reliableImprovement: share(totals.improved, totals.improvement_episodes),
    },
  };
}

function nullableNumber(value: number | string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}
