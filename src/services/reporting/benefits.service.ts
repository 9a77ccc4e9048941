import { and, asc, eq, isNull } from 'drizzle-orm';
import { benefitAims, organisations, users } from '../../db/schema.ts';
import { REPORT_ROLES } from '../../domain/access/reporting.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  AIM_STATUS_LABELS,
  type AimDirection,
  type AimInput,
  type AimPlan,
  type AimStatus,
  aimErrors,
  expectedValue,
  judgeAim,
  MEASURE_UNITS,
  type Quarter,
  trackedQuarters,
} from '../../domain/reporting/benefits.rules.ts';
import type { Shown } from '../../domain/reporting/disclosure.ts';
import {
  type KpiReport,
  measureValue,
  type ReportScope,
  TRACKABLE_MEASURES,
  type TrackableMeasure,
} from '../../domain/reporting/report-types.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { londonDate } from '../../domain/time/london.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { computeKpis } from './kpi.service.ts';
import { boundsOf } from './period.ts';
import { type ResolvedScope, reportReach, resolveReportScope } from './scope.service.ts';

/** One quarter of an aim's tracking: the measure as shown, and where the aim expected it. */
export type AimQuarter = Quarter & { value: Shown; expected: number };

/** An aim with its progress, as the API, the pages and the board report show it. */
export type BenefitAimProgress = {
  id: string;
  name: string;
  measure: TrackableMeasure;
  measureLabel: string;
  unit: 'count' | 'percent' | 'days';
  direction: AimDirection;
  baseline: { value: number; from: string; to: string };
  target: { value: number; date: string };
  createdAt: string;
  createdBy: string;
  /** Quarter by quarter from the baseline to today, oldest first (a part quarter is never judged). */
  quarters: AimQuarter[];
  status: AimStatus;
  statusLabel: string;
  reason: string;
};

const notNational = () =>
  new Invalid('Aims belong to an organisation or a system, not the whole country.', [
    { path: '/scope', message: 'Choose an organisation or a system.' },
  ]);

/**
 * The benefits-realisation aims of an organisation or system, each with its quarterly
 * progress (wellbeing lead, analyst, sysadmin with reach: canReport 'benefits').
 */
export async function listBenefitAims(
  ctx: ServiceContext,
  actor: Actor,
  input: { scope: string },
): Promise<{ scope: ReportScope; aims: BenefitAimProgress[] }> {
  const scope = await resolveReportScope(ctx, actor, 'benefits', input.scope);
  if (scope.kind === 'national') throw notNational();
  const { id: _id, organisationIds: _ids, ...shown } = scope;
  return { scope: shown, aims: await aimsOfScope(ctx, scope) };
}

/** A new aim as the API and the form send it. */
export type NewBenefitAim = Omit<AimInput, 'baselineValue' | 'targetValue'> & {
  scope: string;
  baselineValue: number | null;
  targetValue: number | null;
};

/**
 * Sets a benefits-realisation aim for an organisation or system: checks the actor may report
 * on the scope, validates the aim (benefits.rules), stores and audits it, and returns it with
 * its progress so far.
 */
