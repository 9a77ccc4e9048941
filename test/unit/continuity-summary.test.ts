import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildContinuitySummary,
  CONTINUITY_SUMMARY_TITLE,
  type ContinuitySummaryInput,
  continuitySummaryProblems,
  employerIdentityLeaks,
  employerIdentityTerms,
  type FhirBundle,
  type FhirComposition,
  type FhirConsent,
  type FhirImmunization,
  type FhirObservation,
  type FhirOrganization,
  type FhirPatient,
  type FhirPractitioner,
  type FhirResource,
  NEUTRAL_SERVICE_NAME,
  UK_CORE_PROFILE_BASE,
  WITHHELD,
  xhtmlProblems,
} from '../../src/domain/interop/continuity-summary.ts';
import { type FieldError, Invalid } from '../../src/domain/shared/errors.ts';

/** Sequential, valid, lower-case UUIDs so that every run builds the same document. */
function idSource(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
}

// The employer-identifying values of the fixture; a security-sensitive document must contain none.
const EMPLOYER = 'Northmoor Police';
const EMPLOYER_ODS = 'XNP01';
const PROVIDER = 'Northmoor Police Occupational Health Unit';
const HOST = 'Northmoor Police';
const PROVIDER_ODS = 'XNP02';
const JOB_TITLE = 'Detective Sergeant';
const STAFF_GROUP = 'Police officer';
const FORBIDDEN = [EMPLOYER, EMPLOYER_ODS, PROVIDER, HOST, PROVIDER_ODS, JOB_TITLE, STAFF_GROUP];

/** A complete record for one person, built fresh for each test (no shared mutable fixture). */
function summaryInput(
  overrides: Partial<ContinuitySummaryInput> = {},
  sensitive = false,
): ContinuitySummaryInput {
  return {
    bundleId: '7d1f5c1e-3b7a-4d0e-9a51-0c6f3e2b9a10',
    now: new Date('2026-03-03T14:30:00Z'),
    newId: idSource(),
    person: {
      id: 'f5b0e6b4-5d0b-4f8e-8d3c-7c1a2b3c4d5e',
      givenName: 'Sam',
      familyName: 'Okafor',
      dateOfBirth: '1979-11-02',
      nhsNumber: '401 023 2137',
      sex: 'female',
      contactAddress: 'PO Box 12, Leeds LS1 1AA',
      securitySensitive: sensitive,
      organisationName: EMPLOYER,
      organisationOdsCode: EMPLOYER_ODS,
      jobTitle: JOB_TITLE,
      staffGroup: STAFF_GROUP,
    },
    provider: { name: PROVIDER, hostOrganisationName: HOST, odsCode: PROVIDER_ODS },
    author: {
      userId: '4c1d2e3f-0000-4000-8000-000000000abc',
      name: 'Dr Priya Shah',
      role: 'Force medical adviser',
    },
    recipient: { name: 'Riverside Medical Practice', odsCode: 'B82005' },
    consent: { recordedAt: new Date('2026-03-02T10:15:00Z') },
    immunisations: [
      { vaccine: 'hepatitis-b', onDate: '2025-07-01', dose: 2 },
      { vaccine: 'hepatitis-b', onDate: '2025-06-01', dose: 1 },
      { vaccine: 'hepatitis-b', onDate: '2025-12-01', dose: 3 },
    ],
    antibodyLevels: [{ vaccine: 'hepatitis-b', onDate: '2026-02-10', level: 142 }],
    measures: [
      { instrument: 'PHQ-9', total: 12, severity: 'moderate', takenAt: new Date('2026-02-20T09:00:00Z') },
      { instrument: 'GAD-7', total: 7, severity: 'mild', takenAt: new Date('2026-02-20T09:05:00Z') },
    ],
    fitness: [
      {
        outcome: 'fit-with-adjustments',
        adjustments: ['Phased return to work', 'No night shifts for 6 weeks'],
        recordedAt: new Date('2026-02-21T11:00:00Z'),
      },
    ],
    carePlan: ['Continue sertraline review with GP', 'Talking therapies step 2: 4 sessions left'],
    retirementDate: '2026-03-31',
    ...overrides,
  };
}

