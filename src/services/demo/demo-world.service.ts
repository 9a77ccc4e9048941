import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import {
  appointments,
  cases,
  clinicSessions,
  consultations,
  ohProviders,
  organisations,
  people,
  personUnsafeSites,
  providerClients,
  referrals,
  reports,
  sites,
  systems,
  userRoles,
  users,
} from '../../db/schema.ts';
import type { Role } from '../../domain/access/roles.ts';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import { hashPassword } from '../auth/auth.service.ts';
import { installDefaultRuleSets } from '../pathways/pathways.service.ts';
import { refreshAllKpiDays } from '../reporting/kpi-days.service.ts';
import { inTransaction, type ServiceContext, systemScope } from '../shared/context.ts';
import { seedDemoBenefits } from './demo-benefits.ts';
import {
  ADJUSTMENT_SETS,
  CONSULTATION_NOTES,
  ETHNIC_CATEGORIES,
  FAMILY_NAMES,
  GIVEN_NAMES,
  ICB_GROUPS,
  MANAGER_QUESTIONS,
  NHS_ACUTE_GROUPS,
  POLICE_GROUPS,
  PRIMARY_CARE_GROUPS,
  REFERRAL_REASONS,
  REPORT_TEXTS,
} from './demo-data.ts';
import { seedPathwayHistory } from './demo-pathways.ts';
import { prng } from './prng.ts';

type OrgSpec = {
  slug: string;
  name: string;
  kind: string;
  ods: string;
  staff: number;
  groups: Array<{ group: string; weight: number; titles: string[] }>;
  hostsOh: boolean;
};

const ORGS: OrgSpec[] = [
  {
    slug: 'northmoor-police',
    name: 'Northmoor Police',
    kind: 'police-force',
    ods: 'NMP01',
    staff: 700,
    groups: POLICE_GROUPS,
    hostsOh: true,
  },
  {
    slug: 'northmoor-hospitals',
    name: 'Northmoor Hospitals NHS Foundation Trust',
    kind: 'nhs-trust',
    ods: 'RNH',
    staff: 800,
    groups: NHS_ACUTE_GROUPS,
    hostsOh: true,
  },
  {
    slug: 'northmoor-health',
    name: 'Northmoor Community and Mental Health NHS Trust',
    kind: 'nhs-trust',
    ods: 'RNC',
    staff: 300,
    groups: NHS_ACUTE_GROUPS,
    hostsOh: false,
  },
  {
    slug: 'northmoor-ambulance',
    name: 'Northmoor Ambulance Service NHS Trust',
    kind: 'nhs-trust',
    ods: 'RNA',
    staff: 150,
    groups: NHS_ACUTE_GROUPS,
    hostsOh: false,
  },
  {
    slug: 'elm-street-surgery',
    name: 'Elm Street Surgery',
    kind: 'primary-care',
    ods: 'N81001',
    staff: 20,
    groups: PRIMARY_CARE_GROUPS,
    hostsOh: false,
  },
  {
    slug: 'northmoor-icb',
    name: 'NHS Northmoor Integrated Care Board',
    kind: 'icb',
    ods: 'QNM',
    staff: 30,
    groups: ICB_GROUPS,
    hostsOh: false,
  },
];

// The manager comes first so the employee can be placed in their team.
const EVERY_ORG_ROLES: Role[] = ['manager', 'employee', 'wellbeing-lead', 'analyst'];
const OH_HOST_ROLES: Role[] = ['oh-admin', 'oh-clinician', 'oh-physician'];

const ROLE_PEOPLE: Record<Role, { given: string; family: string; title: string }> = {
  employee: { given: 'Jordan', family: 'Reeves', title: '' },
  manager: { given: 'Sam', family: 'Okoro', title: '' },
  'wellbeing-lead': { given: 'Priya', family: 'Shah', title: 'Health and wellbeing lead' },
  analyst: { given: 'Tom', family: 'Fletcher', title: 'Workforce analyst' },
  'oh-admin': { given: 'Lena', family: 'Marsh', title: 'OH administrator' },
  'oh-clinician': { given: 'Grace', family: 'Adeyemi', title: 'Specialist occupational health nurse' },
  'oh-physician': { given: 'Dr Arjun', family: 'Mehta', title: 'Occupational health physician' },
  sysadmin: { given: 'Chris', family: 'Doyle', title: 'System administrator' },
};

