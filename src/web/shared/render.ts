import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { REPORT_ROLES } from '../../domain/access/reporting.policy.ts';
import {
  type Actor,
  hasAnyRole,
  hasRole,
  OH_ROLES,
  ROLE_LABELS,
  type Role,
  rolesOf,
} from '../../domain/access/roles.ts';
import { MODE_LABELS } from '../../domain/appointments/slot.rules.ts';
import { AUDIT_ACTION_LABELS } from '../../domain/audit/audit-chain.ts';
import { CASE_STATUS_LABELS, CLOSURE_LABELS, FITNESS_LABELS } from '../../domain/cases/case.rules.ts';
import { pathwayLabel } from '../../domain/referrals/referral.rules.ts';
import { REPORT_STATUS_LABELS } from '../../domain/reports/report.rules.ts';
import type { FieldError } from '../../domain/shared/errors.ts';
import {
  formatDate,
  formatDateWithWeekday,
  formatLondonDateTime,
  formatLondonTime,
} from '../../domain/time/london.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const nhsukDist = path.join(here, '..', '..', '..', 'node_modules', 'nhsuk-frontend', 'dist');

/**
 * The Nunjucks environment: our views first, then our components (imported as
 * "components/<name>/macro.njk", HOUSE-STYLE rule 15), then nhsuk-frontend's macros. Autoescape on.
 */
export const views = new nunjucks.Environment(
  new nunjucks.FileSystemLoader([path.join(here, '..', 'views'), path.join(here, '..'), nhsukDist], {
    noCache: false,
  }),
  { autoescape: true, throwOnUndefined: false },
);

const label = (labels: Record<string, string>) => (value: string | null | undefined) =>
  value ? (Object.hasOwn(labels, value) ? labels[value] : value) : '';
views.addFilter('dateTime', (v: string | Date | null) => (v ? formatLondonDateTime(new Date(v)) : ''));
views.addFilter('time', (v: string | Date | null) => (v ? formatLondonTime(new Date(v)) : ''));
views.addFilter('date', (v: string | Date | null) => (v ? formatDate(v) : ''));
views.addFilter('dateWithWeekday', (v: string | Date | null) => (v ? formatDateWithWeekday(v) : ''));
views.addFilter('caseStatus', label(CASE_STATUS_LABELS));
views.addFilter('fitness', label(FITNESS_LABELS));
views.addFilter('closure', label(CLOSURE_LABELS));
views.addFilter('reportStatus', label(REPORT_STATUS_LABELS));
views.addFilter('mode', label(MODE_LABELS));
views.addFilter('pathway', (v: string | null) => pathwayLabel(v));
views.addFilter('role', label(ROLE_LABELS));
views.addFilter('auditAction', label(AUDIT_ACTION_LABELS));
views.addFilter('timeWithSeconds', (v: string | Date | null) =>
  v ? new Date(v).toLocaleTimeString('en-GB', { timeZone: 'Europe/London' }) : '',
);

/** Roles that run at least one report, and so see the Reporting link. */
export const REPORTING_ROLES: readonly Role[] = [...new Set(Object.values(REPORT_ROLES).flat())];

/** A navigation link in the header. */
type NavItem = { href: string; text: string; current?: boolean };

/** Header links for the roles an actor holds. */
export function navigationFor(actor: Actor, currentPath: string): NavItem[] {
  const items: NavItem[] = [{ href: '/', text: 'Home' }];
  if (actor.personId) items.push({ href: '/get-help', text: 'Get help' });
  if (hasRole(actor, 'manager')) items.push({ href: '/team', text: 'My team' });
  if (hasAnyRole(actor, OH_ROLES)) {
    items.push(
      { href: '/triage', text: 'Triage' },
      { href: '/tasks', text: 'Tasks' },
      { href: '/diary', text: 'Diary' },
      { href: '/pathways', text: 'Pathways' },
    );
  }
  if (hasAnyRole(actor, REPORTING_ROLES)) items.push({ href: '/reporting', text: 'Reporting' });
  if (hasRole(actor, 'sysadmin')) items.push({ href: '/admin/organisations', text: 'Organisations' });
  if (hasRole(actor, 'sysadmin') || hasRole(actor, 'oh-admin'))
    items.push({ href: '/admin/staff-import', text: 'Staff import' });
  if (hasRole(actor, 'sysadmin') || hasRole(actor, 'oh-physician'))
    items.push({ href: '/audit', text: 'Audit' });
  items.push({ href: '/messages', text: 'Messages' });
  return items.map((i) => ({
    ...i,
    current: i.href === '/' ? currentPath === '/' : currentPath.startsWith(i.href),
  }));
}

/** Values a form re-displays, and the errors against its fields. */
export type FormState = { values?: Record<string, unknown>; errors?: FieldError[] };

/** NHS.UK error summary items and a per-field lookup from field errors. */
export function errorView(errors: FieldError[] | undefined) {
  const list = errors ?? [];
  return {
    errorList: list.map((e) => ({
      text: e.message,
      href: `#${e.path.replace(/^\//, '').replace(/\//g, '-') || 'main'}`,
    })),
    fieldErrors: Object.fromEntries(
      list.map((e) => [e.path.replace(/^\//, '').replace(/\//g, '-'), { text: e.message }]),
    ),
  };
}

/**
 * Renders a page with everything the layout needs: the actor, the header links,
 * the CSRF token for forms, the CSP nonce, a one-time message, and form errors.
 */
export function render(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown> & FormState = {},
  status = 200,
) {
  const actor = request.webActor ?? null;
  const flash = request.cookies.ohwb_flash ?? null;
  if (flash) reply.clearCookie('ohwb_flash', { path: '/' });
  const html = views.render(template, {
    ...context,
    ...errorView(context.errors),
    values: context.values ?? {},
    actor,
    roles: actor ? rolesOf(actor) : [],
    navigation: actor ? navigationFor(actor, request.url.split('?')[0] ?? '/') : [],
    organisationName: request.organisationName ?? null,
    csrfToken: reply.generateCsrf(),
    cspNonce: (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
    flash,
  });
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** Redirects after a successful POST (PRG), with a message shown once on the next page. */
export function redirectWithMessage(reply: FastifyReply, location: string, message: string) {
  reply.setCookie('ohwb_flash', message, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
  return reply.code(303).redirect(location);
}
