import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { auditEvents } from '../../db/schema.ts';
import { type Actor, hasRole } from '../../domain/access/roles.ts';
import { auditHash, findChainBreak, GENESIS_HASH } from '../../domain/audit/audit-chain.ts';
import { Forbidden, Invalid } from '../../domain/shared/errors.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { isUuid } from '../shared/lookups.ts';

/** Lanes per organisation: concurrent transactions append to different chains. */
const LANES = 8;

export type AuditEntry = {
  action: string;
  recordType: string;
  recordId: string;
  organisationId: string | null;
  role: string | null;
  reason?: string | null;
};

/**
 * Appends one audit row inside the caller's transaction, chained to the head of a
 * lane. The lane head is locked for the rest of the transaction, so two rows can
 * never claim the same predecessor; a random lane keeps contention low.
 */
export async function recordAudit(
  tx: Tx,
  ctx: ServiceContext,
  actor: Pick<Actor, 'userId'> | null,
  entry: AuditEntry,
): Promise<void> {
  const lane = `${entry.organisationId ?? 'platform'}:${randomInt(LANES)}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lane}, 0))`);
  const [head] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.lane, lane))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const previousHash = head?.hash ?? GENESIS_HASH;
  const fields = {
    id: ctx.newId(),
    at: ctx.now(),
    userId: actor?.userId ?? null,
    role: entry.role,
    action: entry.action,
    recordType: entry.recordType,
    recordId: entry.recordId,
    organisationId: entry.organisationId,
    reason: entry.reason ?? null,
  };
  await tx
    .insert(auditEvents)
    .values({ ...fields, lane, previousHash, hash: auditHash(previousHash, fields) });
}

export type AuditItem = {
  at: string;
  userId: string | null;
  role: string | null;
  action: string;
  recordId: string;
  recordType: string;
  reason: string | null;
};

const PAGE = 100;

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
    ...(hasRole(actor, 'oh-physician') ? actor.ohOrganisationIds : []),
  ];
  if (!hasRole(actor, 'sysadmin') && !hasRole(actor, 'oh-physician')) {
    throw new Forbidden('Only a system administrator or an OH physician can read the audit trail.');
  }
  if (!query.recordId)
    throw new Invalid('Say which record', [{ path: '/recordId', message: 'Enter a record id' }]);
  if (!isUuid(query.recordId)) return { items: [], next: null };
  const after = query.cursor ? Number(Buffer.from(query.cursor, 'base64url').toString()) : 0;
  if (!Number.isSafeInteger(after))
    throw new Invalid('The cursor is not valid.', [
      { path: '/cursor', message: 'Not a cursor from this list' },
    ]);
  return inTransaction(ctx, async (tx) => {
    const rows = scope.length
      ? await tx
          .select()
          .from(auditEvents)
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
    const first = page[0];
    if (first) {
      await recordAudit(tx, ctx, actor, {
        action: 'audit.read',
        recordType: first.recordType,
        recordId: first.recordId,
        organisationId: first.organisationId,
        role: hasRole(actor, 'sysadmin') ? 'sysadmin' : 'oh-physician',
      });
    }
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        at: r.at.toISOString(),
        userId: r.userId,
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

/** Verifies every lane of the given organisations; returns the broken lanes (empty when intact). */
export async function verifyAuditChains(ctx: ServiceContext, organisationIds: string[]): Promise<string[]> {
  const lanes = organisationIds.flatMap((id) => Array.from({ length: LANES }, (_, i) => `${id}:${i}`));
  if (lanes.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(or(...lanes.map((l) => eq(auditEvents.lane, l))))
    .orderBy(asc(auditEvents.seq));
  const broken: string[] = [];
  for (const lane of lanes) {
    if (findChainBreak(rows.filter((r) => r.lane === lane))) broken.push(lane);
  }
  return broken;
}
