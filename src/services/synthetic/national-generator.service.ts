import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/database.ts';
import {
  ohProviders,
  organisations,
  providerClients,
  sites,
  systems,
  userRoles,
  users,
} from '../../db/schema.ts';
import { CLOSURE_OUTCOMES, FITNESS_OUTCOMES } from '../../domain/cases/case.rules.ts';
import { Conflict, Invalid, RuleRefused } from '../../domain/shared/errors.ts';
import { addDays, londonDate } from '../../domain/time/london.ts';
import { ETHNIC_CATEGORY_CODES, STAFF_GROUPS } from '../../domain/workforce/categories.ts';
import { hashPassword } from '../auth/auth.service.ts';
import { FAMILY_NAMES, GIVEN_NAMES, MANAGER_QUESTIONS } from '../demo/demo-data.ts';
import { refreshAllKpiDays } from '../reporting/kpi-days.service.ts';
import { inTransaction, type ServiceContext, systemScope } from '../shared/context.ts';
import {
  ADJUSTMENT_SETS,
  APPOINTMENT_MODES,
  AWAITING_TRIAGE_DAYS,
  CLINIC_HOURS,
  CLOSURE_MIX,
  DECLINED_SHARE,
  DISABILITY_RECORDED,
  DISABILITY_YES,
  EARLIER_APPOINTMENT_OUTCOMES,
  ETHNIC_WEIGHTS,
  ETHNICITY_RECORDED,
  FITNESS_MIX,
  LEAVER_SHARE,
  MAX_MEASURES,
  MEASURED_SHARE,
  PATHWAY_MIX,
  PRIORITY_MIX,
  PROFILES,
  REFERRAL_RATE,
  REFERRAL_SOURCES,
  REPORT_DECISIONS,
  SECURITY_SENSITIVE_POLICE,
  SEX_RECORDED,
  type WorkforceProfile,
} from './national-data.ts';
import {
  clinicianRole,
  type NationalPlan,
  type OrganisationPlan,
  type ProviderPlan,
  planNationalWorld,
  type SystemPlan,
} from './national-plan.ts';
import {
  draws,
  intBetween,
  num,
  text,
  textArray,
  uuid,
  uuidArray,
  weightedSql,
  weightedText,
} from './synthetic-sql.ts';

/** How far `ohwb generate` has got: `done` of `total` steps, and what it is doing now. */
export type GenerateProgress = { done: number; total: number; step: string };

export type GenerateOptions = {
  /** Fraction of the national workforce of 2,000,000 staff (default 1). */
  scale?: number;
  /** Years of activity ending today (default 3). */
  years?: number;
  /** Seed of the pseudo-random draws: the same seed gives the same data (default 1). */
  seed?: number;
  /** Put before every slug, so several synthetic countries can share a database (tests). Default ''. */
  prefix?: string;
  /** Password of the analyst and OH accounts; a random one when absent. */
  password?: string | null;
  /** Systems generated at once, each on its own connection (default 2: one per core of a small server). */
  concurrency?: number;
  /** `vacuum` (default): VACUUM ANALYZE the tables written; `analyze`: ANALYZE only; `none`. */
  maintenance?: 'vacuum' | 'analyze' | 'none';
  onProgress?: (progress: GenerateProgress) => void;
};

/** Rows written, by table. */
export type GenerateCounts = {
  systems: number;
  organisations: number;
  providers: number;
  users: number;
  people: number;
  referrals: number;
  cases: number;
  appointments: number;
  consultations: number;
  reports: number;
  measures: number;
};

export type GenerateResult = {
  counts: GenerateCounts;
  seconds: number;
  /** Sign-in emails of the analysts: one per system's ICB, then the national analyst. */
  analysts: string[];
  /** One system slug and one NHS trust slug in it, for trying the reports. */
  examples: { system: string; trust: string };
  password: string;
  passwordWasGenerated: boolean;
};

/** The placeholder every encrypted free-text column of synthetic data holds. */
export const SYNTHETIC_TEXT = 'Synthetic record: made up by ohwb generate; no real person.';

const EMAIL_DOMAIN = 'synthetic.ohwb.test';
const OPTIONS_PREFIX = /^[a-z0-9-]*$/;

type Counts = Omit<GenerateCounts, 'systems' | 'organisations' | 'providers' | 'users'>;

/** The accounts a system's SQL refers to, by provider and by client organisation. */
type Accounts = {
  admins: Map<string, string>;
  clinicians: Map<string, string[]>;
  referrers: Map<string, string>;
};

/** What every statement of one run shares: dates, the draws of the seed, and the constant ciphertexts. */
type RunContext = {
  draw: ReturnType<typeof draws>;
  /** `now` as a SQL timestamptz literal. */
  now: string;
  today: string;
  /** The Monday before the period: day 0 of the day numbers used for dates and clinic slots. */
  epoch: string;
  /** The period's first day and today, as day numbers from `epoch`. */
  firstDay: number;
  lastDay: number;
  years: number;
  enc: { text: string; noQuestions: string; managerQuestions: string };
};

/**
 * Makes a synthetic national workforce and its occupational health activity, on a
 * PostgreSQL server: 42 systems (ICS footprints) with their NHS trusts, primary care,
 * ICB and police forces; OH providers (a shared service per system hosted by its
 * acute trust, an in-house unit per force); about 2,000,000 staff at scale 1 with
 * realistic staff groups and equality characteristics; and `years` of referrals,
 * cases, appointments, consultations, outcomes, reports, closures and PHQ-9/GAD-7
 * measures ending today (about 3 million referrals and 10 million appointments).
 *
 * Rows are made inside the database (`INSERT … SELECT … FROM generate_series`) with
 * deterministic pseudo-random expressions, one system per transaction, so the whole
 * country takes minutes rather than hours. Refuses on the embedded database (PGlite)
 * and when this prefix's systems already exist.
 *
 * No audit rows are written: this is bulk generation by the operator of made-up
 * records, not anyone reading or changing a clinical record.
 */
