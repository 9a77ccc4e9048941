import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, cases, people } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import {
  caseAt,
  createUser,
  createWorld,
  errorPathsOf,
  problemOf,
  selfReferredCase,
  sessionTime,
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
const view = (who: TestUser, caseId: string) => who.api('GET', `/api/v1/cases/${caseId}`);
const close = (who: TestUser, caseId: string, body: unknown = { outcome: 'returned-to-work' }) =>
  who.api('POST', `/api/v1/cases/${caseId}/close`, body);

/** Consultation notes and the referral reason of advanceCase: words no manager may ever see. */
const CLINICAL_WORDS = ['Lumbar strain', 'low mood', 'Back pain after a fall'];

async function caseReads(caseId: string) {
  return systemDb(server.ctx)
    .select({ action: auditEvents.action, role: auditEvents.role, userId: auditEvents.userId })
    .from(auditEvents)
    .where(and(eq(auditEvents.recordId, caseId), eq(auditEvents.recordType, 'case')));
}

async function makeOtherManagerTheLineManager(world: World) {
  await systemDb(server.ctx)
    .update(people)
    .set({ managerId: world.otherManager.personId })
    .where(eq(people.id, world.employee.personId as string));
}

describe(`GET /api/v1/cases/{id} on ${engine}`, () => {
  it('shows OH staff the whole record; consultation notes only to clinicians and physicians', async () => {
    const world = await newWorld();
    const { caseId, appointmentId } = await caseAt(world, 'outcome');
    for (const who of [world.admin, world.clinician, world.physician]) {
      const response = await view(who, caseId);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({
        id: caseId,
        view: 'oh',
        status: 'outcome-recorded',
        priority: 'soon',
        pathway: 'musculoskeletal',
        clinicianId: world.clinician.userId,
        fitness: 'fit-with-adjustments',
        referral: {
          source: 'management',
          reason: 'Back pain after a fall at work.',
          referredByUserId: world.manager.userId,
        },
      });
      if (who === world.admin) {
        expect(body.consultations).toBeUndefined();
        expect(response.body).not.toContain('Lumbar strain');
        expect(body.permissions).toEqual({
          book: true,
          recordClinical: false,
          viewNotes: false,
          allocate: true,
        });
      } else {
        expect(body.consultations[0].notes).toContain('Lumbar strain');
        expect(body.permissions).toEqual({
          book: true,
          recordClinical: true,
          viewNotes: true,
          allocate: true,
        });
      }
      expect(body.appointments.map((a: { id: string }) => a.id)).toEqual([appointmentId]);
    }
  });

  it('shows the employee their own case, without consultation notes', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const response = await view(world.employee, caseId);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      view: 'own',
      pathway: 'musculoskeletal',
      referral: { reason: 'Back pain after a fall at work.' },
    });
    expect(body.appointments).toHaveLength(1);
    expect(body).not.toHaveProperty('consultations');
    expect(response.body).not.toContain('Lumbar strain');
  });

  it('shows the referring and the current line manager status, fitness, adjustments and review date only', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    await makeOtherManagerTheLineManager(world);
    for (const who of [world.manager, world.otherManager]) {
      const response = await view(who, caseId);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({
        view: 'manager',
        status: 'outcome-recorded',
        fitness: 'fit-with-adjustments',
        adjustments: ['No lifting over 10 kg for 4 weeks'],
        reviewDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        reports: [],
      });
      for (const key of ['consultations', 'referral', 'pathway', 'appointments', 'priority', 'clinician']) {
        expect(body).not.toHaveProperty(key);
      }
      for (const words of CLINICAL_WORDS) expect(response.body).not.toContain(words);
    }
  });

  it('audits every read with the role it was read in', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'consulted');
    await view(world.clinician, caseId);
    await view(world.employee, caseId);
    await view(world.manager, caseId);
    expect(await caseReads(caseId)).toEqual(
      expect.arrayContaining([
        { action: 'case.read', role: 'oh-clinician', userId: world.clinician.userId },
        { action: 'case.read', role: 'employee', userId: world.employee.userId },
        { action: 'case.read-outcome', role: 'manager', userId: world.manager.userId },
      ]),
    );
  });

  it('is not found (404) for anyone else: other organisations, unrelated managers, a sysadmin, a wellbeing lead', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const wellbeing = await createUser(server.app, server.ctx, world.orgId, ['wellbeing-lead', 'analyst']);
    const readsBefore = (await caseReads(caseId)).length;
    for (const who of [
      world.outsiderOh,
      world.outsiderEmployee,
      world.otherManager,
      world.sysadmin,
      wellbeing,
    ]) {
      const response = await view(who, caseId);
      problemOf(response, 404);
      expect(response.body).not.toContain(caseId);
    }
    // A refused read is not a read.
    expect((await caseReads(caseId)).length).toBe(readsBefore);
  });

  it('keeps a self-referral from the line manager (404)', async () => {
    const world = await newWorld();
    const { caseId } = await selfReferredCase(world);
    problemOf(await view(world.manager, caseId), 404);
    expect((await view(world.employee, caseId)).statusCode).toBe(200);
  });

  it('answers 404 for unknown and malformed ids, and a problem for over-long ones', async () => {
    const world = await newWorld();
    problemOf(await view(world.admin, randomUUID()), 404);
    problemOf(await view(world.admin, 'case-42'), 404);
    const long = await view(world.admin, 'c'.repeat(101));
    expect([400, 404]).toContain(long.statusCode);
    problemOf(long, long.statusCode);
  });

  it('is unauthenticated (401) without a token or with a bad one', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'triaged');
    for (const token of [null, 'expired-or-made-up']) {
      const response = await call(server.app, token)('GET', `/api/v1/cases/${caseId}`);
      problemOf(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });
});

