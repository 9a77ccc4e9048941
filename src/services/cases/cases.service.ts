import { and, asc, desc, eq, gte, inArray, ne, or, sql } from 'drizzle-orm';
import { jsonValue, type Tx } from '../../db/database.ts';
import { CASE_BUNDLE_SQL } from '../../db/queries/case-bundle.query.ts';
import { appointments, cases, consultations, organisations, people, referrals } from '../../db/schema.ts';
import {
  type CaseSituation,
  type CaseView,
  canBook,
  canTriage,
  canViewClinicalNotes,
  canWriteClinicalRecord,
  caseViewFor,
  isOwnCase,
} from '../../domain/access/case.policy.ts';
import { type Actor, hasAnyRole, OH_ROLES } from '../../domain/access/roles.ts';
import {
  type AppointmentStatus,
  appointmentActions,
  isAttendable,
  transitionAppointment,
} from '../../domain/appointments/slot.rules.ts';
import {
  type CaseStatus,
  type ClosureOutcome,
  checkReviewDate,
  type FitnessOutcome,
  transitionCase,
} from '../../domain/cases/case.rules.ts';
import { NotFound, RuleRefused } from '../../domain/shared/errors.ts';
import { londonDate } from '../../domain/time/london.ts';
import { auditRead, recordAudit } from '../audit/audit.service.ts';
import {
  type ExposureDetail,
  type StoredExposure,
  toExposureDetail,
} from '../exposures/exposures.service.ts';
import { type TaskItem, toTaskItem } from '../pathways/pathways.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { databaseScope, inTransaction, type ServiceContext } from '../shared/context.ts';
import { denial, isUuid, loadCaseSituation, requireClinicianOfProvider } from '../shared/lookups.ts';

/** What every viewer of a case may see. */
type CaseCore = {
  id: string;
  view: CaseView;
  status: string;
  organisationId: string;
  person: { id: string; name: string; jobTitle: string };
  fitness: string | null;
  adjustments: string[];
  reviewDate: string | null;
  closureOutcome: string | null;
  closedAt: string | null;
  /** Reports the viewer may open (for a manager: released ones only). */
  reports: Array<{ id: string; status: string; createdAt: string; releasedAt: string | null }>;
  /** What the viewer may do with the case, so pages offer only actions that will be allowed. */
  permissions: CasePermissions;
};

export type CasePermissions = {
  book: boolean;
  recordClinical: boolean;
  viewNotes: boolean;
  allocate: boolean;
};

/** The manager's view: status, fitness outcome, adjustments, review date. No clinical text. */
export type ManagerCaseView = CaseCore & { view: 'manager' };

/** The employee's own view: adds the referral reason they or their manager gave, and appointments. */
export type OwnCaseView = CaseCore & {
  view: 'own';
  pathway: string;
  referral: { id: string; source: string; reason: string; questions: string[]; createdAt: string };
  appointments: AppointmentView[];
  /** Null until OH allocates a clinician (an exposure reported out of hours). */
  clinician: { id: string; name: string } | null;
  injuryOnDuty: boolean | null;
  /** The pathway's tasks, each with the rule set version that made it: "what happens next and when". */
  tasks: TaskItem[];
  /** For a blood-borne virus case: the exposure and the person's hepatitis B status. */
  exposure: ExposureDetail | null;
};

/** The OH view: the whole record, consultation notes included. */
export type OhCaseView = Omit<OwnCaseView, 'view'> & {
  view: 'oh';
  priority: string;
  clinicianId: string | null;
  securitySensitive: boolean;
  referral: OwnCaseView['referral'] & { consentRecordedAt: string | null; referredByUserId: string };
  /** Consultation notes: for clinicians and physicians only; absent for OH administrators. */
  consultations?: Array<{
    id: string;
    appointmentId: string | null;
    clinicianId: string;
    at: string;
    notes: string;
  }>;
};

export type CaseDetail = ManagerCaseView | OwnCaseView | OhCaseView;

export type AppointmentView = {
  id: string;
  start: string;
  end: string;
  mode: string;
  status: string;
  siteId: string | null;
  siteName: string | null;
  siteAddress: string | null;
  /** Booked and close enough to its start to be recorded as attended. */
  attendable: boolean;
  /** What the viewer may do with it now. */
  actions: { cancel: boolean; markMissed: boolean };
};

