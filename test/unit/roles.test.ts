import { describe, expect, it } from 'vitest';
import { type Actor, organisationsReached } from '../../src/domain/access/roles.ts';

const nobody: Actor = {
  userId: 'u-1',
  personId: null,
  personOrganisationId: null,
  name: 'Nobody',
  grants: [],
  ohOrganisationIds: [],
  clinicalOrganisationIds: [],
  physicianOrganisationIds: [],
  systemOrganisationIds: [],
};

describe('organisationsReached: the scope of row-level security', () => {
  it.each<[string, Partial<Actor>, string[]]>([
    ['an account with no staff record and no role reaches nothing', {}, []],
    [
      'an employee reaches their own staff record’s organisation',
      { personOrganisationId: 'org-a' },
      ['org-a'],
    ],
    [
      'a user whose staff record is in one organisation and whose role is in another reaches both',
      { personOrganisationId: 'org-a', grants: [{ role: 'manager', organisationId: 'org-b' }] },
      ['org-a', 'org-b'],
    ],
    [
      'an OH clinician reaches their host and every organisation their provider serves',
      {
        personOrganisationId: 'org-host',
        grants: [{ role: 'oh-clinician', organisationId: 'org-host' }],
        ohOrganisationIds: ['org-c', 'org-b'],
        clinicalOrganisationIds: ['org-c', 'org-b'],
      },
      ['org-b', 'org-c', 'org-host'],
    ],
    [
      'a sysadmin reaches every organisation of their system',
      { grants: [{ role: 'sysadmin', organisationId: 'org-a' }], systemOrganisationIds: ['org-a', 'org-z'] },
      ['org-a', 'org-z'],
    ],
  ])('%s', (_label, more, expected) => {
    expect(organisationsReached({ ...nobody, ...more })).toEqual(expected);
  });

  it('names each organisation once, in a stable order', () => {
    const reached = organisationsReached({
      ...nobody,
      personOrganisationId: 'org-b',
      grants: [
        { role: 'employee', organisationId: 'org-b' },
        { role: 'oh-admin', organisationId: 'org-a' },
      ],
      ohOrganisationIds: ['org-b', 'org-a'],
    });
    expect(reached).toEqual(['org-a', 'org-b']);
  });
});
