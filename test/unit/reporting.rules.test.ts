import { describe, expect, it } from 'vitest';
import { canReport, type ReportKind, type ScopeSituation } from '../../src/domain/access/reporting.policy.ts';
import type { Actor, Role } from '../../src/domain/access/roles.ts';
import {
  daysBetween,
  type EpisodeFacts,
  MDS_COLUMNS,
  mdsRow,
  outcomeFromEnds,
  referralReason,
} from '../../src/domain/reporting/dataset.rules.ts';
import { equityGroups } from '../../src/domain/reporting/equity.rules.ts';
import { periodDays, previousPeriod, reportingPeriod } from '../../src/domain/reporting/period.ts';
import { ageBand, bandOfAge, ethnicGroup } from '../../src/domain/workforce/categories.ts';

describe('dataset categories', () => {
  it.each([
    [15, null],
    [16, '16-24'],
    [24, '16-24'],
    [25, '25-34'],
    [34, '25-34'],
    [35, '35-44'],
    [54, '45-54'],
    [55, '55-64'],
    [64, '55-64'],
    [65, '65+'],
    [80, '65+'],
    [null, null],
  ])('age %s is in band %s', (age, band) => {
    expect(bandOfAge(age)).toBe(band);
  });
  it('counts age in whole years on the day (a birthday not yet reached does not count)', () => {
    expect(ageBand('2001-06-02', '2025-06-01')).toBe('16-24');
    expect(ageBand('2001-06-01', '2025-06-01')).toBe('16-24');
    expect(ageBand('2000-06-01', '2025-06-01')).toBe('25-34');
    expect(ageBand('2000-02-29', '2025-02-28')).toBe('16-24');
    expect(ageBand(null, '2025-06-01')).toBeNull();
  });
  it('maps NHS ethnic category codes to the dataset groups', () => {
    expect(['A', 'B', 'C'].map(ethnicGroup)).toEqual(['White', 'White', 'White']);
    expect(['D', 'G', 'H', 'L', 'M', 'P', 'R', 'S'].map(ethnicGroup)).toEqual([
      'Mixed',
      'Mixed',
      'Asian',
      'Asian',
      'Black',
      'Black',
      'Other',
      'Other',
    ]);
    expect(['Z', '99', null, 'Q'].map((c) => ethnicGroup(c))).toEqual([
      'Not stated',
      'Not stated',
      'Not stated',
      'Not stated',
    ]);
  });
  it('derives the reason for referral from the pathway', () => {
    expect(referralReason('mental-health')).toBe('mental health');
    expect(referralReason('general')).toBe('other physical');
    expect(referralReason('blood-borne-virus')).toBe('blood-borne virus exposure');
    expect(referralReason('something-new')).toBe('other');
    expect(referralReason(null)).toBe('other');
  });
  it('counts days between London dates across the clock change', () => {
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-10-25', '2025-10-27')).toBe(2);
  });
});

describe('Talking Therapies outcome from the ends of an episode', () => {
  it('uses the one rule: PHQ-9 down 6 is a reliable improvement, a single score is not compared', () => {
    expect(outcomeFromEnds({ first: 15, last: 9, twice: true }, null)).toMatchObject({
      caseness: true,
      recovery: true,
      reliableImprovement: true,
    });
    expect(outcomeFromEnds({ first: 15, last: 10, twice: true }, null)?.reliableImprovement).toBe(false);
    expect(outcomeFromEnds({ first: 15, last: 15, twice: false }, null)).toBeNull();
    // GAD-7 improved by 4 but PHQ-9 worsened by 6: a reliable deterioration, not an improvement.
    expect(
      outcomeFromEnds({ first: 5, last: 11, twice: true }, { first: 12, last: 8, twice: true }),
    ).toMatchObject({ reliableImprovement: false, reliableDeterioration: true });
  });
});