function roleForView(actor: Actor, view: CaseView, organisationId: string): string {
  return view === 'oh' ? ohRoleOf(actor, organisationId) : view === 'own' ? 'employee' : 'manager';
}

/** Everything about a case that any view may need, read in one query. */
type CaseBundle = {
  id: string;
  organisation_id: string;
  person_id: string;
  status: string;
  pathway: string;
  priority: string;
  clinician_id: string | null;
  injury_on_duty: boolean | null;
  fitness: string | null;
  adjustments: string[] | string;
  review_date: string | Date | null;
  closure_outcome: string | null;
  closed_at: string | Date | null;
  referral_id: string;
  source: string;
  referred_by_user_id: string;
  reason_enc: string;
  questions_enc: string;
  consent_recorded_at: string | Date | null;
  referral_created_at: string | Date;
  given_name: string;
  family_name: string;
  job_title: string;
  manager_id: string | null;
  security_sensitive: boolean;
  clinician_name: string | null;
  tasks: JsonList<BundleTask>;
  exposure: StoredExposure | null;
  reports: JsonList<{ id: string; status: string; createdAt: string; releasedAt: string | null }>;
  appointments: JsonList<{
    id: string;
    start: string;
    end: string;
    mode: string;
    status: string;
    siteId: string | null;
    siteName: string | null;
    siteAddress: string | null;
  }>;
  consultations: JsonList<{
    id: string;
    appointmentId: string | null;
    clinicianId: string;
    at: string;
    notesEnc: string;
  }>;
};
type JsonList<T> = T[] | string;
type BundleTask = {
  id: string;
  code: string;
  title: string;
  assignee: string;
  completes: string;
  tests: string[];
  opensAt: string | null;
  dueAt: string;
  closesAt: string | null;
  plannedDueAt: string;
  status: string;
  doneAt: string | null;
  source: string;
  ruleSetCode: string;
  ruleSetVersion: number;
  ruleSetTitle: string;
};
const dateOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();
const calendarDate = (value: string | Date | null): string | null =>
  value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

async function loadCaseBundle(ctx: ServiceContext, actor: Actor, caseId: string): Promise<CaseBundle> {
  if (!isUuid(caseId)) throw new NotFound('No such case.');
  // One round trip, outside any transaction: the statement sets the actor's scope itself.
  const [result] = await ctx.prepared<{ bundle: CaseBundle | string }>('case-bundle', CASE_BUNDLE_SQL, [
    caseId,
    databaseScope(actor),
  ]);
  const row = result ? jsonValue(result.bundle) : undefined;
  if (!row) throw new NotFound('No such case.');
  return row;
}

/**
 * One case, shaped by who is asking: OH staff see everything, the employee their
 * own case, the referring or line manager the outcome only, anyone else a 404.
 * One query reads it; the audit row is committed before anything is returned.
 */
export async function getCase(ctx: ServiceContext, actor: Actor, caseId: string): Promise<CaseDetail> {
  const bundle = await loadCaseBundle(ctx, actor, caseId);
  const situation: CaseSituation = {
    organisationId: bundle.organisation_id,
    personId: bundle.person_id,
    referredByUserId: bundle.source === 'management' ? bundle.referred_by_user_id : null,
    personManagerId: bundle.manager_id,
  };
  const view = caseViewFor(actor, situation);
  if (view === 'none') throw new NotFound('No such case.');
  const permissions: CasePermissions = {
    book: canBook(actor, situation) && bundle.status !== 'closed' && bundle.clinician_id !== null,
    recordClinical: canWriteClinicalRecord(actor, situation) && bundle.status !== 'closed',
    viewNotes: canViewClinicalNotes(actor, situation),
    allocate: view === 'oh' && canTriage(actor, situation.organisationId) && bundle.status !== 'closed',
  };
  const exposure =
    view !== 'manager' && bundle.exposure ? toExposureDetail(bundle.exposure, ctx.cipher) : null;
  const detail = shapeCaseView(ctx, bundle, view, permissions, exposure);
  await auditRead(ctx, actor, {
    action: view === 'manager' ? 'case.read-outcome' : 'case.read',
    recordType: 'case',
    recordId: bundle.id,
    organisationId: bundle.organisation_id,
    role: roleForView(actor, view, bundle.organisation_id),
  });
  return detail;
}

