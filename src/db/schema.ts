import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

/** An ICS footprint or a police force's area. */
export const systems = pgTable('systems', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    odsCode: text('ods_code'),
    createdAt: createdAt(),
  },
  (t) => [
    index('organisations_system_idx').on(t.systemId),
    check(
      'organisations_kind_check',
      sql`${t.kind} in ('police-force','nhs-trust','primary-care','icb','local-authority','other')`,
    ),
  ],
);

/** An OH unit, shared service or contractor, hosted by one organisation, serving several. */
export const ohProviders = pgTable('oh_providers', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  hostOrganisationId: uuid('host_organisation_id')
    .notNull()
    .references(() => organisations.id),
  createdAt: createdAt(),
});

export const providerClients = pgTable(
  'provider_clients',
  {
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ohProviders.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    deliveryModel: text('delivery_model').notNull().default('in-house'),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.organisationId] })],
);

export const sites = pgTable('sites', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  name: text('name').notNull(),
  address: text('address').notNull(),
  /** An operational site (a police station, a custody suite, an emergency department). */
  operational: boolean('operational').notNull().default(false),
  createdAt: createdAt(),
});

/** A staff record. */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    employeeNumber: text('employee_number').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth'),
    email: text('email'),
    phone: text('phone'),
    staffGroup: text('staff_group').notNull(),
    jobTitle: text('job_title').notNull(),
    managerId: uuid('manager_id'),
    contactPreference: text('contact_preference').notNull().default('email'),
    /** A chosen contact address for letters; for security-sensitive staff, never the workplace. */
    contactAddress: text('contact_address'),
    securitySensitive: boolean('security_sensitive').notNull().default(false),
    ethnicCategory: text('ethnic_category'),
    sex: text('sex'),
    disability: text('disability'),
    startDate: date('start_date'),
    endDate: date('end_date'),
    /** The planned retirement date, which starts the retirement-preparation pathway ahead of it. */
    retirementDate: date('retirement_date'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('people_org_employee_number_idx').on(t.organisationId, t.employeeNumber),
    index('people_manager_idx').on(t.managerId),
    index('people_org_name_idx').on(t.organisationId, t.familyName, t.givenName, t.id),
  ],
);

/** Venues a person has said are unsafe for them to attend (e.g. ones frequented by people they police). */
export const personUnsafeSites = pgTable(
  'person_unsafe_sites',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id),
  },
  (t) => [primaryKey({ columns: [t.personId, t.siteId] })],
);

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  personId: uuid('person_id').references(() => people.id),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
});

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organisationId, t.role] })],
);

/** Page sessions and API bearer tokens; only a hash of the secret is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ohProviders.id),
    source: text('source').notNull(),
    referredByUserId: uuid('referred_by_user_id')
      .notNull()
      .references(() => users.id),
    /** Encrypted (AES-256-GCM): the reason may hold health information. */
    reasonEnc: text('reason_enc').notNull(),
    questionsEnc: text('questions_enc').notNull(),
    pathway: text('pathway'),
    consentGiven: boolean('consent_given').notNull().default(false),
    consentRecordedAt: ts('consent_recorded_at'),
    status: text('status').notNull(),
    priority: text('priority'),
    triagedByUserId: uuid('triaged_by_user_id').references(() => users.id),
    triagedAt: ts('triaged_at'),
    caseId: uuid('case_id'),
    /** Encrypted (AES-256-GCM): why OH declined the referral, told to the referrer. */
    declineReasonEnc: text('decline_reason_enc'),
    /** Encrypted (AES-256-GCM) JSON: the answers of a self-referral's digital triage (MSK). */
    triageAnswersEnc: text('triage_answers_enc'),
    /** The route the digital triage chose (e.g. fast-track-physiotherapy), recorded with the answers. */
    triageRoute: text('triage_route'),
    createdAt: createdAt(),
  },
  (t) => [
    index('referrals_org_status_idx').on(t.organisationId, t.status, t.createdAt),
    index('referrals_provider_status_idx').on(t.providerId, t.status, t.createdAt),
    index('referrals_person_idx').on(t.personId),
    index('referrals_referrer_idx').on(t.referredByUserId),
    // Reports count referrals received in a period per organisation.
    index('referrals_org_created_idx').on(t.organisationId, t.createdAt),
  ],
);

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ohProviders.id),
    pathway: text('pathway').notNull(),
    priority: text('priority').notNull(),
    /** Null until OH allocates a clinician (an exposure reported at night has none yet). */
    clinicianId: uuid('clinician_id').references(() => users.id),
    status: text('status').notNull(),
    /** True when the injury or exposure happened on duty (injury awards need it). */
    injuryOnDuty: boolean('injury_on_duty'),
    fitness: text('fitness'),
    adjustments: jsonb('adjustments').$type<string[]>().notNull().default([]),
    reviewDate: date('review_date'),
    outcomeRecordedAt: ts('outcome_recorded_at'),
    closureOutcome: text('closure_outcome'),
    closedAt: ts('closed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('cases_org_idx').on(t.organisationId, t.status),
    index('cases_person_idx').on(t.personId),
    index('cases_clinician_idx').on(t.clinicianId, t.status),
    // Reports count outcomes and closures in a period per organisation.
    index('cases_org_outcome_idx').on(t.organisationId, t.outcomeRecordedAt),
    index('cases_org_closed_idx').on(t.organisationId, t.closedAt),
    index('cases_org_created_idx').on(t.organisationId, t.createdAt),
  ],
);

