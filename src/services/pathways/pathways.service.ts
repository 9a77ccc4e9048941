import { and, asc, desc, eq, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/database.ts';
import {
  cases,
  ohProviders,
  organisations,
  pathwayRuleSets,
  pathwayRuns,
  people,
  tasks,
  userRoles,
  users,
} from '../../db/schema.ts';
import { isOhStaffFor } from '../../domain/access/case.policy.ts';
import { canPublishRuleSet } from '../../domain/access/pathway.policy.ts';
import { type Actor, hasAnyRole, OH_ROLES } from '../../domain/access/roles.ts';
import { DEFAULT_RULE_SETS } from '../../domain/pathways/default-rule-sets.ts';
import {
  changeErrors,
  type PathwayFacts,
  type RuleSet,
  ruleSetErrors,
  schedulePathway,
  type TaskAssignee,
} from '../../domain/pathways/rule-set.ts';
import {
  checkTaskOpen,
  type TaskStatus,
  type TaskTiming,
  taskTiming,
  transitionTask,
} from '../../domain/pathways/task.rules.ts';
import { Forbidden, Invalid, NotFound } from '../../domain/shared/errors.ts';
import { auditRead, recordAudit } from '../audit/audit.service.ts';
import { ohRoleOf } from '../referrals/referrals.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { isUuid } from '../shared/lookups.ts';

/**
 * Copies the rule sets OHWB ships into the database as version 1 (provider: none).
 * Idempotent: run at every start. Rule sets hold no one's data and are not behind
 * row-level security, so this needs no scope (docs/security.md).
 */
export async function installDefaultRuleSets(ctx: Pick<ServiceContext, 'db' | 'newId'>): Promise<void> {
  for (const ruleSet of DEFAULT_RULE_SETS) {
    await ctx.db
      .insert(pathwayRuleSets)
      .values({
        id: ctx.newId(),
        providerId: null,
        code: ruleSet.code,
        version: ruleSet.version,
        title: ruleSet.title,
        definition: ruleSet,
        changeNote: 'Shipped with OHWB',
      })
      .onConflictDoNothing();
  }
}

export type StoredRuleSet = { id: string; ruleSet: RuleSet; providerId: string | null; publishedAt: Date };

/** The version of a rule set in force for a provider: its own latest, else the shipped one. */
export async function currentRuleSet(q: Queryable, providerId: string, code: string): Promise<StoredRuleSet> {
  const [row] = await q
    .select()
    .from(pathwayRuleSets)
    .where(
      and(
        eq(pathwayRuleSets.code, code),
        or(eq(pathwayRuleSets.providerId, providerId), isNull(pathwayRuleSets.providerId)),
      ),
    )
    // The provider's own versions win over the shipped ones, the newest first.
    .orderBy(sql`${pathwayRuleSets.providerId} is null`, desc(pathwayRuleSets.version))
    .limit(1);
  if (!row) throw new Error(`Rule set ${code} is not installed.`);
  return {
    id: row.id,
    ruleSet: row.definition as RuleSet,
    providerId: row.providerId,
    publishedAt: row.publishedAt,
  };
}

/** A task as a worklist or a case page shows it. */
export type TaskItem = {
  id: string;
  code: string;
  title: string;
  assignee: TaskAssignee;
  completes: string;
  tests: string[];
  opensAt: string | null;
  dueAt: string;
  closesAt: string | null;
  plannedDueAt: string;
  status: TaskStatus;
  timing: TaskTiming | null;
  overdue: boolean;
  /** Open and in its window, but not due for more than a week: shown as scheduled, not as due now. */
  scheduled: boolean;
  doneAt: string | null;
  personId: string;
  caseId: string | null;
  organisationId: string;
  ruleSet: { code: string; version: number; title: string };
  source: string;
};

/**
 * Starts a pathway for one person inside the caller's transaction: records the run on
 * the version of the rule set in force, and creates its dated tasks.
 */
export async function startPathway(
  tx: Tx,
  ctx: ServiceContext,
  actor: Actor | null,
  input: {
    ruleSetCode: string;
    providerId: string;
    organisationId: string;
    personId: string;
    caseId: string | null;
    anchorAt: Date;
    facts: PathwayFacts;
    /** The role the actor started it in, for the audit row ('system' for the daily sweep). */
    role: string;
  },
): Promise<{
  runId: string;
  tasks: Array<{
    id: string;
    code: string;
    title: string;
    opensAt: Date | null;
    dueAt: Date;
    closesAt: Date | null;
    tests: string[];
  }>;
}> {
  const stored = await currentRuleSet(tx, input.providerId, input.ruleSetCode);
  const runId = ctx.newId();
  await tx.insert(pathwayRuns).values({
    id: runId,
    organisationId: input.organisationId,
    personId: input.personId,
    providerId: input.providerId,
    caseId: input.caseId,
    ruleSetId: stored.id,
    anchorAt: input.anchorAt,
    facts: input.facts,
    startedByUserId: actor?.userId ?? null,
    createdAt: ctx.now(),
  });
  const planned = schedulePathway(stored.ruleSet, input.anchorAt, input.facts).map((task) => ({
    ...task,
    id: ctx.newId(),
  }));
  if (planned.length > 0) {
    await tx.insert(tasks).values(
      planned.map((task) => ({
        id: task.id,
        organisationId: input.organisationId,
        providerId: input.providerId,
        personId: input.personId,
        caseId: input.caseId,
        runId,
        ruleSetId: stored.id,
        code: task.code,
        title: task.title,
        assignee: task.assignee,
        completes: task.completes,
        tests: task.tests,
        source: task.source,
        opensAt: task.opensAt,
        dueAt: task.dueAt,
        closesAt: task.closesAt,
        plannedDueAt: task.dueAt,
        status: 'open',
        createdAt: ctx.now(),
      })),
    );
  }
  await recordAudit(tx, ctx, actor, {
    action: 'pathway.start',
    recordType: 'pathway-run',
    recordId: runId,
    organisationId: input.organisationId,
    role: input.role,
    reason: `${stored.ruleSet.code} v${stored.ruleSet.version}`,
  });
  return { runId, tasks: planned };
}

/** The columns of a task row with its rule set, for every query that shows tasks. */
export const taskColumns = {
  id: tasks.id,
  code: tasks.code,
  title: tasks.title,
  assignee: tasks.assignee,
  completes: tasks.completes,
  tests: tasks.tests,
  opensAt: tasks.opensAt,
  dueAt: tasks.dueAt,
  closesAt: tasks.closesAt,
  plannedDueAt: tasks.plannedDueAt,
  status: tasks.status,
  doneAt: tasks.doneAt,
  personId: tasks.personId,
  caseId: tasks.caseId,
  organisationId: tasks.organisationId,
  source: tasks.source,
  ruleSetCode: pathwayRuleSets.code,
  ruleSetVersion: pathwayRuleSets.version,
  ruleSetTitle: pathwayRuleSets.title,
};

/** A task row with its rule set, as read from the database. */
export type TaskRow = {
  [K in keyof typeof taskColumns]:
    | (typeof taskColumns)[K]['_']['data']
    | (K extends 'opensAt' | 'closesAt' | 'doneAt' | 'caseId' ? null : never);
};

/** A task due further off than this is "scheduled" rather than "due". */
const SCHEDULED_AFTER_MS = 7 * 86_400_000;

/** A stored task as pages and the API show it, its timing worked out at `now`. */
export function toTaskItem(row: TaskRow, now: Date): TaskItem {
  const status = row.status as TaskStatus;
  const timing = taskTiming({ status, opensAt: row.opensAt, dueAt: row.dueAt, closesAt: row.closesAt }, now);
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    assignee: row.assignee as TaskAssignee,
    completes: row.completes,
    tests: row.tests,
    opensAt: row.opensAt?.toISOString() ?? null,
    dueAt: row.dueAt.toISOString(),
    closesAt: row.closesAt?.toISOString() ?? null,
    plannedDueAt: row.plannedDueAt.toISOString(),
    status,
    timing,
    overdue: timing === 'overdue' || timing === 'closed',
    scheduled: timing === 'due' && row.dueAt.getTime() - now.getTime() > SCHEDULED_AFTER_MS,
    doneAt: row.doneAt?.toISOString() ?? null,
    personId: row.personId,
    caseId: row.caseId,
    organisationId: row.organisationId,
    ruleSet: { code: row.ruleSetCode, version: row.ruleSetVersion, title: row.ruleSetTitle },
    source: row.source,
  };
}

