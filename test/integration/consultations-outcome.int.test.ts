import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, cases, consultations, people } from '../../src/db/schema.ts';
import { addDays, londonDate } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
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
const today = () => londonDate(new Date());
const NOTES = 'Shoulder pain since the arrest; full range of movement; no red flags.';
const consult = (who: TestUser, caseId: string, body: unknown) =>
  who.api('POST', `/api/v1/cases/${caseId}/consultations`, body);
const outcome = (who: TestUser, caseId: string, body: unknown) =>
  who.api('POST', `/api/v1/cases/${caseId}/outcome`, body);
const OUTCOME = { fitness: 'fit-with-adjustments', adjustments: ['Day shifts only for four weeks'] };

async function caseRow(caseId: string) {
  const [row] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, caseId));
  return row;
}

describe(`POST /api/v1/cases/{id}/consultations on ${engine}`, () => {
  describe('allowed', () => {
    it('records the clinician’s consultation on an appointment, encrypted at rest', async () => {
      const world = await newWorld();
      const { caseId, appointmentId } = await caseAt(world, 'booked');
      // Time passes: the appointment is about to start, so it can be recorded as attended.
      const soon = new Date(Date.now() + 10 * 60_000);
      await systemDb(server.ctx)
        .update(appointments)
        .set({ startsAt: soon, endsAt: new Date(soon.getTime() + 3_600_000) })
        .where(eq(appointments.id, appointmentId as string));
      const response = await consult(world.clinician, caseId, { appointmentId, notes: NOTES });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ id: expect.any(String) });
      const [row] = await systemDb(server.ctx)
        .select()
        .from(consultations)
        .where(eq(consultations.id, response.json().id));
      expect(row).toMatchObject({ caseId, appointmentId, clinicianId: world.clinician.userId });
      expect(row?.notesEnc).not.toContain('Shoulder');
      expect(server.ctx.cipher.decrypt(row?.notesEnc ?? '')).toBe(NOTES);
      const [appointment] = await systemDb(server.ctx)
        .select()
        .from(appointments)
        .where(eq(appointments.id, appointmentId as string));
      expect(appointment?.status).toBe('attended');
      expect((await caseRow(caseId))?.status).toBe('consulted');
    });

    it('lets a physician record a consultation without an appointment (e.g. a phone call)', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'triaged');
      const response = await consult(world.physician, caseId, { notes: NOTES });
      expect(response.statusCode).toBe(201);
      expect((await caseRow(caseId))?.status).toBe('consulted');
    });
  });

  describe('refused by the rules (422), writing nothing', () => {
    it('refuses an appointment of another case, or one that does not exist', async () => {
      const world = await newWorld();
      const { appointmentId } = await caseAt(world, 'booked');
      const { caseId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      for (const id of [appointmentId, randomUUID(), 'appt-1']) {
        expect(
          problemOf(await consult(world.clinician, caseId, { appointmentId: id, notes: NOTES }), 422).detail,
        ).toMatch(/not on this case/);
      }
      expect(await counts(world)).toEqual(before);
    });

    it('refuses a consultation on a closed case', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'outcome');
      expect(
        (await world.clinician.api('POST', `/api/v1/cases/${caseId}/close`, { outcome: 'remained-at-work' }))
          .statusCode,
      ).toBe(200);
      const before = await counts(world);
      expect(problemOf(await consult(world.clinician, caseId, { notes: NOTES }), 422).detail).toMatch(
        /closed/,
      );
      expect(await counts(world)).toEqual(before);
    });
  });

  describe('forbidden (403) to those who know the case but may not write clinical notes', () => {
    it.each(['admin', 'employee', 'manager'] as const)('refuses the %s', async (who) => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'booked');
      const before = await counts(world);
      problemOf(await consult(world[who], caseId, { notes: NOTES }), 403);
      expect(await counts(world)).toEqual(before);
    });
  });

  describe('not found (404) to everyone else', () => {
    it('hides the case from other organisations, unrelated managers and a sysadmin', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'booked');
      const before = await counts(world);
      for (const who of [world.outsiderOh, world.outsiderEmployee, world.otherManager, world.sysadmin]) {
        problemOf(await consult(who, caseId, { notes: NOTES }), 404);
      }
      problemOf(await consult(world.clinician, randomUUID(), { notes: NOTES }), 404);
      expect(await counts(world)).toEqual(before);
    });

    it('hides a self-referral case from the line manager', async () => {
      const world = await newWorld();
      const { caseId } = await selfReferredCase(world);
      problemOf(await consult(world.manager, caseId, { notes: NOTES }), 404);
    });
  });

  it('is unauthenticated (401) without a token', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'booked');
    const before = await counts(world);
    problemOf(
      await call(server.app, null)('POST', `/api/v1/cases/${caseId}/consultations`, { notes: NOTES }),
      401,
    );
    expect(await counts(world)).toEqual(before);
  });

  describe('bad input (400), writing nothing', () => {
    it.each([
      ['missing notes', {}, ['/notes']],
      ['empty notes', { notes: '' }, ['/notes']],
      ['notes over 50,000 characters', { notes: 'x'.repeat(50_001) }, ['/notes']],
      ['notes as a list', { notes: [NOTES] }, ['/notes']],
      ['an appointment id that is a number', { notes: NOTES, appointmentId: 12 }, ['/appointmentId']],
      ['an unknown field', { notes: NOTES, diagnosis: 'Rotator cuff' }, ['/diagnosis']],
      ['a NUL character', { notes: 'ok\u0000' }, ['/notes']],
    ])('refuses %s', async (_label, body, paths) => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'booked');
      const before = await counts(world);
      expect(errorPathsOf(await consult(world.clinician, caseId, body))).toEqual(
        expect.arrayContaining(paths),
      );
      expect(await counts(world)).toEqual(before);
      expect((await caseRow(caseId))?.status).toBe('appointment-booked');
    });
  });
});

