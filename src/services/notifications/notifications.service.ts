import { and, asc, desc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import { outbox, tasks, users } from '../../db/schema.ts';
import { type Actor, hasRole } from '../../domain/access/roles.ts';
import { formatLondonDateTime } from '../../domain/time/london.ts';
import { reminderRecipients } from '../pathways/pathways.service.ts';
import { inTransaction, type ServiceContext, systemScope } from '../shared/context.ts';

/** How far ahead a task is reminded of: due within a day, or already overdue. */
const REMIND_AHEAD_MS = 24 * 3_600_000;

/**
 * Puts a reminder in the outbox for each open task due within a day (or overdue)
 * that has not had one: to the case's clinician, else the provider's OH
 * administrators. Email is not a safe channel for health data, so a reminder says
 * only that a task is due and links to it; no name, no pathway, no clinical word.
 * Returns how many reminders were queued.
 */
export async function queueTaskReminders(ctx: ServiceContext, publicUrl: string): Promise<number> {
  const now = ctx.now();
  // System scope: no one is signed in, and the sweep covers every organisation's tasks.
  const reach = systemScope('task-reminders');
  const due = await inTransaction(ctx, reach, (tx) =>
    tx
      .select({
        id: tasks.id,
        caseId: tasks.caseId,
        providerId: tasks.providerId,
        organisationId: tasks.organisationId,
        dueAt: tasks.dueAt,
      })
      .from(tasks)
      .where(
        and(
          eq(tasks.status, 'open'),
          isNull(tasks.remindedAt),
          lte(tasks.dueAt, new Date(now.getTime() + REMIND_AHEAD_MS)),
        ),
      )
      .orderBy(asc(tasks.dueAt))
      .limit(500),
  );
  let queued = 0;
  for (const task of due) {
    await inTransaction(ctx, reach, async (tx) => {
      // Claim the task first: two servers running the sweep remind once.
      const claimed = await tx
        .update(tasks)
        .set({ remindedAt: now })
        .where(and(eq(tasks.id, task.id), isNull(tasks.remindedAt)))
        .returning({ id: tasks.id });
      if (claimed.length === 0) return;
      const overdue = task.dueAt.getTime() < now.getTime();
      for (const to of await reminderRecipients(tx, task)) {
        await tx.insert(outbox).values({
          id: ctx.newId(),
          organisationId: task.organisationId,
          toAddress: to.email,
          subject: overdue ? 'OHWB: a task is overdue' : 'OHWB: a task is due soon',
          body: [
            `Hello ${to.name},`,
            '',
            `A pathway task on your worklist ${overdue ? 'was' : 'is'} due ${formatLondonDateTime(task.dueAt)}.`,
            `Open it in OHWB: ${publicUrl}/tasks/${task.id}`,
            '',
            'This email leaves out who it is about and why, on purpose. Sign in to see the details.',
          ].join('\n'),
          createdAt: now,
        });
        queued += 1;
      }
    });
  }
  return queued;
}

/** Sends one email; given by the SMTP transport, or nothing when none is configured. */
export type SendMail = (message: { to: string; subject: string; text: string }) => Promise<void>;

/** Reminders older than this are not sent late: the task page and the worklist say it all by then. */
const STALE_MS = 2 * 86_400_000;

/**
 * Sends what waits in the outbox, oldest first. Each email is claimed before it is
 * sent, so two processes never send one twice; a failure puts it back to try again.
 * Returns how many went and the errors met (the caller logs them).
 */
export async function deliverOutbox(
  ctx: ServiceContext,
  send: SendMail,
): Promise<{ sent: number; errors: string[] }> {
  const since = new Date(ctx.now().getTime() - STALE_MS);
  // System scope: the outbox holds every organisation's email. Each claim and each
  // release is a transaction of its own, and nothing is held open while mail is sent.
  const reach = systemScope('outbox-delivery');
  const waiting = await inTransaction(ctx, reach, (tx) =>
    tx
      .select()
      .from(outbox)
      .where(and(isNull(outbox.sentAt), gte(outbox.createdAt, since)))
      .orderBy(asc(outbox.createdAt))
      .limit(100),
  );
  let sent = 0;
  const errors: string[] = [];
  for (const message of waiting) {
    const claimed = await inTransaction(ctx, reach, (tx) =>
      tx
        .update(outbox)
        .set({ sentAt: ctx.now() })
        .where(and(eq(outbox.id, message.id), isNull(outbox.sentAt)))
        .returning({ id: outbox.id }),
    );
    if (claimed.length === 0) continue;
    try {
      await send({ to: message.toAddress, subject: message.subject, text: message.body });
      sent += 1;
    } catch (error) {
      await inTransaction(ctx, reach, (tx) =>
        tx.update(outbox).set({ sentAt: null }).where(eq(outbox.id, message.id)),
      );
      errors.push(`${message.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { sent, errors };
}

export type MessageItem = {
  id: string;
  to: string;
  subject: string;
  body: string;
  createdAt: Date;
  sentAt: Date | null;
};

/**
 * Email the service has written, for when no SMTP server is configured: each person
 * reads their own; a system administrator also reads what went to their system's
 * organisations. The last 30 days.
 */
export async function listMessages(ctx: ServiceContext, actor: Actor): Promise<MessageItem[]> {
  const since = new Date(ctx.now().getTime() - 30 * 86_400_000);
  const systemWide =
    hasRole(actor, 'sysadmin') && actor.systemOrganisationIds.length > 0
      ? inArray(outbox.organisationId, actor.systemOrganisationIds)
      : undefined;
  const rows = await inTransaction(ctx, actor, async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
    const own = eq(outbox.toAddress, user?.email ?? '');
    return tx
      .select()
      .from(outbox)
      .where(and(gte(outbox.createdAt, since), systemWide ? or(own, systemWide) : own))
      .orderBy(desc(outbox.createdAt))
      .limit(200);
  });
  return rows.map((r) => ({
    id: r.id,
    to: r.toAddress,
    subject: r.subject,
    body: r.body,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
  }));
}
