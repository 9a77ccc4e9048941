import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceDnaSql, referenceKpiSql } from '../../bench/reports.reference-sql.ts';
import {
  appointments,
  cases,
  consultations,
  kpiDays,
  kpiStaleDays,
  measures,
  referrals,
  reports,
} from '../../src/db/schema.ts';
import { FITNESS_OUTCOMES } from '../../src/domain/cases/case.rules.ts';
import type { KpiReport } from '../../src/domain/reporting/report-types.ts';
import { addDays, londonInstant } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { prng } from '../../src/services/demo/prng.ts';
import { computeKpis } from '../../src/services/reporting/kpi.service.ts';
import { refreshAllKpiDays } from '../../src/services/reporting/kpi-days.service.ts';
import { boundsOf } from '../../src/services/reporting/period.ts';
import { inTransaction, systemScope } from '../../src/services/shared/context.ts';
import { createPerson, createSystem, createUser } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

// The KPI roll-up (kpi_days) against the hand-written SQL of `npm run bench:reports`, which
// computes every KPI straight from the records: on random histories, and again after
// random changes to them, the reports must give the same numbers.

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

/** The demo world's seeded generator, with whole numbers from `lo` to `hi`: a failure can be replayed. */
function random(seed: number) {
  const r = prng(seed);
  return { ...r, int: (lo: number, hi: number) => lo + r.int(hi - lo + 1) };
}
type Random = ReturnType<typeof random>;

const FIRST = '2025-01-01';
const at = (day: string, minuteOfDay: number) =>
  londonInstant(day, Math.floor(minuteOfDay / 60), minuteOfDay % 60);
const dayOf = (start: string, offset: number) => addDays(start, offset);

async function world() {
  const { ctx, app } = server;
  const { ids, providerId, slugs } = await createSystem(ctx, {
    slug: 'kpis',
    name: 'KPI System',
    organisations: { trust: { slug: 'trust', name: 'Trust', kind: 'nhs-trust' } },
    provider: {
      slug: 'koh',
      name: 'KPI OH',
      kind: 'in-house',
      host: 'trust',
      clients: [{ organisation: 'trust' }],
    },
  });
  const clinician = await createUser(app, ctx, ids.trust, ['oh-clinician'], { withPerson: false });
  return { organisationId: ids.trust, slug: slugs.trust, providerId, clinicianId: clinician.userId };
}
type World = Awaited<ReturnType<typeof world>>;

let minute = 0;
/** A distinct minute for each appointment, so the clinician's diary never overlaps. */
const nextMinute = () => {
  minute = (minute + 7) % (24 * 60 - 1);
  return minute;
};

