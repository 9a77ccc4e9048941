import type { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { asc, eq, inArray, or } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { ohProviders, organisations, people, providerClients } from '../../db/schema.ts';
import {
  canImportStaff,
  canSeeOrganisation,
  type OrganisationSituation,
} from '../../domain/access/organisation.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { Forbidden, Invalid, NotFound } from '../../domain/shared/errors.ts';
import { londonDate } from '../../domain/time/london.ts';
import {
  type ColumnPositions,
  duplicateRowMessage,
  readStaffHeader,
  readStaffRow,
  rowMessage,
  type StaffRecord,
} from '../../domain/workforce/staff-record.rules.ts';
import { inTransaction, organisationsScope, type ServiceContext } from '../shared/context.ts';

/** A row the import could not keep, or kept with a caveat: its line in the file (1 = header) and why. */
export type ImportNote = { line: number; message: string };

/** What an import did (API.md: `{created, updated, left, rejected}`, plus the counts that explain them). */
export type StaffImportResult = {
  /** People new to the organisation. */
  created: number;
  /** People whose record changed, other than by leaving. */
  updated: number;
  /** People whose end date this import set (they had none before). */
  left: number;
  /** Rows identical to the record already held. */
  unchanged: number;
  /** Bad rows, skipped, soonest line first; at most REJECTED_LISTED of them (see rejectedCount). */
  rejected: ImportNote[];
  /** How many rows were rejected in all. */
  rejectedCount: number;
  /** Rows kept without their manager, because no one has that employee number. */
  warnings: ImportNote[];
};

/** How far an import has got: bytes of the file read, and rows read. */
export type ImportProgress = { bytes: number; rows: number };

export type StaffImportInput = {
  /** The organisation's slug. */
  organisation: string;
  /** The CSV file, read as it arrives: it is never held in memory whole. */
  csv: Readable;
  /** Called as the file is read (about every thousand rows, and at the end). */
  onProgress?: (progress: ImportProgress) => void;
};

/** Rows written per statement: large enough that a round trip is cheap per row, small enough to stream. */
export const IMPORT_BATCH_SIZE = 2_000;
/** Rejected rows listed in a result; a broken file of millions of rows still gets a reply of bounded size. */
export const REJECTED_LISTED = 10_000;
/** The longest row read; a longer one is rejected rather than held (no real staff row is near it). */
const MAX_ROW_BYTES = 64 * 1024;

/**
 * Loads an organisation's staff feed (API.md: `POST /api/v1/imports/staff`): one CSV row
 * per person, keyed by employee number. A sysadmin of the organisation's system, or an OH
 * administrator of a provider serving it. Someone who may not know the organisation
 * exists gets NotFound; a header that is not the staff header is Invalid, before anything
 * is written. Each bad row is reported with its line and skipped; good rows land in
 * batches, each batch committed as it is written, so a large file streams: memory holds
 * one small entry per employee number (to find duplicates and link managers), never rows.
 *
 * The file is a full snapshot, as ESR feeds are: a blank optional field means "unknown
 * now", so it clears what was held. Re-importing the same file changes nothing.
 */
export async function importStaff(
  ctx: ServiceContext,
  actor: Actor,
  input: StaffImportInput,
): Promise<StaffImportResult> {
  const organisation = await findOrganisation(ctx, input.organisation);
  const situation = organisation ? await situationOf(ctx, organisation) : null;
  if (!organisation || !situation || !canSeeOrganisation(actor, situation)) {
    throw new NotFound(`No organisation called “${input.organisation}”.`);
  }
  if (!canImportStaff(actor, situation)) {
    throw new Forbidden(
      'Only a system administrator, or an OH administrator of a provider that serves this organisation, can import its staff.',
    );
  }
  return runImport(ctx, organisation.id, input);
}

/**
 * The same import run by the platform operator from the command line (`ohwb import
 * staff`): no user is signed in, and whoever can run the command already holds the
 * database, so there is no permission to check. API and page callers use importStaff.
 */
export async function importStaffAsOperator(
  ctx: ServiceContext,
  input: StaffImportInput,
): Promise<StaffImportResult> {
  const organisation = await findOrganisation(ctx, input.organisation);
  if (!organisation) throw new NotFound(`No organisation called “${input.organisation}”.`);
  return runImport(ctx, organisation.id, input);
}

/** The organisations whose staff the actor may import, by name (the import page's choices). */
export async function listImportableOrganisations(
  ctx: ServiceContext,
  actor: Actor,
): Promise<Array<{ slug: string; name: string }>> {
  const hostsOf = (role: 'oh-admin' | 'sysadmin') =>
    actor.grants.filter((g) => g.role === role).map((g) => g.organisationId);
  const adminHosts = hostsOf('oh-admin');
  const sysadminOf = hostsOf('sysadmin');
  const served =
    adminHosts.length === 0
      ? []
      : await ctx.db
          .select({ id: providerClients.organisationId })
          .from(providerClients)
          .innerJoin(ohProviders, eq(ohProviders.id, providerClients.providerId))
          .where(inArray(ohProviders.hostOrganisationId, adminHosts));
  const systemIds =
    sysadminOf.length === 0
      ? []
      : (
          await ctx.db
            .selectDistinct({ id: organisations.systemId })
            .from(organisations)
            .where(inArray(organisations.id, sysadminOf))
        ).map((s) => s.id);
  const servedIds = served.map((s) => s.id);
  if (servedIds.length === 0 && systemIds.length === 0) return [];
  return ctx.db
    .select({ slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .where(
      or(
        servedIds.length ? inArray(organisations.id, servedIds) : undefined,
        systemIds.length ? inArray(organisations.systemId, systemIds) : undefined,
      ),
    )
    .orderBy(asc(organisations.name));
}

async function findOrganisation(ctx: ServiceContext, slug: string) {
  const [organisation] = await ctx.db
    .select({ id: organisations.id, systemId: organisations.systemId })
    .from(organisations)
    .where(eq(organisations.slug, slug))
    .limit(1);
  return organisation ?? null;
}

/** What the import policy needs to know about an organisation: its system's members and its OH providers' hosts. */
async function situationOf(
  ctx: ServiceContext,
  organisation: { id: string; systemId: string },
): Promise<OrganisationSituation> {
  const members = await ctx.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.systemId, organisation.systemId));
  const hosts = await ctx.db
    .select({ hostId: ohProviders.hostOrganisationId })
    .from(providerClients)
    .innerJoin(ohProviders, eq(ohProviders.id, providerClients.providerId))
    .where(eq(providerClients.organisationId, organisation.id));
  return {
    organisationId: organisation.id,
    systemOrganisationIds: members.map((m) => m.id),
    providerHostIds: hosts.map((h) => h.hostId),
  };
}

/** A row written before its manager's row was read (it may come later in the file, or never). */
type ManagerReference = { line: number; employeeNumber: string; written: boolean };

/** A good row waiting to be written, with the line it came from and the ids it resolves to. */
type PendingRow = {
  line: number;
  record: StaffRecord;
  id: string;
  managerId: string | null;
  /** Set when the manager's row has not been read yet. */
  reference: ManagerReference | null;
};

/** The people already held, by employee number: their id, and whether they have left. */
type KnownPerson = { id: string; left: boolean };

const UPDATABLE = [
  'given_name',
  'family_name',
  'date_of_birth',
  'email',
  'staff_group',
  'job_title',
  'manager_id',
  'ethnic_category',
  'sex',
  'disability',
  'start_date',
  'end_date',
] as const;

/**
 * One statement per batch: insert new people, update those whose row differs, leave the
 * rest untouched (`IS DISTINCT FROM`, so blanks compare), and return the employee numbers
 * of the rows it wrote. Ids and managers come resolved from the import. For rows whose
 * manager has not been read yet, a different manager alone is not a change: the link is
 * settled once the whole file is read (see settleManagers), so an unknown manager number
 * does not rewrite the row on every import.
 */
function upsertSql(compareManager: boolean): string {
  const compared = UPDATABLE.filter((c) => compareManager || c !== 'manager_id');
  return `
insert into people as p (id, organisation_id, employee_number, ${UPDATABLE.join(', ')})
select id, $1::uuid, employee_number, ${UPDATABLE.join(', ')}
from json_to_recordset($2::json) as x(
  id uuid, employee_number text, given_name text, family_name text, date_of_birth date, email text,
  staff_group text, job_title text, manager_id uuid, ethnic_category text, sex text, disability text,
  start_date date, end_date date)
on conflict (organisation_id, employee_number) do update set
  ${UPDATABLE.map((c) => `${c} = excluded.${c}`).join(', ')}
where (${compared.map((c) => `p.${c}`).join(', ')}) is distinct from (${compared.map((c) => `excluded.${c}`).join(', ')})
returning p.employee_number`;
}
const UPSERT_SQL = upsertSql(true);
const UPSERT_AWAITING_MANAGER_SQL = upsertSql(false);

/** Sets the manager of people by employee number where it differs; returns those it changed. */
const SET_MANAGERS_SQL = `
update people p set manager_id = v.manager_id
from json_to_recordset($2::json) as v(employee_number text, manager_id uuid)
where p.organisation_id = $1::uuid and p.employee_number = v.employee_number
  and p.manager_id is distinct from v.manager_id
returning p.employee_number`;

/** Messages for what csv-parse cannot read, in words a person with a spreadsheet can act on. */
function unreadableRowMessage(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A quoted value that starts on this line is never closed, so the rest of the file could not be read. Close the quote, or double any quote inside a value ("").';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'A quoted value has more text after its closing quote. Put the whole value in quotes and double any quote inside it ("").';
    case 'CSV_MAX_RECORD_SIZE':
      return `The row is longer than ${MAX_ROW_BYTES / 1024} KB, far longer than any staff record, so the rest of the file could not be read. Look for a quoted value that is never closed.`;
    default:
      return `The row could not be read as CSV (${error.code}).`;
  }
}

