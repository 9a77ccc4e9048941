import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { REPORT_DECISIONS, type ReportDecision } from '../../domain/reports/report.rules.ts';
import { getCase } from '../../services/cases/cases.service.ts';
import { decideReport, getReport } from '../../services/reports/reports.service.ts';
import { type FormBody, FormErrors, field, formErrorsFrom } from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

const DECISION_MESSAGES: Record<ReportDecision, string> = {
  release: 'You released the report. Your manager can now read it.',
  'request-correction':
    'You asked for a correction. Occupational health will contact you. Your manager has not seen the report.',
  withhold: 'You withheld the report. Your manager cannot read it. You can still release it later.',
};

/** Reading a report, and the employee's decision on it. */
export const reportPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const page = async (
    request: FastifyRequest,
    reply: Parameters<typeof render>[1],
    state: Record<string, unknown> = {},
    status = 200,
  ) => {
    const actor = pageActor(request);
    const report = await getReport(ctx, actor, (request.params as { id: string }).id);
    const detail = await getCase(ctx, actor, report.caseId);
    const canDecide =
      detail.view === 'own' && (report.status === 'awaiting-employee' || report.status === 'withheld');
    // A self-referral is confidential: there is no manager to release the report to.
    const selfReferral = detail.view !== 'manager' && detail.referral.source === 'self';
    return render(
      request,
      reply,
      'pages/report.njk',
      {
        title: 'Occupational health report',
        report,
        view: detail.view,
        canDecide,
        selfReferral,
        backHref: `/cases/${report.caseId}`,
        ...state,
      },
      status,
    );
  };

  app.get('/reports/:id', async (request, reply) => page(request, reply));

  app.post('/reports/:id/decision', { preHandler: app.csrfProtection }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = { decision: field(body, 'decision'), comment: field(body, 'comment') };
    try {
      const form = new FormErrors();
      if (!REPORT_DECISIONS.includes(values.decision as ReportDecision))
        form.add('decision', 'Choose what you want to happen to the report');
      if (values.decision === 'request-correction' && !values.comment)
        form.add('comment', 'Tell us what is factually wrong');
      if (values.comment.length > 5000) form.add('comment', 'Use 5,000 characters or fewer');
      form.throwIfAny();
      const result = await decideReport(ctx, pageActor(request), (request.params as { id: string }).id, {
        decision: values.decision as ReportDecision,
        ...(values.comment ? { comment: values.comment } : {}),
      });
      return redirectWithMessage(
        reply,
        `/reports/${result.id}`,
        DECISION_MESSAGES[values.decision as ReportDecision],
      );
    } catch (error) {
      return page(request, reply, { values, errors: formErrorsFrom(error, 'decision') }, 400);
    }
  });
};
