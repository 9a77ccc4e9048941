import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, reports } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { resolveActor } from '../../src/services/auth/auth.service.ts';
import { listReportsToFollowUp } from '../../src/services/reports/reports.service.ts';
import {
  caseAt,
  createWorld,
  errorPathsOf,
  loopRowCounts,
  problemOf,
  selfReferredCase,
  type TestUser,
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
const TEXT = 'Fit for work with adjustments: day shifts for four weeks, then review.';
const write = (who: TestUser, caseId: string, body: unknown = { text: TEXT }) =>
  who.api('POST', `/api/v1/cases/${caseId}/reports`, body);
const decide = (who: TestUser, reportId: string, body: unknown) =>
  who.api('POST', `/api/v1/reports/${reportId}/decision`, body);
const read = (who: TestUser, reportId: string) => who.api('GET', `/api/v1/reports/${reportId}`);

async function reportRow(reportId: string) {
  const [row] = await systemDb(server.ctx).select().from(reports).where(eq(reports.id, reportId));
  return row;
}

/** A world with a case whose report waits for the employee. */
async function reported() {
  const world = await newWorld();
  const ids = await caseAt(world, 'reported');
  return { world, caseId: ids.caseId, reportId: ids.reportId as string };
}

async function makeOtherManagerTheLineManager(world: World) {
  await systemDb(server.ctx)
    .update(people)
    .set({ managerId: world.otherManager.personId })
    .where(eq(people.id, world.employee.personId as string));
}

describe(`POST /api/v1/cases/{id}/reports on ${engine}`, () => {
  it('lets a clinician write a report, held for the employee and encrypted at rest', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const response = await write(world.clinician, caseId);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: expect.any(String), status: 'awaiting-employee' });
    const row = await reportRow(response.json().id);
    expect(row).toMatchObject({
      caseId,
      authorId: world.clinician.userId,
      status: 'awaiting-employee',
      releasedAt: null,
    });
    expect(row?.textEnc).not.toContain('day shifts');
  });

  it('lets a physician write a newer version, which supersedes the unreleased one', async () => {
    const { world, caseId, reportId } = await reported();
    const second = await write(world.physician, caseId, { text: 'Corrected: night shifts are fine.' });
    expect(second.statusCode).toBe(201);
    expect((await reportRow(reportId))?.status).toBe('superseded');
    const own = await world.employee.api('GET', `/api/v1/cases/${caseId}`);
    expect(own.json().reports.map((r: { id: string }) => r.id)).toEqual([second.json().id]);
  });

  it('refuses a report before any consultation (422), writing nothing', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'booked');
    const before = await counts(world);
    expect(problemOf(await write(world.clinician, caseId), 422).detail).toMatch(/consultation/);
    expect(await counts(world)).toEqual(before);
  });

  it('is forbidden (403) to the OH admin, the employee and the manager', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const before = await counts(world);
    for (const who of [world.admin, world.employee, world.manager]) problemOf(await write(who, caseId), 403);
    expect(await counts(world)).toEqual(before);
  });

  it('is not found (404) for other organisations, unrelated people and unknown cases', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const before = await counts(world);
    for (const who of [world.outsiderOh, world.outsiderEmployee, world.otherManager, world.sysadmin]) {
      problemOf(await write(who, caseId), 404);
    }
    problemOf(await write(world.clinician, randomUUID()), 404);
    const { caseId: selfCase } = await selfReferredCase(world);
    problemOf(await write(world.manager, selfCase), 404);
    expect((await counts(world)).reports).toBe(before.reports);
  });

  it('is unauthenticated (401) without a token', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const before = await counts(world);
    problemOf(await call(server.app, null)('POST', `/api/v1/cases/${caseId}/reports`, { text: TEXT }), 401);
    expect(await counts(world)).toEqual(before);
  });

  it.each([
    ['missing text', {}, ['/text']],
    ['empty text', { text: '' }, ['/text']],
    ['text over 50,000 characters', { text: 'x'.repeat(50_001) }, ['/text']],
    ['text as an object', { text: { body: TEXT } }, ['/text']],
    ['a status field', { text: TEXT, status: 'released' }, ['/status']],
  ])('refuses %s (400), writing nothing', async (_label, body, paths) => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const before = await counts(world);
    expect(errorPathsOf(await write(world.clinician, caseId, body))).toEqual(expect.arrayContaining(paths));
    expect(await counts(world)).toEqual(before);
  });
});

