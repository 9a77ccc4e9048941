import { describe, expect, it } from 'vitest';
import {
  type CaseSituation,
  type CaseView,
  canBook,
  canRecordClinical,
  canReferPerson,
  canTriage,
  canViewClinicalNotes,
  caseViewFor,
  isManagerOf,
} from '../../src/domain/access/case.policy.ts';
import { canPublishRuleSet } from '../../src/domain/access/pathway.policy.ts';
import type { Actor, Role } from '../../src/domain/access/roles.ts';
import { CLINICAL_ROLES, hasAnyRole, ohRoleFor } from '../../src/domain/access/roles.ts';

const ORG = 'org-force';
const OTHER_ORG = 'org-trust';

function actor(userId: string, personId: string | null, roles: Role[], more: Partial<Actor> = {}): Actor {
  // An OH role reaches the organisations its provider serves; clinical roles give the clinical reach.
  const reach = more.ohOrganisationIds ?? [];
  return {
    userId,
    personId,
    personOrganisationId: personId ? ORG : null,
    name: userId,
    grants: roles.map((role) => ({ role, organisationId: more.ohOrganisationIds ? 'org-host' : ORG })),
    ohOrganisationIds: [],
    clinicalOrganisationIds: hasAnyRole(
      { grants: roles.map((role) => ({ role, organisationId: 'org-host' })) } as Actor,
      CLINICAL_ROLES,
    )
      ? reach
      : [],
    physicianOrganisationIds: roles.includes('oh-physician') ? reach : [],
    systemOrganisationIds: [],
    ...more,
  };
}

/** A management referral of p-employee by u-manager, who is also the current line manager. */
const MANAGEMENT: CaseSituation = {
  organisationId: ORG,
  personId: 'p-employee',
  referredByUserId: 'u-manager',
  personManagerId: 'p-manager',
};
/** The same person's self-referral: no manager may learn of it. */
const SELF: CaseSituation = { ...MANAGEMENT, referredByUserId: null };
/** A management referral whose referrer has since handed the team to a new line manager. */
const HANDED_OVER: CaseSituation = { ...MANAGEMENT, personManagerId: 'p-new-manager' };
/** A management referral of someone with no line manager on record. */
const NO_LINE_MANAGER: CaseSituation = { ...MANAGEMENT, personManagerId: null };

const SITUATIONS = { MANAGEMENT, SELF, HANDED_OVER, NO_LINE_MANAGER };
type SituationName = keyof typeof SITUATIONS;

const ACTORS = {
  'OH admin of the serving provider': actor('u-oh-admin', null, ['oh-admin'], { ohOrganisationIds: [ORG] }),
  'OH clinician of the serving provider': actor('u-oh-clin', 'p-oh-clin', ['oh-clinician'], {
    ohOrganisationIds: [ORG],
  }),
  'OH physician of the serving provider': actor('u-oh-phys', null, ['oh-physician'], {
    ohOrganisationIds: [ORG],
  }),
  'OH clinician of another provider': actor('u-oh-other', 'p-oh-other', ['oh-clinician', 'oh-physician'], {
    ohOrganisationIds: [OTHER_ORG],
  }),
  'OH admin whose provider serves nobody': actor('u-oh-none', null, ['oh-admin'], { ohOrganisationIds: [] }),
  'the employee': actor('u-employee', 'p-employee', ['employee']),
  'the referring manager (also line manager)': actor('u-manager', 'p-manager', ['manager', 'employee']),
  'the new line manager': actor('u-new-manager', 'p-new-manager', ['manager', 'employee']),
  'an unrelated manager in the organisation': actor('u-other-manager', 'p-other-manager', ['manager']),
  'a manager in another organisation': actor('u-far-manager', 'p-far-manager', ['manager'], {
    grants: [{ role: 'manager', organisationId: OTHER_ORG }],
  }),
  'a sysadmin with no staff record': actor('u-sysadmin', null, ['sysadmin'], {
    systemOrganisationIds: [ORG, OTHER_ORG],
  }),
  'a wellbeing lead': actor('u-wellbeing', 'p-wellbeing', ['wellbeing-lead']),
  'an analyst with no staff record': actor('u-analyst', null, ['analyst']),
  // Holds an OH role, but at a provider that does not serve this organisation.
  'a colleague who is an OH clinician of a provider not serving the organisation': actor(
    'u-mixed',
    'p-mixed',
    ['employee', 'oh-clinician'],
  ),
} satisfies Record<string, Actor>;
type ActorName = keyof typeof ACTORS;

