import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { apiPlugin, jsonSecurityHeaders } from './api/api.plugin.ts';
import { ProblemSchema } from './api/shared/schemas.ts';
import { registerSecurityHeaders } from './api/shared/security-headers.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { loadFieldCipher } from './db/field-cipher.ts';
import { installDefaultRuleSets } from './services/pathways/pathways.service.ts';
import { createServiceContext, type ServiceContext } from './services/shared/context.ts';
import { renderBoardHtml } from './web/reporting/board.pages.ts';
import { webPlugin } from './web/web.plugin.ts';

export type Server = { app: FastifyInstance; ctx: ServiceContext; database: Database };

/**
 * Builds the whole service: database (migrated), the API under /api/v1, the pages,
 * /health and the OpenAPI document. Tests call it and use `inject()` or a real port.
 */
export async function buildServer(config: Config, options: { database?: Database } = {}): Promise<Server> {
  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  if (!options.database) await database.migrate();
  const ctx = createServiceContext({
    db: database.db,
    engine: database.engine,
    prepared: database.prepared,
    preparedIn: database.preparedIn,
    sessionCacheSeconds: config.sessionCacheSeconds,
    cipher: loadFieldCipher(config.dataKey, config.dataDir),
  });
  await installDefaultRuleSets(ctx);

  const app = Fastify({
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Long ids reach the route's own validation (a 400 or 404 problem), not the router's 414.
    routerOptions: { maxParamLength: 1000 },
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ProblemSchema);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, { global: false, hook: 'preHandler' });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OHWB API',
        version: '1.0.0',
        description: 'Occupational health and wellbeing for police forces and NHS organisations.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  // /health and the OpenAPI document: JSON, with the API's security headers.
  await app.register(async (meta) => {
    registerSecurityHeaders(meta, jsonSecurityHeaders(config));
    meta.get('/health', { schema: { hide: true } }, async (_request, reply) => {
      try {
        await ctx.db.execute(sql`select 1`);
        return { status: 'ok' };
      } catch {
        return reply.code(503).send({ status: 'unavailable' });
      }
    });
    meta.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });

  // The API answers text/html for the board report with the page's own template (see ApiPages).
  await app.register(apiPlugin, { prefix: '/api/v1', ctx, config, pages: { boardHtml: renderBoardHtml } });
  await app.register(webPlugin, { ctx, config });

  app.addHook('onClose', async () => {
    if (!options.database) await database.close();
  });
  return { app, ctx, database };
}
