import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TASK_STATUSES } from '../../domain/pathways/task.rules.ts';
import { INTERVAL_UNITS } from '../../domain/pathways/timing.ts';
import {
  completeTask,
  getTask,
  listRuleSets,
  listTasks,
  publishRuleSet,
  rescheduleTask,
  skipTask,
} from '../../services/pathways/pathways.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { DateTime, errorResponses, IdParams, Strict, StringEnum, Text } from '../shared/schemas.ts';

const TaskChanged = Type.Object({ id: Type.String(), status: Type.String(), dueAt: Type.String() });

const Interval = Strict({
  amount: Type.Integer({ minimum: -1000, maximum: 1000 }),
  unit: StringEnum(INTERVAL_UNITS),
  endOfDay: Type.Optional(Type.Boolean()),
});
const Condition = Strict({
  fact: Type.String({ maxLength: 60 }),
  is: Type.Array(Type.Union([Type.String({ maxLength: 100 }), Type.Boolean(), Type.Number()]), {
    maxItems: 20,
  }),
});
const Step = Strict({
  code: Type.String({ maxLength: 40 }),
  title: Text(200),
  assignee: StringEnum(['oh-clinician', 'oh-admin', 'trim-practitioner'] as const),
  completes: Text(500),
  opensAfter: Type.Optional(Interval),
  dueAfter: Interval,
  closesAfter: Type.Optional(Interval),
  when: Type.Optional(Condition),
  tests: Type.Optional(
    Type.Array(Strict({ name: Text(100), when: Type.Optional(Condition), note: Type.Optional(Text(200)) }), {
      maxItems: 20,
    }),
  ),
  source: Text(500),
});

/** Tasks and pathway rule sets (API.md "Pathways, tasks and measures"). */
export const pathwayRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  app.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary:
          'The OH worklist: tasks of the organisations your provider serves, soonest due first, overdue marked',
        querystring: Strict({
          status: Type.Optional(StringEnum(TASK_STATUSES)),
          dueBefore: Type.Optional(DateTime('only tasks due before this time')),
          organisation: Type.Optional(Type.String({ maxLength: 100, description: 'organisation slug' })),
          caseId: Type.Optional(Type.String({ maxLength: 100 })),
          after: Type.Optional(Type.String({ maxLength: 20, description: 'the cursor from `next`' })),
        }),
        response: errorResponses(400, 401, 403),
      },
    },
    async (request) => {
      const { dueBefore, ...filter } = request.query;
      return listTasks(ctx, actorOf(request), {
        ...filter,
        ...(dueBefore ? { dueBefore: new Date(dueBefore) } : {}),
      });
    },
  );

  app.get(
    '/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'One task with what was recorded on it (OH staff; the read is audited)',
        params: IdParams,
        response: errorResponses(401, 404),
      },
    },
    async (request) => getTask(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/tasks/:id/complete',
    {
      // Both fields are optional, so a POST with no body at all completes the task too.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['tasks'],
        summary: 'Complete a task, with what was found or done (encrypted at rest)',
        params: IdParams,
        body: Strict({ outcome: Type.Optional(Text(2000)), notes: Type.Optional(Text(20_000)) }),
        response: { 200: TaskChanged, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => completeTask(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/tasks/:id/skip',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Skip a task that no longer applies, saying why',
        params: IdParams,
        body: Strict({ reason: Text(2000) }),
        response: { 200: TaskChanged, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => skipTask(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/tasks/:id/reschedule',
    {
      schema: {
        tags: ['tasks'],
        summary: "Move a task's due time, saying why; the pathway's own date is kept",
        params: IdParams,
        body: Strict({ dueAt: DateTime('the new due time'), reason: Text(2000) }),
        response: { 200: TaskChanged, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      rescheduleTask(ctx, actorOf(request), request.params.id, {
        dueAt: new Date(request.body.dueAt),
        reason: request.body.reason,
      }),
  );

  app.get(
    '/pathways',
    {
      schema: {
        tags: ['pathways'],
        summary: 'Every version of the pathway rule sets in force at your provider, with their sources',
        response: errorResponses(401, 403),
      },
    },
    async (request) => ({ items: await listRuleSets(ctx, actorOf(request)), next: null }),
  );

  app.post(
    '/pathways/:code/versions',
    {
      schema: {
        tags: ['pathways'],
        summary:
          'Publish a new version of a pathway for your provider (OH physician); running pathways keep theirs',
        params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
        body: Strict({
          steps: Type.Array(Step, { minItems: 1, maxItems: 40 }),
          settings: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.Integer())),
          changeNote: Text(2000),
        }),
        response: {
          201: Type.Object({ id: Type.String(), code: Type.String(), version: Type.Integer() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await publishRuleSet(ctx, actorOf(request), request.params.code, request.body)),
  );
};
