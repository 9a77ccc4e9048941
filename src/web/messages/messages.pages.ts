import type { FastifyPluginAsync } from 'fastify';
import { listMessages } from '../../services/notifications/notifications.service.ts';
import { render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

/** The email OHWB has written to you (reminders), readable here when no SMTP server is set up. */
export const messagePages: FastifyPluginAsync<WebDeps> = async (app, { ctx, config }) => {
  app.get('/messages', async (request, reply) =>
    render(request, reply, 'pages/messages.njk', {
      title: 'Messages',
      messages: await listMessages(ctx, pageActor(request)),
      smtp: config.smtpUrl !== null,
    }),
  );
};
