import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { REPORT_ROLES } from '../../domain/access/reporting.policy.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { type FieldError, Forbidden, Invalid } from '../../domain/shared/errors.ts';
import { boardCsv, boardFilename } from '../../services/reporting/board/board-csv.ts';
import { type BoardDocument, boardDocument } from '../../services/reporting/board/board-document.ts';
import { boardPdf } from '../../services/reporting/board/board-pdf.ts';
import { type BoardReport, boardReport } from '../../services/reporting/board.service.ts';
import { listReportScopes } from '../../services/reporting/scope.service.ts';
import { render, views } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';
import {
  onPickerFields,
  periodValues,
  type ReportRequest,
  readReportRequest,
  reportHref,
  scopeItems,
  scopeLabel,
} from './reporting.view.ts';

const TEMPLATE = 'reporting/board.njk';
const TITLE = 'Board report';

/** The page opens only for the roles that run the board report; which scopes is the service's decision. */
function requireBoardRole(actor: Actor): void {
  if (!hasAnyRole(actor, REPORT_ROLES.board)) {
    throw new Forbidden(
      'Only system analysts, wellbeing leads and system administrators can see the board report.',
    );
  }
}

/** Errors from the service about the picker's fields (the period, the scope); anything else is rethrown. */
function pickerErrors(error: unknown): FieldError[] {
  if (error instanceof Invalid) {
    return onPickerFields(error.errors.length ? error.errors : [{ path: '/scope', message: error.message }]);
  }
  throw error;
}

/** What the board template shows for a report: the laid-out document and where to download it. */
function reportContext(report: BoardReport, document: BoardDocument) {
  const params = { scope: report.scope.slug, from: report.period.from, to: report.period.to };
  return {
    report,
    document,
    scopeName: scopeLabel(report.scope),
    pdfHref: reportHref('/reporting/board/pdf', params),
    csvHref: reportHref('/reporting/board/csv', params),
    benefitsHref:
      report.scope.kind === 'national'
        ? null
        : reportHref('/reporting/benefits', { scope: report.scope.slug }),
  };
}

/**
 * The board report as a whole NHS.UK page on its own, with no picker and no signed-in header:
 * what `GET /api/v1/reports/board` answers to `Accept: text/html`. The same template as the
 * page, so the two cannot drift apart. (The API layer may not import pages; server.ts hands
 * this function to the API plugin.)
 */
export function renderBoardHtml(report: BoardReport): string {
  const document = boardDocument(report);
  return views.render(TEMPLATE, {
    ...reportContext(report, document),
    standalone: true,
    title: `${TITLE} – ${report.scope.name}`,
    width: 'full',
    values: {},
    errorList: [],
    fieldErrors: {},
    navigation: [],
  });
}

/**
 * The board report page (`/reporting/board?scope=&from=&to=`): the scope and period picker,
 * links to download the PDF and CSV, and the report. A wrong date shows the picker again
 * with the NHS.UK error summary.
 */
export const boardPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const showPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    asked: ReportRequest,
    extraErrors: FieldError[] = [],
  ) => {
    const actor = pageActor(request);
    requireBoardRole(actor);
    const scopes = await listReportScopes(ctx, actor, 'board');
    const scope = asked.scope ?? scopes[0]?.slug;
    const base = {
      title: TITLE,
      heading: TITLE,
      width: 'full',
      backHref: '/reporting',
      action: '/reporting/board',
      scopes: scopeItems(scopes, scope),
    };
    if (scope === undefined) return render(request, reply, TEMPLATE, { ...base, noScopes: true });
    let errors = [...asked.errors, ...extraErrors];
    if (errors.length === 0) {
      try {
        const report = await boardReport(ctx, actor, { scope, from: asked.from, to: asked.to });
        return render(request, reply, TEMPLATE, {
          ...base,
          title: `${TITLE} – ${report.scope.name}`,
          scopes: scopeItems(scopes, report.scope.slug),
          values: periodValues(report.period),
          ...reportContext(report, boardDocument(report)),
        });
      } catch (error) {
        errors = pickerErrors(error);
      }
    }
    return render(request, reply, TEMPLATE, { ...base, values: asked.values, errors }, 400);
  };

  app.get('/reporting/board', async (request, reply) =>
    showPage(request, reply, readReportRequest(request.query)),
  );

  /** A download: the report as PDF or CSV, or the page with the error summary when the request is wrong. */
  const download = (format: 'pdf' | 'csv') => async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = pageActor(request);
    requireBoardRole(actor);
    const asked = readReportRequest(request.query);
    if (asked.errors.length > 0 || !asked.scope) {
      const missing = asked.scope ? [] : [{ path: '/scope', message: 'Choose the organisation or system' }];
      return showPage(request, reply, asked, missing);
    }
    let report: BoardReport;
    try {
      report = await boardReport(ctx, actor, { scope: asked.scope, from: asked.from, to: asked.to });
    } catch (error) {
      return showPage(request, reply, asked, pickerErrors(error));
    }
    reply
      .header('content-disposition', `attachment; filename="${boardFilename(report, format)}"`)
      .header('cache-control', 'no-store');
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(boardCsv(report));
    return reply.type('application/pdf').send(await boardPdf(boardDocument(report)));
  };
  app.get('/reporting/board/pdf', download('pdf'));
  app.get('/reporting/board/csv', download('csv'));
};
