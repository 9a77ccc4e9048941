import { describe, expect, it } from 'vitest';
import {
  CASE_STATUSES,
  type CaseEvent,
  type CaseStatus,
  checkReviewDate,
  transitionCase,
} from '../../src/domain/cases/case.rules.ts';
import { RuleRefused } from '../../src/domain/shared/errors.ts';

const REFUSED = 'refused' as const;
type Outcome = CaseStatus | typeof REFUSED;

/** Named events, so that the table reads as a sentence; every CaseEvent type appears at least once. */
const EVENTS = {
  book: { type: 'book' },
  'cancel-last-appointment': { type: 'cancel-last-appointment' },
  consult: { type: 'consult' },
  'outcome fit': { type: 'record-outcome', fitness: 'fit', adjustments: [] },
  'outcome fit-with-adjustments, none given': {
    type: 'record-outcome',
    fitness: 'fit-with-adjustments',
    adjustments: [],
  },
  'outcome fit-with-adjustments, one given': {
    type: 'record-outcome',
    fitness: 'fit-with-adjustments',
    adjustments: ['Altered hours'],
  },
  'outcome temporarily-unfit': { type: 'record-outcome', fitness: 'temporarily-unfit', adjustments: [] },
  'outcome unfit-for-role': { type: 'record-outcome', fitness: 'unfit-for-role', adjustments: [] },
  'write-report': { type: 'write-report' },
  close: { type: 'close' },
} satisfies Record<string, CaseEvent>;
type EventName = keyof typeof EVENTS;

const R = REFUSED;
/** Every status × every event. */
const TABLE: Record<CaseStatus, Record<EventName, Outcome>> = {
  'awaiting-appointment': {
    book: 'appointment-booked',
    'cancel-last-appointment': 'awaiting-appointment',
    consult: 'consulted',
    'outcome fit': R,
    'outcome fit-with-adjustments, none given': R,
    'outcome fit-with-adjustments, one given': R,
    'outcome temporarily-unfit': R,
    'outcome unfit-for-role': R,
    'write-report': R,
    close: R,
  },
  'appointment-booked': {
    book: 'appointment-booked',
    'cancel-last-appointment': 'awaiting-appointment',
    consult: 'consulted',
    'outcome fit': R,
    'outcome fit-with-adjustments, none given': R,
    'outcome fit-with-adjustments, one given': R,
    'outcome temporarily-unfit': R,
    'outcome unfit-for-role': R,
    'write-report': R,
    close: R,
  },
  consulted: {
    book: 'consulted',
    'cancel-last-appointment': 'consulted',
    consult: 'consulted',
    'outcome fit': 'outcome-recorded',
    'outcome fit-with-adjustments, none given': R,
    'outcome fit-with-adjustments, one given': 'outcome-recorded',
    'outcome temporarily-unfit': 'outcome-recorded',
    'outcome unfit-for-role': 'outcome-recorded',
    'write-report': 'consulted',
    close: R,
  },
  'outcome-recorded': {
    book: 'outcome-recorded',
    'cancel-last-appointment': 'outcome-recorded',
    consult: 'outcome-recorded',
    'outcome fit': 'outcome-recorded',
    'outcome fit-with-adjustments, none given': R,
    'outcome fit-with-adjustments, one given': 'outcome-recorded',
    'outcome temporarily-unfit': 'outcome-recorded',
    'outcome unfit-for-role': 'outcome-recorded',
    'write-report': 'outcome-recorded',
    close: 'closed',
  },
  closed: {
    book: R,
    'cancel-last-appointment': R,
    consult: R,
    'outcome fit': R,
    'outcome fit-with-adjustments, none given': R,
    'outcome fit-with-adjustments, one given': R,
    'outcome temporarily-unfit': R,
    'outcome unfit-for-role': R,
    'write-report': R,
    close: R,
  },
};

function outcome(state: CaseStatus, event: CaseEvent): Outcome {
  try {
    return transitionCase(state, event);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleRefused);
    expect((error as Error).message.length).toBeGreaterThan(10);
    return REFUSED;
  }
}

describe('transitionCase', () => {
  it('covers every status and every event type', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...CASE_STATUSES].sort());
    const types = new Set(Object.values(EVENTS).map((e) => e.type));
    expect([...types].sort()).toEqual(
      ['book', 'cancel-last-appointment', 'close', 'consult', 'record-outcome', 'write-report'].sort(),
    );
  });

  const rows = CASE_STATUSES.flatMap((state) =>
    (Object.keys(EVENTS) as EventName[]).map((name) => ({ state, name, expected: TABLE[state][name] })),
  );
  it.each(rows)('$state + $name → $expected', ({ state, name, expected }) => {
    expect(outcome(state, EVENTS[name])).toBe(expected);
  });

  it('tells the user what to do first', () => {
    expect(() => transitionCase('appointment-booked', EVENTS['outcome fit'])).toThrow(
      /Record a consultation before the fitness-for-work outcome/,
    );
    expect(() => transitionCase('consulted', EVENTS['outcome fit-with-adjustments, none given'])).toThrow(
      /which adjustments/,
    );
    expect(() => transitionCase('consulted', EVENTS.close)).toThrow(/outcome before closing/);
    expect(() => transitionCase('closed', EVENTS.consult)).toThrow(/closed/);
  });
});

describe('checkReviewDate', () => {
  const today = '2026-03-29';

  it.each([
    ['no review date', undefined],
    ['a null review date', null],
    ['an empty review date', ''],
    ['today', today],
    ['tomorrow', '2026-03-30'],
    ['next year', '2027-01-01'],
  ])('accepts %s', (_label, reviewDate) => {
    expect(() => checkReviewDate(reviewDate, today)).not.toThrow();
  });

  it.each([
    ['yesterday', '2026-03-28'],
    ['last year', '2025-12-31'],
  ])('refuses %s', (_label, reviewDate) => {
    expect(() => checkReviewDate(reviewDate, today)).toThrow(RuleRefused);
    expect(() => checkReviewDate(reviewDate, today)).toThrow(/past/);
  });

  it('compares calendar dates across a year end', () => {
    expect(() => checkReviewDate('2027-01-01', '2026-12-31')).not.toThrow();
    expect(() => checkReviewDate('2026-12-31', '2027-01-01')).toThrow(RuleRefused);
  });
});