function sensitiveInput(overrides: Partial<ContinuitySummaryInput> = {}): ContinuitySummaryInput {
  return summaryInput(overrides, true);
}

function resources<T extends FhirResource['resourceType']>(
  bundle: FhirBundle,
  type: T,
): Extract<FhirResource, { resourceType: T }>[] {
  return bundle.entry
    .map((entry) => entry.resource)
    .filter(
      (resource): resource is Extract<FhirResource, { resourceType: T }> => resource.resourceType === type,
    );
}

function composition(bundle: FhirBundle): FhirComposition {
  const first = bundle.entry[0]?.resource;
  if (first?.resourceType !== 'Composition') throw new Error('first entry is not the Composition');
  return first;
}

function section(bundle: FhirBundle, title: string) {
  const found = composition(bundle).section.find((s) => s.title === title);
  if (!found) throw new Error(`no section "${title}"`);
  return found;
}

/** The resource an in-document reference points at. */
function resolve(bundle: FhirBundle, reference: { reference: string }): FhirResource {
  const entry = bundle.entry.find((e) => e.fullUrl === reference.reference);
  if (!entry) throw new Error(`unresolved ${reference.reference}`);
  return entry.resource;
}

/** The field errors buildContinuitySummary throws, or fails the test. */
function refusal(input: ContinuitySummaryInput): FieldError[] {
  try {
    buildContinuitySummary(input);
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return (error as Invalid).errors;
  }
  throw new Error('expected the record to be refused');
}

