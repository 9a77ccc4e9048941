import { and, asc, count, eq, gte, inArray, ne, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { cases, ohProviders, organisations, people, referrals } from '../../db/schema.ts';
import { canReferPerson, canTriage, isOhStaffFor } from '../../domain/access/case.policy.ts';
import { type Actor, hasAnyRole, OH_ROLES, ohRoleFor } from '../../domain/access/roles.ts';
import {
  MSK_TRIAGE,
  type MskRoute,
  type MskTriageAnswers,
  parseMskTriageAnswers,
  type RedFlagCode,
  triageMsk,
} from '../../domain/msk/msk-triage.rules.ts';
import {
  type Priority,
  type ReferralConsent,
  type ReferralSource,
  type ReferralStatus,
  requireReferralConsent,
  transitionReferral,
} from '../../domain/referrals/referral.rules.ts';
import { Forbidden, NotFound } from '../../domain/shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { startPathway } from '../pathways/pathways.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { isUuid, loadPerson, providerServing, requireClinicianOfProvider } from '../shared/lookups.ts';

export type ReferralCreated = { id: string; status: 'awaiting-triage' };

/**
 * A line manager refers a member of their team to OH, with the employee's recorded
 * consent and the questions the manager wants answered.
 */
export async function referCase(
  ctx: ServiceContext,
  actor: Actor,
  input: {
    personId: string;
    reason: string;
    questions: string[];
    consent?: ReferralConsent;
    pathway?: string;
  },
): Promise<ReferralCreated> {
  return inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, input.personId);
    const sameOrganisation = actor.grants.some((g) => g.organisationId === person.organisationId);
    if (!canReferPerson(actor, person)) {
      if (!sameOrganisation && !isOhStaffFor(actor, person.organisationId))
        throw new NotFound('No such person.');
      throw new Forbidden('You can refer only people you line manage.');
    }
    const consentAt = requireReferralConsent(input.consent, ctx.now());
    return createReferral(tx, ctx, actor, {
      person,
      source: 'management',
      reason: input.reason,
      questions: input.questions,
      pathway: input.pathway,
      consentAt,
    });
  });
}

/** A member of staff refers themself to OH. */
export async function selfRefer(
  ctx: ServiceContext,
  actor: Actor,
  input: { reason: string; pathway?: string },
): Promise<ReferralCreated> {
  if (!actor.personId) throw new Forbidden('Only a member of staff with a staff record can refer themself.');
  const personId = actor.personId;
  return inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, personId);
    // Asking for help yourself is consent to be seen.
    return createReferral(tx, ctx, actor, {
      person,
      source: 'self',
      reason: input.reason,
      questions: [],
      pathway: input.pathway,
      consentAt: ctx.now(),
    });
  });
}

export type MskSelfReferral = {
  route: MskRoute;
  redFlags: RedFlagCode[];
  advice: string;
  /** The self-referral made, when the route is physiotherapy or self-care; red flags send the person elsewhere now. */
  referral: ReferralCreated | null;
};

/**
 * A member of staff refers themself for a back, joint or muscle problem through the
 * digital triage (DOMAIN.md): red flags first, which stop the self-referral and give
 * urgent advice instead; otherwise the route (fast-track physiotherapy or supported
 * self-care) is recorded with the answers on the referral, for OH to triage.
 */
