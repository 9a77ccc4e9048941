import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPOINTMENT_MODES,
  type AppointmentMode,
  appointmentActions,
  type ClinicSession,
  checkAppointmentFits,
  freeSlots,
  type Interval,
  type Slot,
} from '../../src/domain/appointments/slot.rules.ts';
import { RuleRefused } from '../../src/domain/shared/errors.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-30T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);
const session = (
  startMinutes: number,
  endMinutes: number,
  slotMinutes: number,
  mode: AppointmentMode = 'in-person',
  siteId: string | null = 'site-a',
): ClinicSession => ({ start: at(startMinutes), end: at(endMinutes), slotMinutes, mode, siteId });
const starts = (slots: Slot[]) => slots.map((s) => (s.start.getTime() - T0) / MINUTE);

describe('freeSlots', () => {
  const morning = session(60, 240, 60); // 09:00–12:00 London (BST), hourly
  const afternoon = session(300, 420, 30, 'phone', null); // 13:00–15:00, half-hourly

  it('cuts each session into whole slots, soonest first', () => {
    const slots = freeSlots({
      sessions: [afternoon, morning],
      booked: [],
      from: at(0),
      to: at(1440),
      now: at(0),
    });
    expect(starts(slots)).toEqual([60, 120, 180, 300, 330, 360, 390]);
    expect(slots[0]).toMatchObject({ start: at(60), end: at(120), mode: 'in-person', siteId: 'site-a' });
    expect(slots[3]).toMatchObject({ start: at(300), end: at(330), mode: 'phone', siteId: null });
    // Every slot says whether it is out of hours (early, evening or weekend, London time).
    expect(slots.every((s) => typeof s.outOfHours === 'boolean')).toBe(true);
  });

  it('never offers a part slot at the end of a session', () => {
    const slots = freeSlots({
      sessions: [session(0, 100, 30)],
      booked: [],
      from: at(0),
      to: at(1440),
      now: at(0),
    });
    expect(starts(slots)).toEqual([0, 30, 60]);
  });

  it('leaves out slots that overlap a booking, even partly', () => {
    const booked: Interval[] = [
      { start: at(70), end: at(80) },
      { start: at(330), end: at(331) },
    ];
    const slots = freeSlots({
      sessions: [morning, afternoon],
      booked,
      from: at(0),
      to: at(1440),
      now: at(0),
    });
    expect(starts(slots)).toEqual([120, 180, 300, 360, 390]);
  });

  it('offers a slot that touches a booking without overlapping it', () => {
    const booked: Interval[] = [{ start: at(120), end: at(180) }];
    const slots = freeSlots({ sessions: [morning], booked, from: at(0), to: at(1440), now: at(0) });
    expect(starts(slots)).toEqual([60, 180]);
  });

  it('offers nothing before now, including a slot already under way', () => {
    const slots = freeSlots({ sessions: [morning], booked: [], from: at(0), to: at(1440), now: at(61) });
    expect(starts(slots)).toEqual([120, 180]);
  });

  it('keeps to the window [from, to)', () => {
    const slots = freeSlots({
      sessions: [morning, afternoon],
      booked: [],
      from: at(120),
      to: at(330),
      now: at(0),
    });
    expect(starts(slots)).toEqual([120, 180, 300]);
  });

  it('never offers a site the person marked unsafe, but still offers sessions without a site', () => {
    const slots = freeSlots({
      sessions: [morning, afternoon, session(500, 560, 60, 'in-person', 'site-b')],
      booked: [],
      from: at(0),
      to: at(1440),
      now: at(0),
      unsafeSiteIds: ['site-a'],
    });
    expect(slots.map((s) => s.siteId)).not.toContain('site-a');
    expect(starts(slots)).toEqual([300, 330, 360, 390, 500]);
  });

  it('returns nothing for no sessions or an empty window', () => {
    expect(freeSlots({ sessions: [], booked: [], from: at(0), to: at(1440), now: at(0) })).toEqual([]);
    expect(freeSlots({ sessions: [morning], booked: [], from: at(100), to: at(100), now: at(0) })).toEqual(
      [],
    );
  });
});

