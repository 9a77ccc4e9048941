import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { APPOINTMENT_MODES, type AppointmentMode } from '../../domain/appointments/slot.rules.ts';
import {
  ADJUSTMENT_FAMILIES,
  CLOSURE_LABELS,
  type ClosureOutcome,
  FITNESS_LABELS,
  type FitnessOutcome,
} from '../../domain/cases/case.rules.ts';
import { exposureClock } from '../../domain/exposures/exposure.rules.ts';
import { type FieldError, Forbidden, Invalid } from '../../domain/shared/errors.ts';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import {
  bookAppointment,
  changeAppointment,
  listClinicians,
  listFreeSlots,
  siteDetails,
} from '../../services/appointments/appointments.service.ts';
import {
  allocateClinician,
  type CaseDetail,
  closeCase,
  getCase,
  recordConsultation,
  recordOutcome,
} from '../../services/cases/cases.service.ts';
import { writeReport } from '../../services/reports/reports.service.ts';
import {
  dateField,
  dateParts,
  type FormBody,
  FormErrors,
  field,
  fields,
  formErrorsFrom,
  lines,
} from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

const caseIdOf = (request: FastifyRequest) => (request.params as { id: string }).id;
/** The closing time of the case's HIV PEP decision, as the rule set that made it says. */
const pepClosesAt = (tasks: Array<{ code: string; closesAt: string | null }>) => {
  const closesAt = tasks.find((t) => t.code === 'hiv-pep-decision')?.closesAt;
  return closesAt ? new Date(closesAt) : null;
};
const clinicianOf = (detail: CaseDetail) => (detail.view === 'manager' ? null : detail.clinician);

