import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { REPORT_ROLES } from '../../domain/access/reporting.policy.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { AIM_DIRECTIONS } from '../../domain/reporting/benefits.rules.ts';
import { formatShown } from '../../domain/reporting/board-summary.ts';
import { SUPPRESSED } from '../../domain/reporting/disclosure.ts';
import { TRACKABLE_MEASURES } from '../../domain/reporting/report-types.ts';
import { type FieldError, Forbidden, Invalid } from '../../domain/shared/errors.ts';
import { formatDate } from '../../domain/time/london.ts';
import {
  type BenefitAimProgress,
  createBenefitAim,
  listBenefitAims,
} from '../../services/reporting/benefits.service.ts';
import { aimBlocks } from '../../services/reporting/board/board-document.ts';
import { listReportScopes } from '../../services/reporting/scope.service.ts';
import { dateField, dateParts, type FormBody, field } from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';
import { reportHref, scopeItems } from './reporting.view.ts';

const TEMPLATE = 'reporting/benefits.njk';
const TITLE = 'Benefits realisation';

/** The date fields of the form (NHS.UK date inputs), with words for "enter the …" messages. */
const DATE_FIELDS = [
  { name: 'baselineFrom', words: 'first day of the baseline period' },
  { name: 'baselineTo', words: 'last day of the baseline period' },
  { name: 'targetDate', words: 'date the target should be reached by' },
] as const;

const STATUS_TAGS: Record<BenefitAimProgress['status'], string> = {
  'on-track': 'nhsuk-tag--green',
  'not-on-track': 'nhsuk-tag--red',
  'too-few': 'nhsuk-tag--grey',
};

function requireBenefitsRole(actor: Actor): void {
  if (!hasAnyRole(actor, REPORT_ROLES.benefits)) {
    throw new Forbidden(
      'Only system analysts, wellbeing leads and system administrators can see benefits realisation.',
    );
  }
}

/** An aim as the page lists it, with its chart and table laid out as in the board report. */
function aimView(aim: BenefitAimProgress, index: number) {
  // The quarter the status is judged on: the latest full one, even when it is too small to show.
  const latest = [...aim.quarters].reverse().find((q) => q.complete);
  return {
    ...aim,
    baselineText: `${formatShown(aim.baseline.value, aim.unit)} (${formatDate(aim.baseline.from)} to ${formatDate(aim.baseline.to)})`,
    targetText: `${formatShown(aim.target.value, aim.unit)} by ${formatDate(aim.target.date)}`,
    latestText: !latest
      ? 'No full quarter yet'
      : latest.value === SUPPRESSED
        ? `Too few to show (${latest.label})`
        : `${formatShown(latest.value, aim.unit)} (${latest.label})`,
    tagClass: STATUS_TAGS[aim.status],
    // The name and status are shown above; the chart and its table come from the board layout.
    blocks: aimBlocks(aim, index).filter((b) => b.kind === 'chart'),
  };
}

/** Numbers as people type them: "1,450", "40%", " 12.5 ". Blank is null; anything else NaN (an error). */
function numberField(body: FormBody, name: string): number | null {
  const text = field(body, name).replace(/[,%\s]/g, '');
  return text === '' ? null : Number(text);
}

/**
 * Service errors placed on the form's fields: a date error goes on the day box of its input,
 * and messages lose their full stop, as NHS.UK error messages are written.
 */
function onFormFields(errors: readonly FieldError[]): FieldError[] {
  const dates: readonly string[] = DATE_FIELDS.map((d) => `/${d.name}`);
  return errors.map((e) => ({
    path: dates.includes(e.path) ? `${e.path}-day` : e.path,
    message: e.message.replace(/\.$/, ''),
  }));
}

/**
 * Benefits realisation (`/reporting/benefits?scope=`): the aims of an organisation or system
 * with their progress quarter by quarter, and a form to add an aim (PRG; the NHS.UK error
 * summary when something is missing or inconsistent).
 */
