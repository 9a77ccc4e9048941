import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referrals } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import { londonInstant } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { createPerson, createSystem, createUser, sessionFor } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const PERIOD = 'from=2025-01-01&to=2025-12-31';

/** A page as a signed-in user sees it (session cookie, as the browser sends it). */
type Browser = (url: string) => Promise<{ status: number; html: string; headers: Record<string, unknown> }>;

async function pageUser(organisationId: string, roles: Role[]): Promise<Browser> {
  const { app, ctx } = server;
  const user = await createUser(app, ctx, organisationId, roles, { withPerson: false });
  const cookie = await sessionFor(ctx, user.userId, 'web');
  return async (url) => {
    const response = await app.inject({ method: 'GET', url, cookies: { ohwb_session: cookie } });
    return { status: response.statusCode, html: response.body, headers: response.headers };
  };
}

/**
 * A system of an ICB, a trust and a police force, with a provider serving the trust and the
 * force, the people who report on it, and staff with referrals in 2025 (the trust's figures are
 * those of the API's worked example: 40 nurses of whom 10 were referred, 12 administrators of
 * whom 9 were, 3 doctors of whom 2 were; the force has 30 officers of whom 3 were referred).
 */
async function reportingWorld() {
  const { ctx } = server;
  const { tag, ids, providerId } = await createSystem(ctx, {
    slug: 'psys',
    name: 'Page System',
    organisations: {
      icb: { slug: 'picb', name: 'ICB', kind: 'icb' },
      trust: { slug: 'ptrust', name: 'Trust', kind: 'nhs-trust' },
      force: { slug: 'pforce', name: 'Force', kind: 'police-force' },
      empty: { slug: 'pnew', name: 'New Practice', kind: 'primary-care' },
    },
    provider: {
      slug: 'poh',
      name: 'Shared OH',
      kind: 'shared-service',
      host: 'trust',
      clients: [{ organisation: 'trust' }, { organisation: 'force' }],
    },
  });
  const { icb, trust, force, empty } = ids;
  const manager = await createUser(server.app, ctx, trust, ['manager'], { withPerson: false });
  const refer = async (organisationId: string, personIds: string[], on: string) => {
    for (const personId of personIds) {
      await systemDb(ctx)
        .insert(referrals)
        .values({
          id: randomUUID(),
          organisationId,
          personId,
          providerId,
          source: 'management',
          referredByUserId: manager.userId,
          reasonEnc: ctx.cipher.encrypt('reason'),
          questionsEnc: ctx.cipher.encrypt('questions'),
          pathway: 'mental-health',
          consentGiven: true,
          status: 'awaiting-triage',
          priority: 'routine',
          createdAt: londonInstant(on, 10),
        });
    }
  };
  const staff = async (organisationId: string, count: number, fields: Record<string, string>) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await createPerson(ctx, organisationId, fields));
    return ids;
  };
  const nurses = await staff(trust, 40, {
    staffGroup: 'Nursing and Midwifery Registered',
    sex: 'female',
    ethnicCategory: 'A',
  });
  const admins = await staff(trust, 12, { staffGroup: 'Administrative and Clerical', sex: 'male' });
  const doctors = await staff(trust, 3, { staffGroup: 'Medical and Dental' });
  const officers = await staff(force, 30, { staffGroup: 'Police officer' });
  await refer(trust, nurses.slice(0, 10), '2025-03-01');
  await refer(trust, admins.slice(0, 9), '2025-05-05');
  await refer(trust, doctors.slice(0, 2), '2025-11-30');
  await refer(force, officers.slice(0, 3), '2025-06-01');
  return {
    tag,
    systemSlug: `psys-${tag}`,
    trustSlug: `ptrust-${tag}`,
    forceSlug: `pforce-${tag}`,
    emptySlug: `pnew-${tag}`,
    systemAnalyst: await pageUser(icb, ['analyst']),
    trustLead: await pageUser(trust, ['wellbeing-lead']),
    forceLead: await pageUser(force, ['wellbeing-lead']),
    emptyAnalyst: await pageUser(empty, ['analyst']),
    ohAdmin: await pageUser(trust, ['oh-admin']),
    sysadmin: await pageUser(icb, ['sysadmin']),
    manager: await pageUser(trust, ['manager']),
  };
}

/** The text of an HTML fragment: tags dropped, entities that matter here decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<span class="nhsuk-u-visually-hidden">[^<]*<\/span>/g, '')
    .replace(/<span class="nhsuk-table__heading"[^>]*>[^<]*<\/span>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of every table row of a page. */
function tableRows(html: string): string[] {
  return [...html.matchAll(/<tr class="nhsuk-table__row[^"]*"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    textOf(m[1] as string),
  );
}