export async function generateNational(
  ctx: ServiceContext,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const started = Date.now();
  const scale = options.scale ?? 1;
  const years = options.years ?? 3;
  const seed = options.seed ?? 1;
  const prefix = options.prefix ?? '';
  const concurrency = options.concurrency ?? 2;
  checkOptions({ scale, years, seed, prefix, concurrency });
  if (ctx.engine !== 'postgres') {
    throw new RuleRefused(
      'ohwb generate needs a PostgreSQL server (set DATABASE_URL): the national data set is far too large for the embedded database.',
    );
  }
  const existing = await ctx.db.execute(
    sql`select slug from systems where slug like ${`${prefix}sys-%`} or slug = ${`${prefix}national`} order by slug limit 1`,
  );
  const found = (existing as unknown as { rows: Array<{ slug: string }> }).rows[0];
  if (found) {
    throw new Conflict(
      `The synthetic national data already exists in this database (system ${found.slug}). ` +
        'ohwb generate makes it once per database: start from a new database to make it again, ' +
        `or choose another --prefix.`,
    );
  }

  const plan = planNationalWorld({ scale, prefix, newId: ctx.newId });
  const totalSteps = 1 + plan.systems.length * 4 + 2;
  let done = 0;
  const progress = (step: string) => options.onProgress?.({ done, total: totalSteps, step });
  const advance = (step: string) => {
    done += 1;
    progress(step);
  };
  progress('organisations and accounts');

  const password = options.password ?? randomBytes(12).toString('base64url');
  // One hash for every synthetic account keeps setup fast, as the demo world does.
  const passwordHash = await hashPassword(password);
  const { accounts, analysts, userCount } = await createStructure(ctx, plan, passwordHash);
  advance('organisations and accounts');

  const now = ctx.now();
  const today = londonDate(now);
  const firstDate = addDays(today, -Math.round(365.25 * years));
  const epoch = mondayOnOrBefore(addDays(firstDate, -7));
  const run: RunContext = {
    draw: draws(seed),
    now: `${text(now.toISOString())}::timestamptz`,
    today,
    epoch,
    firstDay: daysBetween(epoch, firstDate),
    lastDay: daysBetween(epoch, today),
    years,
    // Encrypted once: clinical free text of made-up records is a placeholder, not text worth a cipher call each.
    enc: {
      text: ctx.cipher.encrypt(SYNTHETIC_TEXT),
      noQuestions: ctx.cipher.encrypt('[]'),
      managerQuestions: ctx.cipher.encrypt(JSON.stringify(MANAGER_QUESTIONS)),
    },
  };

  const counts: Counts = {
    people: 0,
    referrals: 0,
    cases: 0,
    appointments: 0,
    consultations: 0,
    reports: 0,
    measures: 0,
  };
  const queue = [...plan.systems];
  let failure: Error | null = null;
  const worker = async () => {
    for (let system = queue.shift(); system && !failure; system = queue.shift()) {
      try {
        const made = await generateSystem(ctx, run, system, accounts, advance);
        for (const key of Object.keys(counts) as Array<keyof Counts>) counts[key] += made[key];
      } catch (error) {
        // Let the other systems in progress finish (each is one transaction), then stop.
        failure ??= new Error(
          `ohwb generate stopped at ${system.slug}: ${reasonOf(error)}. ` +
            'The systems made before it stay in the database; to make the data set again, start from a new database.',
          { cause: error },
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.systems.length) }, worker));
  if (failure) throw failure;

  const maintenance = options.maintenance ?? 'vacuum';
  progress(maintenance === 'none' ? 'done' : 'vacuum and analyze');
  if (maintenance !== 'none') {
    // Fresh statistics for the planner, and (with VACUUM) the visibility map that lets
    // report queries use index-only scans on the new rows. Under row-level security the
    // service's role does not own the tables, so PostgreSQL skips them with a warning: the
    // operator runs VACUUM (ANALYZE) as the owner afterwards (scripts/bench-reports.sh does).
    const tables = ['people', 'referrals', 'cases', 'appointments', 'consultations', 'reports', 'measures'];
    const verb = maintenance === 'vacuum' ? 'VACUUM (ANALYZE)' : 'ANALYZE';
    await Promise.all(
      chunk(tables, Math.max(1, Math.ceil(tables.length / concurrency))).map(async (group) => {
        for (const table of group) await ctx.db.execute(sql.raw(`${verb} ${table}`));
      }),
    );
  }
  // The KPI roll-up of every day just made, so that the first report need not compute it.
  advance('KPI roll-up');
  await refreshAllKpiDays(ctx);
  advance('done');

  const biggest = [...plan.systems].sort((a, b) => staffOf(b) - staffOf(a))[0] as SystemPlan;
  const trust = biggest.organisations
    .filter((o) => o.kind === 'nhs-trust')
    .sort((a, b) => b.staff - a.staff)[0] as OrganisationPlan;
  return {
    counts: {
      systems: plan.systems.length + 1,
      organisations: plan.systems.reduce((sum, s) => sum + s.organisations.length, 0) + 1,
      providers: plan.systems.reduce((sum, s) => sum + s.providers.length, 0),
      users: userCount,
      ...counts,
    },
    seconds: (Date.now() - started) / 1000,
    analysts,
    examples: { system: biggest.slug, trust: trust.slug },
    password,
    passwordWasGenerated: !options.password,
  };
}

function checkOptions(o: {
  scale: number;
  years: number;
  seed: number;
  prefix: string;
  concurrency: number;
}) {
  const errors: Array<{ path: string; message: string }> = [];
  if (!(o.scale > 0 && o.scale <= 5))
    errors.push({ path: '/scale', message: 'Give a scale above 0 and at most 5.' });
  if (!Number.isInteger(o.years) || o.years < 1 || o.years > 10)
    errors.push({ path: '/years', message: 'Give a whole number of years from 1 to 10.' });
  if (!Number.isInteger(o.seed) || Math.abs(o.seed) > 1_000_000_000)
    errors.push({ path: '/seed', message: 'Give a whole-number seed.' });
  if (!OPTIONS_PREFIX.test(o.prefix) || o.prefix.length > 20)
    errors.push({ path: '/prefix', message: 'Use up to 20 lower-case letters, digits and hyphens.' });
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1 || o.concurrency > 8)
    errors.push({ path: '/concurrency', message: 'Give from 1 to 8 systems at once.' });
  if (errors.length > 0) throw new Invalid('The options of ohwb generate are not right.', errors);
  // The tables below must use the workforce categories every report knows.
  const groups = Object.values(PROFILES).flatMap((profile) => profile.map((g) => g.group));
  const unknownGroup = groups.find((g) => !STAFF_GROUPS.includes(g));
  const unknownCode = ETHNIC_WEIGHTS.map(([code]) => code).find((c) => !ETHNIC_CATEGORY_CODES.includes(c));
  const unknownClosure = CLOSURE_MIX.map(([c]) => c).find(
    (c) => !(CLOSURE_OUTCOMES as readonly string[]).includes(c),
  );
  const unknownFitness = FITNESS_MIX.map(([f]) => f).find(
    (f) => !(FITNESS_OUTCOMES as readonly string[]).includes(f),
  );
  const unknown = unknownGroup ?? unknownCode ?? unknownClosure ?? unknownFitness;
  if (unknown) throw new Error(`The synthetic data tables use an unknown category: ${unknown}`);
}

