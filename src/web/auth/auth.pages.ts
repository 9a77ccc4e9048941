import type { FastifyPluginAsync } from 'fastify';
import { Unauthenticated } from '../../domain/shared/errors.ts';
import { signIn, signOut } from '../../services/auth/auth.service.ts';
import { render } from '../shared/render.ts';
import { SESSION_COOKIE } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

/** Only local paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: unknown): string {
  // A path on this site only: no scheme, no host, and no backslash or white space,
  // which browsers may read as the start of another host (`/\evil.example`).
  return typeof next === 'string' && /^\/(?!\/)[^\\\s]*$/.test(next) ? next : '/';
}

/** Sign in and out, and the public pages. */
export const authPages: FastifyPluginAsync<WebDeps> = async (app, { ctx, config }) => {
  app.get('/login', async (request, reply) => {
    if (request.webActor) return reply.code(303).redirect('/');
    return render(request, reply, 'pages/login.njk', { next: (request.query as { next?: string }).next });
  });

  app.post(
    '/login',
    {
      preHandler: app.csrfProtection,
      config: {
        rateLimit: {
          max: config.loginRateLimit,
          timeWindow: '1 minute',
          keyGenerator: (request) =>
            `${request.ip}:${String((request.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
        },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as { email?: string; password?: string };
      const next = safeNext((request.query as { next?: string }).next);
      const errors = [];
      if (!body.email?.trim()) errors.push({ path: '/email', message: 'Enter your email address' });
      if (!body.password) errors.push({ path: '/password', message: 'Enter your password' });
      if (errors.length)
        return render(
          request,
          reply,
          'pages/login.njk',
          { values: { email: body.email }, errors, next },
          400,
        );
      try {
        const { token } = await signIn(ctx, {
          email: body.email as string,
          password: body.password as string,
          kind: 'web',
          hours: config.sessionHours,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: config.secureCookies,
          maxAge: config.sessionHours * 3600,
        });
        return reply.code(303).redirect(next);
      } catch (error) {
        if (!(error instanceof Unauthenticated)) throw error;
        return render(
          request,
          reply,
          'pages/login.njk',
          {
            values: { email: body.email },
            errors: [{ path: '/email', message: 'The email address or password is not right' }],
            next,
          },
          401,
        );
      }
    },
  );

  // Sign-out needs no CSRF token (the header's sign-out button is a plain form): the worst a forged
  // request can do is sign someone out, and SameSite=Lax cookies are not sent on cross-site POSTs anyway.
  app.post('/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await signOut(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).redirect('/login');
  });

  app.get('/accessibility', async (request, reply) => render(request, reply, 'pages/accessibility.njk'));
  app.get('/privacy', async (request, reply) => render(request, reply, 'pages/privacy.njk'));
};
