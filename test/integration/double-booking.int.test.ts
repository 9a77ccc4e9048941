import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, cases } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { verifyAuditChains } from '../../src/services/audit/audit.service.ts';
import { caseAt, createWorld, problemOf, sessionTime, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const MINUTE = 60_000;

async function triagedCases(world: World, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await caseAt(world, 'triaged')).caseId as string);
  return ids;
}

function booking(world: World, caseId: string, start: Date, minutes: number, mode: 'in-person' | 'phone') {
  return world.admin.api('POST', '/api/v1/appointments', {
    caseId,
    clinicianId: world.clinician.userId,
    start: start.toISOString(),
    end: new Date(start.getTime() + minutes * MINUTE).toISOString(),
    mode,
  });
}

async function liveAppointments(world: World) {
  return systemDb(server.ctx)
    .select()
    .from(appointments)
    .where(and(eq(appointments.clinicianId, world.clinician.userId), ne(appointments.status, 'cancelled')));
}

describe(`double booking on ${engine}`, () => {
  it('lets exactly one of 30 simultaneous bookings of one slot win; the rest get 409', async () => {
    const world = await createWorld(server.app, server.ctx);
    const caseIds = await triagedCases(world, 30);
    const start = sessionTime(2, 10);
    const responses = await Promise.all(
      caseIds.map((caseId) => booking(world, caseId, start, 60, 'in-person')),
    );

    const winners = responses.filter((r) => r.statusCode === 201);
    expect(winners).toHaveLength(1);
    for (const loser of responses.filter((r) => r.statusCode !== 201)) {
      expect(problemOf(loser, 409).detail).toMatch(/already booked/);
    }
    const stored = await liveAppointments(world);
    expect(stored.map((a) => a.id)).toEqual([winners[0]?.json().id]);

    const statuses = await Promise.all(
      caseIds.map(
        async (id) => (await systemDb(server.ctx).select().from(cases).where(eq(cases.id, id)))[0]?.status,
      ),
    );
    expect(statuses.filter((s) => s === 'appointment-booked')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'awaiting-appointment')).toHaveLength(29);
    expect(await verifyAuditChains(server.ctx, [world.orgId])).toEqual([]);
  });

  it('never commits two overlapping appointments when 30 staggered bookings race', async () => {
    const world = await createWorld(server.app, server.ctx);
    const caseIds = await triagedCases(world, 30);
    // Phone appointments of 30 minutes starting every 5 minutes from 13:00: many overlap each other.
    const responses = await Promise.all(
      caseIds.map((caseId, i) =>
        booking(world, caseId, new Date(sessionTime(3, 13).getTime() + i * 5 * MINUTE), 30, 'phone'),
      ),
    );
    for (const r of responses.filter((r) => r.statusCode !== 201)) problemOf(r, 409);
    const stored = await liveAppointments(world);
    expect(stored.length).toBe(responses.filter((r) => r.statusCode === 201).length);
    expect(stored.length).toBeGreaterThan(0);
    for (const a of stored) {
      for (const b of stored) {
        if (a.id === b.id) continue;
        const overlap = a.startsAt < b.endsAt && b.startsAt < a.endsAt;
        expect(overlap, `${a.startsAt.toISOString()} and ${b.startsAt.toISOString()}`).toBe(false);
      }
    }
  });

  it('books different free slots at the same moment without false conflicts', async () => {
    const world = await createWorld(server.app, server.ctx);
    const caseIds = await triagedCases(world, 12);
    const responses = await Promise.all(
      caseIds.map((caseId, i) =>
        booking(world, caseId, new Date(sessionTime(4, 13).getTime() + i * 15 * MINUTE), 15, 'phone'),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(caseIds.map(() => 201));
    expect(await liveAppointments(world)).toHaveLength(12);
  });
});