/** A worklist row: the task with the person it is for (OH staff only). */
export type WorklistItem = TaskItem & { personName: string; organisationName: string };

const WORKLIST_PAGE = 100;

/**
 * The OH worklist: tasks of the organisations the actor's provider serves, soonest
 * due first, overdue marked. Never the actor's own tasks.
 */
export async function listTasks(
  ctx: ServiceContext,
  actor: Actor,
  filter: { status?: TaskStatus; dueBefore?: Date; organisation?: string; caseId?: string; after?: string },
): Promise<{ items: WorklistItem[]; next: string | null }> {
  if (!hasAnyRole(actor, OH_ROLES)) throw new Forbidden('Only OH staff have a task worklist.');
  let organisationIds = actor.ohOrganisationIds;
  if (filter.organisation !== undefined) {
    const [org] = await ctx.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, filter.organisation))
      .limit(1);
    // An organisation the actor does not serve lists nothing, as if it did not exist.
    organisationIds = org && organisationIds.includes(org.id) ? [org.id] : [];
  }
  // A case id that cannot exist matches nothing (rather than being ignored and listing everything).
  if (organisationIds.length === 0 || (filter.caseId !== undefined && !isUuid(filter.caseId))) {
    return { items: [], next: null };
  }
  const offset = filter.after && /^\d{1,6}$/.test(filter.after) ? Number(filter.after) : 0;
  const conditions: Array<SQL | undefined> = [
    inArray(tasks.organisationId, organisationIds),
    eq(tasks.status, filter.status ?? 'open'),
    filter.dueBefore ? lte(tasks.dueAt, filter.dueBefore) : undefined,
    filter.caseId ? eq(tasks.caseId, filter.caseId) : undefined,
    actor.personId ? sql`${tasks.personId} <> ${actor.personId}` : undefined,
  ];
  const rows = await inTransaction(ctx, actor, (tx) =>
    tx
      .select({
        ...taskColumns,
        givenName: people.givenName,
        familyName: people.familyName,
        organisationName: organisations.name,
      })
      .from(tasks)
      .innerJoin(pathwayRuleSets, eq(pathwayRuleSets.id, tasks.ruleSetId))
      .innerJoin(people, eq(people.id, tasks.personId))
      .innerJoin(organisations, eq(organisations.id, tasks.organisationId))
      .where(and(...conditions))
      .orderBy(asc(tasks.dueAt), asc(tasks.id))
      .limit(WORKLIST_PAGE + 1)
      .offset(offset),
  );
  const now = ctx.now();
  const items = rows.slice(0, WORKLIST_PAGE).map(({ givenName, familyName, organisationName, ...row }) => ({
    ...toTaskItem(row, now),
    personName: `${givenName} ${familyName}`,
    organisationName,
  }));
  return { items, next: rows.length > WORKLIST_PAGE ? String(offset + WORKLIST_PAGE) : null };
}

