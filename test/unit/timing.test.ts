import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SETS } from '../../src/domain/pathways/default-rule-sets.ts';
import { type PathwayFacts, schedulePathway } from '../../src/domain/pathways/rule-set.ts';
import { describeInterval, type Interval, stepFrom } from '../../src/domain/pathways/timing.ts';

/*
 * Expected instants are worked out by hand from the UK clock rules: GMT = UTC in
 * winter, BST = UTC+1 from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
 * last Sunday of October (2026: 29 March and 25 October; 2027: 28 March and
 * 31 October; 2028: 26 March). Each row says the London wall clock in its comment.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const step = (anchor: string, interval: Interval) => stepFrom(new Date(anchor), interval).toISOString();

describe('stepFrom: hours and minutes are elapsed time, whatever the clocks do', () => {
  it.each<[string, string, Interval, string]>([
    [
      '23:30 GMT + 1 hour is 00:30 the next day',
      '2026-01-15T23:30:00Z',
      { amount: 1, unit: 'hours' },
      '2026-01-16T00:30:00.000Z',
    ],
    [
      '23:30 BST + 1 hour is 00:30 BST the next day',
      '2026-06-10T22:30:00Z',
      { amount: 1, unit: 'hours' },
      '2026-06-10T23:30:00.000Z',
    ],
    [
      '23:30 on 31 December + 60 minutes is 00:30 on 1 January',
      '2026-12-31T23:30:00Z',
      { amount: 60, unit: 'minutes' },
      '2027-01-01T00:30:00.000Z',
    ],
    // 29 March 2026: 00:30 GMT, one real hour later the clocks read 02:30 BST.
    [
      'spring forward: 00:30 GMT + 1 hour is 02:30 BST',
      '2026-03-29T00:30:00Z',
      { amount: 1, unit: 'hours' },
      '2026-03-29T01:30:00.000Z',
    ],
    // 25 October 2026: 01:30 BST, one real hour later the clocks read 01:30 again (GMT).
    [
      'fall back: 01:30 BST + 1 hour is 01:30 GMT',
      '2026-10-25T00:30:00Z',
      { amount: 1, unit: 'hours' },
      '2026-10-25T01:30:00.000Z',
    ],
    [
      'fall back: 00:30 BST + 2 hours is 01:30 GMT',
      '2026-10-24T23:30:00Z',
      { amount: 2, unit: 'hours' },
      '2026-10-25T01:30:00.000Z',
    ],
    // Saturday 28 March 14:00 GMT + 72 h = Tuesday 31 March 14:00 UTC = 15:00 BST on the wall.
    [
      '72 hours across spring forward ends at 15:00 BST',
      '2026-03-28T14:00:00Z',
      { amount: 72, unit: 'hours' },
      '2026-03-31T14:00:00.000Z',
    ],
    // Saturday 24 October 14:00 BST (13:00 UTC) + 72 h = Tuesday 27 October 13:00 UTC = 13:00 GMT.
    [
      '72 hours across fall back ends at 13:00 GMT',
      '2026-10-24T13:00:00Z',
      { amount: 72, unit: 'hours' },
      '2026-10-27T13:00:00.000Z',
    ],
    [
      '48 hours across fall back',
      '2026-10-24T22:30:00Z',
      { amount: 48, unit: 'hours' },
      '2026-10-26T22:30:00.000Z',
    ],
    // 02:30 BST on 29 March − 1 hour = 00:30 GMT (the hour 01:00–02:00 never happened).
    [
      'a negative hour back across spring forward',
      '2026-03-29T01:30:00Z',
      { amount: -1, unit: 'hours' },
      '2026-03-29T00:30:00.000Z',
    ],
    [
      'zero hours is the anchor itself',
      '2026-03-29T01:30:00Z',
      { amount: 0, unit: 'hours' },
      '2026-03-29T01:30:00.000Z',
    ],
  ])('%s', (_label, anchor, interval, expected) => {
    expect(step(anchor, interval)).toBe(expected);
  });
});

describe('stepFrom: days, weeks, months and years keep the London wall-clock time', () => {
  it.each<[string, string, Interval, string]>([
    // Late March (GMT → BST): 14:00 GMT is 14:00Z, 14:00 BST is 13:00Z.
    [
      'Sat 28 Mar 14:00 GMT + 1 day = Sun 29 Mar 14:00 BST (23 real hours)',
      '2026-03-28T14:00:00Z',
      { amount: 1, unit: 'days' },
      '2026-03-29T13:00:00.000Z',
    ],
    [
      '28 Mar 14:00 GMT + 1 week = 4 Apr 14:00 BST',
      '2026-03-28T14:00:00Z',
      { amount: 1, unit: 'weeks' },
      '2026-04-04T13:00:00.000Z',
    ],
    [
      '28 Mar 14:00 GMT + 4 weeks = 25 Apr 14:00 BST',
      '2026-03-28T14:00:00Z',
      { amount: 4, unit: 'weeks' },
      '2026-04-25T13:00:00.000Z',
    ],
    [
      '28 Mar 14:00 GMT + 6 weeks = 9 May 14:00 BST',
      '2026-03-28T14:00:00Z',
      { amount: 6, unit: 'weeks' },
      '2026-05-09T13:00:00.000Z',
    ],
    [
      '28 Mar 14:00 GMT + 3 months = 28 Jun 14:00 BST',
      '2026-03-28T14:00:00Z',
      { amount: 3, unit: 'months' },
      '2026-06-28T13:00:00.000Z',
    ],
    // Late October (BST → GMT).
    [
      'Sat 24 Oct 14:00 BST + 1 day = Sun 25 Oct 14:00 GMT (25 real hours)',
      '2026-10-24T13:00:00Z',
      { amount: 1, unit: 'days' },
      '2026-10-25T14:00:00.000Z',
    ],
    [
      '24 Oct 14:00 BST + 7 days = 31 Oct 14:00 GMT',
      '2026-10-24T13:00:00Z',
      { amount: 7, unit: 'days' },
      '2026-10-31T14:00:00.000Z',
    ],
    [
      '24 Oct 14:00 BST + 6 weeks = 5 Dec 14:00 GMT',
      '2026-10-24T13:00:00Z',
      { amount: 6, unit: 'weeks' },
      '2026-12-05T14:00:00.000Z',
    ],
    [
      '24 Oct 14:00 BST + 3 months = 24 Jan 2027 14:00 GMT',
      '2026-10-24T13:00:00Z',
      { amount: 3, unit: 'months' },
      '2027-01-24T14:00:00.000Z',
    ],
    [
      '10 Jan 14:00 GMT + 6 months = 10 Jul 14:00 BST',
      '2026-01-10T14:00:00Z',
      { amount: 6, unit: 'months' },
      '2026-07-10T13:00:00.000Z',
    ],
    [
      '1 Jul 2026 09:00 BST + 1 year = 1 Jul 2027 09:00 BST',
      '2026-07-01T08:00:00Z',
      { amount: 1, unit: 'years' },
      '2027-07-01T08:00:00.000Z',
    ],
    // Midnight-ish times stay on the right London day, not the UTC one.
    [
      '1 Jul 00:30 BST (30 Jun in UTC) + 1 day = 2 Jul 00:30 BST',
      '2026-06-30T23:30:00Z',
      { amount: 1, unit: 'days' },
      '2026-07-01T23:30:00.000Z',
    ],
  ])('%s', (_label, anchor, interval, expected) => {
    expect(step(anchor, interval)).toBe(expected);
  });

  it('a week is exactly seven calendar days', () => {
    expect(step('2026-03-25T14:00:00Z', { amount: 1, unit: 'weeks' })).toBe(
      step('2026-03-25T14:00:00Z', { amount: 7, unit: 'days' }),
    );
    // Wed 25 Mar 14:00 GMT + 7 days = Wed 1 Apr 14:00 BST.
    expect(step('2026-03-25T14:00:00Z', { amount: 7, unit: 'days' })).toBe('2026-04-01T13:00:00.000Z');
  });
});

describe('stepFrom: a day the target month lacks falls on its last day', () => {
  it.each<[string, string, Interval, string]>([
    [
      '31 Aug 2026 14:00 BST + 6 months = 28 Feb 2027 14:00 GMT',
      '2026-08-31T13:00:00Z',
      { amount: 6, unit: 'months' },
      '2027-02-28T14:00:00.000Z',
    ],
    [
      '31 Aug 2027 14:00 BST + 6 months = 29 Feb 2028 14:00 GMT (leap year)',
      '2027-08-31T13:00:00Z',
      { amount: 6, unit: 'months' },
      '2028-02-29T14:00:00.000Z',
    ],
    [
      '31 Jan 2026 + 1 month = 28 Feb 2026',
      '2026-01-31T14:00:00Z',
      { amount: 1, unit: 'months' },
      '2026-02-28T14:00:00.000Z',
    ],
    [
      '31 Jan 2028 + 1 month = 29 Feb 2028',
      '2028-01-31T14:00:00Z',
      { amount: 1, unit: 'months' },
      '2028-02-29T14:00:00.000Z',
    ],
    [
      '31 Jan 2026 + 2 months = 31 Mar 2026 14:00 BST (the day exists, so no clamp)',
      '2026-01-31T14:00:00Z',
      { amount: 2, unit: 'months' },
      '2026-03-31T13:00:00.000Z',
    ],
    [
      '30 Nov 2026 + 3 months = 28 Feb 2027',
      '2026-11-30T14:00:00Z',
      { amount: 3, unit: 'months' },
      '2027-02-28T14:00:00.000Z',
    ],
    [
      '30 Nov 2027 + 3 months = 29 Feb 2028',
      '2027-11-30T14:00:00Z',
      { amount: 3, unit: 'months' },
      '2028-02-29T14:00:00.000Z',
    ],
    [
      '31 Mar 2026 14:00 BST + 1 month = 30 Apr 14:00 BST',
      '2026-03-31T13:00:00Z',
      { amount: 1, unit: 'months' },
      '2026-04-30T13:00:00.000Z',
    ],
    [
      '31 Dec 2026 23:59 GMT + 3 months = 31 Mar 2027 23:59 BST',
      '2026-12-31T23:59:00Z',
      { amount: 3, unit: 'months' },
      '2027-03-31T22:59:00.000Z',
    ],
    [
      '31 Dec 2026 23:59 GMT + 6 months = 30 Jun 2027 23:59 BST',
      '2026-12-31T23:59:00Z',
      { amount: 6, unit: 'months' },
      '2027-06-30T22:59:00.000Z',
    ],
  ])('%s', (_label, anchor, interval, expected) => {
    expect(step(anchor, interval)).toBe(expected);
  });
});

describe('stepFrom: a leap-day anchor', () => {
  it.each<[string, Interval, string]>([
    ['29 Feb 2028 + 1 year = 28 Feb 2029', { amount: 1, unit: 'years' }, '2029-02-28T09:00:00.000Z'],
    ['29 Feb 2028 + 12 months = 28 Feb 2029', { amount: 12, unit: 'months' }, '2029-02-28T09:00:00.000Z'],
    ['29 Feb 2028 + 4 years = 29 Feb 2032', { amount: 4, unit: 'years' }, '2032-02-29T09:00:00.000Z'],
    ['29 Feb 2028 − 1 year = 28 Feb 2027', { amount: -1, unit: 'years' }, '2027-02-28T09:00:00.000Z'],
    // BST 2028 starts on 26 March, so 29 March 09:00 is BST (08:00Z).
    [
      '29 Feb 2028 + 1 month = 29 Mar 2028 09:00 BST',
      { amount: 1, unit: 'months' },
      '2028-03-29T08:00:00.000Z',
    ],
    ['29 Feb 2028 + 1 day = 1 Mar 2028', { amount: 1, unit: 'days' }, '2028-03-01T09:00:00.000Z'],
  ])('%s', (_label, interval, expected) => {
    expect(step('2028-02-29T09:00:00Z', interval)).toBe(expected);
  });
});

describe('stepFrom: a target wall time the clocks skip or repeat', () => {
  it.each<[string, string, Interval, string]>([
    // 01:30 on Sunday 29 March 2026 does not exist (01:00 GMT jumps to 02:00 BST): moved forward by the gap.
    [
      'Sat 28 Mar 01:30 GMT + 1 day → 02:30 BST on the 29th',
      '2026-03-28T01:30:00Z',
      { amount: 1, unit: 'days' },
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'Sun 22 Mar 01:30 GMT + 1 week → 02:30 BST on the 29th',
      '2026-03-22T01:30:00Z',
      { amount: 1, unit: 'weeks' },
      '2026-03-29T01:30:00.000Z',
    ],
    [
      '29 Jan 01:45 GMT + 2 months → 02:45 BST on 29 Mar',
      '2026-01-29T01:45:00Z',
      { amount: 2, unit: 'months' },
      '2026-03-29T01:45:00.000Z',
    ],
    [
      'Sat 28 Mar 01:00 GMT + 1 day → 02:00 BST (01:00 itself is skipped)',
      '2026-03-28T01:00:00Z',
      { amount: 1, unit: 'days' },
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'Sat 28 Mar 00:59 GMT + 1 day → 00:59 GMT (before the gap)',
      '2026-03-28T00:59:00Z',
      { amount: 1, unit: 'days' },
      '2026-03-29T00:59:00.000Z',
    ],
    [
      'Sat 28 Mar 02:00 GMT + 1 day → 02:00 BST (after the gap)',
      '2026-03-28T02:00:00Z',
      { amount: 1, unit: 'days' },
      '2026-03-29T01:00:00.000Z',
    ],
    // 01:00–01:59 on Sunday 25 October 2026 happens twice; the first (BST) is taken.
    [
      'Sat 24 Oct 01:30 BST + 1 day → the first 01:30 (BST) on the 25th',
      '2026-10-24T00:30:00Z',
      { amount: 1, unit: 'days' },
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'Sat 24 Oct 01:00 BST + 1 day → the first 01:00 (BST) on the 25th',
      '2026-10-24T00:00:00Z',
      { amount: 1, unit: 'days' },
      '2026-10-25T00:00:00.000Z',
    ],
    [
      'Mon 26 Oct 01:30 GMT − 1 day → the first 01:30 (BST) on the 25th',
      '2026-10-26T01:30:00Z',
      { amount: -1, unit: 'days' },
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'Sat 24 Oct 02:00 BST + 1 day → 02:00 GMT (not repeated)',
      '2026-10-24T01:00:00Z',
      { amount: 1, unit: 'days' },
      '2026-10-25T02:00:00.000Z',
    ],
    [
      'the first 01:30 on 25 Oct (BST) + 1 day → 01:30 GMT on the 26th',
      '2026-10-25T00:30:00Z',
      { amount: 1, unit: 'days' },
      '2026-10-26T01:30:00.000Z',
    ],
    [
      'the second 01:30 on 25 Oct (GMT) + 1 day → 01:30 GMT on the 26th',
      '2026-10-25T01:30:00Z',
      { amount: 1, unit: 'days' },
      '2026-10-26T01:30:00.000Z',
    ],
  ])('%s', (_label, anchor, interval, expected) => {
    expect(step(anchor, interval)).toBe(expected);
  });
});

describe('stepFrom: endOfDay is 23:59 on the London calendar day', () => {
  const sameDay: Interval = { amount: 0, unit: 'days', endOfDay: true };

  it.each<[string, string, Interval, string]>([
    ['a winter day: 23:59 GMT', '2026-01-15T09:00:00Z', sameDay, '2026-01-15T23:59:00.000Z'],
    ['a summer day: 23:59 BST', '2026-07-01T08:00:00Z', sameDay, '2026-07-01T22:59:00.000Z'],
    [
      '00:30 BST on 1 July (still 30 June in UTC) is on 1 July',
      '2026-06-30T23:30:00Z',
      sameDay,
      '2026-07-01T22:59:00.000Z',
    ],
    [
      'the spring-forward day starts in GMT and ends in BST',
      '2026-03-29T00:30:00Z',
      sameDay,
      '2026-03-29T22:59:00.000Z',
    ],
    [
      'the fall-back day starts in BST and ends in GMT',
      '2026-10-25T00:30:00Z',
      sameDay,
      '2026-10-25T23:59:00.000Z',
    ],
    ['at 23:59 the end of the day is now', '2026-01-15T23:59:00Z', sameDay, '2026-01-15T23:59:00.000Z'],
    [
      'Fri 27 Mar + 2 days, by the end of the day: Sun 29 Mar 23:59 BST',
      '2026-03-27T10:00:00Z',
      { amount: 2, unit: 'days', endOfDay: true },
      '2026-03-29T22:59:00.000Z',
    ],
    [
      '30 Nov + 3 months, by the end of the day: 28 Feb 23:59 GMT',
      '2026-11-30T10:00:00Z',
      { amount: 3, unit: 'months', endOfDay: true },
      '2027-02-28T23:59:00.000Z',
    ],
  ])('%s', (_label, anchor, interval, expected) => {
    expect(step(anchor, interval)).toBe(expected);
  });
});

describe('stepFrom: negative steps count back (retirement preparation)', () => {
  it.each<[string, string, Interval, string]>([
    [
      '31 Aug 2027 09:00 BST − 6 months = 28 Feb 2027 09:00 GMT',
      '2027-08-31T08:00:00Z',
      { amount: -6, unit: 'months' },
      '2027-02-28T09:00:00.000Z',
    ],
    [
      '31 Aug 2028 09:00 BST − 6 months = 29 Feb 2028 09:00 GMT',
      '2028-08-31T08:00:00Z',
      { amount: -6, unit: 'months' },
      '2028-02-29T09:00:00.000Z',
    ],
    [
      '31 Mar 2027 09:00 BST − 6 months = 30 Sep 2026 09:00 BST',
      '2027-03-31T08:00:00Z',
      { amount: -6, unit: 'months' },
      '2026-09-30T08:00:00.000Z',
    ],
    [
      '31 Jul 2027 09:00 BST − 4 months = 31 Mar 2027 09:00 BST',
      '2027-07-31T08:00:00Z',
      { amount: -4, unit: 'months' },
      '2027-03-31T08:00:00.000Z',
    ],
    [
      '5 Apr 2027 09:00 BST − 2 weeks = 22 Mar 2027 09:00 GMT',
      '2027-04-05T08:00:00Z',
      { amount: -2, unit: 'weeks' },
      '2027-03-22T09:00:00.000Z',
    ],
    [
      '1 Nov 2026 09:00 GMT − 8 days = 24 Oct 09:00 BST',
      '2026-11-01T09:00:00Z',
      { amount: -8, unit: 'days' },
      '2026-10-24T08:00:00.000Z',
    ],
  ])('%s', (_label, anchor, interval, expected) => {
    expect(step(anchor, interval)).toBe(expected);
  });
});

describe('describeInterval', () => {
  it.each<[Interval, string]>([
    [{ amount: 1, unit: 'hours' }, '1 hour'],
    [{ amount: 72, unit: 'hours' }, '72 hours'],
    [{ amount: 60, unit: 'minutes' }, '60 minutes'],
    [{ amount: 1, unit: 'minutes' }, '1 minute'],
    [{ amount: 7, unit: 'days' }, '7 days'],
    [{ amount: 1, unit: 'weeks' }, '1 week'],
    [{ amount: 6, unit: 'weeks' }, '6 weeks'],
    [{ amount: 1, unit: 'months' }, '1 month'],
    [{ amount: 1, unit: 'years' }, '1 year'],
    [{ amount: -6, unit: 'months' }, '6 months before'],
    [{ amount: -1, unit: 'weeks' }, '1 week before'],
    [{ amount: 0, unit: 'minutes' }, 'at once'],
    [{ amount: 0, unit: 'days', endOfDay: true }, 'the same day'],
    [{ amount: 2, unit: 'days', endOfDay: true }, 'by the end of the day, 2 days'],
    [{ amount: -1, unit: 'days', endOfDay: true }, 'by the end of the day, 1 day before'],
  ])('%o reads "%s"', (interval, expected) => {
    expect(describeInterval(interval)).toBe(expected);
  });
});

/*
 * Properties: an oracle of the time rules that does not use Temporal (which the code
 * under test uses) — the London wall clock is read with Intl, calendar steps are plain
 * Y/M/D arithmetic on Date.UTC.
 */

