import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  controlCounts,
  type Shown,
  showCount,
  showRate,
  showStatistic,
} from '../../src/domain/reporting/disclosure.ts';

describe('showCount (DOMAIN.md small-number disclosure control)', () => {
  it.each([
    [0, 0],
    [1, '*'],
    [7, '*'],
    [8, 10],
    [12, 10],
    [13, 15],
    [17, 15],
    [18, 20],
    [1234, 1235],
  ] as Array<[number, Shown]>)('shows %d as %s', (count, shown) => {
    expect(showCount(count)).toBe(shown);
  });
});

describe('controlCounts', () => {
  it('suppresses the next smallest cell when one suppressed cell could be worked out from the total', () => {
    expect(controlCounts([40, 12, 3], 55)).toEqual({ cells: [40, '*', '*'], total: 55 });
  });
  it('leaves a second suppression alone when two cells are already hidden', () => {
    expect(controlCounts([40, 2, 3], 45)).toEqual({ cells: [40, '*', '*'], total: 45 });
  });
  it('does not need a second cell when the total is hidden too', () => {
    expect(controlCounts([0, 5, 0], 5)).toEqual({ cells: [0, '*', 0], total: '*' });
  });
  it('never hides a zero to protect another cell', () => {
    expect(controlCounts([0, 4, 30], 34)).toEqual({ cells: [0, '*', '*'], total: 35 });
  });
  it('shows counts as they are at national level', () => {
    expect(controlCounts([3, 1, 12], 16, false)).toEqual({ cells: [3, 1, 12], total: 16 });
  });
});

describe('rates and statistics', () => {
  it('computes a rate from the counts as shown, so it tells no more than they do', () => {
    expect(showRate(10, 40, 40, 1000)).toBe(250);
    expect(showRate(20, 55, 55, 1000)).toBe(363.6);
  });
  it('suppresses a rate beside a suppressed count, over nobody, or from fewer than 8 people', () => {
    expect(showRate('*', 40, 40, 1000)).toBe('*');
    expect(showRate(10, '*', 5, 1000)).toBe('*');
    expect(showRate(0, 0, 0, 100)).toBe('*');
    expect(showRate(0, 10, 7, 100)).toBe('*');
    expect(showRate(3, 7, 7, 100, false)).toBe(42.9);
  });
  it('suppresses a median of fewer than 8 people below national level', () => {
    expect(showStatistic(4.5, 7)).toBe('*');
    expect(showStatistic(4.5, 8)).toBe(4.5);
    expect(showStatistic(4.5, 7, false)).toBe(4.5);
    expect(showStatistic(null, 0, false)).toBe('*');
  });
});

/** Every vector of counts in 0..max of a length. */
function* vectors(length: number, max: number): Generator<number[]> {
  const v = new Array<number>(length).fill(0);
  for (;;) {
    yield [...v];
    let i = 0;
    while (i < length && v[i] === max) v[i++] = 0;
    if (i === length) return;
    v[i] = (v[i] as number) + 1;
  }
}

const sum = (cells: readonly number[]) => cells.reduce((a, b) => a + b, 0);
const MAX = 24;

describe('disclosure control as a property', () => {
  it('never shows 1–7; every count shown is 0 or a multiple of 5', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 12 }), (cells) => {
        const shown = controlCounts(cells, sum(cells));
        for (const value of [...shown.cells, shown.total]) {
          if (value === '*') continue;
          expect(value === 0 || (value >= 10 && value % 5 === 0)).toBe(true);
        }
        cells.forEach((count, i) => {
          if (count === 0) expect(shown.cells[i]).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('no suppressed value can be recovered from the values and total shown beside it', () => {
    // The attacker knows the method: every vector of counts whose shown form is exactly
    // what was published is possible. A suppressed cell is recovered if all of those
    // vectors agree on it. The search runs a little past the largest count generated.
    const searchMax = MAX + 8;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: MAX }), { minLength: 1, maxLength: 3 }), (cells) => {
        const published = JSON.stringify(controlCounts(cells, sum(cells)));
        const shown = controlCounts(cells, sum(cells));
        const possible: number[][] = [];
        for (const candidate of vectors(cells.length, searchMax)) {
          if (JSON.stringify(controlCounts(candidate, sum(candidate))) === published)
            possible.push(candidate);
        }
        shown.cells.forEach((value, i) => {
          if (value !== '*') return;
          const values = new Set(possible.map((p) => p[i]));
          expect(values.size, `cell ${i} of ${JSON.stringify(cells)} shown as ${published}`).toBeGreaterThan(
            1,
          );
        });
        if (shown.total === '*') {
          expect(new Set(possible.map(sum)).size).toBeGreaterThan(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds the case that needs secondary suppression (the check has teeth)', () => {
    // Without secondary suppression, 1 beside 8 and 8 (total 17 → 15) gives the 1 away:
    // the total is at most 17 and the others at least 8 each.
    const naive = [1, 8, 8].map(showCount);
    expect(naive).toEqual(['*', 10, 10]);
    const possible = [...vectors(3, 20)].filter(
      (c) =>
        JSON.stringify(c.map(showCount)) === JSON.stringify(naive) && showCount(sum(c)) === showCount(17),
    );
    expect(new Set(possible.map((c) => c[0]))).toEqual(new Set([1]));
    expect(controlCounts([1, 8, 8], 17).cells).toEqual(['*', '*', 10]);
  });
});
