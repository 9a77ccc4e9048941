import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/database.ts';
import { auditEvents, users } from '../../db/schema.ts';
import { type Actor, hasRole } from '../../domain/access/roles.ts';
import { auditContentHash, auditHash, GENESIS_HASH } from '../../domain/audit/audit-chain.ts';
import { Forbidden, Invalid } from '../../domain/shared/errors.ts';
import { inTransaction, onBeforeCommit, type ServiceContext, systemScope } from '../shared/context.ts';
import { isUuid } from '../shared/lookups.ts';

/**
 * Audit lanes: independent hash chains. A transaction appends all its audit rows to
 * one lane, chosen at random, so concurrent transactions rarely queue on one chain head.
 */
export const AUDIT_LANES = 32;

export type AuditEntry = {
  action: string;
  recordType: string;
  recordId: string;
  organisationId: string | null;
  role: string | null;
  reason?: string | null;
};

type PendingAudit = AuditEntry & { userId: string | null; at: Date };
const pending = new WeakMap<Tx, PendingAudit[]>();

/**
 * Records one audit row in the caller's transaction. Rows are written together just
 * before the transaction commits (so they commit with the read or change they
 * describe, or not at all), under a lock on one lane's head taken last of all locks,
 * which keeps concurrent transactions free of deadlocks.
 */
export async function recordAudit(
  tx: Tx,
  ctx: ServiceContext,
  actor: Pick<Actor, 'userId'> | null,
  entry: AuditEntry,
): Promise<void> {
  let rows = pending.get(tx);
  if (!rows) {
    rows = [];
    pending.set(tx, rows);
    onBeforeCommit(tx, (t) => flushAudit(t, ctx));
  }
  rows.push({ ...entry, userId: actor?.userId ?? null, at: ctx.now() });
}

async function flushAudit(tx: Tx, ctx: ServiceContext): Promise<void> {
  const rows = pending.get(tx) ?? [];
  pending.delete(tx);
  await appendAudit(tx, ctx, rows);
}

/**
 * Writes audit rows to one random lane in one statement (the database chains them):
 * in the caller's transaction when given one, otherwise as a prepared statement of its own.
 */