describe(`GET /api/v1/reports/{id} on ${engine}`, () => {
  it('shows the report to the employee and to OH staff at any time', async () => {
    const { world, reportId, caseId } = await reported();
    for (const who of [world.employee, world.clinician, world.admin, world.physician]) {
      const response = await read(who, reportId);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: reportId, caseId, status: 'awaiting-employee' });
      expect(response.json().text).toContain('Fit for work with adjustments');
    }
  });

  it('does not exist for the manager (404) until the employee releases it, then shows it', async () => {
    const { world, reportId } = await reported();
    await makeOtherManagerTheLineManager(world);
    for (const who of [world.manager, world.otherManager]) problemOf(await read(who, reportId), 404);
    await decide(world.employee, reportId, { decision: 'withhold' });
    for (const who of [world.manager, world.otherManager]) problemOf(await read(who, reportId), 404);
    expect(
      (await decide(world.employee, reportId, { decision: 'release', comment: 'Agreed.' })).statusCode,
    ).toBe(200);
    for (const who of [world.manager, world.otherManager]) {
      const response = await read(who, reportId);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'released', employeeComment: 'Agreed.' });
    }
  });

  it('is not found (404) for other organisations, unrelated people and unknown or malformed ids', async () => {
    const { world, reportId } = await reported();
    await decide(world.employee, reportId, { decision: 'release' });
    for (const who of [world.outsiderOh, world.outsiderEmployee, world.otherManager, world.sysadmin]) {
      problemOf(await read(who, reportId), 404);
    }
    problemOf(await read(world.clinician, randomUUID()), 404);
    problemOf(await read(world.clinician, 'report-1'), 404);
  });

  it('refuses an over-long id with a problem (400 or 404)', async () => {
    const { world } = await reported();
    const response = await read(world.clinician, 'r'.repeat(101));
    expect([400, 404]).toContain(response.statusCode);
    problemOf(response, response.statusCode);
  });

  it('is unauthenticated (401) without a token', async () => {
    const { reportId } = await reported();
    problemOf(await call(server.app, null)('GET', `/api/v1/reports/${reportId}`), 401);
  });
});

