/**
 * Clocks on phones and laptops drift: a time a few minutes "in the future" is a clock,
 * not a mistake. Every check that something happened now or in the past allows this much.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** True when `at` is later than now, beyond the drift of a device's clock. */
export function isInFuture(at: Date, now: Date): boolean {
  return at.getTime() > now.getTime() + CLOCK_SKEW_MS;
}
