/**
 * Times the equity and KPI reports on the synthetic national data set (`ohwb generate`)
 * for one NHS trust, one system and the whole country, beside hand-written SQL that
 * computes the same numbers. Run by scripts/bench-reports.sh (`npm run bench:reports`),
 * which passes:
 *
 * - DATABASE_URL: the PostgreSQL database holding the synthetic data;
 * - BENCH_PASSWORD: the password of the synthetic accounts;
 * - BENCH_SYSTEM, BENCH_TRUST (optional): the system and trust slugs to time; by default
 *   the largest synthetic system and its largest NHS trust;
 * - BENCH_RUNS (optional, default 5): timed runs after one warm-up; the median is shown.
 *
 * The report services are called directly (no HTTP) as the analyst who may run them: the
 * system's ICB analyst for the trust and the system, the national analyst for the country.
 * The hand-written SQL comes from bench/reports.reference-sql.ts (`referenceEquitySql(dimension)`
 * and `referenceKpiSql()`, each run with [organisation ids, period start, period end]); until
 * that file exists, the SQL columns show "—".
 *
 * Goals: a system's report under 300 ms, the country's under 3 s, and the service at most
 * 1.5 times the hand-written SQL. For the country (no disclosure control) the headline numbers
 * of both must agree: equity workforce and people totals; referrals, self-referrals, waits
 * (episodes, median, 90th centile), caseload, reports, closures and reliable improvement of
 * the KPIs (the KPIs come from the roll-up, the SQL from the records). Exit code 1 when a
 * goal is missed or the numbers differ.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { FieldCipher } from '../src/db/field-cipher.ts';
import type { Actor } from '../src/domain/access/roles.ts';
import type { EquityDimension, EquityReport, KpiReport } from '../src/domain/reporting/report-types.ts';
import { signIn } from '../src/services/auth/auth.service.ts';
import { equityReport } from '../src/services/reporting/equity.service.ts';
import { kpiReport } from '../src/services/reporting/kpi.service.ts';
import { periodBounds } from '../src/services/reporting/period.ts';
import { resolveReportScope } from '../src/services/reporting/scope.service.ts';
import { createServiceContext } from '../src/services/shared/context.ts';

/** What bench/reports.reference-sql.ts exports. */
type ReferenceSql = {
  referenceEquitySql(dimension: EquityDimension): string;
  referenceKpiSql(): string;
};

