import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.ts';
import { cases, exposures, immunisations, referrals } from '../../db/schema.ts';
import { canReferPerson, isOhStaffFor } from '../../domain/access/case.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { type ExposureKind, exposureTimeErrors } from '../../domain/exposures/exposure.rules.ts';
import { type HepatitisBStatus, hepatitisBStatus } from '../../domain/exposures/hepatitis-b.rules.ts';
import type { ReferralSource } from '../../domain/referrals/referral.rules.ts';
import { Forbidden, Invalid, NotFound } from '../../domain/shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { startPathway } from '../pathways/pathways.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { loadPerson, providerServing } from '../shared/lookups.ts';

export type ExposureInput = {
  personId: string;
  occurredAt: Date;
  kind: ExposureKind;
  description?: string;
  sourceKnown?: boolean;
  highRiskHcv?: boolean;
  onDuty?: boolean;
};

export type ExposureReported = {
  id: string;
  caseId: string;
  tasks: Array<{
    id: string;
    code: string;
    title: string;
    opensAt?: string;
    dueAt: string;
    closesAt?: string;
    tests?: string[];
  }>;
};

/** Who reports: the person, their line manager, or OH staff of their organisation. */
function reporterSource(
  actor: Actor,
  person: { id: string; organisationId: string; managerId: string | null },
) {
  if (actor.personId === person.id) return 'self' as const;
  if (canReferPerson(actor, person)) return 'management' as const;
  if (isOhStaffFor(actor, person.organisationId)) return 'other' as const;
  return null;
}

/**
 * Reports a blood-borne virus exposure, any hour of the day: opens an urgent case with
 * the BBV pathway's tasks timed from the moment of exposure (DOMAIN.md). Source-person
 * details are the least needed: whether the source is known, and whether at high risk of HCV.
 */
export async function reportExposure(
  ctx: ServiceContext,
  actor: Actor,
  input: ExposureInput,
): Promise<ExposureReported> {
  const timeErrors = exposureTimeErrors(input.occurredAt, ctx.now());
  if (timeErrors.length > 0) throw new Invalid('Check when the exposure happened.', timeErrors);
  return inTransaction(ctx, async (tx) => {
    const person = await loadPerson(tx, input.personId);
    const source: ReferralSource | null = reporterSource(actor, person);
    if (source === null) {
      const sameOrganisation = actor.grants.some((g) => g.organisationId === person.organisationId);
      if (!sameOrganisation) throw new NotFound('No such person.');
      throw new Forbidden('You can report an exposure for yourself or for people you line manage.');
    }
    const provider = await providerServing(tx, person.organisationId);
    const now = ctx.now();
    const referralId = ctx.newId();
    const caseId = ctx.newId();
    const kindText = input.kind === 'other' ? 'other exposure' : input.kind;
    await tx.insert(referrals).values({
      id: referralId,
      organisationId: person.organisationId,
      personId: person.id,
      providerId: provider.id,
      source,
      referredByUserId: actor.userId,
      reasonEnc: ctx.cipher.encrypt(
        `Blood-borne virus exposure (${kindText})${input.description ? `: ${input.description}` : ''}`,
      ),
      questionsEnc: ctx.cipher.encrypt('[]'),
      pathway: 'blood-borne-virus',
      // An exposure is reported to get urgent care, not a management report: no consent to a report is implied.
      consentGiven: false,
      status: 'triaged',
      priority: 'urgent',
      triagedAt: now,
      caseId,
      createdAt: now,
    });
    await tx.insert(cases).values({
      id: caseId,
      organisationId: person.organisationId,
      personId: person.id,
      referralId,
      providerId: provider.id,
      pathway: 'blood-borne-virus',
      priority: 'urgent',
      clinicianId: null,
      status: 'awaiting-appointment',
      injuryOnDuty: input.onDuty ?? null,
      createdAt: now,
    });
    const id = ctx.newId();
    await tx.insert(exposures).values({
      id,
      organisationId: person.organisationId,
      personId: person.id,
      caseId,
      occurredAt: input.occurredAt,
      kind: input.kind,
      descriptionEnc: input.description ? ctx.cipher.encrypt(input.description) : null,
      sourceKnown: input.sourceKnown ?? null,
      highRiskHcv: input.highRiskHcv ?? false,
      reportedByUserId: actor.userId,
      createdAt: now,
    });
    const started = await startPathway(tx, ctx, actor, {
      ruleSetCode: 'bbv-exposure',
      providerId: provider.id,
      organisationId: person.organisationId,
      personId: person.id,
      caseId,
      anchorAt: input.occurredAt,
      facts: {
        kind: input.kind,
        highRiskHcv: input.highRiskHcv ?? false,
        sourceKnown: input.sourceKnown ?? null,
      },
    });
    const role =
      source === 'self'
        ? 'employee'
        : source === 'management'
          ? 'manager'
          : ohRoleOf(actor, person.organisationId);
    await recordAudit(tx, ctx, actor, {
      action: 'exposure.report',
      recordType: 'case',
      recordId: caseId,
      organisationId: person.organisationId,
      role,
    });
    return {
      id,
      caseId,
      tasks: started.tasks.map((t) => ({
        id: t.id,
        code: t.code,
        title: t.title,
        ...(t.opensAt ? { opensAt: t.opensAt.toISOString() } : {}),
        dueAt: t.dueAt.toISOString(),
        ...(t.closesAt ? { closesAt: t.closesAt.toISOString() } : {}),
        ...(t.tests.length > 0 ? { tests: t.tests } : {}),
      })),
    };
  });
}

/** The exposure behind a BBV case, with the person's hepatitis B status from their immunisation record. */
export type ExposureDetail = {
  id: string;
  occurredAt: string;
  kind: ExposureKind;
  description: string | null;
  sourceKnown: boolean | null;
  highRiskHcv: boolean;
  hepatitisB: HepatitisBStatus;
};

/**
 * The exposure of a case, for a caller that has already been allowed the case's
 * clinical view (OH or own); null when the case has none.
 */
export async function exposureOfCase(
  q: Queryable,
  ctx: ServiceContext,
  caseId: string,
): Promise<ExposureDetail | null> {
  const [row] = await q.select().from(exposures).where(eq(exposures.caseId, caseId)).limit(1);
  if (!row) return null;
  const record = await q
    .select({
      kind: immunisations.kind,
      onDate: immunisations.onDate,
      dose: immunisations.dose,
      level: immunisations.level,
    })
    .from(immunisations)
    .where(and(eq(immunisations.personId, row.personId), eq(immunisations.vaccine, 'hepatitis-b')))
    .orderBy(asc(immunisations.onDate));
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    kind: row.kind as ExposureKind,
    description: row.descriptionEnc ? ctx.cipher.decrypt(row.descriptionEnc) : null,
    sourceKnown: row.sourceKnown,
    highRiskHcv: row.highRiskHcv,
    hepatitisB: hepatitisBStatus(record),
  };
}
