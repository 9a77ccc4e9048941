import { randomBytes } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSURE_OUTCOMES } from '../../src/domain/cases/case.rules.ts';
import { ETHNIC_CATEGORY_CODES, STAFF_GROUPS } from '../../src/domain/workforce/categories.ts';
import type { Server } from '../../src/server.ts';
import { signIn } from '../../src/services/auth/auth.service.ts';
import {
  type GenerateResult,
  generateNational,
  SYNTHETIC_TEXT,
} from '../../src/services/synthetic/national-generator.service.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

async function rows<T>(query: SQL): Promise<T[]> {
  return ((await systemDb(server.ctx).execute(query)) as unknown as { rows: T[] }).rows;
}

describe(`ohwb generate on ${engine}`, () => {
  it.skipIf(engine !== 'pglite')('refuses the embedded database', async () => {
    await expect(generateNational(server.ctx, { scale: 0.0005, prefix: 'pglite-' })).rejects.toThrow(
      /needs a PostgreSQL server/,
    );
  });

  it('refuses options that make no sense, naming them', async () => {
    await expect(
      generateNational(server.ctx, { scale: 0, years: 0, prefix: 'Bad Prefix' }),
    ).rejects.toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ path: '/scale' }),
        expect.objectContaining({ path: '/years' }),
        expect.objectContaining({ path: '/prefix' }),
      ]),
    });
  });
});

