import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, cases } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { advanceCase, caseAt, createWorld, problemOf } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const statusOf = async (id: string) =>
  (await systemDb(server.ctx).select().from(appointments).where(eq(appointments.id, id)))[0]?.status;
const caseStatusOf = async (id: string) =>
  (await systemDb(server.ctx).select().from(cases).where(eq(cases.id, id)))[0]?.status;

describe(`POST /api/v1/appointments/{id}/cancel and /did-not-attend on ${engine}`, () => {
  it('lets the employee cancel their own appointment; the case waits for a new one', async () => {
    const world = await createWorld(server.app, server.ctx);
    const { caseId, appointmentId } = await caseAt(world, 'booked');
    const response = await world.employee.api('POST', `/api/v1/appointments/${appointmentId}/cancel`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: appointmentId, caseId, status: 'cancelled' });
    expect(await caseStatusOf(caseId)).toBe('awaiting-appointment');
    // Cancelled once is cancelled: a second cancel is refused and changes nothing.
    problemOf(await world.admin.api('POST', `/api/v1/appointments/${appointmentId}/cancel`), 422);
  });

  it('lets OH staff record a missed appointment only once it has started', async () => {
    const world = await createWorld(server.app, server.ctx);
    const { caseId, appointmentId } = await caseAt(world, 'booked');
    expect(
      problemOf(await world.admin.api('POST', `/api/v1/appointments/${appointmentId}/did-not-attend`), 422)
        .detail,
    ).toMatch(/not started/);
    const past = new Date(Date.now() - 30 * 60_000);
    await systemDb(server.ctx)
      .update(appointments)
      .set({ startsAt: past, endsAt: new Date(past.getTime() + 3_600_000) })
      .where(eq(appointments.id, appointmentId as string));
    const response = await world.admin.api('POST', `/api/v1/appointments/${appointmentId}/did-not-attend`);
    expect(response.statusCode).toBe(200);
    expect(await statusOf(appointmentId as string)).toBe('did-not-attend');
    expect(await caseStatusOf(caseId)).toBe('awaiting-appointment');
  });

  it('refuses others: the employee cannot mark a miss (403), the manager gets 403, another organisation 404, no token 401', async () => {
    const world = await createWorld(server.app, server.ctx);
    const { appointmentId } = await caseAt(world, 'booked');
    problemOf(await world.employee.api('POST', `/api/v1/appointments/${appointmentId}/did-not-attend`), 403);
    problemOf(await world.manager.api('POST', `/api/v1/appointments/${appointmentId}/cancel`), 403);
    problemOf(await world.outsiderOh.api('POST', `/api/v1/appointments/${appointmentId}/cancel`), 404);
    problemOf(await call(server.app, null)('POST', `/api/v1/appointments/${appointmentId}/cancel`), 401);
    problemOf(await world.admin.api('POST', '/api/v1/appointments/not-an-id/cancel'), 404);
    expect(await statusOf(appointmentId as string)).toBe('booked');
  });
});

describe(`POST /api/v1/referrals/{id}/decline on ${engine}`, () => {
  it('lets OH staff decline with a reason the referrer reads; it can then not be triaged', async () => {
    const world = await createWorld(server.app, server.ctx);
    const referral = await world.employee.api('POST', '/api/v1/referrals', {
      selfReferral: true,
      reason: 'Payroll query',
    });
    const id = referral.json().id;
    const response = await world.admin.api('POST', `/api/v1/referrals/${id}/decline`, {
      reason: 'This is an HR matter: please contact the HR service desk.',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id, status: 'declined' });
    problemOf(
      await world.admin.api('POST', `/api/v1/referrals/${id}/triage`, {
        priority: 'routine',
        pathway: 'general',
        clinicianId: world.clinician.userId,
      }),
      422,
    );
  });

  it('refuses bad input (400), non-OH (403), another organisation (404) and no token (401), changing nothing', async () => {
    const world = await createWorld(server.app, server.ctx);
    const { referralId } = await advanceCase(world, 'referred');
    expect(
      problemOf(await world.admin.api('POST', `/api/v1/referrals/${referralId}/decline`, {}), 400).errors,
    ).toEqual([{ path: '/reason', message: 'is required' }]);
    problemOf(
      await world.manager.api('POST', `/api/v1/referrals/${referralId}/decline`, { reason: 'x' }),
      403,
    );
    problemOf(
      await world.outsiderOh.api('POST', `/api/v1/referrals/${referralId}/decline`, { reason: 'x' }),
      404,
    );
    problemOf(
      await call(server.app, null)('POST', `/api/v1/referrals/${referralId}/decline`, { reason: 'x' }),
      401,
    );
    const triage = await world.admin.api('POST', `/api/v1/referrals/${referralId}/triage`, {
      priority: 'routine',
      pathway: 'general',
      clinicianId: world.clinician.userId,
    });
    expect(triage.statusCode).toBe(200);
  });
});
