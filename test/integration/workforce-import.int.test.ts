import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, people } from '../../src/db/schema.ts';
import { STAFF_CSV_COLUMNS, type StaffColumn } from '../../src/domain/workforce/staff-record.rules.ts';
import type { Server } from '../../src/server.ts';
import { importStaffAsOperator } from '../../src/services/workforce/staff-import.service.ts';
import { createUser, createWorld, problemOf, type TestUser, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const HEADER = STAFF_CSV_COLUMNS.join(',');

/** One CSV line: a nurse with an employee number, with some values changed. */
function line(employeeNumber: string, changes: Partial<Record<StaffColumn, string>> = {}): string {
  const values: Record<StaffColumn, string> = {
    employee_number: employeeNumber,
    first_name: 'Sam',
    last_name: `Nurse ${employeeNumber}`,
    date_of_birth: '1985-04-12',
    email: `sam.${employeeNumber.toLowerCase()}@example.nhs.uk`,
    staff_group: 'Nursing and Midwifery Registered',
    job_title: 'Staff nurse',
    manager_employee_number: '',
    ethnic_category: 'A',
    sex: 'female',
    disability: 'no',
    start_date: '2015-09-01',
    end_date: '',
    ...changes,
  };
  return STAFF_CSV_COLUMNS.map((c) => {
    const v = values[c];
    return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');
}

const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;

/** Posts a staff file as a user. */
function importAs(
  who: TestUser,
  organisation: string,
  body: string | Readable,
  headers: Record<string, string> = {},
) {
  return who.api('POST', `/api/v1/imports/staff?organisation=${organisation}`, body, {
    'content-type': 'text/csv',
    ...headers,
  });
}

async function staffOf(organisationId: string, employeeNumbers: string[]) {
  const rows = await systemDb(server.ctx)
    .select()
    .from(people)
    .where(and(eq(people.organisationId, organisationId), inArray(people.employeeNumber, employeeNumbers)));
  return new Map(rows.map((r) => [r.employeeNumber, r]));
}

const newWorld = () => createWorld(server.app, server.ctx);
/** Employee numbers unique to one test, so files of different tests never meet. */
const numbers = (world: World, count: number) =>
  Array.from({ length: count }, (_, i) => `${world.tag}-${i + 1}`);

describe(`POST /api/v1/imports/staff on ${engine}`, () => {
  it('lets a sysadmin import staff: records created, managers linked even when they come later', async () => {
    const world = await newWorld();
    const [report, manager, head] = numbers(world, 3) as [string, string, string];
    const file = csv(
      line(report, { manager_employee_number: manager }),
      line(manager, { manager_employee_number: head, job_title: 'Ward manager', sex: '' }),
      line(head, { job_title: 'Head of nursing', ethnic_category: '', disability: '', date_of_birth: '' }),
    );
    const response = await importAs(world.sysadmin, world.orgSlug, file);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      created: 3,
      updated: 0,
      left: 0,
      unchanged: 0,
      rejected: [],
      rejectedCount: 0,
      warnings: [],
    });
    const staff = await staffOf(world.orgId, [report, manager, head]);
    expect(staff.get(report)).toMatchObject({
      givenName: 'Sam',
      familyName: `Nurse ${report}`,
      dateOfBirth: '1985-04-12',
      email: `sam.${report}@example.nhs.uk`,
      staffGroup: 'Nursing and Midwifery Registered',
      jobTitle: 'Staff nurse',
      managerId: staff.get(manager)?.id,
      ethnicCategory: 'A',
      sex: 'female',
      disability: 'no',
      startDate: '2015-09-01',
      endDate: null,
    });
    expect(staff.get(manager)?.managerId).toBe(staff.get(head)?.id);
    expect(staff.get(manager)?.sex).toBeNull();
    expect(staff.get(head)).toMatchObject({
      managerId: null,
      ethnicCategory: null,
      disability: null,
      dateOfBirth: null,
    });

    // The same file again changes nothing.
    const again = await importAs(world.sysadmin, world.orgSlug, file);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, left: 0, unchanged: 3, rejected: [] });
    const after = await staffOf(world.orgId, [report, manager, head]);
    expect([...after.values()].map((p) => p.id).sort()).toEqual([...staff.values()].map((p) => p.id).sort());
  });

  it('lets an OH administrator of the provider serving the organisation import, and answers the people API', async () => {
    const world = await newWorld();
    const [one] = numbers(world, 1) as [string];
    const response = await importAs(world.admin, world.orgSlug, csv(line(one)));
    expect(response.statusCode).toBe(200);
    expect(response.json().created).toBe(1);
    const found = await world.admin.api('GET', `/api/v1/people?organisation=${world.orgSlug}&q=${one}`);
    expect(found.json().items).toEqual([
      expect.objectContaining({ name: `Sam Nurse ${one}`, staffGroup: 'Nursing and Midwifery Registered' }),
    ]);
  });

  it('is forbidden (403) to the organisation’s managers, analysts, employees and OH clinicians', async () => {
    const world = await newWorld();
    const analyst = await createUser(server.app, server.ctx, world.orgId, ['analyst']);
    const file = csv(line(`${world.tag}-x`));
    for (const who of [
      world.manager,
      analyst,
      world.employee,
      world.wellbeingLead,
      world.clinician,
      world.physician,
    ]) {
      problemOf(await importAs(who, world.orgSlug, file), 403);
    }
    expect((await staffOf(world.orgId, [`${world.tag}-x`])).size).toBe(0);
  });

  it('is not found (404) for another provider’s OH administrator, another system’s sysadmin and an unknown organisation', async () => {
    const world = await newWorld();
    const elsewhere = await newWorld();
    const file = csv(line(`${world.tag}-x`));
    problemOf(await importAs(world.outsiderOh, world.orgSlug, file), 404);
    problemOf(await importAs(elsewhere.sysadmin, world.orgSlug, file), 404);
    problemOf(await importAs(world.admin, world.otherOrgSlug, file), 404);
    problemOf(await importAs(world.sysadmin, 'no-such-organisation', file), 404);
    problemOf(
      await call(server.app, null)('POST', `/api/v1/imports/staff?organisation=${world.orgSlug}`, file, {
        'content-type': 'text/csv',
      }),
      401,
    );
    expect((await staffOf(world.orgId, [`${world.tag}-x`])).size).toBe(0);
  });

  it.each([
    ['no header', `${line('1')}\n`, 'must be the header'],
    [
      'a misspelt column',
      `${HEADER.replace('surname', 'x').replace('last_name', 'surname')}\n${line('1')}\n`,
      'missing last_name; unknown surname',
    ],
    ['an empty file', '', 'The file is empty'],
    ['a file of blank lines', '\n\n\n', 'The file is empty'],
  ])('refuses a file with %s (400) before writing anything', async (_label, body, words) => {
    const world = await newWorld();
    const problem = problemOf(await importAs(world.sysadmin, world.orgSlug, body), 400);
    expect(problem.detail).toContain(words);
    expect(problem.errors?.[0]?.path).toBe('/');
  });

  it('refuses a body that is not CSV (415) and a missing organisation (400)', async () => {
    const world = await newWorld();
    problemOf(
      await world.sysadmin.api('POST', `/api/v1/imports/staff?organisation=${world.orgSlug}`, { rows: [] }),
      415,
    );
    problemOf(
      await importAs(world.sysadmin, world.orgSlug, csv(line('1')), {
        'content-type': 'application/octet-stream',
      }),
      415,
    );
    const missing = problemOf(
      await world.sysadmin.api('POST', '/api/v1/imports/staff', csv(line('1')), {
        'content-type': 'text/csv',
      }),
      400,
    );
    expect(missing.errors?.map((e) => e.path)).toEqual(['/query/organisation']);
  });

  it('reports each bad row with its line and reason, and keeps the good rows', async () => {
    const world = await newWorld();
    const n = numbers(world, 9);
    const file = [
      HEADER, // line 1
      line(n[0] as string), // 2: good
      line(n[1] as string, { staff_group: 'Nurses' }), // 3
      '', // 4: blank, skipped
      line(n[2] as string, { date_of_birth: '12/04/1985' }), // 5
      line(n[3] as string, { first_name: 'Ann\nMarie' }), // 6–7: good, a value over two lines
      line(n[0] as string, { first_name: 'Again' }), // 8: duplicate of line 2
      line(n[4] as string, { end_date: '2010-01-01' }), // 9: ends before it starts
      `${n[5]},Too,Few`, // 10
      line(n[6] as string, { sex: 'F', ethnic_category: 'X', email: 'nope' }), // 11
      line('', {}), // 12
      line(n[7] as string, { date_of_birth: '2999-01-01' }), // 13
      line(n[8] as string, { job_title: 'O"Brien\'s "deputy"' }), // 14: good, quotes inside
      ',,,,,,,,,,,,', // 15: an empty spreadsheet row, skipped
    ].join('\r\n');
    const response = await importAs(world.sysadmin, world.orgSlug, file);
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({ created: 3, updated: 0, left: 0, rejectedCount: 8, warnings: [] });
    expect(result.rejected.map((r: { line: number }) => r.line)).toEqual([3, 5, 8, 9, 10, 11, 12, 13]);
    const reasons = Object.fromEntries(
      result.rejected.map((r: { line: number; message: string }) => [r.line, r.message]),
    );
    expect(reasons[3]).toContain('staff_group “Nurses” is not a staff group');
    expect(reasons[5]).toContain('date_of_birth “12/04/1985” is not a real date written YYYY-MM-DD');
    expect(reasons[8]).toContain('is also on line 2');
    expect(reasons[9]).toContain('end_date 2010-01-01 is before start_date 2015-09-01');
    expect(reasons[10]).toContain('the row has 3 values but the header has 13 columns');
    expect(reasons[11]).toMatch(/email .*; ethnic_category .*; sex “F” must be/);
    expect(reasons[12]).toContain('employee_number is blank');
    expect(reasons[13]).toContain('is in the future');
    const staff = await staffOf(world.orgId, n);
    expect([...staff.keys()].sort()).toEqual([n[0], n[3], n[8]].sort());
    expect(staff.get(n[0] as string)?.givenName).toBe('Sam');
    expect(staff.get(n[3] as string)?.givenName).toBe('Ann\nMarie');
    expect(staff.get(n[8] as string)?.jobTitle).toBe('O"Brien\'s "deputy"');
  });

  it('reports an unclosed quote on the line it opens, after keeping the rows before it', async () => {
    const world = await newWorld();
    const [a, b] = numbers(world, 2) as [string, string];
    const file = `${HEADER}\n${line(a)}\n${line(b).replace('Sam', '"Sam')}\n${line(`${world.tag}-z`)}\n`;
    const result = (await importAs(world.sysadmin, world.orgSlug, file)).json();
    expect(result.created).toBe(1);
    expect(result.rejected).toEqual([{ line: 3, message: expect.stringContaining('never closed') }]);
  });

  it('records leavers once, and counts updates and blanks that clear a value', async () => {
    const world = await newWorld();
    const [a, b, c] = numbers(world, 3) as [string, string, string];
    await importAs(world.sysadmin, world.orgSlug, csv(line(a), line(b), line(c)));
    const second = csv(
      line(a, { end_date: '2026-03-31' }),
      line(b, { job_title: 'Senior staff nurse', ethnic_category: '' }),
      line(c),
    );
    const result = (await importAs(world.admin, world.orgSlug, second)).json();
    expect(result).toMatchObject({ created: 0, updated: 1, left: 1, unchanged: 1, rejected: [] });
    const staff = await staffOf(world.orgId, [a, b]);
    expect(staff.get(a)?.endDate).toBe('2026-03-31');
    expect(staff.get(b)).toMatchObject({ jobTitle: 'Senior staff nurse', ethnicCategory: null });
    // Again: nothing new; the leaver is not counted twice.
    expect((await importAs(world.admin, world.orgSlug, second)).json()).toMatchObject({
      created: 0,
      updated: 0,
      left: 0,
      unchanged: 3,
    });
    // A leaver leaves the people search.
    const found = await world.admin.api('GET', `/api/v1/people?organisation=${world.orgSlug}&q=${a}`);
    expect(found.json().items).toEqual([]);
  });

  it('links a changed manager, and warns about a manager number no one has', async () => {
    const world = await newWorld();
    const [report, first, second] = numbers(world, 3) as [string, string, string];
    await importAs(
      world.sysadmin,
      world.orgSlug,
      csv(line(first), line(report, { manager_employee_number: first })),
    );
    // The new manager comes after the report in the file.
    const moved = await importAs(
      world.sysadmin,
      world.orgSlug,
      csv(line(first), line(report, { manager_employee_number: second }), line(second)),
    );
    expect(moved.json()).toMatchObject({ created: 1, updated: 1, unchanged: 1, warnings: [] });
    let staff = await staffOf(world.orgId, [report, second]);
    expect(staff.get(report)?.managerId).toBe(staff.get(second)?.id);

    const unknown = await importAs(
      world.sysadmin,
      world.orgSlug,
      csv(line(first), line(report, { manager_employee_number: 'NOBODY' }), line(second)),
    );
    expect(unknown.json()).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    expect(unknown.json().warnings).toEqual([{ line: 3, message: expect.stringContaining('“NOBODY”') }]);
    staff = await staffOf(world.orgId, [report]);
    expect(staff.get(report)?.managerId).toBeNull();
    // Re-importing the file with the unknown manager changes nothing more.
    const again = await importAs(
      world.sysadmin,
      world.orgSlug,
      csv(line(first), line(report, { manager_employee_number: 'NOBODY' }), line(second)),
    );
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('updates people already on record by employee number, and never touches another organisation', async () => {
    const world = await newWorld();
    const existing = await staffOf(world.orgId, []);
    expect(existing.size).toBe(0);
    const [employeeNumber] = await systemDb(server.ctx)
      .select({ n: people.employeeNumber })
      .from(people)
      .where(eq(people.id, world.employee.personId as string));
    const number = employeeNumber?.n as string;
    // The same employee number in the other organisation is a different person.
    await importAs(world.outsiderOh, world.otherOrgSlug, csv(line(number, { first_name: 'Other' })));
    const result = (
      await importAs(world.admin, world.orgSlug, csv(line(number, { first_name: 'Alexandra' })))
    ).json();
    expect(result).toMatchObject({ created: 0, updated: 1 });
    const [mine] = await systemDb(server.ctx)
      .select()
      .from(people)
      .where(eq(people.id, world.employee.personId as string));
    expect(mine).toMatchObject({ givenName: 'Alexandra', organisationId: world.orgId });
    const other = await staffOf(world.otherOrgId, [number]);
    expect(other.get(number)?.givenName).toBe('Other');
  });

  it('replays the first result for a retry with the same Idempotency-Key', async () => {
    const world = await newWorld();
    const [a] = numbers(world, 1) as [string];
    const key = randomUUID();
    const first = await importAs(world.sysadmin, world.orgSlug, csv(line(a)), { 'idempotency-key': key });
    const retry = await importAs(world.sysadmin, world.orgSlug, csv(line(a)), { 'idempotency-key': key });
    expect(first.json().created).toBe(1);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
  });

  it('lets the operator import from the command line without a user', async () => {
    const world = await newWorld();
    const [a] = numbers(world, 1) as [string];
    const seen: number[] = [];
    const result = await importStaffAsOperator(server.ctx, {
      organisation: world.orgSlug,
      csv: Readable.from([csv(line(a))]),
      onProgress: (p) => seen.push(p.bytes),
    });
    expect(result.created).toBe(1);
    expect(seen.at(-1)).toBe(Buffer.byteLength(csv(line(a))));
  });

  it('streams 100,000 rows over HTTP, and re-imports them without a change', async () => {
    const world = await newWorld();
    // Its own organisation, so the count below is exact.
    const organisationId = randomUUID();
    const slug = `bulk-${world.tag}`;
    await systemDb(server.ctx)
      .insert(organisations)
      .values({
        id: organisationId,
        slug,
        name: `Bulk ${world.tag}`,
        kind: 'nhs-trust',
        systemId: world.systemId,
      });
    const total = 100_000;
    function* rows() {
      yield `${HEADER}\n`;
      let chunk = '';
      for (let i = 1; i <= total; i++) {
        // A manager every 50 people, listed after the people they manage.
        const manager = i % 50 === 0 ? '' : `B${Math.ceil(i / 50) * 50}`;
        chunk += `B${i},Alex,Person${i},1980-01-01,,Administrative and Clerical,Clerk,${manager},A,,,2020-01-01,${i % 1000 === 0 ? '2026-01-31' : ''}\n`;
        if (i % 1000 === 0) {
          yield chunk;
          chunk = '';
        }
      }
    }
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (server.app.server.address() as AddressInfo).port;
    const post = () =>
      fetch(`http://127.0.0.1:${port}/api/v1/imports/staff?organisation=${slug}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.sysadmin.token}`, 'content-type': 'text/csv' },
        body: Readable.toWeb(Readable.from(rows())) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
    const response = await post();
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result).toMatchObject({ created: total, updated: 0, left: 0, rejectedCount: 0, warnings: [] });
    expect(await systemDb(server.ctx).$count(people, eq(people.organisationId, organisationId))).toBe(total);
    const [report] = await systemDb(server.ctx)
      .select({ managerId: people.managerId })
      .from(people)
      .where(and(eq(people.organisationId, organisationId), eq(people.employeeNumber, 'B1')));
    const [manager] = await systemDb(server.ctx)
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.organisationId, organisationId), eq(people.employeeNumber, 'B50')));
    expect(report?.managerId).toBe(manager?.id);

    const again = await (await post()).json();
    expect(again).toMatchObject({ created: 0, updated: 0, left: 0, unchanged: total, rejectedCount: 0 });

    // A bad header is refused while the client is still sending: the reply comes all the same.
    const refused = await fetch(`http://127.0.0.1:${port}/api/v1/imports/staff?organisation=${slug}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.sysadmin.token}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(
        Readable.from(
          (function* () {
            yield 'not,the,header\n';
            for (let i = 0; i < 200; i++) yield `${'x,'.repeat(5000)}\n`;
          })(),
        ),
      ) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(refused.status).toBe(400);
  }, 180_000);
});
