import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decisionStatus,
  needsDecisionFollowUp,
  REPORT_DECISIONS,
  REPORT_STATUSES,
  type ReportEvent,
  type ReportStatus,
  transitionReport,
} from '../../src/domain/reports/report.rules.ts';
import { RuleRefused } from '../../src/domain/shared/errors.ts';

const REFUSED = 'refused' as const;
type Outcome = ReportStatus | typeof REFUSED;

const EVENTS = {
  release: { type: 'decide', decision: 'release' },
  'request-correction': { type: 'decide', decision: 'request-correction' },
  withhold: { type: 'decide', decision: 'withhold' },
  supersede: { type: 'supersede' },
} satisfies Record<string, ReportEvent>;
type EventName = keyof typeof EVENTS;

const R = REFUSED;
/** Every status × every event (Access to Medical Reports Act practice: the employee decides first). */
const TABLE: Record<ReportStatus, Record<EventName, Outcome>> = {
  'awaiting-employee': {
    release: 'released',
    'request-correction': 'correction-requested',
    withhold: 'withheld',
    supersede: 'superseded',
  },
  released: { release: R, 'request-correction': R, withhold: R, supersede: R },
  'correction-requested': { release: R, 'request-correction': R, withhold: R, supersede: 'superseded' },
  // A withheld report may still be released if the employee changes their mind.
  withheld: { release: 'released', 'request-correction': R, withhold: R, supersede: 'superseded' },
  superseded: { release: R, 'request-correction': R, withhold: R, supersede: 'superseded' },
};

function outcome(state: ReportStatus, event: ReportEvent): Outcome {
  try {
    return transitionReport(state, event);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleRefused);
    expect((error as Error).message.length).toBeGreaterThan(10);
    return REFUSED;
  }
}

describe('transitionReport', () => {
  it('covers every status and every decision', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...REPORT_STATUSES].sort());
    expect(REPORT_DECISIONS.every((d) => d in EVENTS)).toBe(true);
  });

  const rows = REPORT_STATUSES.flatMap((state) =>
    (Object.keys(EVENTS) as EventName[]).map((name) => ({ state, name, expected: TABLE[state][name] })),
  );
  it.each(rows)('$state + $name → $expected', ({ state, name, expected }) => {
    expect(outcome(state, EVENTS[name])).toBe(expected);
  });

  it('explains refusals', () => {
    expect(() => transitionReport('released', EVENTS.withhold)).toThrow(/already been released/);
    expect(() => transitionReport('superseded', EVENTS.release)).toThrow(/newer version/);
    expect(() => transitionReport('released', EVENTS.supersede)).toThrow(/cannot be replaced/);
    expect(() => transitionReport('correction-requested', EVENTS.release)).toThrow(/correction/);
  });

  it('maps each decision to its status', () => {
    expect(REPORT_DECISIONS.map(decisionStatus)).toEqual(['released', 'correction-requested', 'withheld']);
  });

  it('never releases a report except by the employee’s release decision, and nothing follows a release', () => {
    const event = fc.constantFrom(...(Object.keys(EVENTS) as EventName[]));
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (names) => {
        let state: ReportStatus = 'awaiting-employee';
        for (const name of names) {
          const next = outcome(state, EVENTS[name]);
          if (next === REFUSED) continue;
          if (next === 'released') expect(name).toBe('release');
          if (state === 'released') throw new Error('a released report changed state');
          expect(next).not.toBe('awaiting-employee');
          state = next;
        }
      }),
    );
  });
});

describe('needsDecisionFollowUp (21 days, never auto-release)', () => {
  const created = new Date('2026-03-01T10:00:00Z');
  const at = (days: number) => new Date(created.getTime() + days * 86_400_000);
  it.each([
    ['awaiting-employee', 20, false],
    ['awaiting-employee', 21, true],
    ['correction-requested', 30, true],
    ['released', 60, false],
    ['withheld', 60, false],
  ] as const)('%s after %i days → %s', (status, days, expected) => {
    expect(needsDecisionFollowUp({ status, createdAt: created }, at(days))).toBe(expected);
  });
});
