import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { rolesOf } from '../../domain/access/roles.ts';
import { signIn, signOut } from '../../services/auth/auth.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, Strict } from '../shared/schemas.ts';

/** `POST /api/v1/auth/token`: email and password for a bearer token. Rate limited. */
export const authRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx, config }) => {
  app.post(
    '/auth/token',
    {
      config: {
        rateLimit: {
          max: config.loginRateLimit,
          timeWindow: '1 minute',
          keyGenerator: (request) =>
            `${request.ip}:${String((request.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in and get a bearer token',
        body: Strict({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: {
          200: Type.Object({
            token: Type.String(),
            user: Type.Object({
              id: Type.String(),
              personId: Type.Union([Type.String(), Type.Null()]),
              roles: Type.Array(Type.String()),
              organisationIds: Type.Array(Type.String()),
            }),
          }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request) => {
      const { token, actor } = await signIn(ctx, {
        ...request.body,
        kind: 'api',
        hours: config.sessionHours,
      });
      return {
        token,
        user: {
          id: actor.userId,
          personId: actor.personId,
          roles: rolesOf(actor),
          organisationIds: [...new Set(actor.grants.map((g) => g.organisationId))],
        },
      };
    },
  );

  app.delete(
    '/auth/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the bearer token stops working at once',
        response: errorResponses(401),
      },
    },
    async (request, reply) => {
      actorOf(request);
      const header = request.headers.authorization ?? '';
      await signOut(ctx, header.slice('Bearer '.length).trim());
      return reply.code(204).send();
    },
  );
};
