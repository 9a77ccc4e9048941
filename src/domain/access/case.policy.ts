import { type Actor, hasAnyRole, OH_ROLES } from './roles.ts';

/** What a policy needs to know about a case and the people around it. */
export type CaseSituation = {
  organisationId: string;
  personId: string;
  /** The user who made the management referral; null for a self-referral. */
  referredByUserId: string | null;
  /** The staff record of the person's line manager, if any. */
  personManagerId: string | null;
};

/** How much of a case an actor may see: everything, their own, the manager's view, or nothing. */
export type CaseView = 'oh' | 'own' | 'manager' | 'none';

/** OH staff of a provider that serves the organisation. */
export function isOhStaffFor(actor: Actor, organisationId: string): boolean {
  return hasAnyRole(actor, OH_ROLES) && actor.ohOrganisationIds.includes(organisationId);
}

/** An OH clinician or physician of a provider that serves the organisation. */
export function isClinicianFor(actor: Actor, organisationId: string): boolean {
  // Through a clinical role at a provider serving the organisation: an administrator at
  // one provider who is a clinician at another has clinical rights at the second only.
  return actor.clinicalOrganisationIds.includes(organisationId);
}

/**
 * The referring manager, or the person's current line manager, of a management
 * referral. A self-referral is confidential: no manager learns of it.
 */
export function isManagerOf(actor: Actor, situation: CaseSituation): boolean {
  if (situation.referredByUserId === null) return false;
  return (
    situation.referredByUserId === actor.userId ||
    (actor.personId !== null && situation.personManagerId === actor.personId)
  );
}

/**
 * The view of a case an actor gets. OH staff see the whole record; the person sees
 * their own; the manager sees status, fitness outcome and adjustments only
 * (FOM ethics guidance: function, never diagnosis); everyone else sees nothing (404).
 */
export function caseViewFor(actor: Actor, situation: CaseSituation): CaseView {
  // Their own case first: OH staff who are patients see it as any employee does, never as its clinician.
  if (isOwnCase(actor, situation)) return 'own';
  if (isOhStaffFor(actor, situation.organisationId)) return 'oh';
  if (isManagerOf(actor, situation)) return 'manager';
  return 'none';
}

/** The case is about the actor themself. */
export function isOwnCase(actor: Actor, situation: Pick<CaseSituation, 'personId'>): boolean {
  return actor.personId !== null && actor.personId === situation.personId;
}

/** Consultation notes are for the clinicians and physicians of the provider alone (not OH administrators). */
export function canViewClinicalNotes(actor: Actor, situation: CaseSituation): boolean {
  return caseViewFor(actor, situation) === 'oh' && isClinicianFor(actor, situation.organisationId);
}

/** A clinician may write to the records of the people their provider serves, never to their own. */
export function canWriteClinicalRecord(actor: Actor, situation: CaseSituation): boolean {
  return canRecordClinical(actor, situation.organisationId) && !isOwnCase(actor, situation);
}

/** Triage: any OH staff of the provider. */
export function canTriage(actor: Actor, organisationId: string): boolean {
  return isOhStaffFor(actor, organisationId);
}

/** Consultations, outcomes and reports are written by clinicians and physicians. */
export function canRecordClinical(actor: Actor, organisationId: string): boolean {
  return isClinicianFor(actor, organisationId);
}

/** OH staff book for anyone they serve; a person books for their own case. */
export function canBook(actor: Actor, situation: CaseSituation): boolean {
  const view = caseViewFor(actor, situation);
  return view === 'oh' || view === 'own';
}

/** A manager may refer only a member of their own team, who must be in the same organisation. */
export function canReferPerson(
  actor: Actor,
  person: { organisationId: string; managerId: string | null },
): boolean {
  return (
    actor.personId !== null &&
    person.managerId === actor.personId &&
    actor.grants.some((g) => g.role === 'manager' && g.organisationId === person.organisationId)
  );
}