/** Cuts the bundle down to what the view may see; only text the view shows is decrypted. */
function shapeCaseView(
  ctx: ServiceContext,
  b: CaseBundle,
  view: Exclude<CaseView, 'none'>,
  permissions: CasePermissions,
  exposure: ExposureDetail | null,
): CaseDetail {
  const reports = jsonValue(b.reports)
    .filter((r) =>
      view === 'manager' ? r.status === 'released' : view === 'own' ? r.status !== 'superseded' : true,
    )
    .map((r) => ({
      id: r.id,
      status: r.status,
      createdAt: iso(r.createdAt) as string,
      releasedAt: iso(r.releasedAt),
    }));
  const core: CaseCore = {
    id: b.id,
    view,
    status: b.status,
    organisationId: b.organisation_id,
    person: { id: b.person_id, name: `${b.given_name} ${b.family_name}`, jobTitle: b.job_title },
    fitness: b.fitness,
    adjustments: jsonValue(b.adjustments),
    reviewDate: calendarDate(b.review_date),
    closureOutcome: b.closure_outcome,
    closedAt: iso(b.closed_at),
    reports,
    permissions,
  };
  if (view === 'manager') return { ...core, view };
  // One clock reading for the whole view, so its tasks and appointments agree on "now".
  const now = ctx.now();
  const own: OwnCaseView = {
    ...core,
    view: 'own',
    pathway: b.pathway,
    clinician: b.clinician_id === null ? null : { id: b.clinician_id, name: b.clinician_name ?? '' },
    injuryOnDuty: b.injury_on_duty,
    tasks: jsonValue(b.tasks).map((t) =>
      toTaskItem(
        {
          ...t,
          opensAt: dateOrNull(t.opensAt),
          dueAt: new Date(t.dueAt),
          closesAt: dateOrNull(t.closesAt),
          plannedDueAt: new Date(t.plannedDueAt),
          doneAt: dateOrNull(t.doneAt),
          personId: b.person_id,
          caseId: b.id,
          organisationId: b.organisation_id,
        },
        now,
      ),
    ),
    exposure,
    referral: {
      id: b.referral_id,
      source: b.source,
      reason: ctx.cipher.decrypt(b.reason_enc),
      questions: JSON.parse(ctx.cipher.decrypt(b.questions_enc)) as string[],
      createdAt: iso(b.referral_created_at) as string,
    },
    appointments: jsonValue(b.appointments).map((a) => {
      const start = new Date(a.start);
      return {
        ...a,
        start: start.toISOString(),
        end: iso(a.end) as string,
        attendable: a.status === 'booked' && isAttendable(start, now),
        actions: appointmentActions(view, { status: a.status, start }, now),
      };
    }),
  };
  if (view === 'own') return own;
  return {
    ...own,
    view: 'oh',
    priority: b.priority,
    clinicianId: b.clinician_id,
    securitySensitive: b.security_sensitive,
    referral: {
      ...own.referral,
      consentRecordedAt: iso(b.consent_recorded_at),
      referredByUserId: b.referred_by_user_id,
    },
    ...(permissions.viewNotes
      ? {
          consultations: jsonValue(b.consultations).map((n) => ({
            id: n.id,
            appointmentId: n.appointmentId,
            clinicianId: n.clinicianId,
            at: iso(n.at) as string,
            notes: ctx.cipher.decrypt(n.notesEnc),
          })),
        }
      : {}),
  };
}

/** Loads and locks a case for a clinical write, or throws 404 / 403 as the actor's view allows. */
async function loadForClinicalWrite(tx: Tx, actor: Actor, caseId: string) {
  const loaded = await loadCaseSituation(tx, caseId, { lock: true });
  if (!canWriteClinicalRecord(actor, loaded.situation)) {
    throw denial(actor, loaded.situation, 'Only an OH clinician or physician can do this.');
  }
  return loaded;
}

