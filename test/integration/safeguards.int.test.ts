import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, sites } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { caseAt, createWorld, problemOf, sessionTime } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

describe(`safeguards on ${engine}`, () => {
  it('keeps an OH clinician’s own self-referral out of their hands: not in their queue, not theirs to triage or treat', async () => {
    const world = await createWorld(server.app, server.ctx);
    const own = await world.clinician.api('POST', '/api/v1/referrals', {
      selfReferral: true,
      reason: 'I am not coping after a difficult case.',
    });
    expect(own.statusCode).toBe(201);
    const referralId = own.json().id;
    expect(
      problemOf(
        await world.clinician.api('POST', `/api/v1/referrals/${referralId}/triage`, {
          priority: 'soon',
          pathway: 'mental-health',
          clinicianId: world.physician.userId,
        }),
        403,
      ).detail,
    ).toMatch(/your own referral/);
    const triage = await world.admin.api('POST', `/api/v1/referrals/${referralId}/triage`, {
      priority: 'soon',
      pathway: 'mental-health',
      clinicianId: world.physician.userId,
    });
    const caseId = triage.json().caseId;
    // The clinician sees their own case as any employee does, and cannot write to it.
    const view = await world.clinician.api('GET', `/api/v1/cases/${caseId}`);
    expect(view.json().view).toBe('own');
    expect(view.json().permissions.recordClinical).toBe(false);
    problemOf(
      await world.clinician.api('POST', `/api/v1/cases/${caseId}/consultations`, { notes: 'Self-treatment' }),
      403,
    );
  });

  it('never offers or books an operational site for a security-sensitive person', async () => {
    const world = await createWorld(server.app, server.ctx);
    await systemDb(server.ctx)
      .update(people)
      .set({ securitySensitive: true })
      .where(eq(people.id, world.employee.personId as string));
    // The factory's 12:00 session is at "Central Station", an operational site.
    await systemDb(server.ctx)
      .update(sites)
      .set({ operational: true })
      .where(eq(sites.id, world.unsafeSiteId));
    const { caseId } = await caseAt(world, 'triaged');
    const all = await world.admin.api('GET', `/api/v1/clinicians/${world.clinician.userId}/slots`);
    expect(all.json().items.some((s: { siteId: string | null }) => s.siteId === world.unsafeSiteId)).toBe(
      true,
    );
    const safe = await world.admin.api(
      'GET',
      `/api/v1/clinicians/${world.clinician.userId}/slots?caseId=${caseId}`,
    );
    expect(safe.statusCode).toBe(200);
    expect(safe.json().items.some((s: { siteId: string | null }) => s.siteId === world.unsafeSiteId)).toBe(
      false,
    );
    const start = sessionTime(2, 12);
    const refused = await world.admin.api('POST', '/api/v1/appointments', {
      caseId,
      clinicianId: world.clinician.userId,
      start: start.toISOString(),
      end: new Date(start.getTime() + 3_600_000).toISOString(),
      mode: 'in-person',
    });
    expect(problemOf(refused, 422).detail).toMatch(/not safe for this person/);
  });

  it('refuses to record a future appointment as attended', async () => {
    const world = await createWorld(server.app, server.ctx);
    const { caseId, appointmentId } = await caseAt(world, 'booked');
    const response = await world.clinician.api('POST', `/api/v1/cases/${caseId}/consultations`, {
      appointmentId,
      notes: 'Seen early?',
    });
    expect(problemOf(response, 422).detail).toMatch(/not happened yet/);
  });
});
