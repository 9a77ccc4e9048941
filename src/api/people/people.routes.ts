import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getPersonProfile, listPeople } from '../../services/people/people.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, IdParams, Strict } from '../shared/schemas.ts';

/** `GET /api/v1/people`: OH staff search the people they serve; managers see their team. */
export const peopleRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Find staff',
        querystring: Strict({
          organisation: Type.Optional(Type.String({ maxLength: 100 })),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          cursor: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                organisationId: Type.String(),
                staffGroup: Type.String(),
                jobTitle: Type.String(),
                managerId: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => listPeople(ctx, actorOf(request), request.query),
  );

  app.get(
    '/people/:id',
    {
      schema: {
        tags: ['people'],
        summary:
          "A person's occupational health record for OH staff: cases and pathway tasks outside cases (audited)",
        params: IdParams,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => getPersonProfile(ctx, actorOf(request), request.params.id),
  );
};
