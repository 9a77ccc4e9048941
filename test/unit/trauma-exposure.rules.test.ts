import { describe, expect, it } from 'vitest';
import { TRAUMA_OUTREACH_DEFAULT, traumaExposure } from '../../src/domain/incidents/trauma-exposure.rules.ts';
import { Invalid } from '../../src/domain/shared/errors.ts';
import { londonInstant } from '../../src/domain/time/london.ts';

const at = (date: string, hour = 12, minute = 0) => londonInstant(date, hour, minute);
const times = (count: number, date: string) => Array.from({ length: count }, (_, i) => at(date, 8 + i));

describe('TRAUMA_OUTREACH_DEFAULT', () => {
  it('is 5 incidents in 12 months, with its source', () => {
    expect(TRAUMA_OUTREACH_DEFAULT).toMatchObject({ threshold: 5, windowMonths: 12 });
    expect(TRAUMA_OUTREACH_DEFAULT.source).toMatch(/default/);
  });
});

describe('traumaExposure: the 12-month window on the London calendar', () => {
  const now = at('2026-03-05', 12);

  it('counts an incident exactly 12 months ago, from the first minute of that day', () => {
    const result = traumaExposure([at('2025-03-05', 0, 0), at('2025-03-05', 23, 59)], now);
    expect(result).toEqual({ last12Months: 2, total: 2, outreachDue: false, windowStart: '2025-03-05' });
  });

  it('does not count the day before', () => {
    expect(traumaExposure([at('2025-03-04', 23, 59)], now).last12Months).toBe(0);
  });

  it('drops an incident the day after its anniversary', () => {
    const incident = at('2025-03-05', 9);
    expect(traumaExposure([incident], at('2026-03-05', 23, 59)).last12Months).toBe(1);
    expect(traumaExposure([incident], at('2026-03-06', 0, 0)).last12Months).toBe(0);
  });

  it('reads dates in London time: 23:30 UTC on 30 June is 1 July in summer', () => {
    const incident = new Date('2025-06-30T23:30:00Z');
    const result = traumaExposure([incident], new Date('2026-06-30T23:30:00Z'));
    expect(result.windowStart).toBe('2025-07-01');
    expect(result.last12Months).toBe(1);
    // At 22:59 UTC on 30 June 2026 it is still 30 June in London, so the window starts on 30 June.
    expect(traumaExposure([incident], new Date('2026-06-30T22:59:00Z')).windowStart).toBe('2025-06-30');
  });

  it('counts calendar months: one month before 31 March is the last day of February', () => {
    const rule = { ...TRAUMA_OUTREACH_DEFAULT, windowMonths: 1 };
    const result = traumaExposure([at('2026-02-28', 10), at('2026-02-27', 10)], at('2026-03-31'), rule);
    expect(result.windowStart).toBe('2026-02-28');
    expect(result.last12Months).toBe(1);
  });

  it('does not count incidents after now in the window, though they are in the log', () => {
    const result = traumaExposure([at('2026-03-05', 12, 1), at('2026-04-01')], now);
    expect(result).toMatchObject({ last12Months: 0, total: 2 });
  });

  it('counts an incident at exactly now', () => {
    expect(traumaExposure([now], now).last12Months).toBe(1);
  });
});

describe('traumaExposure: the outreach threshold', () => {
  const now = at('2026-03-05');

  it.each([
    [0, false],
    [4, false],
    [5, true],
    [9, true],
  ])('%i incidents in the window → outreach due %s', (count, due) => {
    const result = traumaExposure(times(count, '2025-11-20'), now);
    expect(result.last12Months).toBe(count);
    expect(result.outreachDue).toBe(due);
  });

  it('ignores old incidents however many there are', () => {
    const result = traumaExposure([...times(10, '2024-06-01'), ...times(4, '2026-01-10')], now);
    expect(result).toMatchObject({ last12Months: 4, total: 14, outreachDue: false });
  });

  it('uses the rule an OH physician sets', () => {
    const rule = { threshold: 3, windowMonths: 6, source: 'Force OH physician, 2026' };
    expect(traumaExposure(times(3, '2025-09-05'), now, rule)).toMatchObject({
      last12Months: 3,
      outreachDue: true,
      windowStart: '2025-09-05',
    });
    expect(traumaExposure(times(3, '2025-09-04'), now, rule).outreachDue).toBe(false);
  });
});

describe('traumaExposure: bad input', () => {
  const now = at('2026-03-05');

  it('refuses an invalid incident date, naming it', () => {
    try {
      traumaExposure([now, new Date('not a date')], now);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).errors.map((e) => e.path)).toEqual(['/incidents/1/occurredAt']);
    }
  });

  it.each([
    { threshold: 0, windowMonths: 12 },
    { threshold: 2.5, windowMonths: 12 },
    { threshold: 5, windowMonths: 0 },
  ])('refuses the rule %j', (rule) => {
    expect(() => traumaExposure([], now, { ...rule, source: 'x' })).toThrow(Invalid);
  });
});
