import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CLOSURE_OUTCOMES, FITNESS_OUTCOMES } from '../../domain/cases/case.rules.ts';
import {
  allocateClinician,
  closeCase,
  getCase,
  recordConsultation,
  recordOutcome,
} from '../../services/cases/cases.service.ts';
import { writeReport } from '../../services/reports/reports.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { CalendarDate, errorResponses, IdParams, Strict, StringEnum, Text } from '../shared/schemas.ts';

/** Case calls of API.md: the role-shaped case, consultations, outcome, reports, closure. */
export const caseRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary:
          'A case: in full for OH staff; own view for the employee; status, fitness outcome, adjustments and review date for the referring manager',
        params: IdParams,
        response: errorResponses(401, 404),
      },
    },
    async (request) => getCase(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/cases/:id/consultations',
    {
      schema: {
        tags: ['cases'],
        summary: 'Record a consultation (notes are encrypted at rest)',
        params: IdParams,
        body: Strict({ appointmentId: Type.Optional(Type.String({ maxLength: 100 })), notes: Text(50_000) }),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordConsultation(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/cases/:id/outcome',
    {
      schema: {
        tags: ['cases'],
        summary: 'Record the fitness-for-work outcome, recommended adjustments and review date',
        params: IdParams,
        body: Strict({
          fitness: StringEnum(FITNESS_OUTCOMES),
          adjustments: Type.Array(Text(1000), { maxItems: 20 }),
          reviewDate: Type.Optional(Type.Union([CalendarDate('when to review'), Type.Null()])),
        }),
        response: errorResponses(400, 401, 403, 404, 422),
      },
    },
    async (request) => recordOutcome(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/cases/:id/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'Write the management report; it is held for the employee to see first',
        params: IdParams,
        body: Strict({ text: Text(50_000) }),
        response: {
          201: Type.Object({ id: Type.String(), status: Type.Literal('awaiting-employee') }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await writeReport(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/cases/:id/close',
    {
      schema: {
        tags: ['cases'],
        summary: 'Close a case with how it ended',
        params: IdParams,
        body: Strict({ outcome: StringEnum(CLOSURE_OUTCOMES) }),
        response: errorResponses(400, 401, 403, 404, 422),
      },
    },
    async (request) => closeCase(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/cases/:id/clinician',
    {
      schema: {
        tags: ['cases'],
        summary: 'Allocate or change the clinician of a case (OH staff)',
        params: IdParams,
        body: Strict({ clinicianId: Type.String({ maxLength: 100 }) }),
        response: errorResponses(400, 401, 403, 404, 422),
      },
    },
    async (request) => allocateClinician(ctx, actorOf(request), request.params.id, request.body),
  );
};
