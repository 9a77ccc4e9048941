import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import { EQUITY_DIMENSIONS } from '../../domain/reporting/report-types.ts';
import { equityReport } from '../../services/reporting/equity.service.ts';
import { benchmarkReport, kpiReport } from '../../services/reporting/kpi.service.ts';
import { mdsCsv } from '../../services/reporting/mds.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, Strict, StringEnum } from '../shared/schemas.ts';

/** A figure as shown: the number, or "*" where disclosure control suppressed it. */
const Shown = Type.Union([Type.Number(), Type.Literal('*')]);
const CountShare = Type.Object({ count: Shown, of: Shown, percent: Shown });

const ScopeSchema = Type.Object({
  kind: StringEnum(['organisation', 'system', 'national'] as const),
  slug: Type.String(),
  name: Type.String(),
  organisationKind: Type.Union([Type.String(), Type.Null()]),
  controlled: Type.Boolean({ description: 'true when disclosure control applies (below national level)' }),
});
const PeriodSchema = Type.Object({ from: Type.String(), to: Type.String() });

const ReportQuery = {
  scope: Type.String({
    maxLength: 100,
    description: 'an organisation or system slug, or "national" for the whole country',
  }),
  from: Type.Optional(
    Type.String({ maxLength: 20, description: 'first day, YYYY-MM-DD (default: a year before `to`)' }),
  ),
  to: Type.Optional(Type.String({ maxLength: 20, description: 'last day, YYYY-MM-DD (default: today)' })),
};

const KpiSchema = Type.Object({
  scope: ScopeSchema,
  period: PeriodSchema,
  input: Type.Object({
    referrals: Shown,
    selfReferrals: CountShare,
    daysToFirstAppointment: Type.Object({ episodes: Shown, median: Shown, p90: Shown }),
    didNotAttend: CountShare,
    caseload: Shown,
  }),
  output: Type.Object({
    outcomesByFitness: Type.Array(
      Type.Object({ fitness: Type.String(), label: Type.String(), count: Shown }),
    ),
    outcomesTotal: Shown,
    reportsReleasedWithin21Days: CountShare,
    atWorkAtClosure: CountShare,
    reliableImprovement: CountShare,
  }),
});

const EquityRowFields = { workforce: Shown, people: Shown, ratePer1000: Shown };
const EquitySchema = Type.Object({
  scope: ScopeSchema,
  period: PeriodSchema,
  dimension: Type.String(),
  rows: Type.Array(Type.Object({ group: Type.String(), ...EquityRowFields })),
  total: Type.Object(EquityRowFields),
});

const ok = (schema: TSchema, ...codes: number[]) => ({ 200: schema, ...errorResponses(...codes) });

/**
 * Reporting on the minimum dataset: equity of access, KPIs, benchmarking and the
 * pseudonymised extract. Every figure below national level has passed disclosure control.
 */
export const reportingRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/reports/equity',
    {
      schema: {
        tags: ['reporting'],
        summary:
          'Equity of access: staff who used an OH&WB service per 1,000 staff in post, by group (analyst, wellbeing lead, sysadmin)',
        querystring: Strict({ ...ReportQuery, dimension: StringEnum(EQUITY_DIMENSIONS) }),
        response: ok(EquitySchema, 400, 401, 403, 404),
      },
    },
    async (request) => equityReport(ctx, actorOf(request), request.query),
  );

  app.get(
    '/reports/kpis',
    {
      schema: {
        tags: ['reporting'],
        summary: 'Input and output KPIs of the minimum dataset (analyst, wellbeing lead, OH admin)',
        querystring: Strict(ReportQuery),
        response: ok(KpiSchema, 400, 401, 403, 404),
      },
    },
    async (request) => kpiReport(ctx, actorOf(request), request.query),
  );

  app.get(
    '/reports/benchmark',
    {
      schema: {
        tags: ['reporting'],
        summary: 'The KPIs of every organisation of a system, on the same definitions, side by side',
        querystring: Strict(ReportQuery),
        response: ok(
          Type.Object({ scope: ScopeSchema, period: PeriodSchema, organisations: Type.Array(KpiSchema) }),
          400,
          401,
          403,
          404,
        ),
      },
    },
    async (request) => benchmarkReport(ctx, actorOf(request), request.query),
  );

  app.get(
    '/mds',
    {
      schema: {
        tags: ['reporting'],
        summary:
          'The minimum dataset extract (text/csv): one row per episode, pseudonymised — no names, no dates of birth (analysts)',
        querystring: Strict(ReportQuery),
        produces: ['text/csv'],
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const extract = await mdsCsv(ctx, actorOf(request), request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${extract.filename}"`)
        .header('cache-control', 'no-store')
        .send(extract.stream);
    },
  );
};
