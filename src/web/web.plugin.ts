import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.ts';
import { DomainError, Unauthenticated } from '../domain/shared/errors.ts';
import type { ServiceContext } from '../services/shared/context.ts';
import { auditPages } from './audit/audit.pages.ts';
import { authPages } from './auth/auth.pages.ts';
import { casePages } from './cases/cases.pages.ts';
import { exposurePages } from './exposures/exposures.pages.ts';
import { homePages } from './home/home.pages.ts';
import { measurePages } from './measures/measures.pages.ts';
import { messagePages } from './messages/messages.pages.ts';
import { pathwayPages } from './pathways/pathways.pages.ts';
import { peoplePages } from './people/people.pages.ts';
import { mskPages } from './referrals/msk.pages.ts';
import { referralPages } from './referrals/referrals.pages.ts';
import { benefitsPages } from './reporting/benefits.pages.ts';
import { boardPages } from './reporting/board.pages.ts';
import { reportingPages } from './reporting/reporting.pages.ts';
import { reportPages } from './reports/reports.pages.ts';
import { render } from './shared/render.ts';
import { registerWebSession } from './shared/session.ts';
import { taskPages } from './tasks/tasks.pages.ts';
import { workforcePages } from './workforce/workforce.pages.ts';

export type WebDeps = { ctx: ServiceContext; config: Config };

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The server-rendered pages (NHS.UK design system). Forms post back with a CSRF
 * token and redirect after success (PRG); errors re-render the form with the NHS.UK
 * error summary. Nothing needs JavaScript.
 */
export const webPlugin: FastifyPluginAsync<WebDeps> = async (app, { ctx, config }) => {
  const deps: WebDeps = { ctx, config };
  // Pages are not part of the API: keep them out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  // Pages: the NHS.UK template's one inline script runs with a per-request nonce; nothing else inline.
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        // Only behind HTTPS: on plain http (a laptop, the tests) upgrading would break every asset.
        'upgrade-insecure-requests': config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  await app.register(fastifyStatic, {
    root: path.join(here, '..', '..', 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk'),
    prefix: '/nhsuk/',
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: path.join(here, 'static'),
    prefix: '/static/',
    decorateReply: false,
  });
  await app.register(fastifyCsrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies },
  });
  registerWebSession(app, ctx);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof Unauthenticated) return reply.code(303).redirect('/login');
    if (error instanceof DomainError) {
      const title =
        error.status === 404 ? 'Page not found' : error.status === 403 ? 'You cannot do this' : error.title;
      const message =
        error.status === 404
          ? 'We could not find that page. It may not exist, or you may not have access to it.'
          : error.message;
      return render(request, reply, 'pages/error.njk', { title, message }, error.status);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 403) {
      return render(
        request,
        reply,
        'pages/error.njk',
        {
          title: 'Your form expired',
          message: 'For your security the form timed out. Go back, refresh the page and try again.',
        },
        403,
      );
    }
    if (status === 429) {
      return render(
        request,
        reply,
        'pages/error.njk',
        { title: 'Too many attempts', message: 'Wait a minute, then try again.' },
        429,
      );
    }
    if (status < 500) {
      return render(
        request,
        reply,
        'pages/error.njk',
        { title: 'Something was wrong with that request', message: 'Go back and try again.' },
        status,
      );
    }
    request.log.error({ err: error }, 'page failed');
    return render(
      request,
      reply,
      'pages/error.njk',
      { title: 'Sorry, there is a problem with the service', message: 'Nothing was saved. Try again later.' },
      500,
    );
  });
  app.setNotFoundHandler((request, reply) =>
    render(
      request,
      reply,
      'pages/error.njk',
      { title: 'Page not found', message: 'Check the address and try again.' },
      404,
    ),
  );

  await app.register(authPages, deps);
  await app.register(homePages, deps);
  await app.register(referralPages, deps);
  await app.register(mskPages, deps);
  await app.register(casePages, deps);
  await app.register(reportPages, deps);
  await app.register(auditPages, deps);
  await app.register(exposurePages, deps);
  await app.register(taskPages, deps);
  await app.register(measurePages, deps);
  await app.register(pathwayPages, deps);
  await app.register(messagePages, deps);
  await app.register(peoplePages, deps);
  await app.register(workforcePages, deps);
  await app.register(reportingPages, deps);
  await app.register(boardPages, deps);
  await app.register(benefitsPages, deps);
};
