import { RuleRefused } from '../shared/errors.ts';
import { formatLondonDateTime } from '../time/london.ts';

export const TASK_STATUSES = ['open', 'completed', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** What can happen to a task. A reason is required to skip or reschedule one. */
export type TaskEvent =
  | { type: 'complete' }
  | { type: 'skip'; reason: string }
  | { type: 'reschedule'; reason: string; dueAt: Date };

/** The next status of a task, or a refusal a person can act on. */
export function transitionTask(status: TaskStatus, event: TaskEvent): TaskStatus {
  if (status !== 'open') {
    throw new RuleRefused(`This task is already ${status}; nothing more can be done to it.`);
  }
  switch (event.type) {
    case 'complete':
      return 'completed';
    case 'skip':
      if (event.reason.trim() === '') {
        throw new RuleRefused('Say why the task is skipped.', [
          { path: '/reason', message: 'Enter a reason.' },
        ]);
      }
      return 'skipped';
    case 'reschedule':
      if (event.reason.trim() === '') {
        throw new RuleRefused('Say why the task is moved.', [
          { path: '/reason', message: 'Enter a reason.' },
        ]);
      }
      return 'open';
  }
}

/**
 * A task with an opening time cannot be done before it: a blood test taken before
 * its window can miss an infection (the 4–6 week BBV tests open at 4 weeks).
 */
export function checkTaskOpen(task: { opensAt: Date | null }, now: Date): void {
  if (task.opensAt && now.getTime() < task.opensAt.getTime()) {
    throw new RuleRefused(
      `This task opens on ${formatLondonDateTime(task.opensAt)}; it cannot be done before then. Move it or skip it instead.`,
    );
  }
}

/** Where an open task stands at `now`: not yet open, open, overdue, or closed (past its hard limit). */
export type TaskTiming = 'upcoming' | 'due' | 'overdue' | 'closed';

/** The timing of a task at `now`; done tasks are neither late nor upcoming. */
export function taskTiming(
  task: { status: TaskStatus; opensAt: Date | null; dueAt: Date; closesAt: Date | null },
  now: Date,
): TaskTiming | null {
  if (task.status !== 'open') return null;
  const t = now.getTime();
  if (task.closesAt && t > task.closesAt.getTime()) return 'closed';
  if (t > task.dueAt.getTime()) return 'overdue';
  if (task.opensAt && t < task.opensAt.getTime()) return 'upcoming';
  return 'due';
}

/** Labels for the timing tags on worklists and case pages. */
export const TASK_TIMING_LABELS: Record<TaskTiming, string> = {
  upcoming: 'Not yet open',
  due: 'Due',
  overdue: 'Overdue',
  closed: 'Window closed',
};