describe('mdsRow', () => {
  const facts: EpisodeFacts = {
    personId: 'p',
    organisationSlug: 'northmoor-police',
    organisationKind: 'police-force',
    providerSlug: 'force-oh',
    providerModel: 'in-house',
    service: 'mental-health',
    staffGroup: 'Police officer',
    ageAtReferral: 41,
    sex: null,
    ethnicCategory: 'N',
    disability: null,
    source: 'self',
    pathway: 'mental-health',
    priority: 'soon',
    referralDate: '2025-03-01',
    firstAppointmentDate: '2025-03-12',
    attended: 3,
    didNotAttend: 1,
    consultationModes: 'phone;video',
    fitness: 'fit-with-adjustments',
    adjustmentsRecommended: true,
    reportReleasedDate: '2025-04-02',
    consultationDateBeforeReport: '2025-03-12',
    closureDate: null,
    closureOutcome: null,
    phq9: { first: 16, last: 7, twice: true },
    gad7: { first: 9, last: 9, twice: false },
  };
  it('derives each field (worked example)', () => {
    const row = Object.fromEntries(MDS_COLUMNS.map((c, i) => [c, mdsRow('P1', facts)[i]]));
    expect(row).toEqual({
      pseudonym: 'P1',
      organisation: 'northmoor-police',
      organisation_kind: 'police-force',
      provider: 'force-oh',
      provider_model: 'in-house',
      service: 'mental-health',
      staff_group: 'Police officer',
      age_band: '35-44',
      sex: 'not known',
      ethnic_group: 'Black',
      disability: 'not declared',
      referral_source: 'self',
      reason: 'mental health',
      pathway: 'mental-health',
      priority: 'soon',
      referral_date: '2025-03-01',
      first_appointment_date: '2025-03-12',
      days_to_first_appointment: '11',
      attended: '3',
      did_not_attend: '1',
      consultation_modes: 'phone;video',
      fitness_outcome: 'fit-with-adjustments',
      adjustments_recommended: 'yes',
      report_released_date: '2025-04-02',
      days_consultation_to_release: '21',
      closure_date: '',
      closure_outcome: '',
      phq9_first: '16',
      phq9_last: '7',
      gad7_first: '9',
      gad7_last: '',
      tt_caseness: 'yes',
      tt_recovery: 'yes',
      tt_reliable_improvement: 'yes',
      tt_reliable_deterioration: 'no',
      tt_reliable_recovery: 'yes',
    });
  });
});

describe('equityGroups', () => {
  it('adds stored values into groups, keeping every group of a fixed dimension', () => {
    expect(
      equityGroups('ethnicity', [
        { key: 'A', workforce: 10, people: 2 },
        { key: 'B', workforce: 5, people: 1 },
        { key: '', workforce: 3, people: 0 },
        { key: 'Z', workforce: 2, people: 1 },
      ]),
    ).toEqual([
      { group: 'White', workforce: 15, people: 3 },
      { group: 'Mixed', workforce: 0, people: 0 },
      { group: 'Asian', workforce: 0, people: 0 },
      { group: 'Black', workforce: 0, people: 0 },
      { group: 'Other', workforce: 0, people: 0 },
      { group: 'Not stated', workforce: 5, people: 1 },
    ]);
  });
  it('lists staff groups present, in the standard order', () => {
    expect(
      equityGroups('staffGroup', [
        { key: 'Students', workforce: 1, people: 0 },
        { key: 'Police officer', workforce: 9, people: 1 },
        { key: 'Allied Health Professionals', workforce: 4, people: 2 },
      ]).map((g) => g.group),
    ).toEqual(['Allied Health Professionals', 'Students', 'Police officer']);
  });
  it('bands ages, with unknown and under-16 as not known', () => {
    const groups = equityGroups('ageBand', [
      { key: '30', workforce: 2, people: 1 },
      { key: '33', workforce: 1, people: 0 },
      { key: '', workforce: 4, people: 0 },
      { key: '15', workforce: 1, people: 0 },
    ]);
    expect(groups.find((g) => g.group === '25-34')).toEqual({ group: '25-34', workforce: 3, people: 1 });
    expect(groups.find((g) => g.group === 'Not known')).toEqual({
      group: 'Not known',
      workforce: 5,
      people: 0,
    });
  });
});

