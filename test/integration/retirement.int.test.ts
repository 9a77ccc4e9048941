import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../../src/db/schema.ts';
import { continuitySummaryProblems } from '../../src/domain/interop/continuity-summary.ts';
import { addDays, londonDate } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { startDueRetirementPathways } from '../../src/services/retirement/retirement.service.ts';
import { createWorld, errorPathsOf, problemOf } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const newWorld = () => createWorld(server.app, server.ctx);
const inDays = (days: number) => addDays(londonDate(new Date()), days);
const consent = () => ({ given: true, recordedAt: new Date(Date.now() - 60_000).toISOString() });

describe(`retirement preparation on ${engine}`, () => {
  it('starts the pathway when the date is within 6 months, with tasks counted back from it', async () => {
    const world = await newWorld();
    const date = inDays(120);
    const response = await world.admin.api(
      'PUT',
      `/api/v1/people/${world.employee.personId}/retirement-date`,
      { date },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      personId: world.employee.personId,
      retirementDate: date,
      pathwayStarted: true,
    });
    const tasks = await world.clinician.api('GET', `/api/v1/tasks?organisation=${world.orgSlug}`);
    expect(tasks.json().items.map((t: { code: string }) => t.code)).toEqual([
      'retirement-review',
      'continuity-consent',
      'continuity-summary',
    ]);
  });

  it('waits for the daily sweep when the date is further off, and the sweep starts it once', async () => {
    const world = await newWorld();
    const response = await world.admin.api(
      'PUT',
      `/api/v1/people/${world.employee.personId}/retirement-date`,
      {
        date: inDays(400),
      },
    );
    expect(response.json().pathwayStarted).toBe(false);
    // Brought forward (as an HR feed would): the sweep now starts it, and a second sweep does nothing more.
    await systemDb(server.ctx)
      .update(people)
      .set({ retirementDate: inDays(90) })
      .where(eq(people.id, world.employee.personId as string));
    expect(await startDueRetirementPathways(server.ctx)).toBeGreaterThanOrEqual(1);
    await startDueRetirementPathways(server.ctx);
    const tasks = await world.clinician.api('GET', `/api/v1/tasks?organisation=${world.orgSlug}`);
    expect(tasks.json().items).toHaveLength(3);
  });

  it('refuses a past date, a manager, and another organisation', async () => {
    const world = await newWorld();
    const path = `/api/v1/people/${world.employee.personId}/retirement-date`;
    const past = await world.admin.api('PUT', path, { date: inDays(-1) });
    expect(errorPathsOf(past)).toEqual(['/date']);
    problemOf(await world.manager.api('PUT', path, { date: inDays(30) }), 403);
    problemOf(await world.outsiderOh.api('PUT', path, { date: inDays(30) }), 404);
  });
});

describe(`POST /api/v1/people/{id}/continuity-summary on ${engine}`, () => {
  it('gives a valid FHIR document Bundle, with consent, and completes the pathway step', async () => {
    const world = await newWorld();
    await world.admin.api('PUT', `/api/v1/people/${world.employee.personId}/retirement-date`, {
      date: inDays(10),
    });
    const response = await world.clinician.api(
      'POST',
      `/api/v1/people/${world.employee.personId}/continuity-summary`,
      {
        consent: consent(),
        recipient: { name: 'Elm Street Surgery', odsCode: 'Y12345' },
        carePlan: ['Continue physiotherapy for the left knee'],
      },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['content-type']).toContain('application/fhir+json');
    const bundle = response.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document' });
    expect(bundle.entry[0].resource.resourceType).toBe('Composition');
    expect(continuitySummaryProblems(bundle)).toEqual([]);
    const tasks = await world.clinician.api(
      'GET',
      `/api/v1/tasks?status=completed&organisation=${world.orgSlug}`,
    );
    expect(tasks.json().items.map((t: { code: string }) => t.code)).toContain('continuity-summary');
  });

  it('never names the employer of a security-sensitive person', async () => {
    const world = await newWorld();
    await systemDb(server.ctx)
      .update(people)
      .set({ securitySensitive: true, contactAddress: '4 Hidden Road, Othertown' })
      .where(eq(people.id, world.employee.personId as string));
    const response = await world.clinician.api(
      'POST',
      `/api/v1/people/${world.employee.personId}/continuity-summary`,
      {
        consent: consent(),
      },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.body).not.toContain(`Test Police ${world.tag}`);
    expect(response.body).not.toContain(`Force OH ${world.tag}`);
    expect(response.body).not.toContain('Police constable');
    expect(response.body).toContain('4 Hidden Road');
  });

  it('refuses without consent (422), for an admin (403), for another organisation (404)', async () => {
    const world = await newWorld();
    const path = `/api/v1/people/${world.employee.personId}/continuity-summary`;
    const noConsent = await world.clinician.api('POST', path, { consent: { ...consent(), given: false } });
    expect(problemOf(noConsent, 422).errors).toEqual([
      { path: '/consent/given', message: expect.any(String) },
    ]);
    problemOf(await world.clinician.api('POST', path, {}), 422);
    problemOf(await world.admin.api('POST', path, { consent: consent() }), 403);
    problemOf(await world.outsiderOh.api('POST', path, { consent: consent() }), 404);
    problemOf(await world.clinician.api('POST', path, { consent: consent(), extra: 1 }), 400);
  });
});

describe(`GET /api/v1/people/{id} on ${engine}`, () => {
  it('gives OH staff the person with cases and the tasks outside cases; others 403 or 404', async () => {
    const world = await newWorld();
    await world.admin.api('PUT', `/api/v1/people/${world.employee.personId}/retirement-date`, {
      date: inDays(60),
    });
    const response = await world.clinician.api('GET', `/api/v1/people/${world.employee.personId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: world.employee.personId,
      retirementDate: inDays(60),
      cases: [],
    });
    expect(response.json().tasks.map((t: { code: string }) => t.code)).toContain('continuity-summary');
    problemOf(await world.manager.api('GET', `/api/v1/people/${world.employee.personId}`), 403);
    problemOf(await world.outsiderOh.api('GET', `/api/v1/people/${world.employee.personId}`), 404);
    problemOf(await world.employee.api('GET', `/api/v1/people/${world.employee.personId}`), 403);
  });
});
