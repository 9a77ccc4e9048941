import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDate,
  formatLondonDateTime,
  formatLondonTime,
  isOutOfHours,
  londonDate,
  londonInstant,
} from '../../src/domain/time/london.ts';

const HOUR = 3_600_000;
const iso = (d: Date) => d.toISOString();

describe('British Summer Time in 2026: starts Sunday 29 March, ends Sunday 25 October, at 01:00 UTC', () => {
  it('puts noon in London at 12:00 UTC in winter and 11:00 UTC in summer', () => {
    expect(iso(londonInstant('2026-03-28', 12))).toBe('2026-03-28T12:00:00.000Z');
    expect(iso(londonInstant('2026-03-29', 12))).toBe('2026-03-29T11:00:00.000Z');
    expect(iso(londonInstant('2026-10-24', 12))).toBe('2026-10-24T11:00:00.000Z');
    expect(iso(londonInstant('2026-10-25', 12))).toBe('2026-10-25T12:00:00.000Z');
  });

  it('on 29 March: midnight is GMT, 09:00 is BST, and three wall-clock hours after midnight are two real hours', () => {
    expect(iso(londonInstant('2026-03-29', 0))).toBe('2026-03-29T00:00:00.000Z');
    expect(iso(londonInstant('2026-03-29', 9))).toBe('2026-03-29T08:00:00.000Z');
    expect(iso(londonInstant('2026-03-29', 9, 30))).toBe('2026-03-29T08:30:00.000Z');
    expect(londonInstant('2026-03-29', 3).getTime() - londonInstant('2026-03-29', 0).getTime()).toBe(
      2 * HOUR,
    );
  });

  it('on 29 March: 01:30 does not exist and moves forward to 02:30 BST', () => {
    expect(iso(londonInstant('2026-03-29', 1, 30))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(londonInstant('2026-03-29', 2, 30))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('on 25 October: 09:00 is GMT, 01:30 happens twice and means the first (BST) one', () => {
    expect(iso(londonInstant('2026-10-25', 9))).toBe('2026-10-25T09:00:00.000Z');
    expect(iso(londonInstant('2026-10-25', 1, 30))).toBe('2026-10-25T00:30:00.000Z');
    expect(londonInstant('2026-10-25', 3).getTime() - londonInstant('2026-10-25', 0).getTime()).toBe(
      4 * HOUR,
    );
  });

  it('gives the London calendar date of an instant either side of midnight and of the changes', () => {
    expect(londonDate(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-28');
    expect(londonDate(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29');
    expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(londonDate(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-25');
    expect(londonDate(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-25');
    expect(londonDate(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
  });

  it('round-trips: the London date of londonInstant(date, h) is that date for every hour of the change days', () => {
    for (const date of ['2026-03-29', '2026-10-25', '2026-07-01', '2026-01-15']) {
      for (let hour = 0; hour < 24; hour++) expect(londonDate(londonInstant(date, hour))).toBe(date);
    }
  });
});

describe('addDays', () => {
  it('steps calendar days across month ends, leap days and the clock changes', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
  });
});

describe('isOutOfHours (08:00–18:00 Monday to Friday, London time)', () => {
  it.each([
    ['Monday 08:00 BST', '2026-03-30T07:00:00Z', false],
    ['Monday 07:59 BST', '2026-03-30T06:59:00Z', true],
    ['Monday 17:59 BST', '2026-03-30T16:59:00Z', false],
    ['Monday 18:00 BST', '2026-03-30T17:00:00Z', true],
    ['Friday 08:00 GMT', '2026-03-27T08:00:00Z', false],
    ['Friday 07:30 GMT', '2026-03-27T07:30:00Z', true],
    ['Saturday noon', '2026-03-28T12:00:00Z', true],
    ['Sunday noon', '2026-03-29T11:00:00Z', true],
    ['Monday 08:30 GMT after the October change', '2026-10-26T08:30:00Z', false],
  ])('%s → %s', (_label, at, expected) => {
    expect(isOutOfHours(new Date(at))).toBe(expected);
  });
});

describe('formatting for people in the UK', () => {
  it('shows dates and times on the London clock', () => {
    expect(formatLondonDateTime(new Date('2026-03-03T14:30:00Z'))).toBe('Tuesday 3 March 2026, 2:30pm');
    expect(formatLondonDateTime(new Date('2026-03-29T08:00:00Z'))).toBe('Sunday 29 March 2026, 9:00am');
    expect(formatLondonTime(new Date('2026-10-25T09:05:00Z'))).toBe('9:05am');
    expect(formatLondonTime(new Date('2026-07-01T12:00:00Z'))).toBe('1:00pm');
    expect(formatDate('2026-03-29')).toBe('29 March 2026');
    expect(formatDate(new Date('2026-06-30T23:30:00Z'))).toBe('1 July 2026');
  });
});