// The shared PostgreSQL test database holds every test file's rows, so this country gets
// a prefix of its own and every check below is scoped to it.
describe.skipIf(engine !== 'postgres')(
  'ohwb generate on postgres (PostgreSQL only: it refuses PGlite)',
  () => {
    const prefix = `t${randomBytes(4).toString('hex')}-`;
    const password = 'synthetic-test-password';
    let result: GenerateResult;
    const like = `${prefix}%`;
    const scoped = (table: string) =>
      sql.raw(`${table} x join organisations o on o.id = x.organisation_id and o.slug like '${like}'`);

    beforeAll(async () => {
      const steps: number[] = [];
      result = await generateNational(server.ctx, {
        scale: 0.0005,
        seed: 7,
        prefix,
        password,
        maintenance: 'none',
        onProgress: ({ done }) => steps.push(done),
      });
      // The progress bar only moves forward and reaches the end.
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(steps.at(-1)).toBe(1 + 42 * 4 + 2);
    }, 120_000);

    it('makes 42 systems and a national one, with trusts, forces, primary care, ICBs and OH providers', async () => {
      expect(result.counts.systems).toBe(43);
      const kinds = await rows<{ kind: string; count: number }>(
        sql`select kind, count(*)::int as count from organisations where slug like ${like} group by kind`,
      );
      const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.count]));
      expect(byKind['police-force']).toBe(43);
      expect(byKind.icb).toBe(42);
      expect(byKind.other).toBe(1);
      expect(byKind['nhs-trust']).toBeGreaterThanOrEqual(42 * 2);
      expect(byKind['primary-care']).toBe(42 * 3);
      // A shared service per system, an in-house unit per force; every organisation with staff is served.
      expect(result.counts.providers).toBe(42 + 43);
      const [unserved] = await rows<{ count: number }>(sql`
      select count(*)::int as count from organisations o
      where o.slug like ${like} and o.kind <> 'other'
        and not exists (select 1 from provider_clients pc where pc.organisation_id = o.id)`);
      expect(unserved?.count).toBe(0);
    });

    it('writes the counts it reports, in the expected proportions', async () => {
      const count = async (table: string) =>
        (await rows<{ n: number }>(sql`select count(*)::int as n from ${scoped(table)}`))[0]?.n;
      const { counts } = result;
      expect(await count('people')).toBe(counts.people);
      expect(await count('referrals')).toBe(counts.referrals);
      expect(await count('cases')).toBe(counts.cases);
      expect(await count('appointments')).toBe(counts.appointments);
      expect(await count('consultations')).toBe(counts.consultations);
      expect(await count('reports')).toBe(counts.reports);
      expect(await count('measures')).toBe(counts.measures);
      // About 1,000 staff (every organisation has at least one), about 0.5 referrals per person a year.
      expect(counts.people).toBeGreaterThan(900);
      expect(counts.people).toBeLessThan(1400);
      const perPersonYear = counts.referrals / counts.people / 3;
      expect(perPersonYear).toBeGreaterThan(0.35);
      expect(perPersonYear).toBeLessThan(0.8);
      expect(counts.cases / counts.referrals).toBeGreaterThan(0.85);
      expect(counts.appointments / counts.cases).toBeGreaterThan(2.8);
      expect(counts.appointments / counts.cases).toBeLessThan(4.6);
      const statuses = await rows<{ status: string; n: number }>(
        sql`select status, count(*)::int as n from ${scoped('appointments')} group by status`,
      );
      const share = (status: string) =>
        (statuses.find((s) => s.status === status)?.n ?? 0) / counts.appointments;
      expect(share('attended')).toBeGreaterThan(0.75);
      expect(share('did-not-attend')).toBeGreaterThan(0.03);
      expect(share('did-not-attend')).toBeLessThan(0.15);
      expect(share('cancelled')).toBeLessThan(0.1);
      expect(counts.consultations).toBe(statuses.find((s) => s.status === 'attended')?.n);
    });

    it('keeps every row consistent with its case, referral and organisation', async () => {
      const [bad] = await rows<Record<string, number>>(sql`
      select
        (select count(*)::int from ${scoped('appointments')} join cases c on c.id = x.case_id
          where c.organisation_id <> x.organisation_id or c.clinician_id <> x.clinician_id) as appointments,
        (select count(*)::int from ${scoped('cases')} join referrals r on r.id = x.referral_id
          where r.case_id <> x.id or r.person_id <> x.person_id or r.organisation_id <> x.organisation_id
             or r.status <> 'triaged') as cases,
        (select count(*)::int from ${scoped('referrals')} join people p on p.id = x.person_id
          where p.organisation_id <> x.organisation_id
             or (x.created_at at time zone 'Europe/London')::date < p.start_date
             or (x.created_at at time zone 'Europe/London')::date > p.end_date) as referrals,
        (select count(*)::int from ${scoped('consultations')} join appointments a on a.id = x.appointment_id
          where a.case_id <> x.case_id or a.status <> 'attended') as consultations,
        (select count(*)::int from ${scoped('measures')} join cases c on c.id = x.case_id
          where c.pathway <> 'mental-health' or c.person_id <> x.person_id) as measures,
        (select count(*)::int from ${scoped('cases')}
          where (x.status = 'closed') <> (x.closed_at is not null)
             or (x.closed_at is not null and (x.fitness is null or x.closed_at < x.outcome_recorded_at))
             or (x.fitness = 'fit-with-adjustments') <> (jsonb_array_length(x.adjustments) > 0)) as outcomes,
        (select count(*)::int from ${scoped('reports')}
          where (x.status = 'released') <> (x.released_at is not null) or x.released_at < x.created_at
             or x.released_at > now()) as reports`);
      expect(bad).toEqual({
        appointments: 0,
        cases: 0,
        referrals: 0,
        consultations: 0,
        measures: 0,
        outcomes: 0,
        reports: 0,
      });
    });

    it('never books a clinician twice at once, and keeps to weekday clinic hours', async () => {
      const [overlaps] = await rows<{ n: number }>(sql`
      select count(*)::int as n from ${scoped('appointments')}
      join appointments b on b.clinician_id = x.clinician_id and b.id <> x.id
        and b.status <> 'cancelled' and x.status <> 'cancelled'
        and tstzrange(b.starts_at, b.ends_at) && tstzrange(x.starts_at, x.ends_at)`);
      expect(overlaps?.n).toBe(0);
      const [outside] = await rows<{ n: number }>(sql`
      select count(*)::int as n from ${scoped('appointments')}
      where extract(isodow from x.starts_at at time zone 'Europe/London') > 5
         or extract(hour from x.starts_at at time zone 'Europe/London') not between 9 and 16`);
      expect(outside?.n).toBe(0);
    });

    it('uses only the workforce categories, outcomes and instrument bands the reports know', async () => {
      const groups = await rows<{ v: string }>(
        sql`select distinct x.staff_group as v from ${scoped('people')}`,
      );
      expect(groups.map((g) => g.v).every((g) => STAFF_GROUPS.includes(g))).toBe(true);
      const codes = await rows<{ v: string }>(
        sql`select distinct x.ethnic_category as v from ${scoped('people')} where x.ethnic_category is not null`,
      );
      expect(codes.map((c) => c.v).every((c) => ETHNIC_CATEGORY_CODES.includes(c))).toBe(true);
      const closures = await rows<{ v: string }>(
        sql`select distinct x.closure_outcome as v from ${scoped('cases')} where x.closure_outcome is not null`,
      );
      expect(closures.map((c) => c.v).every((c) => (CLOSURE_OUTCOMES as readonly string[]).includes(c))).toBe(
        true,
      );
      // Each answer set sums to its total and every item is 0–3; item 9 above 0 flags self-harm risk.
      const [measures] = await rows<{ bad: number; n: number }>(sql`
      select count(*)::int as n, (count(*) filter (where
        (select sum(v::int) from jsonb_array_elements_text(x.answers) v) <> x.total
        or jsonb_array_length(x.answers) <> case x.instrument when 'PHQ-9' then 9 else 7 end
        or exists (select 1 from jsonb_array_elements_text(x.answers) v where v::int not between 0 and 3)
        or (x.instrument = 'PHQ-9' and ((x.answers->>8)::int > 0) <> (x.flags ? 'self-harm-risk'))))::int as bad
      from ${scoped('measures')}`);
      expect(measures?.n).toBeGreaterThan(0);
      expect(measures?.bad).toBe(0);
    });

    it('encrypts clinical free text (a placeholder) and gives analysts sign-ins', async () => {
      const [referral] = await rows<{ reason_enc: string }>(
        sql`select x.reason_enc from ${scoped('referrals')} limit 1`,
      );
      expect(server.ctx.cipher.decrypt(referral?.reason_enc as string)).toBe(SYNTHETIC_TEXT);
      expect(result.analysts).toHaveLength(43);
      const national = result.analysts.at(-1) as string;
      const { actor } = await signIn(server.ctx, { email: national, password, kind: 'api', hours: 1 });
      expect(actor.grants.map((g) => g.role)).toEqual(['analyst']);
      const icb = result.analysts[0] as string;
      const { actor: icbAnalyst } = await signIn(server.ctx, { email: icb, password, kind: 'api', hours: 1 });
      const [icbOrg] = await rows<{ kind: string; system: string }>(sql`
      select o.kind, s.slug as system from organisations o join systems s on s.id = o.system_id
      where o.id = ${icbAnalyst.grants[0]?.organisationId}`);
      expect(icbOrg).toEqual({ kind: 'icb', system: `${prefix}sys-01-bsw` });
    });

    it('leaves the KPI roll-up up to date: every day with a referral computed, none waiting', async () => {
      const [roll] = await rows<{ stale: number; referrals: number; counted: number }>(sql`
        select (select count(*) from ${scoped('kpi_stale_days')})::int as stale,
               (select count(*) from ${scoped('referrals')})::int as referrals,
               (select coalesce(sum(x.referrals), 0) from ${scoped('kpi_days')})::int as counted`);
      expect(roll?.stale).toBe(0);
      expect(roll?.referrals).toBeGreaterThan(0);
      expect(roll?.counted).toBe(roll?.referrals);
    });

    it('refuses to make the same country twice', async () => {
      await expect(generateNational(server.ctx, { scale: 0.0005, prefix })).rejects.toThrow(/already exists/);
    });
  },
);