/**
 * The person's own open pathway tasks, soonest first: "what happens next and when"
 * on their home page (tasks of a case also show on the case).
 */
export async function listMyTasks(ctx: ServiceContext, actor: Actor): Promise<TaskItem[]> {
  const personId = actor.personId;
  if (!personId) return [];
  const rows = await inTransaction(ctx, actor, (tx) =>
    tx
      .select(taskColumns)
      .from(tasks)
      .innerJoin(pathwayRuleSets, eq(pathwayRuleSets.id, tasks.ruleSetId))
      .where(and(eq(tasks.personId, personId), eq(tasks.status, 'open')))
      .orderBy(asc(tasks.dueAt), asc(tasks.id))
      .limit(50),
  );
  if (rows.length > 0) {
    await auditRead(ctx, actor, {
      action: 'task.list-own',
      recordType: 'person',
      recordId: personId,
      organisationId: rows[0]?.organisationId ?? null,
      role: 'employee',
    });
  }
  const now = ctx.now();
  return rows.map((row) => toTaskItem(row, now));
}

/** One task with what was recorded on it, for the task page. */
export type TaskDetail = WorklistItem & {
  completes: string;
  outcome: string | null;
  notes: string | null;
  reason: string | null;
  doneBy: string | null;
  anchor: string;
  anchorAt: string;
  /** What the actor may do with it. */
  canChange: boolean;
};

