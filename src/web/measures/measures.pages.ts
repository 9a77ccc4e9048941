import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type Actor, CLINICAL_ROLES, hasAnyRole } from '../../domain/access/roles.ts';
import {
  INSTRUMENT_CODES,
  INSTRUMENTS,
  type InstrumentCode,
  type MeasureFlag,
  severityLabel,
} from '../../domain/measures/instrument.rules.ts';
import { TALKING_THERAPIES_RULES } from '../../domain/measures/talking-therapies.rules.ts';
import type { FieldError } from '../../domain/shared/errors.ts';
import { Forbidden, NotFound } from '../../domain/shared/errors.ts';
import { getCase } from '../../services/cases/cases.service.ts';
import { traumaExposureOf } from '../../services/incidents/incidents.service.ts';
import {
  listMeasures,
  type MeasureItem,
  personOutcomes,
  recordMeasure,
} from '../../services/measures/measures.service.ts';
import { isUuid } from '../../services/shared/lookups.ts';
import { type FormBody, FormErrors, field, formErrorsFrom } from '../shared/forms.ts';
import { render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

/** What each questionnaire measures, in plain words. */
const MEASURES_WHAT: Record<InstrumentCode, string> = { 'PHQ-9': 'depression', 'GAD-7': 'anxiety' };

/** Who the questionnaire is about, as the page may show it. */
type Subject = {
  personId: string;
  /** The signed-in person's own record. */
  own: boolean;
  caseId: string | null;
  /** Known when the page was reached from a case (the case names the person). */
  personName: string | null;
};

type SubjectQuery = { personId?: string; caseId?: string };

/** A query string of the given values, leaving out empty ones ('' when there are none). */
function queryString(values: Record<string, string | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The link to a new questionnaire about the subject: a clinician's names the person (and case). */
function newQuestionnaireHref(subject: Subject, instrument: InstrumentCode): string {
  return `/questionnaires/new${queryString({
    instrument,
    personId: subject.own ? null : subject.personId,
    caseId: subject.caseId,
  })}`;
}

/** The first clause of an item's wording, to name the question in an error message. */
function shortWording(item: string): string {
  const clause = item.split(/\?| —|,/)[0]?.trim() ?? item;
  return clause.charAt(0).toLowerCase() + clause.slice(1);
}

/** The bands shaded on a chart of both instruments: PHQ-9's, with GAD-7's name where it differs. */
function chartBands() {
  const gad7 = INSTRUMENTS['GAD-7'].bands;
  return INSTRUMENTS['PHQ-9'].bands.map((band) => {
    const other = gad7.find((b) => band.from >= b.from && band.from <= b.to);
    const note =
      other && other.severity !== band.severity
        ? `(GAD-7: ${severityLabel(other.severity).toLowerCase()})`
        : undefined;
    return { from: band.from, to: band.to, label: severityLabel(band.severity), note };
  });
}

const flagNote = (flags: MeasureFlag[]) =>
  flags.includes('self-harm-risk') ? 'Question 9 answered above 0: same-day risk follow-up' : '';

/** The score chart's options (components/score-chart) for a person's questionnaires. */
function chartOf(items: MeasureItem[], own: boolean) {
  if (items.length === 0) return null;
  return {
    id: 'scores',
    title: own ? 'Your PHQ-9 and GAD-7 scores over time' : 'PHQ-9 and GAD-7 scores over time',
    yMax: Math.max(...INSTRUMENT_CODES.map((code) => INSTRUMENTS[code].totalMax)),
    bands: chartBands(),
    series: INSTRUMENT_CODES.map((code) => ({
      name: code,
      description: MEASURES_WHAT[code],
      max: INSTRUMENTS[code].totalMax,
      points: items
        .filter((m) => m.instrument === code)
        .map((m) => ({
          at: Date.parse(m.takenAt),
          takenAt: m.takenAt,
          total: m.total,
          band: severityLabel(m.severity),
          // The person knows their own answers; the flag is for the clinician's eye.
          note: own ? '' : flagNote(m.flags),
        })),
    })),
  };
}

/** The instrument named in the query, or 404. */
function instrumentOf(request: FastifyRequest): InstrumentCode {
  const code = (request.query as { instrument?: string }).instrument ?? '';
  if (!(INSTRUMENT_CODES as readonly string[]).includes(code)) throw new NotFound('No such questionnaire.');
  return code as InstrumentCode;
}

/** Questionnaires (PHQ-9, GAD-7), results over time and Talking Therapies outcomes. */
export const measurePages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  /**
   * Who a page is about: the signed-in person, or (for a clinician) `personId`. With `caseId` the
   * case must be this person's, and names them. The services make the final decision; this only
   * avoids offering a form that could never be saved.
   */
  const subjectOf = async (actor: Actor, query: SubjectQuery): Promise<Subject> => {
    const personId = query.personId?.trim() || actor.personId;
    if (!personId) {
      throw new Forbidden(
        'Questionnaires are for people with a staff record. A clinician can start one from a case.',
      );
    }
    const own = personId === actor.personId;
    const caseId = query.caseId?.trim() || null;
    if (caseId) {
      const detail = await getCase(ctx, actor, caseId);
      if (detail.person.id !== personId) throw new NotFound('No such case for this person.');
      if (!own && !detail.permissions.recordClinical) {
        throw new Forbidden('Only an OH clinician of this person’s provider can do this.');
      }
      return { personId, own, caseId, personName: own ? null : detail.person.name };
    }
    if (!own && !hasAnyRole(actor, CLINICAL_ROLES)) {
      throw new Forbidden('Only an OH clinician, or the person themself, can record a questionnaire.');
    }
    return { personId, own, caseId: null, personName: null };
  };

  const backHrefOf = (subject: Subject) =>
    subject.caseId ? `/cases/${subject.caseId}` : `/people/${subject.personId}/measures`;

  // The home page link "Complete a questionnaire" lands here: the person's own questionnaires.
  app.get('/questionnaires', async (request, reply) => {
    const actor = pageActor(request);
    if (!actor.personId) throw new NotFound('You have no staff record, so you have no questionnaires.');
    return reply.code(303).redirect(`/people/${actor.personId}/measures`);
  });

  const questionnairePage = async (
    request: FastifyRequest,
    reply: Parameters<typeof render>[1],
    state: { values?: Record<string, string>; errors?: FieldError[] } = {},
    status = 200,
  ) => {
    const code = instrumentOf(request);
    const subject = await subjectOf(pageActor(request), request.query as SubjectQuery);
    const definition = INSTRUMENTS[code];
    const values = state.values ?? {};
    const items = definition.items.map((wording, index) => {
      const name = `answers-${index}`;
      return {
        name,
        legend: `${index + 1}. ${wording}`,
        radios: definition.answerLabels.map((text, score) => ({
          value: String(score),
          text,
          checked: values[name] === String(score),
        })),
      };
    });
    return render(
      request,
      reply,
      'pages/questionnaire.njk',
      {
        title: subject.own ? `${code} questionnaire` : `Record a ${code}`,
        code,
        definition,
        what: MEASURES_WHAT[code],
        items,
        subject,
        backHref: backHrefOf(subject),
        errors: state.errors,
      },
      status,
    );
  };

  app.get('/questionnaires/new', async (request, reply) => questionnairePage(request, reply));

  app.post('/questionnaires/new', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const code = instrumentOf(request);
    const definition = INSTRUMENTS[code];
    const body = (request.body ?? {}) as FormBody;
    const values: Record<string, string> = {};
    try {
      const subject = await subjectOf(actor, request.query as SubjectQuery);
      const form = new FormErrors();
      const answers = definition.items.map((wording, index) => {
        const value = field(body, `answers-${index}`);
        values[`answers-${index}`] = value;
        // Radios send a score 0–3; anything else is treated as not answered.
        const score = /^\d$/.test(value) ? Number(value) : Number.NaN;
        if (!(score >= definition.itemMin && score <= definition.itemMax)) {
          form.add(`answers/${index}`, `Answer question ${index + 1} (${shortWording(wording)})`);
        }
        return score;
      });
      form.throwIfAny();
      const recorded = await recordMeasure(ctx, actor, {
        personId: subject.personId,
        instrument: code,
        answers,
        ...(subject.caseId ? { caseId: subject.caseId } : {}),
      });
      // PRG: the result has its own address, so a refresh shows it again and never saves twice.
      const query = queryString({ caseId: subject.caseId, task: recorded.riskTaskId });
      return reply.code(303).redirect(`/people/${subject.personId}/questionnaires/${recorded.id}${query}`);
    } catch (error) {
      // Every error goes against a question, so each link in the summary lands on a radio.
      const errors = formErrorsFrom(error, 'answers/0').map((e) =>
        /^\/answers\/\d+$/.test(e.path) ? e : { ...e, path: '/answers/0' },
      );
      return questionnairePage(request, reply, { values, errors }, 400);
    }
  });

  app.get('/people/:personId/questionnaires/:measureId', async (request, reply) => {
    const actor = pageActor(request);
    const { personId, measureId } = request.params as { personId: string; measureId: string };
    const query = request.query as { caseId?: string; task?: string };
    const subject = await subjectOf(actor, { personId, ...(query.caseId ? { caseId: query.caseId } : {}) });
    const measure = (await listMeasures(ctx, actor, personId)).find((m) => m.id === measureId);
    if (!measure) throw new NotFound('No such questionnaire.');
    const definition = INSTRUMENTS[measure.instrument];
    const band = definition.bands.find((b) => b.severity === measure.severity);
    const selfHarmRisk = measure.flags.includes('self-harm-risk');
    const other = INSTRUMENT_CODES.find((c) => c !== measure.instrument) as InstrumentCode;
    return render(request, reply, 'pages/questionnaire-result.njk', {
      title: subject.own ? `Your ${measure.instrument} result` : `${measure.instrument} result`,
      subject,
      measure,
      definition,
      what: MEASURES_WHAT[measure.instrument],
      severityText: severityLabel(measure.severity),
      bandRange: band ? `${band.from} to ${band.to}` : '',
      casenessThreshold: TALKING_THERAPIES_RULES.caseness[measure.instrument],
      selfHarmRisk,
      // The follow-up task created with this result; only ever a link, so a stale id is a 404 there.
      riskTaskId: selfHarmRisk && query.task && isUuid(query.task) ? query.task : null,
      other: { code: other, what: MEASURES_WHAT[other], href: newQuestionnaireHref(subject, other) },
      measuresHref: `/people/${personId}/measures${queryString({ caseId: subject.caseId })}`,
      caseHref: subject.caseId ? `/cases/${subject.caseId}` : null,
    });
  });

  app.get('/people/:id/measures', async (request, reply) => {
    const actor = pageActor(request);
    const personId = (request.params as { id: string }).id;
    const query = request.query as { caseId?: string };
    const own = personId === actor.personId;
    // The person's own page needs nothing else; a clinician's may name the person through a case.
    const subject: Subject =
      own || !query.caseId
        ? { personId, own, caseId: null, personName: null }
        : await subjectOf(actor, { personId, caseId: query.caseId });
    const items = await listMeasures(ctx, actor, personId);
    const [outcomes, trauma] = own
      ? [null, null]
      : await Promise.all([personOutcomes(ctx, actor, personId), traumaExposureOf(ctx, actor, personId)]);
    const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
    return render(request, reply, 'pages/measures.njk', {
      title: own ? 'Your questionnaires' : 'Questionnaires and outcomes',
      width: 'full',
      subject,
      chart: chartOf(items, own),
      start: INSTRUMENT_CODES.map((code) => ({
        code,
        what: MEASURES_WHAT[code],
        href: newQuestionnaireHref(subject, code),
      })),
      episodes: (outcomes?.episodes ?? []).map((e) => ({
        caseHref: `/cases/${e.caseId}`,
        first: e.first,
        last: e.last,
        caseness: yesNo(e.caseness),
        recovery: yesNo(e.recovery),
        reliableImprovement: yesNo(e.reliableImprovement),
        reliableDeterioration: yesNo(e.reliableDeterioration),
        reliableRecovery: yesNo(e.reliableRecovery),
      })),
      trauma,
      backHref: subject.caseId ? `/cases/${subject.caseId}` : null,
    });
  });
};
