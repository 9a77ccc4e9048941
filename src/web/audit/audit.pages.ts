import type { FastifyPluginAsync } from 'fastify';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import { listDiary } from '../../services/appointments/appointments.service.ts';
import { listAudit, requireAuditReader } from '../../services/audit/audit.service.ts';
import { render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

/** The audit look-up (sysadmin, OH physician) and the OH diary. */
export const auditPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  app.get('/audit', async (request, reply) => {
    const recordId = ((request.query as { recordId?: string }).recordId ?? '').trim();
    requireAuditReader(pageActor(request));
    const result = recordId ? await listAudit(ctx, pageActor(request), { recordId }) : null;
    return render(request, reply, 'pages/audit.njk', {
      title: 'Audit trail',
      recordId,
      result,
      width: 'full',
    });
  });

  app.get('/diary', async (request, reply) => {
    const asked = (request.query as { date?: string }).date;
    const date = asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : londonDate(ctx.now());
    const entries = await listDiary(ctx, pageActor(request), {
      from: londonInstant(date, 0),
      to: londonInstant(addDays(date, 1), 0),
    });
    return render(request, reply, 'pages/diary.njk', {
      title: 'Diary',
      date,
      previous: addDays(date, -1),
      next: addDays(date, 1),
      entries,
      width: 'full',
    });
  });
};
