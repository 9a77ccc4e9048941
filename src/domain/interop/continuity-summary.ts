import { FITNESS_LABELS, FITNESS_OUTCOMES, type FitnessOutcome } from '../cases/case.rules.ts';
import { HEPATITIS_B_RULES, hepatitisBStatus } from '../exposures/hepatitis-b.rules.ts';
import { INSTRUMENTS, type Severity, severityLabel } from '../measures/instrument.rules.ts';
import { type FieldError, Invalid } from '../shared/errors.ts';
import { formatDate, formatLondonDateTime } from '../time/london.ts';

/**
 * The continuity-of-care summary that occupational health sends, with the person's consent, so that
 * care continues in the NHS (API.md `POST /api/v1/people/{id}/continuity-summary`): a FHIR R4
 * document Bundle on UK Core profiles (DOMAIN.md, "Interoperability").
 *
 * For a security-sensitive person nothing in the document may name the employer or the force, nor
 * carry a work address (DOMAIN.md, "Reports, consent and confidentiality"). That rule is applied here,
 * in one place, and can be checked again with `employerIdentityLeaks` just before sending.
 */

// ---------------------------------------------------------------------------------------------------
// Minimal FHIR R4 types: only the elements this document uses, so the compiler checks what we build.
// ---------------------------------------------------------------------------------------------------

/** FHIR Coding. */
export type FhirCoding = { system: string; code: string; display?: string };
/** FHIR CodeableConcept. */
export type FhirCodeableConcept = { coding?: FhirCoding[]; text?: string };
/** FHIR Identifier. */
export type FhirIdentifier = { system: string; value: string };
/** FHIR Reference to another entry of the same document, by its `urn:uuid:` fullUrl. */
export type FhirReference = { reference: string };
/** FHIR Narrative: an XHTML `div` in the XHTML namespace. */
export type FhirNarrative = { status: 'generated'; div: string };
/** FHIR Meta, here only the profiles a resource claims. */
export type FhirMeta = { profile: string[] };
/** FHIR Quantity. */
export type FhirQuantity = { value: number; unit: string; system: string; code: string };

type ResourceBase<T extends string> = { resourceType: T; id: string; meta: FhirMeta };

/** A section of the Composition: a heading, its narrative and the entries it stands for. */
export type FhirCompositionSection = {
  title: string;
  code?: FhirCodeableConcept;
  text: FhirNarrative;
  entry?: FhirReference[];
};
/** FHIR Composition (UK Core). */
export type FhirComposition = ResourceBase<'Composition'> & {
  status: 'final';
  type: FhirCodeableConcept;
  subject: FhirReference;
  date: string;
  author: FhirReference[];
  title: string;
  confidentiality: 'N' | 'R';
  custodian: FhirReference;
  section: FhirCompositionSection[];
};
/** FHIR Patient (UK Core). */
export type FhirPatient = ResourceBase<'Patient'> & {
  identifier?: FhirIdentifier[];
  name: { use: 'official'; family: string; given?: string[] }[];
  gender?: 'female' | 'male' | 'other';
  birthDate?: string;
  address?: { text: string }[];
  generalPractitioner?: FhirReference[];
};
/** FHIR Practitioner (UK Core). */
export type FhirPractitioner = ResourceBase<'Practitioner'> & { name: { text: string }[] };
/** FHIR PractitionerRole (UK Core). */
export type FhirPractitionerRole = ResourceBase<'PractitionerRole'> & {
  practitioner: FhirReference;
  organization: FhirReference;
  code?: FhirCodeableConcept[];
};
/** FHIR Organization (UK Core). */
export type FhirOrganization = ResourceBase<'Organization'> & {
  identifier?: FhirIdentifier[];
  name: string;
  partOf?: FhirReference;
};
/** FHIR Immunization (UK Core). */
export type FhirImmunization = ResourceBase<'Immunization'> & {
  status: 'completed';
  vaccineCode: FhirCodeableConcept;
  patient: FhirReference;
  occurrenceDateTime: string;
  protocolApplied?: { doseNumberPositiveInt: number }[];
};
/** FHIR Observation (UK Core). */
export type FhirObservation = ResourceBase<'Observation'> & {
  status: 'final';
  category: FhirCodeableConcept[];
  code: FhirCodeableConcept;
  subject: FhirReference;
  effectiveDateTime: string;
  valueQuantity?: FhirQuantity;
  valueInteger?: number;
  interpretation?: FhirCodeableConcept[];
};
/** FHIR Consent (UK Core): a privacy consent to share this summary. */
export type FhirConsent = ResourceBase<'Consent'> & {
  status: 'active';
  scope: FhirCodeableConcept;
  category: FhirCodeableConcept[];
  patient: FhirReference;
  dateTime: string;
  performer: FhirReference[];
  organization: FhirReference[];
  policyRule: FhirCodeableConcept;
  provision: {
    type: 'permit';
    purpose: FhirCoding[];
    actor?: { role: FhirCodeableConcept; reference: FhirReference }[];
  };
};
/** Any resource this document may hold. */
export type FhirResource =
  | FhirComposition
  | FhirPatient
  | FhirPractitioner
  | FhirPractitionerRole
  | FhirOrganization
  | FhirImmunization
  | FhirObservation
  | FhirConsent;
/** One entry of the document. */
export type FhirBundleEntry = { fullUrl: string; resource: FhirResource };
/** FHIR document Bundle: the Composition first, then everything it refers to. */
export type FhirBundle = {
  resourceType: 'Bundle';
  id: string;
  identifier: FhirIdentifier;
  type: 'document';
  timestamp: string;
  entry: FhirBundleEntry[];
};

// ---------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------