/** Clinic sessions during which a clinician offers appointments. */
export const clinicSessions = pgTable(
  'clinic_sessions',
  {
    id: uuid('id').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ohProviders.id),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    siteId: uuid('site_id').references(() => sites.id),
    mode: text('mode').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    slotMinutes: integer('slot_minutes').notNull(),
  },
  (t) => [index('clinic_sessions_clinician_idx').on(t.clinicianId, t.startsAt)],
);

/**
 * Appointments. No double booking is enforced by an exclusion constraint on the
 * clinician's time range (migration 0001), not by a check-then-insert.
 */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    mode: text('mode').notNull(),
    siteId: uuid('site_id').references(() => sites.id),
    status: text('status').notNull(),
    bookedByUserId: uuid('booked_by_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('appointments_clinician_idx').on(t.clinicianId, t.startsAt),
    index('appointments_case_idx').on(t.caseId, t.startsAt),
    // Reports count appointments in a period per organisation.
    index('appointments_org_starts_idx').on(t.organisationId, t.startsAt),
  ],
);

export const consultations = pgTable(
  'consultations',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    appointmentId: uuid('appointment_id').references(() => appointments.id),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    /** Encrypted (AES-256-GCM). */
    notesEnc: text('notes_enc').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('consultations_case_idx').on(t.caseId)],
);

export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    /** Encrypted (AES-256-GCM). */
    textEnc: text('text_enc').notNull(),
    status: text('status').notNull(),
    employeeCommentEnc: text('employee_comment_enc'),
    decidedAt: ts('decided_at'),
    releasedAt: ts('released_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('reports_case_idx').on(t.caseId),
    index('reports_org_released_idx').on(t.organisationId, t.releasedAt),
  ],
);

/**
 * Append-only, hash-chained audit of every read and change of clinical data. Each
 * organisation has a few lanes so that concurrent transactions do not queue on one
 * chain head.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    at: ts('at').notNull(),
    userId: uuid('user_id'),
    role: text('role'),
    action: text('action').notNull(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    organisationId: uuid('organisation_id'),
    reason: text('reason'),
    lane: text('lane').notNull(),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_record_idx').on(t.recordId, t.seq),
    index('audit_lane_idx').on(t.lane, t.seq),
    index('audit_org_at_idx').on(t.organisationId, t.at),
  ],
);

/** Responses kept for retried POSTs with the same Idempotency-Key. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    body: jsonb('body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/** Emails waiting to be sent (delivered by SMTP when configured, readable on a page when not). */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id'),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    sentAt: ts('sent_at'),
  },
  (t) => [index('outbox_unsent_idx').on(t.createdAt)],
);

/**
 * Versions of pathway rule sets (default-rule-sets.ts as version 1 for every provider;
 * later versions published by an OH physician for their provider). Never updated:
 * a running pathway points at the version it started on.
 */
export const pathwayRuleSets = pgTable(
  'pathway_rule_sets',
  {
    id: uuid('id').primaryKey(),
    /** Null for the versions OHWB ships; otherwise the provider that published it. */
    providerId: uuid('provider_id').references(() => ohProviders.id),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    definition: jsonb('definition').notNull(),
    changeNote: text('change_note'),
    publishedByUserId: uuid('published_by_user_id').references(() => users.id),
    publishedAt: ts('published_at').notNull().defaultNow(),
  },
  (t) => [unique('pathway_rule_sets_version_key').on(t.providerId, t.code, t.version).nullsNotDistinct()],
);

