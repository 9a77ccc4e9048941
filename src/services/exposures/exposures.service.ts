import { exposures } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { type ExposureKind, exposureTimeErrors } from '../../domain/exposures/exposure.rules.ts';
import { type HepatitisBStatus, hepatitisBStatus } from '../../domain/exposures/hepatitis-b.rules.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { openUrgentCase, requireReporter } from '../cases/urgent-case.ts';
import { startPathway } from '../pathways/pathways.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { loadPerson } from '../shared/lookups.ts';

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
  return inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, input.personId);
    const { source, role } = requireReporter(actor, person);
    const kindText = input.kind === 'other' ? 'other exposure' : input.kind;
    const { caseId, providerId } = await openUrgentCase(tx, ctx, actor, {
      person,
      source,
      pathway: 'blood-borne-virus',
      reason: `Blood-borne virus exposure (${kindText})${input.description ? `: ${input.description}` : ''}`,
      injuryOnDuty: input.onDuty ?? null,
    });
    const now = ctx.now();
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
      role,
      providerId,
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

/** The exposure as the case bundle reads it (one statement with the case), with the hepatitis B record. */
export type StoredExposure = {
  id: string;
  occurredAt: string;
  kind: string;
  descriptionEnc: string | null;
  sourceKnown: boolean | null;
  highRiskHcv: boolean;
  hepatitisB: Array<{ kind: string; onDate: string; dose: number | null; level: number | null }>;
};

/**
 * The exposure of a case for a caller already allowed the case's clinical view (OH or
 * own): the description decrypted and the hepatitis B status worked out.
 */
export function toExposureDetail(stored: StoredExposure, cipher: ServiceContext['cipher']): ExposureDetail {
  return {
    id: stored.id,
    occurredAt: new Date(stored.occurredAt).toISOString(),
    kind: stored.kind as ExposureKind,
    description: stored.descriptionEnc ? cipher.decrypt(stored.descriptionEnc) : null,
    sourceKnown: stored.sourceKnown,
    highRiskHcv: stored.highRiskHcv,
    hepatitisB: hepatitisBStatus(stored.hepatitisB),
  };
}