/** The text of every table data cell of a page. */
function dataCells(html: string): string[] {
  return [...html.matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((m) => textOf(m[1] as string));
}

/** Every count a page shows (the figures the pages mark as counts). */
function counts(html: string): string[] {
  return [...html.matchAll(/<span class="app-figure app-figure--count">([^<]*)/g)].map((m) =>
    (m[1] as string).trim(),
  );
}

/**
 * Disclosure control as a reader sees it: no cell is a count from 1 to 7, and every count is
 * 0, * or a multiple of 5 of at least 10 (8 and 9 round to 10).
 */
function expectDisclosureControlled(html: string): void {
  const cells = dataCells(html);
  expect(cells.length).toBeGreaterThan(0);
  for (const cell of cells) {
    expect(/^[1-7]$/.test(cell), `a table cell shows "${cell}"`).toBe(false);
  }
  const shown = counts(html);
  expect(shown.length).toBeGreaterThan(0);
  for (const count of shown) {
    const value = Number(count.replace(/,/g, ''));
    expect(count === '*' || value === 0 || (value >= 10 && value % 5 === 0), `a count shows "${count}"`).toBe(
      true,
    );
  }
}

/** The NHS.UK error summary's links: [href, text]. */
function errorSummary(html: string): string[][] {
  const summary = /<div\s+class="nhsuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [
    m[1] as string,
    (m[2] as string).trim(),
  ]);
}

