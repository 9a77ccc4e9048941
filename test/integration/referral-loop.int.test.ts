import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, londonDate } from '../../src/domain/time/london.ts';
import type { Server } from '../../src/server.ts';
import { advanceCase, createWorld, type World } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
let world: World;

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server.app, server.ctx);
});
afterAll(async () => server.app.close());

describe(`referral to outcome on ${engine}`, () => {
  it('runs the whole loop: refer, triage, book, consult, outcome, report, release', async () => {
    const { manager, employee, admin, clinician } = world;
    const consentAt = new Date(Date.now() - 3_600_000).toISOString();

    const referral = await manager.api('POST', '/api/v1/referrals', {
      personId: employee.personId,
      reason: 'Struggling on shift after a road traffic collision.',
      questions: ['Is the officer fit for response duties?', 'What adjustments would help?'],
      consent: { given: true, recordedAt: consentAt },
    });
    expect(referral.statusCode).toBe(201);
    expect(referral.json()).toEqual({ id: expect.any(String), status: 'awaiting-triage' });

    const triage = await admin.api('POST', `/api/v1/referrals/${referral.json().id}/triage`, {
      priority: 'urgent',
      pathway: 'mental-health',
      clinicianId: clinician.userId,
    });
    expect(triage.statusCode).toBe(200);
    expect(triage.json()).toEqual({ status: 'triaged', caseId: expect.any(String) });
    const caseId = triage.json().caseId;

    const slots = await admin.api('GET', `/api/v1/clinicians/${clinician.userId}/slots`);
    expect(slots.statusCode).toBe(200);
    const slot = slots.json().items[0];
    expect(slot).toEqual({
      start: expect.any(String),
      end: expect.any(String),
      mode: 'in-person',
      siteId: world.siteId,
    });

    const booking = await admin.api('POST', '/api/v1/appointments', {
      caseId,
      clinicianId: clinician.userId,
      start: slot.start,
      end: slot.end,
      mode: 'in-person',
      siteId: slot.siteId,
    });
    expect(booking.statusCode).toBe(201);
    const appointmentId = booking.json().id;

    const after = await admin.api('GET', `/api/v1/clinicians/${clinician.userId}/slots`);
    expect(after.json().items.map((s: { start: string }) => s.start)).not.toContain(slot.start);

    const again = await admin.api('POST', '/api/v1/appointments', {
      caseId,
      clinicianId: clinician.userId,
      start: slot.start,
      end: slot.end,
      mode: 'in-person',
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');

    const early = await clinician.api('POST', `/api/v1/cases/${caseId}/outcome`, {
      fitness: 'fit',
      adjustments: [],
    });
    expect(early.statusCode).toBe(422);

    // The appointment is in the future: it cannot be recorded as attended yet.
    const tooEarly = await clinician.api('POST', `/api/v1/cases/${caseId}/consultations`, {
      appointmentId,
      notes: 'Attended early?',
    });
    expect(tooEarly.statusCode).toBe(422);
    const consultation = await clinician.api('POST', `/api/v1/cases/${caseId}/consultations`, {
      notes: 'Intrusive memories and poor sleep since the collision. PHQ-9 14.',
    });
    expect(consultation.statusCode).toBe(201);

    const reviewDate = addDays(londonDate(new Date()), 42);
    const outcome = await clinician.api('POST', `/api/v1/cases/${caseId}/outcome`, {
      fitness: 'fit-with-adjustments',
      adjustments: ['No response driving for 4 weeks', 'Day shifts only'],
      reviewDate,
    });
    expect(outcome.statusCode).toBe(200);

    const report = await clinician.api('POST', `/api/v1/cases/${caseId}/reports`, {
      text: 'Fit for work with adjustments. No response driving for four weeks.',
    });
    expect(report.statusCode).toBe(201);
    expect(report.json()).toEqual({ id: expect.any(String), status: 'awaiting-employee' });
    const reportId = report.json().id;

    // The manager sees the outcome but never the notes, and not the report before release.
    const managerView = await manager.api('GET', `/api/v1/cases/${caseId}`);
    expect(managerView.statusCode).toBe(200);
    expect(managerView.json()).toMatchObject({
      status: 'outcome-recorded',
      fitness: 'fit-with-adjustments',
      adjustments: ['No response driving for 4 weeks', 'Day shifts only'],
      reviewDate,
      reports: [],
    });
    const managerText = managerView.body;
    expect(managerText).not.toContain('Intrusive memories');
    expect(managerText).not.toContain('road traffic collision');
    expect(managerText).not.toContain('consultations');
    expect((await manager.api('GET', `/api/v1/reports/${reportId}`)).statusCode).toBe(404);

    // The employee reads it first and releases it.
    const own = await employee.api('GET', `/api/v1/reports/${reportId}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().text).toContain('No response driving');
    expect(
      (await manager.api('POST', `/api/v1/reports/${reportId}/decision`, { decision: 'release' })).statusCode,
    ).toBe(404);
    expect(
      (await clinician.api('POST', `/api/v1/reports/${reportId}/decision`, { decision: 'release' }))
        .statusCode,
    ).toBe(403);
    const decision = await employee.api('POST', `/api/v1/reports/${reportId}/decision`, {
      decision: 'release',
    });
    expect(decision.statusCode).toBe(200);
    expect(decision.json().status).toBe('released');

    const released = await manager.api('GET', `/api/v1/reports/${reportId}`);
    expect(released.statusCode).toBe(200);
    expect(released.json().text).toContain('Fit for work with adjustments');
    const managerAfter = await manager.api('GET', `/api/v1/cases/${caseId}`);
    expect(managerAfter.json().reports).toEqual([
      expect.objectContaining({ id: reportId, status: 'released' }),
    ]);
    expect(managerAfter.body).not.toContain('Intrusive memories');

    // OH staff see everything.
    const full = await clinician.api('GET', `/api/v1/cases/${caseId}`);
    expect(full.json().consultations[0].notes).toContain('Intrusive memories');

    // Another organisation sees nothing: 404 for everything.
    for (const outsider of [world.outsiderOh, world.outsiderEmployee]) {
      expect((await outsider.api('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
      expect((await outsider.api('GET', `/api/v1/reports/${reportId}`)).statusCode).toBe(404);
    }

    // Every clinical read and change left an audit row.
    const audit = await world.physician.api('GET', `/api/v1/audit?recordId=${caseId}`);
    expect(audit.statusCode).toBe(200);
    const actions = audit.json().items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.open',
        'appointment.book',
        'consultation.create',
        'outcome.record',
        'case.read',
        'case.read-outcome',
      ]),
    );
    expect(audit.json().items[0]).toEqual({
      at: expect.any(String),
      userId: expect.any(String),
      userName: expect.any(String),
      role: expect.any(String),
      action: expect.any(String),
      recordId: caseId,
      recordType: 'case',
      reason: null,
    });
  });

  it('accepts a self-referral and keeps it from the manager', async () => {
    const self = await world.employee.api('POST', '/api/v1/referrals', {
      selfReferral: true,
      reason: 'I would like help with stress.',
      pathway: 'mental-health',
    });
    expect(self.statusCode).toBe(201);
    expect(self.json().status).toBe('awaiting-triage');
    const triage = await world.admin.api('POST', `/api/v1/referrals/${self.json().id}/triage`, {
      priority: 'routine',
      pathway: 'mental-health',
      clinicianId: world.clinician.userId,
    });
    const caseId = triage.json().caseId;
    expect((await world.manager.api('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
    expect((await world.employee.api('GET', `/api/v1/cases/${caseId}`)).json().referral.reason).toBe(
      'I would like help with stress.',
    );
  });

  it('refuses a management referral without consent (422) and writes nothing', async () => {
    for (const consent of [undefined, { given: false, recordedAt: new Date().toISOString() }]) {
      const response = await world.manager.api('POST', '/api/v1/referrals', {
        personId: world.employee.personId,
        reason: 'Absence',
        questions: [],
        ...(consent ? { consent } : {}),
      });
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('lets the employee book their own case and sees no unsafe venue', async () => {
    const { caseId } = await advanceCase(world, 'triaged');
    await systemDb(server.ctx)
      .insert((await import('../../src/db/schema.ts')).personUnsafeSites)
      .values({
        personId: world.employee.personId as string,
        siteId: world.unsafeSiteId,
      });
    const slots = await world.employee.api('GET', `/api/v1/clinicians/${world.clinician.userId}/slots`);
    expect(slots.statusCode).toBe(200);
    const siteIds = new Set(slots.json().items.map((s: { siteId: string | null }) => s.siteId));
    expect(siteIds.has(world.unsafeSiteId)).toBe(false);
    const slot = slots.json().items.find((s: { mode: string }) => s.mode === 'phone');
    const booking = await world.employee.api('POST', '/api/v1/appointments', {
      caseId,
      clinicianId: world.clinician.userId,
      start: slot.start,
      end: slot.end,
      mode: 'phone',
    });
    expect(booking.statusCode).toBe(201);
  });

  it('replays a POST with the same Idempotency-Key and creates nothing new', async () => {
    const body = { selfReferral: true, reason: 'Knee pain', pathway: 'musculoskeletal' };
    const key = { 'idempotency-key': `k-${Math.random()}` };
    const first = await world.employee.api('POST', '/api/v1/referrals', body, key);
    const second = await world.employee.api('POST', '/api/v1/referrals', body, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const different = await world.employee.api(
      'POST',
      '/api/v1/referrals',
      { ...body, reason: 'Other' },
      key,
    );
    expect(different.statusCode).toBe(422);
  });
});
