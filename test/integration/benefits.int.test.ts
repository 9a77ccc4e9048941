import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benefitAims, referrals } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import { londonInstant } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { createPerson, createSystem, createUser, errorPathsOf, problemOf, sessionFor } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
  // Aims are tracked quarter by quarter up to today: a fixed today makes the quarters known.
  // (In the past of the real clock, so the test sessions are still valid.)
  server.ctx.now = () => new Date('2026-02-15T12:00:00Z');
});
afterAll(async () => server.app.close());

/**
 * A system with an ICB, a police force and a trust served by one OH provider; the people who
 * may and may not set aims; and the force's referrals: 10 in July to September 2025 (3 self,
 * too few to show a share) and 20 in October to December 2025 (12 self: 50% as shown).
 */
async function benefitsWorld() {
  const { ctx, app } = server;
  const { tag, systemId, ids, providerId } = await createSystem(ctx, {
    slug: 'asys',
    name: 'Aims System',
    organisations: {
      icb: { slug: 'aicb', name: 'Aims ICB', kind: 'icb' },
      force: { slug: 'aforce', name: 'Aims Police', kind: 'police-force' },
      trust: { slug: 'atrust', name: 'Aims Trust', kind: 'nhs-trust' },
    },
    provider: {
      slug: 'aoh',
      name: 'Aims OH',
      kind: 'in-house',
      host: 'force',
      clients: [{ organisation: 'force' }],
    },
  });
  const { icb, force, trust } = ids;
  const user = (org: string, roles: Role[]) => createUser(app, ctx, org, roles, { withPerson: false });
  const world = {
    systemSlug: `asys-${tag}`,
    forceSlug: `aforce-${tag}`,
    trustSlug: `atrust-${tag}`,
    force,
    systemId,
    systemAnalyst: await user(icb, ['analyst']),
    sysadmin: await user(icb, ['sysadmin']),
    forceLead: await user(force, ['wellbeing-lead']),
    forceAnalyst: await user(force, ['analyst']),
    forceManager: await user(force, ['manager']),
    ohAdmin: await user(force, ['oh-admin']),
    trustLead: await user(trust, ['wellbeing-lead']),
  };
  const sealed = ctx.cipher.encrypt('reason');
  const refer = async (on: string, self: boolean) => {
    const personId = await createPerson(ctx, force, { staffGroup: 'Police officer' });
    await systemDb(ctx)
      .insert(referrals)
      .values({
        id: randomUUID(),
        organisationId: force,
        personId,
        providerId,
        source: self ? 'self' : 'management',
        referredByUserId: world.forceManager.userId,
        reasonEnc: sealed,
        questionsEnc: sealed,
        status: 'awaiting-triage',
        createdAt: londonInstant(on, 10),
      });
  };
  for (let i = 0; i < 10; i++) await refer('2025-08-12', i < 3);
  for (let i = 0; i < 20; i++) await refer('2025-11-04', i < 12);
  return world;
}

let world: Awaited<ReturnType<typeof benefitsWorld>>;
beforeAll(async () => {
  world = await benefitsWorld();
});

const selfReferralAim = (scope: string) => ({
  scope,
  name: 'Raise self-referral to 50%',
  measure: 'selfReferralPercent',
  direction: 'increase',
  baselineValue: 30,
  baselineFrom: '2025-01-01',
  baselineTo: '2025-03-31',
  targetValue: 50,
  targetDate: '2026-12-31',
});

const aimsOf = async (organisationOrSystem: { organisationId?: string; systemId?: string }) =>
  systemDb(server.ctx)
    .select({ id: benefitAims.id })
    .from(benefitAims)
    .where(
      organisationOrSystem.organisationId
        ? eq(benefitAims.organisationId, organisationOrSystem.organisationId)
        : eq(benefitAims.systemId, organisationOrSystem.systemId as string),
    );

