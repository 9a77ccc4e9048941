import type { Tx } from '../../db/database.ts';
import { cases, referrals } from '../../db/schema.ts';
import { canReferPerson, isOhStaffFor } from '../../domain/access/case.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import type { ReferralSource } from '../../domain/referrals/referral.rules.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import type { ServiceContext } from '../shared/context.ts';
import { personDenial, providerServing } from '../shared/lookups.ts';

type Person = { id: string; organisationId: string; managerId: string | null };

/**
 * Who may report an injury or exposure for a person, night or day: the person, their
 * line manager, or OH staff of their organisation. The source goes on the referral and
 * the role on the audit row; anyone else gets 404 (other organisation) or 403.
 */
export function requireReporter(actor: Actor, person: Person): { source: ReferralSource; role: string } {
  if (actor.personId === person.id) return { source: 'self', role: 'employee' };
  if (canReferPerson(actor, person)) return { source: 'management', role: 'manager' };
  if (isOhStaffFor(actor, person.organisationId)) {
    return { source: 'other', role: ohRoleOf(actor, person.organisationId) };
  }
  throw personDenial(actor, person, 'You can report this for yourself or for people you line manage.');
}

/**
 * Opens an urgent case straight away for an event that cannot wait for triage (an
 * exposure, a dental injury): a referral already triaged as urgent on the pathway, and
 * a case with no clinician yet, which OH allocates. Returns the case and provider ids.
 */
export async function openUrgentCase(
  tx: Tx,
  ctx: ServiceContext,
  actor: Actor,
  input: {
    person: Person;
    source: ReferralSource;
    pathway: string;
    reason: string;
    injuryOnDuty: boolean | null;
  },
): Promise<{ caseId: string; providerId: string }> {
  const provider = await providerServing(tx, input.person.organisationId);
  const now = ctx.now();
  const referralId = ctx.newId();
  const caseId = ctx.newId();
  await tx.insert(referrals).values({
    id: referralId,
    organisationId: input.person.organisationId,
    personId: input.person.id,
    providerId: provider.id,
    source: input.source,
    referredByUserId: actor.userId,
    reasonEnc: ctx.cipher.encrypt(input.reason),
    questionsEnc: ctx.cipher.encrypt('[]'),
    pathway: input.pathway,
    // Reported to get urgent care, not a management report: no consent to a report is implied.
    consentGiven: false,
    status: 'triaged',
    priority: 'urgent',
    triagedAt: now,
    caseId,
    createdAt: now,
  });
  await tx.insert(cases).values({
    id: caseId,
    organisationId: input.person.organisationId,
    personId: input.person.id,
    referralId,
    providerId: provider.id,
    pathway: input.pathway,
    priority: 'urgent',
    clinicianId: null,
    status: 'awaiting-appointment',
    injuryOnDuty: input.injuryOnDuty,
    createdAt: now,
  });
  return { caseId, providerId: provider.id };
}
