import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, people } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import { STAFF_CSV_COLUMNS } from '../../src/domain/workforce/staff-record.rules.ts';
import type { Server } from '../../src/server.ts';
import { createUser, createWorld, sessionFor, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

/** A signed-in browser: a session cookie, and the CSRF cookie and token of the last form it opened. */
async function browserFor(userId: string) {
  const session = await sessionFor(server.ctx, userId, 'web');
  const cookies: Record<string, string> = { ohwb_session: session };
  let token = '';
  const remember = (response: Awaited<ReturnType<Server['app']['inject']>>) => {
    for (const c of response.cookies) cookies[c.name] = c.value;
    token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? token;
    return response;
  };
  return {
    get: async (url: string) => remember(await server.app.inject({ method: 'GET', url, cookies })),
    postForm: async (url: string, fields: Record<string, string>) =>
      remember(
        await server.app.inject({
          method: 'POST',
          url,
          cookies,
          payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
    /** A multipart upload as the browser sends the import form: the fields first, then the file. */
    upload: async (url: string, fields: Record<string, string>, file: string | null, csrf = token) => {
      const boundary = '----ohwbtestboundary';
      const parts = Object.entries({ _csrf: csrf, ...fields }).map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      );
      parts.push(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file === null ? '' : 'staff.csv'}"\r\nContent-Type: text/csv\r\n\r\n${file ?? ''}\r\n`,
      );
      return remember(
        await server.app.inject({
          method: 'POST',
          url,
          cookies,
          payload: `${parts.join('')}--${boundary}--\r\n`,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        }),
      );
    },
  };
}

const HEADER = STAFF_CSV_COLUMNS.join(',');
const userWith = (world: World, roles: Role[], organisationId = world.orgId) =>
  createUser(server.app, server.ctx, organisationId, roles, { withPerson: false });

describe(`workforce pages on ${engine}`, () => {
  it('lists a sysadmin’s organisations and adds one, with the error summary for bad input', async () => {
    const world = await createWorld(server.app, server.ctx);
    const browser = await browserFor(world.sysadmin.userId);
    const page = await browser.get('/admin/organisations');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Test Police ${world.tag}`);
    expect(page.body).toContain('href="/admin/organisations"');

    const bad = await browser.postForm('/admin/organisations', {
      name: '',
      slug: 'Bad Slug',
      kind: '',
      system: `sys-${world.tag}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('href="#slug"');
    expect(bad.body).toContain('Enter the name of the organisation');

    const taken = await browser.postForm('/admin/organisations', {
      name: 'Again',
      slug: world.orgSlug,
      kind: 'other',
      system: `sys-${world.tag}`,
    });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('already exists');

    const slug = `page-org-${world.tag}`;
    const added = await browser.postForm('/admin/organisations', {
      name: 'Page Trust',
      slug,
      kind: 'nhs-trust',
      system: `sys-${world.tag}`,
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/admin/organisations');
    const after = await browser.get('/admin/organisations');
    expect(after.body).toContain('Page Trust added');
    expect(after.body).toContain(slug);
    expect(await systemDb(server.ctx).$count(organisations, eq(organisations.slug, slug))).toBe(1);
  });

  it('refuses the organisations page to anyone but a sysadmin, and a form without its CSRF token', async () => {
    const world = await createWorld(server.app, server.ctx);
    const admin = await browserFor(world.admin.userId);
    expect((await admin.get('/admin/organisations')).statusCode).toBe(403);
    const sysadmin = await browserFor(world.sysadmin.userId);
    await sysadmin.get('/admin/organisations');
    const forged = await server.app.inject({
      method: 'POST',
      url: '/admin/organisations',
      payload: new URLSearchParams({
        name: 'X',
        slug: `x-${world.tag}`,
        kind: 'other',
        system: `sys-${world.tag}`,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { ohwb_session: await sessionFor(server.ctx, world.sysadmin.userId, 'web') },
    });
    expect(forged.statusCode).toBe(403);
    expect(await systemDb(server.ctx).$count(organisations, eq(organisations.slug, `x-${world.tag}`))).toBe(
      0,
    );
  });

  it('imports an uploaded staff file for an OH administrator and shows the counts and rejected lines', async () => {
    const world = await createWorld(server.app, server.ctx);
    const browser = await browserFor(world.admin.userId);
    const form = await browser.get('/admin/staff-import');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toContain(`value="${world.orgSlug}"`);
    expect(form.body).not.toContain(`value="${world.otherOrgSlug}"`);
    expect(form.body).toContain('href="/admin/staff-import/columns"');
    expect(form.body).toContain(HEADER);

    const file = [
      HEADER,
      `${world.tag}-1,Ann,Lee,1990-01-01,,Police staff,Analyst,,,,,,`,
      `${world.tag}-2,Bo,Ray,1990-01-01,,Police,Analyst,,,,,,`,
    ].join('\n');
    const result = await browser.upload('/admin/staff-import', { organisation: world.orgSlug }, file);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('Staff import: Test Police');
    expect(result.body).toMatch(/New people[\s\S]*?1/);
    expect(result.body).toContain('Rejected rows');
    expect(result.body).toContain('staff_group “Police” is not a staff group');
    const [stored] = await systemDb(server.ctx)
      .select()
      .from(people)
      .where(and(eq(people.organisationId, world.orgId), eq(people.employeeNumber, `${world.tag}-1`)));
    expect(stored?.jobTitle).toBe('Analyst');
  });

  it('shows form errors for a missing file, a missing organisation and a bad header', async () => {
    const world = await createWorld(server.app, server.ctx);
    const browser = await browserFor(world.sysadmin.userId);
    await browser.get('/admin/staff-import');
    const missing = await browser.upload('/admin/staff-import', { organisation: '' }, null);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose an organisation');
    expect(missing.body).toContain('Choose a CSV file to upload');
    const header = await browser.upload(
      '/admin/staff-import',
      { organisation: world.orgSlug },
      'name,surname\nA,B\n',
    );
    expect(header.statusCode).toBe(400);
    expect(header.body).toContain('href="#file"');
    expect(header.body).toContain('The first line must be the header');
  });

  it('refuses an upload without a valid CSRF token, and the import to roles that may not', async () => {
    const world = await createWorld(server.app, server.ctx);
    const browser = await browserFor(world.sysadmin.userId);
    await browser.get('/admin/staff-import');
    const forged = await browser.upload(
      '/admin/staff-import',
      { organisation: world.orgSlug },
      `${HEADER}\n${world.tag}-9,A,B,,,Students,Student,,,,,,\n`,
      'not-the-token',
    );
    expect(forged.statusCode).toBe(403);
    expect(
      await systemDb(server.ctx).$count(
        people,
        and(eq(people.organisationId, world.orgId), eq(people.employeeNumber, `${world.tag}-9`)),
      ),
    ).toBe(0);
    for (const roles of [['manager'], ['oh-clinician'], ['analyst']] as Role[][]) {
      const user = await userWith(world, roles);
      const other = await browserFor(user.userId);
      expect((await other.get('/admin/staff-import')).statusCode).toBe(403);
    }
  });

  it('shows the columns page with every staff group', async () => {
    const world = await createWorld(server.app, server.ctx);
    const browser = await browserFor(world.admin.userId);
    const page = await browser.get('/admin/staff-import/columns');
    expect(page.statusCode).toBe(200);
    for (const words of [
      HEADER,
      'Nursing and Midwifery Registered',
      'Special constable',
      'manager_employee_number',
      'Not known',
      'Black or Black British - African',
    ]) {
      expect(page.body).toContain(words);
    }
  });
});
