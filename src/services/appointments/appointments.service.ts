import { and, asc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/database.ts';
import {
  appointments,
  cases,
  clinicSessions,
  ohProviders,
  people,
  personUnsafeSites,
  providerClients,
  sites,
  userRoles,
  users,
} from '../../db/schema.ts';
import { canBook, caseViewFor, isOhStaffFor } from '../../domain/access/case.policy.ts';
import { type Actor, CLINICAL_ROLES, hasAnyRole, OH_ROLES } from '../../domain/access/roles.ts';
import {
  type AppointmentEvent,
  type AppointmentMode,
  type AppointmentStatus,
  type ClinicSession,
  checkAppointmentFits,
  freeSlots,
  MAX_SLOT_WINDOW_DAYS,
  type Slot,
  sitesToAvoid,
  transitionAppointment,
} from '../../domain/appointments/slot.rules.ts';
import { type CaseStatus, transitionCase } from '../../domain/cases/case.rules.ts';
import { Conflict, Forbidden, Invalid, NotFound, RuleRefused } from '../../domain/shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { denial, isUuid, loadCaseSituation, requireClinicianOfProvider } from '../shared/lookups.ts';

const DAY = 86_400_000;

/** The clinician (a user with a clinical OH role) and the providers they work for. */
async function loadClinician(q: Queryable, clinicianId: string) {
  if (!isUuid(clinicianId)) throw new NotFound('No such clinician.');
  const rows = await q
    .select({ id: users.id, name: users.displayName, providerId: ohProviders.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(ohProviders, eq(ohProviders.hostOrganisationId, userRoles.organisationId))
    .where(and(eq(users.id, clinicianId), inArray(userRoles.role, [...CLINICAL_ROLES])));
  if (rows.length === 0) throw new NotFound('No such clinician.');
  return { id: clinicianId, name: rows[0]?.name ?? '', providerIds: rows.map((r) => r.providerId) };
}

async function sessionsOf(q: Queryable, clinicianId: string, from: Date, to: Date): Promise<ClinicSession[]> {
  const rows = await q
    .select()
    .from(clinicSessions)
    .where(
      and(
        eq(clinicSessions.clinicianId, clinicianId),
        lt(clinicSessions.startsAt, to),
        gte(clinicSessions.endsAt, from),
      ),
    )
    .orderBy(asc(clinicSessions.startsAt));
  return rows.map((s) => ({
    start: s.startsAt,
    end: s.endsAt,
    slotMinutes: s.slotMinutes,
    mode: s.mode as AppointmentMode,
    siteId: s.siteId,
  }));
}

/**
 * When the clinician is booked, for every organisation they see people of: an
 * appointment of an organisation beyond the caller's reach still fills the slot. Read
 * through `clinician_busy_times` (migration 0010), which gives times and nothing else.
 */
async function bookedIntervals(q: Queryable, clinicianId: string, from: Date, to: Date) {
  const rows = await rowsOf<{ starts_at: string | Date; ends_at: string | Date }>(
    q,
    sql`select starts_at, ends_at from clinician_busy_times(${clinicianId}, ${from.toISOString()}, ${to.toISOString()})`,
  );
  return rows.map((r) => ({ start: new Date(r.starts_at), end: new Date(r.ends_at) }));
}

/**
 * A clinician's free slots between two times. OH staff of the clinician's provider
 * see them all; a member of staff served by that provider sees them too, less any
 * site they have marked unsafe.
 */
export async function listFreeSlots(
  ctx: ServiceContext,
  actor: Actor,
  clinicianId: string,
  window: { from?: string; to?: string; caseId?: string },
): Promise<Slot[]> {
  const from = window.from ? new Date(window.from) : ctx.now();
  const to = window.to ? new Date(window.to) : new Date(from.getTime() + 14 * DAY);
  if (Number.isNaN(from.getTime()))
    throw new Invalid('Bad date', [{ path: '/query/from', message: 'Enter a date and time' }]);
  if (Number.isNaN(to.getTime()))
    throw new Invalid('Bad date', [{ path: '/query/to', message: 'Enter a date and time' }]);
  if (to.getTime() <= from.getTime())
    throw new Invalid('Bad window', [{ path: '/query/to', message: 'Must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_SLOT_WINDOW_DAYS * DAY) {
    throw new Invalid('Window too long', [
      { path: '/query/to', message: `At most ${MAX_SLOT_WINDOW_DAYS} days after from` },
    ]);
  }
  return inTransaction(ctx, actor, async (tx) => {
    const clinician = await loadClinician(tx, clinicianId);
    const ohProviderIds = await providersOfActor(tx, actor);
    const isOh = clinician.providerIds.some((id) => ohProviderIds.includes(id));
    let unsafeSiteIds: string[] = [];
    if (!isOh) {
      const served = actor.personId ? await providerIdsServingPerson(tx, actor.personId) : [];
      if (!clinician.providerIds.some((id) => served.includes(id))) {
        if (hasAnyRole(actor, OH_ROLES) || actor.personId) throw new NotFound('No such clinician.');
        throw new Forbidden('Only OH staff can see clinicians’ diaries.');
      }
      unsafeSiteIds = await avoidedSitesOf(tx, actor.personId as string);
    } else if (window.caseId) {
      // OH staff booking for a case (or for their own) see only the venues that are safe for that person.
      const { situation } = await loadCaseSituation(tx, window.caseId);
      if (caseViewFor(actor, situation) === 'none' || caseViewFor(actor, situation) === 'manager') {
        throw new NotFound('No such case.');
      }
      unsafeSiteIds = await avoidedSitesOf(tx, situation.personId);
    }
    const [sessions, booked] = await Promise.all([
      sessionsOf(tx, clinicianId, from, to),
      bookedIntervals(tx, clinicianId, from, to),
    ]);
    return freeSlots({ sessions, booked, from, to, now: ctx.now(), unsafeSiteIds });
  });
}

/** Providers hosted by an organisation where the actor holds an OH role. */
async function providersOfActor(q: Queryable, actor: Actor): Promise<string[]> {
  const hostOrgs = actor.grants.filter((g) => OH_ROLES.includes(g.role)).map((g) => g.organisationId);
  if (hostOrgs.length === 0) return [];
  const rows = await q
    .select({ id: ohProviders.id })
    .from(ohProviders)
    .where(inArray(ohProviders.hostOrganisationId, hostOrgs));
  return rows.map((r) => r.id);
}

async function providerIdsServingPerson(q: Queryable, personId: string): Promise<string[]> {
  const rows = await q
    .select({ id: providerClients.providerId })
    .from(providerClients)
    .innerJoin(people, eq(people.organisationId, providerClients.organisationId))
    .where(eq(people.id, personId));
  return rows.map((r) => r.id);
}

/** Sites never to offer or book for a person (see `sitesToAvoid`). */
async function avoidedSitesOf(q: Queryable, personId: string): Promise<string[]> {
  const [person] = await q
    .select({ securitySensitive: people.securitySensitive })
    .from(people)
    .where(eq(people.id, personId))
    .limit(1);
  const unsafe = await q
    .select({ siteId: personUnsafeSites.siteId })
    .from(personUnsafeSites)
    .where(eq(personUnsafeSites.personId, personId));
  const operational = person?.securitySensitive
    ? await q.select({ id: sites.id }).from(sites).where(eq(sites.operational, true))
    : [];
  return sitesToAvoid({
    securitySensitive: person?.securitySensitive ?? false,
    unsafeSiteIds: unsafe.map((r) => r.siteId),
    operationalSiteIds: operational.map((r) => r.id),
  });
}

/**
 * Books an appointment on a case. Double booking is impossible: the database's
 * exclusion constraint refuses the second of two overlapping bookings, however
 * close together they arrive, and that refusal becomes a 409.
 */
export async function bookAppointment(
  ctx: ServiceContext,
  actor: Actor,
  input: {
    caseId: string;
    clinicianId: string;
    start: string;
    end: string;
    mode: AppointmentMode;
    siteId?: string;
  },
): Promise<{ id: string }> {
  const start = new Date(input.start);
  const end = new Date(input.end);
  try {
    return await inTransaction(ctx, actor, async (tx) => {
      const { record, situation } = await loadCaseSituation(tx, input.caseId, { lock: true });
      if (!canBook(actor, situation))
        throw denial(actor, situation, 'Only OH staff or the employee can book an appointment.');
      // Their own case books as the patient does, even for OH staff.
      const isOh = caseViewFor(actor, situation) === 'oh';
      const status = transitionCase(record.status as CaseStatus, { type: 'book' });
      await requireClinicianOfProvider(tx, input.clinicianId, record.providerId);
      if (start.getTime() < ctx.now().getTime())
        throw new RuleRefused('The appointment cannot start in the past.');
      if (input.siteId !== undefined) {
        const [site] = isUuid(input.siteId)
          ? await tx.select({ id: sites.id }).from(sites).where(eq(sites.id, input.siteId)).limit(1)
          : [];
        if (!site) throw new RuleRefused('No such site.');
      }
      const sessions = await sessionsOf(tx, input.clinicianId, start, end);
      const { siteId } = checkAppointmentFits(
        { start, end, mode: input.mode, siteId: input.siteId ?? null },
        sessions,
      );
      // Venues unsafe for the person are never used, whoever books and however the site was chosen.
      if (siteId !== null && (await avoidedSitesOf(tx, record.personId)).includes(siteId)) {
        throw new RuleRefused(
          'That site is not safe for this person (they marked it unsafe, or it is an operational site and they are security sensitive). Choose another site, or a phone or video appointment.',
        );
      }
      if (!isOh) {
        const [upcoming] = await tx
          .select({ start: appointments.startsAt })
          .from(appointments)
          .where(
            and(
              eq(appointments.caseId, record.id),
              eq(appointments.status, 'booked'),
              gte(appointments.startsAt, ctx.now()),
            ),
          )
          .limit(1);
        if (upcoming) {
          throw new RuleRefused(
            'You already have an appointment booked for this case. Contact occupational health to change it.',
          );
        }
      }
      // Bookings of one clinician queue here, so the exclusion constraint below refuses
      // an overlap cleanly (409) instead of two inserts deadlocking inside its check.
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`clinician:${input.clinicianId}`}, 0))`,
      );
      const id = ctx.newId();
      await tx.insert(appointments).values({
        id,
        organisationId: record.organisationId,
        caseId: record.id,
        clinicianId: input.clinicianId,
        startsAt: start,
        endsAt: end,
        mode: input.mode,
        siteId,
        status: 'booked',
        bookedByUserId: actor.userId,
        createdAt: ctx.now(),
      });
      if (status !== record.status) await tx.update(cases).set({ status }).where(eq(cases.id, record.id));
      await recordAudit(tx, ctx, actor, {
        action: 'appointment.book',
        recordType: 'case',
        recordId: record.id,
        organisationId: record.organisationId,
        role: isOh ? ohRoleOf(actor, record.organisationId) : 'employee',
      });
      return { id };
    });
  } catch (error) {
    if (isExclusionViolation(error))
      throw new Conflict('The clinician is already booked at that time. Choose another slot.');
    throw error;
  }
}

/** PostgreSQL's exclusion_violation (23P01), on either engine and through Drizzle's wrapping. */
function isExclusionViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === '23P01') return true;
  }
  return false;
}

/** Appointments with their person, clinician and site, ready for a list; callers add the filter. */
function appointmentRows(q: Queryable) {
  return q
    .select({
      id: appointments.id,
      caseId: appointments.caseId,
      start: appointments.startsAt,
      end: appointments.endsAt,
      mode: appointments.mode,
      status: appointments.status,
      siteName: sites.name,
      siteAddress: sites.address,
      givenName: people.givenName,
      familyName: people.familyName,
      clinicianName: users.displayName,
    })
    .from(appointments)
    .innerJoin(cases, eq(cases.id, appointments.caseId))
    .innerJoin(people, eq(people.id, cases.personId))
    .innerJoin(users, eq(users.id, appointments.clinicianId))
    .leftJoin(sites, eq(sites.id, appointments.siteId));
}

export type DiaryEntry = {
  id: string;
  caseId: string;
  start: Date;
  end: Date;
  mode: string;
  status: string;
  siteName: string | null;
  personName: string;
  clinicianName: string;
};

/**
 * Appointments in a window for OH staff: the diary of the organisations their
 * provider serves, optionally one clinician's.
 */
export async function listDiary(
  ctx: ServiceContext,
  actor: Actor,
  window: { from: Date; to: Date; clinicianId?: string },
): Promise<DiaryEntry[]> {
  if (!hasAnyRole(actor, OH_ROLES)) throw new Forbidden('Only OH staff can see the diary.');
  if (actor.ohOrganisationIds.length === 0) return [];
  const rows = await inTransaction(ctx, actor, (tx) =>
    appointmentRows(tx)
      .where(
        and(
          inArray(appointments.organisationId, actor.ohOrganisationIds),
          // OH staff never see their own appointments in the service's diary.
          actor.personId ? ne(cases.personId, actor.personId) : undefined,
          gte(appointments.startsAt, window.from),
          lt(appointments.startsAt, window.to),
          ne(appointments.status, 'cancelled'),
          window.clinicianId ? eq(appointments.clinicianId, window.clinicianId) : undefined,
        ),
      )
      .orderBy(asc(appointments.startsAt))
      .limit(500),
  );
  return rows.map(({ givenName, familyName, ...r }) => ({ ...r, personName: `${givenName} ${familyName}` }));
}

/** Clinicians of the providers serving an organisation (for triage and booking forms). */
export async function listClinicians(ctx: ServiceContext, actor: Actor, organisationId: string) {
  if (!isOhStaffFor(actor, organisationId)) throw new NotFound('No such organisation.');
  const rows = await ctx.db
    .selectDistinct({ id: users.id, name: users.displayName, role: userRoles.role })
    .from(providerClients)
    .innerJoin(ohProviders, eq(ohProviders.id, providerClients.providerId))
    .innerJoin(userRoles, eq(userRoles.organisationId, ohProviders.hostOrganisationId))
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(
      and(
        eq(providerClients.organisationId, organisationId),
        inArray(userRoles.role, [...CLINICAL_ROLES]),
        eq(users.disabled, false),
      ),
    )
    .orderBy(asc(users.displayName));
  return rows;
}

/** The actor's own upcoming appointments (as the person seen), soonest first. */
export async function listMyAppointments(ctx: ServiceContext, actor: Actor) {
  if (!actor.personId) return [];
  const personId = actor.personId;
  const rows = await inTransaction(ctx, actor, (tx) =>
    appointmentRows(tx)
      .where(
        and(
          eq(cases.personId, personId),
          eq(appointments.status, 'booked'),
          gte(appointments.endsAt, ctx.now()),
        ),
      )
      .orderBy(asc(appointments.startsAt))
      .limit(50),
  );
  return rows;
}

/** Names and addresses of sites, for showing slots. */
export async function siteDetails(ctx: ServiceContext, siteIds: string[]) {
  if (siteIds.length === 0) return new Map<string, { name: string; address: string; operational: boolean }>();
  const rows = await ctx.db
    .select({ id: sites.id, name: sites.name, address: sites.address, operational: sites.operational })
    .from(sites)
    .where(inArray(sites.id, siteIds));
  return new Map(rows.map((r) => [r.id, { name: r.name, address: r.address, operational: r.operational }]));
}

/**
 * Cancels a booked appointment (OH staff; the employee for their own, before it starts),
 * or marks it as missed (OH staff, once it has started). When no booked appointment is
 * left, the case goes back to waiting for one.
 */
export async function changeAppointment(
  ctx: ServiceContext,
  actor: Actor,
  appointmentId: string,
  change: 'cancel' | 'did-not-attend',
): Promise<{ id: string; caseId: string; status: AppointmentStatus }> {
  if (!isUuid(appointmentId)) throw new NotFound('No such appointment.');
  return inTransaction(ctx, actor, async (tx) => {
    const [appointment] = await tx
      .select()
      .from(appointments)
      .where(eq(appointments.id, appointmentId))
      .limit(1);
    if (!appointment) throw new NotFound('No such appointment.');
    const { record, situation } = await loadCaseSituation(tx, appointment.caseId, { lock: true });
    const view = caseViewFor(actor, situation);
    const allowed = view === 'oh' || (view === 'own' && change === 'cancel');
    if (!allowed) {
      throw denial(
        actor,
        situation,
        'Only OH staff can mark an appointment as missed; only OH staff or the employee can cancel it.',
      );
    }
    if (view === 'own' && appointment.startsAt.getTime() <= ctx.now().getTime()) {
      throw new RuleRefused('The appointment has already started. Contact occupational health.');
    }
    const event: AppointmentEvent =
      change === 'cancel'
        ? { type: 'cancel' }
        : { type: 'miss', start: appointment.startsAt, now: ctx.now() };
    const status = transitionAppointment(appointment.status as AppointmentStatus, event);
    await tx.update(appointments).set({ status }).where(eq(appointments.id, appointment.id));
    const [stillBooked] = await tx
      .select({ id: appointments.id })
      .from(appointments)
      .where(and(eq(appointments.caseId, record.id), eq(appointments.status, 'booked')))
      .limit(1);
    if (!stillBooked) {
      const caseStatus = transitionCase(record.status as CaseStatus, { type: 'cancel-last-appointment' });
      if (caseStatus !== record.status)
        await tx.update(cases).set({ status: caseStatus }).where(eq(cases.id, record.id));
    }
    await recordAudit(tx, ctx, actor, {
      action: change === 'cancel' ? 'appointment.cancel' : 'appointment.did-not-attend',
      recordType: 'case',
      recordId: record.id,
      organisationId: record.organisationId,
      role: view === 'oh' ? ohRoleOf(actor, record.organisationId) : 'employee',
    });
    return { id: appointment.id, caseId: record.id, status };
  });
}