/**
 * A task as OH staff see it, with its outcome and notes decrypted; the read is
 * audited. Anyone outside the provider's reach gets 404.
 */
export async function getTask(ctx: ServiceContext, actor: Actor, taskId: string): Promise<TaskDetail> {
  if (!isUuid(taskId)) throw new NotFound('No such task.');
  const [row] = await inTransaction(ctx, actor, (tx) =>
    tx
      .select({
        ...taskColumns,
        outcomeEnc: tasks.outcomeEnc,
        notesEnc: tasks.notesEnc,
        reasonEnc: tasks.reasonEnc,
        doneBy: users.displayName,
        givenName: people.givenName,
        familyName: people.familyName,
        organisationName: organisations.name,
        definition: pathwayRuleSets.definition,
        anchorAt: pathwayRuns.anchorAt,
      })
      .from(tasks)
      .innerJoin(pathwayRuleSets, eq(pathwayRuleSets.id, tasks.ruleSetId))
      .innerJoin(pathwayRuns, eq(pathwayRuns.id, tasks.runId))
      .innerJoin(people, eq(people.id, tasks.personId))
      .innerJoin(organisations, eq(organisations.id, tasks.organisationId))
      .leftJoin(users, eq(users.id, tasks.doneByUserId))
      .where(eq(tasks.id, taskId))
      .limit(1),
  );
  if (!row) throw new NotFound('No such task.');
  // OH staff are never the clinician of their own record; the person sees their tasks on their case.
  if (row.personId === actor.personId)
    throw new Forbidden('You cannot open the OH record of a task about yourself.');
  if (!isOhStaffFor(actor, row.organisationId)) throw new NotFound('No such task.');
  const {
    outcomeEnc,
    notesEnc,
    reasonEnc,
    doneBy,
    givenName,
    familyName,
    organisationName,
    definition,
    anchorAt,
    ...task
  } = row;
  await auditRead(ctx, actor, {
    action: 'task.read',
    recordType: 'task',
    recordId: row.id,
    organisationId: row.organisationId,
    role: ohRoleOf(actor, row.organisationId),
  });
  const decrypt = (value: string | null) => (value ? ctx.cipher.decrypt(value) : null);
  return {
    ...toTaskItem(task, ctx.now()),
    personName: `${givenName} ${familyName}`,
    organisationName,
    outcome: decrypt(outcomeEnc),
    notes: decrypt(notesEnc),
    reason: decrypt(reasonEnc),
    doneBy,
    anchor: (definition as RuleSet).anchor,
    anchorAt: anchorAt.toISOString(),
    canChange: row.status === 'open' && row.personId !== actor.personId,
  };
}

/** Loads and locks a task the actor may work on (OH staff of its organisation, not their own), or 404/403. */
async function loadTaskForChange(tx: Tx, actor: Actor, taskId: string) {
  if (!isUuid(taskId)) throw new NotFound('No such task.');
  const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update').limit(1);
  if (!task) throw new NotFound('No such task.');
  // The person can see the tasks of their own case, so they are told no rather than "not found".
  if (task.personId === actor.personId) throw new Forbidden('You cannot work on a task about yourself.');
  if (!isOhStaffFor(actor, task.organisationId)) throw new NotFound('No such task.');
  return task;
}

/** What a change to a task leaves behind. */
export type TaskChanged = { id: string; status: TaskStatus; dueAt: string };

/** OH staff mark a task done, with what was found or done. */
export async function completeTask(
  ctx: ServiceContext,
  actor: Actor,
  taskId: string,
  input: { outcome?: string; notes?: string },
): Promise<TaskChanged> {
  return inTransaction(ctx, actor, async (tx) => {
    const task = await loadTaskForChange(tx, actor, taskId);
    const status = transitionTask(task.status as TaskStatus, { type: 'complete' });
    checkTaskOpen(task, ctx.now());
    await tx
      .update(tasks)
      .set({
        status,
        outcomeEnc: input.outcome ? ctx.cipher.encrypt(input.outcome) : null,
        notesEnc: input.notes ? ctx.cipher.encrypt(input.notes) : null,
        doneAt: ctx.now(),
        doneByUserId: actor.userId,
      })
      .where(eq(tasks.id, task.id));
    await auditTask(tx, ctx, actor, task, 'task.complete', null);
    return { id: task.id, status, dueAt: task.dueAt.toISOString() };
  });
}