/** Systems, organisations, OH providers, their clients and clinics, and the accounts, in one transaction. */
async function createStructure(ctx: ServiceContext, plan: NationalPlan, passwordHash: string) {
  const accounts: Accounts = { admins: new Map(), clinicians: new Map(), referrers: new Map() };
  const analysts: string[] = [];
  type UserRow = typeof users.$inferInsert;
  type RoleRow = typeof userRoles.$inferInsert;
  const userRows: UserRow[] = [];
  const roleRows: RoleRow[] = [];
  const addUser = (
    email: string,
    displayName: string,
    role: RoleRow['role'] | null,
    organisationId: string,
  ) => {
    const id = ctx.newId();
    userRows.push({ id, email, displayName, passwordHash, disabled: role === null });
    if (role) roleRows.push({ userId: id, organisationId, role });
    return id;
  };

  for (const system of plan.systems) {
    const icbEmail = `analyst@${system.icb.slug}.${EMAIL_DOMAIN}`;
    addUser(icbEmail, `${system.name} workforce analyst`, 'analyst', system.icb.id);
    analysts.push(icbEmail);
    for (const provider of system.providers) {
      const host = provider.host.slug;
      accounts.admins.set(
        provider.id,
        addUser(
          `oh-admin@${host}.${EMAIL_DOMAIN}`,
          `${provider.name} administrator`,
          'oh-admin',
          provider.host.id,
        ),
      );
      const ids: string[] = [];
      for (let n = 1; n <= provider.clinicians; n++) {
        const role = clinicianRole(n);
        ids.push(
          addUser(
            `${role}-${String(n).padStart(3, '0')}@${host}.${EMAIL_DOMAIN}`,
            `${role === 'oh-physician' ? 'OH physician' : 'OH nurse'} ${n}, ${provider.name}`,
            role,
            provider.host.id,
          ),
        );
      }
      accounts.clinicians.set(provider.id, ids);
      for (const { organisation } of provider.clients) {
        // Management referrals come from the organisation's many line managers, who have no
        // accounts here: one disabled account stands for them, as in the demo world.
        accounts.referrers.set(
          organisation.id,
          addUser(
            `line-managers@${organisation.slug}.${EMAIL_DOMAIN}`,
            'Line managers (synthetic referrals)',
            null,
            organisation.id,
          ),
        );
      }
    }
  }
  const nationalEmail = `analyst@${plan.national.organisation.slug}.${EMAIL_DOMAIN}`;
  addUser(nationalEmail, 'National workforce analyst', 'analyst', plan.national.organisation.id);
  analysts.push(nationalEmail);

  await inTransaction(ctx, systemScope('synthetic-generation'), async (tx) => {
    await tx.insert(systems).values([
      ...plan.systems.map((s) => ({
        id: s.id,
        slug: s.slug,
        name: `${s.name} Integrated Care System (synthetic)`,
      })),
      { id: plan.national.systemId, slug: plan.national.systemSlug, name: 'National (synthetic)' },
    ]);
    await insertChunks(tx, organisations, [
      ...plan.systems.flatMap((s) =>
        s.organisations.map((o) => ({ id: o.id, slug: o.slug, name: o.name, kind: o.kind, systemId: s.id })),
      ),
      {
        id: plan.national.organisation.id,
        slug: plan.national.organisation.slug,
        name: plan.national.organisation.name,
        kind: plan.national.organisation.kind,
        systemId: plan.national.systemId,
      },
    ]);
    const providers = plan.systems.flatMap((s) => s.providers);
    await insertChunks(
      tx,
      ohProviders,
      providers.map((p) => ({
        id: p.id,
        slug: p.slug,
        name: p.name,
        kind: p.kind,
        hostOrganisationId: p.host.id,
      })),
    );
    await insertChunks(
      tx,
      providerClients,
      providers.flatMap((p) =>
        p.clients.map((c) => ({
          providerId: p.id,
          organisationId: c.organisation.id,
          deliveryModel: c.deliveryModel,
        })),
      ),
    );
    await insertChunks(
      tx,
      sites,
      providers.flatMap((p) => sitesOf(p, ctx.newId)),
    );
    await insertChunks(tx, users, userRows);
    await insertChunks(tx, userRoles, roleRows);
  });
  return { accounts, analysts, userCount: userRows.length };
}

function sitesOf(provider: ProviderPlan, newId: () => string): Array<typeof sites.$inferInsert> {
  const police = provider.host.kind === 'police-force';
  return [
    {
      id: provider.clinicSiteId,
      organisationId: provider.host.id,
      name: police
        ? `Occupational Health Suite, ${provider.host.name}`
        : `OH Department, ${provider.host.name}`,
      address: `${police ? 'Force Training Centre' : 'Main Hospital'}, ${provider.host.name}`,
      operational: false,
    },
    {
      id: newId(),
      organisationId: provider.host.id,
      name: police
        ? `Central Police Station, ${provider.host.name}`
        : `Emergency Department, ${provider.host.name}`,
      address: `1 High Street, ${provider.host.name}`,
      operational: true,
    },
  ];
}

