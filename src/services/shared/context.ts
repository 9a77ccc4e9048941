import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/database.ts';
import type { FieldCipher } from '../../db/field-cipher.ts';

/** What every use case needs: the database, the field cipher, a clock and an id source. */
export type ServiceContext = {
  db: Db;
  engine: 'pglite' | 'postgres';
  cipher: FieldCipher;
  now: () => Date;
  newId: () => string;
};

/** A context on the real clock and random UUIDs. */
export function createServiceContext(
  input: Pick<ServiceContext, 'db' | 'engine' | 'cipher'>,
): ServiceContext {
  return { ...input, now: () => new Date(), newId: () => randomUUID() };
}

/** Runs a use case in one transaction: loads, rules, writes and audit commit together or not at all. */
export function inTransaction<T>(ctx: ServiceContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(work);
}

/** Rows of a raw query on either engine. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
