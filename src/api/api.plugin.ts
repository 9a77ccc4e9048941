import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HelmetOptions } from 'helmet';
import type { Config } from '../config.ts';
import { Invalid } from '../domain/shared/errors.ts';
import type { BoardReport } from '../services/reporting/board.service.ts';
import type { ServiceContext } from '../services/shared/context.ts';
import { appointmentRoutes } from './appointments/appointments.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { caseRoutes } from './cases/cases.routes.ts';
import { exposureRoutes } from './exposures/exposures.routes.ts';
import { measureRoutes } from './measures/measures.routes.ts';
import { organisationRoutes } from './organisations/organisations.routes.ts';
import { pathwayRoutes } from './pathways/pathways.routes.ts';
import { peopleRoutes } from './people/people.routes.ts';
import { referralRoutes } from './referrals/referrals.routes.ts';
import { benefitRoutes } from './reporting/benefits.routes.ts';
import { boardRoutes } from './reporting/board.routes.ts';
import { reportingRoutes } from './reporting/reporting.routes.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { retirementRoutes } from './retirement/retirement.routes.ts';
import { registerBearerAuth } from './shared/auth.hook.ts';
import { registerIdempotency } from './shared/idempotency.ts';
import { findNulCharacter, toProblem } from './shared/problem.ts';
import { registerSecurityHeaders } from './shared/security-headers.ts';
import { workforceRoutes } from './workforce/workforce.routes.ts';

/**
 * Page renderers the API answers with when a client asks for text/html (the board report).
 * The API may not import the pages (ARCHITECTURE.md), so server.ts, which composes both, hands them in.
 */
export type ApiPages = { boardHtml: (report: BoardReport) => string };

export type ApiDeps = { ctx: ServiceContext; config: Config; pages?: ApiPages };

/**
 * The JSON API under /api/v1: bearer auth, then validation, then idempotency, then
 * the route, which calls one service. Every error leaves as problem+json.
 */
export const apiPlugin: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx, config, pages }) => {
  const deps: ApiDeps = { ctx, config, pages };
  registerSecurityHeaders(app, jsonSecurityHeaders(config));
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        detail: `No route ${request.method} ${request.url}.`,
      }),
  );
  registerBearerAuth(app, deps.ctx);
  // PostgreSQL text cannot hold NUL; refuse it as bad input before any rule runs.
  app.addHook('preValidation', async (request) => {
    const at = findNulCharacter(request.body) ?? findNulCharacter(request.query);
    if (at)
      throw new Invalid('Text may not contain NUL characters.', [
        { path: at, message: 'contains a NUL character' },
      ]);
  });
  registerIdempotency(app, deps.ctx);
  await app.register(authRoutes, deps);
  await app.register(peopleRoutes, deps);
  await app.register(referralRoutes, deps);
  await app.register(appointmentRoutes, deps);
  await app.register(caseRoutes, deps);
  await app.register(reportRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(exposureRoutes, deps);
  await app.register(pathwayRoutes, deps);
  await app.register(measureRoutes, deps);
  await app.register(retirementRoutes, deps);
  await app.register(organisationRoutes, deps);
  await app.register(workforceRoutes, deps);
  await app.register(reportingRoutes, deps);
  await app.register(boardRoutes, deps);
  await app.register(benefitRoutes, deps);
};

/**
 * Security headers for JSON: a fixed, strict policy (nothing may load; no framing)
 * with no per-request nonces, which pages need and JSON does not.
 */
export function jsonSecurityHeaders(config: Config): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    hsts: config.secureCookies,
  };
}
