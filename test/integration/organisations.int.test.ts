import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, systems } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { createUser, createWorld, errorPathsOf, problemOf } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const newWorld = () => createWorld(server.app, server.ctx);

describe(`POST /api/v1/organisations on ${engine}`, () => {
  it('lets a sysadmin add an organisation to their system (201)', async () => {
    const world = await newWorld();
    const slug = `new-trust-${world.tag}`;
    const response = await world.sysadmin.api('POST', '/api/v1/organisations', {
      slug,
      name: '  Northmoor   Community Trust ',
      kind: 'nhs-trust',
      system: `sys-${world.tag}`,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      id: expect.any(String),
      slug,
      name: 'Northmoor Community Trust',
      kind: 'nhs-trust',
      system: `sys-${world.tag}`,
    });
    const [stored] = await systemDb(server.ctx)
      .select()
      .from(organisations)
      .where(eq(organisations.id, body.id));
    expect(stored).toMatchObject({ slug, systemId: world.systemId, kind: 'nhs-trust' });
    // The new organisation is at once part of the sysadmin's system: its staff can be imported.
    const imported = await world.sysadmin.api(
      'POST',
      `/api/v1/imports/staff?organisation=${slug}`,
      'employee_number,first_name,last_name,date_of_birth,email,staff_group,job_title,manager_employee_number,ethnic_category,sex,disability,start_date,end_date\n1,Ann,Lee,,,Students,Student nurse,,,,,,\n',
      { 'content-type': 'text/csv' },
    );
    expect(imported.json()).toMatchObject({ created: 1 });
  });

  it('refuses a slug already taken (409), by an organisation or a system, and the reserved one', async () => {
    const world = await newWorld();
    const body = { name: 'Another', kind: 'other', system: `sys-${world.tag}` };
    for (const slug of [world.orgSlug, `sys-${world.tag}`, 'national']) {
      problemOf(await world.sysadmin.api('POST', '/api/v1/organisations', { ...body, slug }), 409);
    }
  });

  it('gives the second of two identical requests 409, and a retry with the same Idempotency-Key the first result', async () => {
    const world = await newWorld();
    const body = { slug: `twice-${world.tag}`, name: 'Twice', kind: 'icb', system: `sys-${world.tag}` };
    const key = randomUUID();
    const first = await world.sysadmin.api('POST', '/api/v1/organisations', body, { 'idempotency-key': key });
    const retry = await world.sysadmin.api('POST', '/api/v1/organisations', body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    problemOf(await world.sysadmin.api('POST', '/api/v1/organisations', body), 409);
  });

  it('refuses an unknown system (422, naming /system)', async () => {
    const world = await newWorld();
    const problem = problemOf(
      await world.sysadmin.api('POST', '/api/v1/organisations', {
        slug: `lost-${world.tag}`,
        name: 'Lost',
        kind: 'other',
        system: `no-such-system-${world.tag}`,
      }),
      422,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(['/system']);
  });

  it('is forbidden (403) to other roles, and to the sysadmin of another system', async () => {
    const world = await newWorld();
    const elsewhere = await newWorld();
    const analyst = await createUser(server.app, server.ctx, world.orgId, ['analyst']);
    const body = { slug: `nope-${world.tag}`, name: 'Nope', kind: 'other', system: `sys-${world.tag}` };
    for (const who of [
      world.admin,
      world.manager,
      world.employee,
      world.physician,
      analyst,
      elsewhere.sysadmin,
    ]) {
      problemOf(await who.api('POST', '/api/v1/organisations', body), 403);
    }
    // A non-sysadmin learns nothing about which systems exist.
    problemOf(
      await world.manager.api('POST', '/api/v1/organisations', { ...body, system: 'no-such-system' }),
      403,
    );
    problemOf(await call(server.app, null)('POST', '/api/v1/organisations', body), 401);
    expect(await systemDb(server.ctx).$count(organisations, eq(organisations.slug, body.slug))).toBe(0);
  });

  it.each([
    ['an upper-case slug', { slug: 'North-Trust' }, ['/slug']],
    ['a slug with a space', { slug: 'north trust' }, ['/slug']],
    ['a blank name', { name: '   ' }, ['/name']],
    ['an unknown kind', { kind: 'hospital' }, ['/kind']],
    ['a missing system', { system: undefined }, ['/system']],
    ['an unknown field', { colour: 'blue' }, ['/colour']],
  ])('refuses %s (400) with field errors', async (_label, change, paths) => {
    const world = await newWorld();
    const body = {
      slug: `ok-${world.tag}`,
      name: 'Fine',
      kind: 'other',
      system: `sys-${world.tag}`,
      ...change,
    };
    const response = await world.sysadmin.api(
      'POST',
      '/api/v1/organisations',
      JSON.parse(JSON.stringify(body)),
    );
    expect(errorPathsOf(response)).toEqual(paths);
  });

  it('lets a system administrator of a brand-new system add to it, once they hold the role there', async () => {
    const systemId = randomUUID();
    const tag = randomUUID().slice(0, 8);
    await systemDb(server.ctx)
      .insert(systems)
      .values({ id: systemId, slug: `fresh-${tag}`, name: 'Fresh' });
    const orgId = randomUUID();
    await systemDb(server.ctx)
      .insert(organisations)
      .values({ id: orgId, slug: `fresh-icb-${tag}`, name: 'Fresh ICB', kind: 'icb', systemId });
    const admin = await createUser(server.app, server.ctx, orgId, ['sysadmin'], { withPerson: false });
    const response = await admin.api('POST', '/api/v1/organisations', {
      slug: `fresh-force-${tag}`,
      name: 'Fresh Police',
      kind: 'police-force',
      system: `fresh-${tag}`,
    });
    expect(response.statusCode).toBe(201);
  });
});