/** A random episode over about two years from FIRST: referral, and often a case with its history. */
async function randomEpisode(w: World, r: Random): Promise<void> {
  const db = systemDb(server.ctx);
  const sealed = server.ctx.cipher.encrypt('x');
  const personId = await createPerson(server.ctx, w.organisationId);
  const referredOn = dayOf(FIRST, r.int(0, 700));
  const referralId = randomUUID();
  const caseId = r.chance(0.8) ? randomUUID() : null;
  await db.insert(referrals).values({
    id: referralId,
    organisationId: w.organisationId,
    personId,
    providerId: w.providerId,
    source: r.pick(['management', 'self', 'other'] as const),
    referredByUserId: w.clinicianId,
    reasonEnc: sealed,
    questionsEnc: sealed,
    pathway: 'mental-health',
    consentGiven: true,
    status: caseId ? 'triaged' : 'awaiting-triage',
    priority: 'routine',
    caseId,
    createdAt: at(referredOn, r.int(0, 1439)),
  });
  if (!caseId) return;
  const outcomeOn = r.chance(0.7) ? dayOf(referredOn, r.int(0, 60)) : null;
  const closedOn = outcomeOn && r.chance(0.7) ? dayOf(outcomeOn, r.int(0, 90)) : null;
  await db.insert(cases).values({
    id: caseId,
    organisationId: w.organisationId,
    personId,
    referralId,
    providerId: w.providerId,
    pathway: 'mental-health',
    priority: 'routine',
    clinicianId: w.clinicianId,
    status: closedOn ? 'closed' : outcomeOn ? 'outcome-recorded' : 'open',
    fitness: outcomeOn ? r.pick(FITNESS_OUTCOMES) : null,
    outcomeRecordedAt: outcomeOn ? at(outcomeOn, r.int(0, 1439)) : null,
    closureOutcome: closedOn ? r.pick(['remained-at-work', 'returned-to-work', 'left-employment']) : null,
    closedAt: closedOn ? at(closedOn, r.int(0, 1439)) : null,
    createdAt: at(referredOn, 1439),
  });
  for (let i = r.int(0, 4); i > 0; i--) {
    const startsAt = at(dayOf(referredOn, r.int(-2, 80)), nextMinute());
    await db.insert(appointments).values({
      id: randomUUID(),
      organisationId: w.organisationId,
      caseId,
      clinicianId: w.clinicianId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60_000),
      mode: 'phone',
      bookedByUserId: w.clinicianId,
      status: r.pick(['attended', 'attended', 'did-not-attend', 'cancelled', 'booked'] as const),
    });
  }
  for (let i = r.int(0, 2); i > 0; i--) {
    await db.insert(consultations).values({
      id: randomUUID(),
      organisationId: w.organisationId,
      caseId,
      clinicianId: w.clinicianId,
      notesEnc: sealed,
      createdAt: at(dayOf(referredOn, r.int(0, 60)), r.int(0, 1439)),
    });
  }
  if (r.chance(0.6)) {
    const writtenOn = dayOf(referredOn, r.int(0, 60));
    const released = r.chance(0.8);
    const releasedAt = released ? at(dayOf(writtenOn, r.int(0, 40)), r.int(0, 1439)) : null;
    await db.insert(reports).values({
      id: randomUUID(),
      organisationId: w.organisationId,
      caseId,
      authorId: w.clinicianId,
      textEnc: sealed,
      status: released ? 'released' : 'awaiting-employee',
      decidedAt: releasedAt,
      releasedAt,
      createdAt: at(writtenOn, r.int(0, 1439)),
    });
  }
  for (const instrument of ['PHQ-9', 'GAD-7'] as const) {
    for (let i = r.chance(0.5) ? r.int(1, 3) : 0; i > 0; i--) {
      await db.insert(measures).values({
        id: randomUUID(),
        organisationId: w.organisationId,
        personId,
        caseId,
        instrument,
        answers: [],
        total: r.int(0, instrument === 'PHQ-9' ? 27 : 21),
        severity: 'none',
        takenAt: at(dayOf(referredOn, r.int(0, 90)), r.int(0, 1439)),
        recordedByUserId: w.clinicianId,
      });
    }
  }
}

