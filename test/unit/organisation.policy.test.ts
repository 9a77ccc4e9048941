import { describe, expect, it } from 'vitest';
import {
  canAddOrganisation,
  canImportStaff,
  canSeeOrganisation,
  isSystemAdministrator,
} from '../../src/domain/access/organisation.policy.ts';
import type { Actor, Role } from '../../src/domain/access/roles.ts';
import { organisationInputErrors } from '../../src/domain/workforce/organisation.rules.ts';

// A system of three organisations: a force, a trust that hosts an OH provider serving the
// force and itself, and an ICB. Another system has one organisation.
const FORCE = 'org-force';
const TRUST = 'org-trust';
const ICB = 'org-icb';
const ELSEWHERE = 'org-elsewhere';
const SYSTEM = [FORCE, TRUST, ICB];
const SERVED_BY_TRUST_OH = [FORCE, TRUST];

/** An actor holding one role in one organisation, with the reach the actor query would give it. */
function actor(role: Role, organisationId: string): Actor {
  const ohRole = role === 'oh-admin' || role === 'oh-clinician' || role === 'oh-physician';
  const served =
    organisationId === TRUST ? SERVED_BY_TRUST_OH : organisationId === ELSEWHERE ? [ELSEWHERE] : [];
  return {
    userId: `${role}@${organisationId}`,
    personId: null,
    personOrganisationId: null,
    name: role,
    grants: [{ role, organisationId }],
    ohOrganisationIds: ohRole ? served : [],
    clinicalOrganisationIds: ohRole && role !== 'oh-admin' ? served : [],
    physicianOrganisationIds: role === 'oh-physician' ? served : [],
    systemOrganisationIds: role === 'sysadmin' ? (organisationId === ELSEWHERE ? [ELSEWHERE] : SYSTEM) : [],
  };
}

const forceSituation = { organisationId: FORCE, systemOrganisationIds: SYSTEM, providerHostIds: [TRUST] };

describe('canImportStaff: roles × the force served by the trust’s OH provider', () => {
  it.each<[Role, string, boolean]>([
    ['sysadmin', ICB, true],
    ['sysadmin', ELSEWHERE, false],
    ['oh-admin', TRUST, true],
    ['oh-admin', ELSEWHERE, false],
    ['oh-clinician', TRUST, false],
    ['oh-physician', TRUST, false],
    ['manager', FORCE, false],
    ['analyst', FORCE, false],
    ['wellbeing-lead', FORCE, false],
    ['employee', FORCE, false],
  ])('%s of %s: %s', (role, organisationId, allowed) => {
    expect(canImportStaff(actor(role, organisationId), forceSituation)).toBe(allowed);
  });

  it('refuses an OH administrator of one provider who is a clinician of the provider serving it', () => {
    const mixed = actor('oh-admin', ELSEWHERE);
    mixed.grants.push({ role: 'oh-clinician', organisationId: TRUST });
    mixed.ohOrganisationIds.push(...SERVED_BY_TRUST_OH);
    expect(canImportStaff(mixed, forceSituation)).toBe(false);
  });

  it('lets a sysadmin import into an organisation added after their actor was read', () => {
    const stale = actor('sysadmin', ICB);
    stale.systemOrganisationIds = [ICB];
    const added = {
      organisationId: 'org-new',
      systemOrganisationIds: [...SYSTEM, 'org-new'],
      providerHostIds: [],
    };
    expect(canImportStaff(stale, added)).toBe(true);
    expect(canSeeOrganisation(stale, added)).toBe(true);
  });
});

describe('canSeeOrganisation', () => {
  it.each<[Role, string, boolean]>([
    ['employee', FORCE, true],
    ['manager', TRUST, false],
    ['oh-clinician', TRUST, true],
    ['oh-admin', ELSEWHERE, false],
    ['sysadmin', ICB, true],
    ['sysadmin', ELSEWHERE, false],
  ])('%s of %s sees the force: %s', (role, organisationId, visible) => {
    expect(canSeeOrganisation(actor(role, organisationId), forceSituation)).toBe(visible);
  });
});

describe('canAddOrganisation and isSystemAdministrator', () => {
  it.each<[Role, string, boolean]>([
    ['sysadmin', ICB, true],
    ['sysadmin', ELSEWHERE, false],
    ['oh-admin', TRUST, false],
    ['analyst', ICB, false],
    ['manager', FORCE, false],
  ])('%s of %s adds to the system: %s', (role, organisationId, allowed) => {
    expect(canAddOrganisation(actor(role, organisationId), { organisationIds: SYSTEM })).toBe(allowed);
  });

  it('knows no one as the administrator of a system without organisations', () => {
    expect(canAddOrganisation(actor('sysadmin', ICB), { organisationIds: [] })).toBe(false);
  });

  it.each<[Role, boolean]>([
    ['sysadmin', true],
    ['analyst', false],
    ['oh-admin', false],
  ])('%s is a system administrator: %s', (role, expected) => {
    expect(isSystemAdministrator(actor(role, ICB))).toBe(expected);
  });
});

describe('organisationInputErrors', () => {
  const good = { slug: 'north-trust-2', name: 'North Trust', kind: 'nhs-trust', system: 'north' };
  it('accepts a good organisation', () => {
    expect(organisationInputErrors(good)).toEqual([]);
  });
  it.each([
    ['an upper-case slug', { slug: 'North' }, '/slug'],
    ['a slug with spaces', { slug: 'north trust' }, '/slug'],
    ['a slug with a double hyphen', { slug: 'north--trust' }, '/slug'],
    ['a slug ending in a hyphen', { slug: 'north-' }, '/slug'],
    ['a blank slug', { slug: '' }, '/slug'],
    ['a slug too long', { slug: 'a'.repeat(64) }, '/slug'],
    ['a blank name', { name: '' }, '/name'],
    ['an unknown kind', { kind: 'hospital' }, '/kind'],
    ['no system', { system: '' }, '/system'],
  ])('refuses %s', (_label, change, path) => {
    expect(organisationInputErrors({ ...good, ...change }).map((e) => e.path)).toEqual([path]);
  });
});
