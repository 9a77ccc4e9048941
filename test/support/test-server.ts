import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { readConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { buildServer, type Server } from '../../src/server.ts';

/** Which engine this run tests: a PostgreSQL server when OHWB_TEST_DATABASE_URL is set, else PGlite. */
export const engine = process.env.OHWB_TEST_DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A whole OHWB server for a test file: on PGlite, a fresh in-memory database;
 * on PostgreSQL, the shared test database (tests isolate by building their own organisations).
 */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<Server> {
  const url = process.env.OHWB_TEST_DATABASE_URL ?? '';
  const config = readConfig({
    NODE_ENV: 'test',
    OHWB_DATA_DIR: 'memory://',
    OHWB_DATA_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: url,
    OHWB_LOGIN_RATE_LIMIT: '1000',
    ...overrides,
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 10,
  });
  if (database.engine === 'pglite') await database.migrate();
  const server = await buildServer(config, { database });
  server.app.addHook('onClose', async () => database.close());
  return server;
}

/** A JSON call as a bearer-token holder. */
export function call(app: FastifyInstance, token: string | null) {
  return (
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });
}