/** A pathway started for one person from an event (exposure, incident, measure, triage, retirement date). */
export const pathwayRuns = pgTable(
  'pathway_runs',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ohProviders.id),
    caseId: uuid('case_id').references(() => cases.id),
    ruleSetId: uuid('rule_set_id')
      .notNull()
      .references(() => pathwayRuleSets.id),
    /** The time the steps count from (moment of exposure, incident, retirement date). */
    anchorAt: ts('anchor_at').notNull(),
    facts: jsonb('facts').notNull().default({}),
    startedByUserId: uuid('started_by_user_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('pathway_runs_person_idx').on(t.personId), index('pathway_runs_case_idx').on(t.caseId)],
);

/** A dated piece of work a pathway asked for, on OH worklists until completed or skipped. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ohProviders.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    caseId: uuid('case_id').references(() => cases.id),
    runId: uuid('run_id')
      .notNull()
      .references(() => pathwayRuns.id),
    ruleSetId: uuid('rule_set_id')
      .notNull()
      .references(() => pathwayRuleSets.id),
    code: text('code').notNull(),
    title: text('title').notNull(),
    assignee: text('assignee').notNull(),
    completes: text('completes').notNull(),
    tests: jsonb('tests').$type<string[]>().notNull().default([]),
    source: text('source').notNull(),
    opensAt: ts('opens_at'),
    dueAt: ts('due_at').notNull(),
    closesAt: ts('closes_at'),
    /** The due time the pathway set, kept when the task is rescheduled. */
    plannedDueAt: ts('planned_due_at').notNull(),
    status: text('status').notNull(),
    /** Encrypted (AES-256-GCM): what was found or done. */
    outcomeEnc: text('outcome_enc'),
    notesEnc: text('notes_enc'),
    /** Encrypted (AES-256-GCM): why it was skipped or last moved. */
    reasonEnc: text('reason_enc'),
    doneAt: ts('done_at'),
    doneByUserId: uuid('done_by_user_id').references(() => users.id),
    remindedAt: ts('reminded_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('tasks_worklist_idx').on(t.providerId, t.status, t.dueAt),
    index('tasks_case_idx').on(t.caseId),
    index('tasks_person_idx').on(t.personId),
    check('tasks_status_check', sql`${t.status} in ('open', 'completed', 'skipped')`),
  ],
);

/** A reported blood-borne virus exposure. Source-person details: only whether known and high HCV risk. */
export const exposures = pgTable(
  'exposures',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    occurredAt: ts('occurred_at').notNull(),
    kind: text('kind').notNull(),
    /** Encrypted (AES-256-GCM). */
    descriptionEnc: text('description_enc'),
    sourceKnown: boolean('source_known'),
    highRiskHcv: boolean('high_risk_hcv').notNull().default(false),
    reportedByUserId: uuid('reported_by_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('exposures_person_idx').on(t.personId),
    index('exposures_case_idx').on(t.caseId),
    check('exposures_kind_check', sql`${t.kind} in ('needlestick', 'bite', 'splash', 'spit', 'other')`),
  ],
);

/** A traumatic incident; each person involved gets TRiM and a line in their trauma-exposure log. */
export const incidents = pgTable('incidents', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  occurredAt: ts('occurred_at').notNull(),
  kind: text('kind').notNull(),
  /** Encrypted (AES-256-GCM). */
  descriptionEnc: text('description_enc').notNull(),
  reportedByUserId: uuid('reported_by_user_id')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});

/** The people involved in an incident: the trauma-exposure log is these rows. */
export const incidentPeople = pgTable(
  'incident_people',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    occurredAt: ts('occurred_at').notNull(),
    runId: uuid('run_id').references(() => pathwayRuns.id),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.personId] }),
    index('incident_people_person_idx').on(t.personId, t.occurredAt),
  ],
);

