import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, referrals, reports } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import {
  advanceCase,
  caseAt,
  createWorld,
  loopRowCounts,
  sessionTime,
  type TestUser,
  type World,
} from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

/**
 * Throws malformed bodies at every write of the referral-to-outcome loop. Whatever
 * arrives, the answer is a problem (never a 500) and nothing is written.
 */

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

/** Each test's own world: a referral waiting for triage, and a case whose report waits for the employee. */
type Setup = { world: World; ids: { referralId: string; caseId: string; reportId: string } };
async function setUp(): Promise<Setup> {
  const world = await createWorld(server.app, server.ctx);
  const { referralId } = await advanceCase(world, 'referred');
  const reported = await caseAt(world, 'reported');
  return { world, ids: { referralId, caseId: reported.caseId, reportId: reported.reportId as string } };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Route = {
  name: string;
  url: (s: Setup) => string;
  who: (s: Setup) => TestUser;
  valid: (s: Setup) => { [key: string]: Json };
  required: string[];
};

const ROUTES: Route[] = [
  {
    name: 'POST /referrals',
    url: () => '/api/v1/referrals',
    who: ({ world }) => world.manager,
    valid: ({ world }) => ({
      personId: world.employee.personId as string,
      reason: 'Back pain',
      questions: ['Fit for patrol?'],
      consent: { given: true, recordedAt: new Date(Date.now() - 60_000).toISOString() },
    }),
    // consent is optional in the schema but required by the rules (422): leaving it out writes nothing either.
    required: ['personId', 'reason', 'questions', 'consent'],
  },
  {
    name: 'POST /referrals/{id}/triage',
    url: ({ ids }) => `/api/v1/referrals/${ids.referralId}/triage`,
    who: ({ world }) => world.admin,
    valid: ({ world }) => ({
      priority: 'soon',
      pathway: 'musculoskeletal',
      clinicianId: world.clinician.userId,
    }),
    required: ['priority', 'pathway', 'clinicianId'],
  },
  {
    name: 'POST /appointments',
    url: () => '/api/v1/appointments',
    who: ({ world }) => world.admin,
    valid: ({ world, ids }) => ({
      caseId: ids.caseId,
      clinicianId: world.clinician.userId,
      start: sessionTime(5, 13).toISOString(),
      end: sessionTime(5, 13, 30).toISOString(),
      mode: 'phone',
    }),
    required: ['caseId', 'clinicianId', 'start', 'end', 'mode'],
  },
  {
    name: 'POST /cases/{id}/consultations',
    url: ({ ids }) => `/api/v1/cases/${ids.caseId}/consultations`,
    who: ({ world }) => world.clinician,
    valid: () => ({ notes: 'Seen today.' }),
    required: ['notes'],
  },
  {
    name: 'POST /cases/{id}/outcome',
    url: ({ ids }) => `/api/v1/cases/${ids.caseId}/outcome`,
    who: ({ world }) => world.clinician,
    valid: () => ({ fitness: 'temporarily-unfit', adjustments: ['Rest'] }),
    required: ['fitness', 'adjustments'],
  },
  {
    name: 'POST /cases/{id}/reports',
    url: ({ ids }) => `/api/v1/cases/${ids.caseId}/reports`,
    who: ({ world }) => world.clinician,
    valid: () => ({ text: 'A new report.' }),
    required: ['text'],
  },
  {
    name: 'POST /reports/{id}/decision',
    url: ({ ids }) => `/api/v1/reports/${ids.reportId}/decision`,
    who: ({ world }) => world.employee,
    valid: () => ({ decision: 'withhold' }),
    required: ['decision'],
  },
];

/** Every path to a value inside a JSON value: [] is the root. */
function paths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const inner = Array.isArray(value)
    ? value.flatMap((v, i) => paths(v, [...at, i]))
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))
      : [];
  return [at, ...inner];
}
function get(value: Json, path: Array<string | number>): Json {
  return path.reduce<Json>((v, key) => (v as Record<string | number, Json>)[key] as Json, value);
}
function set(value: Json, path: Array<string | number>, replacement: Json): Json {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy as Json;
}
const kind = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const anyJson = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** A body that is wrong in one of many ways, sent as raw text with a JSON content type. */
function malformed(route: Route, setup: Setup): fc.Arbitrary<{ label: string; payload: string }> {
  const valid = route.valid(setup);
  const leaves = paths(valid).filter((p) => p.length > 0);
  const stringLeaves = leaves.filter((p) => typeof get(valid, p) === 'string');
  const asJson = (label: string) => (body: Json) => ({ label, payload: JSON.stringify(body) });
  return fc.oneof(
    // Not an object at all: null, numbers, text, booleans, arrays (even of the valid body).
    anyJson.filter((v) => kind(v) !== 'object').map(asJson('not an object')),
    fc.constant(valid).map((v) => asJson('an array of the valid body')([v])),
    // A required field missing.
    fc.constantFrom(...route.required).map((key) => {
      const { [key]: _dropped, ...rest } = valid;
      return asJson(`missing ${key}`)(rest);
    }),
    // Any field, at any depth, of the wrong JSON type.
    fc
      .tuple(fc.constantFrom(...leaves), anyJson)
      .filter(([path, v]) => kind(v) !== kind(get(valid, path)))
      .map(([path, v]) => asJson(`wrong type at /${path.join('/')}`)(set(valid, path, v))),
    // An extra field at the top or inside the consent.
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }), anyJson, fc.boolean())
      .filter(([key]) => !(key in valid) && key !== 'given' && key !== 'recordedAt' && key !== '__proto__')
      .map(([key, v, nested]) =>
        nested && 'consent' in valid
          ? asJson(`extra consent/${key}`)(set(valid, ['consent', key], v))
          : asJson(`extra ${key}`)({ ...valid, [key]: v }),
      ),
    // A huge string in a text field (past every maxLength, under the 1 MB body limit).
    fc
      .tuple(fc.constantFrom(...stringLeaves), fc.integer({ min: 50_001, max: 200_000 }))
      .map(([path, n]) => asJson(`huge /${path.join('/')}`)(set(valid, path, 'x'.repeat(n)))),
    // A NUL character anywhere in a string.
    fc.tuple(fc.constantFrom(...stringLeaves), fc.nat()).map(([path, i]) => {
      const s = get(valid, path) as string;
      const at = i % (s.length + 1);
      return asJson(`NUL in /${path.join('/')}`)(set(valid, path, `${s.slice(0, at)}\u0000${s.slice(at)}`));
    }),
    // Not JSON.
    fc
      .oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom(
          "{'reason': 'single quotes'}",
          '{"a":1,}',
          '{',
          '[',
          'undefined',
          'NaN',
          '{"a":\u0000}',
        ),
        fc.string({ maxLength: 40 }).map((s) => `{${s}`),
      )
      .map((payload) => ({ label: 'not JSON', payload })),
    // Prototype pollution.
    fc.constant({
      label: '__proto__',
      payload: `{"__proto__":{"admin":true},${JSON.stringify(valid).slice(1)}`,
    }),
    fc.constant({ label: 'null', payload: 'null' }),
  );
}

