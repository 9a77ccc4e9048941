import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/access/roles.ts';
import { resolveActor } from '../../services/auth/auth.service.ts';
import { listVisibleOrganisations } from '../../services/organisations/organisations.service.ts';
import type { ServiceContext } from '../../services/shared/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    webActor?: Actor;
    organisationName?: string;
  }
}

export const SESSION_COOKIE = 'ohwb_session';

/** Pages anyone may open without signing in. */
const PUBLIC_PAGES = ['/login', '/accessibility', '/privacy', '/nhsuk/', '/static/', '/favicon.ico'];

/**
 * Resolves the page session cookie to an actor; pages other than the public ones
 * send a signed-out visitor to the sign-in page and back again afterwards.
 */
export function registerWebSession(app: FastifyInstance, ctx: ServiceContext): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const actor = await resolveActor(ctx, token, 'web');
      if (actor) {
        request.webActor = actor;
        const organisations = await listVisibleOrganisations(ctx, actor);
        const own = organisations.find((o) => actor.grants.some((g) => g.organisationId === o.id));
        request.organisationName = own?.name;
      }
    }
    if (request.webActor || PUBLIC_PAGES.some((p) => request.url.startsWith(p))) return;
    const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
    return reply.code(303).redirect(`/login${next}`);
  });
}

/** The signed-in actor of a page request (set by the session hook). */
export function pageActor(request: FastifyRequest): Actor {
  if (!request.webActor) throw new Error('No signed-in user on a protected page.');
  return request.webActor;
}