/** The line breaks inside a record's quoted values (a CRLF pair is one), as a text editor counts lines. */
function lineBreaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) {
    if (field.indexOf('\n') === -1 && field.indexOf('\r') === -1) continue;
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      if (c === 13 && field.charCodeAt(i + 1) === 10) i++;
      if (c === 10 || c === 13) breaks++;
    }
  }
  return breaks;
}

/** A blank line, or a row of empty values (spreadsheets save empty rows as a line of commas). */
const isBlankRecord = (record: readonly string[]) => record.every((value) => value.trim() === '');

/** The JSON row the upsert reads, keyed by the column names of json_to_recordset. */
function toJsonRow(row: PendingRow) {
  const r = row.record;
  return {
    id: row.id,
    employee_number: r.employeeNumber,
    given_name: r.givenName,
    family_name: r.familyName,
    date_of_birth: r.dateOfBirth,
    email: r.email,
    staff_group: r.staffGroup,
    job_title: r.jobTitle,
    manager_id: row.managerId,
    ethnic_category: r.ethnicCategory,
    sex: r.sex,
    disability: r.disability,
    start_date: r.startDate,
    end_date: r.endDate,
  };
}

/**
 * Runs an import's statements in a transaction under the scope of the one organisation
 * whose staff it loads, whoever runs it: an OH administrator or sysadmin, whose own reach
 * is wider, or the operator at the command line, who has none (docs/security.md).
 */
