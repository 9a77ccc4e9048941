import { isInFuture } from '../time/clock-skew.ts';
import { RuleRefused } from './errors.ts';

/** A person's recorded consent (DOMAIN.md: who, when, to what), as a request gives it. */
export type RecordedConsent = { given: boolean; recordedAt: string } | undefined;

/**
 * Consent must be given and recorded at a real time, not in the future. Returns the
 * time it was given, or throws RuleRefused naming the field; `refusal` says in the
 * words of the use case why consent is needed.
 */
export function requireRecordedConsent(
  consent: RecordedConsent,
  now: Date,
  refusal: { detail: string; field: string },
): Date {
  if (consent?.given !== true) {
    throw new RuleRefused(refusal.detail, [{ path: '/consent/given', message: refusal.field }]);
  }
  const recordedAt = new Date(consent.recordedAt);
  if (Number.isNaN(recordedAt.getTime())) {
    throw new RuleRefused('The consent date is not a valid date.', [
      { path: '/consent/recordedAt', message: 'Enter a real date' },
    ]);
  }
  if (isInFuture(recordedAt, now)) {
    throw new RuleRefused('Consent cannot be recorded in the future.', [
      { path: '/consent/recordedAt', message: 'The date they agreed must be today or in the past' },
    ]);
  }
  return recordedAt;
}
