import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, referrals } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { verifyAuditChains } from '../../src/services/audit/audit.service.ts';
import {
  advanceCase,
  caseAt,
  createWorld,
  errorPathsOf,
  loopRowCounts,
  problemOf,
  selfReferredCase,
  type World,
} from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const newWorld = () => createWorld(server.app, server.ctx);
const counts = (world: World) => loopRowCounts(server.ctx, [world.orgId, world.otherOrgId]);
const triageOf = (world: World) => ({
  priority: 'urgent',
  pathway: 'mental-health',
  clinicianId: world.clinician.userId,
});
const triage = (world: World, who: keyof World, referralId: string, body: unknown = triageOf(world)) =>
  (world[who] as World['admin']).api('POST', `/api/v1/referrals/${referralId}/triage`, body);

async function referralStatus(referralId: string) {
  const [row] = await systemDb(server.ctx).select().from(referrals).where(eq(referrals.id, referralId));
  return row?.status;
}

describe(`POST /api/v1/referrals/{id}/triage on ${engine}`, () => {
  describe('allowed', () => {
    it.each(['admin', 'clinician', 'physician'] as const)(
      'lets the OH %s triage and opens the case',
      async (who) => {
        const world = await newWorld();
        const { referralId } = await advanceCase(world, 'referred');
        const response = await triage(world, who, referralId);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ status: 'triaged', caseId: expect.any(String) });
        const [row] = await systemDb(server.ctx)
          .select()
          .from(cases)
          .where(eq(cases.id, response.json().caseId));
        expect(row).toMatchObject({
          referralId,
          organisationId: world.orgId,
          personId: world.employee.personId,
          clinicianId: world.clinician.userId,
          priority: 'urgent',
          pathway: 'mental-health',
          status: 'awaiting-appointment',
        });
        const [referral] = await systemDb(server.ctx)
          .select()
          .from(referrals)
          .where(eq(referrals.id, referralId));
        expect(referral).toMatchObject({
          status: 'triaged',
          caseId: response.json().caseId,
          priority: 'urgent',
        });
      },
    );

    it('triages a self-referral too, assigning a physician', async () => {
      const world = await newWorld();
      const self = await world.employee.api('POST', '/api/v1/referrals', {
        selfReferral: true,
        reason: 'Help',
      });
      const response = await triage(world, 'admin', self.json().id, {
        ...triageOf(world),
        clinicianId: world.physician.userId,
      });
      expect(response.statusCode).toBe(200);
    });
  });

  describe('refused by the rules (422), writing nothing', () => {
    it('refuses a second triage of the same referral', async () => {
      const world = await newWorld();
      const { referralId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      expect(problemOf(await triage(world, 'admin', referralId), 422).detail).toMatch(/already been triaged/);
      expect(await counts(world)).toEqual(before);
    });

    it.each([
      ['a clinician of another provider', (w: World) => w.outsiderOh.userId],
      ['an OH admin (not a clinician)', (w: World) => w.admin.userId],
      ['a manager', (w: World) => w.manager.userId],
      ['an unknown user', () => randomUUID()],
      ['a malformed id', () => 'dr-who'],
    ])('refuses to assign %s', async (_label, clinicianId) => {
      const world = await newWorld();
      const { referralId } = await advanceCase(world, 'referred');
      const before = await counts(world);
      const response = await triage(world, 'admin', referralId, {
        ...triageOf(world),
        clinicianId: clinicianId(world),
      });
      expect(problemOf(response, 422).detail).toMatch(/clinician/);
      expect(await counts(world)).toEqual(before);
      expect(await referralStatus(referralId)).toBe('awaiting-triage');
    });
  });

  describe('forbidden (403) to those who know the referral exists', () => {
    it.each([
      ['the referring manager', 'manager'],
      ['the employee referred', 'employee'],
    ] as const)('refuses %s', async (_label, who) => {
      const world = await newWorld();
      const { referralId } = await advanceCase(world, 'referred');
      const before = await counts(world);
      problemOf(await triage(world, who, referralId), 403);
      expect(await counts(world)).toEqual(before);
      expect(await referralStatus(referralId)).toBe('awaiting-triage');
    });

    it('refuses an employee triaging their own self-referral', async () => {
      const world = await newWorld();
      const self = await world.employee.api('POST', '/api/v1/referrals', {
        selfReferral: true,
        reason: 'Help',
      });
      problemOf(await triage(world, 'employee', self.json().id), 403);
    });
  });

  describe('not found (404) to everyone else', () => {
    it.each([
      ['OH staff of another provider', 'outsiderOh'],
      ['a manager of another organisation', 'outsiderEmployee'],
      ['an unrelated manager of the organisation', 'otherManager'],
      ['a sysadmin', 'sysadmin'],
    ] as const)('hides the referral from %s', async (_label, who) => {
      const world = await newWorld();
      const { referralId } = await advanceCase(world, 'referred');
      const before = await counts(world);
      problemOf(await triage(world, who, referralId), 404);
      expect(await counts(world)).toEqual(before);
    });

    it('hides a self-referral from the line manager', async () => {
      const world = await newWorld();
      const self = await world.employee.api('POST', '/api/v1/referrals', {
        selfReferral: true,
        reason: 'Help',
      });
      problemOf(await triage(world, 'manager', self.json().id), 404);
    });

    it('answers 404 for an unknown or malformed referral id', async () => {
      const world = await newWorld();
      problemOf(await triage(world, 'admin', randomUUID()), 404);
      problemOf(await triage(world, 'admin', 'no-such-referral'), 404);
    });
  });

  describe('unauthenticated (401)', () => {
    it('refuses a call without a token', async () => {
      const world = await newWorld();
      const { referralId } = await advanceCase(world, 'referred');
      const response = await call(server.app, null)(
        'POST',
        `/api/v1/referrals/${referralId}/triage`,
        triageOf(world),
      );
      problemOf(response, 401);
      expect(await referralStatus(referralId)).toBe('awaiting-triage');
    });
  });

  describe('bad input (400), writing nothing', () => {
    it.each([
      ['an unknown priority', { priority: 'asap' }, ['/priority']],
      ['a pathway that is not a slug', { pathway: 'Mental Health' }, ['/pathway']],
      ['a missing clinician', { clinicianId: undefined }, ['/clinicianId']],
      ['a clinician id that is a number', { clinicianId: 42 }, ['/clinicianId']],
      ['an unknown field', { notes: 'seen before' }, ['/notes']],
      ['a NUL character', { pathway: 'mental\u0000health' }, ['/pathway']],
    ])('refuses %s', async (_label, change, paths) => {
      const world = await newWorld();
      const { referralId } = await advanceCase(world, 'referred');
      const before = await counts(world);
      const response = await triage(world, 'admin', referralId, { ...triageOf(world), ...change });
      expect(errorPathsOf(response)).toEqual(expect.arrayContaining(paths));
      expect(await counts(world)).toEqual(before);
      expect(await referralStatus(referralId)).toBe('awaiting-triage');
    });

    it('refuses an over-long id in the path with a problem, not the router’s own error', async () => {
      const world = await newWorld();
      const response = await triage(world, 'admin', 'x'.repeat(101));
      expect([400, 404]).toContain(response.statusCode);
      problemOf(response, response.statusCode);
    });
  });

  describe('concurrency', () => {
    it('opens exactly one case when the same referral is triaged many times at once', async () => {
      const world = await newWorld();
      const { referralId } = await advanceCase(world, 'referred');
      const responses = await Promise.all(
        Array.from({ length: 12 }, () => triage(world, 'admin', referralId)),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      for (const r of responses.filter((r) => r.statusCode !== 200))
        expect([409, 422]).toContain(r.statusCode);
      expect(await systemDb(server.ctx).$count(cases, eq(cases.referralId, referralId))).toBe(1);
    });

    it('triages many different referrals at once without failing, and the audit chains stay intact', async () => {
      const world = await newWorld();
      // Three rounds of 20: each triage writes two audit rows, so lane locks taken in different orders would deadlock.
      for (let round = 0; round < 3; round++) {
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) ids.push((await advanceCase(world, 'referred')).referralId);
        const responses = await Promise.all(ids.map((id) => triage(world, 'admin', id)));
        expect(responses.map((r) => r.statusCode)).toEqual(ids.map(() => 200));
      }
      expect(await verifyAuditChains(server.ctx, [world.orgId, world.otherOrgId])).toEqual([]);
    });
  });

  it('keeps a self-referral case confidential after triage', async () => {
    const world = await newWorld();
    const { caseId } = await selfReferredCase(world);
    problemOf(await world.manager.api('GET', `/api/v1/cases/${caseId}`), 404);
  });
});