/** OH staff skip a task that no longer applies, saying why. */
export async function skipTask(
  ctx: ServiceContext,
  actor: Actor,
  taskId: string,
  input: { reason: string },
): Promise<TaskChanged> {
  return inTransaction(ctx, actor, async (tx) => {
    const task = await loadTaskForChange(tx, actor, taskId);
    const status = transitionTask(task.status as TaskStatus, { type: 'skip', reason: input.reason });
    await tx
      .update(tasks)
      .set({
        status,
        reasonEnc: ctx.cipher.encrypt(input.reason),
        doneAt: ctx.now(),
        doneByUserId: actor.userId,
      })
      .where(eq(tasks.id, task.id));
    await auditTask(tx, ctx, actor, task, 'task.skip', input.reason);
    return { id: task.id, status, dueAt: task.dueAt.toISOString() };
  });
}

/** OH staff move a task's due time, saying why; the pathway's own date is kept beside it. */
export async function rescheduleTask(
  ctx: ServiceContext,
  actor: Actor,
  taskId: string,
  input: { dueAt: Date; reason: string },
): Promise<TaskChanged> {
  return inTransaction(ctx, actor, async (tx) => {
    const task = await loadTaskForChange(tx, actor, taskId);
    const status = transitionTask(task.status as TaskStatus, {
      type: 'reschedule',
      reason: input.reason,
      dueAt: input.dueAt,
    });
    if (task.opensAt && input.dueAt.getTime() < task.opensAt.getTime()) {
      throw new Invalid('The new due time is before the task opens.', [
        { path: '/dueAt', message: 'Choose a time after the task opens.' },
      ]);
    }
    await tx
      .update(tasks)
      .set({ status, dueAt: input.dueAt, reasonEnc: ctx.cipher.encrypt(input.reason), remindedAt: null })
      .where(eq(tasks.id, task.id));
    await auditTask(tx, ctx, actor, task, 'task.reschedule', input.reason);
    return { id: task.id, status, dueAt: input.dueAt.toISOString() };
  });
}

async function auditTask(
  tx: Tx,
  ctx: ServiceContext,
  actor: Actor,
  task: { id: string; organisationId: string },
  action: string,
  reason: string | null,
) {
  await recordAudit(tx, ctx, actor, {
    action,
    recordType: 'task',
    recordId: task.id,
    organisationId: task.organisationId,
    role: ohRoleOf(actor, task.organisationId),
    reason,
  });
}

/** A rule set version as the pathways page lists it. */
export type RuleSetVersion = {
  id: string;
  code: string;
  version: number;
  title: string;
  shipped: boolean;
  /** The version new pathways start on: the provider's own latest, else the shipped one. */
  inForce: boolean;
  changeNote: string | null;
  publishedAt: string;
  publishedBy: string | null;
  ruleSet: RuleSet;
};

/** The providers whose pathways the actor may read (OH staff) or change (OH physicians). */
async function providersOf(q: Queryable, actor: Actor, roles: readonly string[]): Promise<string[]> {
  const hosts = actor.grants.filter((g) => roles.includes(g.role)).map((g) => g.organisationId);
  if (hosts.length === 0) return [];
  const rows = await q
    .select({ id: ohProviders.id })
    .from(ohProviders)
    .where(inArray(ohProviders.hostOrganisationId, hosts));
  return rows.map((r) => r.id);
}

/** Every version of every rule set in force at the actor's provider, newest first (OH staff). */
export async function listRuleSets(ctx: ServiceContext, actor: Actor): Promise<RuleSetVersion[]> {
  const providerIds = await providersOf(ctx.db, actor, OH_ROLES);
  if (providerIds.length === 0) throw new Forbidden('Only OH staff can read the pathway rule sets.');
  const rows = await ctx.db
    .select({ row: pathwayRuleSets, publishedBy: users.displayName })
    .from(pathwayRuleSets)
    .leftJoin(users, eq(users.id, pathwayRuleSets.publishedByUserId))
    .where(or(isNull(pathwayRuleSets.providerId), inArray(pathwayRuleSets.providerId, providerIds)))
    .orderBy(asc(pathwayRuleSets.code), desc(pathwayRuleSets.version));
  // The same rule as currentRuleSet: per code, the provider's newest version wins over the shipped ones.
  const inForce = new Map<string, { id: string; own: boolean; version: number }>();
  for (const { row } of rows) {
    const best = inForce.get(row.code);
    const own = row.providerId !== null;
    if (!best || (own && !best.own) || (own === best.own && row.version > best.version)) {
      inForce.set(row.code, { id: row.id, own, version: row.version });
    }
  }
  return rows.map(({ row, publishedBy }) => ({
    id: row.id,
    code: row.code,
    version: row.version,
    title: row.title,
    shipped: row.providerId === null,
    inForce: inForce.get(row.code)?.id === row.id,
    changeNote: row.changeNote,
    publishedAt: row.publishedAt.toISOString(),
    publishedBy,
    ruleSet: row.definition as RuleSet,
  }));
}

