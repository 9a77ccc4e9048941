/** The eight roles of PRODUCT.md. A user holds roles per organisation. */
export const ROLES = [
  'employee',
  'manager',
  'oh-admin',
  'oh-clinician',
  'oh-physician',
  'wellbeing-lead',
  'analyst',
  'sysadmin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work inside an OH provider and see clinical records of the organisations it serves. */
export const OH_ROLES: readonly Role[] = ['oh-admin', 'oh-clinician', 'oh-physician'];
/** Roles that consult and write clinical records. */
export const CLINICAL_ROLES: readonly Role[] = ['oh-clinician', 'oh-physician'];

export const ROLE_LABELS: Record<Role, string> = {
  employee: 'Employee',
  manager: 'Line manager',
  'oh-admin': 'OH administrator',
  'oh-clinician': 'OH clinician',
  'oh-physician': 'OH physician',
  'wellbeing-lead': 'Wellbeing lead',
  analyst: 'System analyst',
  sysadmin: 'System administrator',
};

export type RoleGrant = { role: Role; organisationId: string };

/**
 * Who is acting. Built once per request from the session or token.
 * `ohOrganisationIds` are the organisations served by the OH providers the
 * actor works in (through an OH role); `systemOrganisationIds` are the organisations
 * of the systems where the actor is a sysadmin.
 */
export type Actor = {
  userId: string;
  personId: string | null;
  /** The organisation of the actor's own staff record (null without one). */
  personOrganisationId: string | null;
  name: string;
  grants: RoleGrant[];
  ohOrganisationIds: string[];
  /** Organisations reached through a clinical role (oh-clinician, oh-physician) — not through oh-admin. */
  clinicalOrganisationIds: string[];
  /** Organisations reached through the oh-physician role. */
  physicianOrganisationIds: string[];
  systemOrganisationIds: string[];
};

/** True when the actor holds the role in any organisation. */
export function hasRole(actor: Actor, role: Role): boolean {
  return actor.grants.some((g) => g.role === role);
}

/** True when the actor holds any of the roles in any organisation. */
export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.grants.some((g) => roles.includes(g.role));
}

/**
 * The OH role an actor acts in for an organisation: the most senior one whose
 * provider serves it (physician, clinician, administrator), or null.
 */
export function ohRoleFor(actor: Actor, organisationId: string): Role | null {
  if (actor.physicianOrganisationIds.includes(organisationId)) return 'oh-physician';
  if (actor.clinicalOrganisationIds.includes(organisationId)) return 'oh-clinician';
  if (actor.ohOrganisationIds.includes(organisationId)) return 'oh-admin';
  return null;
}

/** Distinct roles of an actor, in the order of ROLES. */
export function rolesOf(actor: Pick<Actor, 'grants'>): Role[] {
  return ROLES.filter((r) => actor.grants.some((g) => g.role === r));
}

/**
 * Every organisation the actor may reach for any reason: their own staff record's,
 * those of their role grants, those their OH provider serves and those of the systems
 * they administer. It is all that the database's row-level security lets the actor's
 * queries see; the access policies (`case.policy.ts`) decide, record by record, what
 * the actor may see and do within it.
 */
export function organisationsReached(
  actor: Pick<Actor, 'personOrganisationId' | 'grants' | 'ohOrganisationIds' | 'systemOrganisationIds'>,
): string[] {
  const reached = new Set<string>(actor.personOrganisationId ? [actor.personOrganisationId] : []);
  for (const grant of actor.grants) reached.add(grant.organisationId);
  for (const id of actor.ohOrganisationIds) reached.add(id);
  for (const id of actor.systemOrganisationIds) reached.add(id);
  return [...reached].sort();
}
