import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointments,
  cases,
  consultations,
  measures,
  people,
  referrals,
  reports,
} from '../../src/db/schema.ts';
import { londonInstant } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { computeKpis } from '../../src/services/reporting/kpi.service.ts';
import { boundsOf } from '../../src/services/reporting/period.ts';
import { createPerson, createSystem, createUser } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const PERIOD = { from: '2025-01-01', to: '2025-12-31' };
const at = (date: string, hour = 10, minute = 0) => londonInstant(date, hour, minute);

/**
 * A system for reporting tests: an ICB, a trust and a police force, each with an analyst and
 * a wellbeing lead, a provider serving the trust and the force, and a clinician.
 */
async function reportingWorld() {
  const { ctx, app } = server;
  const { tag, systemId, systemSlug, ids, providerId } = await createSystem(ctx, {
    slug: 'rsys',
    name: 'Report System',
    organisations: {
      icb: { slug: 'icb', name: 'ICB', kind: 'icb' },
      trust: { slug: 'trust', name: 'Trust', kind: 'nhs-trust' },
      force: { slug: 'force', name: 'Force', kind: 'police-force' },
    },
    provider: {
      slug: 'roh',
      name: 'Shared OH',
      kind: 'shared-service',
      host: 'trust',
      clients: [{ organisation: 'trust' }, { organisation: 'force', deliveryModel: 'outsourced' }],
    },
  });
  const { icb, trust, force } = ids;
  const user = (org: string, role: Parameters<typeof createUser>[3]) =>
    createUser(app, ctx, org, role, { withPerson: false });
  return {
    tag,
    systemId,
    icb,
    trust,
    force,
    providerId,
    systemSlug,
    trustSlug: `trust-${tag}`,
    forceSlug: `force-${tag}`,
    systemAnalyst: await user(icb, ['analyst']),
    trustAnalyst: await user(trust, ['analyst']),
    trustLead: await user(trust, ['wellbeing-lead']),
    forceLead: await user(force, ['wellbeing-lead']),
    ohAdmin: await user(trust, ['oh-admin']),
    clinician: await user(trust, ['oh-clinician']),
    sysadmin: await user(icb, ['sysadmin']),
    manager: await user(trust, ['manager']),
  };
}
type ReportingWorld = Awaited<ReturnType<typeof reportingWorld>>;

/** Staff of one kind: `count` people in `organisationId` in post through the period. */
async function addStaff(
  organisationId: string,
  count: number,
  fields: Partial<typeof people.$inferInsert>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await createPerson(server.ctx, organisationId, fields));
  return ids;
}

