import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { jsonSecurityHeaders } from '../../src/api/api.plugin.ts';
import { helmetHeaders, registerSecurityHeaders } from '../../src/api/shared/security-headers.ts';
import type { Config } from '../../src/config.ts';

/** The header lines of a response to GET /, as sent (names in their case, in order), without Date. */
async function headerLines(register: (app: FastifyInstance) => Promise<void>): Promise<string[][]> {
  const app = Fastify();
  await register(app);
  app.get('/', async () => ({ ok: true }));
  const response = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  const sent = response.raw.res as unknown as { getRawHeaderNames(): string[] };
  return sent
    .getRawHeaderNames()
    .filter((name) => name.toLowerCase() !== 'date')
    .map((name) => [name, String(response.headers[name.toLowerCase()])]);
}

describe('security headers worked out once', () => {
  for (const secureCookies of [false, true]) {
    const options = jsonSecurityHeaders({ secureCookies } as Config);

    it(`are the headers @fastify/helmet sets, in its order (secure cookies: ${secureCookies})`, async () => {
      const ours = await headerLines(async (app) => registerSecurityHeaders(app, options));
      const theirs = await headerLines(async (app) => {
        // helmet's ESM and CommonJS type declarations are distinct types of the same options.
        await app.register(fastifyHelmet, options as FastifyHelmetOptions);
      });
      expect(ours).toContainEqual(['X-Frame-Options', 'SAMEORIGIN']);
      expect(ours).toEqual(theirs);
    });
  }

  it('include the strict JSON policy, and HSTS only behind HTTPS', () => {
    const names = (secureCookies: boolean) =>
      helmetHeaders(jsonSecurityHeaders({ secureCookies } as Config)).map(([name]) => name);
    expect(helmetHeaders(jsonSecurityHeaders({ secureCookies: false } as Config))).toContainEqual([
      'Content-Security-Policy',
      "default-src 'none';frame-ancestors 'none'",
    ]);
    expect(names(false)).not.toContain('Strict-Transport-Security');
    expect(names(true)).toContain('Strict-Transport-Security');
  });
});