/** A random change to the history, as a service or a correction might make it. */
async function randomChange(w: World, r: Random): Promise<string> {
  const db = systemDb(server.ctx);
  const pickOne = async <T>(rows: Promise<T[]>) => {
    const all = await rows;
    return all.length ? r.pick(all) : null;
  };
  const org = w.organisationId;
  switch (r.int(0, 10)) {
    case 0: {
      const a = await pickOne(db.select().from(appointments).where(eq(appointments.organisationId, org)));
      if (!a) return 'nothing';
      const status = r.pick(['attended', 'did-not-attend', 'cancelled'] as const);
      await db.update(appointments).set({ status }).where(eq(appointments.id, a.id));
      return `appointment ${status}`;
    }
    case 1: {
      const a = await pickOne(db.select().from(appointments).where(eq(appointments.organisationId, org)));
      if (!a) return 'nothing';
      const startsAt = new Date(a.startsAt.getTime() - r.int(1, 40) * 86_400_000);
      await db
        .update(appointments)
        .set({ startsAt, endsAt: new Date(startsAt.getTime() + 60_000) })
        .where(eq(appointments.id, a.id));
      return 'appointment moved earlier';
    }
    case 2: {
      const a = await pickOne(db.select().from(appointments).where(eq(appointments.organisationId, org)));
      if (!a) return 'nothing';
      await db.delete(appointments).where(eq(appointments.id, a.id));
      return 'appointment deleted';
    }
    case 3: {
      const c = await pickOne(db.select().from(cases).where(eq(cases.organisationId, org)));
      if (!c) return 'nothing';
      const closedAt = c.closedAt ? null : new Date(c.createdAt.getTime() + r.int(1, 100) * 86_400_000);
      await db
        .update(cases)
        .set({
          closedAt,
          closureOutcome: closedAt ? 'returned-to-work' : null,
          status: closedAt ? 'closed' : 'open',
        })
        .where(eq(cases.id, c.id));
      return closedAt ? 'case closed' : 'case reopened';
    }
    case 4: {
      const c = await pickOne(db.select().from(cases).where(eq(cases.organisationId, org)));
      if (!c) return 'nothing';
      await db
        .update(cases)
        .set({
          fitness: r.pick(FITNESS_OUTCOMES),
          outcomeRecordedAt: new Date(c.createdAt.getTime() + r.int(0, 50) * 86_400_000),
        })
        .where(eq(cases.id, c.id));
      return 'outcome recorded again';
    }
    case 5: {
      const k = await pickOne(db.select().from(consultations).where(eq(consultations.organisationId, org)));
      if (!k) return 'nothing';
      const createdAt = new Date(k.createdAt.getTime() - r.int(1, 30) * 86_400_000);
      await db.update(consultations).set({ createdAt }).where(eq(consultations.id, k.id));
      return 'consultation dated earlier';
    }
    case 6: {
      const m = await pickOne(db.select().from(measures).where(eq(measures.organisationId, org)));
      if (!m) return 'nothing';
      await db.delete(measures).where(eq(measures.id, m.id));
      return 'questionnaire deleted';
    }
    case 8: {
      const c = await pickOne(db.select().from(cases).where(eq(cases.organisationId, org)));
      if (!c) return 'nothing';
      await db.insert(measures).values({
        id: randomUUID(),
        organisationId: org,
        personId: c.personId,
        caseId: c.id,
        instrument: r.pick(['PHQ-9', 'GAD-7'] as const),
        answers: [],
        total: r.int(0, 21),
        severity: 'none',
        takenAt: new Date(c.createdAt.getTime() + r.int(0, 60) * 86_400_000),
        recordedByUserId: w.clinicianId,
      });
      return 'questionnaire added';
    }
    case 9: {
      const p = await pickOne(db.select().from(reports).where(eq(reports.organisationId, org)));
      if (!p) return 'nothing';
      const released = p.status !== 'released';
      const releasedAt = released ? new Date(p.createdAt.getTime() + r.int(0, 40) * 86_400_000) : null;
      await db
        .update(reports)
        .set({ status: released ? 'released' : 'withheld', releasedAt, decidedAt: releasedAt })
        .where(eq(reports.id, p.id));
      return released ? 'report released' : 'report withheld';
    }
    case 10: {
      const c = await pickOne(db.select().from(cases).where(eq(cases.organisationId, org)));
      if (!c) return 'nothing';
      await db.insert(consultations).values({
        id: randomUUID(),
        organisationId: org,
        caseId: c.id,
        clinicianId: w.clinicianId,
        notesEnc: server.ctx.cipher.encrypt('x'),
        createdAt: new Date(c.createdAt.getTime() + r.int(0, 60) * 86_400_000),
      });
      return 'consultation added';
    }
    default: {
      const f = await pickOne(db.select().from(referrals).where(eq(referrals.organisationId, org)));
      if (!f) return 'nothing';
      const createdAt = new Date(f.createdAt.getTime() - r.int(1, 20) * 86_400_000);
      await db.update(referrals).set({ createdAt, source: 'self' }).where(eq(referrals.id, f.id));
      return 'referral dated earlier';
    }
  }
}

