import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { auditEvents } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { verifyAuditChains } from '../../src/services/audit/audit.service.ts';
import { caseAt, createWorld, errorPathsOf, problemOf, type TestUser } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const newWorld = () => createWorld(server.app, server.ctx);
const audit = (who: TestUser, query: string) => who.api('GET', `/api/v1/audit?${query}`);
type Item = {
  at: string;
  userId: string | null;
  role: string | null;
  action: string;
  recordId: string;
  recordType: string;
  reason: string | null;
};

describe(`GET /api/v1/audit on ${engine}`, () => {
  it('shows the sysadmin and the OH physician the trail of a case, oldest first', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    for (const who of [world.sysadmin, world.physician]) {
      const response = await audit(who, `recordId=${caseId}`);
      expect(response.statusCode).toBe(200);
      const items = response.json().items as Item[];
      expect(items.slice(0, 4).map((i) => i.action)).toEqual([
        'case.open',
        'appointment.book',
        'consultation.create',
        'outcome.record',
      ]);
      expect(items[0]).toEqual({
        at: expect.any(String),
        userId: world.admin.userId,
        userName: expect.any(String),
        role: 'oh-admin',
        action: 'case.open',
        recordId: caseId,
        recordType: 'case',
        reason: null,
      });
      expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort());
      expect(response.json().next).toBeNull();
    }
  });

  it('audits the reading of the audit', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'triaged');
    await audit(world.physician, `recordId=${caseId}`);
    const items = (await audit(world.sysadmin, `recordId=${caseId}`)).json().items as Item[];
    expect(items.map((i) => [i.action, i.role, i.userId])).toContainEqual([
      'audit.read',
      'oh-physician',
      world.physician.userId,
    ]);
  });

  it('is forbidden (403) to everyone but sysadmins and OH physicians', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'triaged');
    for (const who of [world.clinician, world.admin, world.manager, world.employee]) {
      problemOf(await audit(who, `recordId=${caseId}`), 403);
    }
  });

  it('shows a physician or sysadmin elsewhere no rows of another organisation', async () => {
    const world = await newWorld();
    const elsewhere = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    for (const who of [world.outsiderOh, elsewhere.sysadmin, elsewhere.physician]) {
      const response = await audit(who, `recordId=${caseId}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], next: null });
    }
  });

  it('answers an empty list for an unknown or malformed record id', async () => {
    const world = await newWorld();
    for (const recordId of [randomUUID(), 'not-a-record']) {
      expect((await audit(world.sysadmin, `recordId=${recordId}`)).json()).toEqual({ items: [], next: null });
    }
  });

  it('pages a long trail with a cursor, without repeats', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'triaged');
    for (let i = 0; i < 100; i++) await world.clinician.api('GET', `/api/v1/cases/${caseId}`);
    const first = await audit(world.physician, `recordId=${caseId}`);
    expect(first.json().items).toHaveLength(100);
    expect(first.json().next).toEqual(expect.any(String));
    const second = await audit(world.physician, `recordId=${caseId}&cursor=${first.json().next}`);
    expect(second.statusCode).toBe(200);
    // case.open + 100 reads + the audit read of the first page, less the 100 already seen.
    expect(second.json().items.length).toBe(2);
    expect(second.json().next).toBeNull();
  });

  it('is unauthenticated (401) without a token', async () => {
    const response = await call(server.app, null)('GET', `/api/v1/audit?recordId=${randomUUID()}`);
    problemOf(response, 401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it.each([
    ['no record id', '', '/query/recordId'],
    ['an unknown parameter', `recordId=${randomUUID()}&user=me`, '/query/user'],
    ['a record id over 100 characters', `recordId=${'a'.repeat(101)}`, '/query/recordId'],
    ['a cursor that is not one', `recordId=${randomUUID()}&cursor=%3F%3F`, 'cursor'],
  ])('refuses %s (400)', async (_label, query, path) => {
    const world = await newWorld();
    const paths = errorPathsOf(await audit(world.sysadmin, query));
    expect(paths.some((p) => p.endsWith(path))).toBe(true);
  });
});

describe(`the audit trail as a tamper-evident record on ${engine}`, () => {
  it('keeps every lane’s hash chain intact through the whole loop', async () => {
    const world = await newWorld();
    const { caseId, reportId } = await caseAt(world, 'reported');
    await world.employee.api('POST', `/api/v1/reports/${reportId}/decision`, { decision: 'release' });
    await world.manager.api('GET', `/api/v1/cases/${caseId}`);
    await world.physician.api('GET', `/api/v1/audit?recordId=${caseId}`);
    expect(await verifyAuditChains(server.ctx, [world.orgId, world.otherOrgId])).toEqual([]);
  });

  it('refuses to update or delete an audit row', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'triaged');
    await expect(
      systemDb(server.ctx)
        .update(auditEvents)
        .set({ action: 'nothing.happened' })
        .where(eq(auditEvents.recordId, caseId)),
    ).rejects.toThrow();
    await expect(
      systemDb(server.ctx).delete(auditEvents).where(eq(auditEvents.recordId, caseId)),
    ).rejects.toThrow();
    const rows = await systemDb(server.ctx)
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.recordId, caseId));
    expect(rows.map((r) => r.action)).toContain('case.open');
  });

  it('detects a row altered by someone who gets past the append-only trigger', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'consulted');
    const [target] = await systemDb(server.ctx)
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, caseId), eq(auditEvents.action, 'consultation.create')));
    let broken: string[] = [];
    await systemDb(server.ctx)
      .transaction(async (tx) => {
        // A superuser can switch triggers off for their session; the hash chain still tells.
        // (The tests connect as a superuser; `role none` leaves the application role for it.)
        await tx.execute(sql`set local role none`);
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx
          .update(auditEvents)
          .set({ userId: world.manager.userId })
          .where(eq(auditEvents.id, target?.id as string));
        broken = await verifyAuditChains({ ...server.ctx, db: tx as unknown as Db }, [world.orgId]);
        tx.rollback();
      })
      .catch((error: Error) => {
        if (!/rollback/i.test(error.message)) throw error;
      });
    expect(broken).toEqual([target?.lane]);
    expect(await verifyAuditChains(server.ctx, [world.orgId])).toEqual([]);
  });
});
