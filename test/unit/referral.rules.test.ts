import { describe, expect, it } from 'vitest';
import {
  pathwayLabel,
  REFERRAL_STATUSES,
  type ReferralEvent,
  type ReferralStatus,
  requireReferralConsent,
  transitionReferral,
} from '../../src/domain/referrals/referral.rules.ts';
import { RuleRefused } from '../../src/domain/shared/errors.ts';

const REFUSED = 'refused' as const;
type Outcome = ReferralStatus | typeof REFUSED;

/** Every state × every event. A Record over the status union fails to compile when a status is added. */
const TABLE: Record<ReferralStatus, Record<ReferralEvent['type'], Outcome>> = {
  'awaiting-triage': { triage: 'triaged', decline: 'declined' },
  triaged: { triage: REFUSED, decline: REFUSED },
  declined: { triage: REFUSED, decline: REFUSED },
};

function outcome(state: ReferralStatus, event: ReferralEvent): Outcome {
  try {
    return transitionReferral(state, event);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleRefused);
    expect((error as RuleRefused).status).toBe(422);
    expect((error as Error).message.length).toBeGreaterThan(10);
    return REFUSED;
  }
}

describe('transitionReferral', () => {
  it('covers every status in the table', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...REFERRAL_STATUSES].sort());
  });

  const rows = REFERRAL_STATUSES.flatMap((state) =>
    (['triage', 'decline'] as const).map((type) => ({ state, type, expected: TABLE[state][type] })),
  );
  it.each(rows)('$state + $type → $expected', ({ state, type, expected }) => {
    expect(outcome(state, { type })).toBe(expected);
  });

  it('says what already happened when the referral is no longer waiting', () => {
    expect(() => transitionReferral('triaged', { type: 'triage' })).toThrow(/already been triaged/);
    expect(() => transitionReferral('declined', { type: 'triage' })).toThrow(/already been declined/);
  });
});

describe('requireReferralConsent', () => {
  const now = new Date('2026-03-29T10:00:00Z');

  it.each([
    ['no consent at all', undefined],
    ['consent refused', { given: false, recordedAt: '2026-03-29T09:00:00Z' }],
  ])('refuses a management referral with %s', (_label, consent) => {
    expect(() => requireReferralConsent(consent, now)).toThrow(RuleRefused);
    expect(() => requireReferralConsent(consent, now)).toThrow(/consent/);
  });

  it('refuses a consent time that is not a date', () => {
    expect(() => requireReferralConsent({ given: true, recordedAt: 'yesterday' }, now)).toThrow(
      /not a valid date/,
    );
  });

  it('refuses consent recorded in the future, allowing five minutes of clock skew', () => {
    const sixMinutes = new Date(now.getTime() + 6 * 60_000).toISOString();
    const fourMinutes = new Date(now.getTime() + 4 * 60_000).toISOString();
    const exactlyFive = new Date(now.getTime() + 5 * 60_000).toISOString();
    expect(() => requireReferralConsent({ given: true, recordedAt: sixMinutes }, now)).toThrow(/future/);
    expect(requireReferralConsent({ given: true, recordedAt: fourMinutes }, now).toISOString()).toBe(
      fourMinutes,
    );
    expect(requireReferralConsent({ given: true, recordedAt: exactlyFive }, now).toISOString()).toBe(
      exactlyFive,
    );
  });

  it('returns the consent time for consent given in the past', () => {
    const at = requireReferralConsent({ given: true, recordedAt: '2026-03-28T23:30:00+01:00' }, now);
    expect(at.toISOString()).toBe('2026-03-28T22:30:00.000Z');
  });
});

describe('pathwayLabel', () => {
  it('labels known pathways, shows unknown slugs as given, and says when none is chosen', () => {
    expect(pathwayLabel('mental-health')).toBe('Mental health');
    expect(pathwayLabel('hand-arm-vibration')).toBe('hand-arm-vibration');
    expect(pathwayLabel(null)).toBe('Not yet chosen');
    expect(pathwayLabel(undefined)).toBe('Not yet chosen');
  });
});
