import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  clinicSessions,
  ohProviders,
  organisations,
  people,
  providerClients,
  sessions,
  sites,
  systems,
  userRoles,
  users,
} from '../src/db/schema.ts';
import type { Role } from '../src/domain/access/roles.ts';
import { addDays, londonDate, londonInstant } from '../src/domain/time/london.ts';
import type { ServiceContext } from '../src/services/shared/context.ts';
import { systemDb } from './support/system-db.ts';
import { call } from './support/test-server.ts';

const unique = () => randomBytes(4).toString('hex');

/** A signed-in user of a test world: ids, token and a bound API caller. */
export type TestUser = {
  userId: string;
  personId: string | null;
  token: string;
  api: ReturnType<typeof call>;
};

/** Creates a session for a user without the cost of scrypt (the sign-in route has its own tests). */
export async function sessionFor(
  ctx: ServiceContext,
  userId: string,
  kind: 'api' | 'web' = 'api',
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await systemDb(ctx)
    .insert(sessions)
    .values({
      tokenHash: createHash('sha256').update(token).digest('hex'),
      userId,
      kind,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
  return token;
}

/** A staff record in an organisation. */
export async function createPerson(
  ctx: ServiceContext,
  organisationId: string,
  overrides: Partial<typeof people.$inferInsert> = {},
): Promise<string> {
  const id = randomUUID();
  await systemDb(ctx)
    .insert(people)
    .values({
      id,
      organisationId,
      employeeNumber: `E${unique()}`,
      givenName: 'Alex',
      familyName: `Tester${unique()}`,
      staffGroup: 'Police officer',
      jobTitle: 'Police constable',
      ...overrides,
    });
  return id;
}

/** A user with roles in an organisation, optionally with their own staff record, signed in. */
export async function createUser(
  app: FastifyInstance,
  ctx: ServiceContext,
  organisationId: string,
  roles: Role[],
  options: {
    personId?: string | null;
    withPerson?: boolean;
    managerId?: string | null;
    passwordHash?: string;
  } = {},
): Promise<TestUser> {
  const personId =
    options.personId !== undefined
      ? options.personId
      : options.withPerson === false
        ? null
        : await createPerson(ctx, organisationId, { managerId: options.managerId ?? null });
  const userId = randomUUID();
  await systemDb(ctx)
    .insert(users)
    .values({
      id: userId,
      email: `${roles.join('-')}-${unique()}@test.ohwb.test`,
      displayName: `${roles[0]} ${unique()}`,
      passwordHash: options.passwordHash ?? 'scrypt$1$1$1$AAAA$AAAA',
      personId,
    });
  await systemDb(ctx)
    .insert(userRoles)
    .values(roles.map((role) => ({ userId, organisationId, role })));
  const token = await sessionFor(ctx, userId);
  return { userId, personId, token, api: call(app, token) };
}

/**
 * A self-contained world for one test: a system with a police force served by its
 * own OH unit, the OH staff, a manager with one team member, clinic sessions for
 * the clinician over the next two weeks, and an outsider in another organisation.
 */
export async function createWorld(app: FastifyInstance, ctx: ServiceContext) {
  const tag = unique();
  const systemId = randomUUID();
  await systemDb(ctx)
    .insert(systems)
    .values({ id: systemId, slug: `sys-${tag}`, name: `System ${tag}` });
  const orgId = randomUUID();
  const otherOrgId = randomUUID();
  await systemDb(ctx)
    .insert(organisations)
    .values([
      { id: orgId, slug: `force-${tag}`, name: `Test Police ${tag}`, kind: 'police-force', systemId },
      { id: otherOrgId, slug: `trust-${tag}`, name: `Test Trust ${tag}`, kind: 'nhs-trust', systemId },
    ]);
  const providerId = randomUUID();
  const otherProviderId = randomUUID();
  await systemDb(ctx)
    .insert(ohProviders)
    .values([
      {
        id: providerId,
        slug: `oh-${tag}`,
        name: `Force OH ${tag}`,
        kind: 'in-house',
        hostOrganisationId: orgId,
      },
      {
        id: otherProviderId,
        slug: `oh2-${tag}`,
        name: `Trust OH ${tag}`,
        kind: 'in-house',
        hostOrganisationId: otherOrgId,
      },
    ]);
  await systemDb(ctx)
    .insert(providerClients)
    .values([
      { providerId, organisationId: orgId },
      { providerId: otherProviderId, organisationId: otherOrgId },
    ]);
  const siteId = randomUUID();
  const unsafeSiteId = randomUUID();
  await systemDb(ctx)
    .insert(sites)
    .values([
      { id: siteId, organisationId: orgId, name: 'OH Suite', address: '1 Quiet Lane', operational: false },
      {
        id: unsafeSiteId,
        organisationId: orgId,
        name: 'Central Station',
        address: '1 Busy Street',
        operational: true,
      },
    ]);

  const manager = await createUser(app, ctx, orgId, ['manager', 'employee']);
  const employee = await createUser(app, ctx, orgId, ['employee'], { managerId: manager.personId });
  const admin = await createUser(app, ctx, orgId, ['oh-admin']);
  const clinician = await createUser(app, ctx, orgId, ['oh-clinician']);
  const physician = await createUser(app, ctx, orgId, ['oh-physician']);
  const sysadmin = await createUser(app, ctx, orgId, ['sysadmin'], { withPerson: false });
  const wellbeingLead = await createUser(app, ctx, orgId, ['wellbeing-lead', 'employee']);
  const otherManager = await createUser(app, ctx, orgId, ['manager', 'employee']);
  const outsiderOh = await createUser(app, ctx, otherOrgId, ['oh-admin', 'oh-clinician', 'oh-physician']);
  const outsiderEmployee = await createUser(app, ctx, otherOrgId, ['employee', 'manager']);

  // Clinic sessions: 09:00–12:00 in person (hourly) and 13:00–16:00 by phone (half-hourly), every day for 14 days.
  const today = londonDate(new Date());
  const rows: Array<typeof clinicSessions.$inferInsert> = [];
  for (let d = 1; d <= 14; d++) {
    const date = addDays(today, d);
    rows.push(
      {
        id: randomUUID(),
        providerId,
        clinicianId: clinician.userId,
        siteId,
        mode: 'in-person',
        startsAt: londonInstant(date, 9),
        endsAt: londonInstant(date, 12),
        slotMinutes: 60,
      },
      {
        id: randomUUID(),
        providerId,
        clinicianId: clinician.userId,
        siteId: unsafeSiteId,
        mode: 'in-person',
        startsAt: londonInstant(date, 12),
        endsAt: londonInstant(date, 13),
        slotMinutes: 60,
      },
      {
        id: randomUUID(),
        providerId,
        clinicianId: clinician.userId,
        siteId: null,
        mode: 'phone',
        startsAt: londonInstant(date, 13),
        endsAt: londonInstant(date, 16),
        slotMinutes: 30,
      },
    );
  }
  await systemDb(ctx).insert(clinicSessions).values(rows);

  return {
    tag,
    systemId,
    orgId,
    otherOrgId,
    orgSlug: `force-${tag}`,
    otherOrgSlug: `trust-${tag}`,
    providerId,
    siteId,
    unsafeSiteId,
    manager,
    employee,
    admin,
    clinician,
    physician,
    sysadmin,
    wellbeingLead,
    otherManager,
    outsiderOh,
    outsiderEmployee,
    /** The first free slot tomorrow-or-later, in person. */
    firstSlotStart: londonInstant(addDays(today, 1), 9),
  };
}

export type World = Awaited<ReturnType<typeof createWorld>>;

/** Runs the loop up to a point, returning ids: referral → triage → booking → consultation → outcome → report. */
export async function advanceCase(
  world: World,
  until: 'referred' | 'triaged' | 'booked' | 'consulted' | 'outcome' | 'reported',
) {
  const referral = await world.manager.api('POST', '/api/v1/referrals', {
    personId: world.employee.personId,
    reason: 'Back pain after a fall at work.',
    questions: ['Is there an underlying condition?'],
    consent: { given: true, recordedAt: new Date(Date.now() - 60_000).toISOString() },
  });
  const referralId = referral.json().id as string;
  if (until === 'referred') return { referralId };
  const triage = await world.admin.api('POST', `/api/v1/referrals/${referralId}/triage`, {
    priority: 'soon',
    pathway: 'musculoskeletal',
    clinicianId: world.clinician.userId,
  });
  const caseId = triage.json().caseId as string;
  if (until === 'triaged') return { referralId, caseId };
  const start = world.firstSlotStart;
  const booking = await world.admin.api('POST', '/api/v1/appointments', {
    caseId,
    clinicianId: world.clinician.userId,
    start: start.toISOString(),
    end: new Date(start.getTime() + 3_600_000).toISOString(),
    mode: 'in-person',
  });
  const appointmentId = booking.json().id as string;
  if (until === 'booked') return { referralId, caseId, appointmentId };
  // Not linked to the appointment: it is tomorrow, and an appointment cannot be attended before it happens.
  const consultation = await world.clinician.api('POST', `/api/v1/cases/${caseId}/consultations`, {
    notes: 'Lumbar strain; no red flags. Reports low mood since the fall.',
  });
  const consultationId = consultation.json().id as string;
  if (until === 'consulted') return { referralId, caseId, appointmentId, consultationId };
  await world.clinician.api('POST', `/api/v1/cases/${caseId}/outcome`, {
    fitness: 'fit-with-adjustments',
    adjustments: ['No lifting over 10 kg for 4 weeks'],
    reviewDate: addDays(londonDate(new Date()), 28),
  });
  if (until === 'outcome') return { referralId, caseId, appointmentId, consultationId };
  const report = await world.clinician.api('POST', `/api/v1/cases/${caseId}/reports`, {
    text: 'Fit for work with adjustments: no heavy lifting for four weeks.',
  });
  return { referralId, caseId, appointmentId, consultationId, reportId: report.json().id as string };
}

/** What a test call returns. */
export type TestResponse = Awaited<ReturnType<TestUser['api']>>;

/**
 * Checks that a response is an RFC 9457 problem with the given status and returns its
 * body; throws (failing the test) with the whole response when it is not.
 */
export function problemOf(
  response: TestResponse,
  status: number,
): {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
} {
  const type = String(response.headers['content-type'] ?? '');
  if (response.statusCode !== status || !type.startsWith('application/problem+json')) {
    throw new Error(
      `Expected a ${status} problem+json, got ${response.statusCode} ${type}: ${response.body}`,
    );
  }
  const body = response.json();
  if (body.status !== status || typeof body.title !== 'string' || typeof body.detail !== 'string') {
    throw new Error(`Not a problem body: ${response.body}`);
  }
  return body;
}

/**
 * Row counts of the referral-to-outcome tables (and the audit trail) in some
 * organisations, to prove that a refused request wrote nothing. Scoped by
 * organisation because other test files share the database on PostgreSQL.
 */
export async function loopRowCounts(ctx: ServiceContext, organisationIds: string[]) {
  const { inArray } = await import('drizzle-orm');
  const schema = await import('../src/db/schema.ts');
  const { referrals, cases, appointments, consultations, reports, auditEvents } = schema;
  return {
    referrals: await systemDb(ctx).$count(referrals, inArray(referrals.organisationId, organisationIds)),
    cases: await systemDb(ctx).$count(cases, inArray(cases.organisationId, organisationIds)),
    appointments: await systemDb(ctx).$count(
      appointments,
      inArray(appointments.organisationId, organisationIds),
    ),
    consultations: await systemDb(ctx).$count(
      consultations,
      inArray(consultations.organisationId, organisationIds),
    ),
    reports: await systemDb(ctx).$count(reports, inArray(reports.organisationId, organisationIds)),
    auditEvents: await systemDb(ctx).$count(
      auditEvents,
      inArray(auditEvents.organisationId, organisationIds),
    ),
  };
}

/** The employee of a world refers themself and OH triages it: a confidential case no manager may see. */
export async function selfReferredCase(world: World, who: TestUser = world.employee) {
  const referral = await who.api('POST', '/api/v1/referrals', {
    selfReferral: true,
    reason: 'I would like some help with anxiety.',
    pathway: 'mental-health',
  });
  const referralId = referral.json().id as string;
  const triage = await world.admin.api('POST', `/api/v1/referrals/${referralId}/triage`, {
    priority: 'routine',
    pathway: 'mental-health',
    clinicianId: world.clinician.userId,
  });
  return { referralId, caseId: triage.json().caseId as string };
}

/** A start time `days` ahead at a London wall-clock hour, inside the world's clinic sessions (1 ≤ days ≤ 14). */
export function sessionTime(days: number, hour: number, minute = 0): Date {
  return londonInstant(addDays(londonDate(new Date()), days), hour, minute);
}

/** The field paths of a 400 problem's `errors` array; throws when the response is not one, or has none. */
export function errorPathsOf(response: TestResponse): string[] {
  const problem = problemOf(response, 400);
  if (!Array.isArray(problem.errors) || problem.errors.length === 0) {
    throw new Error(`Expected an errors array: ${response.body}`);
  }
  for (const error of problem.errors) {
    if (typeof error.path !== 'string' || !error.path.startsWith('/') || typeof error.message !== 'string') {
      throw new Error(`Not a field error: ${JSON.stringify(error)}`);
    }
  }
  return problem.errors.map((e) => e.path);
}

/** advanceCase to a stage after triage, with the case id typed as present. */
export async function caseAt(world: World, until: Exclude<Parameters<typeof advanceCase>[1], 'referred'>) {
  const ids = await advanceCase(world, until);
  if (!ids.caseId) throw new Error(`advanceCase(${until}) opened no case`);
  return { ...ids, caseId: ids.caseId };
}

/** One organisation of a test system: its slug is `<slug>-<tag>`. */
export type SystemOrganisation = {
  slug: string;
  name: string;
  kind: 'police-force' | 'nhs-trust' | 'primary-care' | 'icb' | 'local-authority' | 'other';
};

/**
 * A system of organisations for reporting tests, with one OH provider hosted by one of them
 * and serving some: slugs are `<slug>-<tag>` so each test's system is its own. Returns the
 * organisations' ids by their slug prefix.
 */
export async function createSystem<Key extends string>(
  ctx: ServiceContext,
  spec: {
    slug: string;
    name: string;
    organisations: Record<Key, SystemOrganisation>;
    provider: {
      slug: string;
      name: string;
      kind: string;
      host: NoInfer<Key>;
      clients: Array<{ organisation: NoInfer<Key>; deliveryModel?: string }>;
    };
  },
) {
  const tag = randomUUID().slice(0, 8);
  const systemId = randomUUID();
  await systemDb(ctx)
    .insert(systems)
    .values({ id: systemId, slug: `${spec.slug}-${tag}`, name: `${spec.name} ${tag}` });
  const keys = Object.keys(spec.organisations) as Key[];
  const ids = Object.fromEntries(keys.map((key) => [key, randomUUID()])) as Record<Key, string>;
  await systemDb(ctx)
    .insert(organisations)
    .values(
      keys.map((key) => {
        const o = spec.organisations[key];
        return { id: ids[key], slug: `${o.slug}-${tag}`, name: `${o.name} ${tag}`, kind: o.kind, systemId };
      }),
    );
  const providerId = randomUUID();
  await systemDb(ctx)
    .insert(ohProviders)
    .values({
      id: providerId,
      slug: `${spec.provider.slug}-${tag}`,
      name: `${spec.provider.name} ${tag}`,
      kind: spec.provider.kind,
      hostOrganisationId: ids[spec.provider.host],
    });
  await systemDb(ctx)
    .insert(providerClients)
    .values(
      spec.provider.clients.map((c) => ({
        providerId,
        organisationId: ids[c.organisation],
        ...(c.deliveryModel ? { deliveryModel: c.deliveryModel } : {}),
      })),
    );
  const slugs = Object.fromEntries(
    keys.map((key) => [key, `${spec.organisations[key].slug}-${tag}`]),
  ) as Record<Key, string>;
  return { tag, systemId, systemSlug: `${spec.slug}-${tag}`, ids, slugs, providerId };
}
