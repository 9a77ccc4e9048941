import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Tx } from '../../src/db/database.ts';
import { CASE_BUNDLE_SQL } from '../../src/db/queries/case-bundle.query.ts';
import { equitySql, MDS_EPISODES_SQL } from '../../src/db/queries/reporting.query.ts';
import {
  appointments,
  auditEvents,
  benefitAims,
  cases,
  consultations,
  exposures,
  immunisations,
  incidentPeople,
  incidents,
  measures,
  pathwayRuns,
  people,
  personUnsafeSites,
  referrals,
  reports,
  tasks,
} from '../../src/db/schema.ts';
import { organisationScopeValue, SCOPE_SETTING } from '../../src/db/scope.ts';
import { FIRST_APPOINTMENT_STATUSES } from '../../src/domain/reporting/dataset.rules.ts';
import type { Server } from '../../src/server.ts';
import { resolveActor } from '../../src/services/auth/auth.service.ts';
import { kpiTotals, refreshKpiDaysOf } from '../../src/services/reporting/kpi-days.service.ts';
import { reportReach, uuidArray } from '../../src/services/reporting/scope.service.ts';
import {
  databaseScope,
  inTransaction,
  organisationsScope,
  type Reach,
  systemScope,
} from '../../src/services/shared/context.ts';
import { caseAt, createWorld, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

// These tests talk to the database directly, never through a service: they show that
// the database itself keeps organisations apart when a query names no organisation.

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

/** Runs work in a transaction whose scope is set by hand, as `inTransaction` sets it. */
function underScope<T>(value: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return server.ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config(${SCOPE_SETTING}, ${value}, true)`);
    return work(tx);
  });
}

/** The SQLSTATE and message of a failed statement, through Drizzle's wrapping. */
async function failureOf(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
      const { code, message } = e as { code?: string; message: string };
      if (code) return { code, message };
    }
    throw error;
  }
  throw new Error('The statement succeeded.');
}

const RLS_REFUSED = /violates row-level security policy/;

/**
 * Two organisations, each with a whole case: A (the world's force, with its own OH
 * unit) and B (the trust next door, with its own), so every table behind the wall
 * holds a row of each.
 */
async function twoOrganisations() {
  const world = await createWorld(server.app, server.ctx);
  const a = await caseAt(world, 'reported');
  const referral = await world.outsiderEmployee.api('POST', '/api/v1/referrals', {
    selfReferral: true,
    reason: 'Trouble sleeping on nights.',
    pathway: 'mental-health',
  });
  const triage = await world.outsiderOh.api('POST', `/api/v1/referrals/${referral.json().id}/triage`, {
    priority: 'routine',
    pathway: 'mental-health',
    clinicianId: world.outsiderOh.userId,
  });
  const caseB = triage.json().caseId as string;
  const consultation = await world.outsiderOh.api('POST', `/api/v1/cases/${caseB}/consultations`, {
    notes: 'Sleep hygiene advice given.',
  });
  const report = await world.outsiderOh.api('POST', `/api/v1/cases/${caseB}/reports`, {
    text: 'Fit for work.',
  });
  const b = {
    referralId: referral.json().id as string,
    caseId: caseB,
    consultationId: consultation.json().id as string,
    reportId: report.json().id as string,
  };
  expect([referral.statusCode, triage.statusCode, consultation.statusCode, report.statusCode]).toEqual([
    201, 200, 201, 201,
  ]);
  const onlyA = organisationScopeValue([world.orgId]);
  const onlyB = organisationScopeValue([world.otherOrgId]);
  return { world, a, b, onlyA, onlyB };
}

/** What a scope shows of both organisations' rows, each table read with no organisation filter. */
async function visible(q: Tx, w: World, ids: { caseIds: string[] }) {
  const people_ = await q
    .select({ organisationId: people.organisationId })
    .from(people)
    .where(inArray(people.organisationId, [w.orgId, w.otherOrgId]));
  const caseRows = await q.select({ id: cases.id }).from(cases).where(inArray(cases.id, ids.caseIds));
  const referralRows = await q
    .select({ id: referrals.id })
    .from(referrals)
    .where(inArray(referrals.organisationId, [w.orgId, w.otherOrgId]));
  const consultationRows = await q
    .select({ id: consultations.id })
    .from(consultations)
    .where(inArray(consultations.caseId, ids.caseIds));
  const reportRows = await q
    .select({ id: reports.id })
    .from(reports)
    .where(inArray(reports.caseId, ids.caseIds));
  const appointmentRows = await q
    .select({ id: appointments.id })
    .from(appointments)
    .where(inArray(appointments.caseId, ids.caseIds));
  return {
    peopleOrganisations: [...new Set(people_.map((p) => p.organisationId))].sort(),
    cases: caseRows.map((r) => r.id).sort(),
    referrals: referralRows.length,
    consultations: consultationRows.length,
    reports: reportRows.length,
    appointments: appointmentRows.length,
  };
}

describe(`row-level security on ${engine}`, () => {
  it('queries as the application role, which is no superuser and does not bypass row-level security', async () => {
    const [role] = await rowsOf<{ role: string; rolsuper: boolean; rolbypassrls: boolean }>(
      server.ctx.db,
      sql`select current_user as role, rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
    );
    expect(role).toEqual({ role: 'ohwb_app', rolsuper: false, rolbypassrls: false });
  });

  it('walls in every table that ties a row to an organisation, a person or a provider; the exceptions are listed', async () => {
    const tables = await rowsOf<{ name: string; enabled: boolean; forced: boolean }>(
      server.ctx.db,
      sql`select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'r'
             and exists (select 1 from pg_attribute a
                          where a.attrelid = c.oid and not a.attisdropped
                            and a.attname in ('organisation_id', 'person_id', 'provider_id'))
           order by 1`,
    );
    // Read across organisations by design, and holding no one's health or employment
    // details (docs/security.md, "Not behind the wall"). A new table goes behind the wall
    // (ohwb_enable_org_rls) or onto this list with as good a reason.
    const exceptions = {
      // A provider's diary: an employee books with a provider hosted by another organisation.
      clinic_sessions: 'reference',
      // Clinical rules, not records: shipped versions belong to no provider, and a person's
      // tasks show the rule set of a provider that another organisation may host.
      pathway_rule_sets: 'reference',
      provider_clients: 'reference',
      sites: 'reference',
      // Accounts: signing in reads them before there is a scope.
      user_roles: 'account',
      users: 'account',
    };
    expect(tables.filter((t) => !(t.enabled && t.forced)).map((t) => t.name)).toEqual(
      Object.keys(exceptions),
    );
    expect(tables.filter((t) => t.enabled).map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'appointments',
        'audit_events',
        'benefit_aims',
        'cases',
        'consultations',
        'exposures',
        'immunisations',
        'incident_people',
        'incidents',
        'measures',
        'outbox',
        'pathway_runs',
        'people',
        'person_unsafe_sites',
        'referrals',
        'reports',
        'tasks',
      ]),
    );
  });

  it('shows an actor only their own organisation’s rows, though the query names no organisation', async () => {
    const { world, a, b, onlyA, onlyB } = await twoOrganisations();
    const ids = { caseIds: [a.caseId, b.caseId] };
    const one = { referrals: 1, consultations: 1, reports: 1 };
    expect(await underScope(onlyA, (tx) => visible(tx, world, ids))).toEqual({
      peopleOrganisations: [world.orgId],
      cases: [a.caseId],
      ...one,
      appointments: 1,
    });
    expect(await underScope(onlyB, (tx) => visible(tx, world, ids))).toEqual({
      peopleOrganisations: [world.otherOrgId],
      cases: [b.caseId],
      ...one,
      appointments: 0,
    });
  });

  it('refuses to write a row into an organisation beyond reach, or to move a row there', async () => {
    const { world, a, onlyA } = await twoOrganisations();
    const intoB = await failureOf(
      underScope(onlyA, (tx) =>
        tx.insert(people).values({
          id: randomUUID(),
          organisationId: world.otherOrgId,
          employeeNumber: `E${randomUUID().slice(0, 8)}`,
          givenName: 'Eve',
          familyName: 'Intruder',
          staffGroup: 'Nursing',
          jobTitle: 'Staff nurse',
        }),
      ),
    );
    expect(intoB.message).toMatch(RLS_REFUSED);
    const moved = await failureOf(
      underScope(onlyA, (tx) =>
        tx.update(cases).set({ organisationId: world.otherOrgId }).where(eq(cases.id, a.caseId)),
      ),
    );
    expect(moved.message).toMatch(RLS_REFUSED);
    const unsafeForB = await failureOf(
      underScope(onlyA, (tx) =>
        tx
          .insert(personUnsafeSites)
          .values({ personId: world.outsiderEmployee.personId as string, siteId: world.siteId }),
      ),
    );
    expect(unsafeForB.message).toMatch(RLS_REFUSED);
  });

  it('lets an update or delete with no organisation filter touch nothing beyond reach', async () => {
    const { b, onlyA } = await twoOrganisations();
    const changed = await underScope(onlyA, async (tx) => ({
      cases: await tx.update(cases).set({ status: 'closed' }).where(eq(cases.id, b.caseId)).returning(),
      consultations: await tx.delete(consultations).where(eq(consultations.id, b.consultationId)).returning(),
      reports: await tx
        .update(reports)
        .set({ status: 'released' })
        .where(eq(reports.id, b.reportId))
        .returning(),
    }));
    expect(changed).toEqual({ cases: [], consultations: [], reports: [] });
    const [caseB] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, b.caseId));
    expect(caseB?.status).not.toBe('closed');
    expect(await systemDb(server.ctx).$count(consultations, eq(consultations.id, b.consultationId))).toBe(1);
  });

  it('shows nothing and accepts nothing without a scope, or with one that names no organisation', async () => {
    const { world, a, b } = await twoOrganisations();
    const db = server.ctx.db;
    expect(
      await db
        .select()
        .from(cases)
        .where(inArray(cases.id, [a.caseId, b.caseId])),
    ).toEqual([]);
    expect(await db.select().from(people).where(eq(people.organisationId, world.orgId))).toEqual([]);
    expect(await db.$count(consultations, inArray(consultations.caseId, [a.caseId, b.caseId]))).toBe(0);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.recordId, a.caseId))).toEqual([]);
    expect(
      await db.update(cases).set({ status: 'closed' }).where(eq(cases.id, a.caseId)).returning(),
    ).toEqual([]);
    const insert = await failureOf(
      db
        .insert(personUnsafeSites)
        .values({ personId: world.employee.personId as string, siteId: world.siteId }),
    );
    expect(insert.message).toMatch(RLS_REFUSED);
    expect(await underScope('', (tx) => tx.select().from(cases).where(eq(cases.id, a.caseId)))).toEqual([]);
    for (const scope of [
      'every organisation',
      '{}',
      a.caseId,
      world.orgId.slice(0, 30),
      world.orgId.toUpperCase(),
    ]) {
      expect(await underScope(scope, (tx) => tx.select().from(cases).where(eq(cases.id, a.caseId)))).toEqual(
        [],
      );
    }
    // A list of something other than uuids stops the query rather than show anything.
    for (const scope of [`{${world.orgId.slice(0, 30)}}`, '{every organisation}']) {
      const refused = await failureOf(
        underScope(scope, (tx) => tx.select().from(cases).where(eq(cases.id, a.caseId))),
      );
      expect(refused.code).toBe('22P02');
    }
  });

  it('shows system work every organisation', async () => {
    const { world, a, b } = await twoOrganisations();
    expect(await underScope('system', (tx) => visible(tx, world, { caseIds: [a.caseId, b.caseId] }))).toEqual(
      {
        peopleOrganisations: [world.orgId, world.otherOrgId].sort(),
        cases: [a.caseId, b.caseId].sort(),
        referrals: 2,
        consultations: 2,
        reports: 2,
        appointments: 1,
      },
    );
  });

  it('keeps pathway work apart too: runs, tasks, exposures, incidents, questionnaires, immunisations', async () => {
    const world = await createWorld(server.app, server.ctx);
    const occurredAt = new Date(Date.now() - 30 * 60_000).toISOString();
    const phq9 = { instrument: 'PHQ-9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 0] };
    // The same pathway work in each organisation, each reported by its own people.
    const sides = [
      { org: world.orgId, person: world.employee, oh: world.clinician },
      { org: world.otherOrgId, person: world.outsiderEmployee, oh: world.outsiderOh },
    ];
    for (const { org, person, oh } of sides) {
      const personId = person.personId as string;
      const responses = [
        await person.api('POST', '/api/v1/exposures', { personId, occurredAt, kind: 'needlestick' }),
        await person.api('POST', '/api/v1/measures', { personId, ...phq9 }),
        await oh.api('POST', '/api/v1/incidents', {
          occurredAt,
          kind: 'traumatic',
          description: 'Fatal road traffic collision',
          personIds: [personId],
        }),
      ];
      expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201]);
      await systemDb(server.ctx).insert(immunisations).values({
        id: randomUUID(),
        organisationId: org,
        personId,
        vaccine: 'hepatitis-b',
        kind: 'dose',
        onDate: '2024-01-15',
        dose: 1,
      });
    }
    const personIds = sides.map((side) => side.person.personId as string);
    const organisationsSeen = (scope: string) =>
      underScope(scope, async (tx) => {
        const of = async (rows: Promise<Array<{ organisationId: string }>>) =>
          [...new Set((await rows).map((r) => r.organisationId))].sort();
        const pick = { organisationId: sql<string>`organisation_id` };
        return {
          pathwayRuns: await of(
            tx.select(pick).from(pathwayRuns).where(inArray(pathwayRuns.personId, personIds)),
          ),
          tasks: await of(tx.select(pick).from(tasks).where(inArray(tasks.personId, personIds))),
          exposures: await of(tx.select(pick).from(exposures).where(inArray(exposures.personId, personIds))),
          incidentPeople: await of(
            tx.select(pick).from(incidentPeople).where(inArray(incidentPeople.personId, personIds)),
          ),
          incidents: await of(
            tx
              .select(pick)
              .from(incidents)
              .where(inArray(incidents.organisationId, [world.orgId, world.otherOrgId])),
          ),
          measures: await of(tx.select(pick).from(measures).where(inArray(measures.personId, personIds))),
          immunisations: await of(
            tx.select(pick).from(immunisations).where(inArray(immunisations.personId, personIds)),
          ),
        };
      });
    const everywhere = (organisationIds: string[]) => ({
      pathwayRuns: organisationIds,
      tasks: organisationIds,
      exposures: organisationIds,
      incidentPeople: organisationIds,
      incidents: organisationIds,
      measures: organisationIds,
      immunisations: organisationIds,
    });
    expect(await organisationsSeen(organisationScopeValue([world.orgId]))).toEqual(everywhere([world.orgId]));
    expect(await organisationsSeen(organisationScopeValue([world.otherOrgId]))).toEqual(
      everywhere([world.otherOrgId]),
    );
    expect(await organisationsSeen('')).toEqual(everywhere([]));
    expect(await organisationsSeen('system')).toEqual(everywhere([world.orgId, world.otherOrgId].sort()));
    // Nor can pathway work be written into an organisation beyond reach.
    const [taskOfB] = await systemDb(server.ctx)
      .select()
      .from(tasks)
      .where(eq(tasks.personId, personIds[1] as string))
      .limit(1);
    const copied = await failureOf(
      underScope(organisationScopeValue([world.orgId]), (tx) =>
        tx.insert(tasks).values({ ...(taskOfB as typeof tasks.$inferInsert), id: randomUUID() }),
      ),
    );
    expect(copied.message).toMatch(RLS_REFUSED);
  });

  it('scopes each actor by every organisation they reach, and nothing more', async () => {
    const { world } = await twoOrganisations();
    const scopeOf = async (token: string) => {
      const actor = await resolveActor(server.ctx, token, 'api');
      if (!actor) throw new Error('no actor');
      return databaseScope(actor);
    };
    // The world's OH unit serves its own force only; the sysadmin reaches their whole system.
    expect(await scopeOf(world.clinician.token)).toBe(organisationScopeValue([world.orgId]));
    expect(await scopeOf(world.employee.token)).toBe(organisationScopeValue([world.orgId]));
    expect(await scopeOf(world.outsiderOh.token)).toBe(organisationScopeValue([world.otherOrgId]));
    expect(await scopeOf(world.sysadmin.token)).toBe(
      organisationScopeValue([world.orgId, world.otherOrgId].sort()),
    );
  });

  it('reads the case bundle under the caller’s scope in one statement, and leaves no scope behind', async () => {
    const { a, b, onlyA } = await twoOrganisations();
    const bundle = async (caseId: string, scope: string) =>
      (await server.ctx.prepared<{ bundle: unknown }>('case-bundle', CASE_BUNDLE_SQL, [caseId, scope]))[0]
        ?.bundle;
    expect(await bundle(b.caseId, onlyA)).toBeNull();
    expect(await bundle(a.caseId, onlyA)).not.toBeNull();
    expect(await bundle(a.caseId, '')).toBeNull();
    expect(await bundle(b.caseId, 'system')).not.toBeNull();
    // The scope it set ended with the statement (PGlite has one connection: the very next query).
    expect(await server.ctx.db.select().from(cases).where(eq(cases.id, a.caseId))).toEqual([]);
  });

  it('keeps the audit trail to the scope’s organisations; the application cannot change or empty it', async () => {
    const { a, b, onlyA } = await twoOrganisations();
    const trail = (caseId: string) =>
      underScope(onlyA, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, caseId)));
    expect((await trail(a.caseId)).length).toBeGreaterThan(0);
    expect(await trail(b.caseId)).toEqual([]);
    for (const statement of [
      sql`update audit_events set reason = 'changed' where record_id = ${a.caseId}`,
      sql`delete from audit_events where record_id = ${a.caseId}`,
      sql`truncate audit_events`,
    ]) {
      const refused = await failureOf(underScope('system', (tx) => tx.execute(statement)));
      expect(refused.message).toMatch(/permission denied/);
    }
  });

  it('tells anyone when a clinician is busy in any organisation, and nothing else', async () => {
    const { world, a, onlyB } = await twoOrganisations();
    const [appointment] = await systemDb(server.ctx)
      .select()
      .from(appointments)
      .where(eq(appointments.caseId, a.caseId));
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const seen = await underScope(onlyB, async (tx) => ({
      appointments: await tx.select().from(appointments).where(eq(appointments.caseId, a.caseId)),
      busy: await rowsOf<Record<string, unknown>>(
        tx,
        sql`select * from clinician_busy_times(${world.clinician.userId}, ${from}, ${to})`,
      ),
    }));
    expect(seen.appointments).toEqual([]);
    expect(seen.busy.map((r) => Object.keys(r).sort())).toEqual([['ends_at', 'starts_at']]);
    expect(new Date(seen.busy[0]?.starts_at as string).getTime()).toBe(appointment?.startsAt.getTime());
  });

  it('keeps a report to its own organisations, even when its statements ask for others', async () => {
    const { world } = await twoOrganisations();
    const both = [world.orgId, world.otherOrgId];
    const start = new Date(Date.now() - 86_400_000);
    const end = new Date(Date.now() + 86_400_000);
    const day = (at: Date) => at.toISOString().slice(0, 10);
    const statuses = `{${FIRST_APPOINTMENT_STATUSES.join(',')}}`;
    // What each reporting statement returns when it is asked for both organisations (the
    // wrong ids a faulty service might pass) but runs under a scope of the first only.
    const asked = async (reach: Reach) => {
      // The KPI roll-up: refreshed for both, then added up for both.
      await refreshKpiDaysOf(server.ctx, reach, both);
      return inTransaction(server.ctx, reach, async (tx) => {
        const run = server.ctx.preparedIn(tx);
        const referralCounts = await kpiTotals(run, both, day(start), day(end));
        const staff = await run<{ workforce: number }>('ohwb_equity_staffGroup', equitySql('staffGroup'), [
          uuidArray(both),
          start,
          end,
          day(start),
          day(end),
        ]);
        const episodes = await run<{ organisation_slug: string }>('ohwb_mds_episodes', MDS_EPISODES_SQL, [
          uuidArray(both),
          start,
          end,
          '00000000-0000-0000-0000-000000000000',
          100,
          statuses,
        ]);
        return {
          referrals: referralCounts.referrals,
          workforce: staff.reduce((sum, row) => sum + Number(row.workforce), 0),
          episodeOrganisations: [...new Set(episodes.map((e) => e.organisation_slug))].sort(),
        };
      });
    };
    const reportOf = (organisationIds: string[]) =>
      reportReach({
        kind: 'organisation',
        slug: 'any',
        name: 'Any',
        organisationKind: null,
        controlled: true,
        id: organisationIds[0] ?? null,
        organisationIds,
      });
    const [peopleA, peopleB] = await Promise.all(
      both.map((id) => systemDb(server.ctx).$count(people, eq(people.organisationId, id))),
    );
    const onlyA = await asked(reportOf([world.orgId]));
    expect(onlyA).toEqual({ referrals: 1, workforce: peopleA, episodeOrganisations: [world.orgSlug] });
    expect(await asked(reportOf([world.otherOrgId]))).toEqual({
      referrals: 1,
      workforce: peopleB,
      episodeOrganisations: [world.otherOrgSlug],
    });
    // The system's report, and the country's (system scope), see both; no organisation, nothing.
    const everything = {
      referrals: 2,
      workforce: (peopleA ?? 0) + (peopleB ?? 0),
      episodeOrganisations: [world.orgSlug, world.otherOrgSlug].sort(),
    };
    expect(await asked(reportOf(both))).toEqual(everything);
    expect(await asked(systemScope('national-report'))).toEqual(everything);
    expect(await asked(organisationsScope('report', []))).toEqual({
      referrals: 0,
      workforce: 0,
      episodeOrganisations: [],
    });
    // A staff import's scope is its one organisation: it can neither read nor write another's people.
    const intoB = await failureOf(
      inTransaction(server.ctx, organisationsScope('staff-import', [world.orgId]), (tx) =>
        tx.insert(people).values({
          id: randomUUID(),
          organisationId: world.otherOrgId,
          employeeNumber: `E${randomUUID().slice(0, 8)}`,
          givenName: 'Eve',
          familyName: 'Intruder',
          staffGroup: 'Nursing',
          jobTitle: 'Staff nurse',
        }),
      ),
    );
    expect(intoB.message).toMatch(RLS_REFUSED);
  });

  it('runs named statements only on a transaction’s own connection', () => {
    expect(() => server.ctx.preparedIn(server.ctx.db as unknown as Tx)).toThrow(/needs a transaction/);
  });

  it('shows an organisation’s aims to its scope, and a system’s only to a scope of the whole system', async () => {
    const { world } = await twoOrganisations();
    const aim = (organisationId: string | null, name: string) => ({
      id: randomUUID(),
      systemId: world.systemId,
      organisationId,
      createdByUserId: world.sysadmin.userId,
      name,
      measure: 'selfReferralPercent',
      baselineValue: 20,
      baselineFrom: '2025-01-01',
      baselineTo: '2025-03-31',
      targetValue: 40,
      targetDate: '2026-03-31',
      direction: 'increase',
    });
    await systemDb(server.ctx)
      .insert(benefitAims)
      .values([aim(null, 'system'), aim(world.orgId, 'a'), aim(world.otherOrgId, 'b')]);
    const aimsSeen = (scope: string) =>
      underScope(scope, async (tx) =>
        (
          await tx
            .select({ name: benefitAims.name })
            .from(benefitAims)
            .where(eq(benefitAims.systemId, world.systemId))
        )
          .map((r) => r.name)
          .sort(),
      );
    // The world's system has the two organisations and no other.
    expect(await aimsSeen(organisationScopeValue([world.orgId]))).toEqual(['a']);
    expect(await aimsSeen(organisationScopeValue([world.otherOrgId]))).toEqual(['b']);
    expect(await aimsSeen(organisationScopeValue([world.orgId, world.otherOrgId]))).toEqual([
      'a',
      'b',
      'system',
    ]);
    expect(await aimsSeen('')).toEqual([]);
    expect(await aimsSeen('system')).toEqual(['a', 'b', 'system']);
    // Nor may part of a system set the system's aims, or one organisation another's.
    for (const row of [aim(null, 'sneaked'), aim(world.otherOrgId, 'sneaked')]) {
      const refused = await failureOf(
        underScope(organisationScopeValue([world.orgId]), (tx) => tx.insert(benefitAims).values(row)),
      );
      expect(refused.message).toMatch(RLS_REFUSED);
    }
  });
});