describe('buildContinuitySummary: document structure', () => {
  it('builds a valid FHIR document Bundle with the Composition first', () => {
    const bundle = buildContinuitySummary(summaryInput());
    expect(continuitySummaryProblems(bundle)).toEqual([]);
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'document',
      identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:7d1f5c1e-3b7a-4d0e-9a51-0c6f3e2b9a10' },
      timestamp: '2026-03-03T14:30:00.000Z',
    });
    const doc = composition(bundle);
    expect(doc).toMatchObject({
      status: 'final',
      title: CONTINUITY_SUMMARY_TITLE,
      date: '2026-03-03T14:30:00.000Z',
      confidentiality: 'N',
      type: { coding: [{ system: 'http://snomed.info/sct', code: '371535009' }] },
    });
    expect(resolve(bundle, doc.subject).resourceType).toBe('Patient');
    expect(resolve(bundle, doc.custodian).resourceType).toBe('Organization');
    expect(doc.author.map((a) => resolve(bundle, a).resourceType)).toEqual([
      'Practitioner',
      'PractitionerRole',
    ]);
    expect(doc.section.map((s) => s.title)).toEqual([
      'Immunisations',
      'Results',
      'Fitness for work and adjustments',
      'Care to continue',
      'Employment',
      'Recipient',
      'Consent',
    ]);
  });

  it('gives every entry a urn:uuid fullUrl equal to its id and a UK Core profile', () => {
    const bundle = buildContinuitySummary(summaryInput());
    for (const { fullUrl, resource } of bundle.entry) {
      expect(fullUrl).toBe(`urn:uuid:${resource.id}`);
      expect(resource.meta.profile).toEqual([`${UK_CORE_PROFILE_BASE}${resource.resourceType}`]);
    }
    expect(new Set(bundle.entry.map((e) => e.fullUrl)).size).toBe(bundle.entry.length);
  });

  it('resolves every reference anywhere in the JSON to an entry', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
    const references = [...JSON.stringify(bundle).matchAll(/"reference":"([^"]+)"/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(10);
    for (const reference of references) expect(fullUrls).toContain(reference);
  });

  it('builds the Patient from the person: name, NHS number, birth date, sex, chosen address and GP', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const [patient] = resources(bundle, 'Patient') as [FhirPatient];
    expect(patient).toMatchObject({
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '4010232137' }],
      name: [{ use: 'official', family: 'Okafor', given: ['Sam'] }],
      gender: 'female',
      birthDate: '1979-11-02',
      address: [{ text: 'PO Box 12, Leeds LS1 1AA' }],
    });
    const gp = resolve(bundle, patient.generalPractitioner?.[0] ?? { reference: '' }) as FhirOrganization;
    expect(gp).toMatchObject({
      name: 'Riverside Medical Practice',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82005' }],
    });
  });

  it('leaves out what is not known rather than sending empty elements', () => {
    const input = summaryInput();
    const bundle = buildContinuitySummary({
      ...input,
      person: { ...input.person, nhsNumber: null, dateOfBirth: null, sex: null, contactAddress: '  ' },
    });
    const [patient] = resources(bundle, 'Patient');
    expect(patient).not.toHaveProperty('identifier');
    expect(patient).not.toHaveProperty('birthDate');
    expect(patient).not.toHaveProperty('gender');
    expect(patient).not.toHaveProperty('address');
    expect(continuitySummaryProblems(bundle)).toEqual([]);
  });

  it('codes hepatitis B doses in SNOMED CT with their dose numbers, in date order', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const doses = resources(bundle, 'Immunization') as FhirImmunization[];
    expect(doses.map((d) => [d.occurrenceDateTime, d.protocolApplied?.[0]?.doseNumberPositiveInt])).toEqual([
      ['2025-06-01', 1],
      ['2025-07-01', 2],
      ['2025-12-01', 3],
    ]);
    for (const dose of doses) {
      expect(dose.status).toBe('completed');
      expect(dose.vaccineCode.coding?.[0]).toMatchObject({
        system: 'http://snomed.info/sct',
        code: '871822003',
      });
    }
    expect(section(bundle, 'Immunisations').entry).toHaveLength(3);
    expect(section(bundle, 'Immunisations').text.div).toContain('Hepatitis B status: Responder');
  });

  it('sends a dose without a known number without protocolApplied, and another vaccine as text only', () => {
    const bundle = buildContinuitySummary(
      summaryInput({ immunisations: [{ vaccine: 'yellow-fever', onDate: '2024-05-05', dose: null }] }),
    );
    const [dose] = resources(bundle, 'Immunization');
    expect(dose).not.toHaveProperty('protocolApplied');
    expect(dose?.vaccineCode).toEqual({ text: 'Yellow fever vaccine' });
    expect(continuitySummaryProblems(bundle)).toEqual([]);
  });

  it('records anti-HBs as a LOINC-coded quantity in mIU/mL with its Green Book band', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const [antiHbs] = resources(bundle, 'Observation') as FhirObservation[];
    expect(antiHbs).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '16935-9' }] },
      effectiveDateTime: '2026-02-10',
      valueQuantity: { value: 142, unit: 'mIU/mL', system: 'http://unitsofmeasure.org', code: 'm[IU]/mL' },
      interpretation: [{ text: 'Responder (100 mIU/mL or more)' }],
    });
  });

  it('records PHQ-9 and GAD-7 totals with their LOINC codes and severity as interpretation text', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const surveys = (resources(bundle, 'Observation') as FhirObservation[]).filter(
      (o) => o.category[0]?.coding?.[0]?.code === 'survey',
    );
    expect(
      surveys.map((o) => [
        o.code.coding?.[0]?.code,
        o.valueInteger,
        o.interpretation?.[0]?.text,
        o.effectiveDateTime,
      ]),
    ).toEqual([
      ['44261-6', 12, 'Moderate', '2026-02-20T09:00:00.000Z'],
      ['70274-6', 7, 'Mild', '2026-02-20T09:05:00.000Z'],
    ]);
    expect(section(bundle, 'Results').entry).toHaveLength(3);
    expect(section(bundle, 'Results').text.div).toContain('PHQ-9 total 12 of 27 (Moderate)');
  });

  it('gives fitness for work, adjustments and the care plan as narrative only', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const fitness = section(bundle, 'Fitness for work and adjustments');
    expect(fitness.entry).toBeUndefined();
    expect(fitness.text.div).toContain(
      'Fit for work with adjustments (recorded 21 February 2026). Adjustments: Phased return to work; No night shifts for 6 weeks',
    );
    const care = section(bundle, 'Care to continue');
    expect(care.text.div).toContain('<li>Continue sertraline review with GP</li>');
    expect(care.text.div).toContain('Retirement date: 31 March 2026.');
  });

  it('records the consent: active privacy consent, patient, date, permit, recipient as actor', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const [consent] = resources(bundle, 'Consent') as [FhirConsent];
    expect(consent).toMatchObject({
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '64292-6' }] }],
      dateTime: '2026-03-02T10:15:00.000Z',
      provision: { type: 'permit' },
    });
    expect(resolve(bundle, consent.patient).resourceType).toBe('Patient');
    expect(consent.policyRule.coding?.[0]?.code).toBe('OPTIN');
    const actor = consent.provision.actor?.[0];
    expect(actor && (resolve(bundle, actor.reference) as FhirOrganization).name).toBe(
      'Riverside Medical Practice',
    );
    expect(section(bundle, 'Consent').entry).toEqual([{ reference: `urn:uuid:${consent.id}` }]);
  });

  it('without a recipient: no Recipient section, no GP on the Patient, no consent actor, still valid', () => {
    const bundle = buildContinuitySummary(summaryInput({ recipient: null }));
    expect(composition(bundle).section.map((s) => s.title)).not.toContain('Recipient');
    expect(resources(bundle, 'Patient')[0]).not.toHaveProperty('generalPractitioner');
    expect(resources(bundle, 'Consent')[0]?.provision).not.toHaveProperty('actor');
    expect(section(bundle, 'Consent').text.div).toContain('their NHS care providers');
    expect(continuitySummaryProblems(bundle)).toEqual([]);
  });

  it('keeps empty sections with "None recorded." and no entries, and still validates', () => {
    const bundle = buildContinuitySummary(
      summaryInput({
        immunisations: [],
        antibodyLevels: [],
        measures: [],
        fitness: [],
        carePlan: [],
        retirementDate: null,
      }),
    );
    expect(continuitySummaryProblems(bundle)).toEqual([]);
    for (const title of [
      'Immunisations',
      'Results',
      'Fitness for work and adjustments',
      'Care to continue',
    ]) {
      const empty = section(bundle, title);
      expect(empty.text.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>None recorded.</p></div>');
      expect(empty).not.toHaveProperty('entry');
    }
    expect(resources(bundle, 'Immunization')).toEqual([]);
    expect(resources(bundle, 'Observation')).toEqual([]);
  });

  it('is pure: the same input gives the same document and the input is not changed', () => {
    const frozen = summaryInput();
    const before = JSON.stringify(frozen);
    const first = buildContinuitySummary({ ...frozen, newId: idSource() });
    const second = buildContinuitySummary({ ...frozen, newId: idSource() });
    expect(second).toEqual(first);
    expect(JSON.stringify(frozen)).toBe(before);
  });

  it('makes one Organization of an in-house service whose host is the employer, with its ODS code', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const organisations = resources(bundle, 'Organization');
    const employer = organisations.filter((o) => o.name === EMPLOYER);
    expect(employer).toHaveLength(1);
    expect(employer[0]?.identifier).toEqual([
      { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: EMPLOYER_ODS },
    ]);
    const custodian = resolve(bundle, composition(bundle).custodian) as FhirOrganization;
    expect(custodian.name).toBe(PROVIDER);
    expect(custodian.partOf && resolve(bundle, custodian.partOf)).toBe(employer[0]);
  });

  it('leaves blank employment details and a blank clinician role out rather than sending empty strings', () => {
    const input = summaryInput();
    const bundle = buildContinuitySummary({
      ...input,
      person: { ...input.person, jobTitle: ' ', staffGroup: '' },
      author: { ...input.author, role: '' },
    });
    expect(section(bundle, 'Employment').text.div).toBe(
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>Employer: Northmoor Police</p></div>',
    );
    expect(resources(bundle, 'PractitionerRole')[0]).not.toHaveProperty('code');
    expect(continuitySummaryProblems(bundle)).toEqual([]);
  });

  it('lower-cases upper-case UUIDs, because FHIR uuids are lower case', () => {
    let n = 0;
    const bundle = buildContinuitySummary(
      summaryInput({
        bundleId: '7D1F5C1E-3B7A-4D0E-9A51-0C6F3E2B9A10',
        newId: () => `ABCDEF00-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      }),
    );
    expect(bundle.identifier.value).toBe('urn:uuid:7d1f5c1e-3b7a-4d0e-9a51-0c6f3e2b9a10');
    expect(continuitySummaryProblems(bundle)).toEqual([]);
  });
});

describe('buildContinuitySummary: security-sensitive person (DOMAIN.md)', () => {
  it('has no employer name, provider or host name, job title, staff group or ODS code anywhere', () => {
    const bundle = buildContinuitySummary(sensitiveInput());
    const json = JSON.stringify(bundle).toLowerCase();
    for (const term of FORBIDDEN) expect(json, term).not.toContain(term.toLowerCase());
    expect(json).not.toContain('northmoor');
    expect(json).not.toContain('force medical adviser');
    expect(employerIdentityLeaks(bundle, sensitiveInput())).toEqual([]);
    expect(continuitySummaryProblems(bundle)).toEqual([]);
  });

  it('the same record for a person who is not security-sensitive does carry them', () => {
    const bundle = buildContinuitySummary(summaryInput());
    const json = JSON.stringify(bundle);
    for (const term of FORBIDDEN) expect(json, term).toContain(term);
    const employment = section(bundle, 'Employment');
    expect(employment.text.div).toBe(
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>Employer: Northmoor Police</p>' +
        '<p>Job title: Detective Sergeant</p><p>Staff group: Police officer</p></div>',
    );
    // The check is only for security-sensitive people.
    expect(employerIdentityLeaks(bundle, summaryInput())).toEqual([]);
    expect(employerIdentityLeaks(bundle, sensitiveInput())).toEqual(expect.arrayContaining(FORBIDDEN));
  });

  it('names the custodian neutrally with no identifier, and the clinician by name only', () => {
    const bundle = buildContinuitySummary(sensitiveInput());
    const doc = composition(bundle);
    expect(resolve(bundle, doc.custodian)).toEqual({
      resourceType: 'Organization',
      id: expect.any(String),
      meta: { profile: [`${UK_CORE_PROFILE_BASE}Organization`] },
      name: NEUTRAL_SERVICE_NAME,
    });
    expect(doc.author).toHaveLength(1);
    const practitioner = resolve(bundle, doc.author[0] ?? { reference: '' }) as FhirPractitioner;
    expect(practitioner.name).toEqual([{ text: 'Dr Priya Shah' }]);
    expect(resources(bundle, 'PractitionerRole')).toEqual([]);
    expect(doc.section.map((s) => s.title)).not.toContain('Employment');
    expect(doc.confidentiality).toBe('R');
    // Only the neutral service and the GP practice remain.
    expect(resources(bundle, 'Organization').map((o) => o.name)).toEqual([
      'Riverside Medical Practice',
      NEUTRAL_SERVICE_NAME,
    ]);
  });

  it('withholds employer-identifying terms that a clinician wrote into free text, whatever their case', () => {
    const bundle = buildContinuitySummary(
      sensitiveInput({
        carePlan: ['Liaise with NORTHMOOR POLICE welfare team before any change'],
        fitness: [
          {
            outcome: 'Fit for restricted duties as a detective sergeant',
            adjustments: ['No public-facing police officer duties'],
            recordedAt: null,
          },
        ],
      }),
    );
    const json = JSON.stringify(bundle).toLowerCase();
    for (const term of FORBIDDEN) expect(json, term).not.toContain(term.toLowerCase());
    expect(section(bundle, 'Care to continue').text.div).toContain(
      `Liaise with ${WITHHELD} welfare team before any change`,
    );
    expect(section(bundle, 'Fitness for work and adjustments').text.div).toContain(
      `Fit for restricted duties as a ${WITHHELD}. Adjustments: No public-facing ${WITHHELD} duties`,
    );
  });

  it('keeps the chosen contact address, but leaves out one that names the employer (a work address)', () => {
    const chosen = buildContinuitySummary(sensitiveInput());
    expect(resources(chosen, 'Patient')[0]?.address).toEqual([{ text: 'PO Box 12, Leeds LS1 1AA' }]);

    const input = sensitiveInput();
    const work = buildContinuitySummary({
      ...input,
      person: { ...input.person, contactAddress: 'c/o Northmoor Police HQ, 1 High Street, Northmoor' },
    });
    expect(resources(work, 'Patient')[0]).not.toHaveProperty('address');
    expect(JSON.stringify(work)).not.toContain('High Street');
  });

  it('never leaks, and always validates, whatever free text is written (property)', () => {
    const term = fc.constantFrom(...FORBIDDEN);
    const casing = fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toUpperCase(),
      (s: string) => s.toLowerCase(),
    );
    const freeText = fc
      .tuple(
        fc.string(),
        term,
        casing,
        fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", 'a', ' ', '\u0001') }),
      )
      .map(([before, t, cased, after]) => `${before}${cased(t)}${after}`);
    fc.assert(
      fc.property(
        fc.array(freeText, { maxLength: 4 }),
        fc.array(freeText, { maxLength: 3 }),
        (carePlan, adjustments) => {
          const input = sensitiveInput({
            carePlan,
            fitness: [{ outcome: 'fit-with-adjustments', adjustments, recordedAt: null }],
          });
          const bundle = buildContinuitySummary(input);
          expect(employerIdentityLeaks(bundle, input)).toEqual([]);
          expect(continuitySummaryProblems(bundle)).toEqual([]);
        },
      ),
    );
  });
});

describe('buildContinuitySummary: narrative escaping', () => {
  it('escapes <, > and & so that a care plan item cannot inject markup', () => {
    const bundle = buildContinuitySummary(
      summaryInput({ carePlan: ['<script>alert("x")</script> review B12 & folate <b>now</b>'] }),
    );
    const div = section(bundle, 'Care to continue').text.div;
    expect(div).toContain(
      '<li>&lt;script&gt;alert("x")&lt;/script&gt; review B12 &amp; folate &lt;b&gt;now&lt;/b&gt;</li>',
    );
    expect(div).not.toContain('<script');
    expect(xhtmlProblems(div)).toEqual([]);
    expect(continuitySummaryProblems(bundle)).toEqual([]);
  });

  it('drops characters that XML forbids, so the narrative still parses', () => {
    const bundle = buildContinuitySummary(summaryInput({ carePlan: ['Bell\u0007 ringing'] }));
    expect(section(bundle, 'Care to continue').text.div).toContain('<li>Bell ringing</li>');
  });
});

describe('buildContinuitySummary: refuses a record that would make an invalid document', () => {
  it.each([
    [
      'an impossible date',
      { immunisations: [{ vaccine: 'hepatitis-b', onDate: '2025-02-30', dose: 1 }] },
      '/immunisations/0/onDate',
    ],
    [
      'a date in another format',
      { antibodyLevels: [{ vaccine: 'hepatitis-b', onDate: '10/02/2026', level: 5 }] },
      '/antibodyLevels/0/onDate',
    ],
    [
      'a dose number of 0',
      { immunisations: [{ vaccine: 'hepatitis-b', onDate: '2025-02-03', dose: 0 }] },
      '/immunisations/0/dose',
    ],
    [
      'a negative level',
      { antibodyLevels: [{ vaccine: 'hepatitis-b', onDate: '2026-02-10', level: -1 }] },
      '/antibodyLevels/0/level',
    ],
    [
      'a PHQ-9 total above 27',
      {
        measures: [
          { instrument: 'PHQ-9' as const, total: 28, severity: 'severe', takenAt: new Date('2026-01-01') },
        ],
      },
      '/measures/0/total',
    ],
    ['an invalid instant', { consent: { recordedAt: new Date('nonsense') } }, '/consent/recordedAt'],
    ['a bad retirement date', { retirementDate: '2026-13-01' }, '/retirementDate'],
    ['a bundle id that is not a UUID', { bundleId: 'doc-1' }, '/bundleId'],
  ] satisfies [string, Partial<ContinuitySummaryInput>, string][])('%s', (_name, overrides, path) => {
    expect(refusal(summaryInput(overrides)).map((e) => e.path)).toContain(path);
  });

  it('refuses an NHS number whose check digit is wrong (it would file the summary against someone else)', () => {
    const input = summaryInput();
    expect(refusal({ ...input, person: { ...input.person, nhsNumber: '401 023 2138' } })).toEqual([
      { path: '/person/nhsNumber', message: 'Enter a valid 10-digit NHS number' },
    ]);
    expect(() =>
      buildContinuitySummary({ ...input, person: { ...input.person, nhsNumber: '9000000009' } }),
    ).not.toThrow();
  });

  it('throws a plain error when the id source does not give UUIDs (a programming error)', () => {
    expect(() => buildContinuitySummary(summaryInput({ newId: () => 'not-a-uuid' }))).toThrow(
      /newId\(\) must return a UUID/,
    );
  });
});

describe('continuitySummaryProblems', () => {
  /** A fresh valid document to spoil (a deep copy, so that a test may change anything). */
  function spoilable(): FhirBundle {
    return structuredClone(buildContinuitySummary(summaryInput()));
  }
  // Spoiling breaks the types on purpose, so these go around them.
  const set = (target: object | undefined, key: string, value: unknown) =>
    Reflect.set(target ?? {}, key, value);
  const drop = (target: object | undefined, key: string) => Reflect.deleteProperty(target ?? {}, key);
  const entry = (bundle: FhirBundle, index: number) => bundle.entry[index];
  const doc = (bundle: FhirBundle) => composition(bundle);
  const first = <T extends FhirResource['resourceType']>(bundle: FhirBundle, type: T) =>
    resources(bundle, type)[0];

  it('finds nothing wrong with a built document', () => {
    expect(continuitySummaryProblems(spoilable())).toEqual([]);
  });

  it.each<[string, (bundle: FhirBundle) => unknown, string]>([
    ['not a Bundle', (b) => set(b, 'resourceType', 'Composition'), 'resourceType must be Bundle'],
    ['not a document', (b) => set(b, 'type', 'collection'), 'type must be document'],
    ['no identifier', (b) => drop(b, 'identifier'), 'identifier must have system'],
    ['no timestamp', (b) => drop(b, 'timestamp'), 'timestamp is required'],
    ['the Composition not first', (b) => b.entry.reverse(), 'the first entry must be the Composition'],
    [
      'an upper-case fullUrl',
      (b) => set(entry(b, 1), 'fullUrl', entry(b, 1)?.fullUrl.toUpperCase()),
      'fullUrl must be urn:uuid',
    ],
    [
      'an id that differs from the fullUrl',
      (b) => set(entry(b, 1)?.resource, 'id', 'x'),
      'must equal the uuid',
    ],
    ['a missing UK Core profile', (b) => drop(entry(b, 2)?.resource, 'meta'), 'meta.profile must include'],
    [
      'a dangling reference',
      (b) => set(doc(b).subject, 'reference', 'urn:uuid:99999999-9999-4999-8999-999999999999'),
      'does not resolve to an entry',
    ],
    [
      'a subject that is not a Patient',
      (b) => set(doc(b), 'subject', doc(b).custodian),
      'Composition.subject must refer to a Patient entry',
    ],
    ['an unreferenced entry', (b) => set(doc(b), 'section', doc(b).section.slice(0, 1)), 'is not referenced'],
    ['a section with no title', (b) => drop(doc(b).section[0], 'title'), 'title is required'],
    ['a section with no text', (b) => drop(doc(b).section[0], 'text'), 'text.div is required'],
    [
      'a narrative with an unescaped &',
      (b) =>
        set(doc(b).section[0]?.text, 'div', '<div xmlns="http://www.w3.org/1999/xhtml">B12 & folate</div>'),
      'unescaped "&"',
    ],
    [
      'a bad birth date',
      (b) => set(first(b, 'Patient'), 'birthDate', '02/11/1979'),
      'is not a valid FHIR date',
    ],
    [
      'a dateTime without a zone',
      (b) => set(doc(b), 'date', '2026-03-03T14:30:00'),
      'is not a valid FHIR dateTime',
    ],
    [
      'an impossible date',
      (b) => set(first(b, 'Immunization'), 'occurrenceDateTime', '2025-02-29'),
      'is not a valid FHIR dateTime',
    ],
    ['a date-only timestamp', (b) => set(b, 'timestamp', '2026-03-03'), 'is not a valid FHIR instant'],
    ['an empty string', (b) => set(first(b, 'Practitioner')?.name[0], 'text', ' '), 'is an empty string'],
    ['an empty array', (b) => set(first(b, 'Consent'), 'performer', []), 'is an empty array'],
  ])('reports %s', (_name, spoil, expected) => {
    const bundle = spoilable();
    spoil(bundle);
    const problems = continuitySummaryProblems(bundle);
    expect(
      problems.some((p) => p.includes(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('reports a value that is not a JSON object at all', () => {
    expect(continuitySummaryProblems('Bundle')).toEqual(['the document is not a JSON object']);
  });
});

describe('xhtmlProblems', () => {
  const div = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;

  it('accepts escaped text, nested lists, entities and self-closing elements', () => {
    expect(
      xhtmlProblems(div('<p>a &amp; b &lt; c &#163; &#x2014;</p><ul><li>one<br/>two</li></ul>')),
    ).toEqual([]);
  });

  it.each([
    ['no namespace', '<div><p>x</p></div>', 'must declare xmlns'],
    ['a script element', div('<script>alert(1)</script>'), '<script> is not allowed'],
    ['an event handler', div('<p onclick="x()">x</p>'), 'event handler attribute onclick'],
    ['a javascript: link', div('<a href="javascript:x()">x</a>'), 'javascript: URL'],
    ['an unclosed element', div('<p>x'), '</div> does not close <p>'],
    ['an element never closed', '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p>', 'unclosed <div>'],
    ['a mismatched close', div('<p>x</b></p>'), '</b> does not close <p>'],
    ['a close with nothing open', `${div('x')}</p>`, '</p> does not close any element'],
    ['an unescaped <', div('<p>1 < 2</p>'), 'unescaped "<"'],
    ['an unknown entity', div('<p>&nbsp;</p>'), 'unescaped "&"'],
    ['two roots', `${div('x')}${div('y')}`, 'exactly one root div'],
    ['text outside the root', `x${div('y')}`, 'text outside the root div'],
    ['no text', div('<p> </p>'), 'has no text'],
    [
      'a root that is not a div',
      '<p xmlns="http://www.w3.org/1999/xhtml">x</p>',
      'root element must be a div',
    ],
  ])('rejects %s', (_name, xhtml, expected) => {
    const problems = xhtmlProblems(xhtml);
    expect(
      problems.some((p) => p.includes(expected)),
      problems.join('\n'),
    ).toBe(true);
  });
});

describe('employerIdentityTerms', () => {
  it('lists the non-blank employer-identifying values once each', () => {
    const input = summaryInput();
    expect(employerIdentityTerms(input)).toEqual([
      EMPLOYER,
      EMPLOYER_ODS,
      JOB_TITLE,
      STAFF_GROUP,
      PROVIDER,
      PROVIDER_ODS,
    ]);
    expect(
      employerIdentityTerms({
        person: { ...input.person, organisationOdsCode: null },
        provider: { ...input.provider, odsCode: ' ' },
      }),
    ).toEqual([EMPLOYER, JOB_TITLE, STAFF_GROUP, PROVIDER]);
  });
});