async function appendAudit(q: Queryable | null, ctx: ServiceContext, rows: PendingAudit[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((row) => {
    const fields = {
      id: ctx.newId(),
      at: row.at,
      userId: row.userId,
      role: row.role,
      action: row.action,
      recordType: row.recordType,
      recordId: row.recordId,
      organisationId: row.organisationId,
      reason: row.reason ?? null,
    };
    return { ...fields, at: fields.at.toISOString(), contentHash: auditContentHash(fields) };
  });
  const lane = `lane-${randomInt(AUDIT_LANES)}`;
  const json = JSON.stringify(payload);
  if (q) await q.execute(sql`select audit_append(${lane}, ${json}::jsonb)`);
  else await ctx.prepared('audit-append', 'select audit_append($1, $2::jsonb)', [lane, json]);
}

type Waiter = { resolve: () => void; reject: (error: unknown) => void };
/** Read audits waiting to be written, and whether a write is on its way to the database. */
type ReadAuditQueue = { rows: PendingAudit[]; waiters: Waiter[]; writing: boolean };
const readQueues = new WeakMap<ServiceContext, ReadAuditQueue>();

/**
 * Audits a read that needs no transaction of its own, by group commit: one write is
 * on its way to the database at a time, and every read audited meanwhile goes in the
 * next one, in a single statement. Each caller waits until its row is committed: no
 * clinical data leaves without its audit row, and a busy server writes a statement
 * per batch of reads instead of one per read.
 */
export function auditRead(
  ctx: ServiceContext,
  actor: Pick<Actor, 'userId'>,
  entry: AuditEntry,
): Promise<void> {
  let queue = readQueues.get(ctx);
  if (!queue) {
    queue = { rows: [], waiters: [], writing: false };
    readQueues.set(ctx, queue);
  }
  queue.rows.push({ ...entry, userId: actor.userId, at: ctx.now() });
  const done = new Promise<void>((resolve, reject) => queue.waiters.push({ resolve, reject }));
  // Wait for the rest of this turn of the event loop, so reads arriving together share a write.
  if (!queue.writing) {
    queue.writing = true;
    setImmediate(() => writeReadAudits(ctx, queue));
  }
  return done;
}

function writeReadAudits(ctx: ServiceContext, queue: ReadAuditQueue): void {
  const rows = queue.rows.splice(0);
  const waiters = queue.waiters.splice(0);
  appendAudit(null, ctx, rows)
    .then(
      () => {
        for (const waiter of waiters) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    )
    .finally(() => {
      if (queue.rows.length > 0) writeReadAudits(ctx, queue);
      else queue.writing = false;
    });
}

export type AuditItem = {
  at: string;
  userId: string | null;
  /** The user's display name, for people reading the trail. */
  userName: string | null;
  role: string | null;
  action: string;
  recordId: string;
  recordType: string;
  reason: string | null;
};

const PAGE = 100;

/** Only a system administrator or an OH physician reads the audit trail. */
export function requireAuditReader(actor: Actor): void {
  if (!hasRole(actor, 'sysadmin') && !hasRole(actor, 'oh-physician')) {
    throw new Forbidden('Only a system administrator or an OH physician can read the audit trail.');
  }
}

/**
 * The audit trail of a record, oldest first. Sysadmins see their systems'
 * organisations, OH physicians the organisations their provider serves; rows of
 * other organisations are simply not there. Reading the audit is itself audited.
 */
export async function listAudit(
  ctx: ServiceContext,
  actor: Actor,
  query: { recordId?: string; cursor?: string },
): Promise<{ items: AuditItem[]; next: string | null }> {
  const scope = [
    ...(hasRole(actor, 'sysadmin') ? actor.systemOrganisationIds : []),
    ...actor.physicianOrganisationIds,
  ];
  requireAuditReader(actor);
  if (!query.recordId)
    throw new Invalid('Say which record', [{ path: '/recordId', message: 'Enter a record id' }]);
  if (!isUuid(query.recordId)) return { items: [], next: null };
  const decoded = query.cursor ? Buffer.from(query.cursor, 'base64url').toString() : '0';
  const after = /^\d{1,15}$/.test(decoded) ? Number(decoded) : Number.NaN;
  if (!Number.isSafeInteger(after))
    throw new Invalid('The cursor is not valid.', [
      { path: '/cursor', message: 'Not a cursor from this list' },
    ]);
  return inTransaction(ctx, actor, async (tx) => {
    const rows = scope.length
      ? await tx
          .select({ event: auditEvents, userName: users.displayName })
          .from(auditEvents)
          .leftJoin(users, eq(users.id, auditEvents.userId))
          .where(
            and(
              eq(auditEvents.recordId, query.recordId as string),
              inArray(auditEvents.organisationId, scope),
              gt(auditEvents.seq, after),
            ),
          )
          .orderBy(asc(auditEvents.seq))
          .limit(PAGE + 1)
      : [];
    const page = rows.slice(0, PAGE);
    const first = page[0]?.event;
    if (first) {
      await recordAudit(tx, ctx, actor, {
        action: 'audit.read',
        recordType: first.recordType,
        recordId: first.recordId,
        organisationId: first.organisationId,
        role: hasRole(actor, 'sysadmin') ? 'sysadmin' : 'oh-physician',
      });
    }
    const last = page[page.length - 1]?.event;
    return {
      items: page.map(({ event: r, userName }) => ({
        at: r.at.toISOString(),
        userId: r.userId,
        userName,
        role: r.role,
        action: r.action,
        recordId: r.recordId,
        recordType: r.recordType,
        reason: r.reason,
      })),
      next: rows.length > PAGE && last ? Buffer.from(String(last.seq)).toString('base64url') : null,
    };
  });
}

/**
 * Verifies the hash chain of every lane that holds rows of the given organisations,
 * a page at a time; returns the broken lanes (empty when intact).
 */
export async function verifyAuditChains(ctx: ServiceContext, organisationIds: string[]): Promise<string[]> {
  if (organisationIds.length === 0) return [];
  // System scope: a lane holds rows of every organisation, and the whole lane is checked.
  return inTransaction(ctx, systemScope('audit-verify'), async (tx) => {
    const laneRows = await tx
      .selectDistinct({ lane: auditEvents.lane })
      .from(auditEvents)
      .where(inArray(auditEvents.organisationId, organisationIds));
    const broken: string[] = [];
    for (const { lane } of laneRows) {
      let previous = GENESIS_HASH;
      let after = 0;
      for (;;) {
        const page = await tx
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.lane, lane), gt(auditEvents.seq, after)))
          .orderBy(asc(auditEvents.seq))
          .limit(5000);
        if (page.length === 0) break;
        const bad = page.find((row) => {
          const ok = row.previousHash === previous && auditHash(previous, row) === row.hash;
          previous = row.hash;
          return !ok;
        });
        if (bad) {
          broken.push(lane);
          break;
        }
        after = page[page.length - 1]?.seq ?? after;
      }
    }
    return broken;
  });
}
