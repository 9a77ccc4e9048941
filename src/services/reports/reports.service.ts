import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { cases, people, reports, users } from '../../db/schema.ts';
import { canWriteClinicalRecord, caseViewFor } from '../../domain/access/case.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { type CaseStatus, transitionCase } from '../../domain/cases/case.rules.ts';
import {
  needsDecisionFollowUp,
  type ReportDecision,
  type ReportStatus,
  transitionReport,
} from '../../domain/reports/report.rules.ts';
import { Forbidden, NotFound } from '../../domain/shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { denial, isUuid, loadCaseSituation } from '../shared/lookups.ts';

/** Report states that a newer version replaces. */
const REPLACEABLE: ReportStatus[] = ['awaiting-employee', 'correction-requested', 'withheld'];

/**
 * A clinician writes the management report. It is held for the employee, who sees it
 * first; any earlier unreleased version is superseded.
 */
export async function writeReport(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  input: { text: string },
): Promise<{ id: string; status: 'awaiting-employee' }> {
  return inTransaction(ctx, actor, async (tx) => {
    const { record, situation } = await loadCaseSituation(tx, caseId, { lock: true });
    if (!canWriteClinicalRecord(actor, situation)) {
      throw denial(actor, situation, 'Only an OH clinician or physician can write a report.');
    }
    transitionCase(record.status as CaseStatus, { type: 'write-report' });
    await tx
      .update(reports)
      .set({ status: 'superseded' })
      .where(and(eq(reports.caseId, record.id), inArray(reports.status, REPLACEABLE)));
    const id = ctx.newId();
    await tx.insert(reports).values({
      id,
      organisationId: record.organisationId,
      caseId: record.id,
      authorId: actor.userId,
      textEnc: ctx.cipher.encrypt(input.text),
      status: 'awaiting-employee',
      createdAt: ctx.now(),
    });
    await recordAudit(tx, ctx, actor, {
      action: 'report.create',
      recordType: 'report',
      recordId: id,
      organisationId: record.organisationId,
      role: ohRoleOf(actor, record.organisationId),
    });
    return { id, status: 'awaiting-employee' };
  });
}

async function loadReport(tx: Tx, reportId: string, options: { lock?: boolean } = {}) {
  if (!isUuid(reportId)) throw new NotFound('No such report.');
  const query = tx.select().from(reports).where(eq(reports.id, reportId)).limit(1);
  const [report] = options.lock ? await query.for('update') : await query;
  if (!report) throw new NotFound('No such report.');
  const loaded = await loadCaseSituation(tx, report.caseId);
  return { report, ...loaded };
}

/** The employee releases their report, asks for a correction, or withholds it. */
export async function decideReport(
  ctx: ServiceContext,
  actor: Actor,
  reportId: string,
  input: { decision: ReportDecision; comment?: string },
): Promise<{ id: string; status: ReportStatus }> {
  return inTransaction(ctx, actor, async (tx) => {
    const { report, situation } = await loadReport(tx, reportId, { lock: true });
    const view = caseViewFor(actor, situation);
    if (view !== 'own') {
      if (view === 'oh')
        throw new Forbidden('Only the employee the report is about can decide what happens to it.');
      throw new NotFound('No such report.');
    }
    const status = transitionReport(report.status as ReportStatus, {
      type: 'decide',
      decision: input.decision,
    });
    await tx
      .update(reports)
      .set({
        status,
        decidedAt: ctx.now(),
        releasedAt: status === 'released' ? ctx.now() : null,
        // Each decision carries its own comment: a reason given when withholding must never
        // travel with a later release, where the manager reads the statement.
        employeeCommentEnc: input.comment ? ctx.cipher.encrypt(input.comment) : null,
      })
      .where(eq(reports.id, report.id));
    await recordAudit(tx, ctx, actor, {
      action: `report.${input.decision}`,
      recordType: 'report',
      recordId: report.id,
      organisationId: report.organisationId,
      role: 'employee',
    });
    return { id: report.id, status };
  });
}

