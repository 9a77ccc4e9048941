import { type RecordedConsent, requireRecordedConsent } from '../shared/consent.rules.ts';
import { RuleRefused } from '../shared/errors.ts';

export const REFERRAL_STATUSES = ['awaiting-triage', 'triaged', 'declined'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const PRIORITIES = ['urgent', 'soon', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Who brought the person to OH: their manager (with consent), themself, or another
 * route (OH staff recording an exposure or an incident, a retirement date).
 */
export const REFERRAL_SOURCES = ['management', 'self', 'other'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

/** Pathways OH triage offers; other slugs are accepted and shown as given. */
export const PATHWAYS: Record<string, string> = {
  general: 'General occupational health assessment',
  'mental-health': 'Mental health',
  musculoskeletal: 'Musculoskeletal',
  'blood-borne-virus': 'Blood-borne virus exposure',
  'dental-injury': 'Dental injury',
  'retirement-preparation': 'Retirement preparation',
  'health-surveillance': 'Health surveillance',
  'pre-placement': 'Pre-placement',
  immunisation: 'Immunisation',
};

/** What a member of staff may choose when they refer themself, in their words rather than OH terms. */
export const SELF_REFERRAL_CHOICES: Record<string, string> = {
  'mental-health': 'My mental health, stress or wellbeing',
  musculoskeletal: 'Pain in my back, joints or muscles',
  general: 'Another health problem that affects my work',
  'dental-injury': 'An injury to my teeth or mouth at work',
  'retirement-preparation': 'Planning for retirement',
};

/** A human label for a pathway slug. */
export function pathwayLabel(slug: string | null | undefined): string {
  if (!slug) return 'Not yet chosen';
  return Object.hasOwn(PATHWAYS, slug) ? (PATHWAYS[slug] as string) : slug;
}

export type ReferralEvent = { type: 'triage' } | { type: 'decline' };

/** The referral's one state machine. */
export function transitionReferral(state: ReferralStatus, event: ReferralEvent): ReferralStatus {
  switch (event.type) {
    case 'triage':
      if (state !== 'awaiting-triage') throw new RuleRefused(`This referral has already been ${state}.`);
      return 'triaged';
    case 'decline':
      if (state !== 'awaiting-triage') throw new RuleRefused(`This referral has already been ${state}.`);
      return 'declined';
  }
}

/** The employee's recorded consent to a management referral (DOMAIN.md: who, when, to what). */
export type ReferralConsent = RecordedConsent;

/**
 * A management referral needs the employee's consent, recorded before the referral
 * and not in the future. Returns the consent time or throws RuleRefused.
 */
export function requireReferralConsent(consent: ReferralConsent, now: Date): Date {
  return requireRecordedConsent(consent, now, {
    detail:
      'A management referral needs the employee’s consent. Talk to them first and record when they agreed.',
    field: 'The employee must agree to the referral',
  });
}