/** The report's numbers, before disclosure control, in the shape the hand-written SQL gives. */
async function fromReport(w: World, from: string, to: string) {
  const kpis: KpiReport = await computeKpis(
    server.ctx,
    {
      kind: 'organisation',
      slug: w.slug,
      name: 'Trust',
      organisationKind: 'nhs-trust',
      controlled: false,
      id: w.organisationId,
      organisationIds: [w.organisationId],
    },
    boundsOf({ from, to }),
  );
  const { input, output } = kpis;
  return {
    referrals: input.referrals,
    selfReferrals: input.selfReferrals.count,
    firstAppointments: input.daysToFirstAppointment.episodes,
    // With no episode there is no centile to show.
    median: input.daysToFirstAppointment.episodes === 0 ? null : input.daysToFirstAppointment.median,
    p90: input.daysToFirstAppointment.episodes === 0 ? null : input.daysToFirstAppointment.p90,
    appointments: input.didNotAttend.of,
    missed: input.didNotAttend.count,
    caseload: input.caseload,
    fitness: Object.fromEntries(
      output.outcomesByFitness.filter((f) => f.count !== 0).map((f) => [f.fitness, f.count]),
    ),
    released: output.reportsReleasedWithin21Days.of,
    timely: output.reportsReleasedWithin21Days.count,
    closed: output.atWorkAtClosure.of,
    atWork: output.atWorkAtClosure.count,
    improvementEpisodes: output.reliableImprovement.of,
    improved: output.reliableImprovement.count,
  };
}

/** The same numbers straight from the records, by the benchmark's hand-written SQL. */
async function fromRecords(w: World, from: string, to: string) {
  const { start, end } = boundsOf({ from, to });
  return inTransaction(server.ctx, systemScope('test-fixtures'), async (tx) => {
    const run = server.ctx.preparedIn(tx);
    const params = [`{${w.organisationId}}`, start, end];
    const [k] = await run<Record<string, unknown>>('test_reference_kpis', referenceKpiSql(), params);
    const [d] = await run<Record<string, unknown>>('test_reference_dna', referenceDnaSql, params);
    const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
    const reportsJson = json<{ released: number; timely: number }>(k?.reports);
    const closures = json<{ closed: number; atWork: number }>(k?.closures);
    const improvement = json<{ episodes: number; improved: number }>(k?.improvement);
    const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      referrals: Number(k?.referrals),
      selfReferrals: Number(k?.self_referrals),
      firstAppointments: Number(k?.first_appointments),
      median: num(k?.median_days),
      p90: num(k?.p90_days),
      appointments: Number(d?.appointments),
      missed: Number(d?.missed),
      caseload: Number(k?.caseload),
      fitness: json<Record<string, number> | null>(k?.fitness) ?? {},
      released: Number(reportsJson.released),
      timely: Number(reportsJson.timely),
      closed: Number(closures.closed),
      atWork: Number(closures.atWork),
      improvementEpisodes: Number(improvement.episodes),
      improved: Number(improvement.improved),
    };
  });
}

const PERIODS = [
  { from: '2025-01-01', to: '2025-12-31' },
  { from: '2025-04-01', to: '2025-06-30' },
  { from: '2026-01-01', to: '2026-12-31' },
  { from: '2025-03-17', to: '2025-03-17' },
];

async function expectSameNumbers(w: World, label: string) {
  for (const { from, to } of PERIODS) {
    const expected = await fromRecords(w, from, to);
    const actual = await fromReport(w, from, to);
    // Centiles are computed in different orders; compare them to a millionth of a day.
    const rounded = (n: number | string | null) => (typeof n === 'number' ? Math.round(n * 1e6) / 1e6 : n);
    expect(
      { ...actual, median: rounded(actual.median), p90: rounded(actual.p90) },
      `${label}, ${from} to ${to}`,
    ).toEqual({ ...expected, median: rounded(expected.median), p90: rounded(expected.p90) });
  }
}

