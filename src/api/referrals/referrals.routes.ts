import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PRIORITIES } from '../../domain/referrals/referral.rules.ts';
import {
  declineReferral,
  referCase,
  selfRefer,
  selfReferMsk,
  triageReferral,
} from '../../services/referrals/referrals.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { DateTime, errorResponses, IdParams, Strict, StringEnum, Text } from '../shared/schemas.ts';

const Pathway = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,49}$',
  description: 'pathway slug, e.g. mental-health',
});

const ManagementReferral = Strict(
  {
    personId: Type.String({ maxLength: 100, description: 'the staff record of the person referred' }),
    reason: Text(5000, { description: 'why the manager is referring' }),
    questions: Type.Array(Text(1000), { maxItems: 20, description: 'what the manager wants OH to answer' }),
    consent: Type.Optional(
      Strict(
        { given: Type.Boolean(), recordedAt: DateTime('when the employee agreed') },
        'the employee’s consent',
      ),
    ),
    pathway: Type.Optional(Pathway),
  },
  'A management referral',
);

const SelfReferral = Strict(
  {
    selfReferral: Type.Literal(true),
    reason: Text(5000, { description: 'what the person would like help with' }),
    pathway: Type.Optional(Pathway),
  },
  'A self-referral',
);

/** Referral calls of API.md: management referral, self-referral, triage. */
export const referralRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.post(
    '/referrals',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Refer a member of your team (with their consent), or refer yourself',
        body: Type.Union([SelfReferral, ManagementReferral]),
        response: {
          201: Type.Object({ id: Type.String(), status: Type.Literal('awaiting-triage') }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const created =
        'selfReferral' in body
          ? await selfRefer(ctx, actor, { reason: body.reason, pathway: body.pathway })
          : await referCase(ctx, actor, body);
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/referrals/:id/triage',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Triage a referral: priority, pathway and clinician; opens the case',
        params: IdParams,
        body: Strict({
          priority: StringEnum(PRIORITIES),
          pathway: Pathway,
          clinicianId: Type.String({ maxLength: 100 }),
        }),
        response: {
          200: Type.Object({ status: Type.Literal('triaged'), caseId: Type.String() }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request) => triageReferral(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/referrals/:id/decline',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Decline a referral, with a reason the referrer will read (no clinical detail)',
        params: IdParams,
        body: Strict({ reason: Text(2000, { description: 'shown to the person who referred' }) }),
        response: {
          200: Type.Object({ id: Type.String(), status: Type.Literal('declined') }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request) => declineReferral(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/msk-triage',
    {
      schema: {
        tags: ['referrals'],
        summary:
          'Self-referral for a back, joint or muscle problem through the digital triage: red flags first (urgent advice, no referral), else the route is recorded with the answers',
        body: Strict({
          redFlags: Type.Record(Type.String({ maxLength: 40 }), Type.Boolean(), {
            description: 'every red-flag question by code, answered true or false',
          }),
          area: Type.Optional(Type.String({ maxLength: 20 })),
          painScore: Type.Optional(Type.Integer()),
          duration: Type.Optional(Type.String({ maxLength: 20 })),
          normalDuties: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: errorResponses(400, 401, 403, 422),
      },
    },
    async (request, reply) => {
      const result = await selfReferMsk(ctx, actorOf(request), request.body);
      return reply.code(result.referral ? 201 : 200).send(result);
    },
  );
};
