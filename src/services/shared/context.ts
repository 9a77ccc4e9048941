import { randomUUID } from 'node:crypto';
import type { Db, PreparedQuery, Tx } from '../../db/database.ts';
import type { FieldCipher } from '../../db/field-cipher.ts';

/** What every use case needs: the database, the field cipher, a clock and an id source. */
export type ServiceContext = {
  db: Db;
  /** Named prepared statements for the hottest reads. */
  prepared: PreparedQuery;
  engine: 'pglite' | 'postgres';
  cipher: FieldCipher;
  now: () => Date;
  newId: () => string;
  /** How long a resolved session may be reused without asking the database (0: never). */
  sessionCacheSeconds: number;
};

/** A context on the real clock and random UUIDs. */
export function createServiceContext(
  input: Pick<ServiceContext, 'db' | 'engine' | 'cipher' | 'prepared'> & { sessionCacheSeconds?: number },
): ServiceContext {
  return { sessionCacheSeconds: 0, ...input, now: () => new Date(), newId: () => randomUUID() };
}

/** Work to run at the end of a transaction, just before it commits (the audit flush). */
type BeforeCommit = (tx: Tx) => Promise<void>;
const beforeCommit = new WeakMap<Tx, BeforeCommit[]>();

/**
 * Registers work to run at the end of the current transaction. Throws when `tx` was
 * not opened by `inTransaction`, so nothing registered here can be silently dropped.
 */
export function onBeforeCommit(tx: Tx, work: BeforeCommit): void {
  const queue = beforeCommit.get(tx);
  if (!queue) throw new Error('onBeforeCommit needs a transaction opened by inTransaction.');
  if (!queue.includes(work)) queue.push(work);
}

/**
 * Runs a use case in one transaction: loads, rules, writes and audit commit together
 * or not at all. Work registered with `onBeforeCommit` runs last, inside the transaction.
 */
export function inTransaction<T>(ctx: ServiceContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    beforeCommit.set(tx, []);
    const result = await work(tx);
    for (const run of beforeCommit.get(tx) ?? []) await run(tx);
    return result;
  });
}