describe(`the KPI roll-up on ${engine}`, () => {
  it('gives the numbers the records give, for any history and after any change to it', async () => {
    const w = await world();
    const r = random(20261124);
    for (let i = 0; i < 60; i++) await randomEpisode(w, r);
    await expectSameNumbers(w, 'the first history');
    for (let round = 1; round <= 5; round++) {
      const changes: string[] = [];
      for (let i = 0; i < 8; i++) changes.push(await randomChange(w, r));
      await expectSameNumbers(w, `after round ${round} of changes (${changes.join(', ')})`);
    }
  }, 120_000);

  // Two connections at once: PostgreSQL only (PGlite has one).
  it.skipIf(engine !== 'postgres')(
    'counts a questionnaire recorded while its case is being closed, whichever commits first',
    async () => {
      const w = await world();
      const db = systemDb(server.ctx);
      const personId = await createPerson(server.ctx, w.organisationId);
      const referralId = randomUUID();
      const caseId = randomUUID();
      const sealed = server.ctx.cipher.encrypt('x');
      await db.insert(referrals).values({
        id: referralId,
        organisationId: w.organisationId,
        personId,
        providerId: w.providerId,
        source: 'self',
        referredByUserId: w.clinicianId,
        reasonEnc: sealed,
        questionsEnc: sealed,
        pathway: 'mental-health',
        consentGiven: true,
        status: 'triaged',
        priority: 'routine',
        caseId,
        createdAt: at('2025-05-01', 600),
      });
      await db.insert(cases).values({
        id: caseId,
        organisationId: w.organisationId,
        personId,
        referralId,
        providerId: w.providerId,
        pathway: 'mental-health',
        priority: 'routine',
        clinicianId: w.clinicianId,
        status: 'open',
        createdAt: at('2025-05-01', 700),
      });
      const phq = (total: number, day: string) => ({
        id: randomUUID(),
        organisationId: w.organisationId,
        personId,
        caseId,
        instrument: 'PHQ-9' as const,
        answers: [],
        total,
        severity: 'none',
        takenAt: at(day, 600),
        recordedByUserId: w.clinicianId,
      });
      await db.insert(measures).values(phq(20, '2025-05-02'));
      await refreshAllKpiDays(server.ctx);

      // A records a second score and stays open; meanwhile B closes the case, and a refresh runs.
      let finishA = () => {};
      const aMayFinish = new Promise<void>((resolve) => {
        finishA = resolve;
      });
      let aInserted = () => {};
      const aHasInserted = new Promise<void>((resolve) => {
        aInserted = resolve;
      });
      const a = inTransaction(server.ctx, systemScope('test-fixtures'), async (tx) => {
        await tx.insert(measures).values(phq(5, '2025-05-20'));
        aInserted();
        await aMayFinish;
      });
      await aHasInserted;
      const b = inTransaction(server.ctx, systemScope('test-fixtures'), (tx) =>
        tx
          .update(cases)
          .set({ status: 'closed', closedAt: at('2025-06-01', 600), closureOutcome: 'remained-at-work' })
          .where(eq(cases.id, caseId)),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await refreshAllKpiDays(server.ctx);
      finishA();
      await Promise.all([a, b]);
      await expectSameNumbers(w, 'a questionnaire and a closure at once');
      expect((await fromReport(w, '2025-06-01', '2025-06-01')).improved).toBe(1);
    },
  );

  it('logs the days a change touches, and the refresh computes them and empties the log', async () => {
    const w = await world();
    const r = random(7);
    for (let i = 0; i < 5; i++) await randomEpisode(w, r);
    const db = systemDb(server.ctx);
    const stale = () => db.$count(kpiStaleDays, eq(kpiStaleDays.organisationId, w.organisationId));
    expect(await stale()).toBeGreaterThan(0);
    await refreshAllKpiDays(server.ctx);
    expect(await stale()).toBe(0);
    const [referral] = await db
      .select()
      .from(referrals)
      .where(eq(referrals.organisationId, w.organisationId));
    if (!referral) throw new Error('no referral');
    const day = addDays(FIRST, -400);
    // An update that changes nothing the KPIs read logs nothing; one that does logs its old and new days.
    await db.update(referrals).set({ status: 'closed' }).where(eq(referrals.id, referral.id));
    expect(await stale()).toBe(0);
    await db
      .update(referrals)
      .set({ createdAt: at(day, 600) })
      .where(eq(referrals.id, referral.id));
    const logged = await db
      .select({ day: kpiStaleDays.day })
      .from(kpiStaleDays)
      .where(eq(kpiStaleDays.organisationId, w.organisationId));
    expect(logged.map((row) => row.day)).toContain(day);
    await refreshAllKpiDays(server.ctx);
    const [computed] = await db
      .select()
      .from(kpiDays)
      .where(and(eq(kpiDays.organisationId, w.organisationId), inArray(kpiDays.day, [day])));
    expect(computed?.referrals).toBe(1);
  });
});
