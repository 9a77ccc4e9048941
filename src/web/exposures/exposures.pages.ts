import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hasAnyRole, hasRole, OH_ROLES } from '../../domain/access/roles.ts';
import {
  EXPOSURE_KIND_LABELS,
  EXPOSURE_KINDS,
  type ExposureKind,
} from '../../domain/exposures/exposure.rules.ts';
import type { FieldError } from '../../domain/shared/errors.ts';
import { londonDate, londonInstant } from '../../domain/time/london.ts';
import { reportExposure } from '../../services/exposures/exposures.service.ts';
import { reportIncident } from '../../services/incidents/incidents.service.ts';
import { reportDentalInjury } from '../../services/injuries/dental-injuries.service.ts';
import { listPeople } from '../../services/people/people.service.ts';
import type { ServiceContext } from '../../services/shared/context.ts';
import {
  dateField,
  type FormBody,
  FormErrors,
  field,
  fields,
  formErrorsFrom,
  timeField,
} from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

type Choice = { value: string; text: string; hint?: string };
type Query = { q?: string; personId?: string };

/**
 * The people the actor may report for: themself, their team, and for OH staff or a
 * wellbeing lead the people found by a search (`q`), so a night-shift sergeant or a
 * nurse in charge can report in a minute from a phone.
 */
async function peopleChoices(
  ctx: ServiceContext,
  request: FastifyRequest,
  options: { includeSelf: boolean },
) {
  const actor = pageActor(request);
  const query = request.query as Query;
  const choices: Choice[] = [];
  if (options.includeSelf && actor.personId) choices.push({ value: actor.personId, text: 'Me' });
  if (hasRole(actor, 'manager')) {
    const team = await listPeople(ctx, actor, { teamOnly: true, limit: 200 });
    for (const p of team.items) choices.push({ value: p.id, text: p.name, hint: p.jobTitle });
  }
  const canSearch = hasAnyRole(actor, OH_ROLES) || (!options.includeSelf && hasRole(actor, 'wellbeing-lead'));
  if (canSearch && query.q?.trim()) {
    const found = await listPeople(ctx, actor, { q: query.q, limit: 20, forIncident: !options.includeSelf });
    for (const p of found.items) {
      if (!choices.some((c) => c.value === p.id))
        choices.push({ value: p.id, text: p.name, hint: p.jobTitle });
    }
  }
  return { choices, canSearch, q: query.q ?? '' };
}

/** Now on the London wall clock, to fill the date and time fields in. */
function nowParts(now: Date) {
  const [year, month, day] = londonDate(now).split('-');
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => time.find((p) => p.type === type)?.value ?? '';
  return {
    'occurredAt[day]': String(Number(day)),
    'occurredAt[month]': String(Number(month)),
    'occurredAt[year]': year,
    'occurredAt[hour]': part('hour'),
    'occurredAt[minute]': part('minute'),
  };
}

/** The moment something happened, from the date and time fields (London wall clock). */
function occurredAtFrom(body: FormBody, form: FormErrors): Date | null {
  const date = dateField(body, 'occurredAt');
  const time = timeField(body, 'occurredAt');
  if (!date.value) {
    form.add('occurredAt', date.error ?? 'Enter the date it happened');
    return null;
  }
  if ('error' in time) {
    form.add('occurredAt-hour', time.error);
    return null;
  }
  return londonInstant(date.value, time.hour, time.minute);
}

/** The start of a report form: what was typed, the person, and when it happened. */
function readWhoAndWhen(body: FormBody, choosePerson: string) {
  const values = Object.fromEntries(Object.keys(body).map((k) => [k, field(body, k)]));
  const form = new FormErrors();
  const personId = field(body, 'personId');
  if (!personId) form.add('personId', choosePerson);
  const occurredAt = occurredAtFrom(body, form);
  return { values, form, personId, occurredAt };
}

/** The end of a report form: whether it was on duty (required) and what happened (optional). */
function readOnDutyAndDescription(body: FormBody, form: FormErrors) {
  const onDuty = yesNo(field(body, 'onDuty'));
  if (onDuty === undefined) form.add('onDuty', 'Select yes if it happened at work or on duty');
  const description = field(body, 'description');
  if (description.length > 5000) form.add('description', 'Use 5,000 characters or fewer');
  return { onDuty, description };
}

const yesNo = (value: string): boolean | undefined =>
  value === 'yes' ? true : value === 'no' ? false : undefined;

