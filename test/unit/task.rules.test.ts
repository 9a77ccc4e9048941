import { describe, expect, it } from 'vitest';
import {
  checkTaskOpen,
  TASK_STATUSES,
  TASK_TIMING_LABELS,
  type TaskEvent,
  type TaskStatus,
  type TaskTiming,
  taskTiming,
  transitionTask,
} from '../../src/domain/pathways/task.rules.ts';
import { RuleRefused } from '../../src/domain/shared/errors.ts';

const REFUSED = 'refused' as const;
type Outcome = TaskStatus | typeof REFUSED;

const EVENTS: Record<TaskEvent['type'], TaskEvent> = {
  complete: { type: 'complete' },
  skip: { type: 'skip', reason: 'Declined PEP after counselling' },
  reschedule: { type: 'reschedule', reason: 'On leave that week', dueAt: new Date('2026-05-16T13:00:00Z') },
};

/** Every status × every event. A Record over the status union fails to compile when a status is added. */
const TABLE: Record<TaskStatus, Record<TaskEvent['type'], Outcome>> = {
  open: { complete: 'completed', skip: 'skipped', reschedule: 'open' },
  completed: { complete: REFUSED, skip: REFUSED, reschedule: REFUSED },
  skipped: { complete: REFUSED, skip: REFUSED, reschedule: REFUSED },
};

function outcome(status: TaskStatus, event: TaskEvent): Outcome {
  try {
    return transitionTask(status, event);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleRefused);
    expect((error as RuleRefused).status).toBe(422);
    expect((error as Error).message).toBe(`This task is already ${status}; nothing more can be done to it.`);
    return REFUSED;
  }
}

describe('transitionTask', () => {
  it('covers every status in the table', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...TASK_STATUSES].sort());
  });

  const rows = TASK_STATUSES.flatMap((status) =>
    (Object.keys(EVENTS) as Array<TaskEvent['type']>).map((type) => ({
      status,
      type,
      expected: TABLE[status][type],
    })),
  );
  it.each(rows)('$status + $type → $expected', ({ status, type, expected }) => {
    expect(outcome(status, EVENTS[type])).toBe(expected);
  });

  it.each([
    ['skip', ''],
    ['skip', '   '],
    ['skip', '\n\t'],
    ['reschedule', ''],
    ['reschedule', '  '],
  ] as const)('refuses to %s an open task with the blank reason %j, naming /reason', (type, reason) => {
    const event: TaskEvent =
      type === 'skip' ? { type, reason } : { type, reason, dueAt: new Date('2026-05-16T13:00:00Z') };
    let caught: unknown;
    try {
      transitionTask('open', event);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RuleRefused);
    expect((caught as RuleRefused).message).toBe(
      type === 'skip' ? 'Say why the task is skipped.' : 'Say why the task is moved.',
    );
    expect((caught as RuleRefused).errors).toEqual([{ path: '/reason', message: 'Enter a reason.' }]);
  });

  it('refuses a done task whatever the reason, before looking at the reason', () => {
    for (const status of ['completed', 'skipped'] as const) {
      expect(() => transitionTask(status, { type: 'skip', reason: '' })).toThrow(/already/);
      expect(() => transitionTask(status, { type: 'reschedule', reason: '', dueAt: new Date() })).toThrow(
        /already/,
      );
    }
  });
});