function inImportScope<T>(
  ctx: ServiceContext,
  organisationId: string,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx, organisationsScope('staff-import', [organisationId]), work);
}

/** The people of an organisation already on record, by employee number. */
async function knownPeople(ctx: ServiceContext, organisationId: string): Promise<Map<string, KnownPerson>> {
  const rows = await inImportScope(ctx, organisationId, (tx) =>
    tx
      .select({ employeeNumber: people.employeeNumber, id: people.id, endDate: people.endDate })
      .from(people)
      .where(eq(people.organisationId, organisationId)),
  );
  return new Map(rows.map((r) => [r.employeeNumber, { id: r.id, left: r.endDate !== null }]));
}

async function runImport(
  ctx: ServiceContext,
  organisationId: string,
  input: StaffImportInput,
): Promise<StaffImportResult> {
  const today = londonDate(ctx.now());
  const result: StaffImportResult = {
    created: 0,
    updated: 0,
    left: 0,
    unchanged: 0,
    rejected: [],
    rejectedCount: 0,
    warnings: [],
  };
  const reject = (line: number, message: string) => {
    result.rejectedCount++;
    if (result.rejected.length < REJECTED_LISTED) result.rejected.push({ line, message });
  };
  // Memory grows with the number of people, never with the size of the file: one entry per
  // employee number, to find duplicates and to link managers without reading anything twice.
  let known = new Map<string, KnownPerson>();
  /** Ids given to people new to the organisation, made when their row, or a reference to them, is read. */
  const newIds = new Map<string, string>();
  /** The first line of each employee number whose row was kept, to reject a later duplicate. */
  const firstLineOf = new Map<string, number>();
  /** Rows written before their manager's row was read, by the manager's employee number. */
  const awaiting = new Map<string, ManagerReference[]>();
  const idOf = (employeeNumber: string): string => {
    const id = known.get(employeeNumber)?.id ?? newIds.get(employeeNumber);
    if (id) return id;
    const made = ctx.newId();
    newIds.set(employeeNumber, made);
    return made;
  };

  // A batch is one transaction: its rows are committed together, as soon as it is written.
  const writeBatch = async (rows: PendingRow[]): Promise<void> => {
    const written = new Set<string>();
    await inImportScope(ctx, organisationId, async (tx) => {
      for (const [statement, sqlText, group] of [
        ['ohwb_staff_import_upsert', UPSERT_SQL, rows.filter((r) => r.reference === null)],
        ['ohwb_staff_import_upsert_awaiting', UPSERT_AWAITING_MANAGER_SQL, rows.filter((r) => r.reference)],
      ] as const) {
        if (group.length === 0) continue;
        const json = JSON.stringify(group.map(toJsonRow));
        const returned = await ctx.preparedIn(tx)<{ employee_number: string }>(statement, sqlText, [
          organisationId,
          json,
        ]);
        for (const r of returned) written.add(r.employee_number);
      }
    });
    for (const row of rows) {
      const number = row.record.employeeNumber;
      if (row.reference) row.reference.written = written.has(number);
      if (!written.has(number)) {
        result.unchanged++;
        continue;
      }
      const before = known.get(number);
      if (!before) result.created++;
      else if (!before.left && row.record.endDate !== null) result.left++;
      else result.updated++;
    }
  };

  const parser = parse({
    bom: true,
    relax_column_count: true,
    // A stray quote inside an unquoted value (5'10" tall) is kept as text, not an error.
    relax_quotes: true,
    // Blank lines come through as one empty value, so the line count stays exact; they are skipped below.
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_ROW_BYTES,
  });
  const unreadable: CsvError[] = [];
  parser.on('skip', (error: CsvError) => unreadable.push(error));
  const source = input.csv;
  // Not stream.pipeline: that would destroy the source on a refusal, and for an upload the
  // source is the request, which must stay open for the reply. A broken source still ends the parse.
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  let header: { positions: ColumnPositions; count: number } | null = null;
  /** The line the next record starts on, counted as a text editor counts lines (1 = header). */
  let nextLine = 1;
  let rows = 0;
  let batch: PendingRow[] = [];
  // Batches are written while the next is read, so the parser and the database work side
  // by side; on a PostgreSQL server two at once, on two connections (their employee
  // numbers differ, so they never wait for each other). PGlite has one connection.
  const inFlight: Array<Promise<unknown>> = [];
  const maxInFlight = ctx.engine === 'postgres' ? 2 : 1;
  const settle = async (count: number) => {
    while (inFlight.length > count) {
      const failure = await inFlight.shift();
      if (failure) throw failure;
    }
  };
  const flush = async () => {
    if (batch.length === 0) return;
    await settle(maxInFlight - 1);
    const rowsToWrite = batch;
    batch = [];
    inFlight.push(
      writeBatch(rowsToWrite).then(
        () => null,
        (error: unknown) => error,
      ),
    );
  };

  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1 + lineBreaksIn(record);
      if (isBlankRecord(record)) continue;
      if (header === null) {
        const read = readStaffHeader(record);
        if ('message' in read) throw new Invalid(read.message, [{ path: '/', message: read.message }]);
        header = { positions: read.positions, count: record.length };
        known = await knownPeople(ctx, organisationId);
        continue;
      }
      rows++;
      const read = readStaffRow(record, header.positions, header.count, today);
      if ('errors' in read) {
        reject(line, rowMessage(read.errors));
      } else {
        const person = read.record;
        const first = firstLineOf.get(person.employeeNumber);
        if (first !== undefined) {
          reject(line, rowMessage([duplicateRowMessage(person.employeeNumber, first)]));
        } else {
          firstLineOf.set(person.employeeNumber, line);
          const manager = person.managerEmployeeNumber;
          // A manager not yet read and not on record may come later in the file: link to the
          // id they will have, and settle it once the whole file is read.
          const reference =
            manager !== null && !firstLineOf.has(manager) && !known.has(manager)
              ? { line, employeeNumber: person.employeeNumber, written: false }
              : null;
          if (reference && manager !== null) {
            const list = awaiting.get(manager);
            if (list) list.push(reference);
            else awaiting.set(manager, [reference]);
          }
          batch.push({
            line,
            record: person,
            id: idOf(person.employeeNumber),
            managerId: manager === null ? null : idOf(manager),
            reference,
          });
          if (batch.length >= IMPORT_BATCH_SIZE) await flush();
        }
      }
      if (rows % 1000 === 0) input.onProgress?.({ bytes: parser.info.bytes, rows });
    }
    await flush();
    await settle(0);
  } finally {
    // A refusal part way leaves batches in flight: let them finish (their rows are good) before replying.
    await Promise.all(inFlight);
    if (!source.readableEnded) {
      // Refused or failed part way: read the rest of an upload to nothing, so the reply can be sent.
      source.unpipe(parser);
      source.resume();
    }
  }
  if (header === null) {
    const message = 'The file is empty. The first line must be the header of the staff file.';
    throw new Invalid(message, [{ path: '/', message }]);
  }
  const unreadableLines = new Set<number>();
  for (const error of unreadable) {
    // These two end the parse: the row that caused them starts after the last record read.
    const ends = error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE';
    const line = ends ? nextLine : Number(error.lines ?? nextLine);
    // One broken row may raise several errors: report it once.
    if (unreadableLines.has(line)) continue;
    unreadableLines.add(line);
    reject(line, unreadableRowMessage(error));
    rows++;
  }
  await settleManagers(ctx, organisationId, { awaiting, firstLineOf, newIds }, result);
  result.rejected.sort((a, b) => a.line - b.line);
  input.onProgress?.({ bytes: parser.info.bytes, rows });
  return result;
}

