import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { hashPassword } from '../../src/services/auth/auth.service.ts';
import { createUser, createWorld, errorPathsOf, problemOf, type TestUser, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { call, engine, startTestServer } from '../support/test-server.ts';

const PASSWORD = 'correct horse battery staple';
let server: Server;
/** Hashing with scrypt is deliberately slow: one hash for the whole file, shared by each test's own users. */
let passwordHash: string;

async function userWithPassword(
  roles: Parameters<typeof createUser>[3],
  organisationId: string,
): Promise<TestUser & { email: string }> {
  const created = await createUser(server.app, server.ctx, organisationId, roles, { passwordHash });
  const [row] = await systemDb(server.ctx)
    .select({ email: users.email })
    .from(users)
    .where(eq(users.id, created.userId));
  return { ...created, email: row?.email as string };
}

beforeAll(async () => {
  server = await startTestServer();
  passwordHash = await hashPassword(PASSWORD);
});

/** A test's own world, with an OH clinician and physician who has a real password. */
async function newWorld(): Promise<{ world: World; user: TestUser & { email: string } }> {
  const world = await createWorld(server.app, server.ctx);
  return { world, user: await userWithPassword(['oh-clinician', 'oh-physician'], world.orgId) };
}
afterAll(async () => server.app.close());

const signIn = (body: unknown, app = server.app) => call(app, null)('POST', '/api/v1/auth/token', body);

describe(`POST /api/v1/auth/token on ${engine}`, () => {
  it('gives a bearer token and the user’s identity for the right password', async () => {
    const { world, user } = await newWorld();
    const response = await signIn({ email: user.email, password: PASSWORD });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      token: expect.any(String),
      user: {
        id: user.userId,
        personId: user.personId,
        roles: ['oh-clinician', 'oh-physician'],
        organisationIds: [world.orgId],
      },
    });
    // Only the token's hash is stored; the token itself works on other calls.
    const stored = await systemDb(server.ctx).select().from(sessions).where(eq(sessions.userId, user.userId));
    expect(stored.map((s) => s.tokenHash)).toContain(createHash('sha256').update(body.token).digest('hex'));
    expect(stored.map((s) => s.tokenHash)).not.toContain(body.token);
    const people = await call(server.app, body.token)('GET', `/api/v1/people?organisation=${world.orgSlug}`);
    expect(people.statusCode).toBe(200);
  });

  it('ignores the case and surrounding spaces of the email address', async () => {
    const { user } = await newWorld();
    const response = await signIn({ email: `  ${user.email.toUpperCase()} `, password: PASSWORD });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a wrong password, an unknown email and a disabled user alike (401)', async () => {
    const { world, user } = await newWorld();
    const disabled = await userWithPassword(['employee'], world.orgId);
    await systemDb(server.ctx).update(users).set({ disabled: true }).where(eq(users.id, disabled.userId));
    const attempts = [
      { email: user.email, password: `${PASSWORD}!` },
      { email: `nobody-${randomBytes(4).toString('hex')}@test.ohwb.test`, password: PASSWORD },
      { email: disabled.email, password: PASSWORD },
    ];
    const details = new Set<string>();
    for (const attempt of attempts) {
      const response = await signIn(attempt);
      details.add(problemOf(response, 401).detail);
      expect(response.body).not.toContain('token');
    }
    // The same words for every failure: no telling which accounts exist.
    expect(details.size).toBe(1);
  });

  it.each([
    ['a missing password', { email: 'someone@example.test' }, ['/password']],
    ['an empty password', { email: 'someone@example.test', password: '' }, ['/password']],
    ['an email that is a number', { email: 42, password: PASSWORD }, ['/email']],
    [
      'an unknown field',
      { email: 'someone@example.test', password: PASSWORD, remember: true },
      ['/remember'],
    ],
  ])('refuses %s (400)', async (_label, body, paths) => {
    expect(errorPathsOf(await signIn(body))).toEqual(expect.arrayContaining(paths));
  });

  it('limits sign-in attempts: the fourth in a minute is refused (429)', async () => {
    const { user } = await newWorld();
    const limited = await startTestServer({ OHWB_LOGIN_RATE_LIMIT: '3' });
    try {
      const body = { email: user.email, password: 'wrong password' };
      for (let i = 0; i < 3; i++) problemOf(await signIn(body, limited.app), 401);
      const fourth = await signIn(body, limited.app);
      expect(problemOf(fourth, 429).title).toBe('Too Many Requests');
      // Even the right password waits now.
      problemOf(await signIn({ email: user.email, password: PASSWORD }, limited.app), 429);
    } finally {
      await limited.app.close();
    }
  });
});

