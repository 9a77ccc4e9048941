import type { Actor } from '../../domain/access/roles.ts';
import { exposureTimeErrors } from '../../domain/exposures/exposure.rules.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { openUrgentCase, requireReporter } from '../cases/urgent-case.ts';
import { startPathway } from '../pathways/pathways.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { loadPerson } from '../shared/lookups.ts';

export type DentalInjuryReported = {
  caseId: string;
  tasks: Array<{ id: string; code: string; title: string; dueAt: string }>;
};

/**
 * Reports a dental injury (an assault on an officer, a fall): opens an urgent case on
 * the dental pathway — same-day assessment, replanting a knocked-out tooth within the
 * hour, reviews at 2 and 4 weeks, 3 and 6 months and a year — marked injury on duty
 * where it was, for any injury award.
 */
export async function reportDentalInjury(
  ctx: ServiceContext,
  actor: Actor,
  input: { personId: string; occurredAt: Date; avulsed: boolean; onDuty: boolean; description?: string },
): Promise<DentalInjuryReported> {
  const timeErrors = exposureTimeErrors(input.occurredAt, ctx.now(), 'injury');
  if (timeErrors.length > 0) throw new Invalid('Check when the injury happened.', timeErrors);
  return inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, input.personId);
    const { source, role } = requireReporter(actor, person);
    const what = input.avulsed ? 'a knocked-out tooth' : 'an injury to the teeth or mouth';
    const { caseId, providerId } = await openUrgentCase(tx, ctx, actor, {
      person,
      source,
      pathway: 'dental-injury',
      reason: `Dental injury: ${what}${input.onDuty ? ', on duty' : ''}${input.description ? `. ${input.description}` : ''}`,
      injuryOnDuty: input.onDuty,
    });
    const started = await startPathway(tx, ctx, actor, {
      ruleSetCode: 'dental-injury',
      role,
      providerId,
      organisationId: person.organisationId,
      personId: person.id,
      caseId,
      anchorAt: input.occurredAt,
      facts: { avulsed: input.avulsed, onDuty: input.onDuty },
    });
    await recordAudit(tx, ctx, actor, {
      action: 'dental-injury.report',
      recordType: 'case',
      recordId: caseId,
      organisationId: person.organisationId,
      role,
    });
    return {
      caseId,
      tasks: started.tasks.map((t) => ({
        id: t.id,
        code: t.code,
        title: t.title,
        dueAt: t.dueAt.toISOString(),
      })),
    };
  });
}
