/**
 * The staff import against PostgreSQL's own bulk load, run by scripts/bench-import.sh, which
 * passes DATABASE_URL (an empty database on a throwaway server) and BENCH_WORK (a temp folder).
 *
 * 1. Writes an ESR-style staff file of BENCH_IMPORT_ROWS rows (default 200,000): realistic
 *    names, staff groups and equality fields, a manager for every 12 people listed after them
 *    (so the second pass links them), and one leaver in 50.
 * 2. Times `importStaffAsOperator` (the service behind the API, the page and the CLI: parse,
 *    check every row, upsert in batches, link managers) into a new, empty organisation.
 * 3. Times the same import again (nothing changes: every row compared, none written).
 * 4. Times `\copy … from … (format csv, header)` of the same file, through psql, into an
 *    unindexed table of 13 text columns: the ceiling for getting these bytes into PostgreSQL.
 * 5. Times one `INSERT … SELECT` of those copied rows into `people` for another new
 *    organisation, as the application's role: no checks, no managers, no comparison, just
 *    the table's own work (its keys, indexes, foreign key and row-level security). No import
 *    that lands the rows in `people` can be faster than this floor.
 *
 * Prints rows/s for each, the ratio of the first import to COPY (goal: at least 0.5) and
 * to the floor.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { readConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { loadFieldCipher } from '../src/db/field-cipher.ts';
import { organisations, systems } from '../src/db/schema.ts';
import { ETHNIC_CATEGORY_CODES, STAFF_GROUPS } from '../src/domain/workforce/categories.ts';
import { STAFF_CSV_COLUMNS } from '../src/domain/workforce/staff-record.rules.ts';
import { createServiceContext } from '../src/services/shared/context.ts';
import { importStaffAsOperator } from '../src/services/workforce/staff-import.service.ts';

const GOAL = 0.5;
const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
const work = process.env.BENCH_WORK;
if (!work) throw new Error('BENCH_WORK is not set; run the benchmark with npm run bench:import.');
const config = readConfig();
if (!config.databaseUrl)
  throw new Error('DATABASE_URL is not set; run the benchmark with npm run bench:import.');
const databaseUrl = config.databaseUrl;

const GIVEN = [
  'Amara',
  'Ben',
  'Chloe',
  'Dev',
  'Ewa',
  'Farah',
  'George',
  'Hana',
  'Ivan',
  'Jo',
  'Kofi',
  'Lena',
];
const FAMILY = [
  'Adeyemi',
  'Brown',
  'Chen',
  'Davies',
  'Evans',
  'Fraser',
  'Green',
  'Hussain',
  'Iqbal',
  'Jones',
];
const TITLES = [
  'Staff nurse',
  'Healthcare assistant',
  'Porter',
  'Physiotherapist',
  'Medical secretary',
  'Registrar',
];

/** Writes the staff file and returns its size in bytes. */
async function writeStaffFile(file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write(`${STAFF_CSV_COLUMNS.join(',')}\n`);
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const manager = i % 12 === 0 ? '' : `E${Math.min(rows, Math.ceil(i / 12) * 12)}`;
    const year = 1960 + (i % 45);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    const given = GIVEN[i % GIVEN.length] as string;
    const family = FAMILY[(i * 7) % FAMILY.length] as string;
    const fields = [
      `E${i}`,
      given,
      family,
      `${year}-${month}-${day}`,
      `${given}.${family}.${i}@example.nhs.uk`.toLowerCase(),
      STAFF_GROUPS[i % 9],
      TITLES[i % TITLES.length],
      manager === `E${i}` ? '' : manager,
      ETHNIC_CATEGORY_CODES[i % ETHNIC_CATEGORY_CODES.length],
      ['female', 'male', 'other', ''][i % 4],
      ['no', 'yes', ''][i % 3],
      `${Math.max(year + 20, 2000)}-${month}-${day}`,
      i % 50 === 0 ? '2026-03-31' : '',
    ];
    chunk += `${fields.join(',')}\n`;
    if (i % 5_000 === 0 || i === rows) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end();
  await once(out, 'finish');
  return fs.statSync(file).size;
}

const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-GB');

