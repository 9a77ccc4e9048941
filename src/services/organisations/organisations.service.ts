import { asc, eq, inArray } from 'drizzle-orm';
import { organisations, systems } from '../../db/schema.ts';
import { canAddOrganisation, isSystemAdministrator } from '../../domain/access/organisation.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { Conflict, Forbidden, Invalid, RuleRefused } from '../../domain/shared/errors.ts';
import {
  type OrganisationInput,
  organisationInputErrors,
  RESERVED_SLUGS,
} from '../../domain/workforce/organisation.rules.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';

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

/** An organisation as the API returns it: `system` is the slug of its system. */
export type OrganisationCreated = { id: string; slug: string; name: string; kind: string; system: string };

/**
 * Adds an organisation to a system (API.md: `POST /api/v1/organisations`). A sysadmin of
 * that system only. Bad fields are 400, an unknown system 422, a slug already taken (by
 * an organisation or a system, or reserved for reports) 409. Organisations hold no
 * clinical data, so no audit row is written.
 */
export async function createOrganisation(
  ctx: ServiceContext,
  actor: Actor,
  raw: OrganisationInput,
): Promise<OrganisationCreated> {
  const input: OrganisationInput = {
    slug: raw.slug.trim(),
    name: raw.name.trim().replace(/\s+/g, ' '),
    kind: raw.kind.trim(),
    system: raw.system.trim(),
  };
  const errors = organisationInputErrors(input);
  if (errors.length > 0) throw new Invalid('Check the organisation’s details.', errors);
  // Only a sysadmin learns whether a system exists.
  if (!isSystemAdministrator(actor))
    throw new Forbidden('Only a system administrator can add an organisation.');
  // Systems and organisations are outside the row-level security wall (reference data),
  // so the actor's own scope is enough: nothing here reads or writes anyone's record.
  return inTransaction(ctx, actor, async (tx) => {
    const [system] = await tx
      .select({ id: systems.id, slug: systems.slug })
      .from(systems)
      .where(eq(systems.slug, input.system))
      .limit(1);
    if (!system) {
      throw new RuleRefused(`There is no system called “${input.system}”.`, [
        { path: '/system', message: `Choose an existing system; there is none called “${input.system}”` },
      ]);
    }
    const members = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.systemId, system.id));
    if (!canAddOrganisation(actor, { organisationIds: members.map((m) => m.id) })) {
      throw new Forbidden('Only a system administrator of that system can add an organisation to it.');
    }
    const [systemWithSlug] = await tx
      .select({ id: systems.id })
      .from(systems)
      .where(eq(systems.slug, input.slug))
      .limit(1);
    // A report scope is an organisation's or a system's slug, so the two may not share one.
    if (RESERVED_SLUGS.includes(input.slug) || systemWithSlug) {
      throw new Conflict(`The slug “${input.slug}” is already in use. Choose another.`);
    }
    const id = ctx.newId();
    const inserted = await tx
      .insert(organisations)
      .values({ id, slug: input.slug, name: input.name, kind: input.kind, systemId: system.id })
      .onConflictDoNothing({ target: organisations.slug })
      .returning({ id: organisations.id });
    if (inserted.length === 0) {
      throw new Conflict(`An organisation with the slug “${input.slug}” already exists. Choose another.`);
    }
    return { id, slug: input.slug, name: input.name, kind: input.kind, system: system.slug };
  });
}

/** A system a sysadmin administers, with its organisations (the organisations page). */
export type AdministeredSystem = {
  slug: string;
  name: string;
  organisations: Array<{ id: string; slug: string; name: string; kind: string }>;
};

/** The systems the actor administers and their organisations, by name; empty for anyone else. */
export async function listAdministeredSystems(
  ctx: ServiceContext,
  actor: Actor,
): Promise<AdministeredSystem[]> {
  const sysadminOf = actor.grants.filter((g) => g.role === 'sysadmin').map((g) => g.organisationId);
  if (sysadminOf.length === 0) return [];
  // From the grants, not `systemOrganisationIds` (cached for a few seconds): an
  // organisation just added shows at once.
  const administered = ctx.db
    .selectDistinct({ id: organisations.systemId })
    .from(organisations)
    .where(inArray(organisations.id, sysadminOf));
  const rows = await ctx.db
    .select({
      systemSlug: systems.slug,
      systemName: systems.name,
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      kind: organisations.kind,
    })
    .from(organisations)
    .innerJoin(systems, eq(systems.id, organisations.systemId))
    .where(inArray(organisations.systemId, administered))
    .orderBy(asc(systems.name), asc(organisations.name));
  const bySystem = new Map<string, AdministeredSystem>();
  for (const row of rows) {
    const system = bySystem.get(row.systemSlug) ?? {
      slug: row.systemSlug,
      name: row.systemName,
      organisations: [],
    };
    system.organisations.push({ id: row.id, slug: row.slug, name: row.name, kind: row.kind });
    bySystem.set(row.systemSlug, system);
  }
  return [...bySystem.values()];
}
