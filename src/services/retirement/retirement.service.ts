import { and, asc, desc, eq, gte, isNotNull, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { Queryable } from '../../db/database.ts';
import {
  cases,
  immunisations,
  measures,
  ohProviders,
  organisations,
  pathwayRuleSets,
  pathwayRuns,
  people,
  tasks,
} from '../../db/schema.ts';
import { isClinicianFor, isOhStaffFor } from '../../domain/access/case.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  buildContinuitySummary,
  continuitySummaryProblems,
  employerIdentityLeaks,
  type FhirBundle,
} from '../../domain/interop/continuity-summary.ts';
import type { InstrumentCode } from '../../domain/measures/instrument.rules.ts';
import { type RecordedConsent, requireRecordedConsent } from '../../domain/shared/consent.rules.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { currentRuleSet, startPathway } from '../pathways/pathways.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { inTransaction, type ServiceContext, systemScope } from '../shared/context.ts';
import { loadPerson, personDenial, providerServing } from '../shared/lookups.ts';

/** Retirement dates are counted from 09:00 on the day (a working morning), London time. */
const anchorOf = (retirementDate: string) => londonInstant(retirementDate, 9);

/** The months before retirement the pathway starts: the rule set's setting, else 6. */
async function leadMonthsFor(q: Queryable, providerId: string): Promise<number> {
  const { ruleSet } = await currentRuleSet(q, providerId, 'retirement');
  return ruleSet.settings?.leadMonths ?? 6;
}

/** True when the retirement date is close enough for the pathway to start now. */
function isWithinLead(retirementDate: string, today: string, leadMonths: number): boolean {
  // Calendar months back, clamped at month ends as every pathway step is (31 August − 6 months = 28 February).
  const start = Temporal.PlainDate.from(retirementDate).subtract({ months: leadMonths }).toString();
  return retirementDate >= today && start <= today;
}

/**
 * OH staff record a person's planned retirement date. When it is within the pathway's
 * lead time the retirement-preparation pathway starts at once; otherwise the daily
 * sweep starts it when the time comes.
 */
export async function setRetirementDate(
  ctx: ServiceContext,
  actor: Actor,
  personId: string,
  input: { date: string },
): Promise<{ personId: string; retirementDate: string; pathwayStarted: boolean }> {
  const today = londonDate(ctx.now());
  if (input.date < today) {
    throw new Invalid('The retirement date must be today or later.', [
      { path: '/date', message: 'Enter a date that is today or later' },
    ]);
  }
  return inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, personId);
    if (!isOhStaffFor(actor, person.organisationId) || person.id === actor.personId) {
      throw personDenial(actor, person, 'Only OH staff can record a retirement date.');
    }
    await tx.update(people).set({ retirementDate: input.date }).where(eq(people.id, person.id));
    await recordAudit(tx, ctx, actor, {
      action: 'person.retirement-date',
      recordType: 'person',
      recordId: person.id,
      organisationId: person.organisationId,
      role: ohRoleOf(actor, person.organisationId),
    });
    const provider = await providerServing(tx, person.organisationId);
    const started = await hasRetirementRun(tx, person.id);
    const leadMonths = await leadMonthsFor(tx, provider.id);
    if (started || !isWithinLead(input.date, today, leadMonths)) {
      return { personId: person.id, retirementDate: input.date, pathwayStarted: false };
    }
    await startPathway(tx, ctx, actor, {
      ruleSetCode: 'retirement',
      role: ohRoleOf(actor, person.organisationId),
      providerId: provider.id,
      organisationId: person.organisationId,
      personId: person.id,
      caseId: null,
      anchorAt: anchorOf(input.date),
      facts: { retirementDate: input.date },
    });
    return { personId: person.id, retirementDate: input.date, pathwayStarted: true };
  });
}