/** Everything the summary is built from. Ids and time come in so that the function stays pure. */
export type ContinuitySummaryInput = {
  /** UUID of the document (Bundle.id and Bundle.identifier). */
  bundleId: string;
  /** When the document is made: Bundle.timestamp and Composition.date. */
  now: Date;
  /** A fresh UUID for each resource (each entry's fullUrl is `urn:uuid:<id>`). */
  newId: () => string;
  person: {
    /** Internal id: deliberately not put in the document (an internal identifier system would name the service). */
    id: string;
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    nhsNumber: string | null;
    sex: 'female' | 'male' | 'other' | null;
    /** The person's chosen contact address, free text. */
    contactAddress: string | null;
    securitySensitive: boolean;
    organisationName: string;
    organisationOdsCode: string | null;
    jobTitle: string;
    staffGroup: string;
  };
  provider: { name: string; hostOrganisationName: string; odsCode: string | null };
  /** The OH clinician who authors the summary. */
  author: { userId: string; name: string; role: string };
  /** The person's GP practice, if given. */
  recipient: { name: string; odsCode: string | null } | null;
  consent: { recordedAt: Date };
  immunisations: Array<{ vaccine: 'hepatitis-b' | string; onDate: string; dose: number | null }>;
  /** Antibody levels in mIU/mL (anti-HBs for hepatitis B). */
  antibodyLevels: Array<{ vaccine: string; onDate: string; level: number }>;
  measures: Array<{ instrument: 'PHQ-9' | 'GAD-7'; total: number; severity: string; takenAt: Date }>;
  /** The latest fitness-for-work outcomes (no diagnosis: DOMAIN.md, FOM ethics guidance). */
  fitness: Array<{ outcome: string; adjustments: string[]; recordedAt: Date | null }>;
  /** Plain-text items of what should continue in the NHS. */
  carePlan: string[];
  retirementDate: string | null;
};

// ---------------------------------------------------------------------------------------------------
// Codes and systems
// ---------------------------------------------------------------------------------------------------

/** Base of every UK Core profile URL; a resource's profile is this plus its resourceType. */
export const UK_CORE_PROFILE_BASE = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-';
/** The Composition's title. */
export const CONTINUITY_SUMMARY_TITLE = 'Continuity of care summary from occupational health';
/** The only name the authoring service has in a security-sensitive person's document. */
export const NEUTRAL_SERVICE_NAME = 'Occupational health service';
/** What stands in free text where an employer-identifying term was written. */
export const WITHHELD = '[withheld]';
/** Text of an empty section: the section is kept so a reader knows the record was looked at. */
export const NONE_RECORDED = 'None recorded.';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

// SNOMED CT 371535009 |Transfer summary report (record artifact)|: the record artifact for a summary
// that hands a person's care on to another service, which is what this document does.
const DOCUMENT_TYPE: FhirCodeableConcept = {
  coding: [{ system: SNOMED, code: '371535009', display: 'Transfer summary report' }],
  text: 'Continuity of care summary',
};

// SNOMED CT 871822003 |Vaccine product containing only Hepatitis B virus antigen (medicinal product)|,
// the concept UK Core's vaccine-code binding draws from (descendants of 787859002 |Vaccine product|).
const HEPATITIS_B_VACCINE: FhirCodeableConcept = {
  coding: [
    {
      system: SNOMED,
      code: '871822003',
      display: 'Vaccine product containing only Hepatitis B virus antigen (medicinal product)',
    },
  ],
  text: 'Hepatitis B vaccine',
};

// LOINC 16935-9 is the quantitative anti-HBs result (22322-2 is the qualitative one); the OH record
// holds a level in mIU/mL, UCUM m[IU]/mL.
const ANTI_HBS: FhirCodeableConcept = {
  coding: [
    { system: LOINC, code: '16935-9', display: 'Hepatitis B virus surface Ab [Units/volume] in Serum' },
  ],
  text: 'Hepatitis B surface antibody (anti-HBs)',
};
const ANTI_HBS_UNIT = { unit: 'mIU/mL', system: UCUM, code: 'm[IU]/mL' } as const;

const LOINC_TOTAL_DISPLAY: Record<'PHQ-9' | 'GAD-7', string> = {
  'PHQ-9': 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
  'GAD-7': 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
};

// LOINC section codes as used by the International Patient Summary and C-CDA for the same headings.
const SECTION_CODES = {
  immunisations: { system: LOINC, code: '11369-6', display: 'History of Immunization Narrative' },
  results: { system: LOINC, code: '30954-2', display: 'Relevant diagnostic tests/laboratory data Narrative' },
  carePlan: { system: LOINC, code: '18776-5', display: 'Plan of care note' },
} satisfies Record<string, FhirCoding>;

const KNOWN_SEVERITIES: ReadonlySet<string> = new Set(
  Object.values(INSTRUMENTS).flatMap((definition) => definition.bands.map((band) => band.severity)),
);

// ---------------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------------

/**
 * Builds the continuity-of-care summary as a FHIR R4 document Bundle (UK Core profiles).
 *
 * The Composition comes first, then Patient, Practitioner (and PractitionerRole), the organisations,
 * Immunizations, Observations and the Consent. Every section is present even when empty ("None
 * recorded."), except "Employment", which a security-sensitive person's document never has, and
 * "Recipient", which needs a recipient.
 *
 * For a security-sensitive person: the custodian is a neutral "Occupational health service" with no
 * identifier; no employer, provider or host organisation, job title, staff group or employer ODS
 * code is written; the clinician appears by name only; free text (fitness outcomes, adjustments, care
 * plan) has any of those terms replaced by "[withheld]"; and a contact address that names the
 * employer is left out, because it is then a work address.
 *
 * @param input the person, their OH record to carry over, the author and the consent; ids and time
 * @returns the document Bundle, ready to serialise as JSON
 * @throws Invalid when a date, an NHS number, a dose number, a level or a score is malformed (each
 *   error names its field, e.g. `/immunisations/0/onDate`)
 */
