import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { boardCsv, boardFilename } from '../../services/reporting/board/board-csv.ts';
import { boardDocument } from '../../services/reporting/board/board-document.ts';
import { boardPdf } from '../../services/reporting/board/board-pdf.ts';
import { type BoardReport, boardReport } from '../../services/reporting/board.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, Strict } from '../shared/schemas.ts';

/** The formats of the board report, in the order they are preferred when an Accept header ties. */
export const BOARD_FORMATS = ['application/json', 'text/html', 'application/pdf', 'text/csv'] as const;
export type BoardFormat = (typeof BOARD_FORMATS)[number];

/**
 * The format an `Accept` header asks for (RFC 9110 §12.5.1): the acceptable media range with
 * the highest q, most specific first; `*` ranges match JSON first. No header means JSON, like
 * the rest of the API. Null when nothing acceptable is offered (406).
 */
export function negotiateBoardFormat(accept: string | undefined): BoardFormat | null {
  if (!accept?.trim()) return 'application/json';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      const specificity = range === '*/*' ? 0 : range.endsWith('/*') ? 1 : 2;
      return { range, quality: Number.isFinite(quality) ? quality : 0, specificity, index };
    })
    .filter((r) => r.range.includes('/'));
  let best: { format: BoardFormat; quality: number; specificity: number; order: number } | null = null;
  for (const [order, format] of BOARD_FORMATS.entries()) {
    const [type] = format.split('/');
    // The most specific range that matches this format decides its quality.
    const match = ranges
      .filter((r) => r.range === format || r.range === `${type}/*` || r.range === '*/*')
      .sort((a, b) => b.specificity - a.specificity)[0];
    if (!match || match.quality <= 0) continue;
    if (
      !best ||
      match.quality > best.quality ||
      (match.quality === best.quality && match.specificity > best.specificity)
    ) {
      best = { format, quality: match.quality, specificity: match.specificity, order };
    }
  }
  return best?.format ?? null;
}

/**
 * Security headers for the HTML variant: the API's policy lets nothing load, but a whole
 * NHS.UK page needs its own stylesheets, images and the script of the pages (from this origin only).
 */
const HTML_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async function send(reply: FastifyReply, format: BoardFormat, report: BoardReport, deps: ApiDeps) {
  reply.header('cache-control', 'no-store').header('vary', 'Accept');
  switch (format) {
    case 'application/json':
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(report));
    case 'text/csv':
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${boardFilename(report, 'csv')}"`)
        .send(boardCsv(report));
    case 'application/pdf':
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${boardFilename(report, 'pdf')}"`)
        .send(await boardPdf(boardDocument(report)));
    case 'text/html':
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', HTML_POLICY)
        .send((deps.pages?.boardHtml ?? unavailableHtml)(report));
  }
}

function unavailableHtml(): string {
  throw new Error('The board report page renderer was not given to the API plugin (see server.ts).');
}

/** `GET /api/v1/reports/board`: one report per scope and period, as JSON, a page, a PDF or a CSV file. */
export const boardRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, deps) => {
  app.get(
    '/reports/board',
    {
      schema: {
        tags: ['reporting'],
        summary:
          'The board report (analyst, wellbeing lead, sysadmin), negotiated on Accept: text/html (a whole NHS.UK page), application/pdf, text/csv (one row per figure), or application/json (the same content as data; also the default with no Accept or */*). Anything else is 406.',
        description:
          'KPIs beside the previous period of the same length with the change, a plain-English summary of what changed, equity of access by staff group, ethnic group, sex, age band and disability, a benchmark of the organisations of a system, and the benefits-realisation aims of the scope. Below national level every figure has passed disclosure control ("*" for a suppressed value; counts rounded to the nearest 5).',
        querystring: Strict({
          scope: Type.String({
            maxLength: 100,
            description: 'an organisation or system slug, or "national" for the whole country',
          }),
          from: Type.Optional(
            Type.String({
              maxLength: 20,
              description: 'first day, YYYY-MM-DD (default: a year before `to`)',
            }),
          ),
          to: Type.Optional(
            Type.String({ maxLength: 20, description: 'last day, YYYY-MM-DD (default: today)' }),
          ),
        }),
        produces: [...BOARD_FORMATS],
        response: errorResponses(400, 401, 403, 404, 406),
      },
    },
    async (request, reply) => {
      const format = negotiateBoardFormat(request.headers.accept);
      if (format === null) {
        return reply
          .code(406)
          .type('application/problem+json')
          .send({
            type: 'about:blank',
            title: 'Not Acceptable',
            status: 406,
            detail: `The board report comes as ${BOARD_FORMATS.join(', ')}. Send one of them in the Accept header.`,
          });
      }
      const report = await boardReport(deps.ctx, actorOf(request), request.query);
      return send(reply, format, report, deps);
    },
  );
};
