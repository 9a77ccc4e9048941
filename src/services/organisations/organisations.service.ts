import { inArray } from 'drizzle-orm';
import { organisations, systems } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/roles.ts';
import type { ServiceContext } from '../shared/context.ts';

/** The organisations an actor belongs to or serves, for headers, filters and branding. */
export async function listVisibleOrganisations(ctx: ServiceContext, actor: Actor) {
  const ids = [...new Set([...actor.grants.map((g) => g.organisationId), ...actor.ohOrganisationIds])];
  if (ids.length === 0) return [];
  return ctx.db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      kind: organisations.kind,
    })
    .from(organisations)
    .where(inArray(organisations.id, ids))
    .orderBy(organisations.name);
}

/** Whether the database holds any system yet (an empty database gets the demo world on `npm start`). */
export async function isEmpty(ctx: ServiceContext): Promise<boolean> {
  const rows = await ctx.db.select({ id: systems.id }).from(systems).limit(1);
  return rows.length === 0;
}

/** Every organisation's id (for platform-wide operator tasks such as verifying the audit trail). */
export async function listAllOrganisationIds(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.db.select({ id: organisations.id }).from(organisations);
  return rows.map((r) => r.id);
}