export function buildContinuitySummary(input: ContinuitySummaryInput): FhirBundle {
  validateInput(input);
  const { person, provider, author, recipient } = input;
  const sensitive = person.securitySensitive;
  const terms = employerIdentityTerms(input);
  // Every later step reads the record through this copy, so no free text can bypass the redaction.
  const record = sensitive ? withheldFromFreeText(input, redactor(terms)) : input;

  const nextId = (): string => {
    const id = input.newId().toLowerCase();
    // A programming error, not bad user input: the caller's id source must produce UUIDs.
    if (!UUID.test(id)) throw new Error(`newId() must return a UUID, got "${id}"`);
    return id;
  };
  const entries: FhirBundleEntry[] = [];
  const add = <R extends FhirResource>(resource: R): FhirReference => {
    const fullUrl = `urn:uuid:${resource.id}`;
    entries.push({ fullUrl, resource });
    return { reference: fullUrl };
  };
  const base = <T extends FhirResource['resourceType']>(resourceType: T) => ({
    resourceType,
    id: nextId(),
    meta: { profile: [`${UK_CORE_PROFILE_BASE}${resourceType}`] },
  });

  // The Composition takes the first id so that it is also first in id order.
  const compositionBase = base('Composition');

  // Organisations, deduplicated by name so that an in-house service whose host is the employer is one
  // resource; a later mention may add the ODS code an earlier one lacked.
  const organisations = new Map<string, { reference: FhirReference; resource: FhirOrganization }>();
  const organisation = (name: string, odsCode: string | null, partOf?: FhirReference): FhirReference => {
    const key = name.trim().toLowerCase();
    const identifier = odsCode?.trim() ? [{ system: ODS_SYSTEM, value: odsCode.trim() }] : undefined;
    const known = organisations.get(key);
    if (known) {
      if (identifier && !known.resource.identifier) known.resource.identifier = identifier;
      if (partOf && !known.resource.partOf) known.resource.partOf = partOf;
      return known.reference;
    }
    const resource: FhirOrganization = {
      ...base('Organization'),
      ...(identifier ? { identifier } : {}),
      name: name.trim(),
      ...(partOf ? { partOf } : {}),
    };
    const reference = add(resource);
    organisations.set(key, { reference, resource });
    return reference;
  };

  const recipientRef = recipient ? organisation(recipient.name, recipient.odsCode) : null;

  const patientRef = add<FhirPatient>({
    ...base('Patient'),
    ...(person.nhsNumber
      ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhsDigits(person.nhsNumber) }] }
      : {}),
    name: [{ use: 'official', family: person.familyName.trim(), ...givenNames(person.givenName) }],
    ...(person.sex ? { gender: person.sex } : {}),
    ...(person.dateOfBirth ? { birthDate: person.dateOfBirth } : {}),
    ...contactAddress(person.contactAddress, sensitive, terms),
    ...(recipientRef ? { generalPractitioner: [recipientRef] } : {}),
  });

  const practitionerRef = add<FhirPractitioner>({
    ...base('Practitioner'),
    name: [{ text: author.name.trim() }],
  });

  let custodianRef: FhirReference;
  const authors = [practitionerRef];
  let employerRef: FhirReference | null = null;
  if (sensitive) {
    // No identifier and no partOf: an ODS code or a parent organisation would name the force.
    custodianRef = add<FhirOrganization>({ ...base('Organization'), name: NEUTRAL_SERVICE_NAME });
  } else {
    const host =
      provider.hostOrganisationName.trim() &&
      provider.hostOrganisationName.trim().toLowerCase() !== provider.name.trim().toLowerCase()
        ? organisation(provider.hostOrganisationName, null)
        : undefined;
    custodianRef = organisation(provider.name.trim() || NEUTRAL_SERVICE_NAME, provider.odsCode, host);
    authors.push(
      add<FhirPractitionerRole>({
        ...base('PractitionerRole'),
        practitioner: practitionerRef,
        organization: custodianRef,
        ...(author.role.trim() ? { code: [{ text: author.role.trim() }] } : {}),
      }),
    );
    if (person.organisationName.trim()) {
      employerRef = organisation(person.organisationName, person.organisationOdsCode);
    }
  }

  const immunisations = [...record.immunisations].sort((a, b) => a.onDate.localeCompare(b.onDate));
  const immunisationRefs = immunisations.map((dose) =>
    add<FhirImmunization>({
      ...base('Immunization'),
      status: 'completed',
      vaccineCode: vaccineCode(dose.vaccine),
      patient: patientRef,
      occurrenceDateTime: dose.onDate,
      ...(dose.dose !== null ? { protocolApplied: [{ doseNumberPositiveInt: dose.dose }] } : {}),
    }),
  );

  const levels = [...record.antibodyLevels].sort((a, b) => a.onDate.localeCompare(b.onDate));
  const levelRefs = levels.map((result) =>
    add<FhirObservation>({
      ...base('Observation'),
      status: 'final',
      category: [category('laboratory', 'Laboratory')],
      code: isHepatitisB(result.vaccine)
        ? ANTI_HBS
        : { text: `${vaccineLabel(result.vaccine)} antibody level` },
      subject: patientRef,
      effectiveDateTime: result.onDate,
      valueQuantity: { value: result.level, ...ANTI_HBS_UNIT },
      ...(isHepatitisB(result.vaccine) ? { interpretation: [{ text: antiHbsBand(result.level) }] } : {}),
    }),
  );

  const measures = [...record.measures].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
  const measureRefs = measures.map((measure) =>
    add<FhirObservation>({
      ...base('Observation'),
      status: 'final',
      category: [category('survey', 'Survey')],
      code: {
        coding: [
          {
            system: LOINC,
            code: INSTRUMENTS[measure.instrument].loincTotal,
            display: LOINC_TOTAL_DISPLAY[measure.instrument],
          },
        ],
        text: `${measure.instrument} total score`,
      },
      subject: patientRef,
      effectiveDateTime: measure.takenAt.toISOString(),
      valueInteger: measure.total,
      interpretation: [{ text: severityText(measure.severity) }],
    }),
  );

  const consentRef = add<FhirConsent>({
    ...base('Consent'),
    status: 'active',
    scope: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/consentscope',
          code: 'patient-privacy',
          display: 'Privacy Consent',
        },
      ],
    },
    category: [{ coding: [{ system: LOINC, code: '64292-6', display: 'Release of information consent' }] }],
    patient: patientRef,
    dateTime: input.consent.recordedAt.toISOString(),
    // The person gave the consent; the OH service holds it.
    performer: [patientRef],
    organization: [custodianRef],
    // R4 ppc-1: a Consent needs a policy or a policyRule; this is an explicit opt-in to share.
    policyRule: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' },
      ],
    },
    provision: {
      type: 'permit',
      purpose: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' },
      ],
      ...(recipientRef
        ? {
            actor: [
              {
                role: {
                  coding: [
                    {
                      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                      code: 'IRCP',
                      display: 'information recipient',
                    },
                  ],
                },
                reference: recipientRef,
              },
            ],
          }
        : {}),
    },
  });

  const sections: FhirCompositionSection[] = [
    {
      title: 'Immunisations',
      code: { coding: [SECTION_CODES.immunisations] },
      text: narrative(immunisationsHtml(immunisations, levels)),
      ...entryList(immunisationRefs),
    },
    {
      title: 'Results',
      code: { coding: [SECTION_CODES.results] },
      text: narrative(resultsHtml(levels, measures)),
      ...entryList([...levelRefs, ...measureRefs]),
    },
    {
      title: 'Fitness for work and adjustments',
      text: narrative(fitnessHtml(record.fitness)),
    },
    {
      title: 'Care to continue',
      code: { coding: [SECTION_CODES.carePlan] },
      text: narrative(carePlanHtml(record.carePlan, record.retirementDate)),
    },
  ];
  if (employerRef) {
    sections.push({
      title: 'Employment',
      text: narrative(
        [
          ['Employer', person.organisationName],
          ['Job title', person.jobTitle],
          ['Staff group', person.staffGroup],
        ]
          .filter(([, value]) => value?.trim())
          .map(([label, value]) => paragraph(`${label}: ${value?.trim()}`))
          .join(''),
      ),
      entry: [employerRef],
    });
  }
  if (recipient && recipientRef) {
    sections.push({
      title: 'Recipient',
      text: narrative(
        paragraph(
          `Sent to ${recipient.name.trim()}${recipient.odsCode ? ` (ODS code ${recipient.odsCode.trim()})` : ''}, ` +
            'the GP practice the person named.',
        ),
      ),
      entry: [recipientRef],
    });
  }
  sections.push({
    title: 'Consent',
    text: narrative(
      paragraph(
        `${person.givenName.trim()} ${person.familyName.trim()} consented to occupational health sharing this ` +
          `summary with ${recipient ? recipient.name.trim() : 'their NHS care providers'} ` +
          `(consent recorded ${formatLondonDateTime(input.consent.recordedAt)}).`,
      ),
    ),
    entry: [consentRef],
  });

  const composition: FhirComposition = {
    ...compositionBase,
    status: 'final',
    type: DOCUMENT_TYPE,
    subject: patientRef,
    date: input.now.toISOString(),
    author: authors,
    title: CONTINUITY_SUMMARY_TITLE,
    // v3 Confidentiality R (restricted) asks the receiving system to limit who sees a
    // security-sensitive person's record; N otherwise.
    confidentiality: sensitive ? 'R' : 'N',
    custodian: custodianRef,
    section: sections,
  };

  return {
    resourceType: 'Bundle',
    id: input.bundleId.toLowerCase(),
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${input.bundleId.toLowerCase()}` },
    type: 'document',
    timestamp: input.now.toISOString(),
    entry: [{ fullUrl: `urn:uuid:${composition.id}`, resource: composition }, ...entries],
  };
}

/**
 * The employer-identifying strings for a person: employer name and ODS code, job title, staff group,
 * provider name, host organisation name and provider ODS code (blank ones left out). None of these
 * may appear in a security-sensitive person's document.
 */
export function employerIdentityTerms(input: Pick<ContinuitySummaryInput, 'person' | 'provider'>): string[] {
  const { person, provider } = input;
  const terms = [
    person.organisationName,
    person.organisationOdsCode,
    person.jobTitle,
    person.staffGroup,
    provider.name,
    provider.hostOrganisationName,
    provider.odsCode,
  ]
    .map((term) => term?.trim() ?? '')
    .filter((term) => term.length > 0);
  return [...new Set(terms)];
}

/**
 * The employer-identifying terms found anywhere in a serialised document (case-insensitive, also in
 * their XHTML-escaped form), or `[]` for a person who is not security-sensitive. Call it last, before
 * sending, and refuse to send when it returns anything.
 */
export function employerIdentityLeaks(
  bundle: FhirBundle,
  input: Pick<ContinuitySummaryInput, 'person' | 'provider'>,
): string[] {
  if (!input.person.securitySensitive) return [];
  const json = JSON.stringify(bundle).toLowerCase();
  const asJson = (text: string) => JSON.stringify(text).slice(1, -1).toLowerCase();
  return employerIdentityTerms(input).filter(
    (term) => json.includes(asJson(term)) || json.includes(asJson(escapeXhtml(term))),
  );
}

// ---------------------------------------------------------------------------------------------------
// Structure check
// ---------------------------------------------------------------------------------------------------

/**
 * The structural problems of a continuity-summary document, `[]` when there are none. It checks what
 * a FHIR validator would reject first, without the network: Bundle type, identifier and timestamp;
 * `urn:uuid:` fullUrls equal to resource ids; UK Core profiles; the Composition first with its
 * subject, author, custodian, title and sections; every reference resolving within the document;
 * every entry referenced; well-formed XHTML narrative; FHIR date, dateTime and instant formats; no
 * empty strings, arrays or objects. It validates the JSON form, i.e. what would be sent.
 */
export function continuitySummaryProblems(bundle: unknown): string[] {
  const problems: string[] = [];
  const json: unknown = JSON.parse(JSON.stringify(bundle ?? null));
  if (!isRecord(json)) return ['the document is not a JSON object'];
  if (json.resourceType !== 'Bundle') problems.push('resourceType must be Bundle');
  if (json.type !== 'document') problems.push('type must be document');
  const identifier = json.identifier;
  if (
    !isRecord(identifier) ||
    identifier.system !== 'urn:ietf:rfc:3986' ||
    typeof identifier.value !== 'string' ||
    !URN_UUID.test(identifier.value)
  ) {
    problems.push('identifier must have system urn:ietf:rfc:3986 and a urn:uuid: value (bdl-9)');
  }
  if (typeof json.timestamp !== 'string') problems.push('timestamp is required (bdl-10)');

  const entries = Array.isArray(json.entry) ? json.entry : [];
  if (entries.length === 0) problems.push('entry must not be empty');
  const byFullUrl = new Map<string, Record<string, unknown>>();
  entries.forEach((entry, index) => {
    const at = `entry[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${at} is not an object`);
      return;
    }
    const { fullUrl, resource } = entry;
    if (typeof fullUrl !== 'string' || !URN_UUID.test(fullUrl)) {
      problems.push(`${at}.fullUrl must be urn:uuid:<lower-case uuid>`);
    } else if (byFullUrl.has(fullUrl)) {
      problems.push(`${at}.fullUrl ${fullUrl} is not unique (bdl-7)`);
    }
    if (!isRecord(resource) || typeof resource.resourceType !== 'string') {
      problems.push(`${at}.resource must be a resource with a resourceType`);
      return;
    }
    if (typeof fullUrl === 'string') byFullUrl.set(fullUrl, resource);
    if (typeof fullUrl === 'string' && resource.id !== fullUrl.replace(/^urn:uuid:/, '')) {
      problems.push(`${at}.resource.id must equal the uuid of its fullUrl`);
    }
    const profiles =
      isRecord(resource.meta) && Array.isArray(resource.meta.profile) ? resource.meta.profile : [];
    if (!profiles.includes(`${UK_CORE_PROFILE_BASE}${resource.resourceType}`)) {
      problems.push(
        `${at}.resource.meta.profile must include ${UK_CORE_PROFILE_BASE}${resource.resourceType}`,
      );
    }
  });

  // References: every one resolves to an entry, and every entry but the Composition is referenced.
  const referenced = new Set<string>();
  walk(json, 'Bundle', (path, key, value) => {
    if (key === 'reference' && typeof value === 'string') {
      referenced.add(value);
      if (!byFullUrl.has(value)) problems.push(`${path} "${value}" does not resolve to an entry`);
    }
  });
  entries.slice(1).forEach((entry, index) => {
    if (isRecord(entry) && typeof entry.fullUrl === 'string' && !referenced.has(entry.fullUrl)) {
      problems.push(`entry[${index + 1}] is not referenced from the document`);
    }
  });
  const resolvesTo = (reference: unknown, types: readonly string[], path: string) => {
    const target =
      isRecord(reference) && typeof reference.reference === 'string'
        ? byFullUrl.get(reference.reference)
        : undefined;
    if (!target || !types.includes(String(target.resourceType))) {
      problems.push(`${path} must refer to a ${types.join(' or ')} entry`);
    }
  };

  const composition = isRecord(entries[0]) ? entries[0].resource : undefined;
  if (!isRecord(composition) || composition.resourceType !== 'Composition') {
    problems.push('the first entry must be the Composition (bdl-11)');
  } else {
    if (composition.status !== 'final') problems.push('Composition.status must be final');
    if (
      !isRecord(composition.type) ||
      !Array.isArray(composition.type.coding) ||
      composition.type.coding.length === 0
    ) {
      problems.push('Composition.type must be coded');
    }
    if (typeof composition.title !== 'string' || !composition.title.trim()) {
      problems.push('Composition.title is required');
    }
    if (typeof composition.date !== 'string') problems.push('Composition.date is required');
    resolvesTo(composition.subject, ['Patient'], 'Composition.subject');
    resolvesTo(composition.custodian, ['Organization'], 'Composition.custodian');
    const authors = Array.isArray(composition.author) ? composition.author : [];
    if (authors.length === 0) problems.push('Composition.author is required');
    authors.forEach((author, index) => {
      resolvesTo(
        author,
        ['Practitioner', 'PractitionerRole', 'Organization'],
        `Composition.author[${index}]`,
      );
    });
    const sections = Array.isArray(composition.section) ? composition.section : [];
    if (sections.length === 0) problems.push('Composition.section must not be empty');
    sections.forEach((section, index) => {
      const at = `Composition.section[${index}]`;
      if (!isRecord(section)) {
        problems.push(`${at} is not an object`);
        return;
      }
      if (typeof section.title !== 'string' || !section.title.trim())
        problems.push(`${at}.title is required`);
      if (!isRecord(section.text) || typeof section.text.div !== 'string') {
        problems.push(`${at}.text.div is required`);
      } else {
        if (section.text.status !== 'generated') problems.push(`${at}.text.status must be generated`);
        for (const problem of xhtmlProblems(section.text.div)) problems.push(`${at}.text.div: ${problem}`);
      }
    });
  }
  for (const [fullUrl, resource] of byFullUrl) {
    const subject = { Immunization: 'patient', Observation: 'subject', Consent: 'patient' }[
      String(resource.resourceType)
    ];
    if (subject)
      resolvesTo(resource[subject], ['Patient'], `${resource.resourceType} ${fullUrl} .${subject}`);
  }

  walk(json, 'Bundle', (path, key, value) => {
    if (value === null) problems.push(`${path} is null`);
    else if (typeof value === 'string' && !value.trim()) problems.push(`${path} is an empty string`);
    else if (Array.isArray(value) && value.length === 0) problems.push(`${path} is an empty array (ele-1)`);
    else if (isRecord(value) && Object.keys(value).length === 0)
      problems.push(`${path} is an empty object (ele-1)`);
    if (typeof value !== 'string') return;
    const format =
      key === 'timestamp'
        ? 'instant'
        : key === 'birthDate'
          ? 'date'
          : key === 'date' || key === 'dateTime' || key.endsWith('DateTime')
            ? 'dateTime'
            : null;
    if (format && !isFhirTemporal(value, format))
      problems.push(`${path} "${value}" is not a valid FHIR ${format}`);
  });
  return problems;
}

/**
 * Problems with a FHIR narrative `div`: it must be well-formed XML with one root `div` in the XHTML
 * namespace, use only the elements FHIR allows in narrative (txt-1: no script, no forms, no event
 * handlers), escape `<` and `&`, and have some text (txt-2).
 */
export function xhtmlProblems(div: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let text = '';
  let position = 0;
  while (position < div.length) {
    const char = div[position];
    if (char === '<') {
      TAG.lastIndex = position;
      const tag = TAG.exec(div);
      if (!tag) {
        problems.push(`unescaped "<" at ${position}`);
        position += 1;
        continue;
      }
      const [whole, closing, name = '', attributes = '', selfClosing] = tag;
      position += whole.length;
      if (!NARRATIVE_ELEMENTS.has(name)) problems.push(`<${name}> is not allowed in FHIR narrative`);
      if (closing) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> does not close ${open ? `<${open}>` : 'any element'}`);
        continue;
      }
      const attributeValues = new Map(
        [...attributes.matchAll(ATTRIBUTE)].map(([, attribute = '', value = '']) => [
          attribute,
          value.slice(1, -1),
        ]),
      );
      if (stack.length === 0) {
        roots += 1;
        if (name !== 'div') problems.push('the root element must be a div');
        if (attributeValues.get('xmlns') !== XHTML_NS)
          problems.push(`the root div must declare xmlns="${XHTML_NS}"`);
      }
      for (const [attribute, value] of attributeValues) {
        if (/^on/i.test(attribute)) problems.push(`event handler attribute ${attribute} is not allowed`);
        if (/^\s*javascript:/i.test(value)) problems.push(`javascript: URL in ${attribute}`);
      }
      if (!selfClosing) stack.push(name);
    } else if (char === '&') {
      ENTITY.lastIndex = position;
      const entity = ENTITY.exec(div);
      if (!entity) {
        problems.push(`unescaped "&" at ${position}`);
        position += 1;
        continue;
      }
      if (stack.length === 0) problems.push('text outside the root div');
      text += 'x';
      position += entity[0].length;
    } else {
      if (stack.length === 0 && char !== undefined && !/\s/.test(char))
        problems.push('text outside the root div');
      if (char !== undefined && XML_FORBIDDEN.test(char)) problems.push(`control character at ${position}`);
      text += char ?? '';
      position += 1;
    }
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) problems.push('there must be exactly one root div');
  if (!text.trim()) problems.push('the narrative has no text (txt-2)');
  return [...new Set(problems)];
}

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// FHIR's uuid type is lower case only.
const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TAG =
  /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"<]*"|'[^'<]*')/g;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;
