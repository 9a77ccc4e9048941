import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentPeople, incidents, pathwayRuns, tasks } from '../../src/db/schema.ts';
import { LONDON } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { createUser, createWorld, errorPathsOf, problemOf, type TestUser, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const newWorld = () => createWorld(server.app, server.ctx);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const incidentFor = (personIds: Array<string | null>, change: Record<string, unknown> = {}) => ({
  occurredAt: new Date(Date.now() - 3 * HOUR).toISOString(),
  kind: 'traumatic',
  description: 'Fatal road traffic collision on the ring road',
  personIds,
  ...change,
});

const reportIncident = (who: TestUser, body: unknown) => who.api('POST', '/api/v1/incidents', body);
const traumaLog = (who: TestUser, personId: string | null) =>
  who.api('GET', `/api/v1/people/${personId}/trauma-exposure`);

type IncidentTask = { id: string; personId: string; code: string; dueAt: string };

/** Rows an incident writes in the world's organisations: a refused report must leave them alone. */
async function rowCounts(world: World) {
  const organisationIds = [world.orgId, world.otherOrgId];
  const db = systemDb(server.ctx);
  return {
    incidents: await db.$count(incidents, inArray(incidents.organisationId, organisationIds)),
    incidentPeople: await db.$count(incidentPeople, inArray(incidentPeople.organisationId, organisationIds)),
    tasks: await db.$count(tasks, inArray(tasks.organisationId, organisationIds)),
    pathwayRuns: await db.$count(pathwayRuns, inArray(pathwayRuns.organisationId, organisationIds)),
  };
}

/** The open outreach offers for a person, straight from the tasks table. */
const outreachTasksOf = (personId: string | null) =>
  systemDb(server.ctx)
    .select()
    .from(tasks)
    .where(and(eq(tasks.personId, personId ?? ''), eq(tasks.code, 'outreach-offer')));

/** The London wall-clock date and time ("YYYY-MM-DD HH:MM") of an instant. */
function londonWallClock(at: string | Date): string {
  const zoned = Temporal.Instant.fromEpochMilliseconds(new Date(at).getTime()).toZonedDateTimeISO(LONDON);
  return `${zoned.toPlainDate().toString()} ${zoned.toPlainTime().toString({ smallestUnit: 'minute' })}`;
}

describe(`POST /api/v1/incidents on ${engine}`, () => {
  describe('allowed', () => {
    it.each([
      ['the OH admin', 'admin'],
      ['an OH clinician', 'clinician'],
      ['the OH physician', 'physician'],
      ['the wellbeing lead', 'wellbeingLead'],
      ['the line manager', 'manager'],
    ] as const)('lets %s record an incident: TRiM tasks and a line in the log', async (_label, who) => {
      const world = await newWorld();
      const occurredAt = new Date(Date.now() - 3 * HOUR);
      const before = await rowCounts(world);
      const response = await reportIncident(
        world[who],
        incidentFor([world.employee.personId], { occurredAt: occurredAt.toISOString() }),
      );
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json() as { id: string; tasks: IncidentTask[] };
      expect(body.id).toEqual(expect.any(String));
      expect(body.tasks.map((t) => [t.code, t.personId])).toEqual([
        ['trim-initial', world.employee.personId],
        ['trim-follow-up', world.employee.personId],
      ]);
      const [initial, followUp] = body.tasks;
      // TRiM: about 72 hours after (elapsed), follow-up about one month after (calendar, same local time).
      expect(initial?.dueAt).toBe(new Date(occurredAt.getTime() + 72 * HOUR).toISOString());
      const local = Temporal.Instant.fromEpochMilliseconds(occurredAt.getTime()).toZonedDateTimeISO(LONDON);
      expect(londonWallClock(followUp?.dueAt ?? '')).toBe(
        londonWallClock(new Date(local.add({ months: 1 }).epochMilliseconds)),
      );
      const [row] = await systemDb(server.ctx).select().from(incidents).where(eq(incidents.id, body.id));
      expect(row).toMatchObject({
        organisationId: world.orgId,
        kind: 'traumatic',
        reportedByUserId: world[who].userId,
      });
      expect(row?.descriptionEnc).not.toContain('collision');
      const after = await rowCounts(world);
      expect(after).toEqual({
        incidents: before.incidents + 1,
        incidentPeople: before.incidentPeople + 1,
        tasks: before.tasks + 2,
        pathwayRuns: before.pathwayRuns + 1,
      });
      const log = await traumaLog(world.clinician, world.employee.personId);
      expect(log.statusCode, log.body).toBe(200);
      expect(log.json()).toMatchObject({ last12Months: 1, total: 1, outreachDue: false });
    });

    it('gives every person involved their own TRiM tasks and log line, once each', async () => {
      const world = await newWorld();
      const people = [world.employee.personId, world.manager.personId, world.otherManager.personId];
      const response = await reportIncident(
        world.clinician,
        incidentFor([...people, world.employee.personId]),
      );
      expect(response.statusCode, response.body).toBe(201);
      const created = response.json().tasks as IncidentTask[];
      expect(created).toHaveLength(6);
      for (const personId of people) {
        expect(created.filter((t) => t.personId === personId).map((t) => t.code)).toEqual([
          'trim-initial',
          'trim-follow-up',
        ]);
        expect((await traumaLog(world.clinician, personId)).json()).toMatchObject({ total: 1 });
      }
      expect(
        await systemDb(server.ctx).$count(incidentPeople, eq(incidentPeople.incidentId, response.json().id)),
      ).toBe(3);
    });

    it('puts the TRiM tasks on the OH worklist', async () => {
      const world = await newWorld();
      const response = await reportIncident(world.manager, incidentFor([world.employee.personId]));
      const worklist = await world.admin.api('GET', '/api/v1/tasks?status=open');
      const ids = worklist.json().items.map((t: { id: string }) => t.id);
      for (const task of response.json().tasks as IncidentTask[]) expect(ids).toContain(task.id);
    });
  });

  describe('outreach after repeated traumatic incidents', () => {
    it('offers outreach on the worklist at the 5th incident in 12 months, and not again at the 6th', async () => {
      const world = await newWorld();
      const personId = world.employee.personId;
      for (let i = 1; i <= 4; i++) {
        const response = await reportIncident(
          world.manager,
          incidentFor([personId], { occurredAt: new Date(Date.now() - (60 * i + 1) * DAY).toISOString() }),
        );
        expect(response.statusCode, response.body).toBe(201);
      }
      expect(await outreachTasksOf(personId)).toHaveLength(0);
      expect((await traumaLog(world.clinician, personId)).json()).toMatchObject({
        last12Months: 4,
        total: 4,
        outreachDue: false,
        threshold: 5,
      });

      const fifth = await reportIncident(world.manager, incidentFor([personId]));
      expect(fifth.statusCode, fifth.body).toBe(201);
      const offers = await outreachTasksOf(personId);
      expect(offers).toHaveLength(1);
      const worklist = await world.clinician.api('GET', '/api/v1/tasks?status=open');
      const offer = worklist
        .json()
        .items.find(
          (t: { code: string; personId: string }) => t.code === 'outreach-offer' && t.personId === personId,
        );
      expect(offer).toMatchObject({
        assignee: 'oh-clinician',
        status: 'open',
        caseId: null,
        ruleSet: { code: 'trauma-outreach', version: 1 },
      });
      // Within five days of crossing the threshold.
      const dueIn = Date.parse(offer.dueAt) - Date.now();
      expect(dueIn).toBeGreaterThan(4 * DAY);
      expect(dueIn).toBeLessThanOrEqual(5 * DAY + HOUR);
      expect((await traumaLog(world.clinician, personId)).json()).toMatchObject({
        last12Months: 5,
        total: 5,
        outreachDue: true,
      });

      const sixth = await reportIncident(world.manager, incidentFor([personId]));
      expect(sixth.statusCode, sixth.body).toBe(201);
      expect(await outreachTasksOf(personId)).toHaveLength(1);
      expect((await traumaLog(world.clinician, personId)).json()).toMatchObject({
        last12Months: 6,
        total: 6,
        outreachDue: true,
      });
    });

    it('counts incidents older than 12 months in the total but not towards outreach', async () => {
      const world = await newWorld();
      const personId = world.employee.personId;
      for (let i = 0; i < 4; i++) {
        await reportIncident(
          world.clinician,
          incidentFor([personId], { occurredAt: new Date(Date.now() - (400 + i) * DAY).toISOString() }),
        );
      }
      const recent = await reportIncident(world.clinician, incidentFor([personId]));
      expect(recent.statusCode, recent.body).toBe(201);
      expect(await outreachTasksOf(personId)).toHaveLength(0);
      expect((await traumaLog(world.clinician, personId)).json()).toMatchObject({
        last12Months: 1,
        total: 5,
        outreachDue: false,
      });
    });
    // BUG: reportIncident counts the log before and after its own insert without a lock on the person, so on
    // PostgreSQL two incidents recorded at once both see 4 → 5 and each starts an outreach offer (2 tasks).
    // (PGlite runs one transaction at a time, so it passes there.)
    it('offers outreach once when two incidents that both cross the threshold are recorded at once', async () => {
      const world = await newWorld();
      const personId = world.employee.personId;
      for (let i = 1; i <= 4; i++) {
        await reportIncident(
          world.manager,
          incidentFor([personId], { occurredAt: new Date(Date.now() - 30 * i * DAY).toISOString() }),
        );
      }
      const responses = await Promise.all([
        reportIncident(world.manager, incidentFor([personId])),
        reportIncident(world.clinician, incidentFor([personId])),
      ]);
      expect(responses.map((r) => r.statusCode)).toEqual([201, 201]);
      expect(await outreachTasksOf(personId)).toHaveLength(1);
    });

    it('puts the outreach offer on the OH worklist, not in the answer to whoever reported it', async () => {
      const world = await newWorld();
      const personId = world.employee.personId;
      for (let i = 1; i <= 4; i++) {
        await reportIncident(
          world.clinician,
          incidentFor([personId], { occurredAt: new Date(Date.now() - 30 * i * DAY).toISOString() }),
        );
      }
      const fifth = await reportIncident(world.clinician, incidentFor([personId, world.manager.personId]));
      expect(fifth.json().outreach).toBeUndefined();
      const worklist = await world.clinician.api('GET', '/api/v1/tasks?status=open');
      const offers = worklist
        .json()
        .items.filter((t: { code: string }) => t.code === 'outreach-offer')
        .map((t: { personId: string }) => t.personId);
      expect(offers).toEqual([personId]);
    });

    // BUG: the trauma-exposure log is for OH clinicians only (GET …/trauma-exposure refuses managers), and
    // API.md's answer is `{id, tasks}`; yet a manager or wellbeing lead who records the 5th incident is told
    // in `outreach: [personId]` that their colleague crossed the outreach threshold.
    it.each(['manager', 'wellbeingLead'] as const)(
      'does not tell a %s reporting the incident that outreach was started',
      async (who) => {
        const world = await newWorld();
        const personId = world.employee.personId;
        for (let i = 1; i <= 4; i++) {
          await reportIncident(
            world.clinician,
            incidentFor([personId], { occurredAt: new Date(Date.now() - 30 * i * DAY).toISOString() }),
          );
        }
        const fifth = await reportIncident(world[who], incidentFor([personId]));
        expect(fifth.statusCode, fifth.body).toBe(201);
        expect(await outreachTasksOf(personId)).toHaveLength(1);
        expect(fifth.json()).not.toHaveProperty('outreach');
        expect(fifth.body).not.toContain('outreach');
      },
    );

    it('uses the outreach count an OH physician sets in a new version of the TRiM rule set', async () => {
      const world = await newWorld();
      const pathways = await world.physician.api('GET', '/api/v1/pathways');
      const trim = (pathways.json().items as Array<{ code: string; ruleSet: { steps: unknown[] } }>).find(
        (r) => r.code === 'trim',
      );
      const published = await world.physician.api('POST', '/api/v1/pathways/trim/versions', {
        steps: trim?.ruleSet.steps,
        settings: { outreachThreshold: 3, outreachWindowMonths: 12 },
        changeNote: 'Force policy: reach out after three incidents in a year.',
      });
      expect(published.statusCode, published.body).toBe(201);
      const personId = world.employee.personId;
      for (let i = 1; i <= 2; i++) {
        await reportIncident(
          world.manager,
          incidentFor([personId], { occurredAt: new Date(Date.now() - 30 * i * DAY).toISOString() }),
        );
      }
      expect(await outreachTasksOf(personId)).toHaveLength(0);
      const third = await reportIncident(world.manager, incidentFor([personId]));
      expect(third.json().tasks.length).toBe(2);
      expect(await outreachTasksOf(personId)).toHaveLength(1);
      expect((await traumaLog(world.clinician, personId)).json()).toMatchObject({
        last12Months: 3,
        outreachDue: true,
        threshold: 3,
      });
    });
  });

  describe('forbidden (403) to people of the organisation who may not report for those people', () => {
    it.each([
      ['a manager for someone outside their team', 'otherManager', ['employee']],
      ['a manager for their team member and someone else', 'manager', ['employee', 'wellbeingLead']],
      ['an employee, even about themself', 'employee', ['employee']],
    ] as const)('refuses %s, writing nothing', async (_label, who, about) => {
      const world = await newWorld();
      const before = await rowCounts(world);
      problemOf(await reportIncident(world[who], incidentFor(about.map((p) => world[p].personId))), 403);
      expect(await rowCounts(world)).toEqual(before);
    });

    it('refuses a sysadmin', async () => {
      const world = await newWorld();
      const before = await rowCounts(world);
      problemOf(await reportIncident(world.sysadmin, incidentFor([world.employee.personId])), 403);
      expect(await rowCounts(world)).toEqual(before);
    });
  });

  describe('not found (404) for people of another organisation', () => {
    it.each([
      ['OH staff of another provider', 'outsiderOh', ['employee']],
      ['a manager of another organisation', 'outsiderEmployee', ['employee']],
      ['this provider, for a person of another organisation', 'clinician', ['outsiderEmployee']],
      [
        'this provider, when one of the people is of another organisation',
        'clinician',
        ['employee', 'outsiderEmployee'],
      ],
    ] as const)('hides them from %s, writing nothing', async (_label, who, about) => {
      const world = await newWorld();
      const before = await rowCounts(world);
      problemOf(await reportIncident(world[who], incidentFor(about.map((p) => world[p].personId))), 404);
      expect(await rowCounts(world)).toEqual(before);
    });

    it('answers 404 for an unknown or malformed person id', async () => {
      const world = await newWorld();
      const before = await rowCounts(world);
      problemOf(await reportIncident(world.clinician, incidentFor([randomUUID()])), 404);
      problemOf(await reportIncident(world.clinician, incidentFor(['nobody'])), 404);
      expect(await rowCounts(world)).toEqual(before);
    });
  });

  describe('unauthenticated (401)', () => {
    it('refuses a call without a token', async () => {
      const world = await newWorld();
      const before = await rowCounts(world);
      problemOf(
        await call(server.app, null)('POST', '/api/v1/incidents', incidentFor([world.employee.personId])),
        401,
      );
      expect(await rowCounts(world)).toEqual(before);
    });
  });

  describe('bad input (400), writing nothing', () => {
    it.each([
      [
        'an incident in the future',
        { occurredAt: new Date(Date.now() + 2 * HOUR).toISOString() },
        '/occurredAt',
      ],
      ['a time that is not a date-time', { occurredAt: 'last night' }, '/occurredAt'],
      ['a missing time', { occurredAt: undefined }, '/occurredAt'],
      ['an unknown kind', { kind: 'accident' }, '/kind'],
      ['a missing description', { description: undefined }, '/description'],
      ['an empty description', { description: '' }, '/description'],
      ['no people', { personIds: [] }, '/personIds'],
      ['people that are not a list', { personIds: 'everyone' }, '/personIds'],
      ['a person id that is a number', { personIds: [42] }, '/personIds/0'],
      ['a person id that is null', { personIds: [null] }, '/personIds/0'],
      ['an unknown field', { location: 'Ring road' }, '/location'],
    ])('refuses %s', async (_label, change, path) => {
      const world = await newWorld();
      const before = await rowCounts(world);
      const response = await reportIncident(world.clinician, incidentFor([world.employee.personId], change));
      expect(errorPathsOf(response)).toContain(path);
      expect(await rowCounts(world)).toEqual(before);
    });
  });
});

describe(`the audit trail of an incident on ${engine}`, () => {
  it('records the incident in the role of whoever reported it', async () => {
    const world = await newWorld();
    const response = await reportIncident(world.wellbeingLead, incidentFor([world.employee.personId]));
    const audit = await world.physician.api('GET', `/api/v1/audit?recordId=${response.json().id}`);
    expect(audit.json().items).toContainEqual(
      expect.objectContaining({
        action: 'incident.report',
        userId: world.wellbeingLead.userId,
        role: 'wellbeing-lead',
      }),
    );
  });

  // BUG: startPathway audits `pathway.start` with ohRoleOf(actor), which is 'unknown' for anyone but OH staff,
  // so a TRiM run started by a wellbeing lead's or a manager's report is audited in the role "unknown".
  it.each([
    ['wellbeingLead', 'wellbeing-lead'],
    ['manager', 'manager'],
  ] as const)('records the start of TRiM in the role of the %s who reported it', async (who, role) => {
    const world = await newWorld();
    await reportIncident(world[who], incidentFor([world.employee.personId]));
    const [run] = await systemDb(server.ctx)
      .select()
      .from(pathwayRuns)
      .where(eq(pathwayRuns.personId, world.employee.personId ?? ''));
    const audit = await world.physician.api('GET', `/api/v1/audit?recordId=${run?.id}`);
    expect(audit.json().items).toContainEqual(
      expect.objectContaining({ action: 'pathway.start', userId: world[who].userId, role }),
    );
  });
});

describe(`GET /api/v1/people/{id}/trauma-exposure on ${engine}`, () => {
  it.each(['clinician', 'physician'] as const)('shows the OH %s the log', async (who) => {
    const world = await newWorld();
    await reportIncident(world.manager, incidentFor([world.employee.personId]));
    const response = await traumaLog(world[who], world.employee.personId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      last12Months: 1,
      total: 1,
      outreachDue: false,
      windowStart: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      threshold: 5,
    });
  });

  it('shows an empty log for someone with no incidents', async () => {
    const world = await newWorld();
    const response = await traumaLog(world.clinician, world.employee.personId);
    expect(response.json()).toMatchObject({ last12Months: 0, total: 0, outreachDue: false });
  });

  it('audits the reading of the log', async () => {
    const world = await newWorld();
    await traumaLog(world.clinician, world.employee.personId);
    const audit = await world.physician.api('GET', `/api/v1/audit?recordId=${world.employee.personId}`);
    expect(audit.json().items).toContainEqual(
      expect.objectContaining({
        action: 'trauma-exposure.read',
        userId: world.clinician.userId,
        role: 'oh-clinician',
      }),
    );
  });

  describe('forbidden (403)', () => {
    it.each([
      ['the OH admin', 'admin', 'employee'],
      ['the line manager', 'manager', 'employee'],
      ['the wellbeing lead', 'wellbeingLead', 'employee'],
      ['the person themself', 'employee', 'employee'],
      ['a sysadmin', 'sysadmin', 'employee'],
      ['a clinician, about themself', 'clinician', 'clinician'],
    ] as const)('refuses %s', async (_label, who, about) => {
      const world = await newWorld();
      problemOf(await traumaLog(world[who], world[about].personId), 403);
    });

    it('refuses a clinician about themself even with another clinician in the provider', async () => {
      const world = await newWorld();
      const colleague = await createUser(server.app, server.ctx, world.orgId, ['oh-clinician']);
      await reportIncident(world.admin, incidentFor([world.clinician.personId]));
      problemOf(await traumaLog(world.clinician, world.clinician.personId), 403);
      expect((await traumaLog(colleague, world.clinician.personId)).json()).toMatchObject({ total: 1 });
    });
  });

  describe('not found (404)', () => {
    it.each([
      ['OH staff of another provider', 'outsiderOh'],
      ['an employee of another organisation', 'outsiderEmployee'],
    ] as const)('hides this organisation’s staff from %s', async (_label, who) => {
      const world = await newWorld();
      problemOf(await traumaLog(world[who], world.employee.personId), 404);
    });

    it('hides another organisation’s staff from this provider', async () => {
      const world = await newWorld();
      problemOf(await traumaLog(world.clinician, world.outsiderEmployee.personId), 404);
    });

    it('answers 404 for an unknown or malformed person id', async () => {
      const world = await newWorld();
      problemOf(await traumaLog(world.clinician, randomUUID()), 404);
      problemOf(await traumaLog(world.clinician, 'nobody'), 404);
    });
  });

  it('is unauthenticated (401) without a token', async () => {
    const world = await newWorld();
    problemOf(
      await call(server.app, null)('GET', `/api/v1/people/${world.employee.personId}/trauma-exposure`),
      401,
    );
  });

  it('refuses (400) an over-long id in the path', async () => {
    const world = await newWorld();
    expect(errorPathsOf(await traumaLog(world.clinician, 'x'.repeat(101)))).toContain('/params/id');
  });
});
