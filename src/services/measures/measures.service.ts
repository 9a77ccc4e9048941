import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.ts';
import { cases, measures } from '../../db/schema.ts';
import { isClinicianFor } from '../../domain/access/case.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  type InstrumentCode,
  type MeasureFlag,
  type Severity,
  scoreMeasure,
} from '../../domain/measures/instrument.rules.ts';
import { type EpisodeOutcome, episodeOutcome } from '../../domain/measures/talking-therapies.rules.ts';
import { Forbidden, Invalid } from '../../domain/shared/errors.ts';
import { isInFuture } from '../../domain/time/clock-skew.ts';
import { auditRead, recordAudit } from '../audit/audit.service.ts';
import { startPathway } from '../pathways/pathways.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { isUuid, loadPerson, personDenial, providerServing } from '../shared/lookups.ts';

export type MeasureRecorded = {
  id: string;
  total: number;
  severity: Severity;
  flags: MeasureFlag[];
  riskTaskId?: string;
};

/** A clinician records for people their provider serves (never themself); anyone completes their own. */
function measureRole(
  actor: Actor,
  person: { id: string; organisationId: string },
): 'employee' | 'clinician' | null {
  if (actor.personId === person.id) return 'employee';
  if (isClinicianFor(actor, person.organisationId)) return 'clinician';
  return null;
}

/**
 * Scores and stores a PHQ-9 or GAD-7. An answer set with a missing or out-of-range
 * item is refused, not scored. PHQ-9 item 9 above 0 starts the same-day risk
 * follow-up for a clinician, whatever the total.
 */
export async function recordMeasure(
  ctx: ServiceContext,
  actor: Actor,
  input: {
    personId: string;
    instrument: InstrumentCode;
    answers: unknown[];
    takenAt?: Date;
    caseId?: string;
  },
): Promise<MeasureRecorded> {
  const score = scoreMeasure(input.instrument, input.answers);
  const now = ctx.now();
  const takenAt = input.takenAt ?? now;
  if (isInFuture(takenAt, now)) {
    throw new Invalid('The questionnaire cannot be dated in the future.', [
      { path: '/takenAt', message: 'Enter a time that is now or in the past.' },
    ]);
  }
  return inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, input.personId);
    const role = measureRole(actor, person);
    if (role === null) {
      throw personDenial(
        actor,
        person,
        'Only an OH clinician, or the person themself, can record a questionnaire.',
      );
    }
    const caseId = input.caseId ?? null;
    if (caseId !== null) {
      const [found] = isUuid(caseId)
        ? await tx
            .select({ id: cases.id })
            .from(cases)
            .where(and(eq(cases.id, caseId), eq(cases.personId, person.id)))
        : [];
      if (!found)
        throw new Invalid('No such case for this person.', [
          { path: '/caseId', message: 'Choose a case of this person.' },
        ]);
    }
    const id = ctx.newId();
    await tx.insert(measures).values({
      id,
      organisationId: person.organisationId,
      personId: person.id,
      caseId,
      instrument: input.instrument,
      answers: input.answers as number[],
      total: score.total,
      severity: score.severity,
      flags: score.flags,
      takenAt,
      recordedByUserId: actor.userId,
      createdAt: now,
    });
    const auditRole = role === 'employee' ? 'employee' : ohRoleOf(actor, person.organisationId);
    await recordAudit(tx, ctx, actor, {
      action: 'measure.record',
      recordType: 'measure',
      recordId: id,
      organisationId: person.organisationId,
      role: auditRole,
    });
    let riskTaskId: string | undefined;
    if (score.flags.includes('self-harm-risk')) {
      const provider = await providerServing(tx, person.organisationId);
      // Anchored when it was recorded: a questionnaire entered late still gets a follow-up today.
      const started = await startPathway(tx, ctx, actor, {
        ruleSetCode: 'self-harm-risk',
        role: auditRole,
        providerId: provider.id,
        organisationId: person.organisationId,
        personId: person.id,
        caseId,
        anchorAt: now,
        facts: { instrument: input.instrument },
      });
      riskTaskId = started.tasks[0]?.id;
    }
    return {
      id,
      total: score.total,
      severity: score.severity,
      flags: score.flags,
      ...(riskTaskId ? { riskTaskId } : {}),
    };
  });
}