describe('reporting periods', () => {
  it('defaults to the twelve months up to today', () => {
    expect(reportingPeriod({}, '2026-11-24')).toEqual({ from: '2025-11-25', to: '2026-11-24' });
    expect(reportingPeriod({ from: '2025-04-01' }, '2026-11-24')).toEqual({
      from: '2025-04-01',
      to: '2026-03-31',
    });
    expect(reportingPeriod({ to: '2025-03-31' }, '2026-11-24')).toEqual({
      from: '2024-04-01',
      to: '2025-03-31',
    });
  });
  it('refuses impossible dates, reversed periods and periods over five years, naming the field', () => {
    const pathOf = (input: { from?: string; to?: string }) => {
      try {
        reportingPeriod(input, '2026-11-24');
        return null;
      } catch (error) {
        return (error as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
      }
    };
    expect(pathOf({ from: '2025-02-29' })).toEqual(['/from']);
    expect(pathOf({ to: '31/03/2025' })).toEqual(['/to']);
    expect(pathOf({ from: '2025-05-01', to: '2025-04-30' })).toEqual(['/to']);
    expect(pathOf({ from: '2015-01-01', to: '2025-01-01' })).toEqual(['/from']);
    expect(pathOf({ from: '2025-05-01', to: '2025-05-01' })).toBeNull();
  });
  it('compares with the period of the same length just before', () => {
    expect(previousPeriod({ from: '2025-04-01', to: '2026-03-31' })).toEqual({
      from: '2024-04-01',
      to: '2025-03-31',
    });
    expect(previousPeriod({ from: '2025-01-01', to: '2025-03-31' })).toEqual({
      from: '2024-10-03',
      to: '2024-12-31',
    });
    expect(periodDays({ from: '2025-01-01', to: '2025-03-31' })).toBe(90);
  });
});

describe('canReport (roles × scopes)', () => {
  const ORG = 'org-1';
  const ICB = 'icb-1';
  const actor = (role: Role, organisationId: string, extra: Partial<Actor> = {}): Actor => ({
    userId: 'u',
    personId: null,
    personOrganisationId: null,
    name: 'n',
    grants: [{ role, organisationId }],
    ohOrganisationIds: [],
    clinicalOrganisationIds: [],
    physicianOrganisationIds: [],
    systemOrganisationIds: [],
    ...extra,
  });
  const organisation: ScopeSituation = {
    kind: 'organisation',
    organisationId: ORG,
    icbOrganisationIds: [ICB],
  };
  const system: ScopeSituation = { kind: 'system', organisationIds: [ORG, ICB], icbOrganisationIds: [ICB] };
  const national: ScopeSituation = { kind: 'national' };
  const actors: Record<string, Actor> = {
    'analyst of the organisation': actor('analyst', ORG),
    'analyst of the ICB': actor('analyst', ICB),
    'wellbeing lead of the organisation': actor('wellbeing-lead', ORG),
    'wellbeing lead of the ICB': actor('wellbeing-lead', ICB),
    'OH admin serving it': actor('oh-admin', 'host', { ohOrganisationIds: [ORG] }),
    'OH clinician serving it': actor('oh-clinician', 'host', { ohOrganisationIds: [ORG] }),
    'sysadmin of the system': actor('sysadmin', ICB, { systemOrganisationIds: [ORG, ICB] }),
    'manager of the organisation': actor('manager', ORG),
    'analyst elsewhere': actor('analyst', 'elsewhere'),
  };
  const table: Array<[string, ReportKind, boolean, boolean, boolean]> = [
    // actor, report, organisation, system, national
    ['analyst of the organisation', 'equity', true, false, true],
    ['analyst of the organisation', 'mds', true, false, false],
    ['analyst of the ICB', 'equity', true, true, true],
    ['analyst of the ICB', 'mds', true, true, false],
    ['analyst of the ICB', 'kpis', true, true, true],
    ['wellbeing lead of the organisation', 'equity', true, false, false],
    ['wellbeing lead of the organisation', 'kpis', true, false, false],
    ['wellbeing lead of the organisation', 'mds', false, false, false],
    ['wellbeing lead of the ICB', 'board', false, true, false],
    ['OH admin serving it', 'kpis', true, false, false],
    ['OH admin serving it', 'equity', false, false, false],
    ['OH clinician serving it', 'kpis', false, false, false],
    ['sysadmin of the system', 'equity', true, true, true],
    ['sysadmin of the system', 'board', true, true, true],
    ['sysadmin of the system', 'kpis', false, false, false],
    ['sysadmin of the system', 'mds', false, false, false],
    ['manager of the organisation', 'equity', false, false, false],
    ['manager of the organisation', 'kpis', false, false, false],
    ['analyst elsewhere', 'equity', false, false, true],
  ];
  it.each(table)('%s, %s: organisation %s, system %s, national %s', (who, report, org, sys, nat) => {
    const a = actors[who] as Actor;
    expect([
      canReport(a, report, organisation),
      canReport(a, report, system),
      canReport(a, report, national),
    ]).toEqual([org, sys, nat]);
  });
});