async function insertChunks<T>(
  tx: Queryable,
  table: Parameters<Queryable['insert']>[0],
  rows: T[],
  size = 1000,
) {
  for (let i = 0; i < rows.length; i += size) {
    // biome-ignore lint/suspicious/noExplicitAny: rows match the table; Drizzle cannot relate the two generics here.
    await tx.insert(table).values(rows.slice(i, i + size) as any);
  }
}

/** Runs one statement of SQL text and returns how many rows it wrote. */
async function exec(q: Queryable, statement: string): Promise<number> {
  const result = (await q.execute(sql.raw(statement))) as unknown as { rowCount?: number | null };
  return result.rowCount ?? 0;
}

/**
 * One system, in one transaction: its staff, then referrals, cases and appointments,
 * then consultations, outcomes, reports and measures. Intermediate rows live in
 * temporary tables dropped at commit.
 */
async function generateSystem(
  ctx: ServiceContext,
  run: RunContext,
  system: SystemPlan,
  accounts: Accounts,
  advance: (step: string) => void,
): Promise<Counts> {
  const counts: Counts = {
    people: 0,
    referrals: 0,
    cases: 0,
    appointments: 0,
    consultations: 0,
    reports: 0,
    measures: 0,
  };
  const name = system.slug;
  await inTransaction(ctx, systemScope('synthetic-generation'), async (tx) => {
    // Made-up rows that can be made again: no need to wait for the WAL flush at commit.
    await exec(tx, 'SET LOCAL synchronous_commit = off');
    await exec(tx, "SET LOCAL work_mem = '256MB'");
    // Compiling these one-off statements costs more than running them (the planner sees
    // generate_series as big and expensive).
    await exec(tx, 'SET LOCAL jit = off');
    // Room for the temporary tables in memory. Settable only before a session first uses a
    // temporary table (a pooled connection may already have), hence the guard.
    await exec(
      tx,
      "DO $$ BEGIN PERFORM set_config('temp_buffers', '512MB', false); EXCEPTION WHEN others THEN NULL; END $$",
    );
    for (const organisation of system.organisations) {
      if (organisation.profile && organisation.staff > 0) {
        counts.people += await exec(tx, peopleSql(run, system, organisation));
      }
    }
    advance(`${name}: staff`);

    await exec(tx, GEN_REF_TABLE);
    for (const provider of system.providers) {
      for (const { organisation } of provider.clients) {
        if (!organisation.profile || organisation.staff === 0) continue;
        await exec(tx, referralsSql(run, organisation, provider, accounts));
      }
    }
    await exec(tx, 'ANALYZE gen_ref');
    counts.referrals += await exec(tx, insertReferralsSql(run));
    advance(`${name}: referrals`);

    await exec(tx, appointmentsTableSql(run));
    await exec(tx, 'ANALYZE gen_appt');
    await exec(tx, CASE_FACTS_TABLE);
    counts.cases += await exec(tx, insertCasesSql(run));
    counts.appointments += await exec(tx, insertAppointmentsSql());
    advance(`${name}: cases and appointments`);

    counts.consultations += await exec(tx, insertConsultationsSql(run));
    counts.reports += await exec(tx, insertReportsSql(run));
    counts.measures += await exec(tx, insertMeasuresSql(run));
    advance(`${name}: outcomes, reports and measures`);
  });
  return counts;
}

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

/** The SQL id of the n-th (1-based SQL expression) person of an organisation: stable, so referrals can find them. */
function personId(organisationId: string, n: string): string {
  return `md5(${text(`${organisationId}:`)} || (${n})::text)::uuid`;
}

/** Salts of the people's draws (each attribute its own). */
const P = {
  group: 1,
  title: 2,
  given: 3,
  family: 4,
  age1: 5,
  age2: 6,
  birthday: 7,
  ethnicKnown: 8,
  ethnic: 9,
  sexKnown: 10,
  sex: 11,
  disabilityKnown: 12,
  disability: 13,
  tenure: 14,
  leaver: 15,
  leftAgo: 16,
  sensitive: 17,
} as const;