/** The case page for every role, booking, and the clinician's forms. */
export const casePages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  const casePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
    status = 200,
  ) => {
    const actor = pageActor(request);
    const detail = await getCase(ctx, actor, caseIdOf(request));
    const title = detail.view === 'own' ? 'Your occupational health case' : `Case: ${detail.person.name}`;
    const exposure = detail.view === 'manager' ? null : detail.exposure;
    return render(
      request,
      reply,
      'pages/case.njk',
      {
        title,
        c: detail,
        width: 'full',
        today: londonDate(ctx.now()),
        clock: exposure
          ? exposureClock(
              new Date(exposure.occurredAt),
              ctx.now(),
              pepClosesAt(detail.view === 'manager' ? [] : detail.tasks),
            )
          : null,
        clinicians: detail.permissions.allocate
          ? await listClinicians(ctx, actor, detail.organisationId)
          : [],
        values: state.values ?? {},
        errors: state.errors,
      },
      status,
    );
  };

  app.get('/cases/:id', async (request, reply) => casePage(request, reply));

  app.post('/cases/:id/clinician', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = { clinicianId: field(body, 'clinicianId') };
    try {
      if (!values.clinicianId)
        throw new Invalid('Choose a clinician', [{ path: '/clinicianId', message: 'Choose a clinician' }]);
      await allocateClinician(ctx, pageActor(request), caseIdOf(request), values);
    } catch (error) {
      return casePage(request, reply, { values, errors: formErrorsFrom(error, 'clinicianId') }, 400);
    }
    return redirectWithMessage(reply, `/cases/${caseIdOf(request)}`, 'Clinician allocated.');
  });

  // Booking: a week of free slots at a time, grouped by day; the employee sees only safe venues.
  const bookingView = async (request: FastifyRequest) => {
    const actor = pageActor(request);
    const detail = await getCase(ctx, actor, caseIdOf(request));
    const clinician = clinicianOf(detail);
    if (!clinician) return { detail, clinician: null, days: [], week: 0 };
    const week = Math.max(0, Math.min(7, Number((request.query as { week?: string }).week ?? 0) || 0));
    const today = londonDate(ctx.now());
    const from = londonInstant(addDays(today, week * 7), 0);
    const to = londonInstant(addDays(today, week * 7 + 7), 0);
    const slots = await listFreeSlots(ctx, actor, clinician.id, {
      from: from.toISOString(),
      to: to.toISOString(),
    });
    const sitesById = await siteDetails(ctx, [
      ...new Set(slots.map((s) => s.siteId).filter((s): s is string => !!s)),
    ]);
    const days = new Map<
      string,
      Array<{
        value: string;
        start: Date;
        mode: string;
        site: string | null;
        operational: boolean;
        outOfHours: boolean;
      }>
    >();
    for (const s of slots) {
      const day = londonDate(s.start);
      const site = s.siteId ? sitesById.get(s.siteId) : undefined;
      days.set(day, [
        ...(days.get(day) ?? []),
        {
          value: [s.start.toISOString(), s.end.toISOString(), s.mode, s.siteId ?? ''].join('|'),
          start: s.start,
          mode: s.mode,
          site: site ? `${site.name}, ${site.address}` : null,
          operational: site?.operational ?? false,
          outOfHours: s.outOfHours,
        },
      ]);
    }
    return { detail, clinician, days: [...days.entries()].map(([date, items]) => ({ date, items })), week };
  };

  app.get('/cases/:id/book', async (request, reply) => {
    const view = await bookingView(request);
    return render(request, reply, 'pages/book.njk', {
      title: 'Book an appointment',
      ...view,
      backHref: `/cases/${view.detail.id}`,
    });
  });

  app.post('/cases/:id/book', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const body = (request.body ?? {}) as FormBody;
    const [start, end, mode, siteId] = field(body, 'slot').split('|');
    try {
      const detail = await getCase(ctx, actor, caseIdOf(request));
      const clinician = clinicianOf(detail);
      const form = new FormErrors();
      if (!start || !end || !APPOINTMENT_MODES.includes(mode as AppointmentMode))
        form.add('slot', 'Choose a time');
      form.throwIfAny();
      await bookAppointment(ctx, actor, {
        caseId: detail.id,
        clinicianId: clinician?.id ?? '',
        start: start as string,
        end: end as string,
        mode: mode as AppointmentMode,
        ...(siteId ? { siteId } : {}),
      });
      return redirectWithMessage(reply, `/cases/${detail.id}`, 'Appointment booked.');
    } catch (error) {
      const errors = formErrorsFrom(error, 'slot');
      const view = await bookingView(request);
      return render(
        request,
        reply,
        'pages/book.njk',
        { title: 'Book an appointment', ...view, errors, backHref: `/cases/${view.detail.id}` },
        400,
      );
    }
  });

  const formPage =
    (template: string, title: string, extra: Record<string, unknown> = {}) =>
    async (
      request: FastifyRequest,
      reply: Parameters<typeof render>[1],
      state: Record<string, unknown> = {},
      status = 200,
    ) => {
      const detail = await getCase(ctx, pageActor(request), caseIdOf(request));
      if (!detail.permissions.recordClinical) {
        throw new Forbidden('Only an OH clinician or physician of this person’s provider can do this.');
      }
      return render(
        request,
        reply,
        template,
        {
          title,
          c: detail,
          backHref: `/cases/${detail.id}`,
          today: londonDate(ctx.now()),
          ...extra,
          ...state,
        },
        status,
      );
    };

  const consultationPage = formPage('pages/consultation.njk', 'Record a consultation');
  app.get('/cases/:id/consultation', async (request, reply) => consultationPage(request, reply));
  app.post('/cases/:id/consultation', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = { notes: field(body, 'notes'), appointmentId: field(body, 'appointmentId') };
    try {
      const form = new FormErrors();
      if (!values.notes) form.add('notes', 'Enter the consultation notes');
      form.throwIfAny();
      await recordConsultation(ctx, pageActor(request), caseIdOf(request), {
        notes: values.notes,
        ...(values.appointmentId ? { appointmentId: values.appointmentId } : {}),
      });
      return redirectWithMessage(reply, `/cases/${caseIdOf(request)}`, 'Consultation recorded.');
    } catch (error) {
      return consultationPage(request, reply, { values, errors: formErrorsFrom(error, 'notes') }, 400);
    }
  });

  const fitnessItems = Object.entries(FITNESS_LABELS).map(([value, text]) => ({ value, text }));
  const outcomePage = formPage('pages/outcome.njk', 'Record the fitness-for-work outcome', {
    fitnessItems,
    families: ADJUSTMENT_FAMILIES,
  });
  app.get('/cases/:id/outcome', async (request, reply) => outcomePage(request, reply));
  app.post('/cases/:id/outcome', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const reviewDate = dateField(body, 'reviewDate');
    const values = {
      fitness: field(body, 'fitness'),
      families: fields(body, 'families'),
      adjustments: field(body, 'adjustments'),
      reviewDate: dateParts(body, 'reviewDate'),
    };
    try {
      const form = new FormErrors();
      if (!Object.hasOwn(FITNESS_LABELS, values.fitness))
        form.add('fitness', 'Choose the fitness-for-work outcome');
      if (reviewDate.error) form.add('reviewDate-day', reviewDate.error);
      form.throwIfAny();
      await recordOutcome(ctx, pageActor(request), caseIdOf(request), {
        fitness: values.fitness as FitnessOutcome,
        adjustments: [...values.families, ...lines(values.adjustments)],
        reviewDate: reviewDate.value,
      });
      return redirectWithMessage(
        reply,
        `/cases/${caseIdOf(request)}`,
        'Outcome recorded. The manager can now see it.',
      );
    } catch (error) {
      return outcomePage(request, reply, { values, errors: formErrorsFrom(error, 'fitness') }, 400);
    }
  });

  const reportPage = formPage('pages/write-report.njk', 'Write the management report');
  app.get('/cases/:id/report', async (request, reply) => reportPage(request, reply));
  app.post('/cases/:id/report', csrf, async (request, reply) => {
    const values = { text: field((request.body ?? {}) as FormBody, 'text') };
    try {
      const form = new FormErrors();
      if (!values.text) form.add('text', 'Write the report');
      form.throwIfAny();
      await writeReport(ctx, pageActor(request), caseIdOf(request), { text: values.text });
      return redirectWithMessage(
        reply,
        `/cases/${caseIdOf(request)}`,
        'Report written. The employee will read it first and decide whether to release it to their manager.',
      );
    } catch (error) {
      return reportPage(request, reply, { values, errors: formErrorsFrom(error, 'text') }, 400);
    }
  });

  const closureItems = Object.entries(CLOSURE_LABELS).map(([value, text]) => ({ value, text }));
  const closePage = formPage('pages/close.njk', 'Close the case', { closureItems });
  app.get('/cases/:id/close', async (request, reply) => closePage(request, reply));
  app.post('/cases/:id/close', csrf, async (request, reply) => {
    const values = { outcome: field((request.body ?? {}) as FormBody, 'outcome') };
    try {
      const form = new FormErrors();
      if (!Object.hasOwn(CLOSURE_LABELS, values.outcome)) form.add('outcome', 'Choose how the case ended');
      form.throwIfAny();
      await closeCase(ctx, pageActor(request), caseIdOf(request), {
        outcome: values.outcome as ClosureOutcome,
      });
      return redirectWithMessage(reply, `/cases/${caseIdOf(request)}`, 'Case closed.');
    } catch (error) {
      return closePage(request, reply, { values, errors: formErrorsFrom(error, 'outcome') }, 400);
    }
  });

  for (const change of ['cancel', 'did-not-attend'] as const) {
    app.post(`/appointments/:id/${change}`, csrf, async (request, reply) => {
      const result = await changeAppointment(
        ctx,
        pageActor(request),
        (request.params as { id: string }).id,
        change,
      );
      return redirectWithMessage(
        reply,
        `/cases/${result.caseId}`,
        change === 'cancel' ? 'Appointment cancelled.' : 'Recorded that they did not attend.',
      );
    });
  }
};