describe(`bearer tokens on ${engine}`, () => {
  async function storedSession(userId: string, kind: 'api' | 'web', expiresAt: Date) {
    const token = randomBytes(32).toString('base64url');
    await systemDb(server.ctx)
      .insert(sessions)
      .values({
        tokenHash: createHash('sha256').update(token).digest('hex'),
        userId,
        kind,
        expiresAt,
      });
    return token;
  }

  it.each([
    ['no Authorization header', null, {}],
    ['a made-up token', 'made-up', {}],
    ['Basic credentials', null, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
  ])('refuses %s (401 problem+json)', async (_label, token, headers) => {
    const response = await call(server.app, token)('GET', '/api/v1/people', undefined, headers);
    expect(problemOf(response, 401).detail).toMatch(/Sign in|not valid/);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses an expired token, a page-session cookie token and a disabled user’s token', async () => {
    const { world } = await newWorld();
    const expired = await storedSession(world.admin.userId, 'api', new Date(Date.now() - 1000));
    const web = await storedSession(world.admin.userId, 'web', new Date(Date.now() + 3_600_000));
    const disabled = await createUser(server.app, server.ctx, world.orgId, ['oh-admin']);
    await systemDb(server.ctx).update(users).set({ disabled: true }).where(eq(users.id, disabled.userId));
    for (const token of [expired, web, disabled.token]) {
      problemOf(await call(server.app, token)('GET', '/api/v1/people'), 401);
    }
    expect((await world.admin.api('GET', '/api/v1/people')).statusCode).toBe(200);
  });

  it('answers an unknown /api/v1 path with a problem', async () => {
    const { world } = await newWorld();
    const response = await world.admin.api('GET', '/api/v1/no-such-thing');
    expect([401, 404]).toContain(response.statusCode);
    problemOf(response, response.statusCode);
  });
});

describe(`GET /health and GET /api/openapi.json on ${engine}`, () => {
  it('says the service and its database answer', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('documents every call of API.md’s referral-to-outcome table', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    const calls: Array<[string, string]> = [
      ['post', '/api/v1/auth/token'],
      ['get', '/api/v1/people'],
      ['post', '/api/v1/referrals'],
      ['post', '/api/v1/referrals/{id}/triage'],
      ['get', '/api/v1/clinicians/{id}/slots'],
      ['post', '/api/v1/appointments'],
      ['post', '/api/v1/cases/{id}/consultations'],
      ['post', '/api/v1/cases/{id}/outcome'],
      ['post', '/api/v1/cases/{id}/reports'],
      ['post', '/api/v1/reports/{id}/decision'],
      ['get', '/api/v1/reports/{id}'],
      ['get', '/api/v1/cases/{id}'],
      ['get', '/api/v1/audit'],
    ];
    for (const [method, path] of calls) {
      expect(document.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
    // Only the API is documented: no page routes.
    expect(Object.keys(document.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true);
  });
});

describe(`DELETE /api/v1/auth/token on ${engine}`, () => {
  it('signs out: the token stops working at once; without a token it is 401', async () => {
    const world = await createWorld(server.app, server.ctx);
    expect((await world.employee.api('GET', `/api/v1/cases/${world.orgId}`)).statusCode).toBe(404);
    const out = await world.employee.api('DELETE', '/api/v1/auth/token');
    expect(out.statusCode).toBe(204);
    expect((await world.employee.api('GET', `/api/v1/cases/${world.orgId}`)).statusCode).toBe(401);
    expect((await call(server.app, null)('DELETE', '/api/v1/auth/token')).statusCode).toBe(401);
  });
});
