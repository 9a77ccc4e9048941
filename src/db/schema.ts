import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
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
    createdAt: createdAt(),
  },
  (t) => [
    index('referrals_org_status_idx').on(t.organisationId, t.status, t.createdAt),
    index('referrals_provider_status_idx').on(t.providerId, t.status, t.createdAt),
    index('referrals_person_idx').on(t.personId),
    index('referrals_referrer_idx').on(t.referredByUserId),
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
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    status: text('status').notNull(),
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
    index('appointments_case_idx').on(t.caseId),
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
  (t) => [index('reports_case_idx').on(t.caseId)],
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