// Characters XML 1.0 does not allow at all (the narrative must parse as XML).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const XML_FORBIDDEN_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// FHIR R4 narrative (txt-1): basic HTML only.
const NARRATIVE_ELEMENTS: ReadonlySet<string> = new Set(
  (
    'a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 ' +
    'h6 hr i img li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var'
  ).split(' '),
);

// FHIR R4 date, dateTime and instant (https://hl7.org/fhir/R4/datatypes.html).
const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const MONTH = '(0[1-9]|1[0-2])';
const DAY = '(0[1-9]|[1-2][0-9]|3[0-1])';
const TIME =
  '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
const TEMPORAL = {
  date: new RegExp(`^${YEAR}(-${MONTH}(-${DAY})?)?$`),
  dateTime: new RegExp(`^${YEAR}(-${MONTH}(-${DAY}(T${TIME})?)?)?$`),
  instant: new RegExp(`^${YEAR}-${MONTH}-${DAY}T${TIME}$`),
};

/** True when a string is a FHIR date, dateTime or instant, and its calendar date exists. */
function isFhirTemporal(value: string, format: keyof typeof TEMPORAL): boolean {
  if (!TEMPORAL[format].test(value)) return false;
  const full = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!full) return true;
  const [year, month, day] = [Number(full[1]), Number(full[2]), Number(full[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

/** A calendar date as the OH record holds it: YYYY-MM-DD, and a real day. */
function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && isFhirTemporal(value, 'date');
}

function isValidInstant(value: Date): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** The NHS number's ten digits, without the spaces people write it with. */
function nhsDigits(nhsNumber: string): string {
  return nhsNumber.replace(/\s+/g, '');
}

/**
 * True for a ten-digit NHS number whose check digit is right (NHS Data Dictionary, "NHS NUMBER":
 * modulus 11, weights 10 to 2; a remainder giving 10 is never issued). A wrong number in a document
 * to a GP would attach the record to someone else.
 */
function isValidNhsNumber(nhsNumber: string): boolean {
  const digits = nhsDigits(nhsNumber);
  if (!/^\d{10}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 9)].reduce(
    (total, digit, index) => total + Number(digit) * (10 - index),
    0,
  );
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]);
}

