import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { MSK_TRIAGE, parseMskTriageAnswers } from '../../domain/msk/msk-triage.rules.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { selfReferMsk } from '../../services/referrals/referrals.service.ts';
import { type FormBody, field, formErrorsFrom } from '../shared/forms.ts';
import { render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

const RED_FLAGS = [...MSK_TRIAGE.emergencyFlags, ...MSK_TRIAGE.urgentFlags];
const TITLE = 'Back, joint or muscle problem';

/** The form body as the triage rules read it: red flags nested, the rest as given. */
function answersOf(body: FormBody): Record<string, unknown> {
  return {
    redFlags: Object.fromEntries(
      RED_FLAGS.map((q) => [q.code, field(body, `redFlags[${q.code}]`) || undefined]),
    ),
    area: field(body, 'area') || undefined,
    painScore: field(body, 'painScore') || undefined,
    duration: field(body, 'duration') || undefined,
    normalDuties: field(body, 'normalDuties') || undefined,
  };
}

/**
 * The musculoskeletal self-referral (DOMAIN.md): first the red-flag questions, which
 * send anyone with a red flag to A&E or urgent care at once; then how bad it is and
 * how it affects work, which route the self-referral to physiotherapy or self-care.
 */
export const mskPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    step: 'red-flags' | 'about' | 'result',
    extra: Record<string, unknown> = {},
    status = 200,
  ) =>
    render(
      request,
      reply,
      'pages/msk-triage.njk',
      { title: TITLE, step, rules: MSK_TRIAGE, values: {}, ...extra },
      status,
    );

  app.get('/get-help/back-and-joints', async (request, reply) => page(request, reply, 'red-flags'));

  app.post('/get-help/back-and-joints', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const body = (request.body ?? {}) as FormBody;
    const values = Object.fromEntries(Object.keys(body).map((k) => [k, field(body, k)]));
    const answers = answersOf(body);
    const step = field(body, 'step') === 'about' ? 'about' : 'red-flags';
    try {
      if (step === 'red-flags') {
        // Only the red flags are asked first; the rest of the questions follow if none is "yes".
        try {
          parseMskTriageAnswers(answers);
        } catch (error) {
          if (!(error instanceof Invalid)) throw error;
          const flagErrors = error.errors.filter((e) => e.path.startsWith('/redFlags/'));
          if (flagErrors.length > 0) throw new Invalid(error.message, flagErrors);
          // Every red flag answered "no": go on to the questions about the problem.
          return page(request, reply, 'about', { values });
        }
      }
      const result = await selfReferMsk(ctx, actor, answers);
      return page(request, reply, 'result', { result });
    } catch (error) {
      return page(request, reply, step, { values, errors: formErrorsFrom(error, 'area') }, 400);
    }
  });
};