describe(`POST /api/v1/cases/{id}/close on ${engine}`, () => {
  it('lets a clinician close a case with an outcome; nothing more can be written to it', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    const response = await close(world.clinician, caseId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: caseId, status: 'closed' });
    const [row] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({ status: 'closed', closureOutcome: 'returned-to-work' });
    expect(row?.closedAt).toBeInstanceOf(Date);
    problemOf(await close(world.physician, caseId), 422);
    const tomorrow = sessionTime(1, 13);
    const booking = await world.admin.api('POST', '/api/v1/appointments', {
      caseId,
      clinicianId: world.clinician.userId,
      start: tomorrow.toISOString(),
      end: new Date(tomorrow.getTime() + 30 * 60_000).toISOString(),
      mode: 'phone',
    });
    expect(problemOf(booking, 422).detail).toMatch(/closed/);
    problemOf(await world.clinician.api('POST', `/api/v1/cases/${caseId}/reports`, { text: 'Late' }), 422);
    problemOf(
      await world.clinician.api('POST', `/api/v1/cases/${caseId}/outcome`, {
        fitness: 'fit',
        adjustments: [],
      }),
      422,
    );
  });

  it('refuses to close a case without an outcome (422)', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'consulted');
    expect(problemOf(await close(world.clinician, caseId), 422).detail).toMatch(/outcome/);
    const [row] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, caseId));
    expect(row?.status).toBe('consulted');
  });

  it('is forbidden (403) to the OH admin, the employee and the manager; not found (404) to others', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    for (const who of [world.admin, world.employee, world.manager]) problemOf(await close(who, caseId), 403);
    for (const who of [world.outsiderOh, world.outsiderEmployee, world.otherManager, world.sysadmin]) {
      problemOf(await close(who, caseId), 404);
    }
    problemOf(
      await call(server.app, null)('POST', `/api/v1/cases/${caseId}/close`, { outcome: 'redeployed' }),
      401,
    );
    const [row] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, caseId));
    expect(row?.status).toBe('outcome-recorded');
  });

  it.each([
    ['an unknown closure outcome', { outcome: 'retired' }, ['/outcome']],
    ['no outcome', {}, ['/outcome']],
    ['an extra field', { outcome: 'redeployed', note: 'x' }, ['/note']],
  ])('refuses %s (400)', async (_label, body, paths) => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'outcome');
    expect(errorPathsOf(await close(world.clinician, caseId, body))).toEqual(expect.arrayContaining(paths));
    const [row] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, caseId));
    expect(row?.status).toBe('outcome-recorded');
  });
});
