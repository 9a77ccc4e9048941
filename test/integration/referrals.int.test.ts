import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, referrals } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import {
  createPerson,
  createUser,
  createWorld,
  errorPathsOf,
  loopRowCounts,
  problemOf,
  type World,
} from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

const newWorld = () => createWorld(server.app, server.ctx);
const counts = (world: World) => loopRowCounts(server.ctx, [world.orgId, world.otherOrgId]);
const consent = () => ({ given: true, recordedAt: new Date(Date.now() - 3_600_000).toISOString() });
const referralOf = (world: World) => ({
  personId: world.employee.personId,
  reason: 'Recurrent absence with back pain.',
  questions: ['Is there an underlying condition?', 'What adjustments would help?'],
  consent: consent(),
});

describe(`POST /api/v1/referrals on ${engine}`, () => {
  describe('allowed', () => {
    it('lets a line manager refer their team member with consent, and keeps the reason encrypted', async () => {
      const world = await newWorld();
      const response = await world.manager.api('POST', '/api/v1/referrals', {
        ...referralOf(world),
        pathway: 'musculoskeletal',
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ id: expect.any(String), status: 'awaiting-triage' });
      const [row] = await systemDb(server.ctx)
        .select()
        .from(referrals)
        .where(eq(referrals.id, response.json().id));
      expect(row).toMatchObject({
        organisationId: world.orgId,
        personId: world.employee.personId,
        source: 'management',
        referredByUserId: world.manager.userId,
        consentGiven: true,
        pathway: 'musculoskeletal',
        status: 'awaiting-triage',
      });
      expect(row?.reasonEnc).not.toContain('back pain');
      expect(server.ctx.cipher.decrypt(row?.reasonEnc ?? '')).toBe('Recurrent absence with back pain.');
    });

    it('lets an employee refer themself', async () => {
      const world = await newWorld();
      const response = await world.employee.api('POST', '/api/v1/referrals', {
        selfReferral: true,
        reason: 'Low mood after a difficult incident.',
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ id: expect.any(String), status: 'awaiting-triage' });
      const [row] = await systemDb(server.ctx)
        .select()
        .from(referrals)
        .where(eq(referrals.id, response.json().id));
      expect(row).toMatchObject({ source: 'self', personId: world.employee.personId, pathway: null });
    });

    it('audits the referral', async () => {
      const world = await newWorld();
      const before = await counts(world);
      const response = await world.manager.api('POST', '/api/v1/referrals', referralOf(world));
      expect(response.statusCode).toBe(201);
      expect(await counts(world)).toEqual({
        ...before,
        referrals: before.referrals + 1,
        auditEvents: before.auditEvents + 1,
      });
    });
  });

  describe('refused by the rules (422), writing nothing', () => {
    it.each([
      ['no consent', undefined],
      ['consent not given', { given: false, recordedAt: new Date().toISOString() }],
      [
        'consent recorded tomorrow',
        { given: true, recordedAt: new Date(Date.now() + 86_400_000).toISOString() },
      ],
    ])('refuses a management referral with %s', async (_label, consentValue) => {
      const world = await newWorld();
      const before = await counts(world);
      const { consent: _omitted, ...body } = referralOf(world);
      const response = await world.manager.api('POST', '/api/v1/referrals', {
        ...body,
        ...(consentValue ? { consent: consentValue } : {}),
      });
      expect(problemOf(response, 422).detail).toMatch(/consent/i);
      expect(await counts(world)).toEqual(before);
    });

    it('refuses a referral in an organisation no OH provider serves', async () => {
      const world = await newWorld();
      const orgId = randomUUID();
      await systemDb(server.ctx)
        .insert(organisations)
        .values({
          id: orgId,
          slug: `lonely-${world.tag}`,
          name: 'Unserved Council',
          kind: 'local-authority',
          systemId: world.systemId,
        });
      const manager = await createUser(server.app, server.ctx, orgId, ['manager']);
      const personId = await createPerson(server.ctx, orgId, { managerId: manager.personId });
      const response = await manager.api('POST', '/api/v1/referrals', { ...referralOf(world), personId });
      expect(problemOf(response, 422).detail).toMatch(/provider/);
      expect(await loopRowCounts(server.ctx, [orgId])).toMatchObject({ referrals: 0, auditEvents: 0 });
    });
  });

  describe('forbidden (403) to people of the organisation who may not refer that person', () => {
    it.each([
      ['a manager who does not manage them', 'otherManager'],
      ['OH staff', 'admin'],
      ['a clinician', 'clinician'],
      ['a colleague without a manager role', 'employee'],
    ] as const)('refuses %s', async (_label, who) => {
      const world = await newWorld();
      // The employee tries to refer their own manager; everyone else tries the employee.
      const personId = who === 'employee' ? world.manager.personId : world.employee.personId;
      const before = await counts(world);
      const response = await world[who].api('POST', '/api/v1/referrals', { ...referralOf(world), personId });
      problemOf(response, 403);
      expect(await counts(world)).toEqual(before);
    });

    it('refuses a self-referral from a user with no staff record', async () => {
      const world = await newWorld();
      const response = await world.sysadmin.api('POST', '/api/v1/referrals', {
        selfReferral: true,
        reason: 'Help',
      });
      problemOf(response, 403);
    });
  });

  describe('not found (404) outside the organisation', () => {
    it('hides a person of another organisation from a manager there and from its OH staff', async () => {
      const world = await newWorld();
      const before = await counts(world);
      for (const outsider of [world.outsiderEmployee, world.outsiderOh]) {
        const response = await outsider.api('POST', '/api/v1/referrals', referralOf(world));
        problemOf(response, 404);
      }
      expect(await counts(world)).toEqual(before);
    });

    it('answers 404 for an unknown or malformed person id', async () => {
      const world = await newWorld();
      for (const personId of [randomUUID(), 'not-a-uuid']) {
        problemOf(
          await world.manager.api('POST', '/api/v1/referrals', { ...referralOf(world), personId }),
          404,
        );
      }
    });
  });

  describe('unauthenticated (401)', () => {
    it('refuses a call without a token, or with a bad one', async () => {
      const world = await newWorld();
      for (const token of [null, 'not-a-token']) {
        const response = await call(server.app, token)('POST', '/api/v1/referrals', referralOf(world));
        problemOf(response, 401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
    });
  });

  describe('bad input (400), writing nothing', () => {
    const cases: Array<[string, (world: World) => unknown, string[]]> = [
      ['a missing reason', (w) => ({ ...referralOf(w), reason: undefined }), ['/reason']],
      ['an empty reason', (w) => ({ ...referralOf(w), reason: '' }), ['/reason']],
      ['questions that are not a list', (w) => ({ ...referralOf(w), questions: 'Fit?' }), ['/questions']],
      [
        'more than 20 questions',
        (w) => ({ ...referralOf(w), questions: Array.from({ length: 21 }, (_, i) => `Question ${i}`) }),
        ['/questions'],
      ],
      ['an unknown field', (w) => ({ ...referralOf(w), urgent: true }), ['/urgent']],
      [
        'a consent time that is not a date-time',
        (w) => ({ ...referralOf(w), consent: { given: true, recordedAt: 'last Tuesday' } }),
        ['/consent/recordedAt'],
      ],
      [
        'consent given as text',
        (w) => ({ ...referralOf(w), consent: { given: 'yes', recordedAt: new Date().toISOString() } }),
        ['/consent/given'],
      ],
      [
        'a pathway that is not a slug',
        (w) => ({ ...referralOf(w), pathway: 'Mental Health!' }),
        ['/pathway'],
      ],
      ['a NUL character in the reason', (w) => ({ ...referralOf(w), reason: 'Back\u0000pain' }), ['/reason']],
      ['a self-referral marked false', () => ({ selfReferral: false, reason: 'Help' }), []],
      ['a self-referral with questions', () => ({ selfReferral: true, reason: 'Help', questions: [] }), []],
      ['an array', (w) => [referralOf(w)], []],
    ];
    it.each(cases)('refuses %s', async (_label, body, paths) => {
      const world = await newWorld();
      const before = await counts(world);
      // The manager may both refer their team and refer themself, so every shape reaches validation.
      const response = await world.manager.api('POST', '/api/v1/referrals', body(world));
      expect(errorPathsOf(response)).toEqual(expect.arrayContaining(paths));
      expect(await counts(world)).toEqual(before);
    });
  });
});
