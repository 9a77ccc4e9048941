import { eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { Tx } from '../../db/database.ts';
import {
  appointments,
  cases,
  consultations,
  exposures,
  immunisations,
  incidentPeople,
  incidents,
  measures,
  pathwayRuns,
  people,
  referrals,
  tasks,
} from '../../db/schema.ts';
import type { Role } from '../../domain/access/roles.ts';
import { type HepatitisBStatus, hepatitisBStatus } from '../../domain/exposures/hepatitis-b.rules.ts';
import { type InstrumentCode, scoreMeasure } from '../../domain/measures/instrument.rules.ts';
import {
  EMERGENCY_FLAG_CODES,
  MSK_TRIAGE,
  type MskTriageAnswers,
  type RedFlagCode,
  triageMsk,
  URGENT_FLAG_CODES,
} from '../../domain/msk/msk-triage.rules.ts';
import { type PathwayFacts, schedulePathway } from '../../domain/pathways/rule-set.ts';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import { currentRuleSet, type StoredRuleSet } from '../pathways/pathways.service.ts';
import type { ServiceContext } from '../shared/context.ts';
import {
  CLINICAL_STAFF_GROUPS,
  DEMO_DENTAL_INJURIES,
  DEMO_EXPOSURES,
  DEMO_INCIDENTS,
  DEMO_MSK_SELF_REFERRALS,
  PATHWAY_CONSULTATION_NOTES,
  SELF_HARM_FOLLOW_UPS,
  TASK_OUTCOMES,
  TRIM_SKIP_REASONS,
} from './demo-data.ts';

type PersonRow = typeof people.$inferInsert;
type CaseRow = typeof cases.$inferInsert;
type TaskRow = typeof tasks.$inferInsert;
type ImmunisationRow = typeof immunisations.$inferInsert;

/** The demo world's seeded random numbers (demo-world.service.ts). */
export type DemoRandom = {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
  weighted: <T>(items: ReadonlyArray<readonly [T, number]>) => T;
};

/** What the demo world has made by the time its pathway history is added. */
export type DemoWorldSoFar = {
  tx: Tx;
  ctx: ServiceContext;
  rand: DemoRandom;
  now: Date;
  insert: (table: Parameters<Tx['insert']>[0], rows: unknown[]) => Promise<void>;
  organisationId: (slug: string) => string;
  /** The OH provider serving an organisation. */
  providerOf: (slug: string) => string;
  /** The organisation hosting that provider (where its OH staff and demo users are). */
  hostOf: (slug: string) => string;
  staffByOrg: Map<string, PersonRow[]>;
  /** The staff records of the demo users. */
  demoPeople: PersonRow[];
  /** The OH clinicians' and physicians' user ids, by host organisation. */
  clinicianIds: Map<string, string[]>;
  demoUser: (role: Role, slug: string) => string;
  /** The disabled account that stands for an organisation's many line managers in history. */
  formerManagers: Map<string, string>;
  historyCases: CaseRow[];
  /** Clinician hours already booked (`clinicianId:epochMs`), shared with the history. */
  taken: Set<string>;
  clinicSite: (hostSlug: string) => string;
};

export type DemoPathwayCounts = Record<string, number>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const RULE_SET_CODES = [
  'bbv-exposure',
  'trim',
  'trauma-outreach',
  'self-harm-risk',
  'dental-injury',
  'msk',
  'retirement',
];

const addMonths = (date: string, months: number) =>
  Temporal.PlainDate.from(date).add({ months }, { overflow: 'constrain' }).toString();

/**
 * The year's pathway history of the demo world: hepatitis B records, PHQ-9 and GAD-7
 * series for the mental-health cases (with the same-day risk follow-up where item 9 was
 * above 0), blood-borne virus exposures, traumatic incidents with TRiM and one officer's
 * outreach, dental injuries, MSK self-referrals through the digital triage, and two
 * police retirements. Runs and tasks have the shapes `startPathway` writes, on the rule
 * sets installed; like the rest of the demo history, nothing here is audited (the audit
 * trail records what people did, and nobody did this).
 */
export async function seedPathwayHistory(w: DemoWorldSoFar): Promise<DemoPathwayCounts> {
  const { tx, ctx, rand, now } = w;
  const today = londonDate(now);
  const encrypt = (text: string) => ctx.cipher.encrypt(text);
  const at = (daysAgo: number, [hour, minute]: [number, number]) =>
    londonInstant(addDays(today, -daysAgo), hour, minute);
  const notAfterNow = (t: number) => new Date(Math.min(t, now.getTime() - 10 * MINUTE));

  const ruleSets = new Map<string, StoredRuleSet>();
  for (const providerId of new Set([w.providerOf('northmoor-police'), w.providerOf('northmoor-hospitals')])) {
    for (const code of RULE_SET_CODES) {
      ruleSets.set(`${providerId}:${code}`, await currentRuleSet(tx, providerId, code));
    }
  }

  const rows = {
    referrals: [] as Array<typeof referrals.$inferInsert>,
    cases: [] as CaseRow[],
    appointments: [] as Array<typeof appointments.$inferInsert>,
    consultations: [] as Array<typeof consultations.$inferInsert>,
    exposures: [] as Array<typeof exposures.$inferInsert>,
    incidents: [] as Array<typeof incidents.$inferInsert>,
    incidentPeople: [] as Array<typeof incidentPeople.$inferInsert>,
    runs: [] as Array<typeof pathwayRuns.$inferInsert>,
    tasks: [] as TaskRow[],
    measures: [] as Array<typeof measures.$inferInsert>,
    immunisations: [] as ImmunisationRow[],
  };

  /** A run and its tasks exactly as startPathway writes them, dated when the pathway started. */
  const startRun = (input: {
    code: string;
    slug: string;
    personId: string;
    caseId: string | null;
    anchorAt: Date;
    facts: PathwayFacts;
    startedByUserId: string | null;
    startedAt: Date;
  }) => {
    const providerId = w.providerOf(input.slug);
    const organisationId = w.organisationId(input.slug);
    const stored = ruleSets.get(`${providerId}:${input.code}`) as StoredRuleSet;
    const runId = ctx.newId();
    rows.runs.push({
      id: runId,
      organisationId,
      personId: input.personId,
      providerId,
      caseId: input.caseId,
      ruleSetId: stored.id,
      anchorAt: input.anchorAt,
      facts: input.facts,
      startedByUserId: input.startedByUserId,
      createdAt: input.startedAt,
    });
    const planned: TaskRow[] = schedulePathway(stored.ruleSet, input.anchorAt, input.facts).map((task) => ({
      id: ctx.newId(),
      organisationId,
      providerId,
      personId: input.personId,
      caseId: input.caseId,
      runId,
      ruleSetId: stored.id,
      code: task.code,
      title: task.title,
      assignee: task.assignee,
      completes: task.completes,
      tests: task.tests,
      source: task.source,
      opensAt: task.opensAt,
      dueAt: task.dueAt,
      closesAt: task.closesAt,
      plannedDueAt: task.dueAt,
      status: 'open',
      createdAt: input.startedAt,
    }));
    rows.tasks.push(...planned);
    return { runId, tasks: planned, startedAt: input.startedAt };
  };

  /** When a task was done: in the last days before it was due (never before it opened), else soon after it started. */
  const doneTime = (task: TaskRow, startedAt: Date): Date => {
    const start = Math.max(startedAt.getTime(), task.opensAt?.getTime() ?? 0);
    const due = task.dueAt.getTime();
    const t =
      due > start
        ? due - rand.next() * Math.min(5 * DAY, 0.6 * (due - start))
        : start + (15 + rand.int(45)) * MINUTE;
    return notAfterNow(t);
  };
  const complete = (task: TaskRow, by: string, doneAt: Date, outcome: string | null) => {
    task.status = 'completed';
    task.doneAt = doneAt;
    task.doneByUserId = by;
    task.outcomeEnc = outcome ? encrypt(outcome) : null;
  };
  const skip = (task: TaskRow, by: string, doneAt: Date, reason: string) => {
    task.status = 'skipped';
    task.doneAt = doneAt;
    task.doneByUserId = by;
    task.reasonEnc = encrypt(reason);
  };
  const isPast = (task: TaskRow) => task.dueAt.getTime() <= now.getTime();
  const outcomeFor = (code: string) => {
    const options = TASK_OUTCOMES[code];
    return options ? rand.pick(options) : null;
  };

  // People: each special case gets someone new, outside the demo managers' teams (their pages stay as they were).
  const demoManagerIds = new Set(
    w.demoPeople.filter((p) => p.employeeNumber === 'D-manager').map((p) => p.id as string),
  );
  const used = new Set<string>();
  const pickPerson = (slug: string, fits: (p: PersonRow) => boolean): PersonRow => {
    const staff = w.staffByOrg.get(slug) ?? [];
    const pool = staff.filter(
      (p, i) => i > 0 && fits(p) && !used.has(p.id as string) && !demoManagerIds.has(p.managerId ?? ''),
    );
    if (pool.length === 0) throw new Error(`The demo world has nobody left to pick in ${slug}.`);
    const person = rand.pick(pool);
    used.add(person.id as string);
    return person;
  };
  const ageOf = (p: PersonRow) => Number(today.slice(0, 4)) - Number(String(p.dateOfBirth).slice(0, 4));
  const reporterFor = (source: 'self' | 'management' | 'other', slug: string) =>
    source === 'management'
      ? (w.formerManagers.get(slug) as string)
      : // Historic staff have no logins: their own reports came by phone to the OH administrator.
        w.demoUser(source === 'self' ? 'oh-admin' : 'oh-clinician', w.hostOf(slug));

  const slugById = new Map<string, string>();
  for (const slug of w.staffByOrg.keys()) slugById.set(w.organisationId(slug), slug);

  // 1. Hepatitis B: most clinical NHS staff and police officers have a course on record.
  const hepB = new Map<string, ImmunisationRow[]>();
  const addImmunisation = (
    person: PersonRow,
    kind: 'dose' | 'antibody-level',
    onDate: string,
    value: number,
  ) => {
    const slugOfPerson = slugById.get(person.organisationId) as string;
    const row: ImmunisationRow = {
      id: ctx.newId(),
      organisationId: person.organisationId,
      personId: person.id as string,
      vaccine: 'hepatitis-b',
      kind,
      onDate,
      dose: kind === 'dose' ? value : null,
      level: kind === 'antibody-level' ? value : null,
      recordedByUserId: w.demoUser('oh-clinician', w.hostOf(slugOfPerson)),
      createdAt: londonInstant(onDate, 10),
    };
    rows.immunisations.push(row);
    hepB.set(row.personId, [...(hepB.get(row.personId) ?? []), row]);
  };
  /** Doses of a standard course (0, 1, 6 months) that have happened by today. */
  const course = (person: PersonRow, start: string, doses: number, firstDose = 1): string => {
    let last = start;
    [0, 1, 6].slice(0, doses).forEach((months, i) => {
      const on = addMonths(start, months);
      if (on > today) return;
      addImmunisation(person, 'dose', on, firstDose + i);
      last = on;
    });
    return last;
  };
  const antibodyLevel = () => {
    const band = rand.next();
    return band < 0.85 ? 100 + rand.int(900) : band < 0.96 ? 10 + rand.int(90) : rand.int(10);
  };
  const hepBEligible = (slug: string, p: PersonRow) =>
    slug === 'northmoor-police'
      ? p.staffGroup === 'Police officer'
      : slug !== 'northmoor-icb' && CLINICAL_STAFF_GROUPS.includes(p.staffGroup);
  for (const [slug, staff] of w.staffByOrg) {
    for (const person of staff) {
      if (!hepBEligible(slug, person)) continue;
      const r = rand.next();
      if (r < 0.07) continue;
      if (r < 0.14) {
        // Started in the last five months: the course is still running.
        course(person, addDays(today, -(10 + rand.int(140))), 3);
      } else if (r < 0.2) {
        // Finished in the last few weeks: the antibody test is not due yet.
        const lastDose = addDays(today, -(5 + rand.int(30)));
        course(person, addMonths(lastDose, -6), 3);
      } else {
        const yearsBack = Math.max(1, ageOf(person) - 18);
        const lastDose = course(person, addDays(today, -(330 + rand.int(yearsBack * 365 - 300))), 3);
        const testedOn = addMonths(lastDose, 1 + rand.int(4));
        const level = antibodyLevel();
        addImmunisation(person, 'antibody-level', testedOn, level);
        // A low responder has one more dose and a retest (Green Book ch. 18), when there has been time.
        if (level >= 10 && level < 100 && rand.next() < 0.5) {
          const boosterOn = addMonths(testedOn, 1);
          const retestOn = addMonths(boosterOn, 1 + rand.int(2));
          if (retestOn <= today) {
            addImmunisation(person, 'dose', boosterOn, 4);
            addImmunisation(person, 'antibody-level', retestOn, 100 + rand.int(400));
          }
        }
      }
    }
  }
  // The demo employees: the trust's has a complete course and responded; the force's is mid-course.
  for (const person of w.demoPeople.filter((p) => p.employeeNumber === 'D-employee')) {
    const slug = slugById.get(person.organisationId) as string;
    if (slug === 'northmoor-hospitals') {
      const lastDose = course(person, addDays(today, -(3 * 365)), 3);
      addImmunisation(person, 'antibody-level', addMonths(lastDose, 2), 412);
    } else if (slug === 'northmoor-police') {
      addImmunisation(person, 'dose', addDays(today, -52), 1);
      addImmunisation(person, 'dose', addMonths(addDays(today, -52), 1), 2);
    }
  }
  const hepBStatusOn = (personId: string, date: string): HepatitisBStatus =>
    hepatitisBStatus(
      (hepB.get(personId) ?? [])
        .filter((r) => r.onDate <= date)
        .map((r) => ({ kind: r.kind, onDate: r.onDate, dose: r.dose ?? null, level: r.level ?? null })),
    );
  /** Doses from `dose` to 3 a month apart from `date` (the accelerated schedule), then an antibody test. */
  const accelerated = (person: PersonRow, date: string, dose: number) => {
    for (let n = dose, on = date; n <= 3 && on <= today; n++, on = addMonths(on, 1)) {
      addImmunisation(person, 'dose', on, n);
      if (n === 3 && addMonths(on, 2) <= today) {
        addImmunisation(person, 'antibody-level', addMonths(on, 2), antibodyLevel());
      }
    }
  };
  /**
   * What the hepatitis B prophylaxis task recorded, by the person's status then; doses given from
   * then on replace whatever the random record had after that day.
   */
  const hepBProphylaxis = (person: PersonRow, on: Date): string => {
    const date = londonDate(on);
    const status = hepBStatusOn(person.id as string, date);
    const level = status.latestLevel?.level;
    if (status.code === 'responder') {
      return `Responder on record (anti-HBs ${level} mIU/mL): no HBIG or booster needed.`;
    }
    const personId = person.id as string;
    const kept = (hepB.get(personId) ?? []).filter((r) => r.onDate <= date);
    hepB.set(personId, kept);
    rows.immunisations = rows.immunisations.filter((r) => r.personId !== personId || r.onDate <= date);
    switch (status.code) {
      case 'non-responder':
        return `Non-responder on record (anti-HBs ${level} mIU/mL): HBIG given within 48 hours (Green Book ch. 18).`;
      case 'low-responder':
        addImmunisation(person, 'dose', date, status.doses + 1);
        return `Low responder (anti-HBs ${level} mIU/mL): booster dose given; HBIG not indicated.`;
      case 'course-complete-untested':
        addImmunisation(person, 'dose', date, status.doses + 1);
        return 'Course complete but the antibody level is not known: booster dose given; anti-HBs to be checked.';
      case 'course-incomplete':
        accelerated(person, date, status.doses + 1);
        return `Course not complete (${status.doses} of 3 doses): next dose given, moving to the accelerated schedule.`;
      case 'no-record':
        accelerated(person, date, 1);
        return 'No hepatitis B vaccination on record: accelerated course started (0, 1 and 2 months, booster at 12 months).';
    }
  };

  // Cases opened straight away for an urgent event, as openUrgentCase does.
  const openUrgentCase = (input: {
    slug: string;
    person: PersonRow;
    source: 'self' | 'management' | 'other';
    reporter: string;
    pathway: string;
    reason: string;
    injuryOnDuty: boolean;
    at: Date;
    clinicianId: string;
  }): CaseRow => {
    const referralId = ctx.newId();
    const caseId = ctx.newId();
    const organisationId = w.organisationId(input.slug);
    rows.referrals.push({
      id: referralId,
      organisationId,
      personId: input.person.id as string,
      providerId: w.providerOf(input.slug),
      source: input.source,
      referredByUserId: input.reporter,
      reasonEnc: encrypt(input.reason),
      questionsEnc: encrypt('[]'),
      pathway: input.pathway,
      consentGiven: false,
      status: 'triaged',
      priority: 'urgent',
      triagedAt: input.at,
      caseId,
      createdAt: input.at,
    });
    const row: CaseRow = {
      id: caseId,
      organisationId,
      personId: input.person.id as string,
      referralId,
      providerId: w.providerOf(input.slug),
      pathway: input.pathway,
      priority: 'urgent',
      // OH allocated a clinician the next working day.
      clinicianId: input.clinicianId,
      status: 'awaiting-appointment',
      injuryOnDuty: input.injuryOnDuty,
      createdAt: input.at,
    };
    rows.cases.push(row);
    return row;
  };

  /** An attended appointment on the next working day with a free hour before now, and its consultation. */
  const consult = (c: CaseRow, after: Date, mode: 'in-person' | 'phone', fitness?: string): Date | null => {
    const clinicianId = c.clinicianId as string;
    const slug = slugById.get(c.organisationId) as string;
    let date = addDays(londonDate(after), 1);
    for (let i = 0; i < 21; i++, date = addDays(date, 1)) {
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      const startsAt = londonInstant(date, 9 + rand.int(7));
      if (startsAt.getTime() + 2 * HOUR > now.getTime()) return null;
      const key = `${clinicianId}:${startsAt.getTime()}`;
      if (w.taken.has(key)) continue;
      w.taken.add(key);
      const appointmentId = ctx.newId();
      rows.appointments.push({
        id: appointmentId,
        organisationId: c.organisationId,
        caseId: c.id as string,
        clinicianId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        mode,
        siteId: mode === 'in-person' ? w.clinicSite(w.hostOf(slug)) : null,
        status: 'attended',
        bookedByUserId: w.demoUser('oh-admin', w.hostOf(slug)),
        createdAt: after,
      });
      rows.consultations.push({
        id: ctx.newId(),
        organisationId: c.organisationId,
        caseId: c.id as string,
        appointmentId,
        clinicianId,
        notesEnc: encrypt(PATHWAY_CONSULTATION_NOTES[c.pathway] ?? ''),
        createdAt: new Date(startsAt.getTime() + HOUR),
      });
      c.status = 'consulted';
      if (fitness) {
        c.status = 'outcome-recorded';
        c.fitness = fitness;
        c.outcomeRecordedAt = new Date(startsAt.getTime() + HOUR);
      }
      return startsAt;
    }
    return null;
  };
  /** Closes a case whose pathway is finished, a day after its last task. */
  const closeWhenDone = (c: CaseRow, run: { tasks: TaskRow[] }) => {
    if (c.status !== 'outcome-recorded' || run.tasks.some((t) => t.status === 'open')) return;
    const last = Math.max(...run.tasks.map((t) => (t.doneAt as Date).getTime()));
    if (last + DAY > now.getTime()) return;
    c.status = 'closed';
    c.closureOutcome = 'remained-at-work';
    c.closedAt = new Date(last + DAY);
  };

  // 2. Blood-borne virus exposures.
  for (const spec of DEMO_EXPOSURES) {
    const occurredAt = at(spec.daysAgo, spec.at);
    const person = pickPerson(
      spec.slug,
      (p) =>
        spec.groups.includes(p.staffGroup) &&
        // The exposure shown today is a known responder: no HBIG, no booster.
        (!spec.recent || hepBStatusOn(p.id as string, today).code === 'responder'),
    );
    const host = w.hostOf(spec.slug);
    const clinicianId =
      spec.daysAgo < 60 ? w.demoUser('oh-clinician', host) : rand.pick(w.clinicianIds.get(host) ?? []);
    const reportedAt = new Date(occurredAt.getTime() + (20 + rand.int(40)) * MINUTE);
    const reporter = reporterFor(spec.source, spec.slug);
    const c = openUrgentCase({
      slug: spec.slug,
      person,
      source: spec.source,
      reporter,
      pathway: 'blood-borne-virus',
      reason: `Blood-borne virus exposure (${spec.kind === 'other' ? 'other exposure' : spec.kind}): ${spec.description}`,
      injuryOnDuty: spec.onDuty,
      at: reportedAt,
      clinicianId,
    });
    rows.exposures.push({
      id: ctx.newId(),
      organisationId: c.organisationId,
      personId: person.id as string,
      caseId: c.id as string,
      occurredAt,
      kind: spec.kind,
      descriptionEnc: encrypt(spec.description),
      sourceKnown: spec.sourceKnown,
      highRiskHcv: spec.highRiskHcv,
      reportedByUserId: reporter,
      createdAt: reportedAt,
    });
    const run = startRun({
      code: 'bbv-exposure',
      slug: spec.slug,
      personId: person.id as string,
      caseId: c.id as string,
      anchorAt: occurredAt,
      facts: { kind: spec.kind, highRiskHcv: spec.highRiskHcv, sourceKnown: spec.sourceKnown },
      startedByUserId: reporter,
      startedAt: reportedAt,
    });
    // A night exposure's first steps were taken at A&E and recorded by OH the next morning.
    const nextMorning = londonInstant(addDays(londonDate(occurredAt), 1), 8, 35);
    run.tasks.forEach((task, i) => {
      const skipReason = spec.skipped?.[task.code];
      const early = !task.opensAt && task.dueAt.getTime() < occurredAt.getTime() + 7 * DAY;
      let doneAt: Date | null = null;
      if (skipReason) {
        // Skipped when the source's results came back.
        skip(task, clinicianId, notAfterNow(reportedAt.getTime() + 3 * DAY), skipReason);
      } else if (spec.overdue?.includes(task.code)) {
        // Left open: the worklist shows it overdue.
      } else if (spec.recent && early) {
        doneAt = notAfterNow(nextMorning.getTime() + i * 5 * MINUTE);
      } else if (isPast(task)) {
        doneAt = doneTime(task, reportedAt);
      }
      if (!doneAt) return;
      const outcome =
        task.code === 'hbv-prophylaxis'
          ? hepBProphylaxis(person, doneAt)
          : (spec.recent?.[task.code] ?? outcomeFor(task.code));
      complete(task, clinicianId, doneAt, outcome);
    });
    if (occurredAt.getTime() < now.getTime() - 3 * DAY) {
      consult(c, reportedAt, 'in-person', 'fit');
      closeWhenDone(c, run);
    }
  }

  // 3. Dental injuries.
  for (const spec of DEMO_DENTAL_INJURIES) {
    const occurredAt = at(spec.daysAgo, spec.at);
    const person = pickPerson(spec.slug, (p) => spec.groups.includes(p.staffGroup));
    const reportedAt = new Date(occurredAt.getTime() + (15 + rand.int(20)) * MINUTE);
    const reporter = reporterFor(spec.source, spec.slug);
    const what = spec.avulsed ? 'a knocked-out tooth' : 'an injury to the teeth or mouth';
    const c = openUrgentCase({
      slug: spec.slug,
      person,
      source: spec.source,
      reporter,
      pathway: 'dental-injury',
      reason: `Dental injury: ${what}${spec.onDuty ? ', on duty' : ''}. ${spec.description}`,
      injuryOnDuty: spec.onDuty,
      at: reportedAt,
      clinicianId: w.demoUser('oh-clinician', w.hostOf(spec.slug)),
    });
    const run = startRun({
      code: 'dental-injury',
      slug: spec.slug,
      personId: person.id as string,
      caseId: c.id as string,
      anchorAt: occurredAt,
      facts: { avulsed: spec.avulsed, onDuty: spec.onDuty },
      startedByUserId: reporter,
      startedAt: reportedAt,
    });
    for (const task of run.tasks) {
      if (spec.overdue?.includes(task.code) || !isPast(task)) continue;
      complete(task, c.clinicianId as string, doneTime(task, reportedAt), outcomeFor(task.code));
    }
    consult(c, reportedAt, 'in-person', spec.onDuty ? 'fit-with-adjustments' : 'fit');
    if (c.fitness === 'fit-with-adjustments')
      c.adjustments = ['Amended duties: no public order duties for 4 weeks'];
  }

  // 4. MSK self-referrals through the digital triage, triaged the next day.
  for (const spec of DEMO_MSK_SELF_REFERRALS) {
    const person = pickPerson(spec.slug, (p) => p.staffGroup !== 'Students');
    const referredAt = new Date(now.getTime() - spec.hoursAgo * HOUR);
    const noFlags = Object.fromEntries(
      [...EMERGENCY_FLAG_CODES, ...URGENT_FLAG_CODES].map((code) => [code, false]),
    ) as Record<RedFlagCode, boolean>;
    const answers: MskTriageAnswers = { redFlags: noFlags, ...spec.answers };
    const result = triageMsk(answers);
    const host = w.hostOf(spec.slug);
    const triager = w.demoUser('oh-admin', host);
    const triagedAt = notAfterNow(referredAt.getTime() + (18 + rand.int(6)) * HOUR);
    const priority = result.route === 'fast-track-physiotherapy' ? 'soon' : 'routine';
    const option = <V extends string>(q: { options: readonly { value: V; text: string }[] }, v: V) =>
      q.options.find((o) => o.value === v)?.text ?? v;
    const referralId = ctx.newId();
    const caseId = ctx.newId();
    rows.referrals.push({
      id: referralId,
      organisationId: w.organisationId(spec.slug),
      personId: person.id as string,
      providerId: w.providerOf(spec.slug),
      source: 'self',
      // As for the year's other self-referrals: staff in history have no logins of their own.
      referredByUserId: triager,
      reasonEnc: encrypt(
        `Musculoskeletal self-referral (digital triage): ${option(MSK_TRIAGE.area, spec.answers.area)}; pain ${spec.answers.painScore} out of 10; for ${option(MSK_TRIAGE.duration, spec.answers.duration).toLowerCase()}; normal duties: ${option(MSK_TRIAGE.normalDuties, spec.answers.normalDuties).toLowerCase()}. No red flags.`,
      ),
      questionsEnc: encrypt('[]'),
      pathway: 'musculoskeletal',
      consentGiven: true,
      consentRecordedAt: referredAt,
      status: 'triaged',
      priority,
      triagedByUserId: triager,
      triagedAt,
      caseId,
      triageAnswersEnc: encrypt(JSON.stringify({ ...answers, version: result.version })),
      triageRoute: result.route,
      createdAt: referredAt,
    });
    const c: CaseRow = {
      id: caseId,
      organisationId: w.organisationId(spec.slug),
      personId: person.id as string,
      referralId,
      providerId: w.providerOf(spec.slug),
      pathway: 'musculoskeletal',
      priority,
      clinicianId: w.demoUser('oh-clinician', host),
      status: 'awaiting-appointment',
      createdAt: triagedAt,
    };
    rows.cases.push(c);
    const run = startRun({
      code: 'msk',
      slug: spec.slug,
      personId: person.id as string,
      caseId,
      anchorAt: referredAt,
      facts: { route: result.route },
      startedByUserId: triager,
      startedAt: triagedAt,
    });
    for (const task of run.tasks) {
      if (spec.overdue?.includes(task.code) || !isPast(task)) continue;
      complete(task, c.clinicianId as string, doneTime(task, triagedAt), outcomeFor(task.code));
    }
    if (spec.hoursAgo > 10 * 24) {
      consult(c, triagedAt, spec.closed ? 'in-person' : 'phone', spec.closed ? 'fit' : undefined);
      if (spec.closed) closeWhenDone(c, run);
    }
  }

  // 5. Traumatic incidents in the force: TRiM for everyone involved; one officer crosses the outreach threshold.
  const police = 'northmoor-police';
  const policeClinicians = w.clinicianIds.get(w.hostOf(police)) ?? [];
  const frontline = (p: PersonRow) =>
    p.staffGroup === 'Police officer' || p.staffGroup === 'Police community support officer';
  const repeatOfficer = pickPerson(police, (p) => p.jobTitle === 'Response officer');
  const officers = (w.staffByOrg.get(police) ?? []).filter(
    (p, i) => i > 0 && frontline(p) && !used.has(p.id as string) && !demoManagerIds.has(p.managerId ?? ''),
  );
  const incidentCount = new Map<string, number>();
  const reporters = [
    w.demoUser('wellbeing-lead', police),
    w.formerManagers.get(police) as string,
    w.demoUser('oh-admin', police),
  ];
  for (const spec of DEMO_INCIDENTS) {
    const occurredAt = at(spec.daysAgo, spec.at);
    const reportedAt = notAfterNow(occurredAt.getTime() + (2 + rand.int(8)) * HOUR);
    const reporter = rand.pick(reporters);
    const involved: PersonRow[] = spec.repeat ? [repeatOfficer] : [];
    // Nobody else comes near the outreach threshold (5 in 12 months).
    while (involved.length < spec.people) {
      const p = rand.pick(officers);
      if (!involved.includes(p) && (incidentCount.get(p.id as string) ?? 0) < 3) involved.push(p);
    }
    const incidentId = ctx.newId();
    rows.incidents.push({
      id: incidentId,
      organisationId: w.organisationId(police),
      occurredAt,
      kind: 'traumatic',
      descriptionEnc: encrypt(spec.description),
      reportedByUserId: reporter,
      createdAt: reportedAt,
    });
    involved.forEach((person, index) => {
      const personId = person.id as string;
      const count = (incidentCount.get(personId) ?? 0) + 1;
      incidentCount.set(personId, count);
      const run = startRun({
        code: 'trim',
        slug: police,
        personId,
        caseId: null,
        anchorAt: occurredAt,
        facts: { incidentId },
        startedByUserId: reporter,
        startedAt: reportedAt,
      });
      rows.incidentPeople.push({
        incidentId,
        personId,
        organisationId: w.organisationId(police),
        occurredAt,
        runId: run.runId,
      });
      const practitioner = rand.pick(policeClinicians);
      for (const task of run.tasks) {
        const overdue = spec.overdueFollowUp && index === 0 && task.code === 'trim-follow-up';
        if (overdue || !isPast(task)) continue;
        const doneAt = doneTime(task, reportedAt);
        if (task.code === 'trim-follow-up' && rand.next() < 0.1) {
          skip(task, practitioner, doneAt, rand.pick(TRIM_SKIP_REASONS));
          continue;
        }
        const score = rand.weighted([
          [1, 3],
          [2, 4],
          [3, 3],
          [4, 2],
          [6, 1],
        ] as const);
        complete(
          task,
          practitioner,
          doneAt,
          task.code === 'trim-initial'
            ? `TRiM risk assessment: total score ${score}. ${score >= 6 ? 'Higher risk: referral for professional assessment offered and accepted.' : 'Lower risk: follow-up in a month.'}`
            : `TRiM follow-up: total score ${Math.max(0, score - 1)}. Coping well; no further action.`,
        );
      }
      // The incident that made five in twelve months: an offer of support on the OH worklist.
      if (person === repeatOfficer && count === 5) {
        startRun({
          code: 'trauma-outreach',
          slug: police,
          personId,
          caseId: null,
          anchorAt: reportedAt,
          facts: { incidentsInWindow: count },
          startedByUserId: reporter,
          startedAt: reportedAt,
        });
      }
    });
  }

  // 6. Two police retirements 3 to 5 months away, their pathways started by the daily sweep 6 months before.
  const retirements: Array<[string, string]> = [];
  for (const days of [100, 140]) {
    const person = pickPerson(
      police,
      (p) => ageOf(p) >= 52 && (p.staffGroup === 'Police officer' || p.staffGroup === 'Police staff'),
    );
    const retirementDate = addDays(today, days);
    retirements.push([person.id as string, retirementDate]);
    const run = startRun({
      code: 'retirement',
      slug: police,
      personId: person.id as string,
      caseId: null,
      anchorAt: londonInstant(retirementDate, 9),
      facts: { retirementDate },
      startedByUserId: null,
      startedAt: londonInstant(addMonths(retirementDate, -6), 6),
    });
    for (const task of run.tasks) {
      if (!isPast(task)) continue;
      complete(
        task,
        w.demoUser('oh-clinician', police),
        doneTime(task, run.startedAt),
        outcomeFor(task.code),
      );
    }
  }

  // 7. PHQ-9 and GAD-7 through each mental-health case: mostly improving, some not; a few answer item 9 above 0.
  // Up to three cases per provider whose first PHQ-9 answers item 9 above 0.
  const selfHarmCases = new Map<string, number>();
  for (const c of w.historyCases) {
    if (c.pathway !== 'mental-health' || !c.outcomeRecordedAt || !c.clinicianId) continue;
    const start = c.outcomeRecordedAt.getTime() - HOUR + 20 * MINUTE;
    const end = Math.min(c.closedAt?.getTime() ?? now.getTime(), now.getTime()) - HOUR;
    const span = end - start;
    const points = Math.max(1, Math.min(2 + rand.int(4), 1 + Math.floor(span / (10 * DAY))));
    const trajectory = rand.weighted([
      ['improving', 70],
      ['stable', 18],
      ['worsening', 12],
    ] as const);
    const path = (first: number, max: number, worse: number) => {
      const last =
        trajectory === 'improving'
          ? Math.round(first * (0.2 + 0.4 * rand.next()))
          : trajectory === 'stable'
            ? first + rand.int(5) - 2
            : first + worse + rand.int(4);
      return (k: number) => {
        const trend = points === 1 ? first : first + ((last - first) * k) / (points - 1);
        const noise = k > 0 && k < points - 1 ? rand.int(3) - 1 : 0;
        return Math.max(0, Math.min(max, Math.round(trend + noise)));
      };
    };
    const phq = path(8 + rand.int(13), 27, 4);
    const gad = path(6 + rand.int(12), 21, 3);
    const flaggedSoFar = selfHarmCases.get(c.providerId) ?? 0;
    const selfHarm = points >= 2 && phq(0) >= 12 && flaggedSoFar < 3 && rand.next() < 0.2;
    if (selfHarm) selfHarmCases.set(c.providerId, flaggedSoFar + 1);
    const slug = slugById.get(c.organisationId) as string;
    for (let k = 0; k < points; k++) {
      // The first at the consultation; the rest on working hours between it and the case's end.
      const takenAt =
        k === 0
          ? new Date(start)
          : new Date(
              Math.min(
                end,
                londonInstant(
                  londonDate(new Date(start + (span * k) / (points - 1))),
                  9 + rand.int(8),
                  rand.int(60),
                ).getTime(),
              ),
            );
      const item9 = selfHarm && k === 0 ? 1 + (rand.next() < 0.3 ? 1 : 0) : 0;
      for (const [instrument, total] of [
        ['PHQ-9', Math.max(phq(k), item9)],
        ['GAD-7', gad(k)],
      ] as const) {
        const answers = answerSet(rand, instrument, total, instrument === 'PHQ-9' ? item9 : 0);
        const score = scoreMeasure(instrument, answers);
        rows.measures.push({
          id: ctx.newId(),
          organisationId: c.organisationId,
          personId: c.personId,
          caseId: c.id as string,
          instrument,
          answers,
          total: score.total,
          severity: score.severity,
          flags: score.flags,
          takenAt,
          recordedByUserId: c.clinicianId,
          createdAt: takenAt,
        });
        if (!score.flags.includes('self-harm-risk')) continue;
        // The same-day risk follow-up recordMeasure starts, done within the hour or two.
        const run = startRun({
          code: 'self-harm-risk',
          slug,
          personId: c.personId,
          caseId: c.id as string,
          anchorAt: takenAt,
          facts: { instrument },
          startedByUserId: c.clinicianId,
          startedAt: takenAt,
        });
        for (const task of run.tasks) {
          const doneAt = notAfterNow(
            Math.min(takenAt.getTime() + (30 + rand.int(90)) * MINUTE, task.dueAt.getTime()),
          );
          complete(task, c.clinicianId, doneAt, rand.pick(SELF_HARM_FOLLOW_UPS));
        }
      }
    }
  }

  await w.insert(immunisations, rows.immunisations);
  await w.insert(referrals, rows.referrals);
  await w.insert(cases, rows.cases);
  await w.insert(exposures, rows.exposures);
  await w.insert(appointments, rows.appointments);
  await w.insert(consultations, rows.consultations);
  await w.insert(incidents, rows.incidents);
  await w.insert(pathwayRuns, rows.runs);
  await w.insert(incidentPeople, rows.incidentPeople);
  await w.insert(tasks, rows.tasks);
  await w.insert(measures, rows.measures);
  for (const [personId, retirementDate] of retirements) {
    await tx.update(people).set({ retirementDate }).where(eq(people.id, personId));
  }
  return {
    immunisations: rows.immunisations.length,
    exposures: rows.exposures.length,
    incidents: rows.incidents.length,
    runs: rows.runs.length,
    tasks: rows.tasks.length,
    openTasks: rows.tasks.filter((t) => t.status === 'open').length,
    overdueTasks: rows.tasks.filter((t) => t.status === 'open' && isPast(t)).length,
    measures: rows.measures.length,
    selfHarmCases: [...selfHarmCases.values()].reduce((a, b) => a + b, 0),
  };
}

/** Answers that add up to `total`, spread over the items the way people tend to answer (core items first). */
function answerSet(rand: DemoRandom, instrument: InstrumentCode, total: number, item9: number): number[] {
  const weights = instrument === 'PHQ-9' ? [3, 3, 3, 3, 2, 2, 2, 1, 0] : [3, 3, 3, 2, 1, 2, 2];
  const answers = weights.map(() => 0);
  if (instrument === 'PHQ-9') answers[8] = item9;
  let left = Math.min(total - item9, 3 * weights.filter((x) => x > 0).length);
  while (left > 0) {
    const open = weights.flatMap((weight, i) =>
      weight > 0 && (answers[i] ?? 0) < 3 ? [[i, weight] as const] : [],
    );
    const i = rand.weighted(open);
    answers[i] = (answers[i] ?? 0) + 1;
    left -= 1;
  }
  return answers;
}