let clock = 0;
/** A referral (and, with `case`, its case with appointments, outcome, report, closure and measures). */
async function addEpisode(
  world: ReportingWorld,
  organisationId: string,
  personId: string,
  episode: {
    referredOn: string;
    source?: 'management' | 'self' | 'other';
    pathway?: string;
    appointments?: Array<{ on: string; status: 'attended' | 'did-not-attend' | 'cancelled' | 'booked' }>;
    outcome?: {
      on: string;
      fitness: 'fit' | 'fit-with-adjustments' | 'temporarily-unfit' | 'unfit-for-role';
    };
    report?: { consultedOn: string; releasedOn: string };
    closure?: { on: string; outcome: string };
    phq9?: number[];
  },
): Promise<{ referralId: string; caseId: string | null }> {
  const { ctx } = server;
  const referralId = randomUUID();
  const withCase =
    episode.appointments || episode.outcome || episode.closure || episode.report || episode.phq9;
  const caseId = withCase ? randomUUID() : null;
  const sealed = ctx.cipher.encrypt('reason');
  await systemDb(ctx)
    .insert(referrals)
    .values({
      id: referralId,
      organisationId,
      personId,
      providerId: world.providerId,
      source: episode.source ?? 'management',
      referredByUserId: world.manager.userId,
      reasonEnc: sealed,
      questionsEnc: sealed,
      pathway: episode.pathway ?? 'mental-health',
      consentGiven: true,
      status: caseId ? 'triaged' : 'awaiting-triage',
      priority: 'routine',
      caseId,
      createdAt: at(episode.referredOn, 9),
    });
  if (!caseId) return { referralId, caseId };
  await systemDb(ctx)
    .insert(cases)
    .values({
      id: caseId,
      organisationId,
      personId,
      referralId,
      providerId: world.providerId,
      pathway: episode.pathway ?? 'mental-health',
      priority: 'routine',
      clinicianId: world.clinician.userId,
      status: episode.closure ? 'closed' : episode.outcome ? 'outcome-recorded' : 'open',
      fitness: episode.outcome?.fitness ?? null,
      adjustments: episode.outcome?.fitness === 'fit-with-adjustments' ? ['Altered hours'] : [],
      outcomeRecordedAt: episode.outcome ? at(episode.outcome.on, 15) : null,
      closureOutcome: episode.closure?.outcome ?? null,
      closedAt: episode.closure ? at(episode.closure.on, 16) : null,
      createdAt: at(episode.referredOn, 9, 30),
    });
  for (const appointment of episode.appointments ?? []) {
    // Distinct minutes keep the clinician's diary free of overlaps.
    clock++;
    const startsAt = new Date(at(appointment.on, 8).getTime() + (clock % 600) * 60_000);
    await systemDb(ctx)
      .insert(appointments)
      .values({
        id: randomUUID(),
        organisationId,
        caseId,
        clinicianId: world.clinician.userId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 60_000),
        mode: 'phone',
        status: appointment.status,
        bookedByUserId: world.ohAdmin.userId,
      });
  }
  if (episode.report) {
    await systemDb(ctx)
      .insert(consultations)
      .values({
        id: randomUUID(),
        organisationId,
        caseId,
        clinicianId: world.clinician.userId,
        notesEnc: sealed,
        createdAt: at(episode.report.consultedOn, 11),
      });
    await systemDb(ctx)
      .insert(reports)
      .values({
        id: randomUUID(),
        organisationId,
        caseId,
        authorId: world.clinician.userId,
        textEnc: sealed,
        status: 'released',
        decidedAt: at(episode.report.releasedOn, 12),
        releasedAt: at(episode.report.releasedOn, 12),
        createdAt: at(episode.report.consultedOn, 14),
      });
  }
  for (const [i, total] of (episode.phq9 ?? []).entries()) {
    await systemDb(ctx)
      .insert(measures)
      .values({
        id: randomUUID(),
        organisationId,
        personId,
        caseId,
        instrument: 'PHQ-9',
        answers: [],
        total,
        severity: 'none',
        takenAt: at(episode.referredOn, 10 + i),
        recordedByUserId: world.clinician.userId,
      });
  }
  return { referralId, caseId };
}

/**
 * The equity worked example (trust): 40 nurses (10 referred in the period, one twice), 12
 * administrators (9 referred), 3 doctors (2 referred), and people outside the period.
 */
