import type { FieldError } from '../shared/errors.ts';
import { isInFuture } from '../time/clock-skew.ts';

/** How the exposure happened (API.md). */
export const EXPOSURE_KINDS = ['needlestick', 'bite', 'splash', 'spit', 'other'] as const;
export type ExposureKind = (typeof EXPOSURE_KINDS)[number];

export const EXPOSURE_KIND_LABELS: Record<ExposureKind, string> = {
  needlestick: 'Needlestick or sharps injury',
  bite: 'Bite',
  splash: 'Splash of blood or body fluid (eyes, mouth, broken skin)',
  spit: 'Spat at',
  other: 'Something else',
};

/** Older than this, the pathway's tests are all past; OH records it by hand instead. */
const OLDEST_DAYS = 366;

/** What is wrong with the time of an exposure (or, naming it, an injury), if anything. */
export function exposureTimeErrors(occurredAt: Date, now: Date, what = 'exposure'): FieldError[] {
  if (Number.isNaN(occurredAt.getTime())) {
    return [{ path: '/occurredAt', message: `Enter the date and time of the ${what}.` }];
  }
  if (isInFuture(occurredAt, now)) {
    return [{ path: '/occurredAt', message: `The time of the ${what} must be now or in the past.` }];
  }
  if (now.getTime() - occurredAt.getTime() > OLDEST_DAYS * 86_400_000) {
    return [{ path: '/occurredAt', message: `The ${what} must be within the last year.` }];
  }
  return [];
}

/** The HIV PEP window: ideally within 1 hour, no later than 72 hours (BHIVA/BASHH 2021). */
export const PEP_WINDOW_HOURS = 72;

/**
 * Hours and minutes since the exposure, and how much of the PEP window is left: to
 * `pepClosesAt` (the PEP task's closing time, as the rule set in force says), else 72 hours.
 */
export function exposureClock(occurredAt: Date, now: Date, pepClosesAt?: Date | null) {
  const elapsedMs = Math.max(0, now.getTime() - occurredAt.getTime());
  const elapsedMinutes = Math.floor(elapsedMs / 60_000);
  const windowMs = pepClosesAt ? pepClosesAt.getTime() - occurredAt.getTime() : PEP_WINDOW_HOURS * 3_600_000;
  // "No later than 72 hours": the 72nd hour itself is still inside, as the task's closing time is.
  const pepWindowOpen = elapsedMs <= windowMs;
  const leftMinutes = Math.max(0, Math.floor(windowMs / 60_000) - elapsedMinutes);
  return {
    elapsed: { hours: Math.floor(elapsedMinutes / 60), minutes: elapsedMinutes % 60 },
    pepWindowOpen,
    pepLeft: pepWindowOpen ? { hours: Math.floor(leftMinutes / 60), minutes: leftMinutes % 60 } : null,
  };
}
