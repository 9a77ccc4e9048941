import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** A Drizzle database on either engine. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction on either engine. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either a database or a transaction: query functions accept both. */
export type Queryable = Db | Tx;

/**
 * Runs a hand-written hot-path statement by name. On a PostgreSQL server it is a
 * named prepared statement, planned once per connection instead of on every call
 * (planning a case read costs more than running it); PGlite runs it directly.
 */
export type PreparedQuery = <T>(name: string, text: string, params: unknown[]) => Promise<T[]>;

export type Database = {
  db: Db;
  engine: 'pglite' | 'postgres';
  prepared: PreparedQuery;
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
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    prepared: async <T>(_name: string, text: string, params: unknown[]) =>
      (await client.query<T>(text, params)).rows,
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    close: () => client.close(),
  };
}

async function openServer(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    prepared: async <T>(name: string, text: string, params: unknown[]) =>
      (await pool.query({ name, text, values: params })).rows as T[],
    migrate: async () => {
      // Several `ohwb serve` processes may start together: one migrates, the others wait.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(727001)');
        await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock(727001)').catch(() => undefined);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
