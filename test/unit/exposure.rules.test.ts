import { describe, expect, it } from 'vitest';
import {
  EXPOSURE_KIND_LABELS,
  EXPOSURE_KINDS,
  exposureClock,
  exposureTimeErrors,
  PEP_WINDOW_HOURS,
} from '../../src/domain/exposures/exposure.rules.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = new Date('2026-03-29T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const ahead = (ms: number) => new Date(NOW.getTime() + ms);

describe('exposureTimeErrors', () => {
  it.each([
    ['now', NOW],
    ['a minute ago', ago(MINUTE)],
    ['an hour ago', ago(HOUR)],
    ['exactly 5 minutes ahead (a phone clock running fast)', ahead(5 * MINUTE)],
    ['a year ago (365 days)', ago(365 * DAY)],
    ['exactly 366 days ago (a year that holds 29 February)', ago(366 * DAY)],
  ])('accepts %s', (_label, occurredAt) => {
    expect(exposureTimeErrors(occurredAt, NOW)).toEqual([]);
  });

  it.each([
    ['5 minutes and 1 ms ahead', ahead(5 * MINUTE + 1)],
    ['an hour ahead', ahead(HOUR)],
    ['tomorrow', ahead(DAY)],
  ])('refuses a time in the future: %s', (_label, occurredAt) => {
    expect(exposureTimeErrors(occurredAt, NOW)).toEqual([
      { path: '/occurredAt', message: 'The time of the exposure must be now or in the past.' },
    ]);
  });

  it.each([
    ['366 days and 1 ms ago', ago(366 * DAY + 1)],
    ['367 days ago', ago(367 * DAY)],
    ['two years ago', ago(730 * DAY)],
  ])('refuses an exposure over a year old: %s', (_label, occurredAt) => {
    expect(exposureTimeErrors(occurredAt, NOW)).toEqual([
      { path: '/occurredAt', message: 'The exposure must be within the last year.' },
    ]);
  });

  it('refuses an invalid date', () => {
    expect(exposureTimeErrors(new Date('not a date'), NOW)).toEqual([
      { path: '/occurredAt', message: 'Enter the date and time of the exposure.' },
    ]);
    expect(exposureTimeErrors(new Date(Number.NaN), NOW)).toHaveLength(1);
  });

  it('names what happened when it is not an exposure (a dental injury)', () => {
    expect(exposureTimeErrors(new Date('not a date'), NOW, 'injury')).toEqual([
      { path: '/occurredAt', message: 'Enter the date and time of the injury.' },
    ]);
    expect(exposureTimeErrors(ahead(HOUR), NOW, 'injury')).toEqual([
      { path: '/occurredAt', message: 'The time of the injury must be now or in the past.' },
    ]);
    expect(exposureTimeErrors(ago(400 * DAY), NOW, 'injury')).toEqual([
      { path: '/occurredAt', message: 'The injury must be within the last year.' },
    ]);
    expect(exposureTimeErrors(ago(HOUR), NOW, 'injury')).toEqual([]);
  });
});

describe('exposureClock', () => {
  const at = new Date('2026-03-28T14:00:00Z');
  const clock = (ms: number) => exposureClock(at, new Date(at.getTime() + ms));

  it('has a 72-hour PEP window (BHIVA/BASHH 2021)', () => {
    expect(PEP_WINDOW_HOURS).toBe(72);
  });

  it('at the moment of exposure: nothing elapsed, the whole window left', () => {
    expect(clock(0)).toEqual({
      elapsed: { hours: 0, minutes: 0 },
      pepWindowOpen: true,
      pepLeft: { hours: 72, minutes: 0 },
    });
  });

  it('counts elapsed time in whole minutes, rounding down', () => {
    expect(clock(59_999).elapsed).toEqual({ hours: 0, minutes: 0 });
    expect(clock(MINUTE).elapsed).toEqual({ hours: 0, minutes: 1 });
    expect(clock(HOUR - 1).elapsed).toEqual({ hours: 0, minutes: 59 });
    expect(clock(HOUR).elapsed).toEqual({ hours: 1, minutes: 0 });
    expect(clock(25 * HOUR + 7 * MINUTE + 30_000)).toEqual({
      elapsed: { hours: 25, minutes: 7 },
      pepWindowOpen: true,
      pepLeft: { hours: 46, minutes: 53 },
    });
  });

  it('counts real hours across the spring-forward night (the wall clock shows an hour more)', () => {
    // Exposure Sat 28 Mar 23:30 GMT; Sun 29 Mar 02:30 BST is 01:30Z, two real hours later.
    expect(exposureClock(new Date('2026-03-28T23:30:00Z'), new Date('2026-03-29T01:30:00Z'))).toMatchObject({
      elapsed: { hours: 2, minutes: 0 },
      pepLeft: { hours: 70, minutes: 0 },
    });
  });

  it('counts real hours across the fall-back night (the wall clock shows an hour less)', () => {
    // Exposure Sat 24 Oct 23:30 BST (22:30Z); Sun 25 Oct 01:30 GMT is 01:30Z, three real hours later.
    expect(exposureClock(new Date('2026-10-24T22:30:00Z'), new Date('2026-10-25T01:30:00Z'))).toMatchObject({
      elapsed: { hours: 3, minutes: 0 },
      pepLeft: { hours: 69, minutes: 0 },
    });
  });

  it('shows one minute left in the last minute of the window', () => {
    expect(clock(71 * HOUR + 59 * MINUTE)).toEqual({
      elapsed: { hours: 71, minutes: 59 },
      pepWindowOpen: true,
      pepLeft: { hours: 0, minutes: 1 },
    });
    expect(clock(72 * HOUR - 1)).toMatchObject({ pepWindowOpen: true, pepLeft: { hours: 0, minutes: 1 } });
  });

  it('keeps the 72nd hour itself inside the window (as the task closes then), and closes it after', () => {
    expect(clock(72 * HOUR)).toEqual({
      elapsed: { hours: 72, minutes: 0 },
      pepWindowOpen: true,
      pepLeft: { hours: 0, minutes: 0 },
    });
    expect(clock(72 * HOUR + 1)).toEqual({
      elapsed: { hours: 72, minutes: 0 },
      pepWindowOpen: false,
      pepLeft: null,
    });
    expect(clock(10 * DAY)).toEqual({
      elapsed: { hours: 240, minutes: 0 },
      pepWindowOpen: false,
      pepLeft: null,
    });
  });

  it('treats an exposure reported a little ahead (clock skew) as just happened', () => {
    expect(clock(-3 * MINUTE)).toEqual({
      elapsed: { hours: 0, minutes: 0 },
      pepWindowOpen: true,
      pepLeft: { hours: 72, minutes: 0 },
    });
  });
});

describe('exposure kinds', () => {
  it('has a label for every kind of API.md', () => {
    expect([...EXPOSURE_KINDS]).toEqual(['needlestick', 'bite', 'splash', 'spit', 'other']);
    expect(Object.keys(EXPOSURE_KIND_LABELS).sort()).toEqual([...EXPOSURE_KINDS].sort());
    for (const kind of EXPOSURE_KINDS) expect(EXPOSURE_KIND_LABELS[kind].length).toBeGreaterThan(0);
  });
});