async function equityExample(world: ReportingWorld) {
  const nurses = await addStaff(world.trust, 40, {
    staffGroup: 'Nursing and Midwifery Registered',
    ethnicCategory: 'A',
    sex: 'female',
    dateOfBirth: '1995-06-01',
    disability: 'no',
    startDate: '2020-01-01',
  });
  const admins = await addStaff(world.trust, 12, {
    staffGroup: 'Administrative and Clerical',
    ethnicCategory: 'H',
    sex: 'male',
    dateOfBirth: '1975-06-01',
    disability: 'yes',
  });
  const doctors = await addStaff(world.trust, 3, { staffGroup: 'Medical and Dental', jobTitle: 'Doctor' });
  // Outside the period's workforce: left before it, started after it.
  const leaver = await createPerson(server.ctx, world.trust, {
    staffGroup: 'Nursing and Midwifery Registered',
    endDate: '2024-12-31',
  });
  await createPerson(server.ctx, world.trust, { staffGroup: 'Students', startDate: '2026-01-01' });
  for (const id of nurses.slice(0, 10))
    await addEpisode(world, world.trust, id, { referredOn: '2025-03-01' });
  await addEpisode(world, world.trust, nurses[0] as string, { referredOn: '2025-09-01', source: 'self' });
  // Referred before the period: not a user in it.
  await addEpisode(world, world.trust, nurses[20] as string, { referredOn: '2024-12-31' });
  for (const id of admins.slice(0, 9)) await addEpisode(world, world.trust, id, { referredOn: '2025-05-05' });
  for (const id of doctors.slice(0, 2))
    await addEpisode(world, world.trust, id, { referredOn: '2025-12-31' });
  await addEpisode(world, world.trust, leaver, { referredOn: '2025-02-01' });
}

