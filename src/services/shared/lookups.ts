import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/database.ts';
import { cases, ohProviders, people, providerClients, referrals, userRoles, users } from '../../db/schema.ts';
import { type CaseSituation, caseViewFor } from '../../domain/access/case.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { CLINICAL_ROLES } from '../../domain/access/roles.ts';
import { Forbidden, NotFound, RuleRefused } from '../../domain/shared/errors.ts';

/** Loose check that a string is a UUID, so a malformed id is a 404, never a database error. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A staff record by id, or NotFound. */
export async function loadPerson(q: Queryable, personId: string) {
  if (!isUuid(personId)) throw new NotFound('No such person.');
  const [person] = await q.select().from(people).where(eq(people.id, personId)).limit(1);
  if (!person) throw new NotFound('No such person.');
  return person;
}

/** The OH provider that serves an organisation, or RuleRefused when none does. */
export async function providerServing(q: Queryable, organisationId: string) {
  const [row] = await q
    .select({
      id: ohProviders.id,
      name: ohProviders.name,
      hostOrganisationId: ohProviders.hostOrganisationId,
    })
    .from(providerClients)
    .innerJoin(ohProviders, eq(ohProviders.id, providerClients.providerId))
    .where(eq(providerClients.organisationId, organisationId))
    .limit(1);
  if (!row) throw new RuleRefused('No occupational health provider serves this organisation yet.');
  return row;
}

/**
 * A case with what the access policies need to know, or NotFound. With `lock`, the
 * case row is locked until the transaction ends, so two changes to one case queue
 * rather than both acting on the same old state.
 */
export async function loadCaseSituation(q: Queryable, caseId: string, options: { lock?: boolean } = {}) {
  if (!isUuid(caseId)) throw new NotFound('No such case.');
  const query = q
    .select({
      case: cases,
      referredByUserId: referrals.referredByUserId,
      referralSource: referrals.source,
      personManagerId: people.managerId,
    })
    .from(cases)
    .innerJoin(referrals, eq(referrals.id, cases.referralId))
    .innerJoin(people, eq(people.id, cases.personId))
    .where(eq(cases.id, caseId))
    .limit(1);
  const [row] = options.lock ? await query.for('update', { of: cases }) : await query;
  if (!row) throw new NotFound('No such case.');
  const situation: CaseSituation = {
    organisationId: row.case.organisationId,
    personId: row.case.personId,
    referredByUserId: row.referralSource === 'management' ? row.referredByUserId : null,
    personManagerId: row.personManagerId,
  };
  return { record: row.case, situation };
}

/** Checks that a user is a clinician or physician of the provider, or refuses. */
export async function requireClinicianOfProvider(q: Queryable, clinicianId: string, providerId: string) {
  const rows = isUuid(clinicianId)
    ? await q
        .select({ id: users.id, name: users.displayName })
        .from(users)
        .innerJoin(userRoles, eq(userRoles.userId, users.id))
        .innerJoin(ohProviders, eq(ohProviders.hostOrganisationId, userRoles.organisationId))
        .where(
          and(
            eq(users.id, clinicianId),
            eq(ohProviders.id, providerId),
            inArray(userRoles.role, [...CLINICAL_ROLES]),
            eq(users.disabled, false),
          ),
        )
        .limit(1)
    : [];
  const clinician = rows[0];
  if (!clinician) throw new RuleRefused('Choose a clinician of the OH provider that serves this person.');
  return clinician;
}

/** 403 for someone who can see the case, 404 for someone who may not know it exists. */
export function denial(actor: Actor, situation: CaseSituation, message: string): Error {
  return caseViewFor(actor, situation) === 'none' ? new NotFound('No such case.') : new Forbidden(message);
}

/**
 * 403 for someone of the person's own organisation, 404 for anyone else: an outsider
 * may not learn that a member of staff exists (the people counterpart of `denial`).
 */
export function personDenial(actor: Actor, person: { organisationId: string }, message: string): Error {
  return actor.grants.some((g) => g.organisationId === person.organisationId)
    ? new Forbidden(message)
    : new NotFound('No such person.');
}