describe(`POST /api/v1/reports/{id}/decision on ${engine}`, () => {
  it.each([
    ['release', 'released'],
    ['request-correction', 'correction-requested'],
    ['withhold', 'withheld'],
  ])('lets the employee %s the report', async (decision, status) => {
    const { world, reportId } = await reported();
    const response = await decide(world.employee, reportId, { decision, comment: 'My comment' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status });
    const row = await reportRow(reportId);
    expect(row?.status).toBe(status);
    expect(row?.releasedAt === null).toBe(status !== 'released');
    expect(server.ctx.cipher.decrypt(row?.employeeCommentEnc ?? '')).toBe('My comment');
  });

  it('lets the employee release a report they withheld', async () => {
    const { world, reportId } = await reported();
    await decide(world.employee, reportId, { decision: 'withhold' });
    const response = await decide(world.employee, reportId, { decision: 'release' });
    expect(response.json()).toMatchObject({ status: 'released' });
  });

  it.each([
    ['after release', ['release'], 'withhold', /already been released/],
    ['after a correction was requested', ['request-correction'], 'release', /correction/],
    ['twice withheld', ['withhold'], 'withhold', /withheld/i],
  ])('refuses a decision %s (422)', async (_label, earlier, decision, detail) => {
    const { world, reportId } = await reported();
    for (const d of earlier) await decide(world.employee, reportId, { decision: d });
    const before = await reportRow(reportId);
    expect(problemOf(await decide(world.employee, reportId, { decision }), 422).detail).toMatch(detail);
    expect(await reportRow(reportId)).toEqual(before);
  });

  it('refuses a decision on a superseded version (422)', async () => {
    const { world, caseId, reportId } = await reported();
    await write(world.clinician, caseId, { text: 'Version two.' });
    expect(problemOf(await decide(world.employee, reportId, { decision: 'release' }), 422).detail).toMatch(
      /newer/,
    );
  });

  it('is forbidden (403) to OH staff: only the employee decides', async () => {
    const { world, reportId } = await reported();
    for (const who of [world.clinician, world.admin, world.physician]) {
      problemOf(await decide(who, reportId, { decision: 'release' }), 403);
    }
    expect((await reportRow(reportId))?.status).toBe('awaiting-employee');
  });

  it('is not found (404) to managers before release, other organisations and unknown ids', async () => {
    const { world, reportId } = await reported();
    for (const who of [
      world.manager,
      world.otherManager,
      world.outsiderOh,
      world.outsiderEmployee,
      world.sysadmin,
    ]) {
      problemOf(await decide(who, reportId, { decision: 'release' }), 404);
    }
    problemOf(await decide(world.employee, randomUUID(), { decision: 'release' }), 404);
    expect((await reportRow(reportId))?.status).toBe('awaiting-employee');
  });

  it('is unauthenticated (401) without a token', async () => {
    const { reportId } = await reported();
    problemOf(
      await call(server.app, null)('POST', `/api/v1/reports/${reportId}/decision`, { decision: 'release' }),
      401,
    );
    expect((await reportRow(reportId))?.status).toBe('awaiting-employee');
  });

  it.each([
    ['an unknown decision', { decision: 'publish' }, ['/decision']],
    ['a missing decision', { comment: 'ok' }, ['/decision']],
    ['a comment that is a number', { decision: 'release', comment: 5 }, ['/comment']],
    ['a comment over 5,000 characters', { decision: 'release', comment: 'x'.repeat(5001) }, ['/comment']],
    ['a recipient field', { decision: 'release', recipient: 'hr@example.com' }, ['/recipient']],
  ])('refuses %s (400), changing nothing', async (_label, body, paths) => {
    const { world, reportId } = await reported();
    const before = await reportRow(reportId);
    const auditBefore = (await counts(world)).auditEvents;
    expect(errorPathsOf(await decide(world.employee, reportId, body))).toEqual(expect.arrayContaining(paths));
    expect(await reportRow(reportId)).toEqual(before);
    expect((await counts(world)).auditEvents).toBe(auditBefore);
  });
});

describe(`reports to follow up on ${engine}`, () => {
  it('prompts the clinician after 21 days without a decision, and never releases the report', async () => {
    const world = await newWorld();
    const { reportId } = await caseAt(world, 'reported');
    const clinician = await resolveActor(server.ctx, world.clinician.token, 'api');
    if (!clinician) throw new Error('no clinician');
    expect(await listReportsToFollowUp(server.ctx, clinician)).toEqual([]);
    await systemDb(server.ctx)
      .update(reports)
      .set({ createdAt: new Date(Date.now() - 22 * 86_400_000) })
      .where(eq(reports.id, reportId as string));
    const due = await listReportsToFollowUp(server.ctx, clinician);
    expect(due.map((r) => r.id)).toEqual([reportId]);
    expect(due[0]?.status).toBe('awaiting-employee');
  });
});

describe(`the employee's comments on ${engine}`, () => {
  it('never carries a comment made when withholding into a later release the manager reads', async () => {
    const world = await newWorld();
    const { reportId } = await caseAt(world, 'reported');
    const withhold = await world.employee.api('POST', `/api/v1/reports/${reportId}/decision`, {
      decision: 'withhold',
      comment: 'I do not want my manager to know about my treatment.',
    });
    expect(withhold.statusCode).toBe(200);
    const release = await world.employee.api('POST', `/api/v1/reports/${reportId}/decision`, {
      decision: 'release',
    });
    expect(release.statusCode).toBe(200);
    const managerView = await world.manager.api('GET', `/api/v1/reports/${reportId}`);
    expect(managerView.statusCode).toBe(200);
    expect(managerView.json().employeeComment).toBeNull();
    expect(managerView.body).not.toContain('treatment');
  });
});