/** The expected view of every actor in every situation. */
const VIEWS: Record<ActorName, Record<SituationName, CaseView>> = {
  'OH admin of the serving provider': {
    MANAGEMENT: 'oh',
    SELF: 'oh',
    HANDED_OVER: 'oh',
    NO_LINE_MANAGER: 'oh',
  },
  'OH clinician of the serving provider': {
    MANAGEMENT: 'oh',
    SELF: 'oh',
    HANDED_OVER: 'oh',
    NO_LINE_MANAGER: 'oh',
  },
  'OH physician of the serving provider': {
    MANAGEMENT: 'oh',
    SELF: 'oh',
    HANDED_OVER: 'oh',
    NO_LINE_MANAGER: 'oh',
  },
  'OH clinician of another provider': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'none',
    NO_LINE_MANAGER: 'none',
  },
  'OH admin whose provider serves nobody': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'none',
    NO_LINE_MANAGER: 'none',
  },
  'the employee': { MANAGEMENT: 'own', SELF: 'own', HANDED_OVER: 'own', NO_LINE_MANAGER: 'own' },
  'the referring manager (also line manager)': {
    MANAGEMENT: 'manager',
    // A self-referral is confidential: the line manager must not learn of it.
    SELF: 'none',
    // The referrer keeps the manager's view after handing the team over.
    HANDED_OVER: 'manager',
    NO_LINE_MANAGER: 'manager',
  },
  'the new line manager': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'manager',
    NO_LINE_MANAGER: 'none',
  },
  'an unrelated manager in the organisation': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'none',
    NO_LINE_MANAGER: 'none',
  },
  'a manager in another organisation': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'none',
    NO_LINE_MANAGER: 'none',
  },
  'a sysadmin with no staff record': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'none',
    // null staff record must never match a null line manager.
    NO_LINE_MANAGER: 'none',
  },
  'a wellbeing lead': { MANAGEMENT: 'none', SELF: 'none', HANDED_OVER: 'none', NO_LINE_MANAGER: 'none' },
  'an analyst with no staff record': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'none',
    NO_LINE_MANAGER: 'none',
  },
  'a colleague who is an OH clinician of a provider not serving the organisation': {
    MANAGEMENT: 'none',
    SELF: 'none',
    HANDED_OVER: 'none',
    NO_LINE_MANAGER: 'none',
  },
};

const rows = (Object.keys(ACTORS) as ActorName[]).flatMap((who) =>
  (Object.keys(SITUATIONS) as SituationName[]).map((situation) => ({
    who,
    situation,
    view: VIEWS[who][situation],
  })),
);

describe('caseViewFor and the policies built on it', () => {
  it.each(rows)('$who, $situation case → $view', ({ who, situation, view }) => {
    const a = ACTORS[who];
    const s = SITUATIONS[situation];
    expect(caseViewFor(a, s)).toBe(view);
    // Consultation notes are for OH clinicians and physicians alone; booking for OH staff and the employee.
    expect(canViewClinicalNotes(a, s)).toBe(view === 'oh' && hasAnyRole(a, CLINICAL_ROLES));
    expect(canBook(a, s)).toBe(view === 'oh' || view === 'own');
    expect(isManagerOf(a, s)).toBe(view === 'manager');
  });
});

/** Organisation-level permissions: triage (any OH staff) and clinical writes (clinicians and physicians). */
const ORG_RIGHTS: Record<ActorName, { triage: boolean; recordClinical: boolean }> = {
  'OH admin of the serving provider': { triage: true, recordClinical: false },
  'OH clinician of the serving provider': { triage: true, recordClinical: true },
  'OH physician of the serving provider': { triage: true, recordClinical: true },
  'OH clinician of another provider': { triage: false, recordClinical: false },
  'OH admin whose provider serves nobody': { triage: false, recordClinical: false },
  'the employee': { triage: false, recordClinical: false },
  'the referring manager (also line manager)': { triage: false, recordClinical: false },
  'the new line manager': { triage: false, recordClinical: false },
  'an unrelated manager in the organisation': { triage: false, recordClinical: false },
  'a manager in another organisation': { triage: false, recordClinical: false },
  'a sysadmin with no staff record': { triage: false, recordClinical: false },
  'a wellbeing lead': { triage: false, recordClinical: false },
  'an analyst with no staff record': { triage: false, recordClinical: false },
  'a colleague who is an OH clinician of a provider not serving the organisation': {
    triage: false,
    recordClinical: false,
  },
};

