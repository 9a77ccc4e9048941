import { AGE_BANDS, bandOfAge, ETHNIC_GROUPS, ethnicGroup, STAFF_GROUPS } from '../workforce/categories.ts';
import { disabilityAnswer, sexAnswer } from './dataset.rules.ts';
import type { EquityDimension } from './report-types.ts';

/** Counts of one stored value (a staff group, an ethnic category code, an age in years, …). */
export type EquityCount = { key: string; workforce: number; people: number };

/** Counts of one group as the report shows it. */
export type EquityGroup = { group: string; workforce: number; people: number };

const capitalise = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/** The groups each dimension always shows, in order (so organisations compare row by row). */
const FIXED_GROUPS: Record<Exclude<EquityDimension, 'staffGroup'>, readonly string[]> = {
  ethnicity: ETHNIC_GROUPS,
  sex: ['Female', 'Male', 'Other', 'Not known'],
  ageBand: [...AGE_BANDS, 'Not known'],
  disability: ['Yes', 'No', 'Not declared'],
};

/** The group a stored value falls in, by the dataset's rules. */
function groupOf(dimension: EquityDimension, key: string): string {
  switch (dimension) {
    case 'staffGroup':
      return key;
    case 'ethnicity':
      return ethnicGroup(key || null);
    case 'sex':
      return capitalise(sexAnswer(key || null));
    case 'ageBand':
      return bandOfAge(key === '' ? null : Number(key)) ?? 'Not known';
    case 'disability':
      return capitalise(disabilityAnswer(key || null));
  }
}

/**
 * Adds stored values up into the dimension's groups. Staff groups are listed in the
 * order of STAFF_GROUPS, only where the scope has staff; the other dimensions always show
 * every group, with 0 where there is nobody.
 */
export function equityGroups(dimension: EquityDimension, counts: readonly EquityCount[]): EquityGroup[] {
  const totals = new Map<string, EquityGroup>();
  const groups =
    dimension === 'staffGroup'
      ? [
          ...STAFF_GROUPS.filter((g) => counts.some((c) => c.key === g)),
          ...[...new Set(counts.map((c) => c.key))].filter((k) => !STAFF_GROUPS.includes(k)).sort(),
        ]
      : FIXED_GROUPS[dimension];
  for (const group of groups) totals.set(group, { group, workforce: 0, people: 0 });
  for (const count of counts) {
    const entry = totals.get(groupOf(dimension, count.key));
    if (!entry) continue;
    entry.workforce += count.workforce;
    entry.people += count.people;
  }
  return [...totals.values()];
}