/** What must not change: row counts and the states a valid request would move. */
async function snapshot({ world, ids }: Setup) {
  const [referral] = await systemDb(server.ctx)
    .select()
    .from(referrals)
    .where(eq(referrals.id, ids.referralId));
  const [record] = await systemDb(server.ctx).select().from(cases).where(eq(cases.id, ids.caseId));
  const [report] = await systemDb(server.ctx).select().from(reports).where(eq(reports.id, ids.reportId));
  return {
    counts: await loopRowCounts(server.ctx, [world.orgId, world.otherOrgId]),
    referral: referral?.status,
    case: [record?.status, record?.fitness, record?.adjustments, record?.reviewDate],
    report: report?.status,
  };
}

describe(`malformed bodies on ${engine}`, () => {
  it.each(ROUTES.map((r) => [r.name, r] as const))(
    '%s answers a problem and writes nothing',
    async (_name, route) => {
      const setup = await setUp();
      const before = await snapshot(setup);
      await fc.assert(
        fc.asyncProperty(malformed(route, setup), async ({ label, payload }) => {
          const response = await server.app.inject({
            method: 'POST',
            url: route.url(setup),
            headers: {
              authorization: `Bearer ${route.who(setup).token}`,
              'content-type': 'application/json',
            },
            payload,
          });
          const context = `${label}: ${payload.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect([400, 404, 409, 422], context).toContain(response.statusCode);
          expect(String(response.headers['content-type']), context).toMatch(/^application\/problem\+json/);
          expect(response.json().status, context).toBe(response.statusCode);
          if (response.statusCode === 400 && label !== 'not JSON' && label !== '__proto__') {
            expect(Array.isArray(response.json().errors), context).toBe(true);
          }
          expect(await snapshot(setup), context).toEqual(before);
        }),
        { numRuns: 40 },
      );
    },
  );

  it('answers a body of other media types with a problem and writes nothing', async () => {
    const setup = await setUp();
    const before = await snapshot(setup);
    for (const route of ROUTES) {
      for (const [type, payload] of [
        ['text/plain', 'reason=Back pain'],
        ['application/x-www-form-urlencoded', 'reason=Back%20pain&questions=x'],
        ['application/xml', '<referral/>'],
      ] as const) {
        const response = await server.app.inject({
          method: 'POST',
          url: route.url(setup),
          headers: { authorization: `Bearer ${route.who(setup).token}`, 'content-type': type },
          payload,
        });
        const context = `${route.name} ${type} → ${response.statusCode} ${response.body.slice(0, 200)}`;
        expect([400, 415], context).toContain(response.statusCode);
        expect(String(response.headers['content-type']), context).toMatch(/^application\/problem\+json/);
      }
    }
    expect(await snapshot(setup)).toEqual(before);
  });

  it('answers deeply nested JSON with a problem, not a crash', async () => {
    const setup = await setUp();
    const before = await snapshot(setup);
    const depth = 200_000;
    for (const payload of [
      '['.repeat(depth) + ']'.repeat(depth),
      `{"reason":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    ]) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/referrals',
        headers: { authorization: `Bearer ${setup.world.manager.token}`, 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, response.body.slice(0, 200)).toBe(400);
      expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
    }
    expect(await snapshot(setup)).toEqual(before);
  });
});
