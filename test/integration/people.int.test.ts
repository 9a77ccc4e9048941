import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { createPerson, createUser, createWorld, errorPathsOf, problemOf, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const newWorld = () => createWorld(server.app, server.ctx);
type Person = {
  id: string;
  name: string;
  organisationId: string;
  staffGroup: string;
  jobTitle: string;
  managerId: string | null;
};
const ids = (items: Person[]) => items.map((p) => p.id);

/** All pages of a people search. */
async function allPages(who: World['admin'], query: string): Promise<Person[]> {
  const items: Person[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/people?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await who.api('GET', url);
    expect(response.statusCode).toBe(200);
    items.push(...response.json().items);
    cursor = response.json().next;
  } while (cursor);
  return items;
}

describe(`GET /api/v1/people on ${engine}`, () => {
  it('lets OH staff find the people of the organisations their provider serves', async () => {
    const world = await newWorld();
    const response = await world.admin.api('GET', `/api/v1/people?organisation=${world.orgSlug}`);
    expect(response.statusCode).toBe(200);
    const items = response.json().items as Person[];
    expect(ids(items)).toEqual(expect.arrayContaining([world.employee.personId, world.manager.personId]));
    expect(items.every((p) => p.organisationId === world.orgId)).toBe(true);
    const employee = items.find((p) => p.id === world.employee.personId);
    expect(employee).toEqual({
      id: world.employee.personId,
      name: expect.stringMatching(/^Alex Tester/),
      organisationId: world.orgId,
      staffGroup: 'Police officer',
      jobTitle: 'Police constable',
      managerId: world.manager.personId,
    });
  });

  it('searches by name and employee number, treating % and _ as plain text', async () => {
    const world = await newWorld();
    const id = await createPerson(server.ctx, world.orgId, {
      givenName: 'Priya',
      familyName: `Okonkwo${world.tag}`,
      employeeNumber: `PN${world.tag}`,
    });
    for (const q of [`okonkwo${world.tag}`, `Priya Okonkwo${world.tag}`, `PN${world.tag}`]) {
      const response = await world.clinician.api('GET', `/api/v1/people?q=${encodeURIComponent(q)}`);
      expect(ids(response.json().items)).toEqual([id]);
    }
    for (const q of ['%', '_', `Okonkwo${world.tag}%`]) {
      const response = await world.clinician.api(
        'GET',
        `/api/v1/people?organisation=${world.orgSlug}&q=${encodeURIComponent(q)}`,
      );
      expect(response.json().items).toEqual([]);
    }
  });

  it('pages through a large organisation without repeats or gaps, and leaves out leavers', async () => {
    const world = await newWorld();
    const rows = Array.from({ length: 60 }, (_, i) => ({
      id: randomUUID(),
      organisationId: world.orgId,
      employeeNumber: `P${world.tag}${i}`,
      givenName: `Given${i % 7}`,
      familyName: `Family${i % 5}`,
      staffGroup: 'Police staff',
      jobTitle: 'Call handler',
    }));
    await systemDb(server.ctx).insert(people).values(rows);
    const leaver = await createPerson(server.ctx, world.orgId, { endDate: '2025-01-31' });
    const found = await allPages(world.admin, `organisation=${world.orgSlug}`);
    expect(new Set(ids(found)).size).toBe(found.length);
    expect(ids(found)).toEqual(expect.arrayContaining(rows.map((r) => r.id)));
    expect(ids(found)).not.toContain(leaver);
  });

  it('shows a manager their own team only', async () => {
    const world = await newWorld();
    const second = await createPerson(server.ctx, world.orgId, { managerId: world.manager.personId });
    const response = await world.manager.api('GET', '/api/v1/people');
    expect(response.statusCode).toBe(200);
    expect(ids(response.json().items).sort()).toEqual([world.employee.personId, second].sort());
    const filtered = await world.manager.api('GET', `/api/v1/people?organisation=${world.orgSlug}`);
    expect(ids(filtered.json().items).sort()).toEqual([world.employee.personId, second].sort());
    const otherTeam = await world.otherManager.api('GET', '/api/v1/people');
    expect(otherTeam.json().items).toEqual([]);
  });

  it('is forbidden (403) to people who are neither OH staff nor managers', async () => {
    const world = await newWorld();
    const wellbeing = await createUser(server.app, server.ctx, world.orgId, ['wellbeing-lead', 'analyst']);
    for (const who of [world.employee, world.sysadmin, wellbeing]) {
      problemOf(await who.api('GET', '/api/v1/people'), 403);
    }
  });

  it('is not found (404) for another organisation, and never lists its people', async () => {
    const world = await newWorld();
    problemOf(await world.outsiderOh.api('GET', `/api/v1/people?organisation=${world.orgSlug}`), 404);
    problemOf(await world.manager.api('GET', `/api/v1/people?organisation=${world.otherOrgSlug}`), 404);
    problemOf(await world.admin.api('GET', `/api/v1/people?organisation=${world.otherOrgSlug}`), 404);
    problemOf(await world.admin.api('GET', '/api/v1/people?organisation=no-such-organisation'), 404);
    const outsiders = await allPages(world.outsiderOh, '');
    expect(outsiders.some((p) => p.organisationId === world.orgId)).toBe(false);
    const insiders = await allPages(world.admin, '');
    expect(insiders.some((p) => p.organisationId === world.otherOrgId)).toBe(false);
  });

  it('is unauthenticated (401) without a token', async () => {
    const response = await call(server.app, null)('GET', '/api/v1/people');
    problemOf(response, 401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it.each([
    ['a search over 200 characters', `q=${'a'.repeat(201)}`, '/query/q'],
    ['an unknown parameter', 'limit=500', '/query/limit'],
    ['a cursor that is not one', 'cursor=not-a-cursor', 'cursor'],
    ['a NUL character', 'q=%00', 'q'],
  ])('refuses %s (400)', async (_label, query, path) => {
    const world = await newWorld();
    const paths = errorPathsOf(await world.admin.api('GET', `/api/v1/people?${query}`));
    expect(paths.some((p) => p.endsWith(path))).toBe(true);
  });
});
