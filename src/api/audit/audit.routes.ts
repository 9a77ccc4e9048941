import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listAudit } from '../../services/audit/audit.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, Strict } from '../shared/schemas.ts';

/** `GET /api/v1/audit?recordId=`: who read or changed a record, for sysadmins and OH physicians. */
export const auditRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit trail of a record',
        querystring: Strict({
          recordId: Type.String({ maxLength: 100 }),
          cursor: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                at: Type.String(),
                userId: Type.Union([Type.String(), Type.Null()]),
                userName: Type.Union([Type.String(), Type.Null()]),
                role: Type.Union([Type.String(), Type.Null()]),
                action: Type.String(),
                recordId: Type.String(),
                recordType: Type.String(),
                reason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => listAudit(ctx, actorOf(request), request.query),
  );
};
