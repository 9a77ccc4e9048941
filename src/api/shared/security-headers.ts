import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers Helmet sets for a policy with no per-request values (no CSP nonces, no
 * directive functions), worked out once by running Helmet's middleware against a
 * response that only records them. Name, value and order are Helmet's own.
 */
export function helmetHeaders(options: HelmetOptions): ReadonlyArray<readonly [string, string]> {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, String(value)]),
    // Helmet removes X-Powered-By, which Fastify never sets: nothing to record.
    removeHeader: () => undefined,
  };
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Sets Helmet's security headers on every response of `app`'s scope, as @fastify/helmet
 * would, but from a list worked out at start-up: @fastify/helmet builds Helmet's
 * middleware again on every request, which costs the hottest API read more than
 * setting the headers does. Only for fixed policies (JSON); pages, whose policy carries
 * a nonce per response, keep @fastify/helmet.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers = helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