export type ReportView = {
  id: string;
  caseId: string;
  status: string;
  text: string;
  personName: string;
  authorName: string;
  createdAt: string;
  decidedAt: string | null;
  releasedAt: string | null;
  /** The employee's comment; shown to the employee and OH staff, and to the manager once released. */
  employeeComment: string | null;
};

/**
 * A report: the employee and OH staff see it at any time; the manager only once the
 * employee has released it (before that it does not exist for them: 404).
 */
export async function getReport(ctx: ServiceContext, actor: Actor, reportId: string): Promise<ReportView> {
  return inTransaction(ctx, actor, async (tx) => {
    const { report, record, situation } = await loadReport(tx, reportId);
    const view = caseViewFor(actor, situation);
    if (view === 'none' || (view === 'manager' && report.status !== 'released'))
      throw new NotFound('No such report.');
    const [person] = await tx.select().from(people).where(eq(people.id, record.personId)).limit(1);
    const [author] = await tx
      .select({ name: users.displayName })
      .from(users)
      .where(eq(users.id, report.authorId))
      .limit(1);
    await recordAudit(tx, ctx, actor, {
      action: 'report.read',
      recordType: 'report',
      recordId: report.id,
      organisationId: report.organisationId,
      role: view === 'oh' ? ohRoleOf(actor, report.organisationId) : view === 'own' ? 'employee' : 'manager',
    });
    return {
      id: report.id,
      caseId: report.caseId,
      status: report.status,
      text: ctx.cipher.decrypt(report.textEnc),
      personName: person ? `${person.givenName} ${person.familyName}` : '',
      authorName: author?.name ?? '',
      createdAt: report.createdAt.toISOString(),
      decidedAt: report.decidedAt?.toISOString() ?? null,
      releasedAt: report.releasedAt?.toISOString() ?? null,
      employeeComment: report.employeeCommentEnc ? ctx.cipher.decrypt(report.employeeCommentEnc) : null,
    };
  });
}

/** Reports about the actor that wait for their decision, newest first. */
export async function listMyPendingReports(ctx: ServiceContext, actor: Actor) {
  if (!actor.personId) return [];
  const personId = actor.personId;
  return inTransaction(ctx, actor, (tx) =>
    tx
      .select({
        id: reports.id,
        caseId: reports.caseId,
        status: reports.status,
        createdAt: reports.createdAt,
      })
      .from(reports)
      .innerJoin(cases, eq(cases.id, reports.caseId))
      .where(and(eq(cases.personId, personId), inArray(reports.status, ['awaiting-employee', 'withheld'])))
      .orderBy(desc(reports.createdAt)),
  );
}

/**
 * Reports on the clinician's cases that have waited 21 days or more for the employee's
 * decision, or whose correction was asked for: the clinician should follow up.
 */
export async function listReportsToFollowUp(ctx: ServiceContext, actor: Actor) {
  if (actor.clinicalOrganisationIds.length === 0) return [];
  const rows = await inTransaction(ctx, actor, (tx) =>
    tx
      .select({
        id: reports.id,
        caseId: reports.caseId,
        status: reports.status,
        createdAt: reports.createdAt,
        givenName: people.givenName,
        familyName: people.familyName,
      })
      .from(reports)
      .innerJoin(cases, eq(cases.id, reports.caseId))
      .innerJoin(people, eq(people.id, cases.personId))
      .where(
        and(
          eq(cases.clinicianId, actor.userId),
          inArray(reports.organisationId, actor.clinicalOrganisationIds),
          inArray(reports.status, ['awaiting-employee', 'correction-requested']),
        ),
      )
      .orderBy(asc(reports.createdAt))
      .limit(100),
  );
  return rows
    .filter((r) => r.status === 'correction-requested' || needsDecisionFollowUp(r, ctx.now()))
    .map(({ givenName, familyName, ...r }) => ({ ...r, personName: `${givenName} ${familyName}` }));
}
