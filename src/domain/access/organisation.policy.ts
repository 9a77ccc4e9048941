import { type Actor, hasRole } from './roles.ts';

/**
 * Who may add an organisation to a system: a sysadmin of that system. A system is
 * known here by the organisations already in it (a sysadmin's role is held in one of
 * them). Read from the grants, not from `systemOrganisationIds`, which may be a few
 * seconds old (auth.service caches actors) and miss an organisation added a moment ago.
 */
export function canAddOrganisation(actor: Actor, system: { organisationIds: readonly string[] }): boolean {
  return actor.grants.some((g) => g.role === 'sysadmin' && system.organisationIds.includes(g.organisationId));
}

/** Whether the actor administers any system at all (only they learn whether a system exists). */
export function isSystemAdministrator(actor: Actor): boolean {
  return hasRole(actor, 'sysadmin');
}

/**
 * An organisation as the staff-import policy sees it. Read from the database at the time
 * of asking, so an organisation added a moment ago is already covered by its system's
 * sysadmins (the actor's own lists may be a few seconds old: auth.service caches them).
 */
export type OrganisationSituation = {
  organisationId: string;
  /** Every organisation of its system, itself included. */
  systemOrganisationIds: readonly string[];
  /** The organisations hosting the OH providers that serve it. */
  providerHostIds: readonly string[];
};

function isSysadminOf(actor: Actor, organisation: OrganisationSituation): boolean {
  return actor.grants.some(
    (g) => g.role === 'sysadmin' && organisation.systemOrganisationIds.includes(g.organisationId),
  );
}

/**
 * Who may load an organisation's staff feed: a sysadmin of its system, or an OH
 * administrator of a provider that serves it (they keep the staff list their service
 * uses). An OH clinician or physician may not, nor an OH administrator of another provider.
 */
export function canImportStaff(actor: Actor, organisation: OrganisationSituation): boolean {
  return (
    isSysadminOf(actor, organisation) ||
    actor.grants.some((g) => g.role === 'oh-admin' && organisation.providerHostIds.includes(g.organisationId))
  );
}

/**
 * Whether the actor may know that an organisation exists: they hold a role in it, an
 * OH provider of theirs serves it, or they administer its system. Others get "not found".
 */
export function canSeeOrganisation(actor: Actor, organisation: OrganisationSituation): boolean {
  return (
    actor.grants.some((g) => g.organisationId === organisation.organisationId) ||
    actor.ohOrganisationIds.includes(organisation.organisationId) ||
    isSysadminOf(actor, organisation)
  );
}
