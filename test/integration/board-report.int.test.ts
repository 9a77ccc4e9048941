import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, cases, referrals } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import { londonInstant } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { createPerson, createSystem, createUser, errorPathsOf, problemOf, sessionFor } from '../factories.ts';
import { pdfText } from '../support/pdf-text.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const PERIOD = 'from=2025-01-01&to=2025-06-30';
const at = (date: string, hour = 10) => londonInstant(date, hour);

/**
 * A system for the board report: an ICB, a police force and a trust served by one OH provider,
 * the people who may and may not run the report, and staff with referrals. Several groups hold
 * 1 to 7 people or users, so the report must hide them: 40 officers (20 referred this half-year,
 * 12 the half before), 5 special constables (3 referred), 10 police staff (none), 30 nurses
 * (9 referred, 2 of them seen).
 */
async function boardWorld() {
  const { ctx, app } = server;
  const { tag, ids, providerId } = await createSystem(ctx, {
    slug: 'bsys',
    name: 'Board System',
    organisations: {
      icb: { slug: 'bicb', name: 'Board ICB', kind: 'icb' },
      force: { slug: 'bforce', name: 'Board Police', kind: 'police-force' },
      trust: { slug: 'btrust', name: 'Board Trust', kind: 'nhs-trust' },
    },
    provider: {
      slug: 'boh',
      name: 'Board OH',
      kind: 'shared-service',
      host: 'trust',
      clients: [{ organisation: 'trust' }, { organisation: 'force' }],
    },
  });
  const { icb, force, trust } = ids;
  const user = (org: string, roles: Role[]) => createUser(app, ctx, org, roles, { withPerson: false });
  const world = {
    tag,
    systemSlug: `bsys-${tag}`,
    systemName: `Board System ${tag}`,
    forceSlug: `bforce-${tag}`,
    forceName: `Board Police ${tag}`,
    trustSlug: `btrust-${tag}`,
    force,
    trust,
    systemAnalyst: await user(icb, ['analyst']),
    icbLead: await user(icb, ['wellbeing-lead']),
    sysadmin: await user(icb, ['sysadmin']),
    forceAnalyst: await user(force, ['analyst']),
    forceLead: await user(force, ['wellbeing-lead']),
    forceManager: await user(force, ['manager']),
    ohAdmin: await user(trust, ['oh-admin']),
    clinician: await user(trust, ['oh-clinician']),
  };

  const sealed = ctx.cipher.encrypt('reason');
  const refer = async (organisationId: string, personId: string, on: string, seenOn?: string) => {
    const referralId = randomUUID();
    const caseId = seenOn ? randomUUID() : null;
    await systemDb(ctx)
      .insert(referrals)
      .values({
        id: referralId,
        organisationId,
        personId,
        providerId,
        source: 'self',
        referredByUserId: world.forceManager.userId,
        reasonEnc: sealed,
        questionsEnc: sealed,
        pathway: 'mental-health',
        status: caseId ? 'triaged' : 'awaiting-triage',
        caseId,
        createdAt: at(on, 9),
      });
    if (!caseId || !seenOn) return;
    await systemDb(ctx)
      .insert(cases)
      .values({
        id: caseId,
        organisationId,
        personId,
        referralId,
        providerId,
        pathway: 'mental-health',
        priority: 'routine',
        clinicianId: world.clinician.userId,
        status: 'open',
        createdAt: at(on, 10),
      });
    await systemDb(ctx)
      .insert(appointments)
      .values({
        id: randomUUID(),
        organisationId,
        caseId,
        clinicianId: world.clinician.userId,
        startsAt: at(seenOn, 9 + (Number.parseInt(personId.slice(0, 2), 16) % 8)),
        endsAt: new Date(at(seenOn, 9 + (Number.parseInt(personId.slice(0, 2), 16) % 8)).getTime() + 60_000),
        mode: 'phone',
        status: 'attended',
        bookedByUserId: world.ohAdmin.userId,
      });
  };
  const staff = async (organisationId: string, count: number, staffGroup: string) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(
        await createPerson(ctx, organisationId, {
          staffGroup,
          sex: i % 2 ? 'female' : 'male',
          ethnicCategory: i % 5 === 0 ? 'H' : 'A',
          disability: i % 9 === 0 ? 'yes' : 'no',
          dateOfBirth: `${1970 + (i % 30)}-05-01`,
          startDate: '2015-01-01',
        }),
      );
    }
    return ids;
  };
  const officers = await staff(force, 40, 'Police officer');
  const specials = await staff(force, 5, 'Special constable');
  await staff(force, 10, 'Police staff');
  const nurses = await staff(trust, 30, 'Nursing and Midwifery Registered');
  for (const id of officers.slice(0, 20)) await refer(force, id, '2025-03-10');
  for (const id of officers.slice(20, 32)) await refer(force, id, '2024-10-15');
  for (const id of specials.slice(0, 3)) await refer(force, id, '2025-02-01');
  for (const [i, id] of nurses.slice(0, 9).entries()) {
    await refer(trust, id, '2025-04-01', i < 2 ? `2025-04-${10 + i}` : undefined);
  }
  return world;
}
type BoardWorld = Awaited<ReturnType<typeof boardWorld>>;