async function main(): Promise<void> {
  const file = path.join(work as string, 'staff.csv');
  const bytes = await writeStaffFile(file);
  console.error(`Staff file: ${rows.toLocaleString('en-GB')} rows, ${(bytes / 1e6).toFixed(1)} MB`);

  const database = await openDatabase({ databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  await database.migrate();
  const ctx = createServiceContext({
    db: database.db,
    engine: database.engine,
    prepared: database.prepared,
    preparedIn: database.preparedIn,
    cipher: loadFieldCipher(config.dataKey, config.dataDir),
  });
  const tag = randomUUID().slice(0, 8);
  const systemId = randomUUID();
  await ctx.db.insert(systems).values({ id: systemId, slug: `bench-${tag}`, name: 'Bench system' });
  await ctx.db.insert(organisations).values({
    id: randomUUID(),
    slug: `bench-trust-${tag}`,
    name: 'Bench NHS Trust',
    kind: 'nhs-trust',
    systemId,
  });

  let start = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const first = await importStaffAsOperator(ctx, {
    organisation: `bench-trust-${tag}`,
    csv: fs.createReadStream(file),
  });
  const importSeconds = seconds(start);
  const cpu = process.cpuUsage(cpuBefore);
  const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (first.created !== rows || first.rejectedCount !== 0 || first.warnings.length !== 0) {
    throw new Error(
      `The import did not create every row: ${JSON.stringify({ ...first, rejected: first.rejected.slice(0, 5) })}`,
    );
  }

  start = process.hrtime.bigint();
  const again = await importStaffAsOperator(ctx, {
    organisation: `bench-trust-${tag}`,
    csv: fs.createReadStream(file),
  });
  const againSeconds = seconds(start);
  if (again.unchanged !== rows) throw new Error(`The second import changed rows: ${JSON.stringify(again)}`);

  // COPY's table is made and counted by psql, as the connecting user (who owns the schema):
  // the application's role may not create tables.
  const psql = (command: string) =>
    execFileSync('psql', [databaseUrl, '-Atqc', command], { encoding: 'utf8' });
  psql(`create table bench_copy (${STAFF_CSV_COLUMNS.map((c) => `${c} text`).join(', ')})`);
  start = process.hrtime.bigint();
  psql(`\\copy bench_copy from '${file.replace(/'/g, "''")}' with (format csv, header true)`);
  const copySeconds = seconds(start);
  const copiedRows = Number(psql('select count(*) from bench_copy').trim());
  if (copiedRows !== rows) throw new Error(`COPY loaded ${copiedRows} rows, not ${rows}`);
  await database.close();

  const floorOrganisation = randomUUID();
  psql(`grant select on bench_copy to ohwb_app;
    insert into organisations (id, slug, name, kind, system_id)
      values ('${floorOrganisation}', 'bench-floor-${tag}', 'Bench floor', 'nhs-trust', '${systemId}')`);
  const blank = (column: string) => `nullif(${column}, '')`;
  start = process.hrtime.bigint();
  psql(`set role ohwb_app; set ohwb.organisations = 'system';
    insert into people (id, organisation_id, employee_number, given_name, family_name, date_of_birth, email,
      staff_group, job_title, ethnic_category, sex, disability, start_date, end_date)
    select gen_random_uuid(), '${floorOrganisation}', employee_number, first_name, last_name,
      ${blank('date_of_birth')}::date, ${blank('email')}, staff_group, job_title, ${blank('ethnic_category')},
      ${blank('sex')}, ${blank('disability')}, ${blank('start_date')}::date, ${blank('end_date')}::date
    from bench_copy`);
  const floorSeconds = seconds(start);

  const ratio = copySeconds / importSeconds;
  const line = (label: string, s: number) =>
    `${label.padEnd(44)} ${s.toFixed(2).padStart(7)} s ${rate(rows, s).padStart(10)} rows/s`;
  console.log(
    `Staff import of ${rows.toLocaleString('en-GB')} rows (${(bytes / 1e6).toFixed(1)} MB) on PostgreSQL`,
  );
  console.log(line('importStaff, empty organisation', importSeconds));
  console.log(
    `  (of which CPU time in this Node.js process: ${nodeCpuSeconds.toFixed(2)} s: reading, checking, batching)`,
  );
  console.log(line('importStaff again, nothing changes', againSeconds));
  console.log(line('psql \\copy into an unindexed text table', copySeconds));
  console.log(line('INSERT … SELECT of those rows into people', floorSeconds));
  console.log(`Import / COPY: ${ratio.toFixed(2)} (goal ≥ ${GOAL}): ${ratio >= GOAL ? 'met' : 'not met'}`);
  console.log(
    `Import / INSERT into people: ${(floorSeconds / importSeconds).toFixed(2)}; ` +
      `INSERT into people / COPY: ${(copySeconds / floorSeconds).toFixed(2)} (the best any import could reach)`,
  );
}

await main();