describe(`equity of access on ${engine}`, () => {
  it('counts staff in post and those who used a service, with suppression and rounding (worked example)', async () => {
    const world = await reportingWorld();
    await equityExample(world);
    const response = await world.trustAnalyst.api(
      'GET',
      `/api/v1/reports/equity?scope=${world.trustSlug}&dimension=staffGroup&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.scope).toMatchObject({ kind: 'organisation', slug: world.trustSlug, controlled: true });
    expect(body.period).toEqual(PERIOD);
    // Admin 12 → 10 and doctors 3 → *; the doctors' * would follow from the total, so the
    // next smallest (admin) is suppressed too. People: 9 and 2 → * and *; nurses 10.
    expect(body.rows).toEqual([
      { group: 'Administrative and Clerical', workforce: '*', people: '*', ratePer1000: '*' },
      { group: 'Medical and Dental', workforce: '*', people: '*', ratePer1000: '*' },
      { group: 'Nursing and Midwifery Registered', workforce: 40, people: 10, ratePer1000: 250 },
    ]);
    // 55 staff (the leaver and the later starter are not in post), 21 people → 20; 20 / 55.
    expect(body.total).toEqual({ workforce: 55, people: 20, ratePer1000: 363.6 });
  });

  it('shows every group of the other dimensions, with unknowns counted', async () => {
    const world = await reportingWorld();
    await equityExample(world);
    const get = (dimension: string) =>
      world.trustAnalyst.api(
        'GET',
        `/api/v1/reports/equity?scope=${world.trustSlug}&dimension=${dimension}&from=${PERIOD.from}&to=${PERIOD.to}`,
      );
    const ethnicity = (await get('ethnicity')).json();
    expect(ethnicity.rows.map((r: { group: string }) => r.group)).toEqual([
      'White',
      'Mixed',
      'Asian',
      'Black',
      'Other',
      'Not stated',
    ]);
    expect(ethnicity.rows[0]).toEqual({ group: 'White', workforce: 40, people: 10, ratePer1000: 250 });
    expect(ethnicity.rows[1]).toEqual({ group: 'Mixed', workforce: 0, people: 0, ratePer1000: '*' });
    const age = (await get('ageBand')).json();
    // Nurses are 30 on 31 December 2025, administrators 50.
    expect(age.rows.find((r: { group: string }) => r.group === '25-34')).toMatchObject({ workforce: 40 });
    expect(age.rows.map((r: { group: string }) => r.group)).toEqual([
      '16-24',
      '25-34',
      '35-44',
      '45-54',
      '55-64',
      '65+',
      'Not known',
    ]);
    const disability = (await get('disability')).json();
    expect(disability.rows.map((r: { group: string }) => r.group)).toEqual(['Yes', 'No', 'Not declared']);
    const sex = (await get('sex')).json();
    expect(sex.rows.map((r: { group: string }) => r.group)).toEqual(['Female', 'Male', 'Other', 'Not known']);
    for (const report of [ethnicity, age, disability, sex]) {
      for (const row of [...report.rows, report.total]) {
        for (const value of [row.workforce, row.people]) {
          expect(value === '*' || (value as number) % 5 === 0).toBe(true);
        }
      }
    }
  });

  it('lets the system analyst report on the whole system; others by role and reach', async () => {
    const world = await reportingWorld();
    await equityExample(world);
    const url = (scope: string) =>
      `/api/v1/reports/equity?scope=${scope}&dimension=sex&from=${PERIOD.from}&to=${PERIOD.to}`;
    const system = await world.systemAnalyst.api('GET', url(world.systemSlug));
    expect(system.statusCode).toBe(200);
    expect(system.json().scope).toMatchObject({ kind: 'system', controlled: true });
    expect((await world.sysadmin.api('GET', url(world.systemSlug))).statusCode).toBe(200);
    expect((await world.systemAnalyst.api('GET', url(world.trustSlug))).statusCode).toBe(200);
    expect((await world.trustLead.api('GET', url(world.trustSlug))).statusCode).toBe(200);
    // A wellbeing lead of the force sees the force only; the trust is another organisation's.
    expect((await world.forceLead.api('GET', url(world.forceSlug))).statusCode).toBe(200);
    expect((await world.forceLead.api('GET', url(world.trustSlug))).statusCode).toBe(404);
    // Their own system exists for them, but a trust analyst does not report on all of it.
    expect((await world.trustAnalyst.api('GET', url(world.systemSlug))).statusCode).toBe(403);
    // Roles without equity reports.
    expect((await world.ohAdmin.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    expect((await world.manager.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    expect((await world.clinician.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    // Another system's analyst learns nothing about this one.
    const other = await reportingWorld();
    expect((await other.systemAnalyst.api('GET', url(world.trustSlug))).statusCode).toBe(404);
    expect((await other.systemAnalyst.api('GET', url(world.systemSlug))).statusCode).toBe(404);
    expect((await other.systemAnalyst.api('GET', url('no-such-scope'))).statusCode).toBe(404);
  });

  it('reports the whole country without disclosure control to analysts', async () => {
    const world = await reportingWorld();
    await equityExample(world);
    const response = await world.systemAnalyst.api(
      'GET',
      `/api/v1/reports/equity?scope=national&dimension=staffGroup&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().scope).toMatchObject({ kind: 'national', controlled: false });
    const medical = response.json().rows.find((r: { group: string }) => r.group === 'Medical and Dental');
    expect(medical.workforce).toBeGreaterThanOrEqual(3);
    expect(
      (await world.trustLead.api('GET', '/api/v1/reports/equity?scope=national&dimension=sex')).statusCode,
    ).toBe(403);
  });

  it('refuses bad input with field errors', async () => {
    const world = await reportingWorld();
    const base = `/api/v1/reports/equity?scope=${world.trustSlug}`;
    const cases: Array<[string, string]> = [
      [`${base}&dimension=shoeSize`, '/dimension'],
      [`${base}&dimension=sex&from=2025-02-30`, '/from'],
      [`${base}&dimension=sex&from=2025-06-01&to=2025-01-01`, '/to'],
      [`${base}&dimension=sex&from=2015-01-01&to=2025-01-01`, '/from'],
      [`${base}&dimension=sex&colour=blue`, ''],
    ];
    for (const [url, path] of cases) {
      const response = await world.trustAnalyst.api('GET', url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const paths = (response.json().errors ?? []).map((e: { path: string }) =>
        e.path.replace(/^\/query/, ''),
      );
      if (path) expect(paths).toContain(path);
    }
    expect((await world.trustAnalyst.api('GET', '/api/v1/reports/equity?dimension=sex')).statusCode).toBe(
      400,
    );
    const anonymous = await server.app.inject({ method: 'GET', url: `${base}&dimension=sex` });
    expect(anonymous.statusCode).toBe(401);
  });
});

/**
 * The KPI worked example (force): 20 referrals in the period (10 self); 10 episodes first seen
 * in it after 1–10 days; one seen first before it; 8 missed follow-ups; 10 outcomes (9 fit,
 * 1 temporarily unfit); 10 reports (8 within 21 days); 10 closures (8 back at work); 9 of
 * them with PHQ-9 pairs (6 reliably improved) and one with a single PHQ-9.
 */
async function kpiExample(world: ReportingWorld) {
  const staff = await addStaff(world.force, 21, { staffGroup: 'Police officer' });
  const day = (n: number) => `2025-03-${String(n).padStart(2, '0')}`;
  for (let i = 0; i < 10; i++) {
    const person = staff[i] as string;
    await addEpisode(world, world.force, person, {
      referredOn: '2025-03-01',
      source: i < 5 ? 'self' : 'management',
      appointments: [
        { on: day(2 + i), status: 'attended' },
        ...(i < 8 ? [{ on: '2025-04-20', status: 'did-not-attend' as const }] : []),
        { on: '2025-05-01', status: 'cancelled' as const },
      ],
      outcome: { on: '2025-04-01', fitness: i === 9 ? 'temporarily-unfit' : 'fit' },
      report: { consultedOn: '2025-04-01', releasedOn: i < 8 ? '2025-04-15' : '2025-05-01' },
      closure: { on: '2025-06-01', outcome: i < 8 ? 'returned-to-work' : 'left-employment' },
      phq9: i === 9 ? [14] : i < 6 ? [15, 8] : [12, 11],
    });
  }
  // First seen in 2024: not a wait that ended in the period, but its 2025 appointment counts.
  await addEpisode(world, world.force, staff[10] as string, {
    referredOn: '2024-11-01',
    appointments: [
      { on: '2024-11-20', status: 'attended' },
      { on: '2025-01-10', status: 'attended' },
    ],
  });
  for (let i = 0; i < 10; i++) {
    await addEpisode(world, world.force, staff[11 + (i % 10)] as string, {
      referredOn: '2025-10-01',
      source: i < 5 ? 'self' : 'other',
    });
  }
}

describe(`KPIs on ${engine}`, () => {
  it('computes each KPI from the records (worked example, before disclosure control)', async () => {
    const world = await reportingWorld();
    await kpiExample(world);
    const kpis = await computeKpis(
      server.ctx,
      {
        kind: 'organisation',
        slug: world.forceSlug,
        name: 'Force',
        organisationKind: 'police-force',
        controlled: false,
        id: world.force,
        organisationIds: [world.force],
      },
      boundsOf(PERIOD),
    );
    expect(kpis.input).toEqual({
      referrals: 20,
      selfReferrals: { count: 10, of: 20, percent: 50 },
      // Waits 1..10 days: median 5.5, 90th centile 9.1 (linear interpolation).
      daysToFirstAppointment: { episodes: 10, median: 5.5, p90: 9.1 },
      // 10 first appointments + 8 missed + the 2024 episode's January visit; cancelled ones do not count.
      didNotAttend: { count: 8, of: 19, percent: 42.1 },
      // 11 cases, 10 closed in June.
      caseload: 1,
    });
    expect(kpis.output).toEqual({
      outcomesByFitness: [
        { fitness: 'fit', label: 'Fit for work', count: 9 },
        { fitness: 'fit-with-adjustments', label: 'Fit for work with adjustments', count: 0 },
        { fitness: 'temporarily-unfit', label: 'Temporarily unfit for work', count: 1 },
        { fitness: 'unfit-for-role', label: 'Unfit for their role', count: 0 },
      ],
      outcomesTotal: 10,
      reportsReleasedWithin21Days: { count: 8, of: 10, percent: 80 },
      atWorkAtClosure: { count: 8, of: 10, percent: 80 },
      // 9 episodes with two PHQ-9s; 6 fell by 7 points (≥ 6), 3 by 1.
      reliableImprovement: { count: 6, of: 9, percent: 66.7 },
    });
  });

  it('shows the same KPIs through the API with disclosure control', async () => {
    const world = await reportingWorld();
    await kpiExample(world);
    const response = await world.ohAdmin.api(
      'GET',
      `/api/v1/reports/kpis?scope=${world.forceSlug}&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    expect(response.statusCode).toBe(200);
    const { input, output } = response.json();
    expect(input).toEqual({
      referrals: 20,
      selfReferrals: { count: 10, of: 20, percent: 50 },
      daysToFirstAppointment: { episodes: 10, median: 5.5, p90: 9.1 },
      // 8 → 10 and 19 → 20: the share is of the counts as shown.
      didNotAttend: { count: 10, of: 20, percent: 50 },
      caseload: '*',
    });
    // 1 temporarily unfit is suppressed, and so is the 9 beside it, or the total would give it away.
    expect(output.outcomesByFitness.map((o: { count: unknown }) => o.count)).toEqual(['*', 0, '*', 0]);
    expect(output.outcomesTotal).toBe(10);
    expect(output.reportsReleasedWithin21Days).toEqual({ count: 10, of: 10, percent: 100 });
    expect(output.reliableImprovement).toEqual({ count: '*', of: 10, percent: '*' });
  });

  it('benchmarks the organisations of a system side by side', async () => {
    const world = await reportingWorld();
    await kpiExample(world);
    const response = await world.systemAnalyst.api(
      'GET',
      `/api/v1/reports/benchmark?scope=${world.systemSlug}&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.organisations.map((o: { scope: { slug: string } }) => o.scope.slug).sort()).toEqual(
      [world.forceSlug, world.trustSlug, `icb-${world.tag}`].sort(),
    );
    const force = body.organisations.find(
      (o: { scope: { slug: string } }) => o.scope.slug === world.forceSlug,
    );
    expect(force.input.referrals).toBe(20);
    expect(force.scope.organisationKind).toBe('police-force');
    const notSystem = await world.systemAnalyst.api(
      'GET',
      `/api/v1/reports/benchmark?scope=${world.trustSlug}`,
    );
    expect(notSystem.statusCode).toBe(400);
    expect(
      (await world.trustAnalyst.api('GET', `/api/v1/reports/benchmark?scope=${world.systemSlug}`)).statusCode,
    ).toBe(403);
    const other = await reportingWorld();
    expect(
      (await other.systemAnalyst.api('GET', `/api/v1/reports/benchmark?scope=${world.systemSlug}`))
        .statusCode,
    ).toBe(404);
  });

  it('lets KPI roles in and keeps others out', async () => {
    const world = await reportingWorld();
    const url = (scope: string) => `/api/v1/reports/kpis?scope=${scope}`;
    expect((await world.trustLead.api('GET', url(world.trustSlug))).statusCode).toBe(200);
    expect((await world.trustAnalyst.api('GET', url(world.trustSlug))).statusCode).toBe(200);
    expect((await world.ohAdmin.api('GET', url(world.forceSlug))).statusCode).toBe(200);
    expect((await world.ohAdmin.api('GET', url(world.systemSlug))).statusCode).toBe(403);
    expect((await world.clinician.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    expect((await world.manager.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    expect((await world.sysadmin.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    const other = await reportingWorld();
    expect((await other.ohAdmin.api('GET', url(world.forceSlug))).statusCode).toBe(404);
  });
});

describe(`GET /api/v1/mds on ${engine}`, () => {
  it('extracts one pseudonymised row per episode, derived from the records', async () => {
    const world = await reportingWorld();
    await kpiExample(world);
    const response = await world.systemAnalyst.api(
      'GET',
      `/api/v1/mds?scope=${world.forceSlug}&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="ohwb-mds-force-/);
    const rows = parse(response.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(20);
    // Nothing that names or dates a person.
    const text = response.body;
    const [person] = await systemDb(server.ctx).select().from(people).limit(1);
    expect(text).not.toContain(person?.familyName ?? '¬');
    expect(Object.keys(rows[0] ?? {})).not.toContain('date_of_birth');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const first = rows.find((r) => r.referral_source === 'self' && r.tt_reliable_improvement === 'yes');
    expect(first).toMatchObject({
      organisation: world.forceSlug,
      organisation_kind: 'police-force',
      provider: `roh-${world.tag}`,
      provider_model: 'outsourced',
      staff_group: 'Police officer',
      referral_source: 'self',
      reason: 'mental health',
      pathway: 'mental-health',
      referral_date: '2025-03-01',
      did_not_attend: '1',
      consultation_modes: 'phone',
      fitness_outcome: 'fit',
      adjustments_recommended: 'no',
      report_released_date: '2025-04-15',
      days_consultation_to_release: '14',
      closure_date: '2025-06-01',
      closure_outcome: 'returned-to-work',
      phq9_first: '15',
      phq9_last: '8',
      gad7_first: '',
      tt_caseness: 'yes',
      tt_recovery: 'yes',
      tt_reliable_improvement: 'yes',
      tt_reliable_deterioration: 'no',
      tt_reliable_recovery: 'yes',
    });
    expect(Number(first?.days_to_first_appointment)).toBe(
      Number(first?.first_appointment_date?.slice(8)) - 1,
    );
    // Episodes without a case yet are rows too, with blanks where nothing has happened.
    const waiting = rows.filter((r) => r.first_appointment_date === '');
    expect(waiting).toHaveLength(10);
    expect(waiting.every((r) => r.tt_caseness === '' && r.attended === '0')).toBe(true);
    // The same person has the same pseudonym within the scope, and another in another scope.
    const again = parse(
      (
        await world.systemAnalyst.api(
          'GET',
          `/api/v1/mds?scope=${world.forceSlug}&from=${PERIOD.from}&to=${PERIOD.to}`,
        )
      ).body,
      { columns: true },
    ) as Array<Record<string, string>>;
    expect(again.map((r) => r.pseudonym).sort()).toEqual(rows.map((r) => r.pseudonym).sort());
    const system = parse(
      (
        await world.systemAnalyst.api(
          'GET',
          `/api/v1/mds?scope=${world.systemSlug}&from=${PERIOD.from}&to=${PERIOD.to}`,
        )
      ).body,
      { columns: true },
    ) as Array<Record<string, string>>;
    expect(system).toHaveLength(20);
    const inForce = new Set(rows.map((r) => r.pseudonym));
    expect(system.some((r) => inForce.has(r.pseudonym as string))).toBe(false);
  });

  it('is for analysts only, within their reach, and audited', async () => {
    const world = await reportingWorld();
    const url = (scope: string) => `/api/v1/mds?scope=${scope}`;
    expect((await world.trustLead.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    expect((await world.sysadmin.api('GET', url(world.systemSlug))).statusCode).toBe(403);
    expect((await world.ohAdmin.api('GET', url(world.trustSlug))).statusCode).toBe(403);
    expect((await world.trustAnalyst.api('GET', url(world.forceSlug))).statusCode).toBe(404);
    expect((await world.systemAnalyst.api('GET', url('national'))).statusCode).toBe(403);
    const ok = await world.trustAnalyst.api('GET', url(world.trustSlug));
    expect(ok.statusCode).toBe(200);
    const audit = await world.sysadmin.api('GET', `/api/v1/audit?recordId=${world.trust}`);
    expect(audit.statusCode).toBe(200);
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        action: 'mds.extract',
        userId: world.trustAnalyst.userId,
        recordType: 'organisation',
      }),
    ]);
  });
});