function peopleSql(run: RunContext, system: SystemPlan, organisation: OrganisationPlan): string {
  const profile = PROFILES[organisation.profile as WorkforceProfile];
  const n = organisation.staff;
  const key = `((${organisation.index}::bigint << 32) + g)`;
  const u = (salt: number) => run.draw.uniform(key, salt);
  const groupIndex = weightedSql(
    'u_group',
    profile.map((g, i) => [String(i + 1), g.weight] as const),
  );
  const titles = profile
    .map(
      (g, i) => `WHEN ${i + 1} THEN (${textArray(g.titles)})[1 + floor(u_title * ${g.titles.length})::int]`,
    )
    .join(' ');
  const female = `(ARRAY[${profile.map((g) => num(g.female)).join(',')}]::float8[])[gi]`;
  const studentIndex = profile.findIndex((g) => g.group === 'Students') + 1;
  const officerIndex = profile.findIndex((g) => g.group === 'Police officer') + 1;
  // Ages 18–66, most in their thirties to fifties; students young; officers retire by 60.
  const age = `(CASE gi WHEN ${studentIndex} THEN 18 + floor(u_age1 * 12)::int
      WHEN ${officerIndex} THEN 18 + floor(42 * (u_age1 + u_age2) / 2)::int
      ELSE 18 + floor(49 * (u_age1 + u_age2) / 2)::int END)`;
  const ethnic = weightedText(
    'u_ethnic',
    ETHNIC_WEIGHTS.map(([code, w]) => [code, code === 'A' ? w : w * system.spec.diversity] as const),
  );
  const managers = Math.max(1, Math.floor(n / 10));
  const police = organisation.profile === 'police';
  const periodDays = Math.round(365.25 * run.years);
  return `
    INSERT INTO people (id, organisation_id, employee_number, given_name, family_name, date_of_birth,
      staff_group, job_title, manager_id, security_sensitive, ethnic_category, sex, disability,
      start_date, end_date, created_at)
    SELECT ${personId(organisation.id, 'g')}, ${uuid(organisation.id)}, 'S' || lpad(g::text, 7, '0'),
      (${textArray(GIVEN_NAMES)})[1 + floor(u_given * ${GIVEN_NAMES.length})::int],
      (${textArray(FAMILY_NAMES)})[1 + floor(u_family * ${FAMILY_NAMES.length})::int],
      ${text(run.today)}::date - (age * 365 + floor(u_birthday * 365))::int,
      (${textArray(profile.map((g) => g.group))})[gi],
      CASE gi ${titles} END,
      -- The first tenth are managers and report to the first; everyone else reports to one of them.
      CASE WHEN g = 1 THEN NULL WHEN g <= ${managers} THEN ${personId(organisation.id, '1')}
        ELSE ${personId(organisation.id, `1 + g % ${managers}`)} END,
      ${police ? `u_sensitive < ${num(SECURITY_SENSITIVE_POLICE)}` : 'false'},
      CASE WHEN u_ethnic_known < ${num(ETHNICITY_RECORDED)} THEN ${ethnic} END,
      CASE WHEN u_sex_known < ${num(SEX_RECORDED)} THEN
        CASE WHEN u_sex < ${female} THEN 'female' WHEN u_sex > 0.998 THEN 'other' ELSE 'male' END END,
      CASE WHEN u_disability_known < ${num(DISABILITY_RECORDED)} THEN
        CASE WHEN u_disability < ${num(DISABILITY_YES)} THEN 'yes' ELSE 'no' END END,
      ${text(run.today)}::date - tenure,
      -- Leavers left during the period, at least a month after they started.
      CASE WHEN u_leaver < ${num(LEAVER_SHARE)} AND tenure > 60
        THEN ${text(run.today)}::date - floor(u_left_ago * least(tenure - 30, ${periodDays}))::int END,
      ${run.now}
    FROM (
      SELECT s.*, ${age} AS age,
        -- Days since they started: up to their whole working life (at most 40 years), most fairly recent.
        1 + floor(power(u_tenure, 1.6) * least(${age} - 17, 40) * 365)::int AS tenure
      FROM (
        SELECT ${groupIndex} AS gi, q.*
        FROM (
          SELECT g, ${u(P.group)} AS u_group, ${u(P.title)} AS u_title, ${u(P.given)} AS u_given,
            ${u(P.family)} AS u_family, ${u(P.age1)} AS u_age1, ${u(P.age2)} AS u_age2,
            ${u(P.birthday)} AS u_birthday, ${u(P.ethnicKnown)} AS u_ethnic_known, ${u(P.ethnic)} AS u_ethnic,
            ${u(P.sexKnown)} AS u_sex_known, ${u(P.sex)} AS u_sex, ${u(P.disabilityKnown)} AS u_disability_known,
            ${u(P.disability)} AS u_disability, ${u(P.tenure)} AS u_tenure, ${u(P.leaver)} AS u_leaver,
            ${u(P.leftAgo)} AS u_left_ago, ${u(P.sensitive)} AS u_sensitive
          FROM generate_series(1, ${n}) g
          OFFSET 0
        ) q
        OFFSET 0
      ) s
      OFFSET 0
    ) t`;
}

// ---------------------------------------------------------------------------------------------
// Referrals
// ---------------------------------------------------------------------------------------------

const GEN_REF_TABLE = `
  CREATE TEMP TABLE gen_ref (
    key bigint NOT NULL, id uuid NOT NULL, case_id uuid, organisation_id uuid NOT NULL, person_id uuid NOT NULL,
    provider_id uuid NOT NULL, source text NOT NULL, pathway text NOT NULL, priority text, status text NOT NULL,
    created_at timestamptz NOT NULL, triaged_at timestamptz, clinician_id uuid NOT NULL, admin_id uuid NOT NULL,
    referrer_id uuid NOT NULL, site_id uuid NOT NULL, appointments int NOT NULL, interval_days int NOT NULL,
    first_day int NOT NULL
  ) ON COMMIT DROP`;

/** Salts of the referrals' draws. */
const R = {
  person: 101,
  person2: 113,
  person3: 114,
  day: 102,
  hour: 103,
  source: 104,
  pathway: 105,
  priority: 106,
  awaiting: 107,
  declined: 108,
  triageHours: 109,
  clinician: 110,
  appointments: 111,
  wait: 112,
} as const;

