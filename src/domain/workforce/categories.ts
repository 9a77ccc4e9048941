/**
 * The workforce categories every staff record, import and report uses (DOMAIN.md,
 * "Staff groups and equality categories"). Equality fields are optional: blank is
 * "unknown", never a reason to refuse a referral.
 */

/** NHS ESR staff groups. */
export const NHS_STAFF_GROUPS = [
  'Additional Clinical Services',
  'Additional Professional Scientific and Technical',
  'Administrative and Clerical',
  'Allied Health Professionals',
  'Estates and Ancillary',
  'Healthcare Scientists',
  'Medical and Dental',
  'Nursing and Midwifery Registered',
  'Students',
] as const;

/** Police staff groups. */
export const POLICE_STAFF_GROUPS = [
  'Police officer',
  'Police staff',
  'Police community support officer',
  'Special constable',
] as const;

export const STAFF_GROUPS: readonly string[] = [...NHS_STAFF_GROUPS, ...POLICE_STAFF_GROUPS];

/** The staff group as written in STAFF_GROUPS, matched without regard to case or spacing; null if none. */
export function canonicalStaffGroup(value: string): string | null {
  const key = value.trim().replace(/\s+/g, ' ').toLowerCase();
  return STAFF_GROUPS.find((g) => g.toLowerCase() === key) ?? null;
}

/** NHS ethnic category codes (NHS Data Dictionary) with the broad group each belongs to. */
export const ETHNIC_CATEGORIES: Record<string, { label: string; group: EthnicGroup }> = {
  A: { label: 'White - British', group: 'White' },
  B: { label: 'White - Irish', group: 'White' },
  C: { label: 'White - Any other White background', group: 'White' },
  D: { label: 'Mixed - White and Black Caribbean', group: 'Mixed' },
  E: { label: 'Mixed - White and Black African', group: 'Mixed' },
  F: { label: 'Mixed - White and Asian', group: 'Mixed' },
  G: { label: 'Mixed - Any other mixed background', group: 'Mixed' },
  H: { label: 'Asian or Asian British - Indian', group: 'Asian' },
  J: { label: 'Asian or Asian British - Pakistani', group: 'Asian' },
  K: { label: 'Asian or Asian British - Bangladeshi', group: 'Asian' },
  L: { label: 'Asian or Asian British - Any other Asian background', group: 'Asian' },
  M: { label: 'Black or Black British - Caribbean', group: 'Black' },
  N: { label: 'Black or Black British - African', group: 'Black' },
  P: { label: 'Black or Black British - Any other Black background', group: 'Black' },
  R: { label: 'Other Ethnic Groups - Chinese', group: 'Other' },
  S: { label: 'Other Ethnic Groups - Any other ethnic group', group: 'Other' },
  Z: { label: 'Not stated', group: 'Not stated' },
  '99': { label: 'Not known', group: 'Not stated' },
};
export const ETHNIC_CATEGORY_CODES: readonly string[] = Object.keys(ETHNIC_CATEGORIES);

/** The broad ethnic groups of the minimum dataset. */
export const ETHNIC_GROUPS = ['White', 'Mixed', 'Asian', 'Black', 'Other', 'Not stated'] as const;
export type EthnicGroup = (typeof ETHNIC_GROUPS)[number];

/** The minimum dataset's ethnic group for a category code; unknown or blank is "Not stated". */
export function ethnicGroup(code: string | null | undefined): EthnicGroup {
  if (!code) return 'Not stated';
  return ETHNIC_CATEGORIES[code]?.group ?? 'Not stated';
}

export const SEXES = ['female', 'male', 'other'] as const;
export type Sex = (typeof SEXES)[number];

export const DISABILITY_ANSWERS = ['yes', 'no'] as const;

/** The minimum dataset's age bands (DOMAIN.md). Under 16 is not a band: staff are 16 or over. */
export const AGE_BANDS = ['16-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Whole years of age on a day, from dates written YYYY-MM-DD. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The age band for whole years of age; null when unknown or under 16. */
export function bandOfAge(age: number | null): AgeBand | null {
  if (age === null || age < 16) return null;
  if (age >= 65) return '65+';
  if (age < 25) return '16-24';
  return AGE_BANDS[Math.floor((age - 25) / 10) + 1] ?? null;
}

/** The age band on a day; null when the date of birth is unknown or the age is under 16. */
export function ageBand(dateOfBirth: string | null, on: string): AgeBand | null {
  return dateOfBirth ? bandOfAge(ageOn(dateOfBirth, on)) : null;
}