/** A scored questionnaire (PHQ-9, GAD-7). */
export const measures = pgTable(
  'measures',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    caseId: uuid('case_id').references(() => cases.id),
    instrument: text('instrument').notNull(),
    answers: jsonb('answers').$type<number[]>().notNull(),
    total: integer('total').notNull(),
    severity: text('severity').notNull(),
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    takenAt: ts('taken_at').notNull(),
    recordedByUserId: uuid('recorded_by_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('measures_person_idx').on(t.personId, t.takenAt),
    index('measures_case_idx').on(t.caseId, t.takenAt),
    check('measures_instrument_check', sql`${t.instrument} in ('PHQ-9', 'GAD-7')`),
  ],
);

/** Vaccine doses and antibody results (hepatitis B first: the BBV pathway reads the status). */
export const immunisations = pgTable(
  'immunisations',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** e.g. hepatitis-b */
    vaccine: text('vaccine').notNull(),
    /** 'dose' or 'antibody-level' */
    kind: text('kind').notNull(),
    onDate: date('on_date').notNull(),
    /** The dose number in the course, for a dose. */
    dose: integer('dose'),
    /** The anti-HBs level in mIU/mL, for an antibody result. */
    level: integer('level'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('immunisations_person_idx').on(t.personId, t.vaccine, t.onDate),
    check('immunisations_kind_check', sql`${t.kind} in ('dose', 'antibody-level')`),
  ],
);

/**
 * Benefits-realisation aims: a named aim on one measure of the minimum dataset, from a
 * baseline to a target by a date, for an organisation (organisation_id set) or for a whole
 * system (organisation_id null). system_id is always set, so a system's aims and its
 * organisations' aims are found by one index.
 */
export const benefitAims = pgTable(
  'benefit_aims',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    createdByUserId: uuid('created_by_user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    /** A key of TRACKABLE_MEASURES (domain/reporting/report-types.ts). */
    measure: text('measure').notNull(),
    baselineValue: doublePrecision('baseline_value').notNull(),
    baselineFrom: date('baseline_from').notNull(),
    baselineTo: date('baseline_to').notNull(),
    targetValue: doublePrecision('target_value').notNull(),
    targetDate: date('target_date').notNull(),
    direction: text('direction').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('benefit_aims_scope_idx').on(t.systemId, t.organisationId),
    check('benefit_aims_direction_check', sql`${t.direction} in ('increase', 'decrease')`),
    check('benefit_aims_baseline_check', sql`${t.baselineFrom} <= ${t.baselineTo}`),
    check('benefit_aims_target_check', sql`${t.targetDate} > ${t.baselineTo}`),
  ],
);

/**
 * The KPI roll-up: one row per organisation and London day with that day's share of every
 * KPI of the minimum dataset (services/reporting/kpi-days.service.ts), so that a report
 * adds up days instead of scanning a system's or the country's records. Derived: a day is
 * recomputed from the records whenever a change touches it (`kpiStaleDays`).
 */
export const kpiDays = pgTable(
  'kpi_days',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    day: date('day').notNull(),
    referrals: integer('referrals').notNull(),
    selfReferrals: integer('self_referrals').notNull(),
    /** The wait in whole days of each episode whose first appointment was this day. */
    waits: integer('waits').array().notNull(),
    /** Appointments this day of the statuses that count (attended or not), and those missed. */
    appointments: integer('appointments').notNull(),
    missed: integer('missed').notNull(),
    /** Cases opened and closed this day (the caseload at any day's end adds them up). */
    opened: integer('opened').notNull(),
    closed: integer('closed').notNull(),
    closedAtWork: integer('closed_at_work').notNull(),
    /** Fitness-for-work outcomes recorded this day, by fitness. */
    fitness: jsonb('fitness').$type<Record<string, number>>().notNull(),
    reportsReleased: integer('reports_released').notNull(),
    reportsTimely: integer('reports_timely').notNull(),
    /** Episodes closed this day with a Talking Therapies outcome, and those reliably improved. */
    improvementEpisodes: integer('improvement_episodes').notNull(),
    improved: integer('improved').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.day] })],
);

/**
 * Days of the KPI roll-up that a change has touched since they were last computed: an
 * append-only log, written by triggers on the records (migration 0012) and drained by
 * the refresh. No key and no index: every writer of a busy day would otherwise queue on
 * the same index page. The log stays short (ohwb serve drains it every 30 seconds), and
 * a refresh claims rows by their place in the table (ctid).
 */
export const kpiStaleDays = pgTable('kpi_stale_days', {
  organisationId: uuid('organisation_id').notNull(),
  day: date('day').notNull(),
});