/** One client organisation's referrals into `gen_ref`, with the facts the later steps draw on. */
function referralsSql(
  run: RunContext,
  organisation: OrganisationPlan,
  provider: ProviderPlan,
  accounts: Accounts,
): string {
  const profile = organisation.profile as WorkforceProfile;
  const count = Math.round(organisation.staff * REFERRAL_RATE[profile] * run.years);
  const clinicians = accounts.clinicians.get(provider.id) as string[];
  const key = `((${organisation.index}::bigint << 32) + g)`;
  const u = (salt: number) => run.draw.uniform(key, salt);
  const pathwayIndex = weightedSql(
    'u_pathway',
    PATHWAY_MIX.map((p, i) => [String(i + 1), p.weight] as const),
  );
  const priorityIndex = weightedSql(
    'u_priority',
    PRIORITY_MIX.map((p, i) => [String(i + 1), p.weight] as const),
  );
  const ints = (values: number[]) => `(ARRAY[${values.map(num).join(',')}]::int[])`;
  const epoch = `${text(run.epoch)}::date`;
  return `
    INSERT INTO gen_ref
    SELECT key, gen_random_uuid(), CASE WHEN status = 'triaged' THEN gen_random_uuid() END,
      ${uuid(organisation.id)}, person_id, ${uuid(provider.id)}, source,
      (${textArray(PATHWAY_MIX.map((p) => p.pathway))})[pi],
      CASE WHEN status <> 'awaiting-triage' THEN (${textArray(PRIORITY_MIX.map((p) => p.priority))})[ri] END,
      status, created_at,
      CASE WHEN status <> 'awaiting-triage'
        THEN least(created_at + (1 + u_triage_hours * 22) * interval '1 hour', ${run.now} - interval '5 minutes') END,
      (${uuidArray(clinicians)})[1 + floor(u_clinician * ${clinicians.length})::int],
      ${uuid(accounts.admins.get(provider.id) as string)}, ${uuid(accounts.referrers.get(organisation.id) as string)},
      ${uuid(provider.clinicSiteId)},
      ${ints(PATHWAY_MIX.map((p) => p.appointments[0]))}[pi]
        + floor(u_appointments * (${ints(PATHWAY_MIX.map((p) => p.appointments[1] - p.appointments[0] + 1))}[pi]))::int,
      ${ints(PATHWAY_MIX.map((p) => p.intervalDays))}[pi],
      -- The first appointment is wanted a wait after triage, which is at most a day after the referral.
      day + 1 + ${ints(PRIORITY_MIX.map((p) => p.waitDays[0]))}[ri]
        + floor(u_wait * (${ints(PRIORITY_MIX.map((p) => p.waitDays[1] - p.waitDays[0] + 1))}[ri]))::int
    FROM (
      SELECT s.*,
        CASE WHEN (day >= ${run.lastDay - 1} AND u_awaiting < 0.7)
               OR (day >= ${run.lastDay - AWAITING_TRIAGE_DAYS} AND u_awaiting < 0.15) THEN 'awaiting-triage'
             WHEN u_declined < ${num(DECLINED_SHARE)} THEN 'declined'
             ELSE 'triaged' END AS status,
        least((${epoch} + day + time '08:00' + u_hour * interval '10 hours') AT TIME ZONE 'Europe/London',
              ${run.now} - interval '10 minutes') AS created_at
      FROM (
        SELECT r.*, e.id AS person_id, ${pathwayIndex} AS pi, ${priorityIndex} AS ri,
          ${weightedText('u_source', REFERRAL_SOURCES)} AS source,
          least(greatest(r.want_day, e.lo), greatest(e.hi, e.lo)) AS day
        FROM (
          SELECT ${key} AS key, ${u(R.person)} AS u_person, ${u(R.person2)} AS u_person2,
            ${u(R.person3)} AS u_person3, ${u(R.hour)} AS u_hour,
            ${u(R.source)} AS u_source, ${u(R.pathway)} AS u_pathway, ${u(R.priority)} AS u_priority,
            ${u(R.awaiting)} AS u_awaiting, ${u(R.declined)} AS u_declined, ${u(R.triageHours)} AS u_triage_hours,
            ${u(R.clinician)} AS u_clinician, ${u(R.appointments)} AS u_appointments, ${u(R.wait)} AS u_wait,
            ${intBetween(u(R.day), run.firstDay, run.lastDay)} AS want_day
          FROM generate_series(1, ${count}) g
          OFFSET 0
        ) r
        -- Referrals fall evenly over the period, each to someone working here that day: of three
        -- people drawn, one in post then (if none is, the last drawn, on the nearest day they were).
        CROSS JOIN LATERAL (
          SELECT c.* FROM (
            SELECT d.ord, p.id, greatest(${run.firstDay}, coalesce(p.start_date - ${epoch}, 0)) AS lo,
              least(${run.lastDay}, coalesce(p.end_date - ${epoch}, ${run.lastDay})) AS hi
            FROM (VALUES (1, r.u_person), (2, r.u_person2), (3, r.u_person3)) d(ord, u)
            JOIN people p ON p.id = ${personId(organisation.id, `1 + floor(d.u * ${organisation.staff})::int`)}
          ) c
          ORDER BY r.want_day BETWEEN c.lo AND c.hi DESC, c.ord DESC
          LIMIT 1
        ) e
        OFFSET 0
      ) s
      OFFSET 0
    ) t`;
}

function insertReferralsSql(run: RunContext): string {
  return `
    INSERT INTO referrals (id, organisation_id, person_id, provider_id, source, referred_by_user_id, reason_enc,
      questions_enc, pathway, consent_given, consent_recorded_at, status, priority, triaged_by_user_id, triaged_at,
      case_id, decline_reason_enc, created_at)
    SELECT id, organisation_id, person_id, provider_id, source,
      -- Self-referrals and other routes reached OH by phone or form and were entered by the OH administrator.
      CASE WHEN source = 'management' THEN referrer_id ELSE admin_id END,
      ${text(run.enc.text)},
      CASE WHEN source = 'management' THEN ${text(run.enc.managerQuestions)} ELSE ${text(run.enc.noQuestions)} END,
      pathway, source = 'management', CASE WHEN source = 'management' THEN created_at - interval '1 day' END,
      status, priority, CASE WHEN triaged_at IS NOT NULL THEN admin_id END, triaged_at, case_id,
      CASE WHEN status = 'declined' THEN ${text(run.enc.text)} END, created_at
    FROM gen_ref`;
}

// ---------------------------------------------------------------------------------------------
// Cases and appointments
// ---------------------------------------------------------------------------------------------

/** Salts of the appointments' draws. */
const A = { slot: 201, jitter: 202, status: 203, mode: 204 } as const;

/**
 * Every appointment of every case, in clinic slots that never overlap for a clinician.
 *
 * Each appointment has a wanted slot `d` (a number counting clinic slots from the epoch:
 * seven an hour apart on each weekday). A clinician's appointments, in order of wanted
 * slot, are given the first free slot on or after the wanted one, which is
 * `a_k = k + max over j ≤ k of (d_j − j)` for the k-th of them — a running maximum, so
 * one window query places them all, and the slots are distinct by construction (the
 * exclusion constraint of migration 0001 never fires). Appointments that took place are
 * attended (the last of an episode always), missed or cancelled; later ones are booked.
 */