export async function selfReferMsk(
  ctx: ServiceContext,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<MskSelfReferral> {
  if (!actor.personId) throw new Forbidden('Only a member of staff with a staff record can refer themself.');
  const personId = actor.personId;
  const answers = parseMskTriageAnswers(input);
  const result = triageMsk(answers);
  if (result.route === 'emergency-department' || result.route === 'urgent-care') {
    return { route: result.route, redFlags: result.redFlags, advice: result.advice, referral: null };
  }
  const referral = await inTransaction(ctx, actor, async (tx) => {
    const person = await loadPerson(tx, personId);
    return createReferral(tx, ctx, actor, {
      person,
      source: 'self',
      reason: mskReason(answers),
      questions: [],
      pathway: 'musculoskeletal',
      consentAt: ctx.now(),
      triage: { answers: { ...answers, version: result.version }, route: result.route },
    });
  });
  return { route: result.route, redFlags: [], advice: result.advice, referral };
}

/** The referral reason OH reads, in words, from the triage answers. */
function mskReason(answers: MskTriageAnswers): string {
  const area = MSK_TRIAGE.area.options.find((o) => o.value === answers.area)?.text ?? 'Unknown area';
  const duration = MSK_TRIAGE.duration.options.find((o) => o.value === answers.duration)?.text ?? 'unknown';
  const duties =
    MSK_TRIAGE.normalDuties.options.find((o) => o.value === answers.normalDuties)?.text ?? 'unknown';
  return `Musculoskeletal self-referral (digital triage): ${area}; pain ${answers.painScore ?? '?'} out of 10; for ${duration.toLowerCase()}; normal duties: ${duties.toLowerCase()}. No red flags.`;
}

/** Stores a new referral to the provider serving the person's organisation, and audits it. */
async function createReferral(
  tx: Tx,
  ctx: ServiceContext,
  actor: Actor,
  input: {
    person: { id: string; organisationId: string };
    source: ReferralSource;
    reason: string;
    questions: string[];
    pathway: string | undefined;
    consentAt: Date;
    /** A digital triage's answers and route, recorded with the referral. */
    triage?: { answers: unknown; route: string };
  },
): Promise<ReferralCreated> {
  const provider = await providerServing(tx, input.person.organisationId);
  const id = ctx.newId();
  await tx.insert(referrals).values({
    id,
    organisationId: input.person.organisationId,
    personId: input.person.id,
    providerId: provider.id,
    source: input.source,
    referredByUserId: actor.userId,
    reasonEnc: ctx.cipher.encrypt(input.reason),
    questionsEnc: ctx.cipher.encrypt(JSON.stringify(input.questions)),
    pathway: input.pathway ?? null,
    consentGiven: true,
    consentRecordedAt: input.consentAt,
    status: 'awaiting-triage',
    triageAnswersEnc: input.triage ? ctx.cipher.encrypt(JSON.stringify(input.triage.answers)) : null,
    triageRoute: input.triage?.route ?? null,
    createdAt: ctx.now(),
  });
  await recordAudit(tx, ctx, actor, {
    action: 'referral.create',
    recordType: 'referral',
    recordId: id,
    organisationId: input.person.organisationId,
    role: input.source === 'self' ? 'employee' : 'manager',
  });
  return { id, status: 'awaiting-triage' };
}

/** Pathways whose rule set starts when OH triages a referral onto them (others start from their own events). */
const PATHWAY_RULE_SETS: Record<string, string> = { musculoskeletal: 'msk' };

/** OH triage: set the priority and pathway, assign a clinician, open the case. */
export async function triageReferral(
  ctx: ServiceContext,
  actor: Actor,
  referralId: string,
  input: { priority: Priority; pathway: string; clinicianId: string },
): Promise<{ status: 'triaged'; caseId: string }> {
  return inTransaction(ctx, actor, async (tx) => {
    const referral = await loadReferralForTriage(tx, actor, referralId, 'triage');
    const status = transitionReferral(referral.status as 'awaiting-triage', { type: 'triage' });
    await requireClinicianOfProvider(tx, input.clinicianId, referral.providerId);
    const caseId = ctx.newId();
    await tx.insert(cases).values({
      id: caseId,
      organisationId: referral.organisationId,
      personId: referral.personId,
      referralId: referral.id,
      providerId: referral.providerId,
      pathway: input.pathway,
      priority: input.priority,
      clinicianId: input.clinicianId,
      status: 'awaiting-appointment',
      createdAt: ctx.now(),
    });
    await tx
      .update(referrals)
      .set({
        status,
        priority: input.priority,
        pathway: input.pathway,
        triagedByUserId: actor.userId,
        triagedAt: ctx.now(),
        caseId,
      })
      .where(eq(referrals.id, referral.id));
    await recordAudit(tx, ctx, actor, {
      action: 'referral.triage',
      recordType: 'referral',
      recordId: referral.id,
      organisationId: referral.organisationId,
      role: ohRoleOf(actor, referral.organisationId),
    });
    await recordAudit(tx, ctx, actor, {
      action: 'case.open',
      recordType: 'case',
      recordId: caseId,
      organisationId: referral.organisationId,
      role: ohRoleOf(actor, referral.organisationId),
    });
    const ruleSetCode = PATHWAY_RULE_SETS[input.pathway];
    if (ruleSetCode) {
      // Counted from the self-referral, with the route the digital triage chose (if any).
      await startPathway(tx, ctx, actor, {
        ruleSetCode,
        role: ohRoleOf(actor, referral.organisationId),
        providerId: referral.providerId,
        organisationId: referral.organisationId,
        personId: referral.personId,
        caseId,
        anchorAt: referral.createdAt,
        facts: { route: referral.triageRoute },
      });
    }
    return { status: 'triaged', caseId };
  });
}

/**
 * Loads and locks a referral for OH to triage or decline: 404 to anyone who may not
 * know it exists, 403 to its referrer or subject, and never the actor's own referral.
 */
async function loadReferralForTriage(tx: Tx, actor: Actor, referralId: string, verb: 'triage' | 'decline') {
  const referral = await loadReferralRow(tx, referralId, { lock: true });
  if (!canTriage(actor, referral.organisationId)) {
    if (isVisibleToNonOh(actor, referral)) throw new Forbidden(`Only OH staff can ${verb} a referral.`);
    throw new NotFound('No such referral.');
  }
  if (referral.personId === actor.personId) throw new Forbidden(`You cannot ${verb} your own referral.`);
  return referral;
}

function isVisibleToNonOh(actor: Actor, referral: { referredByUserId: string; personId: string }): boolean {
  return referral.referredByUserId === actor.userId || referral.personId === actor.personId;
}

/** The OH role an actor acts in, for the audit row. */
export function ohRoleOf(actor: Actor, organisationId: string): string {
  return ohRoleFor(actor, organisationId) ?? 'unknown';
}

async function loadReferralRow(
  tx: Parameters<typeof loadPerson>[0],
  referralId: string,
  options: { lock?: boolean } = {},
) {
  if (!isUuid(referralId)) throw new NotFound('No such referral.');
  const query = tx.select().from(referrals).where(eq(referrals.id, referralId)).limit(1);
  // Locked for triage, so two people triaging at once cannot both open a case.
  const [referral] = options.lock ? await query.for('update') : await query;
  if (!referral) throw new NotFound('No such referral.');
  return referral;
}

export type ReferralDetail = {
  id: string;
  status: string;
  source: string;
  organisationId: string;
  organisationName: string;
  providerId: string;
  personId: string;
  personName: string;
  jobTitle: string;
  staffGroup: string;
  securitySensitive: boolean;
  reason: string;
  questions: string[];
  pathway: string | null;
  priority: string | null;
  consentRecordedAt: string | null;
  caseId: string | null;
  createdAt: string;
};

/**
 * One referral in full, for OH staff (audited: the reason is clinical), with how many
 * other referrals and open cases the person has, so triage can spot a duplicate.
 */
export async function getReferral(
  ctx: ServiceContext,
  actor: Actor,
  referralId: string,
): Promise<ReferralDetail & { otherOpenForPerson: number }> {
  return inTransaction(ctx, actor, async (tx) => {
    const referral = await loadReferralRow(tx, referralId);
    if (!isOhStaffFor(actor, referral.organisationId)) throw new NotFound('No such referral.');
    const [detail] = await triageRows(tx, ctx, [eq(referrals.id, referral.id)]);
    if (!detail) throw new NotFound('No such referral.');
    const [waiting] = await tx
      .select({ n: count() })
      .from(referrals)
      .where(
        and(
          eq(referrals.personId, referral.personId),
          eq(referrals.status, 'awaiting-triage'),
          ne(referrals.id, referral.id),
        ),
      );
    const [open] = await tx
      .select({ n: count() })
      .from(cases)
      .where(and(eq(cases.personId, referral.personId), ne(cases.status, 'closed')));
    await recordAudit(tx, ctx, actor, {
      action: 'referral.read',
      recordType: 'referral',
      recordId: referral.id,
      organisationId: referral.organisationId,
      role: ohRoleOf(actor, referral.organisationId),
    });
    return { ...detail, otherOpenForPerson: Number(waiting?.n ?? 0) + Number(open?.n ?? 0) };
  });
}

/** The triage queue: referrals awaiting triage in the organisations the actor's OH provider serves, oldest first. */
export async function listTriageQueue(ctx: ServiceContext, actor: Actor): Promise<ReferralDetail[]> {
  if (!hasAnyRole(actor, OH_ROLES)) throw new Forbidden('Only OH staff can see the triage queue.');
  if (actor.ohOrganisationIds.length === 0) return [];
  return inTransaction(ctx, actor, async (tx) => {
    const rows = await triageRows(tx, ctx, [
      eq(referrals.status, 'awaiting-triage'),
      inArray(referrals.organisationId, actor.ohOrganisationIds),
      // OH staff never triage their own referral.
      actor.personId ? ne(referrals.personId, actor.personId) : undefined,
    ]);
    // The queue shows reasons, so reading it is a clinical read of each referral.
    for (const r of rows) {
      await recordAudit(tx, ctx, actor, {
        action: 'referral.read',
        recordType: 'referral',
        recordId: r.id,
        organisationId: r.organisationId,
        role: ohRoleOf(actor, r.organisationId),
        reason: 'triage queue',
      });
    }
    return rows;
  });
}

async function triageRows(
  tx: Parameters<typeof loadPerson>[0],
  ctx: ServiceContext,
  where: Array<SQL | undefined>,
): Promise<ReferralDetail[]> {
  const rows = await tx
    .select({ referral: referrals, person: people, organisationName: organisations.name })
    .from(referrals)
    .innerJoin(people, eq(people.id, referrals.personId))
    .innerJoin(organisations, eq(organisations.id, referrals.organisationId))
    .innerJoin(ohProviders, eq(ohProviders.id, referrals.providerId))
    .where(and(...where))
    .orderBy(asc(referrals.createdAt))
    .limit(200);
  return rows.map(({ referral: r, person: p, organisationName }) => ({
    id: r.id,
    status: r.status,
    source: r.source,
    organisationId: r.organisationId,
    organisationName,
    providerId: r.providerId,
    personId: p.id,
    personName: `${p.givenName} ${p.familyName}`,
    jobTitle: p.jobTitle,
    staffGroup: p.staffGroup,
    securitySensitive: p.securitySensitive,
    reason: ctx.cipher.decrypt(r.reasonEnc),
    questions: JSON.parse(ctx.cipher.decrypt(r.questionsEnc)) as string[],
    pathway: r.pathway,
    priority: r.priority,
    consentRecordedAt: r.consentRecordedAt?.toISOString() ?? null,
    caseId: r.caseId,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** How many referrals wait for triage in the organisations the actor's provider serves (no clinical detail). */
export async function countTriageQueue(ctx: ServiceContext, actor: Actor): Promise<number> {
  if (!hasAnyRole(actor, OH_ROLES) || actor.ohOrganisationIds.length === 0) return 0;
  const [row] = await inTransaction(ctx, actor, (tx) =>
    tx
      .select({ n: count() })
      .from(referrals)
      .where(
        and(
          eq(referrals.status, 'awaiting-triage'),
          inArray(referrals.organisationId, actor.ohOrganisationIds),
          actor.personId ? ne(referrals.personId, actor.personId) : undefined,
        ),
      ),
  );
  return Number(row?.n ?? 0);
}

/**
 * OH declines a referral (not an OH matter, sent to the wrong service, a duplicate),
 * with a reason the referrer will read: write it for them, without clinical detail.
 */
export async function declineReferral(
  ctx: ServiceContext,
  actor: Actor,
  referralId: string,
  input: { reason: string },
): Promise<{ id: string; status: 'declined' }> {
  return inTransaction(ctx, actor, async (tx) => {
    const referral = await loadReferralForTriage(tx, actor, referralId, 'decline');
    transitionReferral(referral.status as ReferralStatus, { type: 'decline' });
    await tx
      .update(referrals)
      .set({
        status: 'declined',
        triagedByUserId: actor.userId,
        triagedAt: ctx.now(),
        declineReasonEnc: ctx.cipher.encrypt(input.reason),
      })
      .where(eq(referrals.id, referral.id));
    await recordAudit(tx, ctx, actor, {
      action: 'referral.decline',
      recordType: 'referral',
      recordId: referral.id,
      organisationId: referral.organisationId,
      role: ohRoleOf(actor, referral.organisationId),
    });
    return { id: referral.id, status: 'declined' };
  });
}

/** How long a declined referral stays on the referrer's home page. */
const DECLINED_SHOWN_DAYS = 30;

/**
 * Referrals the actor made (for themself, or as a manager) that have no case yet:
 * waiting for triage, or declined in the last 30 days with OH's reason.
 */
export async function listMyOpenReferrals(ctx: ServiceContext, actor: Actor) {
  const since = new Date(ctx.now().getTime() - DECLINED_SHOWN_DAYS * 86_400_000);
  const rows = await inTransaction(ctx, actor, (tx) =>
    tx
      .select({
        id: referrals.id,
        source: referrals.source,
        status: referrals.status,
        pathway: referrals.pathway,
        createdAt: referrals.createdAt,
        triagedAt: referrals.triagedAt,
        declineReasonEnc: referrals.declineReasonEnc,
        personId: referrals.personId,
        givenName: people.givenName,
        familyName: people.familyName,
      })
      .from(referrals)
      .innerJoin(people, eq(people.id, referrals.personId))
      .where(
        and(
          or(
            actor.personId
              ? and(eq(referrals.personId, actor.personId), eq(referrals.source, 'self'))
              : undefined,
            actor.personId
              ? and(eq(referrals.personId, actor.personId), eq(referrals.source, 'management'))
              : undefined,
            and(eq(referrals.referredByUserId, actor.userId), eq(referrals.source, 'management')),
          ),
          or(
            eq(referrals.status, 'awaiting-triage'),
            and(eq(referrals.status, 'declined'), gte(referrals.triagedAt, since)),
          ),
        ),
      )
      .orderBy(asc(referrals.createdAt))
      .limit(50),
  );
  return rows.map(({ declineReasonEnc, givenName, familyName, ...r }) => ({
    ...r,
    personName: `${givenName} ${familyName}`,
    aboutMe: r.personId === actor.personId,
    declineReason: declineReasonEnc ? ctx.cipher.decrypt(declineReasonEnc) : null,
  }));
}