export type DemoResult = { password: string; passwordWasGenerated: boolean; users: string[]; people: number };

async function insertInChunks<T>(tx: Tx, table: Parameters<Tx['insert']>[0], rows: T[], size = 500) {
  for (let i = 0; i < rows.length; i += size) {
    // biome-ignore lint/suspicious/noExplicitAny: rows match the table; Drizzle cannot relate the two generics here.
    await tx.insert(table).values(rows.slice(i, i + size) as any);
  }
}

/**
 * Creates the demo world of API.md: system `northmoor`, six organisations, two OH
 * providers, about 2,000 staff, the demo users, clinic sessions over the next eight
 * weeks and a year of referral-to-outcome history. Deterministic for a given date.
 */
export async function seedDemoWorld(
  ctx: ServiceContext,
  options: { password?: string | null } = {},
): Promise<DemoResult> {
  const rand = prng(20261124);
  const password = options.password ?? randomBytes(12).toString('base64url');
  // One hash for all demo accounts keeps seeding fast; real accounts each get their own salt.
  const passwordHash = await hashPassword(password);
  const now = ctx.now();
  const today = londonDate(now);
  const id = ctx.newId;
  // The pathway history below runs on the shipped rule sets (the server installs them too; idempotent).
  await installDefaultRuleSets(ctx);

  const result = await inTransaction(ctx, systemScope('demo-seeding'), async (tx) => {
    const systemId = id();
    await tx
      .insert(systems)
      .values({ id: systemId, slug: 'northmoor', name: 'Northmoor Integrated Care System' });
    const orgIds = new Map<string, string>();
    for (const o of ORGS) {
      const orgId = id();
      orgIds.set(o.slug, orgId);
      await tx
        .insert(organisations)
        .values({ id: orgId, slug: o.slug, name: o.name, kind: o.kind, systemId, odsCode: o.ods });
    }
    const org = (slug: string) => orgIds.get(slug) as string;

    const policeProvider = id();
    const sharedProvider = id();
    await tx.insert(ohProviders).values([
      {
        id: policeProvider,
        slug: 'northmoor-police-oh',
        name: 'Northmoor Police Occupational Health Unit',
        kind: 'in-house',
        hostOrganisationId: org('northmoor-police'),
      },
      {
        id: sharedProvider,
        slug: 'northmoor-oh-shared-service',
        name: 'Northmoor Occupational Health Shared Service',
        kind: 'shared-service',
        hostOrganisationId: org('northmoor-hospitals'),
      },
    ]);
    await tx.insert(providerClients).values([
      { providerId: policeProvider, organisationId: org('northmoor-police'), deliveryModel: 'in-house' },
      ...['northmoor-hospitals', 'northmoor-health', 'northmoor-ambulance', 'elm-street-surgery'].map(
        (s) => ({
          providerId: sharedProvider,
          organisationId: org(s),
          deliveryModel: s === 'northmoor-hospitals' ? 'in-house' : 'outsourced',
        }),
      ),
    ]);

    const siteRows = [
      {
        id: id(),
        organisationId: org('northmoor-police'),
        name: 'Occupational Health Suite, Force Training Centre',
        address: 'Moor Lane, Northmoor NM4 2TC',
        operational: false,
      },
      {
        id: id(),
        organisationId: org('northmoor-police'),
        name: 'Northmoor Central Police Station',
        address: '1 Bridge Street, Northmoor NM1 1AA',
        operational: true,
      },
      {
        id: id(),
        organisationId: org('northmoor-hospitals'),
        name: 'OH Department, Northmoor General Hospital',
        address: 'Hospital Road, Northmoor NM2 3HG',
        operational: true,
      },
      {
        id: id(),
        organisationId: org('northmoor-hospitals'),
        name: 'Riverside Wellbeing Centre',
        address: '12 Riverside Walk, Northmoor NM3 5RW',
        operational: false,
      },
    ];
    await tx.insert(sites).values(siteRows);
    const [policeOhSite, policeStation, hospitalOh, riverside] = siteRows as [
      (typeof siteRows)[0],
      (typeof siteRows)[0],
      (typeof siteRows)[0],
      (typeof siteRows)[0],
    ];

    // Staff: a hierarchy of managers over teams of about ten.
    type PersonRow = typeof people.$inferInsert;
    const peopleRows: PersonRow[] = [];
    const staffByOrg = new Map<string, PersonRow[]>();
    let employeeNumber = 100000;
    for (const o of ORGS) {
      const rows: PersonRow[] = [];
      for (let i = 0; i < o.staff; i++) {
        const g = rand.weighted(o.groups.map((x) => [x, x.weight] as const));
        const age = 20 + rand.int(45);
        const row: PersonRow = {
          id: id(),
          organisationId: org(o.slug),
          employeeNumber: String(employeeNumber++),
          givenName: rand.pick(GIVEN_NAMES),
          familyName: rand.pick(FAMILY_NAMES),
          dateOfBirth: addDays(today, -(age * 365 + rand.int(365))),
          email: null,
          staffGroup: g.group,
          jobTitle: rand.pick(g.titles),
          managerId: null,
          securitySensitive: o.kind === 'police-force' && rand.next() < 0.08,
          ethnicCategory: rand.next() < 0.9 ? rand.weighted(ETHNIC_CATEGORIES) : null,
          sex:
            rand.next() < 0.95
              ? rand.next() < (o.kind === 'police-force' ? 0.4 : 0.77)
                ? 'female'
                : 'male'
              : null,
          disability: rand.next() < 0.85 ? (rand.next() < 0.06 ? 'yes' : 'no') : null,
          startDate: addDays(today, -rand.int(365 * 20)),
        };
        row.email =
          `${row.givenName}.${row.familyName}.${row.employeeNumber}@${o.slug}.demo.ohwb.test`.toLowerCase();
        rows.push(row);
      }
      // The first tenth are managers; everyone else reports to one of them; managers report to the first.
      const managers = rows.slice(0, Math.max(1, Math.ceil(rows.length / 10)));
      rows.forEach((r, i) => {
        if (i === 0) return;
        r.managerId =
          i < managers.length ? (managers[0]?.id ?? null) : (managers[i % managers.length]?.id ?? null);
      });
      staffByOrg.set(o.slug, rows);
      peopleRows.push(...rows);
    }

    // Demo users, each with a staff record; the employee reports to the manager.
    const demoUsers: string[] = [];
    const clinicianIds = new Map<string, string[]>();
    for (const o of ORGS) {
      const orgRoles: Role[] = [
        ...EVERY_ORG_ROLES,
        ...(o.hostsOh ? OH_HOST_ROLES : []),
        ...(o.slug === 'northmoor-icb' ? (['sysadmin'] as Role[]) : []),
      ];
      let managerPersonId: string | null = null;
      for (const role of orgRoles) {
        const who = ROLE_PEOPLE[role];
        const rows = staffByOrg.get(o.slug) as PersonRow[];
        const g = o.groups[0] as { group: string; titles: string[] };
        const person: PersonRow = {
          id: id(),
          organisationId: org(o.slug),
          employeeNumber: `D-${role}`,
          givenName: who.given,
          familyName: who.family,
          dateOfBirth: addDays(today, -(38 * 365)),
          email: `${role}@${o.slug}.demo.ohwb.test`,
          staffGroup: role.startsWith('oh-') ? 'Nursing and Midwifery Registered' : g.group,
          jobTitle:
            who.title ||
            (role === 'manager'
              ? o.kind === 'police-force'
                ? 'Inspector'
                : 'Ward manager'
              : (g.titles[0] as string)),
          managerId: role === 'employee' ? managerPersonId : (rows[0]?.id ?? null),
          securitySensitive: false,
          ethnicCategory: 'A',
          sex: 'female',
          disability: 'no',
          startDate: addDays(today, -3000),
        };
        if (role === 'manager') {
          managerPersonId = person.id as string;
          // The manager's team: a handful of real staff move under them.
          for (const member of rows.slice(-6)) member.managerId = person.id as string;
        }
        peopleRows.push(person);
        const userId = id();
        const email = `${role}@${o.slug}.demo.ohwb.test`;
        demoUsers.push(email);
        await tx.insert(people).values(person);
        await tx.insert(users).values({
          id: userId,
          email,
          displayName: `${who.given} ${who.family}`,
          passwordHash,
          personId: person.id as string,
        });
        await tx.insert(userRoles).values({ userId, organisationId: org(o.slug), role });
        if (role === 'oh-clinician' || role === 'oh-physician') {
          clinicianIds.set(o.slug, [...(clinicianIds.get(o.slug) ?? []), userId]);
        }
      }
    }
    await insertInChunks(
      tx,
      people,
      peopleRows.filter((p) => !String(p.employeeNumber).startsWith('D-')),
    );
    // Managers' own staff records were inserted above; now that everyone exists, nothing dangles.

    // One security-sensitive officer has marked the central police station unsafe.
    const sensitive = (staffByOrg.get('northmoor-police') as PersonRow[]).filter((p) => p.securitySensitive);
    if (sensitive[0])
      await tx
        .insert(personUnsafeSites)
        .values({ personId: sensitive[0].id as string, siteId: policeStation.id });

    // Clinic sessions over the next eight weeks: mornings and afternoons on weekdays,
    // plus an evening session on Tuesdays and an early one on Saturdays for shift workers.
    const sessionRows: Array<typeof clinicSessions.$inferInsert> = [];
    const providerOf = (slug: string) => (slug === 'northmoor-police' ? policeProvider : sharedProvider);
    for (const [slug, ids] of clinicianIds) {
      const [mainSite, otherSite] =
        slug === 'northmoor-police' ? [policeOhSite, policeStation] : [riverside, hospitalOh];
      for (const clinicianId of ids) {
        for (let d = 0; d < 56; d++) {
          const date = addDays(today, d);
          const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
          const add = (
            startHour: number,
            endHour: number,
            mode: string,
            siteId: string | null,
            slotMinutes: number,
          ) =>
            sessionRows.push({
              id: id(),
              providerId: providerOf(slug),
              clinicianId,
              siteId,
              mode,
              startsAt: londonInstant(date, startHour),
              endsAt: londonInstant(date, endHour),
              slotMinutes,
            });
          if (weekday >= 1 && weekday <= 5) {
            add(9, 12, 'in-person', (weekday % 2 ? mainSite : otherSite).id, 60);
            add(13, 16, weekday === 3 ? 'video' : 'phone', null, 30);
          }
          if (weekday === 2) add(18, 20, 'video', null, 30);
          if (weekday === 6) add(7, 9, 'in-person', mainSite.id, 60);
        }
      }
    }
    await insertInChunks(tx, clinicSessions, sessionRows);

    // A year of history: referrals, triage, appointments (some missed), consultations,
    // outcomes, reports (most released), closures.
    const history = {
      referrals: [] as Array<typeof referrals.$inferInsert>,
      cases: [] as Array<typeof cases.$inferInsert>,
      appointments: [] as Array<typeof appointments.$inferInsert>,
      consultations: [] as Array<typeof consultations.$inferInsert>,
      reports: [] as Array<typeof reports.$inferInsert>,
    };
    const userIdByEmail = new Map(
      (await tx.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]),
    );
    const demoUser = (role: Role, slug: string) =>
      userIdByEmail.get(`${role}@${slug}.demo.ohwb.test`) as string;
    // A clinician is never booked twice in one hour, even in history (the exclusion constraint would refuse it).
    const taken = new Set<string>();
    const served: Array<[string, string]> = [
      ['northmoor-police', 'northmoor-police'],
      ['northmoor-hospitals', 'northmoor-hospitals'],
      ['northmoor-health', 'northmoor-hospitals'],
      ['northmoor-ambulance', 'northmoor-hospitals'],
      ['elm-street-surgery', 'northmoor-hospitals'],
    ];
    const encrypt = (text: string) => ctx.cipher.encrypt(text);
    // Face-to-face history took place at each provider's own OH venue.
    const clinicSite = (hostSlug: string) =>
      hostSlug === 'northmoor-police' ? policeOhSite.id : hospitalOh.id;
    const formerManagers = new Map<string, string>();
    for (const [clientSlug, hostSlug] of served) {
      const staff = staffByOrg.get(clientSlug) as PersonRow[];
      const triager = demoUser('oh-admin', hostSlug);
      // A year of management referrals came from the organisation's many line managers, who
      // have no demo logins: one disabled account stands for them, so the demo manager's
      // lists hold only their own team.
      const referrer = ctx.newId();
      await tx.insert(users).values({
        id: referrer,
        email: `former-managers@${clientSlug}.demo.ohwb.test`,
        displayName: 'Line managers (historical referrals)',
        passwordHash,
        disabled: true,
      });
      formerManagers.set(clientSlug, referrer);
      const clinicians = clinicianIds.get(hostSlug) as string[];
      const count = Math.round(staff.length * 0.2);
      for (let i = 0; i < count; i++) {
        const person = rand.pick(staff);
        const kind = rand.weighted(REFERRAL_REASONS.map((r) => [r, r.weight] as const));
        const daysAgo = 5 + rand.int(360);
        const referredAt = new Date(now.getTime() - daysAgo * 86_400_000 - rand.int(8) * 3_600_000);
        const self = rand.next() < 0.35;
        const referralId = id();
        const priority = rand.weighted([
          ['urgent', 1],
          ['soon', 3],
          ['routine', 6],
        ] as const);
        const triaged = daysAgo > 7 || rand.next() < 0.5;
        const caseId = triaged ? id() : null;
        history.referrals.push({
          id: referralId,
          organisationId: org(clientSlug),
          personId: person.id as string,
          providerId: hostSlug === 'northmoor-police' ? policeProvider : sharedProvider,
          source: self ? 'self' : 'management',
          // Historic self-referrals came by phone and were entered by the OH administrator.
          referredByUserId: self ? triager : referrer,
          reasonEnc: encrypt(rand.pick(clientSlug === 'northmoor-police' ? kind.police : kind.nhs)),
          questionsEnc: encrypt(JSON.stringify(self ? [] : MANAGER_QUESTIONS)),
          pathway: kind.pathway,
          consentGiven: true,
          consentRecordedAt: referredAt,
          status: triaged ? 'triaged' : 'awaiting-triage',
          priority: triaged ? priority : null,
          triagedByUserId: triaged ? triager : null,
          triagedAt: triaged ? new Date(referredAt.getTime() + 86_400_000) : null,
          caseId,
          createdAt: referredAt,
        });
        if (!caseId) continue;
        const clinicianId = rand.pick(clinicians);
        const wait =
          priority === 'urgent'
            ? 2 + rand.int(4)
            : priority === 'soon'
              ? 5 + rand.int(10)
              : 10 + rand.int(25);
        // Historic appointments fall on weekdays in clinic hours, never twice for one clinician.
        const weekday = (at: Date) => new Date(`${londonDate(at)}T12:00:00Z`).getUTCDay() % 6 !== 0;
        let firstAt = londonInstant(addDays(londonDate(referredAt), wait), 9 + rand.int(7));
        while (taken.has(`${clinicianId}:${firstAt.getTime()}`) || !weekday(firstAt))
          firstAt = new Date(firstAt.getTime() + 86_400_000);
        taken.add(`${clinicianId}:${firstAt.getTime()}`);
        const book = (at: Date, status: string) => {
          const mode = rand.weighted([
            ['in-person', 5],
            ['phone', 3],
            ['video', 2],
          ] as const);
          const appointmentId = id();
          taken.add(`${clinicianId}:${at.getTime()}`);
          history.appointments.push({
            id: appointmentId,
            organisationId: org(clientSlug),
            caseId,
            clinicianId,
            startsAt: at,
            endsAt: new Date(at.getTime() + 3_600_000),
            mode,
            siteId: mode === 'in-person' ? clinicSite(hostSlug) : null,
            status,
            bookedByUserId: triager,
            createdAt: new Date(referredAt.getTime() + 86_400_000),
          });
          return appointmentId;
        };
        // About one in twelve first appointments is missed; OH rebooks about a week later.
        let seenAt = firstAt;
        if (firstAt.getTime() < now.getTime() && rand.next() < 0.08) {
          book(firstAt, 'did-not-attend');
          seenAt = new Date(firstAt.getTime() + 7 * 86_400_000);
          while (taken.has(`${clinicianId}:${seenAt.getTime()}`) || !weekday(seenAt))
            seenAt = new Date(seenAt.getTime() + 86_400_000);
        }
        const future = seenAt.getTime() > now.getTime();
        const appointmentId = book(seenAt, future ? 'booked' : 'attended');
        let status = future ? 'appointment-booked' : 'consulted';
        let fitness: string | null = null;
        let adjustments: string[] = [];
        let closedAt: Date | null = null;
        let closureOutcome: string | null = null;
        let reviewDate: string | null = null;
        if (status === 'consulted') {
          history.consultations.push({
            id: id(),
            organisationId: org(clientSlug),
            caseId,
            appointmentId,
            clinicianId,
            notesEnc: encrypt(rand.pick(CONSULTATION_NOTES)),
            createdAt: new Date(seenAt.getTime() + 3_600_000),
          });
          fitness = rand.weighted([
            ['fit', 3],
            ['fit-with-adjustments', 5],
            ['temporarily-unfit', 2],
            ['unfit-for-role', 0.3],
          ] as const);
          adjustments = fitness === 'fit-with-adjustments' ? rand.pick(ADJUSTMENT_SETS) : [];
          status = 'outcome-recorded';
          const consultDate = londonDate(seenAt);
          reviewDate = addDays(consultDate, 42);
          const reportAt = new Date(seenAt.getTime() + 86_400_000);
          // Most employees decide within days; a few reports from the last three weeks still wait.
          const age = now.getTime() - reportAt.getTime();
          const decision =
            age < 5 * 86_400_000
              ? 'awaiting-employee'
              : age < 21 * 86_400_000
                ? rand.weighted([
                    ['released', 80],
                    ['withheld', 5],
                    ['correction-requested', 5],
                    ['awaiting-employee', 10],
                  ] as const)
                : rand.weighted([
                    ['released', 92],
                    ['withheld', 8],
                  ] as const);
          history.reports.push({
            id: id(),
            organisationId: org(clientSlug),
            caseId,
            authorId: clinicianId,
            textEnc: encrypt(rand.pick(REPORT_TEXTS)),
            status: decision,
            decidedAt:
              decision === 'awaiting-employee'
                ? null
                : new Date(reportAt.getTime() + (1 + rand.int(20)) * 86_400_000),
            releasedAt:
              decision === 'released' ? new Date(reportAt.getTime() + (1 + rand.int(20)) * 86_400_000) : null,
            createdAt: reportAt,
          });
          // Most cases close within two months of being seen.
          const closeBy = Math.min(seenAt.getTime() + 60 * 86_400_000, now.getTime() - 86_400_000);
          if (daysAgo > 60 && closeBy > seenAt.getTime() && rand.next() < 0.95) {
            status = 'closed';
            closedAt = new Date(closeBy);
            closureOutcome = rand.weighted([
              ['remained-at-work', 5],
              ['returned-to-work', 4],
              ['redeployed', 0.5],
              ['left-employment', 0.3],
              ['ill-health-retirement', 0.2],
            ] as const);
          }
        }
        history.cases.push({
          id: caseId,
          organisationId: org(clientSlug),
          personId: person.id as string,
          referralId,
          providerId: hostSlug === 'northmoor-police' ? policeProvider : sharedProvider,
          pathway: kind.pathway,
          priority,
          clinicianId,
          status,
          fitness,
          adjustments,
          reviewDate,
          outcomeRecordedAt: fitness ? new Date(seenAt.getTime() + 3_600_000) : null,
          closureOutcome,
          closedAt,
          createdAt: new Date(referredAt.getTime() + 86_400_000),
        });
      }
    }
    await insertInChunks(tx, referrals, history.referrals);
    await insertInChunks(tx, cases, history.cases);
    await insertInChunks(tx, appointments, history.appointments);
    await insertInChunks(tx, consultations, history.consultations);
    await insertInChunks(tx, reports, history.reports);

    // Pathways over the same year: immunisations, measures, exposures, incidents, injuries, retirements.
    const hostOf = new Map(served);
    await seedPathwayHistory({
      tx,
      ctx,
      rand,
      now,
      insert: (table, rows) => insertInChunks(tx, table, rows),
      organisationId: org,
      providerOf,
      hostOf: (slug) => hostOf.get(slug) ?? slug,
      staffByOrg,
      demoPeople: peopleRows.filter((p) => String(p.employeeNumber).startsWith('D-')),
      clinicianIds,
      demoUser,
      formerManagers,
      historyCases: history.cases,
      taken,
      clinicSite,
    });
    await seedDemoBenefits(tx, ctx, today);
    return {
      password,
      passwordWasGenerated: !options.password,
      users: demoUsers,
      people: peopleRows.length,
    };
  });
  // The KPI roll-up of the year just made, so that the first report need not compute it.
  await refreshAllKpiDays(ctx);
  return result;
}
