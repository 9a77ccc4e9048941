import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEPATITIS_B_RULES, hepatitisBStatus } from '../../src/domain/exposures/hepatitis-b.rules.ts';

type Entry = Parameters<typeof hepatitisBStatus>[0][number];

const dose = (onDate: string, n: number | null = null): Entry => ({
  kind: 'dose',
  onDate,
  dose: n,
  level: null,
});
const antibody = (onDate: string, level: number | null): Entry => ({
  kind: 'antibody-level',
  onDate,
  dose: null,
  level,
});
/** A standard course: 0, 1 and 6 months (Green Book ch. 18). */
const COURSE = [dose('2025-01-06', 1), dose('2025-02-06', 2), dose('2025-07-07', 3)];

describe('hepatitisBStatus', () => {
  it('with nothing on record', () => {
    expect(hepatitisBStatus([])).toEqual({
      code: 'no-record',
      label: 'No hepatitis B vaccination on record',
      doses: 0,
      lastDoseOn: null,
      latestLevel: null,
      source: HEPATITIS_B_RULES.source,
    });
  });

  it.each([
    [1, 'Course not complete (1 of 3 doses)'],
    [2, 'Course not complete (2 of 3 doses)'],
  ])('with %d dose(s) and no antibody result, the course is incomplete', (n, label) => {
    const status = hepatitisBStatus(COURSE.slice(0, n));
    expect(status).toMatchObject({ code: 'course-incomplete', label, doses: n, latestLevel: null });
    expect(status.lastDoseOn).toBe(COURSE[n - 1]?.onDate);
  });

  it('with three doses and no antibody result, the course is complete but untested', () => {
    expect(hepatitisBStatus(COURSE)).toMatchObject({
      code: 'course-complete-untested',
      label: 'Course complete; antibody level not tested',
      doses: 3,
      lastDoseOn: '2025-07-07',
      latestLevel: null,
    });
  });

  it('counts a fourth (12-month) dose of an accelerated course as complete too', () => {
    const accelerated = [
      dose('2025-01-06', 1),
      dose('2025-02-06', 2),
      dose('2025-03-06', 3),
      dose('2026-01-06', 4),
    ];
    expect(hepatitisBStatus(accelerated)).toMatchObject({
      code: 'course-complete-untested',
      doses: 4,
      lastDoseOn: '2026-01-06',
    });
  });

  it.each([
    [0, 'non-responder', 'Non-responder (anti-HBs 0 mIU/mL)'],
    [9, 'non-responder', 'Non-responder (anti-HBs 9 mIU/mL)'],
    [10, 'low-responder', 'Low responder (anti-HBs 10 mIU/mL)'],
    [50, 'low-responder', 'Low responder (anti-HBs 50 mIU/mL)'],
    [99, 'low-responder', 'Low responder (anti-HBs 99 mIU/mL)'],
    [100, 'responder', 'Responder (anti-HBs 100 mIU/mL)'],
    [1000, 'responder', 'Responder (anti-HBs 1000 mIU/mL)'],
  ] as const)('anti-HBs %d mIU/mL after a course → %s', (level, code, label) => {
    expect(hepatitisBStatus([...COURSE, antibody('2025-09-01', level)])).toEqual({
      code,
      label,
      doses: 3,
      lastDoseOn: '2025-07-07',
      latestLevel: { level, on: '2025-09-01' },
      source: HEPATITIS_B_RULES.source,
    });
  });

  it('uses the bands of DOMAIN.md: ≥ 100 responder, 10–99 low responder, < 10 non-responder', () => {
    expect(HEPATITIS_B_RULES.responderLevel).toBe(100);
    expect(HEPATITIS_B_RULES.lowResponderLevel).toBe(10);
    expect(HEPATITIS_B_RULES.courseDoses).toBe(3);
    expect(HEPATITIS_B_RULES.source).toMatch(/Green Book ch\. 18/);
  });

  it('reads an antibody result even with fewer than three doses on record', () => {
    expect(hepatitisBStatus([antibody('2024-05-01', 150)])).toMatchObject({
      code: 'responder',
      doses: 0,
      lastDoseOn: null,
    });
    expect(hepatitisBStatus([dose('2024-01-01'), antibody('2024-05-01', 5)])).toMatchObject({
      code: 'non-responder',
      doses: 1,
    });
  });

  it('the latest antibody result wins, whatever order the record comes in', () => {
    const older = antibody('2024-09-01', 150);
    const newer = antibody('2025-09-01', 8);
    for (const record of [
      [...COURSE, older, newer],
      [newer, ...COURSE, older],
      [newer, older, ...COURSE].reverse(),
    ]) {
      expect(hepatitisBStatus(record)).toMatchObject({
        code: 'non-responder',
        latestLevel: { level: 8, on: '2025-09-01' },
      });
    }
    expect(hepatitisBStatus([...COURSE, antibody('2024-09-01', 8), antibody('2025-09-01', 150)]).code).toBe(
      'responder',
    );
  });

  it('ignores an antibody entry without a level (a result not back yet)', () => {
    expect(hepatitisBStatus([...COURSE, antibody('2025-09-01', null)])).toMatchObject({
      code: 'course-complete-untested',
      latestLevel: null,
    });
    expect(hepatitisBStatus([antibody('2025-09-01', null)]).code).toBe('no-record');
    expect(
      hepatitisBStatus([...COURSE, antibody('2025-08-01', 40), antibody('2025-09-01', null)]),
    ).toMatchObject({ code: 'low-responder', latestLevel: { level: 40, on: '2025-08-01' } });
  });

  it('takes the last dose by date, not by position or dose number', () => {
    const shuffled = [dose('2025-07-07', 3), dose('2025-01-06', 1), dose('2025-02-06', 2)];
    expect(hepatitisBStatus(shuffled)).toMatchObject({ doses: 3, lastDoseOn: '2025-07-07' });
    expect(hepatitisBStatus([dose('2025-02-06', 1), dose('2025-01-06', 2)]).lastDoseOn).toBe('2025-02-06');
  });

  it('gives the same status for any order of the same record', () => {
    const record = [
      ...COURSE,
      antibody('2024-01-01', 3),
      antibody('2025-09-01', 60),
      antibody('2025-10-01', null),
      dose('2025-11-01', 4),
    ];
    const expected = hepatitisBStatus(record);
    expect(expected).toMatchObject({
      code: 'low-responder',
      doses: 4,
      lastDoseOn: '2025-11-01',
      latestLevel: { level: 60, on: '2025-09-01' },
    });
    fc.assert(
      fc.property(
        fc.shuffledSubarray(record, { minLength: record.length, maxLength: record.length }),
        (order) => {
          expect(hepatitisBStatus(order)).toEqual(expected);
        },
      ),
    );
  });

  it('does not change the record it is given', () => {
    const record = [dose('2025-07-07', 3), dose('2025-01-06', 1)];
    const copy = structuredClone(record);
    hepatitisBStatus(record);
    expect(record).toEqual(copy);
  });
});