/** Refuses input that would make an invalid document, naming each field at fault. */
function validateInput(input: ContinuitySummaryInput): void {
  const errors: FieldError[] = [];
  const date = (value: string | null, path: string) => {
    if (value !== null && !isCalendarDate(value))
      errors.push({ path, message: 'Enter a real date as YYYY-MM-DD' });
  };
  const instant = (value: Date | null, path: string) => {
    if (value !== null && !isValidInstant(value))
      errors.push({ path, message: 'Enter a real date and time' });
  };
  if (!UUID.test(input.bundleId.toLowerCase())) errors.push({ path: '/bundleId', message: 'Must be a UUID' });
  instant(input.now, '/now');
  instant(input.consent.recordedAt, '/consent/recordedAt');
  if (!input.person.familyName.trim())
    errors.push({ path: '/person/familyName', message: 'Enter a family name' });
  date(input.person.dateOfBirth, '/person/dateOfBirth');
  if (input.person.nhsNumber !== null && !isValidNhsNumber(input.person.nhsNumber)) {
    errors.push({ path: '/person/nhsNumber', message: 'Enter a valid 10-digit NHS number' });
  }
  if (!input.author.name.trim()) errors.push({ path: '/author/name', message: 'Enter the clinician’s name' });
  if (input.recipient && !input.recipient.name.trim()) {
    errors.push({ path: '/recipient/name', message: 'Enter the GP practice name' });
  }
  date(input.retirementDate, '/retirementDate');
  input.immunisations.forEach((dose, index) => {
    date(dose.onDate, `/immunisations/${index}/onDate`);
    if (dose.dose !== null && (!Number.isInteger(dose.dose) || dose.dose < 1)) {
      errors.push({
        path: `/immunisations/${index}/dose`,
        message: 'A dose number is a whole number from 1',
      });
    }
  });
  input.antibodyLevels.forEach((result, index) => {
    date(result.onDate, `/antibodyLevels/${index}/onDate`);
    if (!Number.isFinite(result.level) || result.level < 0) {
      errors.push({ path: `/antibodyLevels/${index}/level`, message: 'A level is a number from 0' });
    }
  });
  input.measures.forEach((measure, index) => {
    instant(measure.takenAt, `/measures/${index}/takenAt`);
    const definition = INSTRUMENTS[measure.instrument];
    if (!Number.isInteger(measure.total) || measure.total < 0 || measure.total > definition.totalMax) {
      errors.push({
        path: `/measures/${index}/total`,
        message: `A ${measure.instrument} total is a whole number from 0 to ${definition.totalMax}`,
      });
    }
  });
  input.fitness.forEach((outcome, index) => {
    instant(outcome.recordedAt, `/fitness/${index}/recordedAt`);
  });
  if (errors.length > 0) {
    throw new Invalid('The continuity summary cannot be made: correct the record first.', errors);
  }
}

