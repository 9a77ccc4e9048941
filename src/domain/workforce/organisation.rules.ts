import type { FieldError } from '../shared/errors.ts';

/** The kinds of organisation (API.md; the `organisations_kind_check` constraint holds the same list). */
export const ORGANISATION_KINDS = [
  'police-force',
  'nhs-trust',
  'primary-care',
  'icb',
  'local-authority',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  'police-force': 'Police force',
  'nhs-trust': 'NHS trust',
  'primary-care': 'Primary care',
  icb: 'Integrated care board',
  'local-authority': 'Local authority',
  other: 'Other',
};

/** Lowercase letters and digits in groups joined by single hyphens: it goes into addresses and files. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 63;
export const NAME_MAX_LENGTH = 200;

/**
 * Slugs that already mean something to the reports: `national` is the whole country
 * (a report scope), so no organisation may take it.
 */
export const RESERVED_SLUGS: readonly string[] = ['national'];

/** A new organisation as asked for, trimmed. */
export type OrganisationInput = { slug: string; name: string; kind: string; system: string };

/** What is wrong with a new organisation's fields, one message per field; empty when nothing is. */
export function organisationInputErrors(input: OrganisationInput): FieldError[] {
  const errors: FieldError[] = [];
  // In the order of the page's form, so its error summary reads top to bottom.
  if (input.name === '') errors.push({ path: '/name', message: 'Enter the name of the organisation' });
  else if (input.name.length > NAME_MAX_LENGTH)
    errors.push({ path: '/name', message: `The name must be ${NAME_MAX_LENGTH} characters or fewer` });
  if (input.slug === '') errors.push({ path: '/slug', message: 'Enter a short name for addresses (slug)' });
  else if (input.slug.length > SLUG_MAX_LENGTH)
    errors.push({ path: '/slug', message: `The slug must be ${SLUG_MAX_LENGTH} characters or fewer` });
  else if (!SLUG.test(input.slug))
    errors.push({
      path: '/slug',
      message:
        'The slug may contain only lowercase letters, digits and single hyphens, for example north-trust',
    });
  if (!(ORGANISATION_KINDS as readonly string[]).includes(input.kind))
    errors.push({ path: '/kind', message: 'Choose the kind of organisation' });
  if (input.system === '') errors.push({ path: '/system', message: 'Choose the system it belongs to' });
  return errors;
}