const LONDON_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function londonWall(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(LONDON_CLOCK.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

type CalendarUnit = 'days' | 'weeks' | 'months' | 'years';

/** A calendar step on a YYYY-MM-DD date; a missing day falls on the month's last day. */
function addToDate(date: string, amount: number, unit: CalendarUnit): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (unit === 'days' || unit === 'weeks')
    return ymd(Date.UTC(y, m - 1, d + amount * (unit === 'weeks' ? 7 : 1)));
  const index = y * 12 + (m - 1) + amount * (unit === 'years' ? 12 : 1);
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return ymd(Date.UTC(year, month, Math.min(d, lastDay)));
}

/** The last Sunday of March: the London day that starts in GMT and is in BST by 01:30 UTC. */
const isSpringForwardDay = (date: string) =>
  londonWall(new Date(`${date}T00:30:00Z`)).time === '00:30' &&
  londonWall(new Date(`${date}T01:30:00Z`)).time === '02:30';

/** Asserts `result` is `interval` after `anchor` by the DOMAIN.md time rules. */
function expectStep(anchor: Date, interval: Interval, result: Date): void {
  const from = londonWall(anchor);
  const to = londonWall(result);
  if (interval.unit === 'minutes' || interval.unit === 'hours') {
    const elapsed = interval.amount * (interval.unit === 'hours' ? HOUR : MINUTE);
    if (!interval.endOfDay) {
      expect(result.getTime() - anchor.getTime()).toBe(elapsed);
      return;
    }
    expect(to.date).toBe(londonWall(new Date(anchor.getTime() + elapsed)).date);
    expect(to.time).toBe('23:59');
    return;
  }
  expect(to.date).toBe(addToDate(from.date, interval.amount, interval.unit));
  if (interval.endOfDay) {
    expect(to.time).toBe('23:59');
  } else if (to.time !== from.time) {
    // Only the spring-forward gap moves the time of day: forward by the hour the clocks skip.
    expect(isSpringForwardDay(to.date)).toBe(true);
    expect(from.time.slice(0, 3)).toBe('01:');
    expect(to.time).toBe(`02:${from.time.slice(3)}`);
  }
}

const FROM = new Date('2020-01-01T00:00:00Z');
const TO = new Date('2035-12-31T23:59:00Z');
const toMinute = (d: Date) => new Date(Math.floor(d.getTime() / MINUTE) * MINUTE);

/** Any minute from 2020 to 2035, weighted towards the awkward ones. */
const anyMinute = fc.date({ min: FROM, max: TO, noInvalidDate: true }).map(toMinute);
const lastSunday = (year: number, month: number) => {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay());
};
const nearClockChange = fc
  .record({
    year: fc.integer({ min: 2020, max: 2035 }),
    month: fc.constantFrom(2, 9),
    minutes: fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }),
  })
  .map(({ year, month, minutes }) => new Date(lastSunday(year, month) + minutes * MINUTE));
