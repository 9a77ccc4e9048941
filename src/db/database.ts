import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';
import { APP_ROLE, SCOPE_SETTING, SYSTEM_SCOPE_VALUE } from './scope.ts';

export type Schema = typeof schema;
/** A Drizzle database on either engine. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction on either engine. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either a database or a transaction: query functions accept both. */
export type Queryable = Db | Tx;

/** The rows of a hand-written statement, on either engine (both drivers answer `{ rows }`). */
export async function rowsOf<T>(q: Queryable, query: SQL): Promise<T[]> {
  return ((await q.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * A json value from a hand-written statement, as the application uses it: parsed, whether the
 * driver handed it back parsed or as text.
 */
export function jsonValue<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * Runs a hand-written hot-path statement by name. On a PostgreSQL server it is a
 * named prepared statement, planned once per connection instead of on every call
 * (planning a case read costs more than running it); PGlite runs it directly.
 */
export type PreparedQuery = <T>(name: string, text: string, params: unknown[]) => Promise<T[]>;

export type Database = {
  /** Queries as the application role, under row-level security (see `./scope.ts`). */
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Named statements on the pool, each outside any transaction (so under no scope of its own). */
  prepared: PreparedQuery;
  /**
   * Named statements on a transaction's own connection, so they run under its scope and
   * see its writes (on a server, still prepared once per connection).
   */
  preparedIn(tx: Tx): PreparedQuery;
  /** Applies pending migrations as the connecting user (who owns the tables), in system scope. */
  migrate(): Promise<void>;
  close(): Promise<void>;
};

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens PostgreSQL: a server when `databaseUrl` is set, otherwise embedded PGlite in `dataDir`. */
export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
}): Promise<Database> {
  if (options.databaseUrl) return openServer(options.databaseUrl, options.poolSize ?? 20);
  const inMemory = options.dataDir.startsWith('memory://');
  const dir = inMemory ? options.dataDir : path.join(options.dataDir, 'pg');
  if (!inMemory) fs.mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, { extensions: { btree_gist } });
  const run = async (text: string) => (await client.query<Record<string, unknown>>(text)).rows;
  // PGlite is one connection, shared by migrations and the application: it takes the
  // application role as soon as a migrated database has one, and again after migrating.
  if ((await run(`select 1 from pg_roles where rolname = '${APP_ROLE}'`)).length > 0) await enterAppRole(run);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    prepared: async <T>(_name: string, text: string, params: unknown[]) =>
      (await client.query<T>(text, params)).rows,
    preparedIn: (tx) => {
      // Not the database itself: outside its transaction, a statement would wait for it to end.
      const connection = connectionOf(tx, (c): c is PgliteTransaction => !(c instanceof PGlite));
      return async <T>(_name: string, text: string, params: unknown[]) =>
        (await connection.query<T>(text, params)).rows;
    },
    migrate: async () => {
      await run('reset role');
      try {
        await asMigration(run, () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }));
      } catch (error) {
        // Never leave the shared connection as the owner: back to the role, or closed.
        await enterAppRole(run).catch(() => client.close());
        throw error;
      }
      await enterAppRole(run);
    },
    close: () => client.close(),
  };
}

async function openServer(url: string, max: number): Promise<Database> {
  // Every pooled connection switches to the application role before its first query;
  // a connection that cannot is closed and its error goes to the query that asked for it.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    onConnect: (client) => enterAppRole(async (text) => (await client.query(text)).rows),
  });
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    prepared: async <T>(name: string, text: string, params: unknown[]) =>
      (await pool.query({ name, text, values: params })).rows as T[],
    preparedIn: (tx) => {
      // One pooled connection, not the pool, which would run the statement outside the transaction.
      const connection = connectionOf(tx, (c): c is pg.PoolClient => c instanceof pg.Client);
      return async <T>(name: string, text: string, params: unknown[]) =>
        (await connection.query({ name, text, values: params })).rows as T[];
    },
    migrate: async () => {
      // A connection of its own, outside the pool: migrations run as the connecting user,
      // who owns the tables and creates the application role on the first run.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // Several `ohwb serve` processes may start together: one migrates, the others wait.
        await client.query('select pg_advisory_lock(727001)');
        await asMigration(
          async (text) => (await client.query(text)).rows,
          () => migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder }),
        );
      } finally {
        await client.query('select pg_advisory_unlock(727001)').catch(() => undefined);
        await client.end();
      }
      // Take a pooled connection now, so a role that cannot be used fails the start, not a request.
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/**
 * The driver's connection that a Drizzle transaction runs on (Drizzle keeps it as its
 * session's `client`). Throws when it is not one a transaction holds, e.g. for the
 * database itself, so a statement can never slip outside the transaction's scope.
 */
function connectionOf<C>(tx: Tx, isTransactionConnection: (client: unknown) => client is C): C {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (client === undefined || client === null || !isTransactionConnection(client)) {
    throw new Error('preparedIn needs a transaction (the tx of inTransaction), not the database.');
  }
  return client;
}

type RunSql = (text: string) => Promise<Record<string, unknown>[]>;

/**
 * Runs the migrations in system scope (a backfill must reach every organisation, and
 * the owner is held by the policies too), and turns a failed statement's error into
 * the database's own message, which says what to do.
 */
async function asMigration(run: RunSql, migrate: () => Promise<void>): Promise<void> {
  await run(`select set_config('${SCOPE_SETTING}', '${SYSTEM_SCOPE_VALUE}', false)`);
  try {
    await migrate();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof Error ? new Error(`Migration failed: ${cause.message}`, { cause: error }) : error;
  } finally {
    await run(`select set_config('${SCOPE_SETTING}', '', false)`);
  }
}

/**
 * Switches a connection to the application role and checks that the wall holds: the
 * role neither is a superuser nor bypasses row-level security, and no default scope
 * is configured for the database or user. Throws, saying what to do, when not.
 */
async function enterAppRole(run: RunSql): Promise<void> {
  try {
    await run(`set role ${APP_ROLE}`);
  } catch (error) {
    throw new Error(
      `OHWB could not switch to the database role ${APP_ROLE}: ${(error as Error).message}. ` +
        'Run `ohwb migrate` as the database owner, or see docs/operations.md ("The database role").',
      { cause: error },
    );
  }
  const [row] = await run(
    `select r.rolsuper or r.rolbypassrls as bypasses, coalesce(current_setting('${SCOPE_SETTING}', true), '') as scope
       from pg_roles r where r.rolname = current_user`,
  );
  if (row?.bypasses !== false) {
    throw new Error(
      `The database role ${APP_ROLE} bypasses row-level security. Run: ALTER ROLE ${APP_ROLE} NOSUPERUSER NOBYPASSRLS;`,
    );
  }
  if (row.scope !== '') {
    throw new Error(
      `${SCOPE_SETTING} has a default (${String(row.scope)}), which would widen or narrow every query. ` +
        `Remove it: ALTER DATABASE … RESET ${SCOPE_SETTING}; ALTER ROLE … RESET ${SCOPE_SETTING};`,
    );
  }
}