/**
 * Replaces every employer-identifying term in free text with "[withheld]", case-insensitively and
 * longest first (so "Northmoor Police" goes before "Police"), as a backstop: clinicians write the
 * force's name in care plans without thinking.
 */
function redactor(terms: readonly string[]): (text: string) => string {
  if (terms.length === 0) return (text) => text;
  const pattern = new RegExp(
    [...terms]
      .sort((a, b) => b.length - a.length)
      .map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'gi',
  );
  return (text) => text.replace(pattern, WITHHELD);
}

/** A copy of the record with the redaction applied to every free-text field that reaches the document. */
function withheldFromFreeText(
  input: ContinuitySummaryInput,
  redact: (text: string) => string,
): ContinuitySummaryInput {
  return {
    ...input,
    immunisations: input.immunisations.map((dose) => ({ ...dose, vaccine: redact(dose.vaccine) })),
    antibodyLevels: input.antibodyLevels.map((result) => ({ ...result, vaccine: redact(result.vaccine) })),
    measures: input.measures.map((measure) => ({ ...measure, severity: redact(measure.severity) })),
    fitness: input.fitness.map((outcome) => ({
      ...outcome,
      outcome: redact(outcome.outcome),
      adjustments: outcome.adjustments.map(redact),
    })),
    carePlan: input.carePlan.map(redact),
  };
}

