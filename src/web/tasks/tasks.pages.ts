import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../domain/shared/errors.ts';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import {
  completeTask,
  getTask,
  listTasks,
  rescheduleTask,
  skipTask,
} from '../../services/pathways/pathways.service.ts';
import { dateField, type FormBody, FormErrors, field, formErrorsFrom, timeField } from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

const VIEWS = {
  due: 'Due by the end of today',
  week: 'Due in the next 7 days',
  open: 'All open tasks',
  completed: 'Completed',
  skipped: 'Skipped',
} as const;
type WorklistView = keyof typeof VIEWS;

const taskIdOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** The OH worklist of pathway tasks, and the page where a task is completed, skipped or moved. */
export const taskPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/tasks', async (request, reply) => {
    const actor = pageActor(request);
    const query = request.query as { view?: string; after?: string };
    const view: WorklistView =
      query.view && Object.hasOwn(VIEWS, query.view) ? (query.view as WorklistView) : 'due';
    const today = londonDate(ctx.now());
    const dueBefore =
      view === 'due'
        ? londonInstant(addDays(today, 1), 0)
        : view === 'week'
          ? londonInstant(addDays(today, 8), 0)
          : undefined;
    const status = view === 'completed' || view === 'skipped' ? view : 'open';
    const page = await listTasks(ctx, actor, {
      status,
      ...(dueBefore ? { dueBefore } : {}),
      after: query.after,
    });
    return render(request, reply, 'pages/tasks.njk', {
      title: 'Tasks',
      width: 'full',
      view,
      views: Object.entries(VIEWS).map(([value, text]) => ({ value, text, current: value === view })),
      tasks: page.items,
      next: page.next,
    });
  });

  const taskPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
    status = 200,
  ) => {
    const task = await getTask(ctx, pageActor(request), taskIdOf(request));
    return render(
      request,
      reply,
      'pages/task.njk',
      { title: task.title, task, values: state.values ?? {}, errors: state.errors },
      status,
    );
  };

  app.get('/tasks/:id', async (request, reply) => taskPage(request, reply));

  app.post('/tasks/:id/complete', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = { outcome: field(body, 'outcome'), notes: field(body, 'notes') };
    const form = new FormErrors();
    if (values.outcome.length > 2000) form.add('outcome', 'Use 2,000 characters or fewer');
    if (values.notes.length > 20_000) form.add('notes', 'Use 20,000 characters or fewer');
    try {
      form.throwIfAny();
      await completeTask(ctx, pageActor(request), taskIdOf(request), {
        ...(values.outcome ? { outcome: values.outcome } : {}),
        ...(values.notes ? { notes: values.notes } : {}),
      });
    } catch (error) {
      return taskPage(request, reply, { values, errors: formErrorsFrom(error, 'outcome') }, 400);
    }
    return redirectWithMessage(reply, `/tasks/${taskIdOf(request)}`, 'Task completed.');
  });

  app.post('/tasks/:id/skip', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = { reason: field(body, 'reason') };
    const form = new FormErrors();
    if (!values.reason) form.add('reason', 'Say why the task is not needed');
    else if (values.reason.length > 2000) form.add('reason', 'Use 2,000 characters or fewer');
    try {
      form.throwIfAny();
      await skipTask(ctx, pageActor(request), taskIdOf(request), values);
    } catch (error) {
      return taskPage(request, reply, { values, errors: formErrorsFrom(error, 'reason') }, 400);
    }
    return redirectWithMessage(reply, `/tasks/${taskIdOf(request)}`, 'Task skipped.');
  });

  app.post('/tasks/:id/reschedule', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = Object.fromEntries(Object.keys(body).map((k) => [k, field(body, k)]));
    const form = new FormErrors();
    const date = dateField(body, 'dueAt');
    const time = timeField(body, 'dueAt');
    if (!date.value) form.add('dueAt', date.error ?? 'Enter the new due date');
    else if ('error' in time) form.add('dueAt-hour', time.error);
    const reason = field(body, 'rescheduleReason');
    if (!reason) form.add('rescheduleReason', 'Say why the task is moved');
    else if (reason.length > 2000) form.add('rescheduleReason', 'Use 2,000 characters or fewer');
    try {
      form.throwIfAny();
      const { hour, minute } = time as { hour: number; minute: number };
      await rescheduleTask(ctx, pageActor(request), taskIdOf(request), {
        dueAt: londonInstant(date.value as string, hour, minute),
        reason,
      });
    } catch (error) {
      const errors = formErrorsFrom(error, 'rescheduleReason').map((e) =>
        e.path === '/reason' ? { ...e, path: '/rescheduleReason' } : e,
      );
      return taskPage(request, reply, { values, errors }, 400);
    }
    return redirectWithMessage(reply, `/tasks/${taskIdOf(request)}`, 'Task moved.');
  });
};
