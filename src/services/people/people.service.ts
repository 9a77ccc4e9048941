import { and, asc, desc, eq, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { cases, organisations, pathwayRuleSets, people, tasks } from '../../db/schema.ts';
import { canReferPerson, isOhStaffFor } from '../../domain/access/case.policy.ts';
import { type Actor, hasAnyRole, hasRole, OH_ROLES, ohRoleFor } from '../../domain/access/roles.ts';
import { Forbidden, Invalid, NotFound } from '../../domain/shared/errors.ts';
import { auditRead } from '../audit/audit.service.ts';
import { type TaskItem, taskColumns, toTaskItem } from '../pathways/pathways.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { loadPerson, personDenial } from '../shared/lookups.ts';

export type PersonSummary = {
  id: string;
  name: string;
  organisationId: string;
  staffGroup: string;
  jobTitle: string;
  managerId: string | null;
};

const PAGE = 50;

function encodeCursor(p: { familyName: string; givenName: string; id: string }): string {
  return Buffer.from(JSON.stringify([p.familyName, p.givenName, p.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')) {
      return value as [string, string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new Invalid('The cursor is not valid.', [
    { path: '/cursor', message: 'Use the `next` value of a previous page' },
  ]);
}

/**
 * Finds staff by name or employee number. OH staff search the organisations their
 * provider serves; a manager sees their own team; a wellbeing lead their own
 * organisation, only to name the people at an incident; nobody else may search.
 */
export async function listPeople(
  ctx: ServiceContext,
  actor: Actor,
  query: {
    organisation?: string;
    q?: string;
    cursor?: string;
    limit?: number;
    teamOnly?: boolean;
    /** Naming the people at a traumatic incident: a wellbeing lead may then search their organisation. */
    forIncident?: boolean;
  },
): Promise<{ items: PersonSummary[]; next: string | null }> {
  const isOh = !query.teamOnly && hasAnyRole(actor, OH_ROLES) && actor.ohOrganisationIds.length > 0;
  const isManager = hasRole(actor, 'manager') && actor.personId !== null;
  // A wellbeing lead names the staff of their organisation involved in an incident (TRiM).
  const wellbeingOrganisationIds = query.forIncident
    ? actor.grants.filter((g) => g.role === 'wellbeing-lead').map((g) => g.organisationId)
    : [];
  if (!isOh && !isManager && wellbeingOrganisationIds.length === 0) {
    throw new Forbidden('Only OH staff and managers can look people up.');
  }
  const conditions: Array<SQL | undefined> = [];
  const reach: SQL[] = [];
  if (isOh) reach.push(inArray(people.organisationId, actor.ohOrganisationIds));
  if (isManager) reach.push(eq(people.managerId, actor.personId as string));
  if (wellbeingOrganisationIds.length > 0)
    reach.push(inArray(people.organisationId, wellbeingOrganisationIds));
  conditions.push(or(...reach));
  if (query.organisation) {
    const [org] = await ctx.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, query.organisation))
      .limit(1);
    const visible =
      org &&
      (actor.ohOrganisationIds.includes(org.id) || actor.grants.some((g) => g.organisationId === org.id));
    if (!org || !visible) throw new NotFound('No such organisation.');
    conditions.push(eq(people.organisationId, org.id));
  }
  if (query.q?.trim()) {
    const term = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        ilike(sql`${people.givenName} || ' ' || ${people.familyName}`, term),
        ilike(people.employeeNumber, term),
      ),
    );
  }
  if (query.cursor) {
    const [family, given, id] = decodeCursor(query.cursor);
    conditions.push(
      sql`(${people.familyName}, ${people.givenName}, ${people.id}) > (${family}, ${given}, ${id})`,
    );
  }
  const limit = Math.min(query.limit ?? PAGE, 200);
  const rows = await inTransaction(ctx, actor, (tx) =>
    tx
      .select()
      .from(people)
      .where(and(...conditions, sql`${people.endDate} is null`))
      .orderBy(asc(people.familyName), asc(people.givenName), asc(people.id))
      .limit(limit + 1),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((p) => ({
      id: p.id,
      name: `${p.givenName} ${p.familyName}`,
      organisationId: p.organisationId,
      staffGroup: p.staffGroup,
      jobTitle: p.jobTitle,
      managerId: p.managerId,
    })),
    next: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

/** A member of the actor's team, for the referral form: 404 outside their organisations, 403 if not their report. */
export async function getTeamMember(
  ctx: ServiceContext,
  actor: Actor,
  personId: string,
): Promise<PersonSummary> {
  const person = await inTransaction(ctx, actor, (tx) => loadPerson(tx, personId));
  if (!canReferPerson(actor, person)) {
    throw personDenial(actor, person, 'You can refer only people you line manage.');
  }
  return {
    id: person.id,
    name: `${person.givenName} ${person.familyName}`,
    organisationId: person.organisationId,
    staffGroup: person.staffGroup,
    jobTitle: person.jobTitle,
    managerId: person.managerId,
  };
}

/** A staff record as OH staff see it on the person page: who, where, and their pathway work outside cases. */
export type PersonProfile = PersonSummary & {
  organisationName: string;
  securitySensitive: boolean;
  retirementDate: string | null;
  contactAddress: string | null;
  /** Cases of this person (any status), newest first. */
  cases: Array<{ id: string; pathway: string; status: string; createdAt: Date }>;
  /** Tasks not tied to a case (TRiM, outreach, retirement), soonest due first. */
  tasks: TaskItem[];
};

/**
 * One person's record for OH staff of their organisation (never their own): the
 * person page from which OH records a retirement date, a questionnaire or an exposure,
 * and sends a continuity summary. The read is audited: it lists pathway work.
 */
export async function getPersonProfile(
  ctx: ServiceContext,
  actor: Actor,
  personId: string,
): Promise<PersonProfile> {
  const { person, organisation, personCases, looseTasks } = await inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, personId);
    if (!isOhStaffFor(actor, person.organisationId) || person.id === actor.personId) {
      throw personDenial(actor, person, 'Only OH staff can open a person’s occupational health record.');
    }
    const [organisation] = await tx
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, person.organisationId));
    const personCases = await tx
      .select({ id: cases.id, pathway: cases.pathway, status: cases.status, createdAt: cases.createdAt })
      .from(cases)
      .where(eq(cases.personId, person.id))
      .orderBy(desc(cases.createdAt))
      .limit(50);
    const looseTasks = await tx
      .select(taskColumns)
      .from(tasks)
      .innerJoin(pathwayRuleSets, eq(pathwayRuleSets.id, tasks.ruleSetId))
      .where(and(eq(tasks.personId, person.id), isNull(tasks.caseId)))
      .orderBy(asc(tasks.dueAt))
      .limit(100);
    return { person, organisation, personCases, looseTasks };
  });
  const now = ctx.now();
  await auditRead(ctx, actor, {
    action: 'person.read',
    recordType: 'person',
    recordId: person.id,
    organisationId: person.organisationId,
    role: ohRoleFor(actor, person.organisationId) ?? 'unknown',
  });
  return {
    id: person.id,
    name: `${person.givenName} ${person.familyName}`,
    organisationId: person.organisationId,
    staffGroup: person.staffGroup,
    jobTitle: person.jobTitle,
    managerId: person.managerId,
    organisationName: organisation?.name ?? '',
    securitySensitive: person.securitySensitive,
    retirementDate: person.retirementDate,
    contactAddress: person.contactAddress,
    cases: personCases,
    tasks: looseTasks.map((row) => toTaskItem(row, now)),
  };
}
