import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { INSTRUMENT_CODES } from '../../domain/measures/instrument.rules.ts';
import { traumaExposureOf } from '../../services/incidents/incidents.service.ts';
import { listMeasures, personOutcomes, recordMeasure } from '../../services/measures/measures.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { DateTime, errorResponses, IdParams, Strict, StringEnum } from '../shared/schemas.ts';

/** Questionnaires (PHQ-9, GAD-7), Talking Therapies outcomes and the trauma-exposure log. */
export const measureRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.post(
    '/measures',
    {
      schema: {
        tags: ['measures'],
        summary:
          'Score and record a PHQ-9 or GAD-7; PHQ-9 item 9 above 0 flags self-harm risk and starts a same-day follow-up',
        body: Strict({
          personId: Type.String({ maxLength: 100 }),
          instrument: StringEnum(INSTRUMENT_CODES),
          // Items are checked by the scoring rules, which name each missing or out-of-range answer.
          answers: Type.Array(Type.Unknown(), { maxItems: 30 }),
          takenAt: Type.Optional(DateTime('when it was completed')),
          caseId: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const { takenAt, ...body } = request.body;
      const recorded = await recordMeasure(ctx, actorOf(request), {
        ...body,
        ...(takenAt ? { takenAt: new Date(takenAt) } : {}),
      });
      return reply.code(201).send(recorded);
    },
  );

  app.get(
    '/people/:id/measures',
    {
      schema: {
        tags: ['measures'],
        summary: "A person's questionnaires, oldest first (the person, or an OH clinician)",
        params: IdParams,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => ({ items: await listMeasures(ctx, actorOf(request), request.params.id), next: null }),
  );

  app.get(
    '/people/:id/outcomes',
    {
      schema: {
        tags: ['measures'],
        summary: 'NHS Talking Therapies outcomes per episode (case): caseness, recovery, reliable change',
        params: IdParams,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => personOutcomes(ctx, actorOf(request), request.params.id),
  );

  app.get(
    '/people/:id/trauma-exposure',
    {
      schema: {
        tags: ['measures'],
        summary:
          "A person's trauma-exposure log: incidents in the last 12 months, in all, and whether outreach is due",
        params: IdParams,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => {
      const { last12Months, total, outreachDue, windowStart, threshold } = await traumaExposureOf(
        ctx,
        actorOf(request),
        request.params.id,
      );
      return { last12Months, total, outreachDue, windowStart, threshold };
    },
  );
};
