import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createContinuitySummary, setRetirementDate } from '../../services/retirement/retirement.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { CalendarDate, DateTime, errorResponses, IdParams, Strict, Text } from '../shared/schemas.ts';

/** Retirement preparation: the planned date, and the continuity-of-care summary for the GP. */
export const retirementRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.put(
    '/people/:id/retirement-date',
    {
      schema: {
        tags: ['pathways'],
        summary:
          'Record the planned retirement date (OH staff); the retirement-preparation pathway starts its lead time before it',
        params: IdParams,
        body: Strict({ date: CalendarDate('the planned last day of service') }),
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request) => setRetirementDate(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/people/:id/continuity-summary',
    {
      schema: {
        tags: ['pathways'],
        summary:
          'A FHIR R4 UK Core document Bundle for care to continue in the NHS (OH clinician, with consent); no employer address or force identity for a security-sensitive person',
        params: IdParams,
        body: Strict({
          consent: Type.Optional(
            Strict(
              { given: Type.Boolean(), recordedAt: DateTime('when the person agreed') },
              'the person’s consent',
            ),
          ),
          recipient: Type.Optional(
            Strict({
              name: Text(200, { description: 'the GP practice' }),
              odsCode: Type.Optional(
                Type.String({ pattern: '^[A-Z0-9]{3,10}$', description: 'its ODS code' }),
              ),
            }),
          ),
          carePlan: Type.Optional(
            Type.Array(Text(1000), { maxItems: 30, description: 'what should continue in the NHS' }),
          ),
        }),
        response: errorResponses(400, 401, 403, 404, 422),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .type('application/fhir+json; charset=utf-8')
        .send(
          JSON.stringify(
            await createContinuitySummary(ctx, actorOf(request), request.params.id, request.body),
          ),
        ),
  );
};