const nearMonthEnd = fc
  .record({
    year: fc.integer({ min: 2020, max: 2035 }),
    month: fc.integer({ min: 0, max: 11 }),
    day: fc.integer({ min: 28, max: 31 }),
    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  })
  .map(({ year, month, day, minute }) => {
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month, Math.min(day, lastDay)) + minute * MINUTE);
  });
const awkwardMinute = fc.oneof(anyMinute, nearClockChange, nearMonthEnd);

const elapsedInterval = fc.record({
  amount: fc.integer({ min: -1000, max: 1000 }),
  unit: fc.constantFrom('minutes' as const, 'hours' as const),
});
const calendarInterval = fc.oneof(
  fc.record({ amount: fc.integer({ min: -1000, max: 1000 }), unit: fc.constant('days' as const) }),
  fc.record({ amount: fc.integer({ min: -150, max: 150 }), unit: fc.constant('weeks' as const) }),
  fc.record({ amount: fc.integer({ min: -120, max: 120 }), unit: fc.constant('months' as const) }),
  fc.record({ amount: fc.integer({ min: -10, max: 10 }), unit: fc.constant('years' as const) }),
);

describe('stepFrom properties (any minute from 2020 to 2035)', () => {
  it('an elapsed step is exactly N minutes or hours of real time', () => {
    fc.assert(
      fc.property(awkwardMinute, elapsedInterval, (anchor, interval) => {
        const ms = interval.amount * (interval.unit === 'hours' ? HOUR : MINUTE);
        expect(stepFrom(anchor, interval).getTime() - anchor.getTime()).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('a calendar step lands on the stepped London date at the same local time, except in the spring gap', () => {
    fc.assert(
      fc.property(awkwardMinute, calendarInterval, (anchor, interval) => {
        expectStep(anchor, interval, stepFrom(anchor, interval));
      }),
      { numRuns: 3000 },
    );
  });

  it('endOfDay lands at 23:59 on the London date the step reaches', () => {
    fc.assert(
      fc.property(awkwardMinute, fc.oneof(calendarInterval, elapsedInterval), (anchor, interval) => {
        const endOfDay = { ...interval, endOfDay: true };
        expectStep(anchor, endOfDay, stepFrom(anchor, endOfDay));
      }),
      { numRuns: 2000 },
    );
  });

  it('N days is N × 24 hours, give or take the hour of a clock change in between', () => {
    fc.assert(
      fc.property(awkwardMinute, fc.integer({ min: -1000, max: 1000 }), (anchor, days) => {
        const drift =
          stepFrom(anchor, { amount: days, unit: 'days' }).getTime() - anchor.getTime() - days * 24 * HOUR;
        expect(Math.abs(drift)).toBeLessThanOrEqual(HOUR);
      }),
      { numRuns: 1000 },
    );
  });

  it('the oracle itself agrees with hand-worked dates and catches a wrong answer', () => {
    expect(addToDate('2026-08-31', 6, 'months')).toBe('2027-02-28');
    expect(addToDate('2027-08-31', 6, 'months')).toBe('2028-02-29');
    expect(addToDate('2028-02-29', 1, 'years')).toBe('2029-02-28');
    expect(addToDate('2027-08-31', -6, 'months')).toBe('2027-02-28');
    expect(isSpringForwardDay('2026-03-29')).toBe(true);
    expect(isSpringForwardDay('2026-03-28')).toBe(false);
    expect(isSpringForwardDay('2026-07-01')).toBe(false);
    // …and catches a wrong answer: 1 day after Sat 24 Oct 14:00 BST is not 24 real hours later.
    const anchor = new Date('2026-10-24T13:00:00Z');
    expect(() => expectStep(anchor, { amount: 1, unit: 'days' }, new Date('2026-10-25T13:00:00Z'))).toThrow();
    expect(() =>
      expectStep(anchor, { amount: 1, unit: 'hours' }, new Date('2026-10-24T13:01:00Z')),
    ).toThrow();
  });
});

/** Any facts the shipped rule sets read, present, null or absent. */
const anyFacts: fc.Arbitrary<PathwayFacts> = fc.record(
  {
    highRiskHcv: fc.option(fc.boolean()),
    avulsed: fc.option(fc.boolean()),
    route: fc.option(
      fc.constantFrom(
        'emergency-department',
        'urgent-care',
        'fast-track-physiotherapy',
        'supported-self-care',
      ),
    ),
  },
  { requiredKeys: [] },
);

describe.each(DEFAULT_RULE_SETS.map((ruleSet) => [ruleSet.code, ruleSet] as const))(
  'every time in a %s plan follows the time rules',
  (_code, ruleSet) => {
    it('on any minute from 2020 to 2035, with any facts', () => {
      fc.assert(
        fc.property(awkwardMinute, anyFacts, (anchor, facts) => {
          for (const task of schedulePathway(ruleSet, anchor, facts)) {
            const step = ruleSet.steps.find((s) => s.code === task.code);
            if (!step) throw new Error(`No step ${task.code}`);
            expectStep(anchor, step.dueAfter, task.dueAt);
            expect(task.opensAt === null).toBe(step.opensAfter === undefined);
            expect(task.closesAt === null).toBe(step.closesAfter === undefined);
            if (step.opensAfter && task.opensAt) expectStep(anchor, step.opensAfter, task.opensAt);
            if (step.closesAfter && task.closesAt) expectStep(anchor, step.closesAfter, task.closesAt);
          }
        }),
        { numRuns: 1000 },
      );
    });
  },
);
