import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, cases, people, personUnsafeSites } from '../../src/db/schema.ts';
import type { AppointmentMode } from '../../src/domain/appointments/slot.rules.ts';
import type { Server } from '../../src/server.ts';
import {
  caseAt,
  createWorld,
  errorPathsOf,
  loopRowCounts,
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

const MINUTE = 60_000;
const newWorld = () => createWorld(server.app, server.ctx);
const counts = (world: World) => loopRowCounts(server.ctx, [world.orgId, world.otherOrgId]);

type Slot = { start: string; end: string; mode: string; siteId: string | null };
const slotsUrl = (world: World, query = '') => `/api/v1/clinicians/${world.clinician.userId}/slots${query}`;
/** Two whole London days of the world's sessions: day 1 and day 2. */
const twoDays = () => `?from=${sessionTime(1, 0).toISOString()}&to=${sessionTime(3, 0).toISOString()}`;

function bookingOf(
  world: World,
  caseId: string,
  start: Date,
  options: { minutes?: number; mode?: AppointmentMode; siteId?: string } = {},
) {
  return {
    caseId,
    clinicianId: world.clinician.userId,
    start: start.toISOString(),
    end: new Date(start.getTime() + (options.minutes ?? 60) * MINUTE).toISOString(),
    mode: options.mode ?? 'in-person',
    ...(options.siteId ? { siteId: options.siteId } : {}),
  };
}
const book = (who: TestUser, body: unknown) => who.api('POST', '/api/v1/appointments', body);

async function markUnsafe(personId: string | null, siteId: string) {
  await systemDb(server.ctx)
    .insert(personUnsafeSites)
    .values({ personId: personId as string, siteId });
}

describe(`GET /api/v1/clinicians/{id}/slots on ${engine}`, () => {
  it('shows OH staff every free slot of the clinician in the window, soonest first', async () => {
    const world = await newWorld();
    for (const who of [world.admin, world.clinician, world.physician]) {
      const response = await who.api('GET', slotsUrl(world, twoDays()));
      expect(response.statusCode).toBe(200);
      const items = response.json().items as Slot[];
      // Per day: three hourly slots at the OH suite, one at the station, six half-hourly phone slots.
      expect(items).toHaveLength(20);
      expect(items[0]).toEqual({
        start: sessionTime(1, 9).toISOString(),
        end: sessionTime(1, 10).toISOString(),
        mode: 'in-person',
        siteId: world.siteId,
      });
      expect(items.map((s) => s.start)).toEqual([...items.map((s) => s.start)].sort());
      expect(response.json().next).toBeNull();
    }
  });

  it('leaves out booked slots', async () => {
    const world = await newWorld();
    await caseAt(world, 'booked');
    const items = (await world.admin.api('GET', slotsUrl(world, twoDays()))).json().items as Slot[];
    expect(items).toHaveLength(19);
    expect(items.map((s) => s.start)).not.toContain(world.firstSlotStart.toISOString());
  });

  it('shows the employee the slots, never at a site they marked unsafe', async () => {
    const world = await newWorld();
    await markUnsafe(world.employee.personId, world.unsafeSiteId);
    const response = await world.employee.api('GET', slotsUrl(world, twoDays()));
    expect(response.statusCode).toBe(200);
    const items = response.json().items as Slot[];
    expect(items).toHaveLength(18);
    expect(items.map((s) => s.siteId)).not.toContain(world.unsafeSiteId);
  });

  it('is forbidden (403) to a user with neither an OH role nor a staff record', async () => {
    const world = await newWorld();
    problemOf(await world.sysadmin.api('GET', slotsUrl(world)), 403);
  });

  it('is not found (404) for another organisation, an unknown clinician or a non-clinician', async () => {
    const world = await newWorld();
    problemOf(await world.outsiderOh.api('GET', slotsUrl(world)), 404);
    problemOf(await world.outsiderEmployee.api('GET', slotsUrl(world)), 404);
    problemOf(await world.admin.api('GET', `/api/v1/clinicians/${randomUUID()}/slots`), 404);
    problemOf(await world.admin.api('GET', `/api/v1/clinicians/${world.admin.userId}/slots`), 404);
    problemOf(await world.admin.api('GET', '/api/v1/clinicians/not-a-uuid/slots'), 404);
  });

  it('is unauthenticated (401) without a token', async () => {
    const world = await newWorld();
    const response = await call(server.app, null)('GET', slotsUrl(world));
    problemOf(response, 401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it.each([
    ['a from that is not a date-time', '?from=tomorrow', '/query/from'],
    ['a to that is not a date-time', '?to=2026-13-01T00:00:00Z', '/query/to'],
    ['an unknown parameter', '?page=2', '/query/page'],
  ])('refuses %s (400)', async (_label, query, path) => {
    const world = await newWorld();
    expect(errorPathsOf(await world.admin.api('GET', slotsUrl(world, query)))).toContain(path);
  });

  it('refuses a window that ends before it starts, or is longer than 92 days (400)', async () => {
    const world = await newWorld();
    const from = sessionTime(2, 0);
    const backwards = `?from=${from.toISOString()}&to=${sessionTime(1, 0).toISOString()}`;
    const long = `?from=${from.toISOString()}&to=${new Date(from.getTime() + 93 * 86_400_000).toISOString()}`;
    for (const query of [backwards, long]) {
      expect(errorPathsOf(await world.admin.api('GET', slotsUrl(world, query))).join()).toMatch(/to/);
    }
  });
});

describe(`POST /api/v1/appointments on ${engine}`, () => {
  describe('allowed', () => {
    it('lets OH staff book a slot; a face-to-face booking takes the session’s site', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      const response = await book(world.admin, bookingOf(world, caseId, sessionTime(2, 10)));
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ id: expect.any(String) });
      const [row] = await systemDb(server.ctx)
        .select()
        .from(appointments)
        .where(eq(appointments.id, response.json().id));
      expect(row).toMatchObject({ caseId, siteId: world.siteId, mode: 'in-person', status: 'booked' });
      const [record] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, caseId));
      expect(record?.status).toBe('appointment-booked');
      expect(await counts(world)).toEqual({
        ...before,
        appointments: before.appointments + 1,
        auditEvents: before.auditEvents + 1,
      });
    });

    it('lets the clinician book a phone appointment, and the employee book their own', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'triaged');
      const byClinician = await book(
        world.clinician,
        bookingOf(world, caseId, sessionTime(1, 13), { minutes: 30, mode: 'phone' }),
      );
      expect(byClinician.statusCode).toBe(201);
      // With an appointment already booked, the employee cannot book another one on the case.
      const again = await book(
        world.employee,
        bookingOf(world, caseId, sessionTime(3, 14), { minutes: 30, mode: 'phone' }),
      );
      expect(problemOf(again, 422).detail).toMatch(/already have an appointment/);
      const { caseId: another } = await caseAt(world, 'triaged');
      const byEmployee = await book(
        world.employee,
        bookingOf(world, another, sessionTime(3, 14), { minutes: 30, mode: 'phone' }),
      );
      expect(byEmployee.statusCode).toBe(201);
    });
  });

  describe('conflict (409)', () => {
    it('refuses a time that overlaps the clinician’s booking on another case, writing nothing', async () => {
      const world = await newWorld();
      await caseAt(world, 'booked'); // day 1, 09:00–10:00
      const { caseId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      const overlapping = bookingOf(world, caseId, new Date(world.firstSlotStart.getTime() + 30 * MINUTE));
      expect(problemOf(await book(world.admin, overlapping), 409).detail).toMatch(/already booked/);
      expect(await counts(world)).toEqual(before);
    });
  });

  describe('refused by the rules (422), writing nothing', () => {
    const cases: Array<[string, (w: World, caseId: string) => unknown, RegExp]> = [
      ['a time in the past', (w, c) => bookingOf(w, c, new Date(Date.now() - 86_400_000)), /past/],
      ['a time outside the clinic sessions', (w, c) => bookingOf(w, c, sessionTime(1, 7)), /outside/],
      [
        'an end before the start',
        (w, c) => bookingOf(w, c, sessionTime(1, 10), { minutes: -30 }),
        /end after/,
      ],
      [
        'a clinician of another provider',
        (w, c) => ({ ...bookingOf(w, c, sessionTime(1, 10)), clinicianId: w.outsiderOh.userId }),
        /clinician/,
      ],
      [
        'a site other than the session’s',
        (w, c) => bookingOf(w, c, sessionTime(1, 10), { siteId: w.unsafeSiteId }),
        /site/,
      ],
      ['an unknown site', (w, c) => bookingOf(w, c, sessionTime(1, 10), { siteId: randomUUID() }), /site/],
      [
        'a site the employee marked unsafe',
        (w, c) => bookingOf(w, c, sessionTime(1, 12), { siteId: w.unsafeSiteId }),
        /unsafe/,
      ],
      // DOMAIN.md: venues the person marks unsafe are never offered — not even by leaving the site out.
      [
        'the unsafe site’s session without naming the site',
        (w, c) => bookingOf(w, c, sessionTime(1, 12)),
        /unsafe/,
      ],
      [
        'a face-to-face appointment in a session held by phone',
        (w, c) => bookingOf(w, c, sessionTime(1, 13), { minutes: 30 }),
        /./,
      ],
    ];
    it.each(cases)('refuses %s', async (_label, body, detail) => {
      const world = await newWorld();
      await markUnsafe(world.employee.personId, world.unsafeSiteId);
      const { caseId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      expect(problemOf(await book(world.admin, body(world, caseId)), 422).detail).toMatch(detail);
      expect(await counts(world)).toEqual(before);
    });
  });

  describe('forbidden (403) to managers who know the case', () => {
    it('refuses the referring manager and the current line manager', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'triaged');
      await systemDb(server.ctx)
        .update(people)
        .set({ managerId: world.otherManager.personId })
        .where(eq(people.id, world.employee.personId as string));
      const before = await counts(world);
      for (const who of [world.manager, world.otherManager]) {
        problemOf(await book(who, bookingOf(world, caseId, sessionTime(1, 10))), 403);
      }
      expect(await counts(world)).toEqual(before);
    });
  });

  describe('not found (404) to everyone else', () => {
    it('hides the case from other organisations, unrelated managers and a sysadmin', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      for (const who of [world.outsiderOh, world.outsiderEmployee, world.otherManager, world.sysadmin]) {
        problemOf(await book(who, bookingOf(world, caseId, sessionTime(1, 10))), 404);
      }
      problemOf(await book(world.admin, bookingOf(world, randomUUID(), sessionTime(1, 10))), 404);
      problemOf(await book(world.admin, bookingOf(world, 'case-1', sessionTime(1, 10))), 404);
      expect(await counts(world)).toEqual(before);
    });

    it('hides a self-referral case from the line manager', async () => {
      const world = await newWorld();
      const { caseId } = await selfReferredCase(world);
      problemOf(await book(world.manager, bookingOf(world, caseId, sessionTime(1, 10))), 404);
    });

    it('hides a case of someone with no line manager from a user of another system with no staff record', async () => {
      const world = await newWorld();
      const stranger = (await newWorld()).sysadmin;
      // The manager has no line manager of their own.
      const { caseId } = await selfReferredCase(world, world.manager);
      problemOf(await book(stranger, bookingOf(world, caseId, sessionTime(1, 10))), 404);
    });
  });

  describe('unauthenticated (401)', () => {
    it('refuses a call without a token', async () => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      problemOf(
        await call(server.app, null)(
          'POST',
          '/api/v1/appointments',
          bookingOf(world, caseId, sessionTime(1, 10)),
        ),
        401,
      );
      expect(await counts(world)).toEqual(before);
    });
  });

  describe('bad input (400), writing nothing', () => {
    it.each([
      ['a start that is not a date-time', { start: 'tomorrow at 9' }, ['/start']],
      ['a start without a time zone', { start: '2030-01-01T09:00:00' }, ['/start']],
      ['an unknown mode', { mode: 'carrier-pigeon' }, ['/mode']],
      ['a missing case', { caseId: undefined }, ['/caseId']],
      ['a site that is a number', { siteId: 7 }, ['/siteId']],
      ['an unknown field', { room: 'B12' }, ['/room']],
      ['several faults at once', { mode: 'fax', end: 'later', extra: 1 }, ['/mode', '/end', '/extra']],
    ])('refuses %s', async (_label, change, paths) => {
      const world = await newWorld();
      const { caseId } = await caseAt(world, 'triaged');
      const before = await counts(world);
      const response = await book(world.admin, {
        ...bookingOf(world, caseId, sessionTime(1, 10)),
        ...change,
      });
      expect(errorPathsOf(response)).toEqual(expect.arrayContaining(paths));
      expect(await counts(world)).toEqual(before);
    });
  });
});
