import type { FastifyPluginAsync } from 'fastify';
import {
  PATHWAYS,
  PRIORITIES,
  type Priority,
  SELF_REFERRAL_CHOICES,
} from '../../domain/referrals/referral.rules.ts';
import type { FieldError } from '../../domain/shared/errors.ts';
import { listClinicians } from '../../services/appointments/appointments.service.ts';
import { getTeamMember } from '../../services/people/people.service.ts';
import {
  declineReferral,
  getReferral,
  listTriageQueue,
  referCase,
  selfRefer,
  triageReferral,
} from '../../services/referrals/referrals.service.ts';
import {
  dateField,
  dateParts,
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

const pathwayItems = (selected?: string, choices: Record<string, string> = PATHWAYS) =>
  Object.entries(choices).map(([value, text]) => ({ value, text, selected: value === selected }));

/** Management referral, self-referral ("get help"), and the OH triage queue. */
export const referralPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/refer/:personId', async (request, reply) => {
    const actor = pageActor(request);
    const person = await getTeamMember(ctx, actor, (request.params as { personId: string }).personId);
    return render(request, reply, 'pages/refer.njk', {
      title: `Refer ${person.name}`,
      person,
      backHref: '/team',
    });
  });

  app.post('/refer/:personId', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const person = await getTeamMember(ctx, actor, (request.params as { personId: string }).personId);
    const body = (request.body ?? {}) as FormBody;
    const values = {
      reason: field(body, 'reason'),
      questions: field(body, 'questions'),
      consent: field(body, 'consent'),
      consentDate: dateParts(body, 'consentDate'),
    };
    const form = new FormErrors();
    if (!values.reason) form.add('reason', 'Enter why you are referring them');
    else if (values.reason.length > 5000) form.add('reason', 'The reason must be 5,000 characters or fewer');
    const questions = lines(values.questions);
    if (questions.length > 20) form.add('questions', 'Ask at most 20 questions');
    if (!values.consent) form.add('consent', 'Select whether they have agreed to the referral');
    else if (values.consent !== 'yes') {
      form.add('consent', 'You can refer only with their agreement. Talk to them first, then select yes');
    }
    const consentDate = dateField(body, 'consentDate');
    if (values.consent === 'yes' && consentDate.error) form.add('consentDate-day', consentDate.error);
    else if (values.consent === 'yes' && !consentDate.value)
      form.add('consentDate-day', 'Enter the date they agreed');
    try {
      form.throwIfAny();
      await referCase(ctx, actor, {
        personId: person.id,
        reason: values.reason,
        questions,
        consent: {
          given: true,
          recordedAt: instantForDate(consentDate.value as string, ctx.now()).toISOString(),
        },
      });
    } catch (error) {
      const errors = formErrorsFrom(error, 'consent', { '/consent/recordedAt': 'consentDate-day' });
      return render(
        request,
        reply,
        'pages/refer.njk',
        { title: `Refer ${person.name}`, person, values, errors, backHref: '/team' },
        400,
      );
    }
    return redirectWithMessage(
      reply,
      '/',
      `Referral sent. Occupational health will triage it and contact ${person.name}.`,
    );
  });

  app.get('/get-help', async (request, reply) =>
    render(request, reply, 'pages/self-refer.njk', {
      title: 'Get help from occupational health',
      pathways: pathwayItems(undefined, SELF_REFERRAL_CHOICES),
    }),
  );

  app.post('/get-help', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const body = (request.body ?? {}) as FormBody;
    const values = { reason: field(body, 'reason'), pathway: field(body, 'pathway') };
    const form = new FormErrors();
    if (!values.reason) form.add('reason', 'Tell us what you would like help with');
    else if (values.reason.length > 5000) form.add('reason', 'Use 5,000 characters or fewer');
    if (
      values.pathway &&
      values.pathway !== 'not-sure' &&
      !Object.hasOwn(SELF_REFERRAL_CHOICES, values.pathway)
    )
      form.add('pathway', 'Choose one of the options');
    try {
      form.throwIfAny();
      await selfRefer(ctx, actor, {
        reason: values.reason,
        pathway: values.pathway && values.pathway !== 'not-sure' ? values.pathway : undefined,
      });
    } catch (error) {
      const errors = formErrorsFrom(error, 'reason');
      return render(
        request,
        reply,
        'pages/self-refer.njk',
        {
          title: 'Get help from occupational health',
          pathways: pathwayItems(values.pathway, SELF_REFERRAL_CHOICES),
          values,
          errors,
        },
        400,
      );
    }
    return redirectWithMessage(
      reply,
      '/',
      'Thank you. Occupational health has your request and will contact you, usually within 2 working days. Your manager has not been told.',
    );
  });

  app.get('/triage', async (request, reply) => {
    const queue = await listTriageQueue(ctx, pageActor(request));
    return render(request, reply, 'pages/triage-queue.njk', { title: 'Triage queue', queue, width: 'full' });
  });

  const triageForm = async (request: Parameters<typeof pageActor>[0], referralId: string) => {
    const actor = pageActor(request);
    const referral = await getReferral(ctx, actor, referralId);
    const clinicians = await listClinicians(ctx, actor, referral.organisationId);
    return { referral, clinicians };
  };

  /** The triage page: the referral, the triage form and the decline form, with any errors. */
  const renderTriage = (
    request: Parameters<typeof pageActor>[0],
    reply: Parameters<typeof render>[1],
    { referral, clinicians }: Awaited<ReturnType<typeof triageForm>>,
    state: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
  ) => {
    const values = { pathway: referral.pathway, ...state.values };
    return render(
      request,
      reply,
      'pages/triage.njk',
      {
        title: `Triage the referral for ${referral.personName}`,
        referral,
        clinicians,
        pathways: pathwayItems((values.pathway as string | null) ?? undefined),
        priorities: PRIORITIES,
        values,
        errors: state.errors,
        backHref: '/triage',
      },
      state.errors ? 400 : 200,
    );
  };

  app.get('/referrals/:id/triage', async (request, reply) =>
    renderTriage(request, reply, await triageForm(request, (request.params as { id: string }).id)),
  );

  app.post('/referrals/:id/triage', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const { referral, clinicians } = await triageForm(request, (request.params as { id: string }).id);
    const body = (request.body ?? {}) as FormBody;
    const values = {
      priority: field(body, 'priority'),
      pathway: field(body, 'pathway'),
      clinicianId: field(body, 'clinicianId'),
    };
    const form = new FormErrors();
    if (!PRIORITIES.includes(values.priority as Priority))
      form.add('priority', 'Choose how soon they need to be seen');
    if (!Object.hasOwn(PATHWAYS, values.pathway)) form.add('pathway', 'Choose a pathway');
    if (!values.clinicianId) form.add('clinicianId', 'Choose a clinician');
    try {
      form.throwIfAny();
      const result = await triageReferral(ctx, actor, referral.id, {
        priority: values.priority as Priority,
        pathway: values.pathway,
        clinicianId: values.clinicianId,
      });
      return redirectWithMessage(
        reply,
        `/cases/${result.caseId}/book`,
        `Triaged. Now book ${referral.personName}’s appointment.`,
      );
    } catch (error) {
      const errors = formErrorsFrom(error, 'clinicianId');
      return renderTriage(request, reply, { referral, clinicians }, { values, errors });
    }
  });

  app.post('/referrals/:id/decline', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const { referral, clinicians } = await triageForm(request, (request.params as { id: string }).id);
    const values = { declineReason: field((request.body ?? {}) as FormBody, 'declineReason') };
    try {
      const form = new FormErrors();
      if (!values.declineReason)
        form.add('declineReason', 'Say why you are declining, for the person who referred');
      else if (values.declineReason.length > 2000) form.add('declineReason', 'Use 2,000 characters or fewer');
      form.throwIfAny();
      await declineReferral(ctx, actor, referral.id, { reason: values.declineReason });
      return redirectWithMessage(reply, '/triage', `Referral for ${referral.personName} declined.`);
    } catch (error) {
      const errors = formErrorsFrom(error, 'declineReason');
      return renderTriage(request, reply, { referral, clinicians }, { values, errors });
    }
  });
};