describe(`reporting pages on ${engine}`, () => {
  it('shows the reporting home with every report the user may run, and a Reporting link in the header', async () => {
    const world = await reportingWorld();
    const home = await world.systemAnalyst('/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('href="/reporting"');

    const page = await world.systemAnalyst('/reporting');
    expect(page.status).toBe(200);
    for (const title of [
      'Who is and is not using services',
      'Service measures (KPIs)',
      'Benchmarking across the system',
      'Minimum dataset extract',
    ]) {
      expect(page.html).toContain(title);
    }
    // The system comes first and is chosen; the reports link to it for the last 12 months.
    expect(page.html).toMatch(new RegExp(`<option value="${world.systemSlug}" selected`));
    expect(page.html).toContain(`href="/reporting/equity?scope=${world.systemSlug}&amp;from=`);
    expect(page.html).toContain('numbers from 1 to 7 are shown as *');

    // An organisation of the system chosen: benchmarking needs a system.
    const organisation = await world.systemAnalyst(`/reporting?scope=${world.forceSlug}&${PERIOD}`);
    expect(organisation.status).toBe(200);
    expect(organisation.html).toContain(
      `href="/reporting/kpis?scope=${world.forceSlug}&amp;from=2025-01-01&amp;to=2025-12-31"`,
    );
    expect(organisation.html).toContain('Choose a system to compare its organisations.');

    // The whole country chosen: benefits aims and the extract belong to organisations and systems.
    const national = await world.systemAnalyst(`/reporting?scope=national&${PERIOD}`);
    expect(national.status).toBe(200);
    expect(national.html).toContain(
      'href="/reporting/equity?scope=national&amp;from=2025-01-01&amp;to=2025-12-31"',
    );
    expect(national.html).not.toContain('href="/reporting/benefits?scope=national');
    expect(national.html).toContain(
      'Aims are set by an organisation or a system: choose one to see its aims.',
    );
    expect(national.html).toContain('the extract is not made for the whole country.');

    // A wellbeing lead reaches their own organisation only; an OH admin runs the KPIs.
    const lead = await world.forceLead('/reporting');
    expect(lead.status).toBe(200);
    expect(lead.html).toContain(`<option value="${world.forceSlug}" selected`);
    expect(lead.html).not.toContain(world.trustSlug);
    expect((await world.ohAdmin('/reporting')).status).toBe(200);
    expect((await world.ohAdmin('/')).html).toContain('href="/reporting"');
  });

  it('shows equity of access as a table and a chart, disclosure-controlled, with a dimension switcher', async () => {
    const world = await reportingWorld();
    const page = await world.systemAnalyst(`/reporting/equity?scope=${world.trustSlug}&${PERIOD}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Use of services by staff group');
    expect(page.html).toContain(`Trust ${world.tag} (NHS trust), 1 January 2025 to 31 December 2025`);
    // The chart: ECharts SVG with its name and description, no inline styles (CSP), the
    // all-staff rate as a labelled line, and the hidden groups named in a note, not drawn.
    expect(page.html).toMatch(
      /<svg [^>]*role="img"[^>]*aria-labelledby="equity-chart-title equity-chart-desc"/,
    );
    expect(page.html).not.toMatch(/<svg[^>]*>[\s\S]*?(style=|<style)[\s\S]*?<\/svg>/);
    expect(page.html).toContain('>All staff: 363.6<');
    expect(page.html).toContain(
      'Not in the chart because there are too few people (shown as * in the table): Administrative and Clerical; Medical and Dental.',
    );
    expectDisclosureControlled(page.html);
    const rows = tableRows(page.html);
    // Nurses 40 / 10; administrators (12 → 10) and doctors (3 → *) both hidden, as the total
    // would give the doctors away; all staff 55 / 21 → 20.
    expect(rows).toContain('Nursing and Midwifery Registered 40 10 250.0');
    expect(rows).toContain('Administrative and Clerical * * *');
    expect(rows).toContain('Medical and Dental * * *');
    expect(rows).toContain('All staff 55 20 363.6');
    expect(page.html).toContain('hidden to protect privacy');
    expect(page.html).toContain('What * means');

    // The switcher keeps the scope and the period.
    expect(page.html).toContain(
      `href="/reporting/equity?scope=${world.trustSlug}&amp;dimension=sex&amp;from=2025-01-01&amp;to=2025-12-31"`,
    );
    const sex = await world.systemAnalyst(
      `/reporting/equity?scope=${world.trustSlug}&dimension=sex&from=2025-01-01&to=2025-12-31`,
    );
    expect(sex.status).toBe(200);
    expect(sex.html).toContain('Use of services by sex');
    expect(sex.html).toMatch(/aria-current="page"><strong>Sex<\/strong>/);
    expectDisclosureControlled(sex.html);
    // A group with no staff has no rate to hide: it says so.
    expect(tableRows(sex.html)).toContain('Other 0 0 –');
    expect(sex.html).toContain('no staff in this group');
    expect(sex.html).toContain('Not in the chart because there are no staff in the group');

    // The whole system, for the system analyst and the sysadmin.
    const system = await world.systemAnalyst(`/reporting/equity?scope=${world.systemSlug}&${PERIOD}`);
    expect(system.status).toBe(200);
    expectDisclosureControlled(system.html);
    expect((await world.sysadmin(`/reporting/equity?scope=${world.systemSlug}&${PERIOD}`)).status).toBe(200);
  });

  it('lets a wellbeing lead see their own organisation, and no other', async () => {
    const world = await reportingWorld();
    const own = await world.forceLead(`/reporting/equity?${PERIOD}`);
    expect(own.status).toBe(200);
    expect(own.html).toContain(`Force ${world.tag}`);
    // 30 officers, 3 of them referred: the 3 is hidden.
    expectDisclosureControlled(own.html);
    expect((await world.forceLead(`/reporting/equity?scope=${world.trustSlug}&${PERIOD}`)).status).toBe(404);
    const unknown = await world.forceLead(`/reporting/kpis?scope=no-such-place-${world.tag}`);
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('Page not found');
  });

  it('refuses the reports to roles that do not run them', async () => {
    const world = await reportingWorld();
    for (const url of ['/reporting', '/reporting/equity', '/reporting/kpis', '/reporting/dataset']) {
      const page = await world.manager(url);
      expect(page.status, url).toBe(403);
      expect(page.html).toContain('You cannot do this');
    }
    // An OH administrator runs the KPIs of the organisations their provider serves, not equity.
    expect((await world.ohAdmin(`/reporting/equity?scope=${world.trustSlug}`)).status).toBe(403);
    expect((await world.ohAdmin(`/reporting/kpis?scope=${world.trustSlug}&${PERIOD}`)).status).toBe(200);
    // The extract is for analysts only.
    expect((await world.trustLead('/reporting/dataset')).status).toBe(403);
    expect((await world.trustLead(`/reporting/dataset/download?scope=${world.trustSlug}`)).status).toBe(403);
    // Signed out: the sign-in page, and back here afterwards.
    const signedOut = await server.app.inject({ method: 'GET', url: '/reporting/equity' });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/login?next=%2Freporting%2Fequity');
  });

  it('shows the KPIs in plain words, disclosure-controlled', async () => {
    const world = await reportingWorld();
    const page = await world.trustLead(`/reporting/kpis?scope=${world.trustSlug}&${PERIOD}`);
    expect(page.status).toBe(200);
    for (const label of [
      'Referrals received',
      'Days from referral to first appointment — median',
      'Did not attend',
      'Reports released within 21 days',
      'Fitness-for-work outcomes recorded in the period',
    ]) {
      expect(page.html).toContain(label);
    }
    expectDisclosureControlled(page.html);
    // 21 referrals are shown as 20.
    expect(dataCells(page.html)).toContain('20');
  });

  it('benchmarks the organisations of a system side by side, and asks for a system', async () => {
    const world = await reportingWorld();
    const page = await world.systemAnalyst(`/reporting/benchmark?scope=${world.systemSlug}&${PERIOD}`);
    expect(page.status).toBe(200);
    for (const name of [`Force ${world.tag}`, `Trust ${world.tag}`, `ICB ${world.tag}`]) {
      expect(page.html).toContain(name);
    }
    expect(page.html).toContain('Police force');
    expect(page.html).toContain('The same definitions for everyone');
    expectDisclosureControlled(page.html);

    const organisation = await world.systemAnalyst(`/reporting/benchmark?scope=${world.trustSlug}&${PERIOD}`);
    expect(organisation.status).toBe(400);
    expect(errorSummary(organisation.html)).toEqual([['#scope', 'Choose a system, not an organisation.']]);

    // A wellbeing lead of one organisation has no system to compare.
    const lead = await world.forceLead('/reporting/benchmark');
    expect(lead.status).toBe(200);
    expect(lead.html).toContain('there is no system you can run it for');
  });

  it('shows the page again with the error summary when a date is wrong', async () => {
    const world = await reportingWorld();
    const notReal = await world.systemAnalyst(
      `/reporting/equity?scope=${world.trustSlug}&from%5Bday%5D=31&from%5Bmonth%5D=2&from%5Byear%5D=2025&to%5Bday%5D=&to%5Bmonth%5D=&to%5Byear%5D=`,
    );
    expect(notReal.status).toBe(400);
    expect(notReal.html).toContain('<title>Error: ');
    expect(errorSummary(notReal.html)).toEqual([
      ['#from-day', 'Enter a real start date, for example 1 4 2025'],
    ]);
    // What was typed is shown again, and no table.
    expect(notReal.html).toMatch(/name="from\[day\]"[^>]*value="31"/);
    expect(dataCells(notReal.html)).toEqual([]);

    const backwards = await world.systemAnalyst(
      `/reporting/kpis?scope=${world.trustSlug}&from=2025-06-01&to=2025-01-01`,
    );
    expect(backwards.status).toBe(400);
    expect(errorSummary(backwards.html)).toEqual([
      ['#to-day', 'Enter an end date on or after the start date.'],
    ]);

    const tooLong = await world.systemAnalyst(`/reporting?from=2015-01-01&to=2025-01-01`);
    expect(tooLong.status).toBe(400);
    expect(errorSummary(tooLong.html)).toEqual([['#from-day', 'Choose a period of five years or less.']]);

    const garbled = await world.systemAnalyst(`/reporting/dataset/download?scope=${world.trustSlug}&to=soon`);
    expect(garbled.status).toBe(400);
    expect(garbled.headers['content-type']).toContain('text/html');
    expect(errorSummary(garbled.html)).toEqual([['#to-day', 'Enter a real end date, for example 1 4 2025']]);
  });

  it('says so plainly when there are no staff or no activity', async () => {
    const world = await reportingWorld();
    const equity = await world.emptyAnalyst(`/reporting/equity?${PERIOD}`);
    expect(equity.status).toBe(200);
    expect(equity.html).toContain('No staff are recorded for');
    expect(dataCells(equity.html)).toEqual([]);
    const kpis = await world.emptyAnalyst(`/reporting/kpis?${PERIOD}`);
    expect(kpis.status).toBe(200);
    expect(kpis.html).toContain('There was no occupational health and wellbeing activity');
    expect(dataCells(kpis.html)).toEqual([]);
  });

  it('explains the minimum dataset and downloads the pseudonymised extract', async () => {
    const world = await reportingWorld();
    const page = await world.systemAnalyst('/reporting/dataset');
    expect(page.status).toBe(200);
    expect(page.html).toContain('pseudonym');
    expect(page.html).toContain('action="/reporting/dataset/download"');
    // The country is never extracted row by row.
    expect(page.html).not.toContain('value="national"');

    const download = await world.systemAnalyst(
      `/reporting/dataset/download?scope=${world.systemSlug}&from%5Bday%5D=1&from%5Bmonth%5D=1&from%5Byear%5D=2025&to%5Bday%5D=31&to%5Bmonth%5D=12&to%5Byear%5D=2025`,
    );
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="ohwb-mds-${world.systemSlug}-2025-01-01-to-2025-12-31.csv"`,
    );
    const [header, ...rows] = download.html.trim().split('\n');
    expect(header?.startsWith('pseudonym,organisation,organisation_kind')).toBe(true);
    expect(rows).toHaveLength(24);
    expect(download.html).not.toContain('Tester');
  });
});