/** Reporting a blood-borne virus exposure, a dental injury or a traumatic incident. */
export const exposurePages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  /** Renders one of the report forms, with now filled in and the people the actor may report for. */
  const reportForm =
    (template: string, title: string, options: { includeSelf: boolean; extra?: Record<string, unknown> }) =>
    async (
      request: FastifyRequest,
      reply: FastifyReply,
      state: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
      status = 200,
    ) =>
      render(
        request,
        reply,
        template,
        {
          title,
          ...(await peopleChoices(ctx, request, { includeSelf: options.includeSelf })),
          ...options.extra,
          values: state.values ?? {
            ...nowParts(ctx.now()),
            personId: (request.query as Query).personId,
            personIds: [],
          },
          errors: state.errors,
        },
        status,
      );

  const exposureForm = reportForm('pages/report-exposure.njk', 'Report a needlestick, bite, splash or spit', {
    includeSelf: true,
    extra: { kinds: EXPOSURE_KINDS.map((k) => ({ value: k, text: EXPOSURE_KIND_LABELS[k] })) },
  });

  app.get('/report/exposure', async (request, reply) => exposureForm(request, reply));

  app.post('/report/exposure', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const body = (request.body ?? {}) as FormBody;
    const { values, form, personId, occurredAt } = readWhoAndWhen(body, 'Choose who was exposed');
    const kind = field(body, 'kind');
    if (!EXPOSURE_KINDS.includes(kind as ExposureKind)) form.add('kind', 'Choose what happened');
    const { onDuty, description } = readOnDutyAndDescription(body, form);
    try {
      form.throwIfAny();
      const reported = await reportExposure(ctx, actor, {
        personId,
        occurredAt: occurredAt as Date,
        kind: kind as ExposureKind,
        onDuty,
        sourceKnown: yesNo(field(body, 'sourceKnown')),
        highRiskHcv: yesNo(field(body, 'highRiskHcv')) ?? false,
        ...(description ? { description } : {}),
      });
      // The person sees their own case (the clock, what is due); anyone else sees what happens next.
      if (personId === actor.personId || hasAnyRole(actor, OH_ROLES)) {
        return redirectWithMessage(
          reply,
          `/cases/${reported.caseId}`,
          'Exposure reported. Occupational health has been told.',
        );
      }
      return reply.code(303).redirect('/report/exposure/sent');
    } catch (error) {
      return exposureForm(request, reply, { values, errors: formErrorsFrom(error, 'personId') }, 400);
    }
  });

  app.get('/report/exposure/sent', async (request, reply) =>
    render(request, reply, 'pages/report-exposure-sent.njk', { title: 'Exposure reported' }),
  );

  const dentalForm = reportForm('pages/report-dental.njk', 'Report an injury to the teeth or mouth', {
    includeSelf: true,
  });

  app.get('/report/dental-injury', async (request, reply) => dentalForm(request, reply));

  app.post('/report/dental-injury', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const body = (request.body ?? {}) as FormBody;
    const { values, form, personId, occurredAt } = readWhoAndWhen(body, 'Choose who was injured');
    const avulsed = yesNo(field(body, 'avulsed'));
    if (avulsed === undefined) form.add('avulsed', 'Select yes if an adult tooth was knocked out');
    const { onDuty, description } = readOnDutyAndDescription(body, form);
    try {
      form.throwIfAny();
      const reported = await reportDentalInjury(ctx, actor, {
        personId,
        occurredAt: occurredAt as Date,
        avulsed: avulsed as boolean,
        onDuty: onDuty as boolean,
        ...(description ? { description } : {}),
      });
      if (personId === actor.personId || hasAnyRole(actor, OH_ROLES)) {
        return redirectWithMessage(
          reply,
          `/cases/${reported.caseId}`,
          'Injury reported. Occupational health has been told.',
        );
      }
      return redirectWithMessage(
        reply,
        '/',
        'Injury reported. Occupational health has been told and will arrange the dental care.',
      );
    } catch (error) {
      return dentalForm(request, reply, { values, errors: formErrorsFrom(error, 'personId') }, 400);
    }
  });

  const incidentForm = reportForm('pages/report-incident.njk', 'Record a traumatic incident', {
    includeSelf: false,
  });

  app.get('/report/incident', async (request, reply) => incidentForm(request, reply));

  app.post('/report/incident', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const body = (request.body ?? {}) as FormBody;
    const personIds = fields(body, 'personIds');
    const values = { ...Object.fromEntries(Object.keys(body).map((k) => [k, field(body, k)])), personIds };
    const form = new FormErrors();
    if (personIds.length === 0) form.add('personIds', 'Choose the people involved');
    const occurredAt = occurredAtFrom(body, form);
    const description = field(body, 'description');
    if (!description) form.add('description', 'Describe the incident in a sentence or two');
    else if (description.length > 5000) form.add('description', 'Use 5,000 characters or fewer');
    try {
      form.throwIfAny();
      const reported = await reportIncident(ctx, actor, {
        occurredAt: occurredAt as Date,
        kind: 'traumatic',
        description,
        personIds,
      });
      const people = personIds.length === 1 ? 'the person' : `each of the ${personIds.length} people`;
      return redirectWithMessage(
        reply,
        '/',
        `Incident recorded. A TRiM risk assessment is due for ${people} by ${new Intl.DateTimeFormat(
          'en-GB',
          {
            timeZone: 'Europe/London',
            weekday: 'long',
            day: 'numeric',
            month: 'long',
          },
        ).format(new Date(reported.tasks[0]?.dueAt ?? Date.now()))}.`,
      );
    } catch (error) {
      return incidentForm(request, reply, { values, errors: formErrorsFrom(error, 'personIds') }, 400);
    }
  });
};