const GOALS = { systemMs: 300, nationalMs: 3000, ratio: 1.5 };
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EMAIL_DOMAIN = 'synthetic.ohwb.test';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the benchmark with npm run bench:reports.`);
  return value;
}

async function loadReferenceSql(): Promise<ReferenceSql | null> {
  // Imported by URL so that the benchmark runs (without the SQL column) before the file exists.
  const url = new URL('./reports.reference-sql.ts', import.meta.url).href;
  try {
    return (await import(url)) as ReferenceSql;
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    if (missing && String((error as Error).message).includes('reports.reference-sql')) return null;
    throw error;
  }
}

function sum(rows: Array<Record<string, unknown>>, column: string): number {
  return rows.reduce((total, row) => total + Number(row[column] ?? 0), 0);
}

async function median(times: number, work: () => Promise<unknown>): Promise<number> {
  await work(); // warm-up: caches, prepared statements, plans
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const config = readConfig();
const database = await openDatabase({
  databaseUrl: required('DATABASE_URL'),
  dataDir: config.dataDir,
  poolSize: 10,
});
if (database.engine !== 'postgres') throw new Error('The reports benchmark runs on PostgreSQL.');
const ctx = createServiceContext({
  db: database.db,
  engine: database.engine,
  prepared: database.prepared,
  preparedIn: database.preparedIn,
  // Reports read no encrypted columns; any key will do.
  cipher: new FieldCipher(randomBytes(32)),
});
const password = required('BENCH_PASSWORD');
// The hand-written SQL and the bench's own lookups run on a plain connection as the database
// owner: no application role and so no row-level security — the engine's limit.
const ownerPool = new pg.Pool({ connectionString: required('DATABASE_URL'), max: 2 });
const query = async <T>(text: string, params: unknown[] = []): Promise<T[]> =>
  (await ownerPool.query(text, params)).rows as T[];

try {
  const [largest] = await query<{ slug: string }>(`
    select s.slug from systems s join organisations o on o.system_id = s.id join people p on p.organisation_id = o.id
    where s.slug ~ '^([a-z0-9-]*-)?sys-[0-9]{2}-' group by s.slug order by count(*) desc limit 1`);
  const systemSlug = process.env.BENCH_SYSTEM ?? largest?.slug;
  if (!systemSlug) throw new Error('No synthetic systems found: run ohwb generate first.');
  const [system] = await query<{ icb: string; trust: string }>(
    `select (select o.slug from organisations o where o.system_id = s.id and o.kind = 'icb' limit 1) as icb,
       (select o.slug from organisations o join people p on p.organisation_id = o.id
        where o.system_id = s.id and o.kind = 'nhs-trust' group by o.slug order by count(*) desc limit 1) as trust
     from systems s where s.slug = $1`,
    [systemSlug],
  );
  if (!system) throw new Error(`No system called ${systemSlug}.`);
  const trustSlug = process.env.BENCH_TRUST ?? system.trust;
  const [national] = await query<{ email: string }>(`
    select u.email from users u join user_roles r on r.user_id = u.id join organisations o on o.id = r.organisation_id
    where r.role = 'analyst' and o.kind = 'other' and o.slug like '%national-workforce-analysis' limit 1`);
  if (!national) throw new Error('No national analyst found: run ohwb generate first.');

  const actorOf = async (email: string): Promise<Actor> =>
    (await signIn(ctx, { email, password, kind: 'api', hours: 1 })).actor;
  const icbAnalyst = await actorOf(`analyst@${system.icb}.${EMAIL_DOMAIN}`);
  const nationalAnalyst = await actorOf(national.email);
  const reference = await loadReferenceSql();
  const period = periodBounds(ctx, {});

  const scopes: Array<{ label: string; slug: string; actor: Actor; goalMs: number | null }> = [
    { label: `trust ${trustSlug}`, slug: trustSlug, actor: icbAnalyst, goalMs: null },
    { label: `system ${systemSlug}`, slug: systemSlug, actor: icbAnalyst, goalMs: GOALS.systemMs },
    { label: 'national', slug: 'national', actor: nationalAnalyst, goalMs: GOALS.nationalMs },
  ];
  type Row = Record<string, unknown>;
  const reports: Array<{
    label: string;
    ohwb: (slug: string, actor: Actor) => Promise<unknown>;
    sql: (() => string) | null;
    /** Headline numbers of the report and of the SQL's rows, compared where nothing is suppressed. */
    headline: (report: unknown, rows: Row[]) => [unknown, unknown];
  }> = (['staffGroup', 'ethnicity'] as const).map((dimension) => ({
    label: `equity by ${dimension}`,
    ohwb: (slug: string, actor: Actor) =>
      equityReport(ctx, actor, { scope: slug, dimension, from: period.from, to: period.to }),
    sql: reference ? () => reference.referenceEquitySql(dimension) : null,
    headline: (report, rows) => [
      `${(report as EquityReport).total.workforce}/${(report as EquityReport).total.people}`,
      `${sum(rows, 'workforce')}/${sum(rows, 'people')}`,
    ],
  }));
  reports.push({
    label: 'KPIs',
    ohwb: (slug, actor) => kpiReport(ctx, actor, { scope: slug, from: period.from, to: period.to }),
    sql: reference ? () => reference.referenceKpiSql() : null,
    headline: (report, rows) => {
      const { input, output } = report as KpiReport;
      const row = rows[0] ?? {};
      const json = (value: unknown) =>
        (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Record<string, number>;
      const tenth = (value: unknown) => (value === null ? '*' : Math.round(Number(value) * 10) / 10);
      const [reportsSql, closures, improvement] = [row.reports, row.closures, row.improvement].map(json);
      return [
        [
          input.referrals,
          input.selfReferrals.count,
          input.daysToFirstAppointment.episodes,
          input.daysToFirstAppointment.median,
          input.daysToFirstAppointment.p90,
          input.caseload,
          output.reportsReleasedWithin21Days.of,
          output.reportsReleasedWithin21Days.count,
          output.atWorkAtClosure.of,
          output.atWorkAtClosure.count,
          output.reliableImprovement.of,
          output.reliableImprovement.count,
        ].join('/'),
        [
          row.referrals,
          row.self_referrals,
          row.first_appointments,
          tenth(row.median_days),
          tenth(row.p90_days),
          row.caseload,
          reportsSql?.released,
          reportsSql?.timely,
          closures?.closed,
          closures?.atWork,
          improvement?.episodes,
          improvement?.improved,
        ].join('/'),
      ];
    },
  });

  console.error(
    `Period ${period.from} to ${period.to}; median of ${RUNS} runs after a warm-up` +
      (reference ? '.' : '; bench/reports.reference-sql.ts not found, so no hand-written SQL column.'),
  );
  const table: string[][] = [
    ['scope', 'staff in scope', 'report', 'OHWB ms', 'SQL ms', 'ratio', 'goals and checks'],
  ];
  let missed = 0;
  for (const scope of scopes) {
    const resolved = await resolveReportScope(ctx, scope.actor, 'equity', scope.slug);
    const [staff] = await query<{ n: number }>(
      `select count(*)::int as n from people where organisation_id = any($1::uuid[])
         and (start_date is null or start_date <= $3::date) and (end_date is null or end_date >= $2::date)`,
      [resolved.organisationIds, period.from, period.to],
    );
    for (const report of reports) {
      let ohwbResult: unknown;
      let sqlRows: Row[] = [];
      const ohwbMs = await median(RUNS, async () => {
        ohwbResult = await report.ohwb(scope.slug, scope.actor);
      });
      const sqlText = report.sql?.();
      const sqlMs = sqlText
        ? await median(RUNS, async () => {
            sqlRows = await query<Row>(sqlText, [resolved.organisationIds, period.start, period.end]);
          })
        : null;
      // The country's numbers are not suppressed or rounded: there the two must agree exactly.
      const [mine, theirs] = report.headline(ohwbResult, sqlRows);
      const agreement =
        sqlText && scope.slug === 'national'
          ? String(mine) === String(theirs)
            ? 'same numbers'
            : `DIFFERENT numbers (${mine} vs ${theirs})`
          : null;
      const ratio = sqlMs ? ohwbMs / sqlMs : null;
      const checks = [
        scope.goalMs === null
          ? null
          : ohwbMs < scope.goalMs
            ? `< ${scope.goalMs} ms ok`
            : `< ${scope.goalMs} ms MISSED`,
        ratio === null ? null : ratio <= GOALS.ratio ? `ratio ok` : 'ratio MISSED',
        agreement,
      ].filter((c): c is string => c !== null);
      if (checks.some((c) => c.includes('MISSED') || c.includes('DIFFERENT'))) missed += 1;
      table.push([
        scope.label,
        Number(staff?.n ?? 0).toLocaleString('en-GB'),
        report.label,
        ohwbMs.toFixed(1),
        sqlMs === null ? '—' : sqlMs.toFixed(1),
        ratio === null ? '—' : ratio.toFixed(2),
        checks.join(', ') || '—',
      ]);
    }
  }
  const widths = (table[0] as string[]).map((_, i) =>
    Math.max(...table.map((row) => (row[i] as string).length)),
  );
  for (const [index, row] of table.entries()) {
    console.log(
      row
        .map((cell, i) =>
          i >= 1 && i <= 5 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number),
        )
        .join('  '),
    );
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(
    `Goals: system < ${GOALS.systemMs} ms, country < ${GOALS.nationalMs} ms, OHWB/SQL ≤ ${GOALS.ratio}. ` +
      (missed === 0 ? 'All met.' : `${missed} row(s) missed a goal or disagreed.`),
  );
  process.exitCode = missed === 0 ? 0 : 1;
} finally {
  await ownerPool.end();
  await database.close();
}