export const benefitsPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const showPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    asked: string | undefined,
    form: { values?: Record<string, unknown>; errors?: FieldError[] } = {},
  ) => {
    const actor = pageActor(request);
    requireBenefitsRole(actor);
    const scopes = (await listReportScopes(ctx, actor, 'benefits')).filter((s) => s.kind !== 'national');
    const scope = asked || scopes[0]?.slug;
    const base = {
      title: TITLE,
      width: 'full',
      backHref: '/reporting',
      scopes: scopeItems(scopes, scope),
      measures: Object.entries(TRACKABLE_MEASURES).map(([value, text]) => ({ value, text })),
      directions: AIM_DIRECTIONS,
    };
    if (scope === undefined) return render(request, reply, TEMPLATE, { ...base, noScopes: true });
    let listed: Awaited<ReturnType<typeof listBenefitAims>>;
    try {
      listed = await listBenefitAims(ctx, actor, { scope });
    } catch (error) {
      // The country (from a link) has no aims: say so on the picker rather than failing.
      if (!(error instanceof Invalid)) throw error;
      const errors = [{ path: '/scope-picker', message: 'Choose an organisation or a system' }];
      return render(request, reply, TEMPLATE, { ...base, values: {}, errors }, 400);
    }
    const { scope: shown, aims } = listed;
    const errors = form.errors ?? [];
    return render(
      request,
      reply,
      TEMPLATE,
      {
        ...base,
        title: `${TITLE} – ${shown.name}`,
        scope: shown,
        boardHref: reportHref('/reporting/board', { scope: shown.slug }),
        aims: aims.map(aimView),
        values: {
          baselineFrom: {},
          baselineTo: {},
          targetDate: {},
          ...(form.values ?? {}),
        },
        errors,
      },
      errors.length ? 400 : 200,
    );
  };

  app.get('/reporting/benefits', async (request, reply) => {
    const scope = field((request.query ?? {}) as FormBody, 'scope');
    return showPage(request, reply, scope || undefined);
  });

  app.post('/reporting/benefits', { preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = pageActor(request);
    requireBenefitsRole(actor);
    const body = (request.body ?? {}) as FormBody;
    const scope = field(body, 'scope');
    const values: Record<string, unknown> = {
      name: field(body, 'name'),
      measure: field(body, 'measure'),
      direction: field(body, 'direction'),
      baselineValue: field(body, 'baselineValue'),
      targetValue: field(body, 'targetValue'),
    };
    const dateErrors: FieldError[] = [];
    const dates: Record<string, string> = {};
    for (const { name, words } of DATE_FIELDS) {
      values[name] = dateParts(body, name);
      const read = dateField(body, name);
      if (read.error) dateErrors.push({ path: `/${name}-day`, message: `${read.error}, the ${words}` });
      else if (!read.value) dateErrors.push({ path: `/${name}-day`, message: `Enter the ${words}` });
      dates[name] = read.value ?? '';
    }
    // A date the form could not read goes to the service blank, which it always refuses: the
    // service then reports every other field at fault too, so the summary lists them all at once.
    try {
      const aim = await createBenefitAim(ctx, actor, {
        scope,
        name: String(values.name),
        measure: String(values.measure),
        direction: String(values.direction),
        baselineValue: numberField(body, 'baselineValue'),
        targetValue: numberField(body, 'targetValue'),
        baselineFrom: dates.baselineFrom ?? '',
        baselineTo: dates.baselineTo ?? '',
        targetDate: dates.targetDate ?? '',
      });
      return redirectWithMessage(
        reply,
        reportHref('/reporting/benefits', { scope }),
        `Aim added: ${aim.name}`,
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      // The form's own wording for a date wins over the service's (which names the API's format).
      const mine = new Set(dateErrors.map((e) => e.path));
      const errors = [
        ...onFormFields(
          error.errors.length ? error.errors : [{ path: '/name', message: error.message }],
        ).filter((e) => !mine.has(e.path)),
        ...dateErrors,
      ];
      return showPage(request, reply, scope || undefined, { values, errors: orderLikeForm(errors) });
    }
  });
};

/** Errors in the order of the form's fields, so the summary reads top to bottom. */
function orderLikeForm(errors: FieldError[]): FieldError[] {
  const order = [
    '/scope',
    '/name',
    '/measure',
    '/direction',
    '/baselineValue',
    '/baselineFrom-day',
    '/baselineTo-day',
    '/targetValue',
    '/targetDate-day',
  ];
  const rank = (path: string) => {
    const at = order.indexOf(path);
    return at === -1 ? order.length : at;
  };
  return [...errors].sort((a, b) => rank(a.path) - rank(b.path));
}