describe(`POST /api/v1/cases/{id}/outcome on ${engine}`, () => {
  describe('allowed', () => {
    it('records fitness, trimmed adjustments and the review date', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'consulted');
      const reviewDate = addDays(today(), 28);
      const response = await outcome(world.clinician, caseId, {
        fitness: 'fit-with-adjustments',
        adjustments: ['  Altered hours  ', 'No lifting over 10 kg'],
        reviewDate,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        id: caseId,
        status: 'outcome-recorded',
        fitness: 'fit-with-adjustments',
        adjustments: ['Altered hours', 'No lifting over 10 kg'],
        reviewDate,
      });
      expect(await caseRow(caseId)).toMatchObject({
        status: 'outcome-recorded',
        fitness: 'fit-with-adjustments',
        adjustments: ['Altered hours', 'No lifting over 10 kg'],
        reviewDate,
      });
    });

    it('lets a physician revise the outcome, with today or no review date', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'outcome');
      const revised = await outcome(world.physician, caseId, {
        fitness: 'temporarily-unfit',
        adjustments: [],
        reviewDate: today(),
      });
      expect(revised.statusCode).toBe(200);
      const cleared = await outcome(world.physician, caseId, {
        fitness: 'fit',
        adjustments: [],
        reviewDate: null,
      });
      expect(cleared.statusCode).toBe(200);
      expect(await caseRow(caseId)).toMatchObject({ fitness: 'fit', reviewDate: null });
    });
  });

  describe('refused by the rules (422), changing nothing', () => {
    it.each([
      ['before any consultation', 'booked' as const, { fitness: 'fit', adjustments: [] }, /consultation/],
      [
        'fit with adjustments but none given',
        'consulted' as const,
        { fitness: 'fit-with-adjustments', adjustments: [] },
        /adjustments/,
      ],
      [
        'fit with adjustments given only as blanks',
        'consulted' as const,
        { fitness: 'fit-with-adjustments', adjustments: ['   '] },
        /adjustments/,
      ],
      [
        'a review date in the past',
        'consulted' as const,
        { ...OUTCOME, reviewDate: addDays(londonDate(new Date()), -1) },
        /past/,
      ],
    ])('refuses an outcome %s', async (_label, stage, body, detail) => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, stage);
      const before = await caseRow(caseId);
      const countsBefore = await counts(world);
      expect(problemOf(await outcome(world.clinician, caseId, body), 422).detail).toMatch(detail);
      expect(await caseRow(caseId)).toEqual(before);
      expect(await counts(world)).toEqual(countsBefore);
    });
  });

  describe('forbidden (403) to those who know the case but may not record an outcome', () => {
    it('refuses the OH admin, the employee, the referring manager and the line manager', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'consulted');
      await systemDb(server.ctx)
        .update(people)
        .set({ managerId: world.otherManager.personId })
        .where(eq(people.id, world.employee.personId as string));
      const before = await caseRow(caseId);
      for (const who of [world.admin, world.employee, world.manager, world.otherManager]) {
        problemOf(await outcome(who, caseId, OUTCOME), 403);
      }
      expect(await caseRow(caseId)).toEqual(before);
    });
  });

  describe('not found (404) to everyone else', () => {
    it('hides the case from other organisations and a sysadmin, and answers 404 for unknown ids', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'consulted');
      const before = await caseRow(caseId);
      for (const who of [world.outsiderOh, world.outsiderEmployee, world.sysadmin]) {
        problemOf(await outcome(who, caseId, OUTCOME), 404);
      }
      problemOf(await outcome(world.clinician, randomUUID(), OUTCOME), 404);
      problemOf(await outcome(world.clinician, 'case', OUTCOME), 404);
      expect(await caseRow(caseId)).toEqual(before);
    });

    it('hides a self-referral case from the line manager', async () => {
      const world = await newWorld();
      const { caseId } = await selfReferredCase(world);
      problemOf(await outcome(world.manager, caseId, OUTCOME), 404);
    });
  });

  it('is unauthenticated (401) without a token', async () => {
    const world = await newWorld();
    const { caseId } = await caseAt(world, 'consulted');
    problemOf(await call(server.app, null)('POST', `/api/v1/cases/${caseId}/outcome`, OUTCOME), 401);
    expect((await caseRow(caseId))?.status).toBe('consulted');
  });

  describe('bad input (400), changing nothing', () => {
    it.each([
      ['an unknown fitness', { ...OUTCOME, fitness: 'fine' }, ['/fitness']],
      ['missing adjustments', { fitness: 'fit' }, ['/adjustments']],
      ['adjustments as text', { ...OUTCOME, adjustments: 'Altered hours' }, ['/adjustments']],
      [
        'more than 20 adjustments',
        { ...OUTCOME, adjustments: Array.from({ length: 21 }, (_, i) => `A${i}`) },
        ['/adjustments'],
      ],
      ['an empty adjustment', { ...OUTCOME, adjustments: [''] }, ['/adjustments/0']],
      ['a review date that does not exist', { ...OUTCOME, reviewDate: '2030-02-30' }, ['/reviewDate']],
      ['a review date in UK order', { ...OUTCOME, reviewDate: '29/03/2030' }, ['/reviewDate']],
      ['a diagnosis field', { ...OUTCOME, diagnosis: 'Depression' }, ['/diagnosis']],
    ])('refuses %s', async (_label, body, paths) => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'consulted');
      const before = await caseRow(caseId);
      expect(errorPathsOf(await outcome(world.clinician, caseId, body))).toEqual(
        expect.arrayContaining(paths),
      );
      expect(await caseRow(caseId)).toEqual(before);
    });
  });
});