export async function createBenefitAim(
  ctx: ServiceContext,
  actor: Actor,
  input: NewBenefitAim,
): Promise<BenefitAimProgress> {
  const scope = await resolveReportScope(ctx, actor, 'benefits', input.scope);
  if (scope.kind === 'national' || scope.id === null) throw notNational();
  const errors = aimErrors(input, londonDate(ctx.now()));
  if (errors.length > 0) throw new Invalid('The aim is not complete or not consistent.', errors);
  const scopeId = scope.id;
  const id = ctx.newId();
  // Under the scope of the report the aim belongs to: its organisation, or every
  // organisation of its system (a system's aim needs all of them, migration 0010).
  await inTransaction(ctx, reportReach(scope), async (tx) => {
    let systemId = scopeId;
    let organisationId: string | null = null;
    if (scope.kind === 'organisation') {
      const [organisation] = await tx
        .select({ systemId: organisations.systemId })
        .from(organisations)
        .where(eq(organisations.id, scopeId));
      if (!organisation) throw new Invalid('The organisation no longer exists.', []);
      systemId = organisation.systemId;
      organisationId = scopeId;
    }
    await tx.insert(benefitAims).values({
      id,
      systemId,
      organisationId,
      createdByUserId: actor.userId,
      name: input.name.trim(),
      measure: input.measure,
      baselineValue: input.baselineValue as number,
      baselineFrom: input.baselineFrom,
      baselineTo: input.baselineTo,
      targetValue: input.targetValue as number,
      targetDate: input.targetDate,
      direction: input.direction,
      createdAt: ctx.now(),
    });
    await recordAudit(tx, ctx, actor, {
      action: 'benefit-aim.create',
      recordType: 'benefit-aim',
      recordId: id,
      organisationId,
      role: actor.grants.find((g) => REPORT_ROLES.benefits.includes(g.role))?.role ?? null,
      reason: `${scope.slug}: ${input.measure}`,
    });
  });
  const aims = await aimsOfScope(ctx, scope);
  const created = aims.find((a) => a.id === id);
  if (!created) throw new Error('The aim just stored was not found.');
  return created;
}

/**
 * The aims of a resolved scope (permission already checked) with their progress: the KPIs
 * of each quarter are computed once for the scope and shared by every aim that tracks it.
 */
export async function aimsOfScope(ctx: ServiceContext, scope: ResolvedScope): Promise<BenefitAimProgress[]> {
  if (scope.kind === 'national' || scope.id === null) return [];
  const where =
    scope.kind === 'organisation'
      ? eq(benefitAims.organisationId, scope.id)
      : and(eq(benefitAims.systemId, scope.id), isNull(benefitAims.organisationId));
  const rows = await inTransaction(ctx, reportReach(scope), (tx) =>
    tx
      .select({ aim: benefitAims, createdBy: users.displayName })
      .from(benefitAims)
      .innerJoin(users, eq(users.id, benefitAims.createdByUserId))
      .where(where)
      .orderBy(asc(benefitAims.createdAt), asc(benefitAims.name)),
  );
  const today = londonDate(ctx.now());
  const kpis = new Map<string, Promise<KpiReport>>();
  const kpisOf = (quarter: Quarter) => {
    const key = `${quarter.from}/${quarter.to}`;
    let report = kpis.get(key);
    if (!report) {
      report = computeKpis(ctx, scope, boundsOf({ from: quarter.from, to: quarter.to }));
      kpis.set(key, report);
    }
    return report;
  };
  const result: BenefitAimProgress[] = [];
  for (const { aim, createdBy } of rows) {
    // Stored measures were validated against TRACKABLE_MEASURES when the aim was set.
    const measure = aim.measure as TrackableMeasure;
    const plan: AimPlan = {
      measure,
      direction: aim.direction as AimDirection,
      baselineValue: aim.baselineValue,
      baselineTo: aim.baselineTo,
      targetValue: aim.targetValue,
      targetDate: aim.targetDate,
    };
    const quarters: AimQuarter[] = [];
    for (const quarter of trackedQuarters(plan, today)) {
      const value = measureValue(await kpisOf(quarter), measure);
      quarters.push({ ...quarter, value, expected: expectedValue(plan, quarter.to) });
    }
    const judgement = judgeAim(
      plan,
      quarters.map((q) => ({ quarter: q, value: q.value })),
    );
    result.push({
      id: aim.id,
      name: aim.name,
      measure,
      measureLabel: TRACKABLE_MEASURES[measure] ?? aim.measure,
      unit: MEASURE_UNITS[measure] ?? 'count',
      direction: plan.direction,
      baseline: { value: aim.baselineValue, from: aim.baselineFrom, to: aim.baselineTo },
      target: { value: aim.targetValue, date: aim.targetDate },
      createdAt: aim.createdAt.toISOString(),
      createdBy,
      quarters,
      status: judgement.status,
      statusLabel: AIM_STATUS_LABELS[judgement.status],
      reason: judgement.reason,
    });
  }
  return result;
}
