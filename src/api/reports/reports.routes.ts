import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { REPORT_DECISIONS } from '../../domain/reports/report.rules.ts';
import { decideReport, getReport } from '../../services/reports/reports.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, IdParams, Strict, StringEnum, Text } from '../shared/schemas.ts';

/** Report calls of API.md: read, and the employee's decision. */
export const reportRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/reports/:id',
    {
      schema: {
        tags: ['reports'],
        summary: 'A report: the employee and OH staff always; the manager only once released',
        params: IdParams,
        response: errorResponses(401, 404),
      },
    },
    async (request) => getReport(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/reports/:id/decision',
    {
      schema: {
        tags: ['reports'],
        summary: 'The employee releases the report, asks for a correction, or withholds it',
        params: IdParams,
        body: Strict({
          decision: StringEnum(REPORT_DECISIONS),
          comment: Type.Optional(Text(5000, { minLength: 0 })),
        }),
        response: {
          200: Type.Object({ status: Type.String() }, { additionalProperties: true }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request) => decideReport(ctx, actorOf(request), request.params.id, request.body),
  );
};
