import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/access/roles.ts';
import { Unauthenticated } from '../../domain/shared/errors.ts';
import { resolveActor } from '../../services/auth/auth.service.ts';
import type { ServiceContext } from '../../services/shared/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

/** Calls that take no bearer token: signing in. */
const PUBLIC = new Set(['POST /api/v1/auth/token']);

/** Every /api/v1 call but sign-in takes `Authorization: Bearer <token>`. */
export function registerBearerAuth(app: FastifyInstance, ctx: ServiceContext): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (PUBLIC.has(`${request.method} ${request.routeOptions.url ?? ''}`)) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const actor = token ? await resolveActor(ctx, token, 'api') : null;
    if (!actor) {
      reply.header('www-authenticate', 'Bearer');
      throw new Unauthenticated(
        token
          ? 'The token is not valid or has expired. Sign in again.'
          : 'Sign in first: send Authorization: Bearer <token>.',
      );
    }
    request.actor = actor;
  });
}

/** The signed-in actor of a request (set by the auth hook). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthenticated('Sign in first.');
  return request.actor;
}