const SITES = ['site-a', 'site-b', 'site-c'] as const;
const sessionArb = fc
  .record({
    startMinutes: fc.integer({ min: 0, max: 7 * 96 }).map((q) => q * 15),
    slotMinutes: fc.constantFrom(10, 15, 20, 30, 45, 60),
    slots: fc.integer({ min: 0, max: 8 }),
    remainder: fc.integer({ min: 0, max: 59 }),
    mode: fc.constantFrom(...APPOINTMENT_MODES),
    siteId: fc.constantFrom<string | null>(...SITES, null),
  })
  .map(({ startMinutes, slotMinutes, slots, remainder, mode, siteId }) =>
    session(
      startMinutes,
      startMinutes + slots * slotMinutes + (remainder % slotMinutes),
      slotMinutes,
      mode,
      siteId,
    ),
  );
const bookedArb = fc
  .record({ startMinutes: fc.integer({ min: 0, max: 7 * 1440 }), minutes: fc.integer({ min: 1, max: 180 }) })
  .map(({ startMinutes, minutes }) => ({ start: at(startMinutes), end: at(startMinutes + minutes) }));
const inputArb = fc.record({
  sessions: fc.array(sessionArb, { maxLength: 12 }),
  booked: fc.array(bookedArb, { maxLength: 15 }),
  fromMinutes: fc.integer({ min: -1440, max: 7 * 1440 }),
  windowMinutes: fc.integer({ min: 0, max: 8 * 1440 }),
  nowMinutes: fc.integer({ min: -1440, max: 7 * 1440 }),
  unsafeSiteIds: fc.subarray<string>([...SITES]),
});

const overlaps = (a: Interval, b: Interval) =>
  a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();