/** A clinician records a consultation; the notes are encrypted at rest. */
export async function recordConsultation(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  input: { appointmentId?: string; notes: string },
): Promise<{ id: string }> {
  return inTransaction(ctx, actor, async (tx) => {
    const { record } = await loadForClinicalWrite(tx, actor, caseId);
    const status = transitionCase(record.status as CaseStatus, { type: 'consult' });
    const appointmentId = input.appointmentId ?? null;
    if (appointmentId !== null) {
      const [appointment] = isUuid(appointmentId)
        ? await tx
            .select()
            .from(appointments)
            .where(and(eq(appointments.id, appointmentId), eq(appointments.caseId, record.id)))
            .limit(1)
        : [];
      if (!appointment) throw new RuleRefused('That appointment is not on this case.');
      // A second consultation may refer to an appointment already attended; otherwise it is attended now.
      if (appointment.status !== 'attended') {
        transitionAppointment(appointment.status as AppointmentStatus, {
          type: 'attend',
          start: appointment.startsAt,
          now: ctx.now(),
        });
      }
      await tx.update(appointments).set({ status: 'attended' }).where(eq(appointments.id, appointmentId));
    }
    const id = ctx.newId();
    await tx.insert(consultations).values({
      id,
      organisationId: record.organisationId,
      caseId: record.id,
      appointmentId,
      clinicianId: actor.userId,
      notesEnc: ctx.cipher.encrypt(input.notes),
      createdAt: ctx.now(),
    });
    if (status !== record.status) await tx.update(cases).set({ status }).where(eq(cases.id, record.id));
    await recordAudit(tx, ctx, actor, {
      action: 'consultation.create',
      recordType: 'case',
      recordId: record.id,
      organisationId: record.organisationId,
      role: ohRoleOf(actor, record.organisationId),
    });
    return { id };
  });
}

/** A clinician records the fitness-for-work outcome, adjustments and review date. */
export async function recordOutcome(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  input: { fitness: FitnessOutcome; adjustments: string[]; reviewDate?: string | null },
): Promise<{
  id: string;
  status: CaseStatus;
  fitness: FitnessOutcome;
  adjustments: string[];
  reviewDate: string | null;
}> {
  return inTransaction(ctx, actor, async (tx) => {
    const { record } = await loadForClinicalWrite(tx, actor, caseId);
    const adjustments = input.adjustments.map((a) => a.trim()).filter((a) => a.length > 0);
    const status = transitionCase(record.status as CaseStatus, {
      type: 'record-outcome',
      fitness: input.fitness,
      adjustments,
    });
    checkReviewDate(input.reviewDate, londonDate(ctx.now()));
    const reviewDate = input.reviewDate ?? null;
    await tx
      .update(cases)
      .set({ status, fitness: input.fitness, adjustments, reviewDate, outcomeRecordedAt: ctx.now() })
      .where(eq(cases.id, record.id));
    await recordAudit(tx, ctx, actor, {
      action: 'outcome.record',
      recordType: 'case',
      recordId: record.id,
      organisationId: record.organisationId,
      role: ohRoleOf(actor, record.organisationId),
    });
    return { id: record.id, status, fitness: input.fitness, adjustments, reviewDate };
  });
}

/** Closes a case with how it ended. */
export async function closeCase(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  input: { outcome: ClosureOutcome },
): Promise<{ id: string; status: 'closed' }> {
  return inTransaction(ctx, actor, async (tx) => {
    const { record } = await loadForClinicalWrite(tx, actor, caseId);
    transitionCase(record.status as CaseStatus, { type: 'close' });
    await tx
      .update(cases)
      .set({ status: 'closed', closureOutcome: input.outcome, closedAt: ctx.now() })
      .where(eq(cases.id, record.id));
    await recordAudit(tx, ctx, actor, {
      action: 'case.close',
      recordType: 'case',
      recordId: record.id,
      organisationId: record.organisationId,
      role: ohRoleOf(actor, record.organisationId),
    });
    return { id: record.id, status: 'closed' };
  });
}

/**
 * OH staff allocate (or change) the clinician of a case: an exposure reported out
 * of hours opens a case with none, so the morning team picks it up.
 */
export async function allocateClinician(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  input: { clinicianId: string },
): Promise<{ id: string; clinicianId: string }> {
  return inTransaction(ctx, actor, async (tx) => {
    const { record, situation } = await loadCaseSituation(tx, caseId, { lock: true });
    if (!canTriage(actor, situation.organisationId) || isOwnCase(actor, situation)) {
      throw denial(actor, situation, 'Only OH staff can allocate a clinician, and never on their own case.');
    }
    if (record.status === 'closed') throw new RuleRefused('This case is closed.');
    await requireClinicianOfProvider(tx, input.clinicianId, record.providerId);
    await tx.update(cases).set({ clinicianId: input.clinicianId }).where(eq(cases.id, record.id));
    await recordAudit(tx, ctx, actor, {
      action: 'case.allocate',
      recordType: 'case',
      recordId: record.id,
      organisationId: record.organisationId,
      role: ohRoleOf(actor, record.organisationId),
    });
    return { id: record.id, clinicianId: input.clinicianId };
  });
}