/**
 * The person's chosen contact address, when given. For a security-sensitive person an address that
 * names the employer is a work address, and DOMAIN.md forbids sending one, so it is left out.
 */
function contactAddress(
  address: string | null,
  sensitive: boolean,
  terms: readonly string[],
): { address?: { text: string }[] } {
  const text = address?.trim();
  if (!text) return {};
  if (sensitive && terms.some((term) => text.toLowerCase().includes(term.toLowerCase()))) return {};
  return { address: [{ text }] };
}

function givenNames(givenName: string): { given?: string[] } {
  const given = givenName.trim().split(/\s+/).filter(Boolean);
  return given.length > 0 ? { given } : {};
}

function isHepatitisB(vaccine: string): boolean {
  return vaccine === 'hepatitis-b';
}

/** A vaccine as a person reads it: "hepatitis-b" → "Hepatitis B", "yellow-fever" → "Yellow fever". */
function vaccineLabel(vaccine: string): string {
  if (isHepatitisB(vaccine)) return 'Hepatitis B';
  const words = vaccine.trim().replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Hepatitis B is coded in SNOMED CT; any other vaccine is sent as text rather than with a guessed code. */
function vaccineCode(vaccine: string): FhirCodeableConcept {
  return isHepatitisB(vaccine) ? HEPATITIS_B_VACCINE : { text: `${vaccineLabel(vaccine)} vaccine` };
}

/** The anti-HBs band of a level (UKHSA Green Book ch. 18 via HEPATITIS_B_RULES). */
function antiHbsBand(level: number): string {
  if (level >= HEPATITIS_B_RULES.responderLevel)
    return `Responder (${HEPATITIS_B_RULES.responderLevel} mIU/mL or more)`;
  if (level >= HEPATITIS_B_RULES.lowResponderLevel) {
    return `Low responder (${HEPATITIS_B_RULES.lowResponderLevel} to ${HEPATITIS_B_RULES.responderLevel - 1} mIU/mL)`;
  }
  return `Non-responder (below ${HEPATITIS_B_RULES.lowResponderLevel} mIU/mL)`;
}

function severityText(severity: string): string {
  return KNOWN_SEVERITIES.has(severity) ? severityLabel(severity as Severity) : severity.trim();
}

function fitnessText(outcome: string): string {
  return (FITNESS_OUTCOMES as readonly string[]).includes(outcome)
    ? FITNESS_LABELS[outcome as FitnessOutcome]
    : outcome.trim();
}

function category(code: string, display: string): FhirCodeableConcept {
  return { coding: [{ system: OBSERVATION_CATEGORY, code, display }] };
}

function entryList(references: FhirReference[]): { entry?: FhirReference[] } {
  return references.length > 0 ? { entry: references } : {};
}

/** Text made safe for XHTML element content: markup characters escaped, XML-illegal characters dropped. */
function escapeXhtml(text: string): string {
  return text
    .replace(XML_FORBIDDEN_ALL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function paragraph(text: string): string {
  return `<p>${escapeXhtml(text)}</p>`;
}

function bulletList(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${escapeXhtml(item)}</li>`).join('')}</ul>`;
}

function narrative(innerXhtml: string): FhirNarrative {
  return { status: 'generated', div: `<div xmlns="${XHTML_NS}">${innerXhtml}</div>` };
}

function immunisationsHtml(
  doses: ContinuitySummaryInput['immunisations'],
  levels: ContinuitySummaryInput['antibodyLevels'],
): string {
  if (doses.length === 0) return paragraph(NONE_RECORDED);
  const items = doses.map(
    (dose) =>
      `${vaccineLabel(dose.vaccine)} vaccine${dose.dose !== null ? `, dose ${dose.dose}` : ''}, ${formatDate(dose.onDate)}`,
  );
  const hepatitisB = [
    ...doses
      .filter((dose) => isHepatitisB(dose.vaccine))
      .map((dose) => ({ kind: 'dose', level: null, ...dose })),
    ...levels
      .filter((result) => isHepatitisB(result.vaccine))
      .map((result) => ({ kind: 'antibody-level', dose: null, ...result })),
  ];
  const status =
    hepatitisB.length > 0 ? paragraph(`Hepatitis B status: ${hepatitisBStatus(hepatitisB).label}.`) : '';
  return bulletList(items) + status;
}

function resultsHtml(
  levels: ContinuitySummaryInput['antibodyLevels'],
  measures: ContinuitySummaryInput['measures'],
): string {
  const items = [
    ...levels.map((result) =>
      isHepatitisB(result.vaccine)
        ? `Anti-HBs ${result.level} mIU/mL, ${formatDate(result.onDate)}: ${antiHbsBand(result.level)}`
        : `${vaccineLabel(result.vaccine)} antibody level ${result.level} mIU/mL, ${formatDate(result.onDate)}`,
    ),
    ...measures.map(
      (measure) =>
        `${measure.instrument} total ${measure.total} of ${INSTRUMENTS[measure.instrument].totalMax} ` +
        `(${severityText(measure.severity)}), ${formatDate(measure.takenAt)}`,
    ),
  ];
  return items.length > 0 ? bulletList(items) : paragraph(NONE_RECORDED);
}

function fitnessHtml(fitness: ContinuitySummaryInput['fitness']): string {
  // Latest first; an outcome without a date goes last because it cannot be placed.
  const ordered = [...fitness].sort((a, b) => {
    if (!a.recordedAt || !b.recordedAt) return (a.recordedAt ? 0 : 1) - (b.recordedAt ? 0 : 1);
    return b.recordedAt.getTime() - a.recordedAt.getTime();
  });
  const items = ordered
    .filter((outcome) => outcome.outcome.trim())
    .map((outcome) => {
      const adjustments = outcome.adjustments.map((adjustment) => adjustment.trim()).filter(Boolean);
      return (
        fitnessText(outcome.outcome) +
        (outcome.recordedAt ? ` (recorded ${formatDate(outcome.recordedAt)})` : '') +
        (adjustments.length > 0 ? `. Adjustments: ${adjustments.join('; ')}` : '')
      );
    });
  return items.length > 0 ? bulletList(items) : paragraph(NONE_RECORDED);
}

function carePlanHtml(carePlan: readonly string[], retirementDate: string | null): string {
  const items = carePlan.map((item) => item.trim()).filter(Boolean);
  return (
    (items.length > 0 ? bulletList(items) : paragraph(NONE_RECORDED)) +
    (retirementDate ? paragraph(`Retirement date: ${formatDate(retirementDate)}.`) : '')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `visit` for every property and array item below `value`, with a FHIRPath-like path. */
function walk(
  value: unknown,
  path: string,
  visit: (path: string, key: string, value: unknown) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const at = `${path}[${index}]`;
      visit(at, path.slice(path.lastIndexOf('.') + 1), item);
      walk(item, at, visit);
    });
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const at = `${path}.${key}`;
      visit(at, key, child);
      walk(child, at, visit);
    }
  }
}
