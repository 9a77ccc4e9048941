import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.ts';
import { incidentPeople, incidents, people } from '../../db/schema.ts';
import { canReferPerson, isClinicianFor, isOhStaffFor } from '../../domain/access/case.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  TRAUMA_OUTREACH_DEFAULT,
  type TraumaOutreachRule,
  traumaExposure,
} from '../../domain/incidents/trauma-exposure.rules.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { isInFuture } from '../../domain/time/clock-skew.ts';
import { auditRead, recordAudit } from '../audit/audit.service.ts';
import { currentRuleSet, startPathway } from '../pathways/pathways.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { loadPerson, personDenial, providerServing } from '../shared/lookups.ts';

/** Who may report an incident for a person: OH staff, the organisation's wellbeing lead, the person's manager. */
function reporterRole(
  actor: Actor,
  person: { organisationId: string; managerId: string | null },
): string | null {
  if (isOhStaffFor(actor, person.organisationId)) return ohRoleOf(actor, person.organisationId);
  if (actor.grants.some((g) => g.role === 'wellbeing-lead' && g.organisationId === person.organisationId)) {
    return 'wellbeing-lead';
  }
  if (canReferPerson(actor, person)) return 'manager';
  return null;
}

export type IncidentReported = {
  id: string;
  tasks: Array<{ id: string; personId: string; code: string; dueAt: string }>;
};

/** The outreach rule in force: the TRiM rule set's settings, else the default. */
async function outreachRule(q: Queryable, providerId: string): Promise<TraumaOutreachRule> {
  const { ruleSet } = await currentRuleSet(q, providerId, 'trim');
  return {
    threshold: ruleSet.settings?.outreachThreshold ?? TRAUMA_OUTREACH_DEFAULT.threshold,
    windowMonths: ruleSet.settings?.outreachWindowMonths ?? TRAUMA_OUTREACH_DEFAULT.windowMonths,
    source: `${ruleSet.title} v${ruleSet.version} settings`,
  };
}

async function incidentTimesOf(q: Queryable, personId: string): Promise<Date[]> {
  const rows = await q
    .select({ at: incidentPeople.occurredAt })
    .from(incidentPeople)
    .where(eq(incidentPeople.personId, personId))
    .orderBy(asc(incidentPeople.occurredAt));
  return rows.map((r) => r.at);
}

/**
 * Records a traumatic incident: each person involved gets TRiM tasks (about 72 hours
 * and one month after) and a line in their trauma-exposure log; anyone whose count
 * reaches the outreach threshold gets an offer of support on the OH worklist.
 */
export async function reportIncident(
  ctx: ServiceContext,
  actor: Actor,
  input: { occurredAt: Date; kind: 'traumatic'; description: string; personIds: string[] },
): Promise<IncidentReported> {
  const now = ctx.now();
  if (isInFuture(input.occurredAt, now)) {
    throw new Invalid('The incident cannot be in the future.', [
      { path: '/occurredAt', message: 'Enter a time that is now or in the past.' },
    ]);
  }
  // Sorted, so two incidents naming the same people lock them in the same order (no deadlock).
  const personIds = [...new Set(input.personIds)].sort();
  return inTransaction(ctx, actor, async (tx) => {
    const involved = [];
    for (const personId of personIds) {
      const person = await loadPerson(tx, personId);
      const role = reporterRole(actor, person);
      // Each person's log is counted before and after this incident: lock them, or two incidents
      // recorded at once could both see the threshold crossed and offer outreach twice.
      await tx.select({ id: people.id }).from(people).where(eq(people.id, person.id)).for('update');
      if (role === null) {
        throw personDenial(
          actor,
          person,
          'You can report an incident only for people you manage or support.',
        );
      }
      involved.push({ person, role });
    }
    const first = involved[0];
    if (!first)
      throw new Invalid('Name the people involved.', [
        { path: '/personIds', message: 'Choose at least one person.' },
      ]);
    const id = ctx.newId();
    await tx.insert(incidents).values({
      id,
      organisationId: first.person.organisationId,
      occurredAt: input.occurredAt,
      kind: input.kind,
      descriptionEnc: ctx.cipher.encrypt(input.description),
      reportedByUserId: actor.userId,
      createdAt: now,
    });
    const created: IncidentReported['tasks'] = [];
    for (const { person, role } of involved) {
      const provider = await providerServing(tx, person.organisationId);
      const before = traumaExposure(
        await incidentTimesOf(tx, person.id),
        now,
        await outreachRule(tx, provider.id),
      );
      const run = await startPathway(tx, ctx, actor, {
        ruleSetCode: 'trim',
        role,
        providerId: provider.id,
        organisationId: person.organisationId,
        personId: person.id,
        caseId: null,
        anchorAt: input.occurredAt,
        facts: { incidentId: id },
      });
      await tx.insert(incidentPeople).values({
        incidentId: id,
        personId: person.id,
        organisationId: person.organisationId,
        occurredAt: input.occurredAt,
        runId: run.runId,
      });
      for (const task of run.tasks) {
        created.push({ id: task.id, personId: person.id, code: task.code, dueAt: task.dueAt.toISOString() });
      }
      const after = traumaExposure(
        await incidentTimesOf(tx, person.id),
        now,
        await outreachRule(tx, provider.id),
      );
      if (after.outreachDue && !before.outreachDue) {
        await startPathway(tx, ctx, actor, {
          ruleSetCode: 'trauma-outreach',
          role,
          providerId: provider.id,
          organisationId: person.organisationId,
          personId: person.id,
          caseId: null,
          anchorAt: now,
          facts: { incidentsInWindow: after.last12Months },
        });
      }
      await recordAudit(tx, ctx, actor, {
        action: 'incident.report',
        recordType: 'incident',
        recordId: id,
        organisationId: person.organisationId,
        role,
      });
    }
    // Who crossed the outreach threshold is for OH alone: the worklist shows it, the reporter is not told.
    return { id, tasks: created };
  });
}

/**
 * A person's trauma-exposure log: incidents in the outreach window, in all, and
 * whether outreach is due. OH clinicians only (never about themself).
 */
export async function traumaExposureOf(
  ctx: ServiceContext,
  actor: Actor,
  personId: string,
): Promise<{
  last12Months: number;
  total: number;
  outreachDue: boolean;
  windowStart: string;
  threshold: number;
}> {
  const { person, rule, exposure } = await inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, personId);
    if (!isClinicianFor(actor, person.organisationId) || person.id === actor.personId) {
      throw personDenial(actor, person, 'Only an OH clinician can read the trauma-exposure log.');
    }
    const provider = await providerServing(tx, person.organisationId);
    const rule = await outreachRule(tx, provider.id);
    return { person, rule, exposure: traumaExposure(await incidentTimesOf(tx, person.id), ctx.now(), rule) };
  });
  await auditRead(ctx, actor, {
    action: 'trauma-exposure.read',
    recordType: 'person',
    recordId: person.id,
    organisationId: person.organisationId,
    role: ohRoleOf(actor, person.organisationId),
  });
  return { ...exposure, threshold: rule.threshold };
}