async function hasRetirementRun(q: Queryable, personId: string): Promise<boolean> {
  const [row] = await q
    .select({ id: pathwayRuns.id })
    .from(pathwayRuns)
    .innerJoin(pathwayRuleSets, eq(pathwayRuleSets.id, pathwayRuns.ruleSetId))
    .where(and(eq(pathwayRuns.personId, personId), eq(pathwayRuleSets.code, 'retirement')))
    .limit(1);
  return row !== undefined;
}

/**
 * The daily sweep (run by `ohwb serve`): starts the retirement-preparation pathway for
 * everyone whose retirement date has come within the lead time and who has none yet.
 * Returns how many started.
 */
export async function startDueRetirementPathways(ctx: ServiceContext): Promise<number> {
  const today = londonDate(ctx.now());
  // The longest lead any provider could set; each person is then checked against their own provider's.
  const horizon = addDays(today, 366 * 2);
  // System scope: no one is signed in, and the sweep covers every organisation's staff.
  const reach = systemScope('retirement-sweep');
  const due = await inTransaction(ctx, reach, (tx) =>
    tx
      .select({ id: people.id, organisationId: people.organisationId, retirementDate: people.retirementDate })
      .from(people)
      .where(
        and(
          isNotNull(people.retirementDate),
          gte(people.retirementDate, today),
          lte(people.retirementDate, horizon),
          notExists(
            tx
              .select({ id: pathwayRuns.id })
              .from(pathwayRuns)
              .innerJoin(pathwayRuleSets, eq(pathwayRuleSets.id, pathwayRuns.ruleSetId))
              .where(and(eq(pathwayRuns.personId, people.id), eq(pathwayRuleSets.code, 'retirement'))),
          ),
        ),
      )
      .limit(1000),
  );
  let started = 0;
  for (const person of due) {
    const retirementDate = person.retirementDate as string;
    // Providers and rule sets are not behind row-level security: no transaction needed to read them.
    const provider = await providerServing(ctx.db, person.organisationId).catch(() => null);
    if (!provider || !isWithinLead(retirementDate, today, await leadMonthsFor(ctx.db, provider.id))) continue;
    await inTransaction(ctx, reach, async (tx) => {
      // Several processes may sweep at once: one at a time per person, then check again.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`retirement:${person.id}`}))`);
      if (await hasRetirementRun(tx, person.id)) return;
      await startPathway(tx, ctx, null, {
        ruleSetCode: 'retirement',
        role: 'system',
        providerId: provider.id,
        organisationId: person.organisationId,
        personId: person.id,
        caseId: null,
        anchorAt: anchorOf(retirementDate),
        facts: { retirementDate },
      });
      started += 1;
    });
  }
  return started;
}

/**
 * A continuity-of-care summary for the person's NHS GP, as a FHIR R4 UK Core document
 * Bundle, with the person's recorded consent. For a security-sensitive person nothing
 * reveals the employer or the force. The summary is checked before it leaves; the
 * retirement pathway's "send the summary" task is completed by it.
 */
