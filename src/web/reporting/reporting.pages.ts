import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { REPORT_ROLES, type ReportKind } from '../../domain/access/reporting.policy.ts';
import { type Actor, hasAnyRole, type Role } from '../../domain/access/roles.ts';
import type { Period } from '../../domain/reporting/period.ts';
import {
  EQUITY_DIMENSION_LABELS,
  EQUITY_DIMENSIONS,
  type ReportScope,
} from '../../domain/reporting/report-types.ts';
import { type FieldError, Forbidden, Invalid, NotFound } from '../../domain/shared/errors.ts';
import { equityReport } from '../../services/reporting/equity.service.ts';
import { benchmarkReport, kpiReport } from '../../services/reporting/kpi.service.ts';
import { mdsCsv } from '../../services/reporting/mds.service.ts';
import { periodBounds } from '../../services/reporting/period.ts';
import { listReportScopes } from '../../services/reporting/scope.service.ts';
import { render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';
import {
  benchmarkView,
  equityView,
  kpiView,
  onPickerFields,
  periodValues,
  REPORT_PAGES,
  type ReportRequest,
  readDimension,
  readReportRequest,
  reportHref,
  scopeItems,
  scopeLabel,
} from './reporting.view.ts';

/** Who a report is for, in words for the "you cannot do this" page. */
const ROLE_PLURALS: Partial<Record<Role, string>> = {
  analyst: 'system analysts',
  'wellbeing-lead': 'wellbeing leads',
  sysadmin: 'system administrators',
  'oh-admin': 'OH administrators',
};

function rolesInWords(roles: readonly Role[]): string {
  const words = roles.map((r) => ROLE_PLURALS[r] ?? r);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

/**
 * The page opens only for the roles that run the report (REPORT_ROLES); which scopes each
 * actor may choose is the service's decision (`canReport`), so a scope they may not see is
 * a 404 page, as the API answers.
 */
function requireReportRole(actor: Actor, kind: ReportKind): void {
  if (!hasAnyRole(actor, REPORT_ROLES[kind])) {
    throw new Forbidden(`Only ${rolesInWords(REPORT_ROLES[kind])} can see this report.`);
  }
}

/** Errors from a report service that are about the picker's fields; anything else is rethrown. */
function pickerErrors(error: unknown): FieldError[] {
  if (error instanceof Invalid) {
    return onPickerFields(error.errors.length ? error.errors : [{ path: '/scope', message: error.message }]);
  }
  throw error;
}

/** A report page: how to list its scopes, run it, and shape the result for its template. */
type ReportPage<T extends { scope: ReportScope; period: Period }> = {
  kind: ReportKind;
  path: string;
  template: string;
  title: string;
  scopes?: (scopes: ReportScope[]) => ReportScope[];
  run: (actor: Actor, input: { scope: string; from?: string; to?: string }) => Promise<T>;
  view: (result: T) => Record<string, unknown>;
  /** Anything else the template needs whether or not the report ran (the dimension, say). */
  context?: (request: FastifyRequest) => Record<string, unknown>;
};

/** Reporting for analysts, wellbeing leads, OH administrators and sysadmins (capability 7). */
export const reportingPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  /**
   * The shared flow of a report page: the picker (scope and period), then the report, or the
   * picker again with the NHS.UK error summary when a date is wrong.
   */
  const showReport = async <T extends { scope: ReportScope; period: Period }>(
    request: FastifyRequest,
    reply: FastifyReply,
    page: ReportPage<T>,
  ) => {
    const asked = readReportRequest(request.query);
    const actor = pageActor(request);
    requireReportRole(actor, page.kind);
    const all = await listReportScopes(ctx, actor, page.kind);
    const scopes = page.scopes ? page.scopes(all) : all;
    const scope = asked.scope ?? scopes[0]?.slug;
    const base = {
      title: page.title,
      width: 'full',
      backHref: '/reporting',
      action: page.path,
      scopes: scopeItems(scopes, scope),
      ...(page.context ? page.context(request) : {}),
    };
    if (scope === undefined) return render(request, reply, page.template, { ...base, noScopes: true });
    let errors = asked.errors;
    if (errors.length === 0) {
      try {
        const result = await page.run(actor, { scope, from: asked.from, to: asked.to });
        return render(request, reply, page.template, {
          ...base,
          title: `${page.title} – ${result.scope.name}`,
          heading: page.title,
          scopes: scopeItems(scopes, result.scope.slug),
          report: result,
          scopeName: scopeLabel(result.scope),
          period: result.period,
          values: periodValues(result.period),
          ...page.view(result),
        });
      } catch (error) {
        errors = pickerErrors(error);
      }
    }
    return render(
      request,
      reply,
      page.template,
      { ...base, heading: page.title, values: asked.values, errors },
      400,
    );
  };

  app.get('/reporting', async (request, reply) => {
    const actor = pageActor(request);
    const kinds = REPORT_PAGES.filter((p) => hasAnyRole(actor, REPORT_ROLES[p.kind]));
    if (kinds.length === 0) {
      throw new Forbidden(
        'Reports are for system analysts, wellbeing leads, OH administrators and system administrators.',
      );
    }
    const scopesByReport = new Map<ReportKind, ReportScope[]>();
    for (const page of kinds) scopesByReport.set(page.kind, await listReportScopes(ctx, actor, page.kind));
    // One picker for every report: the scopes any of them takes, systems first, the country last.
    const union = new Map<string, ReportScope>();
    for (const scopes of scopesByReport.values()) for (const s of scopes) union.set(s.slug, s);
    const order = { system: 0, organisation: 1, national: 2 } as const;
    const scopes = [...union.values()].sort(
      (a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name, 'en-GB'),
    );
    const asked = readReportRequest(request.query);
    const chosen = scopes.find((s) => s.slug === (asked.scope ?? scopes[0]?.slug));
    if (asked.scope && !chosen) throw new NotFound(`No organisation or system called "${asked.scope}".`);
    let errors = asked.errors;
    let period: Period | null = null;
    if (errors.length === 0) {
      try {
        const bounds = periodBounds(ctx, asked);
        period = { from: bounds.from, to: bounds.to };
      } catch (error) {
        errors = pickerErrors(error);
      }
    }
    const reports = kinds.map((page) => {
      const available =
        chosen !== undefined &&
        (scopesByReport.get(page.kind) ?? []).some((s) => s.slug === chosen.slug) &&
        page.scopeKinds.includes(chosen.kind);
      // Pages another part of OHWB provides are linked only once they exist.
      const exists = app.hasRoute({ method: 'GET', url: page.path });
      return {
        title: page.title,
        description: page.description,
        exists,
        href:
          available && period && chosen
            ? reportHref(page.path, { scope: chosen.slug, from: period.from, to: period.to })
            : available && chosen
              ? reportHref(page.path, { scope: chosen.slug })
              : null,
        unavailable:
          chosen && !page.scopeKinds.includes(chosen.kind) && page.otherScope
            ? page.otherScope
            : chosen?.kind === 'national'
              ? 'Not available for the whole country.'
              : 'Not available for the organisation or system chosen.',
      };
    });
    return render(
      request,
      reply,
      'reporting/index.njk',
      {
        title: 'Reporting',
        width: 'full',
        action: '/reporting',
        scopes: scopeItems(scopes, chosen?.slug),
        scopeName: chosen ? scopeLabel(chosen) : null,
        period,
        reports,
        values: period ? periodValues(period) : asked.values,
        errors,
      },
      errors.length ? 400 : 200,
    );
  });

  app.get('/reporting/equity', async (request, reply) => {
    const dimension = readDimension(request.query);
    if (dimension === null) throw new NotFound('No such breakdown.');
    return showReport(request, reply, {
      kind: 'equity',
      path: '/reporting/equity',
      template: 'reporting/equity.njk',
      title: 'Who is and is not using services',
      run: (actor, input) => equityReport(ctx, actor, { ...input, dimension }),
      view: (report) => ({
        equity: equityView(report),
        dimensions: EQUITY_DIMENSIONS.map((d) => ({
          text: EQUITY_DIMENSION_LABELS[d],
          current: d === report.dimension,
          href: reportHref('/reporting/equity', {
            scope: report.scope.slug,
            from: report.period.from,
            to: report.period.to,
            dimension: d,
          }),
        })),
      }),
      context: () => ({ dimension, dimensionLabel: EQUITY_DIMENSION_LABELS[dimension] }),
    });
  });

  app.get('/reporting/kpis', async (request, reply) =>
    showReport(request, reply, {
      kind: 'kpis',
      path: '/reporting/kpis',
      template: 'reporting/kpis.njk',
      title: 'Service measures',
      run: (actor, input) => kpiReport(ctx, actor, input),
      view: (report) => ({ kpis: kpiView(report) }),
    }),
  );

  app.get('/reporting/benchmark', async (request, reply) =>
    showReport(request, reply, {
      kind: 'benchmark',
      path: '/reporting/benchmark',
      template: 'reporting/benchmark.njk',
      title: 'Benchmarking across the system',
      // Benchmarking compares the organisations of one system.
      scopes: (scopes) => scopes.filter((s) => s.kind === 'system'),
      run: (actor, input) => benchmarkReport(ctx, actor, input),
      view: (result) => ({ benchmark: benchmarkView(result.organisations) }),
    }),
  );

  /** The dataset page: what is in the extract, and the form that downloads it. */
  const datasetPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    asked: ReportRequest,
    errors: FieldError[],
  ) => {
    const actor = pageActor(request);
    requireReportRole(actor, 'mds');
    const scopes = await listReportScopes(ctx, actor, 'mds');
    const scope = asked.scope ?? scopes[0]?.slug;
    let period: Period | null = null;
    if (errors.length === 0) {
      try {
        const bounds = periodBounds(ctx, asked);
        period = { from: bounds.from, to: bounds.to };
      } catch (error) {
        errors = pickerErrors(error);
      }
    }
    return render(
      request,
      reply,
      'reporting/dataset.njk',
      {
        title: 'Minimum dataset extract',
        width: 'full',
        backHref: '/reporting',
        action: '/reporting/dataset/download',
        scopes: scopeItems(scopes, scope),
        noScopes: scopes.length === 0,
        values: period ? periodValues(period) : asked.values,
        errors,
      },
      errors.length ? 400 : 200,
    );
  };

  app.get('/reporting/dataset', async (request, reply) => {
    const asked = readReportRequest(request.query);
    return datasetPage(request, reply, asked, asked.errors);
  });

  app.get('/reporting/dataset/download', async (request, reply) => {
    const actor = pageActor(request);
    requireReportRole(actor, 'mds');
    const asked = readReportRequest(request.query);
    if (asked.errors.length) return datasetPage(request, reply, asked, asked.errors);
    if (!asked.scope) {
      return datasetPage(request, reply, asked, [
        { path: '/scope', message: 'Choose the organisation or system to extract' },
      ]);
    }
    let extract: Awaited<ReturnType<typeof mdsCsv>>;
    try {
      extract = await mdsCsv(ctx, actor, { scope: asked.scope, from: asked.from, to: asked.to });
    } catch (error) {
      return datasetPage(request, reply, asked, pickerErrors(error));
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${extract.filename}"`)
      .header('cache-control', 'no-store')
      .send(extract.stream);
  });
};