describe('canTriage and canRecordClinical', () => {
  it.each((Object.keys(ACTORS) as ActorName[]).map((who) => ({ who, ...ORG_RIGHTS[who] })))(
    '$who: triage $triage, clinical writes $recordClinical',
    ({ who, triage, recordClinical }) => {
      expect(canTriage(ACTORS[who], ORG)).toBe(triage);
      expect(canRecordClinical(ACTORS[who], ORG)).toBe(recordClinical);
    },
  );

  it('does not reach organisations the provider does not serve', () => {
    const clinician = ACTORS['OH clinician of the serving provider'];
    expect(canTriage(clinician, OTHER_ORG)).toBe(false);
    expect(canRecordClinical(clinician, OTHER_ORG)).toBe(false);
  });
});

describe('canReferPerson', () => {
  const teamMember = { organisationId: ORG, managerId: 'p-manager' };
  const cases: Array<[string, Actor, { organisationId: string; managerId: string | null }, boolean]> = [
    [
      'the line manager, a manager in the organisation',
      ACTORS['the referring manager (also line manager)'],
      teamMember,
      true,
    ],
    [
      'a manager who does not manage the person',
      ACTORS['an unrelated manager in the organisation'],
      teamMember,
      false,
    ],
    [
      'the line manager on record whose manager role is in another organisation',
      actor('u-manager', 'p-manager', ['manager'], {
        grants: [{ role: 'manager', organisationId: OTHER_ORG }],
      }),
      teamMember,
      false,
    ],
    [
      'the line manager on record without a manager role',
      actor('u-manager', 'p-manager', ['employee']),
      teamMember,
      false,
    ],
    [
      'OH staff (they triage, they do not refer)',
      ACTORS['OH admin of the serving provider'],
      teamMember,
      false,
    ],
    ['the employee themself', ACTORS['the employee'], teamMember, false],
    [
      'a manager with no staff record, for a person with no line manager',
      actor('u-ghost', null, ['manager']),
      { organisationId: ORG, managerId: null },
      false,
    ],
  ];
  it.each(cases)('%s → %s', (_label, who, person, expected) => {
    expect(canReferPerson(who, person)).toBe(expected);
  });
});

describe('roles reach only the organisations of the provider they are held at', () => {
  it('gives an administrator at one provider who is a clinician at another clinical rights at the second only', () => {
    const both: Actor = {
      userId: 'u-both',
      personId: null,
      personOrganisationId: null,
      name: 'both',
      grants: [
        { role: 'oh-admin', organisationId: 'host-a' },
        { role: 'oh-clinician', organisationId: 'host-b' },
      ],
      ohOrganisationIds: [ORG, OTHER_ORG],
      clinicalOrganisationIds: [OTHER_ORG],
      physicianOrganisationIds: [],
      systemOrganisationIds: [],
    };
    const at = (organisationId: string): CaseSituation => ({ ...MANAGEMENT, organisationId });
    expect(canRecordClinical(both, ORG)).toBe(false);
    expect(canRecordClinical(both, OTHER_ORG)).toBe(true);
    expect(canViewClinicalNotes(both, at(ORG))).toBe(false);
    expect(canViewClinicalNotes(both, at(OTHER_ORG))).toBe(true);
    expect(canTriage(both, ORG)).toBe(true);
    expect(ohRoleFor(both, ORG)).toBe('oh-admin');
    expect(ohRoleFor(both, OTHER_ORG)).toBe('oh-clinician');
  });
});

describe('canPublishRuleSet', () => {
  it.each([
    ['oh-physician', true],
    ['oh-clinician', false],
    ['oh-admin', false],
    ['sysadmin', false],
    ['manager', false],
    ['employee', false],
  ] as const)('%s → %s', (role, allowed) => {
    expect(canPublishRuleSet(actor('u-1', 'p-1', [role]))).toBe(allowed);
  });
});