describe(`benefits realisation API (${engine})`, () => {
  it('a wellbeing lead sets an aim for their organisation, tracked quarter by quarter', async () => {
    const response = await world.forceLead.api('POST', '/api/v1/benefits', selfReferralAim(world.forceSlug));
    expect(response.statusCode).toBe(201);
    const aim = response.json();
    expect(aim).toMatchObject({
      name: 'Raise self-referral to 50%',
      measure: 'selfReferralPercent',
      measureLabel: 'Self-referrals (% of referrals)',
      unit: 'percent',
      direction: 'increase',
      baseline: { value: 30, from: '2025-01-01', to: '2025-03-31' },
      target: { value: 50, date: '2026-12-31' },
      // Oct–Dec 2025: 50% shown, above the 38.6% the straight line expects by then.
      status: 'on-track',
      statusLabel: 'On track',
    });
    expect(
      aim.quarters.map((q: { label: string; value: unknown; complete: boolean }) => [
        q.label,
        q.value,
        q.complete,
      ]),
    ).toEqual([
      ['April to June 2025', '*', true],
      ['July to September 2025', '*', true],
      ['October to December 2025', 50, true],
      ['January to March 2026 (to 15 February)', '*', false],
    ]);
    expect(aim.reason).toBe(
      'In October to December 2025 it was 50%, at or better than the 38.6% expected by then on the way to the target.',
    );

    const list = await world.forceAnalyst.api('GET', `/api/v1/benefits?scope=${world.forceSlug}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().scope).toMatchObject({ kind: 'organisation', slug: world.forceSlug });
    expect(list.json().aims.map((a: { id: string }) => a.id)).toContain(aim.id);

    // The board report of the force shows its aims.
    const board = await world.forceLead.api('GET', `/api/v1/reports/board?scope=${world.forceSlug}`);
    expect(board.json().benefits.map((a: { name: string }) => a.name)).toContain(
      'Raise self-referral to 50%',
    );
  });

  it('an aim with too few people in its latest full quarter is "too few to tell"', async () => {
    const response = await world.forceAnalyst.api('POST', '/api/v1/benefits', {
      ...selfReferralAim(world.forceSlug),
      name: 'Halve missed appointments',
      measure: 'didNotAttendPercent',
      direction: 'decrease',
      baselineValue: 12,
      targetValue: 6,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'too-few',
      statusLabel: 'Too few to tell',
      reason: 'Too few people in October to December 2025 to tell.',
    });
  });

  it('system aims belong to the system: set by its ICB analyst or sysadmin, listed apart from its organisations', async () => {
    const analyst = await world.systemAnalyst.api('POST', '/api/v1/benefits', {
      ...selfReferralAim(world.systemSlug),
      name: 'Cut the wait for a first appointment to 10 days',
      measure: 'medianDaysToFirstAppointment',
      direction: 'decrease',
      baselineValue: 14,
      targetValue: 10,
    });
    expect(analyst.statusCode).toBe(201);
    const sysadmin = await world.sysadmin.api('POST', '/api/v1/benefits', selfReferralAim(world.systemSlug));
    expect(sysadmin.statusCode).toBe(201);
    const list = (await world.systemAnalyst.api('GET', `/api/v1/benefits?scope=${world.systemSlug}`)).json();
    expect(list.aims.map((a: { name: string }) => a.name)).toEqual([
      'Cut the wait for a first appointment to 10 days',
      'Raise self-referral to 50%',
    ]);
    expect(list.aims[0].createdBy).toContain('analyst');
  });

  it('refuses roles that do not set aims (403) and hides scopes they cannot see (404); writes nothing', async () => {
    const before = (await aimsOf({ systemId: world.systemId })).length;
    problemOf(await world.ohAdmin.api('POST', '/api/v1/benefits', selfReferralAim(world.forceSlug)), 403);
    problemOf(
      await world.forceManager.api('POST', '/api/v1/benefits', selfReferralAim(world.forceSlug)),
      403,
    );
    problemOf(await world.forceManager.api('GET', `/api/v1/benefits?scope=${world.forceSlug}`), 403);
    problemOf(await world.forceLead.api('POST', '/api/v1/benefits', selfReferralAim(world.systemSlug)), 403);
    problemOf(await world.forceLead.api('POST', '/api/v1/benefits', selfReferralAim(world.trustSlug)), 404);
    problemOf(await world.trustLead.api('GET', `/api/v1/benefits?scope=${world.forceSlug}`), 404);
    const other = await benefitsWorld();
    problemOf(await other.systemAnalyst.api('GET', `/api/v1/benefits?scope=${world.systemSlug}`), 404);
    problemOf(
      await other.systemAnalyst.api('POST', '/api/v1/benefits', selfReferralAim(world.forceSlug)),
      404,
    );
    problemOf(
      await server.app.inject({ method: 'GET', url: `/api/v1/benefits?scope=${world.forceSlug}` }),
      401,
    );
    expect((await aimsOf({ systemId: world.systemId })).length).toBe(before);
  });

  it('refuses bad input, naming each field, and writes nothing', async () => {
    const before = (await aimsOf({ organisationId: world.force })).length;
    const post = (body: Record<string, unknown>) => world.forceLead.api('POST', '/api/v1/benefits', body);
    const good = selfReferralAim(world.forceSlug);
    expect(errorPathsOf(await post({ ...good, name: '' }))).toEqual(['/name']);
    expect(errorPathsOf(await post({ ...good, measure: 'happiness' }))).toEqual(['/measure']);
    expect(errorPathsOf(await post({ ...good, baselineValue: 'thirty' }))).toEqual(['/baselineValue']);
    expect(errorPathsOf(await post({ ...good, colour: 'blue' }))).toEqual(['/colour']);
    const { targetDate: _t, ...missing } = good;
    expect(errorPathsOf(await post(missing))).toEqual(['/targetDate']);
    expect(errorPathsOf(await post({ ...good, baselineFrom: '2025-02-30', targetValue: 20 }))).toEqual([
      '/baselineFrom',
    ]);
    expect(errorPathsOf(await post({ ...good, targetValue: 20 }))).toEqual(['/targetValue']);
    expect(errorPathsOf(await post({ ...good, targetDate: '2025-03-01' }))).toEqual(['/targetDate']);
    expect(errorPathsOf(await post({ ...good, baselineTo: '2026-06-30' }))).toEqual(['/baselineTo']);
    expect(errorPathsOf(await post({ ...good, targetValue: 120 }))).toEqual(['/targetValue']);
    // The country has no aims of its own (an analyst may report on it, a wellbeing lead may not).
    expect(
      errorPathsOf(await world.forceAnalyst.api('POST', '/api/v1/benefits', { ...good, scope: 'national' })),
    ).toEqual(['/scope']);
    problemOf(await post({ ...good, scope: 'national' }), 403);
    expect(errorPathsOf(await world.forceLead.api('GET', '/api/v1/benefits'))).toEqual(['/query/scope']);
    expect((await aimsOf({ organisationId: world.force })).length).toBe(before);
  });
});

describe(`benefits realisation pages (${engine})`, () => {
  /** A signed-in browser: GET pages, and POST forms with the CSRF token the page gave. */
  async function browser(userId: string) {
    const session = await sessionFor(server.ctx, userId, 'web');
    const cookies: Record<string, string> = { ohwb_session: session };
    const remember = (response: { cookies: Array<{ name: string; value: string }> }) => {
      for (const c of response.cookies) cookies[c.name] = c.value;
    };
    return {
      get: async (url: string) => {
        const response = await server.app.inject({ method: 'GET', url, cookies });
        remember(response);
        return response;
      },
      post: async (url: string, form: Record<string, string>, csrfFrom: string) => {
        const token = /name="_csrf" value="([^"]+)"/.exec(csrfFrom)?.[1] ?? '';
        const response = await server.app.inject({
          method: 'POST',
          url,
          cookies,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
        });
        remember(response);
        return response;
      },
    };
  }

  const dateFields = (name: string, iso: string) => {
    const [year = '', month = '', day = ''] = iso.split('-');
    return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
  };

  it('lists the aims with their status and adds one through the form', async () => {
    const page = await browser(world.forceLead.userId);
    const list = await page.get(`/reporting/benefits?scope=${world.forceSlug}`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Raise self-referral to 50%');
    expect(list.body).toContain('nhsuk-tag--green');
    expect(list.body).toMatch(/<svg [^>]*role="img"/);

    const added = await page.post(
      '/reporting/benefits',
      {
        scope: world.forceSlug,
        name: 'Reports within 21 days to 90%',
        measure: 'reportsWithin21DaysPercent',
        direction: 'increase',
        baselineValue: '70%',
        targetValue: '90',
        ...dateFields('baselineFrom', '2025-01-01'),
        ...dateFields('baselineTo', '2025-03-31'),
        ...dateFields('targetDate', '2027-03-31'),
      },
      list.body,
    );
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/reporting/benefits?scope=${world.forceSlug}`);
    const after = await page.get(`/reporting/benefits?scope=${world.forceSlug}`);
    expect(after.body).toContain('Aim added: Reports within 21 days to 90%');
  });

  it('shows the NHS.UK error summary for a form with mistakes, and keeps what was typed', async () => {
    const page = await browser(world.forceLead.userId);
    const list = await page.get(`/reporting/benefits?scope=${world.forceSlug}`);
    const before = (await aimsOf({ organisationId: world.force })).length;
    const response = await page.post(
      '/reporting/benefits',
      {
        scope: world.forceSlug,
        name: 'Shorter waits',
        measure: '',
        direction: 'decrease',
        baselineValue: 'fourteen',
        targetValue: '10',
        ...dateFields('baselineFrom', '2025-02-30'),
        ...dateFields('baselineTo', '2025-03-31'),
      },
      list.body,
    );
    expect(response.statusCode).toBe(400);
    const html = response.body;
    expect(html).toContain('nhsuk-error-summary');
    for (const anchor of ['#measure', '#baselineValue', '#baselineFrom-day', '#targetDate-day']) {
      expect(html).toContain(`href="${anchor}"`);
    }
    expect(html).toContain('Enter the date the target should be reached by');
    expect(html).toContain('value="Shorter waits"');
    expect((await aimsOf({ organisationId: world.force })).length).toBe(before);
  });

  it('asks for an organisation or system when a link names the country', async () => {
    const analyst = await browser(world.forceAnalyst.userId);
    const response = await analyst.get('/reporting/benefits?scope=national');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#scope-picker"');
    expect(response.body).not.toContain('Add an aim');
  });

  it('is refused to roles that do not set aims', async () => {
    const admin = await browser(world.ohAdmin.userId);
    expect((await admin.get('/reporting/benefits')).statusCode).toBe(403);
    const lead = await browser(world.trustLead.userId);
    expect((await lead.get(`/reporting/benefits?scope=${world.forceSlug}`)).statusCode).toBe(404);
  });
});
