import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { APPOINTMENT_MODES } from '../../domain/appointments/slot.rules.ts';
import {
  bookAppointment,
  changeAppointment,
  listFreeSlots,
} from '../../services/appointments/appointments.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { DateTime, errorResponses, IdParams, Strict, StringEnum } from '../shared/schemas.ts';

const Mode = StringEnum(APPOINTMENT_MODES);

/** Slots and booking. */
export const appointmentRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/clinicians/:id/slots',
    {
      schema: {
        tags: ['appointments'],
        summary: 'A clinician’s free slots',
        params: IdParams,
        querystring: Strict({
          from: Type.Optional(DateTime()),
          to: Type.Optional(DateTime()),
          caseId: Type.Optional(
            Type.String({
              maxLength: 100,
              description: 'offer only venues that are safe for this case’s person',
            }),
          ),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                start: Type.String(),
                end: Type.String(),
                mode: Type.String(),
                siteId: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            next: Type.Null(),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const slots = await listFreeSlots(ctx, actorOf(request), request.params.id, request.query);
      return {
        items: slots.map((s) => ({
          start: s.start.toISOString(),
          end: s.end.toISOString(),
          mode: s.mode,
          siteId: s.siteId,
        })),
        next: null,
      };
    },
  );

  app.post(
    '/appointments',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Book an appointment; 409 when the clinician is already booked then',
        body: Strict({
          caseId: Type.String({ maxLength: 100 }),
          clinicianId: Type.String({ maxLength: 100 }),
          start: DateTime(),
          end: DateTime(),
          mode: Mode,
          siteId: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: {
          201: Type.Object({ id: Type.String() }),
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await bookAppointment(ctx, actorOf(request), request.body)),
  );

  for (const [path, change, summary] of [
    [
      'cancel',
      'cancel',
      'Cancel a booked appointment (OH staff; the employee for their own, before it starts)',
    ],
    [
      'did-not-attend',
      'did-not-attend',
      'Record that the person did not attend (OH staff, once it has started)',
    ],
  ] as const) {
    app.post(
      `/appointments/:id/${path}`,
      {
        schema: {
          tags: ['appointments'],
          summary,
          params: IdParams,
          response: {
            200: Type.Object({ id: Type.String(), caseId: Type.String(), status: Type.String() }),
            ...errorResponses(401, 403, 404, 422),
          },
        },
      },
      async (request) => changeAppointment(ctx, actorOf(request), request.params.id, change),
    );
  }
};
