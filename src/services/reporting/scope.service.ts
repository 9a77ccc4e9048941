import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { organisations, systems } from '../../db/schema.ts';
import { canReport, type ReportKind, type ScopeSituation } from '../../domain/access/reporting.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import type { ReportScope } from '../../domain/reporting/report-types.ts';
import { Forbidden, NotFound } from '../../domain/shared/errors.ts';
import { organisationsScope, type Reach, type ServiceContext, systemScope } from '../shared/context.ts';

/** The slug that means the whole country (every organisation; no disclosure control, per DOMAIN.md). */
export const NATIONAL_SCOPE = 'national';

/** A PostgreSQL array literal of ids, for `= any($n::uuid[])` (one parameter, whatever the count). */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/** A scope with the organisations it covers. */
export type ResolvedScope = ReportScope & {
  /** The organisation's or system's id; null for the country. */
  id: string | null;
  organisationIds: string[];
};

/**
 * The row-level security scope a report's statements run under: exactly the report's
 * organisations, which the reporting policy allowed (not the actor's own reach, which may
 * be narrower, as an ICB analyst's is for the system, or wider, as an OH administrator's is
 * for one organisation's KPIs). The whole country runs in system scope (`national-report`):
 * its organisations are all of them. The statements filter by the same organisations; the
 * scope is the wall behind that filter.
 */
export function reportReach(scope: ResolvedScope): Reach {
  return scope.kind === 'national'
    ? systemScope('national-report')
    : organisationsScope('report', scope.organisationIds);
}

function organisationsWhere(ctx: ServiceContext, where: SQL | undefined) {
  return ctx.db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      kind: organisations.kind,
      systemId: organisations.systemId,
    })
    .from(organisations)
    .where(where)
    .orderBy(asc(organisations.name));
}

/**
 * The scope a report is asked for, by organisation or system slug or `national`, once the
 * actor is allowed it. A scope the actor may not see is "not found" when it belongs to no
 * organisation of theirs (never reveal what exists elsewhere), and "forbidden" when they
 * belong to it but their role does not run this report.
 */
export async function resolveReportScope(
  ctx: ServiceContext,
  actor: Actor,
  report: ReportKind,
  slug: string,
): Promise<ResolvedScope> {
  const { scope, situation } = await findScope(ctx, slug);
  if (scope === null || situation === null) throw new NotFound(`No organisation or system called "${slug}".`);
  if (!canReport(actor, report, situation)) {
    // Organisations the actor belongs to, serves or administers exist for them: say "not allowed".
    const known = [
      ...actor.grants.map((g) => g.organisationId),
      ...actor.ohOrganisationIds,
      ...actor.systemOrganisationIds,
    ];
    const mine = scope.organisationIds.some((id) => known.includes(id));
    if (scope.kind === 'national' || mine) {
      throw new Forbidden(`Your role cannot run this report for ${scope.name}.`);
    }
    throw new NotFound(`No organisation or system called "${slug}".`);
  }
  return scope;
}

async function findScope(
  ctx: ServiceContext,
  slug: string,
): Promise<{ scope: ResolvedScope | null; situation: ScopeSituation | null }> {
  if (slug === NATIONAL_SCOPE) {
    const all = await organisationsWhere(ctx, undefined);
    return {
      scope: {
        kind: 'national',
        slug,
        name: 'All organisations (national)',
        organisationKind: null,
        controlled: false,
        id: null,
        organisationIds: all.map((o) => o.id),
      },
      situation: { kind: 'national' },
    };
  }
  const [organisation] = await organisationsWhere(ctx, eq(organisations.slug, slug));
  if (organisation) {
    const icbs = await organisationsWhere(
      ctx,
      and(eq(organisations.systemId, organisation.systemId), eq(organisations.kind, 'icb')),
    );
    return {
      scope: {
        kind: 'organisation',
        slug,
        name: organisation.name,
        organisationKind: organisation.kind,
        controlled: true,
        id: organisation.id,
        organisationIds: [organisation.id],
      },
      situation: {
        kind: 'organisation',
        organisationId: organisation.id,
        icbOrganisationIds: icbs.map((o) => o.id),
      },
    };
  }
  const [system] = await ctx.db
    .select({ id: systems.id, name: systems.name })
    .from(systems)
    .where(eq(systems.slug, slug));
  if (!system) return { scope: null, situation: null };
  const members = await organisationsWhere(ctx, eq(organisations.systemId, system.id));
  return {
    scope: {
      kind: 'system',
      slug,
      name: system.name,
      organisationKind: null,
      controlled: true,
      id: system.id,
      organisationIds: members.map((o) => o.id),
    },
    situation: {
      kind: 'system',
      organisationIds: members.map((o) => o.id),
      icbOrganisationIds: members.filter((o) => o.kind === 'icb').map((o) => o.id),
    },
  };
}

/**
 * The scopes an actor may choose for a report, for the pages' pickers: the systems they
 * reach, then organisations, then the country when allowed.
 */
export async function listReportScopes(
  ctx: ServiceContext,
  actor: Actor,
  report: ReportKind,
): Promise<ReportScope[]> {
  const granted = [...new Set([...actor.grants.map((g) => g.organisationId), ...actor.ohOrganisationIds])];
  if (granted.length === 0) return [];
  const reached = await ctx.db
    .selectDistinct({ id: systems.id, slug: systems.slug })
    .from(systems)
    .innerJoin(organisations, eq(organisations.systemId, systems.id))
    .where(inArray(organisations.id, granted))
    .orderBy(asc(systems.slug));
  const candidates: string[] = [];
  for (const system of reached) {
    candidates.push(system.slug);
    const members = await organisationsWhere(ctx, eq(organisations.systemId, system.id));
    candidates.push(...members.map((o) => o.slug));
  }
  candidates.push(NATIONAL_SCOPE);
  const scopes: ReportScope[] = [];
  for (const slug of candidates) {
    const { scope, situation } = await findScope(ctx, slug);
    if (scope && situation && canReport(actor, report, situation)) {
      const { id: _id, organisationIds: _ids, ...shown } = scope;
      scopes.push(shown);
    }
  }
  return scopes;
}