export type CaseListItem = {
  id: string;
  status: string;
  pathway: string;
  priority: string;
  fitness: string | null;
  reviewDate: string | null;
  /** The review date has passed and the case is still open. */
  reviewOverdue: boolean;
  personName: string;
  jobTitle: string;
  organisationName: string;
  /** Null until OH allocates one (an urgent case opened from an exposure or injury report). */
  clinicianId: string | null;
  closedAt: Date | null;
  createdAt: Date;
};

/** How long a closed case stays on a manager's list, so they can find its outcome again. */
const RECENTLY_CLOSED_DAYS = 90;

/** Urgent first, then soon, then routine. */
const priorityOrder = sql`case ${cases.priority} when 'urgent' then 0 when 'soon' then 1 else 2 end`;

/**
 * Cases listed for a home page, without clinical text:
 * - `clinician`: the actor's own open cases, urgent first;
 * - `awaiting-appointment`: the OH worklist of triaged cases with no appointment yet, urgent and oldest first;
 * - `team`: a manager's management referrals (their team, or referred by them), open or closed in the last 90 days;
 * - `own`: the employee's own cases.
 */
export async function listCases(
  ctx: ServiceContext,
  actor: Actor,
  scope: 'clinician' | 'awaiting-appointment' | 'team' | 'own',
): Promise<CaseListItem[]> {
  const isOhScope = scope === 'clinician' || scope === 'awaiting-appointment';
  if (isOhScope && (actor.ohOrganisationIds.length === 0 || !hasAnyRole(actor, OH_ROLES))) return [];
  if (!isOhScope && !actor.personId) return [];
  const personId = actor.personId ?? '';
  const closedSince = new Date(ctx.now().getTime() - RECENTLY_CLOSED_DAYS * 86_400_000);
  const notOwn = actor.personId ? ne(cases.personId, actor.personId) : undefined;
  const where = {
    clinician: and(
      eq(cases.clinicianId, actor.userId),
      ne(cases.status, 'closed'),
      inArray(cases.organisationId, actor.ohOrganisationIds),
      notOwn,
    ),
    'awaiting-appointment': and(
      eq(cases.status, 'awaiting-appointment'),
      inArray(cases.organisationId, actor.ohOrganisationIds),
      notOwn,
    ),
    own: eq(cases.personId, personId),
    // A manager's list holds management referrals only: self-referrals stay confidential.
    team: and(
      eq(referrals.source, 'management'),
      or(ne(cases.status, 'closed'), gte(cases.closedAt, closedSince)),
      or(eq(people.managerId, personId), eq(referrals.referredByUserId, actor.userId)),
    ),
  }[scope];
  const order =
    scope === 'clinician' || scope === 'awaiting-appointment'
      ? [priorityOrder, asc(cases.createdAt)]
      : [desc(cases.createdAt)];
  const today = londonDate(ctx.now());
  const rows = await inTransaction(ctx, actor, (tx) =>
    tx
      .select({
        id: cases.id,
        status: cases.status,
        pathway: cases.pathway,
        priority: cases.priority,
        fitness: cases.fitness,
        reviewDate: cases.reviewDate,
        givenName: people.givenName,
        familyName: people.familyName,
        jobTitle: people.jobTitle,
        organisationName: organisations.name,
        organisationId: cases.organisationId,
        clinicianId: cases.clinicianId,
        closedAt: cases.closedAt,
        createdAt: cases.createdAt,
      })
      .from(cases)
      .innerJoin(people, eq(people.id, cases.personId))
      .innerJoin(referrals, eq(referrals.id, cases.referralId))
      .innerJoin(organisations, eq(organisations.id, cases.organisationId))
      .where(where)
      .orderBy(...order)
      .limit(200),
  );
  if (scope === 'team') {
    // The list shows each case's fitness outcome: the same read as opening the case, so audited alike.
    await Promise.all(
      rows.map((r) =>
        auditRead(ctx, actor, {
          action: 'case.read-outcome',
          recordType: 'case',
          recordId: r.id,
          organisationId: r.organisationId,
          role: 'manager',
          reason: 'team list',
        }),
      ),
    );
  }
  return rows.map(({ givenName, familyName, organisationId: _organisation, ...r }) => ({
    ...r,
    personName: `${givenName} ${familyName}`,
    reviewOverdue: r.status !== 'closed' && r.reviewDate !== null && r.reviewDate < today,
  }));
}
