import { type Actor, hasRole, type Role } from './roles.ts';

/** The aggregate reports of the minimum dataset. None of them holds identifiable clinical data. */
export type ReportKind = 'equity' | 'kpis' | 'board' | 'mds' | 'benchmark' | 'benefits';

/** Who may run each report (API.md, "Workforce, reporting and the minimum dataset"). */
export const REPORT_ROLES: Record<ReportKind, readonly Role[]> = {
  equity: ['analyst', 'wellbeing-lead', 'sysadmin'],
  kpis: ['analyst', 'wellbeing-lead', 'oh-admin'],
  board: ['analyst', 'wellbeing-lead', 'sysadmin'],
  // Row-level (pseudonymised) data: analysts only.
  mds: ['analyst'],
  benchmark: ['analyst', 'wellbeing-lead', 'sysadmin'],
  benefits: ['analyst', 'wellbeing-lead', 'sysadmin'],
};

/** What a report is about: one organisation, the organisations of a system, or the country. */
export type ScopeSituation =
  | { kind: 'organisation'; organisationId: string; icbOrganisationIds: readonly string[] }
  | {
      kind: 'system';
      organisationIds: readonly string[];
      icbOrganisationIds: readonly string[];
    }
  | { kind: 'national' };

function grantedIn(actor: Actor, role: Role, organisationIds: readonly string[]): boolean {
  return actor.grants.some((g) => g.role === role && organisationIds.includes(g.organisationId));
}

/**
 * Whether the actor may run a report for a scope.
 * - Organisation: a wellbeing lead or analyst of that organisation; an OH administrator of
 *   a provider serving it (KPIs only); an analyst of the system's ICB; a sysadmin of the system.
 * - System: an analyst or wellbeing lead of the system's ICB; a sysadmin of the system.
 * - National: an analyst or sysadmin, for aggregate reports only (never the row-level extract).
 */
export function canReport(actor: Actor, report: ReportKind, scope: ScopeSituation): boolean {
  const roles = REPORT_ROLES[report];
  const may = (role: Role) => roles.includes(role);
  switch (scope.kind) {
    case 'national':
      return (
        report !== 'mds' &&
        actor.grants.some((g) => (g.role === 'analyst' || g.role === 'sysadmin') && may(g.role))
      );
    case 'system':
      return (
        (may('analyst') && grantedIn(actor, 'analyst', scope.icbOrganisationIds)) ||
        (may('wellbeing-lead') && grantedIn(actor, 'wellbeing-lead', scope.icbOrganisationIds)) ||
        (may('sysadmin') && hasSysadminOver(actor, scope.organisationIds) && scope.organisationIds.length > 0)
      );
    case 'organisation': {
      const own = [scope.organisationId];
      return (
        (may('analyst') &&
          (grantedIn(actor, 'analyst', own) || grantedIn(actor, 'analyst', scope.icbOrganisationIds))) ||
        (may('wellbeing-lead') && grantedIn(actor, 'wellbeing-lead', own)) ||
        (may('oh-admin') &&
          hasRole(actor, 'oh-admin') &&
          actor.ohOrganisationIds.includes(scope.organisationId)) ||
        (may('sysadmin') && hasSysadminOver(actor, own))
      );
    }
  }
}

function hasSysadminOver(actor: Actor, organisationIds: readonly string[]): boolean {
  return organisationIds.every((id) => actor.systemOrganisationIds.includes(id));
}