/**
 * An OH physician publishes a new version of a rule set for their provider. Running
 * pathways keep the version they started on; new ones use this.
 */
export async function publishRuleSet(
  ctx: ServiceContext,
  actor: Actor,
  code: string,
  input: { steps: RuleSet['steps']; settings?: Record<string, number>; changeNote: string },
): Promise<{ id: string; code: string; version: number }> {
  const [providerId] = await providersOf(ctx.db, actor, ['oh-physician']);
  if (!providerId || !canPublishRuleSet(actor)) {
    throw new Forbidden('Only an OH physician can publish a new version of a pathway.');
  }
  if (input.changeNote.trim() === '') {
    throw new Invalid('Say what changed and why.', [
      { path: '/changeNote', message: 'Enter what changed and why.' },
    ]);
  }
  return inTransaction(ctx, actor, async (tx) => {
    // One publisher at a time per rule set, so two physicians cannot both make version n + 1.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${providerId}:${code}`}))`);
    const current = await currentRuleSet(tx, providerId, code).catch(() => null);
    if (!current) throw new NotFound('No such pathway.');
    const [latest] = await tx
      .select({ version: pathwayRuleSets.version })
      .from(pathwayRuleSets)
      .where(
        and(
          eq(pathwayRuleSets.code, code),
          or(eq(pathwayRuleSets.providerId, providerId), isNull(pathwayRuleSets.providerId)),
        ),
      )
      .orderBy(desc(pathwayRuleSets.version))
      .limit(1);
    const version = (latest?.version ?? current.ruleSet.version) + 1;
    const ruleSet: RuleSet = {
      ...current.ruleSet,
      version,
      steps: input.steps,
      settings: input.settings ?? current.ruleSet.settings,
    };
    const errors = [...changeErrors(current.ruleSet, ruleSet), ...ruleSetErrors(ruleSet)];
    if (errors.length > 0) throw new Invalid('The pathway has problems; nothing was published.', errors);
    const id = ctx.newId();
    await tx.insert(pathwayRuleSets).values({
      id,
      providerId,
      code,
      version,
      title: ruleSet.title,
      definition: ruleSet,
      changeNote: input.changeNote,
      publishedByUserId: actor.userId,
      publishedAt: ctx.now(),
    });
    const [host] = await tx
      .select({ organisationId: ohProviders.hostOrganisationId })
      .from(ohProviders)
      .where(eq(ohProviders.id, providerId));
    await recordAudit(tx, ctx, actor, {
      action: 'pathway.publish',
      recordType: 'pathway-rule-set',
      recordId: id,
      organisationId: host?.organisationId ?? null,
      role: 'oh-physician',
      reason: `${code} v${version}: ${input.changeNote}`,
    });
    return { id, code, version };
  });
}

/** Used by the reminder sweep: who hears about a task (the case's clinician, else the provider's OH admins). */
export async function reminderRecipients(q: Queryable, task: { caseId: string | null; providerId: string }) {
  if (task.caseId) {
    const [row] = await q
      .select({ email: users.email, name: users.displayName })
      .from(cases)
      .innerJoin(users, eq(users.id, cases.clinicianId))
      .where(and(eq(cases.id, task.caseId), eq(users.disabled, false)));
    if (row) return [row];
  }
  return q
    .select({ email: users.email, name: users.displayName })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(ohProviders, eq(ohProviders.hostOrganisationId, userRoles.organisationId))
    .where(
      and(eq(ohProviders.id, task.providerId), eq(userRoles.role, 'oh-admin'), eq(users.disabled, false)),
    );
}