describe('freeSlots properties', () => {
  it('offers only whole, ordered, safe, future slots inside sessions that overlap no booking — and all of them', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const from = at(input.fromMinutes);
        const to = at(input.fromMinutes + input.windowMinutes);
        const now = at(input.nowMinutes);
        const slots = freeSlots({ ...input, from, to, now });
        const disjoint = input.sessions.every((a, i) =>
          input.sessions.every((b, j) => i === j || !overlaps(a, b)),
        );

        for (let i = 1; i < slots.length; i++) {
          expect((slots[i] as Slot).start.getTime()).toBeGreaterThanOrEqual(
            (slots[i - 1] as Slot).start.getTime(),
          );
        }
        for (const slot of slots) {
          expect(slot.start.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(slot.start.getTime()).toBeGreaterThanOrEqual(from.getTime());
          expect(slot.end.getTime()).toBeLessThanOrEqual(to.getTime());
          expect(input.booked.some((b) => overlaps(b, slot))).toBe(false);
          if (slot.siteId !== null) expect(input.unsafeSiteIds).not.toContain(slot.siteId);
          const home = input.sessions.find(
            (s) =>
              s.mode === slot.mode &&
              s.siteId === slot.siteId &&
              s.start.getTime() <= slot.start.getTime() &&
              slot.end.getTime() <= s.end.getTime() &&
              slot.end.getTime() - slot.start.getTime() === s.slotMinutes * MINUTE &&
              (slot.start.getTime() - s.start.getTime()) % (s.slotMinutes * MINUTE) === 0,
          );
          expect(home).toBeDefined();
          // Every offered slot can be booked as offered (overlapping sessions have their own example below).
          if (disjoint) expect(() => checkAppointmentFits(slot, input.sessions)).not.toThrow();
        }

        // Completeness: every grid slot that passes the rules is offered.
        let expected = 0;
        for (const s of input.sessions) {
          if (s.siteId !== null && input.unsafeSiteIds.includes(s.siteId)) continue;
          const step = s.slotMinutes * MINUTE;
          for (let t = s.start.getTime(); t + step <= s.end.getTime(); t += step) {
            const slot = { start: new Date(t), end: new Date(t + step) };
            if (t < now.getTime() || t < from.getTime() || t + step > to.getTime()) continue;
            if (input.booked.some((b) => overlaps(b, slot))) continue;
            expected++;
          }
        }
        expect(slots).toHaveLength(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkAppointmentFits', () => {
  const inPerson = session(60, 240, 60, 'in-person', 'site-a');
  const phone = session(300, 420, 30, 'phone', null);
  const sessions = [inPerson, phone];
  const refused = (appointment: Parameters<typeof checkAppointmentFits>[0], message: RegExp) => {
    expect(() => checkAppointmentFits(appointment, sessions)).toThrow(RuleRefused);
    expect(() => checkAppointmentFits(appointment, sessions)).toThrow(message);
  };

  it('returns the session an offered slot belongs to', () => {
    expect(
      checkAppointmentFits({ start: at(60), end: at(120), mode: 'in-person', siteId: 'site-a' }, sessions),
    ).toEqual({ session: inPerson, siteId: 'site-a' });
    expect(
      checkAppointmentFits({ start: at(330), end: at(360), mode: 'phone', siteId: null }, sessions),
    ).toEqual({ session: phone, siteId: null });
  });

  it('lets an in-person booking without a site take the session’s site', () => {
    expect(
      checkAppointmentFits({ start: at(120), end: at(180), mode: 'in-person', siteId: null }, sessions),
    ).toEqual({ session: inPerson, siteId: inPerson.siteId });
  });

  it('refuses an appointment that does not end after it starts', () => {
    refused({ start: at(120), end: at(120), mode: 'in-person', siteId: null }, /end after it starts/);
    refused({ start: at(180), end: at(120), mode: 'in-person', siteId: null }, /end after it starts/);
  });

  it('refuses a time outside every session, or running past the end of one', () => {
    refused({ start: at(0), end: at(60), mode: 'in-person', siteId: null }, /outside/);
    refused({ start: at(200), end: at(260), mode: 'in-person', siteId: null }, /outside/);
    refused({ start: at(1000), end: at(1030), mode: 'phone', siteId: null }, /outside/);
  });

  it('refuses an appointment that straddles two back-to-back sessions', () => {
    const both = [session(60, 120, 60, 'phone', null), session(120, 180, 60, 'phone', null)];
    expect(() =>
      checkAppointmentFits({ start: at(90), end: at(150), mode: 'phone', siteId: null }, both),
    ).toThrow(/outside/);
  });

  it('picks the session whose mode and site match when two sessions overlap', () => {
    const overlapping = [session(60, 240, 60, 'phone', null), session(60, 240, 60, 'in-person', 'site-b')];
    const offered = freeSlots({ sessions: overlapping, booked: [], from: at(0), to: at(1440), now: at(0) });
    const atSiteB = offered.find((slot) => slot.siteId === 'site-b');
    expect(atSiteB).toBeDefined();
    if (atSiteB) expect(checkAppointmentFits(atSiteB, overlapping).session).toBe(overlapping[1]);
  });

  it('refuses a site other than the session’s', () => {
    refused({ start: at(60), end: at(120), mode: 'in-person', siteId: 'site-b' }, /different site/);
  });

  it('refuses a face-to-face appointment in a session held by phone, where there is nowhere to meet', () => {
    refused({ start: at(300), end: at(330), mode: 'in-person', siteId: null }, /./);
  });
});

describe('appointmentActions', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const future = new Date('2026-03-02T11:00:00Z');
  const past = new Date('2026-03-02T09:00:00Z');
  it.each([
    ['oh', 'booked', future, { cancel: true, markMissed: false }],
    ['oh', 'booked', past, { cancel: true, markMissed: true }],
    ['own', 'booked', future, { cancel: true, markMissed: false }],
    ['own', 'booked', past, { cancel: false, markMissed: false }],
    ['manager', 'booked', future, { cancel: false, markMissed: false }],
    ['oh', 'attended', past, { cancel: false, markMissed: false }],
    ['oh', 'cancelled', future, { cancel: false, markMissed: false }],
  ] as const)('%s viewer, %s appointment → %o', (view, status, start, expected) => {
    expect(appointmentActions(view, { status, start }, now)).toEqual(expected);
  });
});