export type MeasureItem = {
  id: string;
  instrument: InstrumentCode;
  total: number;
  severity: Severity;
  flags: MeasureFlag[];
  takenAt: string;
  caseId: string | null;
};

/** Loads a person a clinician (not about themself) or the person may read measures of. */
async function personForMeasureRead(q: Queryable, actor: Actor, personId: string, clinicianOnly: boolean) {
  const person = await loadPerson(q, personId);
  const role = measureRole(actor, person);
  if (role === null || (clinicianOnly && role !== 'clinician')) {
    if (role === null) throw personDenial(actor, person, 'Only an OH clinician can read these results.');
    throw new Forbidden('Only an OH clinician can read these results.');
  }
  return { person, role };
}

/** A person's questionnaires, oldest first (the chart of change over time). The person or their clinician. */
export async function listMeasures(
  ctx: ServiceContext,
  actor: Actor,
  personId: string,
): Promise<MeasureItem[]> {
  const { person, role, rows } = await inTransaction(ctx, actor, async (tx) => {
    const { person, role } = await personForMeasureRead(tx, actor, personId, false);
    const rows = await tx
      .select()
      .from(measures)
      .where(eq(measures.personId, person.id))
      .orderBy(asc(measures.takenAt), asc(measures.id));
    return { person, role, rows };
  });
  await auditRead(ctx, actor, {
    action: 'measure.list',
    recordType: 'person',
    recordId: person.id,
    organisationId: person.organisationId,
    role: role === 'employee' ? 'employee' : ohRoleOf(actor, person.organisationId),
  });
  return rows.map((r) => ({
    id: r.id,
    instrument: r.instrument as InstrumentCode,
    total: r.total,
    severity: r.severity as Severity,
    flags: r.flags as MeasureFlag[],
    takenAt: r.takenAt.toISOString(),
    caseId: r.caseId,
  }));
}

/**
 * NHS Talking Therapies outcomes, one episode per case: first and last measures,
 * caseness, recovery, reliable improvement, deterioration and recovery. Episodes
 * with fewer than two measures of an instrument are left out. OH clinicians only.
 */
export async function personOutcomes(
  ctx: ServiceContext,
  actor: Actor,
  personId: string,
): Promise<{ episodes: Array<EpisodeOutcome & { caseId: string }> }> {
  const { person, rows } = await inTransaction(ctx, actor, async (tx) => {
    const { person } = await personForMeasureRead(tx, actor, personId, true);
    const rows = await tx
      .select({
        caseId: measures.caseId,
        instrument: measures.instrument,
        total: measures.total,
        takenAt: measures.takenAt,
      })
      .from(measures)
      .where(eq(measures.personId, person.id))
      .orderBy(asc(measures.takenAt));
    return { person, rows };
  });
  const byCase = new Map<string, Array<{ instrument: InstrumentCode; total: number; takenAt: Date }>>();
  for (const row of rows) {
    if (row.caseId === null) continue;
    const episode = byCase.get(row.caseId) ?? [];
    episode.push({ instrument: row.instrument as InstrumentCode, total: row.total, takenAt: row.takenAt });
    byCase.set(row.caseId, episode);
  }
  const episodes = [...byCase].flatMap(([caseId, episode]) => {
    const outcome = episodeOutcome(episode);
    return outcome ? [{ caseId, ...outcome }] : [];
  });
  await auditRead(ctx, actor, {
    action: 'measure.outcomes',
    recordType: 'person',
    recordId: person.id,
    organisationId: person.organisationId,
    role: ohRoleOf(actor, person.organisationId),
  });
  return { episodes };
}