describe('taskTiming', () => {
  const opensAt = new Date('2026-04-25T13:00:00Z');
  const dueAt = new Date('2026-05-09T13:00:00Z');
  const closesAt = new Date('2026-05-12T13:00:00Z');
  const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
  const open = { status: 'open' as const, opensAt, dueAt, closesAt };

  it.each<[string, Date, TaskTiming]>([
    ['long before it opens', new Date('2026-01-01T00:00:00Z'), 'upcoming'],
    ['one ms before it opens', ms(opensAt, -1), 'upcoming'],
    ['the instant it opens', opensAt, 'due'],
    ['between opening and due', new Date('2026-05-01T12:00:00Z'), 'due'],
    ['the instant it is due (not yet overdue)', dueAt, 'due'],
    ['one ms after it is due', ms(dueAt, 1), 'overdue'],
    ['the instant it closes (still overdue)', closesAt, 'overdue'],
    ['one ms after it closes', ms(closesAt, 1), 'closed'],
    ['long after it closes', new Date('2030-01-01T00:00:00Z'), 'closed'],
  ])('%s → %s', (_label, now, expected) => {
    expect(taskTiming(open, now)).toBe(expected);
  });

  it('a task with no opening time is due at once, and one with no closing time stays overdue', () => {
    const task = { status: 'open' as const, opensAt: null, dueAt, closesAt: null };
    expect(taskTiming(task, new Date('2000-01-01T00:00:00Z'))).toBe('due');
    expect(taskTiming(task, dueAt)).toBe('due');
    expect(taskTiming(task, ms(dueAt, 1))).toBe('overdue');
    expect(taskTiming(task, new Date('2100-01-01T00:00:00Z'))).toBe('overdue');
  });

  it('the HIV PEP decision: due at 1 hour, overdue after, closed after 72 hours', () => {
    // Exposure Sat 28 Mar 2026 14:00 GMT: due 15:00Z, closes 31 Mar 14:00Z.
    const pep = {
      status: 'open' as const,
      opensAt: null,
      dueAt: new Date('2026-03-28T15:00:00Z'),
      closesAt: new Date('2026-03-31T14:00:00Z'),
    };
    expect(taskTiming(pep, new Date('2026-03-28T14:30:00Z'))).toBe('due');
    expect(taskTiming(pep, new Date('2026-03-28T15:00:00Z'))).toBe('due');
    expect(taskTiming(pep, new Date('2026-03-28T15:00:00.001Z'))).toBe('overdue');
    expect(taskTiming(pep, new Date('2026-03-31T14:00:00Z'))).toBe('overdue');
    expect(taskTiming(pep, new Date('2026-03-31T14:00:00.001Z'))).toBe('closed');
  });

  it.each(['completed', 'skipped'] as const)('a %s task is neither late nor upcoming', (status) => {
    for (const now of [ms(opensAt, -1), opensAt, dueAt, ms(dueAt, 1), ms(closesAt, 1)]) {
      expect(taskTiming({ ...open, status }, now)).toBeNull();
    }
  });

  it('has a label for every timing', () => {
    expect(TASK_TIMING_LABELS).toEqual({
      upcoming: 'Not yet open',
      due: 'Due',
      overdue: 'Overdue',
      closed: 'Window closed',
    });
  });
});

describe('checkTaskOpen', () => {
  // The 4–6 week BBV tests of an exposure on Sat 28 Mar 2026 14:00 GMT open on 25 Apr 14:00 BST.
  const opensAt = new Date('2026-04-25T13:00:00Z');

  it('refuses to do a task before it opens, saying when it opens on the London clock', () => {
    expect(() => checkTaskOpen({ opensAt }, new Date(opensAt.getTime() - 1))).toThrow(RuleRefused);
    expect(() => checkTaskOpen({ opensAt }, new Date('2026-03-30T09:00:00Z'))).toThrow(
      'This task opens on Saturday 25 April 2026, 2:00pm; it cannot be done before then. Move it or skip it instead.',
    );
  });

  it('allows it from the instant it opens, and at any time when it has no opening time', () => {
    expect(() => checkTaskOpen({ opensAt }, opensAt)).not.toThrow();
    expect(() => checkTaskOpen({ opensAt }, new Date('2026-06-01T00:00:00Z'))).not.toThrow();
    expect(() => checkTaskOpen({ opensAt: null }, new Date('2000-01-01T00:00:00Z'))).not.toThrow();
  });
});
