import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EXPOSURE_KINDS } from '../../domain/exposures/exposure.rules.ts';
import { reportExposure } from '../../services/exposures/exposures.service.ts';
import { reportIncident } from '../../services/incidents/incidents.service.ts';
import { reportDentalInjury } from '../../services/injuries/dental-injuries.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { DateTime, errorResponses, Strict, StringEnum, Text } from '../shared/schemas.ts';

/** Events that start pathways: blood-borne virus exposures and traumatic incidents. */
export const exposureRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.post(
    '/exposures',
    {
      schema: {
        tags: ['pathways'],
        summary:
          'Report a blood-borne virus exposure: opens an urgent case with tasks timed from the moment of exposure',
        body: Strict({
          personId: Type.String({ maxLength: 100 }),
          occurredAt: DateTime('the moment of exposure'),
          kind: StringEnum(EXPOSURE_KINDS),
          description: Type.Optional(Text(5000)),
          sourceKnown: Type.Optional(Type.Boolean({ description: 'whether the source person is known' })),
          highRiskHcv: Type.Optional(
            Type.Boolean({ description: 'the source is at high risk of hepatitis C' }),
          ),
          onDuty: Type.Optional(Type.Boolean({ description: 'it happened on duty' })),
        }),
        response: errorResponses(400, 401, 403, 404, 422),
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await reportExposure(ctx, actorOf(request), {
          ...request.body,
          occurredAt: new Date(request.body.occurredAt),
        }),
      ),
  );

  app.post(
    '/incidents',
    {
      schema: {
        tags: ['pathways'],
        summary:
          'Record a traumatic incident: TRiM tasks for each person involved, and their trauma-exposure log',
        body: Strict({
          occurredAt: DateTime('when the incident happened'),
          kind: StringEnum(['traumatic'] as const),
          description: Text(5000),
          personIds: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 100 }),
        }),
        response: errorResponses(400, 401, 403, 404, 422),
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await reportIncident(ctx, actorOf(request), {
          ...request.body,
          occurredAt: new Date(request.body.occurredAt),
        }),
      ),
  );

  app.post(
    '/dental-injuries',
    {
      schema: {
        tags: ['pathways'],
        summary:
          'Report a dental injury: an urgent case with same-day assessment and follow-up reviews, marked injury on duty',
        body: Strict({
          personId: Type.String({ maxLength: 100 }),
          occurredAt: DateTime('when the injury happened'),
          avulsed: Type.Boolean({ description: 'an adult tooth was knocked out' }),
          onDuty: Type.Boolean({ description: 'it happened on duty' }),
          description: Type.Optional(Text(5000)),
        }),
        response: errorResponses(400, 401, 403, 404, 422),
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await reportDentalInjury(ctx, actorOf(request), {
          ...request.body,
          occurredAt: new Date(request.body.occurredAt),
        }),
      ),
  );
};