function appointmentsTableSql(run: RunContext): string {
  const key = '(r.key * 16 + j)';
  const u = (salt: number) => run.draw.uniform(key, salt);
  const hours = `(ARRAY[${CLINIC_HOURS.map(num).join(',')}]::int[])`;
  const slots = CLINIC_HOURS.length;
  // A day number → the clinic day on or after it → its first slot number.
  const day = `(r.first_day + (j - 1) * r.interval_days + CASE WHEN j > 1 THEN floor(${u(A.jitter)} * 4)::int ELSE 0 END)`;
  const wanted = `((5 * (${day} / 7) + least(${day} % 7, 5)) * ${slots} + floor(${u(A.slot)} * ${slots})::int)`;
  const epoch = `${text(run.epoch)}::date`;
  return `
    CREATE TEMP TABLE gen_appt ON COMMIT DROP AS
    SELECT gen_random_uuid() AS id, t.*,
      CASE WHEN t.starts_at + interval '1 hour' > ${run.now} THEN 'booked'
           WHEN t.j = t.n THEN 'attended'
           ELSE ${weightedText(run.draw.uniform('t.akey', A.status), EARLIER_APPOINTMENT_OUTCOMES)} END AS status,
      ${weightedText(run.draw.uniform('t.akey', A.mode), APPOINTMENT_MODES)} AS mode
    FROM (
      SELECT s.key, s.akey, s.case_id, s.organisation_id, s.person_id, s.clinician_id, s.admin_id, s.site_id,
        s.triaged_at, s.pathway, s.j, s.n,
        (${epoch} + (7 * ((s.a / ${slots}) / 5) + (s.a / ${slots}) % 5)::int
          + make_time(${hours}[1 + (s.a % ${slots})::int], 0, 0)) AT TIME ZONE 'Europe/London' AS starts_at
      FROM (
        SELECT w.*, w.k + max(w.d - w.k) OVER (PARTITION BY w.clinician_id ORDER BY w.d, w.key, w.j
                                               ROWS UNBOUNDED PRECEDING) AS a
        FROM (
          SELECT v.*, row_number() OVER (PARTITION BY v.clinician_id ORDER BY v.d, v.key, v.j) AS k
          FROM (
            SELECT r.key, ${key} AS akey, r.case_id, r.organisation_id, r.person_id, r.clinician_id, r.admin_id,
              r.site_id, r.triaged_at, r.pathway, j, r.appointments AS n, ${wanted} AS d
            FROM gen_ref r CROSS JOIN LATERAL generate_series(1, r.appointments) j
            WHERE r.case_id IS NOT NULL
          ) v
        ) w
      ) s
    ) t`;
}

/** Per case: when first seen (attended), the last appointment, and whether one is still to come. */
const CASE_FACTS_TABLE = `
  CREATE TEMP TABLE gen_case ON COMMIT DROP AS
  SELECT case_id, min(starts_at) FILTER (WHERE status = 'attended') AS first_seen, max(starts_at) AS last_at,
    bool_or(status = 'booked') AS has_future
  FROM gen_appt GROUP BY case_id`;

/** Salts of the cases' draws. */
const C = { fitness: 301, adjustments: 302, close: 303, closeAfter: 304, closure: 305, onDuty: 306 } as const;

function insertCasesSql(run: RunContext): string {
  const u = (salt: number) => run.draw.uniform('r.key', salt);
  const adjustments = `(ARRAY[${ADJUSTMENT_SETS.map((set) => `${text(JSON.stringify(set))}::jsonb`).join(',')}])`;
  return `
    INSERT INTO cases (id, organisation_id, person_id, referral_id, provider_id, pathway, priority, clinician_id,
      status, injury_on_duty, fitness, adjustments, review_date, outcome_recorded_at, closure_outcome, closed_at,
      created_at)
    SELECT case_id, organisation_id, person_id, id, provider_id, pathway, priority, clinician_id,
      CASE WHEN closed THEN 'closed' WHEN first_seen IS NOT NULL THEN 'outcome-recorded'
           WHEN has_future THEN 'appointment-booked' ELSE 'awaiting-appointment' END,
      CASE pathway WHEN 'blood-borne-virus' THEN u_on_duty < 0.95 WHEN 'dental-injury' THEN u_on_duty < 0.6 END,
      fitness,
      CASE WHEN fitness = 'fit-with-adjustments'
        THEN ${adjustments}[1 + floor(u_adjustments * ${ADJUSTMENT_SETS.length})::int] ELSE '[]'::jsonb END,
      CASE WHEN fitness IN ('fit-with-adjustments', 'temporarily-unfit')
        THEN (first_seen AT TIME ZONE 'Europe/London')::date + 42 END,
      first_seen + interval '55 minutes',
      CASE WHEN closed THEN ${weightedText('u_closure', CLOSURE_MIX)} END,
      -- Closed a few days to six weeks after the last appointment.
      CASE WHEN closed THEN least(last_at + (2 + floor(u_close_after * 40)) * interval '1 day',
                                  ${run.now} - interval '1 day') END,
      triaged_at
    FROM (
      SELECT r.*, c.first_seen, c.last_at, c.has_future,
        CASE WHEN c.first_seen IS NOT NULL THEN ${weightedText(u(C.fitness), FITNESS_MIX)} END AS fitness,
        c.first_seen IS NOT NULL AND NOT c.has_future AND c.last_at < ${run.now} - interval '21 days'
          AND ${u(C.close)} < 0.97 AS closed,
        ${u(C.adjustments)} AS u_adjustments, ${u(C.closeAfter)} AS u_close_after, ${u(C.closure)} AS u_closure,
        ${u(C.onDuty)} AS u_on_duty
      FROM gen_ref r JOIN gen_case c ON c.case_id = r.case_id
      OFFSET 0
    ) x`;
}

function insertAppointmentsSql(): string {
  return `
    INSERT INTO appointments (id, organisation_id, case_id, clinician_id, starts_at, ends_at, mode, site_id,
      status, booked_by_user_id, created_at)
    SELECT id, organisation_id, case_id, clinician_id, starts_at, starts_at + interval '1 hour', mode,
      CASE WHEN mode = 'in-person' THEN site_id END, status, admin_id,
      -- Booked at triage, or for follow-ups about three weeks ahead.
      least(greatest(triaged_at, starts_at - interval '21 days'), starts_at)
    FROM gen_appt
    ORDER BY clinician_id, starts_at`;
}

// ---------------------------------------------------------------------------------------------
// Consultations, reports and measures
// ---------------------------------------------------------------------------------------------

function insertConsultationsSql(run: RunContext): string {
  return `
    INSERT INTO consultations (id, organisation_id, case_id, appointment_id, clinician_id, notes_enc, created_at)
    SELECT gen_random_uuid(), organisation_id, case_id, id, clinician_id, ${text(run.enc.text)},
      starts_at + interval '50 minutes'
    FROM gen_appt WHERE status = 'attended'`;
}

/** Salts of the reports' draws. */
const M = {
  written: 401,
  release: 402,
  decision: 403,
  decidedAfter: 404,
  phqStart: 501,
  phqChange: 502,
  phqChange2: 503,
  gadStart: 504,
  gadChange: 505,
  gadChange2: 506,
  noise: 507,
  item9: 508,
  measured: 509,
} as const;