export async function createContinuitySummary(
  ctx: ServiceContext,
  actor: Actor,
  personId: string,
  input: {
    consent?: RecordedConsent;
    recipient?: { name: string; odsCode?: string };
    carePlan?: string[];
  },
): Promise<FhirBundle> {
  const now = ctx.now();
  const consentAt = requireRecordedConsent(input.consent, now, {
    detail:
      'A summary goes to the GP only with the person’s consent. Ask them first and record when they agreed.',
    field: 'The person must agree to the summary being sent',
  });
  return inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, personId);
    if (!isClinicianFor(actor, person.organisationId) || person.id === actor.personId) {
      throw personDenial(actor, person, 'Only an OH clinician can send a continuity-of-care summary.');
    }
    const [organisation] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.id, person.organisationId));
    const providerRow = await providerServing(tx, person.organisationId);
    const [host] = await tx
      .select({ name: organisations.name, odsCode: organisations.odsCode })
      .from(ohProviders)
      .innerJoin(organisations, eq(organisations.id, ohProviders.hostOrganisationId))
      .where(eq(ohProviders.id, providerRow.id));
    const record = await tx
      .select()
      .from(immunisations)
      .where(eq(immunisations.personId, person.id))
      .orderBy(asc(immunisations.onDate));
    const scores = await tx
      .select()
      .from(measures)
      .where(eq(measures.personId, person.id))
      .orderBy(asc(measures.takenAt));
    const outcomes = await tx
      .select({ fitness: cases.fitness, adjustments: cases.adjustments, at: cases.outcomeRecordedAt })
      .from(cases)
      .where(and(eq(cases.personId, person.id), isNotNull(cases.fitness)))
      .orderBy(desc(cases.outcomeRecordedAt))
      .limit(3);
    const summaryInput = {
      bundleId: ctx.newId(),
      now,
      newId: ctx.newId,
      person: {
        id: person.id,
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirth: person.dateOfBirth,
        nhsNumber: null,
        sex: (['female', 'male', 'other'] as const).find((s) => s === person.sex) ?? null,
        contactAddress: person.contactAddress,
        securitySensitive: person.securitySensitive,
        organisationName: organisation?.name ?? '',
        organisationOdsCode: organisation?.odsCode ?? null,
        jobTitle: person.jobTitle,
        staffGroup: person.staffGroup,
      },
      provider: {
        name: providerRow.name,
        hostOrganisationName: host?.name ?? '',
        odsCode: host?.odsCode ?? null,
      },
      author: { userId: actor.userId, name: actor.name, role: ohRoleOf(actor, person.organisationId) },
      recipient: input.recipient
        ? { name: input.recipient.name, odsCode: input.recipient.odsCode ?? null }
        : null,
      consent: { recordedAt: consentAt },
      immunisations: record
        .filter((r) => r.kind === 'dose')
        .map((r) => ({ vaccine: r.vaccine, onDate: r.onDate, dose: r.dose })),
      antibodyLevels: record
        .filter((r) => r.kind === 'antibody-level' && r.level !== null)
        .map((r) => ({ vaccine: r.vaccine, onDate: r.onDate, level: r.level as number })),
      measures: scores.map((m) => ({
        instrument: m.instrument as InstrumentCode,
        total: m.total,
        severity: m.severity,
        takenAt: m.takenAt,
      })),
      fitness: outcomes.map((o) => ({
        outcome: o.fitness as string,
        adjustments: o.adjustments,
        recordedAt: o.at,
      })),
      carePlan: input.carePlan ?? [],
      retirementDate: person.retirementDate,
    };
    const bundle = buildContinuitySummary(summaryInput);
    // Nothing leaves that is malformed or names a security-sensitive person's employer.
    const problems = [...continuitySummaryProblems(bundle), ...employerIdentityLeaks(bundle, summaryInput)];
    if (problems.length > 0)
      throw new Error(`The continuity summary failed its checks: ${problems.join('; ')}`);
    await recordAudit(tx, ctx, actor, {
      action: 'continuity-summary.create',
      recordType: 'person',
      recordId: person.id,
      organisationId: person.organisationId,
      role: ohRoleOf(actor, person.organisationId),
      reason: `consent recorded ${consentAt.toISOString()}${input.recipient ? `; to ${input.recipient.name}` : ''}`,
    });
    // The retirement pathway's last step is done by this.
    await tx
      .update(tasks)
      .set({ status: 'completed', doneAt: now, doneByUserId: actor.userId })
      .where(
        and(
          eq(tasks.personId, person.id),
          eq(tasks.code, 'continuity-summary'),
          eq(tasks.status, 'open'),
          // As any task: not before it opens (a summary sent early leaves the step for its time).
          or(isNull(tasks.opensAt), lte(tasks.opensAt, now)),
        ),
      );
    return bundle;
  });
}
