import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isClinicianFor } from '../../domain/access/case.policy.ts';
import type { FieldError } from '../../domain/shared/errors.ts';
import { londonDate } from '../../domain/time/london.ts';
import { getPersonProfile } from '../../services/people/people.service.ts';
import { createContinuitySummary, setRetirementDate } from '../../services/retirement/retirement.service.ts';
import {
  dateField,
  type FormBody,
  FormErrors,
  field,
  formErrorsFrom,
  instantForDate,
  lines,
} from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

const personIdOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** The person page for OH staff: their cases and pathway work, retirement date and GP continuity summary. */
export const peoplePages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  const personPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
    status = 200,
  ) => {
    const actor = pageActor(request);
    const person = await getPersonProfile(ctx, actor, personIdOf(request));
    return render(
      request,
      reply,
      'pages/person.njk',
      {
        title: person.name,
        person,
        isClinician: isClinicianFor(actor, person.organisationId),
        width: 'full',
        values: state.values ?? {},
        errors: state.errors,
      },
      status,
    );
  };

  app.get('/people/:id', async (request, reply) => personPage(request, reply));

  app.post('/people/:id/retirement-date', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = Object.fromEntries(Object.keys(body).map((k) => [k, field(body, k)]));
    const form = new FormErrors();
    const date = dateField(body, 'retirementDate');
    if (!date.value) form.add('retirementDate', date.error ?? 'Enter the planned retirement date');
    try {
      form.throwIfAny();
      const result = await setRetirementDate(ctx, pageActor(request), personIdOf(request), {
        date: date.value as string,
      });
      return redirectWithMessage(
        reply,
        `/people/${personIdOf(request)}`,
        result.pathwayStarted
          ? 'Retirement date saved. The retirement-preparation pathway has started.'
          : 'Retirement date saved. The retirement-preparation pathway will start in good time before it.',
      );
    } catch (error) {
      const errors = formErrorsFrom(error, 'retirementDate').map((e) =>
        e.path === '/date' ? { ...e, path: '/retirementDate' } : e,
      );
      return personPage(request, reply, { values, errors }, 400);
    }
  });

  // The summary is a download (FHIR JSON) for the clinician to send to the GP practice.
  app.post('/people/:id/continuity-summary', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = Object.fromEntries(Object.keys(body).map((k) => [k, field(body, k)]));
    const form = new FormErrors();
    const consentDate = dateField(body, 'consentDate');
    if (field(body, 'consent') !== 'yes')
      form.add('consent', 'The person must agree before a summary is sent to their GP');
    if (!consentDate.value) form.add('consentDate', consentDate.error ?? 'Enter the date they agreed');
    const practice = field(body, 'practice');
    const odsCode = field(body, 'odsCode').toUpperCase();
    if (odsCode && !/^[A-Z0-9]{3,10}$/.test(odsCode))
      form.add('odsCode', 'An ODS code is 3 to 10 letters and numbers');
    try {
      form.throwIfAny();
      const bundle = await createContinuitySummary(ctx, pageActor(request), personIdOf(request), {
        consent: {
          given: true,
          recordedAt: instantForDate(consentDate.value as string, ctx.now()).toISOString(),
        },
        ...(practice ? { recipient: { name: practice, ...(odsCode ? { odsCode } : {}) } } : {}),
        carePlan: lines(field(body, 'carePlan')),
      });
      return reply
        .header(
          'content-disposition',
          `attachment; filename="continuity-summary-${londonDate(ctx.now())}.json"`,
        )
        .type('application/fhir+json; charset=utf-8')
        .send(JSON.stringify(bundle, null, 2));
    } catch (error) {
      const errors = formErrorsFrom(error, 'consent').map((e) =>
        e.path === '/consent/given'
          ? { ...e, path: '/consent' }
          : e.path === '/consent/recordedAt'
            ? { ...e, path: '/consentDate' }
            : e,
      );
      return personPage(request, reply, { values, errors }, 400);
    }
  });
};