/**
 * The management report of each case seen: written a day or two after the first
 * consultation; most released by the employee 0–40 days after the consultation, some
 * withheld or waiting for a correction, recent ones still with the employee.
 */
function insertReportsSql(run: RunContext): string {
  const u = (salt: number) => run.draw.uniform('r.key', salt);
  return `
    INSERT INTO reports (id, organisation_id, case_id, author_id, text_enc, status, decided_at, released_at, created_at)
    SELECT gen_random_uuid(), organisation_id, case_id, clinician_id, ${text(run.enc.text)}, status,
      CASE status WHEN 'released' THEN release_at
                  WHEN 'awaiting-employee' THEN NULL
                  ELSE least(created_at + (1 + floor(u_decided_after * 20)) * interval '1 day', ${run.now}) END,
      CASE WHEN status = 'released' THEN release_at END,
      created_at
    FROM (
      SELECT y.*,
        CASE WHEN decision = 'released' AND release_at > ${run.now} THEN 'awaiting-employee'
             WHEN created_at > ${run.now} - interval '5 days' THEN 'awaiting-employee'
             ELSE decision END AS status
      FROM (
        SELECT r.organisation_id, r.case_id, r.clinician_id, w.created_at, u_decided_after,
          ${weightedText('u_decision', REPORT_DECISIONS)} AS decision,
          greatest(w.created_at + interval '1 hour',
                   c.first_seen + floor(40 * power(u_release, 2.5)) * interval '1 day' + interval '3 hours') AS release_at
        FROM gen_case c JOIN gen_ref r ON r.case_id = c.case_id
        CROSS JOIN LATERAL (
          SELECT c.first_seen + interval '1 day' + ${u(M.written)} * interval '2 days' AS created_at,
            ${u(M.release)} AS u_release, ${u(M.decision)} AS u_decision, ${u(M.decidedAfter)} AS u_decided_after
          OFFSET 0
        ) w
        WHERE c.first_seen IS NOT NULL
        OFFSET 0
      ) y
      WHERE created_at < ${run.now}
    ) z`;
}

/**
 * PHQ-9 and GAD-7 for most mental-health episodes: at each attended appointment, up to
 * MAX_MEASURES, starting mostly in the clinical range and improving (on average about 5
 * PHQ-9 points and 3 GAD-7 points by the last, some getting worse), with a little noise.
 * Answers are spread over the items to sum to the total; PHQ-9 item 9 (thoughts of
 * self-harm) is answered above 0 for a few, which flags the measure as DOMAIN.md says.
 */
function insertMeasuresSql(run: RunContext): string {
  const u = (keyExpr: string, salt: number) => run.draw.uniform(keyExpr, salt);
  const phqItems = Array.from({ length: 8 }, (_, i) => `rest / 8 + (rest % 8 > ${i})::int`).join(', ');
  const gadItems = Array.from({ length: 7 }, (_, i) => `total / 7 + (total % 7 > ${i})::int`).join(', ');
  return `
    INSERT INTO measures (id, organisation_id, person_id, case_id, instrument, answers, total, severity, flags,
      taken_at, recorded_by_user_id, created_at)
    SELECT gen_random_uuid(), organisation_id, person_id, case_id, instrument,
      CASE WHEN instrument = 'PHQ-9' THEN jsonb_build_array(${phqItems}, item9)
           ELSE jsonb_build_array(${gadItems}) END,
      total,
      CASE WHEN total < 5 THEN 'minimal' WHEN total < 10 THEN 'mild' WHEN total < 15 THEN 'moderate'
           WHEN instrument = 'GAD-7' OR total >= 20 THEN 'severe' ELSE 'moderately-severe' END,
      CASE WHEN item9 > 0 THEN '["self-harm-risk"]'::jsonb ELSE '[]'::jsonb END,
      starts_at + interval '5 minutes', clinician_id, starts_at + interval '5 minutes'
    FROM (
      SELECT y.*, total - item9 AS rest
      FROM (
        SELECT x.*,
          CASE WHEN instrument = 'PHQ-9'
            THEN greatest(CASE WHEN ${u('x.akey', M.item9)} < 0.05 AND total >= 5 THEN 1 ELSE 0 END, total - 24)
            ELSE 0 END AS item9
        FROM (
          SELECT a.*, i.instrument,
            greatest(0, least(i.top, i.start - round(i.change * (a.rank - 1) / greatest(a.m - 1, 1))::int
              + CASE WHEN a.rank > 1 THEN floor(${u('a.akey * 2 + i.nr', M.noise)} * 3)::int - 1 ELSE 0 END)) AS total
          FROM (
            SELECT g.*, row_number() OVER (PARTITION BY g.case_id ORDER BY g.starts_at) AS rank,
              least(count(*) OVER (PARTITION BY g.case_id), ${MAX_MEASURES}) AS m
            FROM gen_appt g
            WHERE g.status = 'attended' AND g.pathway = 'mental-health' AND ${u('g.key', M.measured)} < ${num(MEASURED_SHARE)}
          ) a
          CROSS JOIN LATERAL (VALUES
            ('PHQ-9', 1, 27, 6 + floor(${u('a.key', M.phqStart)} * 17)::int,
              -3 + floor(15 * (${u('a.key', M.phqChange)} + ${u('a.key', M.phqChange2)}) / 2)),
            ('GAD-7', 2, 21, 5 + floor(${u('a.key', M.gadStart)} * 15)::int,
              -2 + floor(11 * (${u('a.key', M.gadChange)} + ${u('a.key', M.gadChange2)}) / 2))
          ) i(instrument, nr, top, start, change)
          WHERE a.rank <= ${MAX_MEASURES}
        ) x
        OFFSET 0
      ) y
      OFFSET 0
    ) z`;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** The database's own message when Drizzle wraps it (its message is the whole failed statement). */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message.slice(0, 300) : String(error);
}

function staffOf(system: SystemPlan): number {
  return system.organisations.reduce((sum, o) => sum + o.staff, 0);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function mondayOnOrBefore(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
