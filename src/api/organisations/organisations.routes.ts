import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ORGANISATION_KINDS } from '../../domain/workforce/organisation.rules.ts';
import { createOrganisation } from '../../services/organisations/organisations.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, Strict, StringEnum } from '../shared/schemas.ts';

/** `POST /api/v1/organisations`: a sysadmin adds an organisation to their system. */
export const organisationRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.post(
    '/organisations',
    {
      schema: {
        tags: ['workforce'],
        summary: 'Add an organisation to a system (sysadmin of that system)',
        body: Strict({
          // The shape of a slug is checked by the service, with a message a person can act on.
          slug: Type.String({ maxLength: 200, description: 'lowercase letters, digits and hyphens' }),
          name: Type.String({ maxLength: 1000 }),
          kind: StringEnum(ORGANISATION_KINDS),
          system: Type.String({ maxLength: 200, description: 'the slug of an existing system' }),
        }),
        response: {
          201: Type.Object({
            id: Type.String(),
            slug: Type.String(),
            name: Type.String(),
            kind: Type.String(),
            system: Type.String(),
          }),
          ...errorResponses(400, 401, 403, 409, 422),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createOrganisation(ctx, actorOf(request), request.body)),
  );
};