/**
 * Once the whole file is read, settles the rows written before their manager's row: a
 * manager who turned up is linked to the rows that were left unwritten (nothing else in
 * them had changed); a manager number that matches no one is removed from every row that
 * named it, with a warning. A row changed only here counts as updated.
 */
async function settleManagers(
  ctx: ServiceContext,
  organisationId: string,
  file: {
    awaiting: Map<string, ManagerReference[]>;
    firstLineOf: Map<string, number>;
    newIds: Map<string, string>;
  },
  result: StaffImportResult,
): Promise<void> {
  const changes: Array<{ employee_number: string; manager_id: string | null; reference: ManagerReference }> =
    [];
  for (const [manager, references] of file.awaiting) {
    const arrived = file.firstLineOf.has(manager);
    for (const reference of references) {
      if (arrived && reference.written) continue;
      if (!arrived) {
        result.warnings.push({
          line: reference.line,
          message: `No one has the employee number “${manager}” given in manager_employee_number, in this file or among the organisation’s staff. The person was saved without a manager.`,
        });
      }
      changes.push({
        employee_number: reference.employeeNumber,
        manager_id: arrived ? (file.newIds.get(manager) ?? null) : null,
        reference,
      });
    }
  }
  result.warnings.sort((a, b) => a.line - b.line);
  for (let start = 0; start < changes.length; start += IMPORT_BATCH_SIZE) {
    const chunk = changes.slice(start, start + IMPORT_BATCH_SIZE);
    const json = JSON.stringify(
      chunk.map(({ employee_number, manager_id }) => ({ employee_number, manager_id })),
    );
    const changed = await inImportScope(ctx, organisationId, (tx) =>
      ctx.preparedIn(tx)<{ employee_number: string }>('ohwb_staff_import_set_managers', SET_MANAGERS_SQL, [
        organisationId,
        json,
      ]),
    );
    const changedNumbers = new Set(changed.map((c) => c.employee_number));
    for (const { reference } of chunk) {
      if (changedNumbers.has(reference.employeeNumber) && !reference.written) {
        result.unchanged--;
        result.updated++;
      }
    }
  }
}