let world: BoardWorld;
beforeAll(async () => {
  world = await boardWorld();
});

const board = (scope: string, query = PERIOD) => `/api/v1/reports/board?scope=${scope}&${query}`;

/** Whole numbers 1 to 7 standing alone: a count the disclosure control should have hidden. */
const SMALL = /^[1-7]$/;

/** The text of every table cell of a page (tags dropped, words for screen readers removed). */
function tableCells(html: string): string[] {
  return [...html.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<span class="nhsuk-u-visually-hidden">[\s\S]*?<\/span>/g, '')
      .replace(/<[^>]+>/g, '')
      .trim(),
  );
}

describe(`GET /api/v1/reports/board (${engine})`, () => {
  it('gives the system analyst the system report as JSON by default, every figure controlled', async () => {
    const response = await world.systemAnalyst.api('GET', board(world.systemSlug));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const report = response.json();
    expect(report.scope).toMatchObject({ kind: 'system', slug: world.systemSlug, controlled: true });
    expect(report.period).toEqual({ from: '2025-01-01', to: '2025-06-30' });
    expect(report.previousPeriod).toEqual({ from: '2024-07-04', to: '2024-12-31' });
    const referrals = report.kpis.find((k: { key: string }) => k.key === 'referrals');
    // 20 + 3 + 9 = 32 referrals this half-year, 12 the half before: rounded to the nearest 5.
    expect(referrals).toMatchObject({
      current: 30,
      previous: 10,
      change: { kind: 'up', by: 20, percent: 200 },
    });
    expect(report.summary[0]).toBe('Referrals rose from 10 to 30 (up 200%).');
    expect(report.equity.map((e: { dimension: string }) => e.dimension)).toEqual([
      'staffGroup',
      'ethnicity',
      'sex',
      'ageBand',
      'disability',
    ]);
    const byGroup = report.equity[0].rows;
    expect(byGroup).toContainEqual({
      group: 'Special constable',
      workforce: '*',
      people: '*',
      ratePer1000: '*',
    });
    expect(report.benchmark.map((o: { scope: { slug: string } }) => o.scope.slug).sort()).toEqual(
      [`bicb-${world.tag}`, world.forceSlug, world.trustSlug].sort(),
    );
    // No count from 1 to 7 anywhere in the report.
    const numbers =
      JSON.stringify(report).match(
        /"(count|of|workforce|people|current|previous|referrals|caseload)":(\d+)/g,
      ) ?? [];
    for (const pair of numbers)
      expect(Number(pair.split(':')[1]) === 0 || Number(pair.split(':')[1]) >= 8, pair).toBe(true);
  });

  it('lets the organisation analyst, wellbeing lead and the system sysadmin run it', async () => {
    expect((await world.forceAnalyst.api('GET', board(world.forceSlug))).statusCode).toBe(200);
    expect((await world.forceLead.api('GET', board(world.forceSlug))).statusCode).toBe(200);
    expect((await world.systemAnalyst.api('GET', board(world.forceSlug))).statusCode).toBe(200);
    expect((await world.icbLead.api('GET', board(world.systemSlug))).statusCode).toBe(200);
    const sysadmin = await world.sysadmin.api('GET', board(world.systemSlug));
    expect(sysadmin.statusCode).toBe(200);
    // An organisation's report has no benchmark.
    expect((await world.forceLead.api('GET', board(world.forceSlug))).json().benchmark).toBeNull();
  });

  it('refuses roles that do not run the board report (403) and hides what they cannot see (404)', async () => {
    problemOf(await world.ohAdmin.api('GET', board(world.trustSlug)), 403);
    problemOf(await world.forceManager.api('GET', board(world.forceSlug)), 403);
    // The force's wellbeing lead may not report on the whole system, nor on the trust.
    problemOf(await world.forceLead.api('GET', board(world.systemSlug)), 403);
    problemOf(await world.forceLead.api('GET', board(world.trustSlug)), 404);
    problemOf(await world.forceLead.api('GET', board('national')), 403);
    problemOf(await world.forceAnalyst.api('GET', board('no-such-scope')), 404);
    // Another system's analyst cannot tell this system exists.
    const other = await boardWorld();
    problemOf(await other.systemAnalyst.api('GET', board(world.systemSlug)), 404);
    problemOf(await other.systemAnalyst.api('GET', board(world.forceSlug)), 404);
    problemOf(await server.app.inject({ method: 'GET', url: board(world.systemSlug) }), 401);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const analyst = world.systemAnalyst;
    expect(errorPathsOf(await analyst.api('GET', board(world.systemSlug, 'from=2025-02-30')))).toEqual([
      '/from',
    ]);
    expect(
      errorPathsOf(await analyst.api('GET', board(world.systemSlug, 'from=2025-06-01&to=2025-01-01'))),
    ).toEqual(['/to']);
    expect(errorPathsOf(await analyst.api('GET', board(world.systemSlug, 'to=yesterday')))).toEqual(['/to']);
    expect(errorPathsOf(await analyst.api('GET', '/api/v1/reports/board'))).toEqual(['/query/scope']);
    expect(errorPathsOf(await analyst.api('GET', board(world.systemSlug, 'format=pdf')))).toEqual([
      '/query/format',
    ]);
    const notAcceptable = problemOf(
      await analyst.api('GET', board(world.systemSlug), undefined, { accept: 'image/png' }),
      406,
    );
    expect(notAcceptable.detail).toContain('application/pdf');
  });

  it('answers Accept: application/pdf with the report as a PDF: title, scope, KPIs, no small counts', async () => {
    const response = await world.systemAnalyst.api('GET', board(world.systemSlug), undefined, {
      accept: 'application/pdf',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="board-report-${world.systemSlug}-2025-01-01-to-2025-06-30.pdf"`,
    );
    const { pages, title } = await pdfText(response.rawPayload);
    expect(title).toBe(
      `Occupational health and wellbeing board report: ${world.systemName}, 1 January 2025 to 30 June 2025`,
    );
    const text = pages.flat();
    expect(text[0]).toBe('Occupational health and wellbeing board report');
    expect(text).toContain(world.systemName);
    expect(text).toContain('Referrals received');
    expect(text).toContain('Referrals rose from 10 to 30 (up 200%).');
    expect(text).toContain('Equity of access');
    expect(text).toContain('Special constable');
    expect(text.some((t) => t.includes('fewer than 8 people'))).toBe(true);
    expect(text.filter((t) => SMALL.test(t))).toEqual([]);
    expect(pages.at(-1)?.some((t) => t === `Page ${pages.length} of ${pages.length}`)).toBe(true);
  });

  it('answers Accept: text/csv with one row per figure, no small counts', async () => {
    const response = await world.forceLead.api('GET', board(world.forceSlug), undefined, {
      accept: 'text/csv',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows]: string[][] = parse(response.body);
    expect(header).toEqual([
      'scope',
      'period_from',
      'period_to',
      'section',
      'measure',
      'group',
      'unit',
      'current',
      'previous',
    ]);
    expect(rows[0]).toEqual([
      world.forceName,
      '2025-01-01',
      '2025-06-30',
      'Key performance indicators',
      'Referrals received',
      '',
      'count',
      '25',
      '10',
    ]);
    expect(rows).toContainEqual([
      world.forceName,
      '2025-01-01',
      '2025-06-30',
      'Equity of access: staff group',
      'Staff who used a service',
      'Special constable',
      'count',
      '*',
      '',
    ]);
    for (const row of rows.filter((r) => r[6] === 'count')) {
      expect(SMALL.test(row[7] ?? '') || SMALL.test(row[8] ?? ''), row.join(',')).toBe(false);
    }
  });

  it('answers Accept: text/html with the whole NHS.UK page, no small counts in its tables', async () => {
    const response = await world.systemAnalyst.api('GET', board(world.systemSlug), undefined, {
      accept: 'text/html',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("style-src 'self'");
    const html = response.body;
    expect(html).toContain('<h1>Occupational health and wellbeing board report');
    expect(html).toContain('/nhsuk/nhsuk-frontend.min.css');
    expect(html).toContain('Referrals rose from 10 to 30 (up 200%).');
    expect(html).toMatch(/<svg [^>]*role="img"/);
    expect(html).not.toContain('style="');
    // The standalone page has no picker and no sign-out form.
    expect(html).not.toContain('name="scope"');
    const cells = tableCells(html);
    expect(cells.length).toBeGreaterThan(50);
    expect(cells.filter((c) => SMALL.test(c))).toEqual([]);
  });

  it('national: an analyst sees every organisation without disclosure control', async () => {
    const response = await world.systemAnalyst.api('GET', board('national'));
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.scope).toMatchObject({ kind: 'national', controlled: false });
    expect(report.benchmark).toBeNull();
    expect(report.benefits).toEqual([]);
  });
});

describe(`the board report page (${engine})`, () => {
  /** A page as a signed-in user sees it (session cookie). */
  async function browse(userId: string) {
    const cookie = await sessionFor(server.ctx, userId, 'web');
    return async (url: string) => {
      const response = await server.app.inject({ method: 'GET', url, cookies: { ohwb_session: cookie } });
      return response;
    };
  }

  it('shows the picker, the download links and the report', async () => {
    const page = await browse(world.systemAnalyst.userId);
    const response = await page(`/reporting/board?scope=${world.systemSlug}&${PERIOD}`);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain('<h1>Board report</h1>');
    expect(html).toContain('name="scope"');
    expect(html).toContain(
      `href="/reporting/board/pdf?scope=${world.systemSlug}&amp;from=2025-01-01&amp;to=2025-06-30"`,
    );
    expect(html).toContain('Download CSV');
    expect(html).toContain('What changed');
    expect(tableCells(html).filter((c) => SMALL.test(c))).toEqual([]);

    const pdf = await page(`/reporting/board/pdf?scope=${world.systemSlug}&${PERIOD}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const csv = await page(`/reporting/board/csv?scope=${world.systemSlug}&${PERIOD}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\n')[0]).toBe(
      'scope,period_from,period_to,section,measure,group,unit,current,previous',
    );
  });

  it('shows the NHS.UK error summary for a date that is not real', async () => {
    const page = await browse(world.forceLead.userId);
    const response = await page(
      `/reporting/board?scope=${world.forceSlug}&from[day]=30&from[month]=2&from[year]=2025&to[day]=1&to[month]=6&to[year]=2025`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('href="#from-day"');
    const ends = await page(`/reporting/board?scope=${world.forceSlug}&from=2025-06-01&to=2025-01-01`);
    expect(ends.statusCode).toBe(400);
    expect(ends.body).toContain('Enter an end date on or after the start date.');
    const download = await page(`/reporting/board/pdf?scope=${world.forceSlug}&from=2025-02-30`);
    expect(download.statusCode).toBe(400);
    expect(download.headers['content-type']).toContain('text/html');
  });

  it('is refused to roles that do not run it, and hides other organisations', async () => {
    const admin = await browse(world.ohAdmin.userId);
    expect((await admin('/reporting/board')).statusCode).toBe(403);
    const lead = await browse(world.forceLead.userId);
    expect((await lead(`/reporting/board?scope=${world.trustSlug}`)).statusCode).toBe(404);
    expect((await lead(`/reporting/board/csv?scope=${world.trustSlug}`)).statusCode).toBe(404);
  });
});
