import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AIM_DIRECTIONS } from '../../domain/reporting/benefits.rules.ts';
import { TRACKABLE_MEASURES } from '../../domain/reporting/report-types.ts';
import { createBenefitAim, listBenefitAims } from '../../services/reporting/benefits.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, Strict, StringEnum, Text } from '../shared/schemas.ts';

const Shown = Type.Union([Type.Number(), Type.Literal('*')]);
const Scope = Type.String({ maxLength: 100, description: 'an organisation or system slug' });
const Day = (description: string) =>
  Type.String({ maxLength: 20, description: `${description}, YYYY-MM-DD` });

const AimSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  measure: Type.String(),
  measureLabel: Type.String(),
  unit: StringEnum(['count', 'percent', 'days'] as const),
  direction: StringEnum(AIM_DIRECTIONS),
  baseline: Type.Object({ value: Type.Number(), from: Type.String(), to: Type.String() }),
  target: Type.Object({ value: Type.Number(), date: Type.String() }),
  createdAt: Type.String(),
  createdBy: Type.String(),
  quarters: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      label: Type.String(),
      complete: Type.Boolean({ description: 'false for a part quarter, which is shown but never judged' }),
      value: Shown,
      expected: Type.Number({ description: 'on the straight line from baseline to target' }),
    }),
  ),
  status: StringEnum(['on-track', 'not-on-track', 'too-few'] as const),
  statusLabel: Type.String(),
  reason: Type.String(),
});

const ScopeSchema = Type.Object({
  kind: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  organisationKind: Type.Union([Type.String(), Type.Null()]),
  controlled: Type.Boolean(),
});

/**
 * Benefits realisation: named aims on a measure of the minimum dataset, with a baseline and a
 * target, tracked quarter by quarter (wellbeing lead, analyst, sysadmin with reach over the scope).
 */
export const benefitRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/benefits',
    {
      schema: {
        tags: ['reporting'],
        summary:
          'The benefits-realisation aims of an organisation or system, each with its quarterly values and whether it is on track',
        querystring: Strict({ scope: Scope }),
        response: {
          200: Type.Object({ scope: ScopeSchema, aims: Type.Array(AimSchema) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => listBenefitAims(ctx, actorOf(request), request.query),
  );

  app.post(
    '/benefits',
    {
      schema: {
        tags: ['reporting'],
        summary:
          'Set a benefits-realisation aim: a measure, a baseline (value and period) and a target (value and date)',
        body: Strict({
          scope: Scope,
          name: Text(200, { description: 'e.g. "Cut the wait for a first appointment to 10 days"' }),
          measure: StringEnum(Object.keys(TRACKABLE_MEASURES) as (keyof typeof TRACKABLE_MEASURES)[]),
          direction: StringEnum(AIM_DIRECTIONS),
          baselineValue: Type.Number({ minimum: 0 }),
          baselineFrom: Day('first day of the baseline period'),
          baselineTo: Day('last day of the baseline period'),
          targetValue: Type.Number({ minimum: 0 }),
          targetDate: Day('the date the target should be reached by'),
        }),
        response: { 201: AimSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const aim = await createBenefitAim(ctx, actorOf(request), request.body);
      return reply.code(201).send(aim);
    },
  );
};
