import { RuleRefused } from '../shared/errors.ts';
import { isOutOfHours } from '../time/london.ts';

export const APPOINTMENT_MODES = ['in-person', 'phone', 'video'] as const;
export type AppointmentMode = (typeof APPOINTMENT_MODES)[number];

export const MODE_LABELS: Record<AppointmentMode, string> = {
  'in-person': 'Face to face',
  phone: 'Telephone',
  video: 'Video call',
};

export const APPOINTMENT_STATUSES = ['booked', 'attended', 'did-not-attend', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** A clinician's clinic session, cut into slots of `slotMinutes`. */
export type ClinicSession = {
  start: Date;
  end: Date;
  slotMinutes: number;
  mode: AppointmentMode;
  siteId: string | null;
};

export type Interval = { start: Date; end: Date };
/** A free slot; `outOfHours` marks early, evening and weekend times (for shift workers). */
export type Slot = {
  start: Date;
  end: Date;
  mode: AppointmentMode;
  siteId: string | null;
  outOfHours: boolean;
};

/** The longest window one slot query may cover, so a query stays cheap. */
export const MAX_SLOT_WINDOW_DAYS = 92;

function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/**
 * Free slots: every slot of every session inside [from, to), not in the past, not
 * overlapping a booked appointment, and not at a site the person marked unsafe
 * (security-sensitive staff are never offered venues they police).
 */
export function freeSlots(input: {
  sessions: ClinicSession[];
  booked: Interval[];
  from: Date;
  to: Date;
  now: Date;
  unsafeSiteIds?: readonly string[];
}): Slot[] {
  const earliest = Math.max(input.from.getTime(), input.now.getTime());
  const slots: Slot[] = [];
  for (const session of input.sessions) {
    if (session.siteId && input.unsafeSiteIds?.includes(session.siteId)) continue;
    const step = session.slotMinutes * 60_000;
    for (let t = session.start.getTime(); t + step <= session.end.getTime(); t += step) {
      const slot = { start: new Date(t), end: new Date(t + step) };
      if (t < earliest || slot.end.getTime() > input.to.getTime()) continue;
      if (input.booked.some((b) => overlaps(b, slot))) continue;
      slots.push({
        ...slot,
        mode: session.mode,
        siteId: session.siteId,
        outOfHours: isOutOfHours(slot.start),
      });
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * An appointment must end after it starts and fall inside one of the clinician's
 * sessions of the same mode (and at the same site, when one is asked for). Returns
 * the session and the site the appointment is held at (null for phone and video).
 */
export function checkAppointmentFits(
  appointment: Interval & { mode: AppointmentMode; siteId: string | null },
  sessions: ClinicSession[],
): { session: ClinicSession; siteId: string | null } {
  if (appointment.end.getTime() <= appointment.start.getTime()) {
    throw new RuleRefused('The appointment must end after it starts.');
  }
  const inside = sessions.filter(
    (s) => s.start.getTime() <= appointment.start.getTime() && appointment.end.getTime() <= s.end.getTime(),
  );
  if (inside.length === 0) throw new RuleRefused('That time is outside the clinician’s clinic sessions.');
  const sameMode = inside.filter((s) => s.mode === appointment.mode);
  if (sameMode.length === 0) {
    throw new RuleRefused(
      `The clinician’s session at that time is not for ${MODE_LABELS[appointment.mode].toLowerCase()} appointments.`,
    );
  }
  const session =
    appointment.siteId === null
      ? sameMode[0]
      : sameMode.find((s) => s.siteId === null || s.siteId === appointment.siteId);
  if (!session) throw new RuleRefused('That clinic session is held at a different site.');
  if (appointment.mode !== 'in-person') return { session, siteId: null };
  return { session, siteId: appointment.siteId ?? session.siteId };
}

/**
 * Sites a person must never be offered: those they marked unsafe, and for
 * security-sensitive staff every operational site (a police station, a custody
 * suite, an emergency department), where they may meet people they police.
 */
export function sitesToAvoid(person: {
  securitySensitive: boolean;
  unsafeSiteIds: readonly string[];
  operationalSiteIds: readonly string[];
}): string[] {
  return [
    ...new Set([...person.unsafeSiteIds, ...(person.securitySensitive ? person.operationalSiteIds : [])]),
  ];
}

/** How far ahead of its start an appointment may be recorded as attended (a clinician calling early). */
export const ATTEND_EARLY_MINUTES = 60;

/** Whether an appointment is close enough to its start (or past it) to be recorded as attended. */
export function isAttendable(appointmentStart: Date, now: Date): boolean {
  return appointmentStart.getTime() - now.getTime() <= ATTEND_EARLY_MINUTES * 60_000;
}

/** An appointment can be marked attended only once it is close to starting. */
export function checkCanAttend(appointmentStart: Date, now: Date): void {
  if (!isAttendable(appointmentStart, now)) {
    throw new RuleRefused(
      'That appointment has not happened yet. Record the consultation without it, or after it.',
    );
  }
}

export type AppointmentEvent =
  | { type: 'attend'; start: Date; now: Date }
  | { type: 'miss'; start: Date; now: Date }
  | { type: 'cancel' };

/** The appointment's one state machine: a booked appointment is attended, missed or cancelled, once. */
export function transitionAppointment(state: AppointmentStatus, event: AppointmentEvent): AppointmentStatus {
  if (state !== 'booked') {
    throw new RuleRefused(
      `This appointment is already ${state === 'did-not-attend' ? 'marked as missed' : state}.`,
    );
  }
  switch (event.type) {
    case 'attend':
      checkCanAttend(event.start, event.now);
      return 'attended';
    case 'miss':
      if (event.start.getTime() > event.now.getTime()) {
        throw new RuleRefused('The appointment has not started yet, so it cannot be marked as missed.');
      }
      return 'did-not-attend';
    case 'cancel':
      return 'cancelled';
  }
}

/**
 * What a viewer may do with an appointment: OH staff cancel a booked one at any time and
 * mark it missed once it has started; the person cancels their own before it starts.
 * (`changeAppointment` refuses anything else, with a message for each case.)
 */
export function appointmentActions(
  view: 'oh' | 'own' | 'manager',
  appointment: { status: string; start: Date },
  now: Date,
): { cancel: boolean; markMissed: boolean } {
  const booked = appointment.status === 'booked';
  const started = appointment.start.getTime() <= now.getTime();
  return {
    cancel: booked && (view === 'oh' || (view === 'own' && !started)),
    markMissed: booked && view === 'oh' && started,
  };
}
