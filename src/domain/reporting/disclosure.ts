/**
 * Small-number disclosure control (DOMAIN.md), applied to every aggregate shown below
 * national level — page, API, CSV and PDF all show what these functions return.
 *
 * - A count of 0 is shown as 0; 1–7 as `*`; any other count rounded to the nearest 5.
 * - Secondary suppression: in a set of counts shown beside their total, one suppressed
 *   cell could be recovered by subtraction, so the next smallest non-zero cell is
 *   suppressed too (NHS Digital method since 2018).
 * - Rates, shares and centiles computed from fewer than 8 people are `*`. Rates and
 *   shares are computed from the counts *as shown*, so a rate never reveals more than
 *   the counts beside it (an exact rate times a rounded denominator would give the
 *   numerator back).
 *
 * At national level (`controlled` false) counts are shown as they are.
 */

export const SUPPRESSED = '*' as const;
/** A number as shown: the value, or `*` where it is suppressed. */
export type Shown = number | typeof SUPPRESSED;

/** The fewest people a rate, share, mean or centile may be computed from. */
export const MIN_PEOPLE = 8;

/** One count as shown below national level. */
export function showCount(count: number): Shown {
  if (count === 0) return 0;
  if (count < MIN_PEOPLE) return SUPPRESSED;
  return Math.round(count / 5) * 5;
}

/**
 * Counts that add up to a total, shown together: each count as `showCount`, then, when
 * exactly one cell is suppressed and the total is shown, the smallest other non-zero
 * cell is suppressed as well so neither can be found by subtraction.
 */
export function controlCounts(
  cells: readonly number[],
  total: number,
  controlled = true,
): { cells: Shown[]; total: Shown } {
  if (!controlled) return { cells: [...cells], total };
  const shown = cells.map(showCount);
  const shownTotal = showCount(total);
  const suppressed = shown.filter((s) => s === SUPPRESSED).length;
  if (suppressed === 1 && shownTotal !== SUPPRESSED) {
    let pick = -1;
    for (let i = 0; i < cells.length; i++) {
      const value = cells[i] as number;
      if (shown[i] === SUPPRESSED || value === 0) continue;
      if (pick === -1 || value < (cells[pick] as number)) pick = i;
    }
    if (pick !== -1) shown[pick] = SUPPRESSED;
  }
  return { cells: shown, total: shownTotal };
}

/** A single count on its own (no total beside it). */
export function showLoneCount(count: number, controlled = true): Shown {
  return controlled ? showCount(count) : count;
}

/**
 * `numerator / denominator × per`, rounded to one decimal place, from the shown counts.
 * `*` when either is suppressed, when the denominator is 0, or when fewer than 8 people
 * stand behind it (`basis`, the true number of people the figure is computed from).
 */
export function showRate(
  numerator: Shown,
  denominator: Shown,
  basis: number,
  per: number,
  controlled = true,
): Shown {
  if (numerator === SUPPRESSED || denominator === SUPPRESSED || denominator === 0) return SUPPRESSED;
  if (controlled && basis < MIN_PEOPLE) return SUPPRESSED;
  return Math.round((numerator / denominator) * per * 10) / 10;
}

/** A statistic (median, centile, mean) of `basis` people: `*` below 8 when controlled, else rounded to 0.1. */
export function showStatistic(value: number | null, basis: number, controlled = true): Shown {
  if (value === null || (controlled && basis < MIN_PEOPLE) || basis === 0) return SUPPRESSED;
  return Math.round(value * 10) / 10;
}
