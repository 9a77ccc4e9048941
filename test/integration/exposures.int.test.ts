import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.ts';
import { createWorld } from '../factories.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

describe(`POST /api/v1/exposures on ${engine}`, () => {
  it('opens an urgent case with the BBV tasks timed from the moment of exposure', async () => {
    const world = await createWorld(server.app, server.ctx);
    const occurredAt = '2026-08-31T13:00:00.000Z';
    const response = await world.manager.api('POST', '/api/v1/exposures', {
      personId: world.employee.personId,
      occurredAt,
      kind: 'needlestick',
      highRiskHcv: true,
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.tasks.map((t: { code: string }) => t.code)).toEqual([
      'risk-assessment',
      'hiv-pep-decision',
      'hbv-prophylaxis',
      'bbv-tests-6w',
      'bbv-tests-3m',
      'bbv-tests-6m',
    ]);
    const byCode = Object.fromEntries(body.tasks.map((t: { code: string }) => [t.code, t]));
    expect(byCode['bbv-tests-6m'].dueAt).toBe('2027-02-28T14:00:00.000Z');
    expect(byCode['bbv-tests-3m'].tests).toContain('HCV antigen/PCR (high risk of HCV)');
    const worklist = await world.clinician.api('GET', '/api/v1/tasks?status=open');
    expect(worklist.statusCode, worklist.body).toBe(200);
    expect(worklist.json().items.length).toBe(6);
    const caseView = await world.clinician.api('GET', `/api/v1/cases/${body.caseId}`);
    expect(caseView.statusCode, caseView.body).toBe(200);
    expect(caseView.json().tasks.length).toBe(6);
    expect(caseView.json().exposure.hepatitisB.code).toBe('no-record');
    const complete = await world.clinician.api(
      'POST',
      `/api/v1/tasks/${byCode['risk-assessment'].id}/complete`,
      {
        outcome: 'Low risk',
      },
    );
    expect(complete.statusCode, complete.body).toBe(200);
    const measure = await world.clinician.api('POST', '/api/v1/measures', {
      personId: world.employee.personId,
      instrument: 'PHQ-9',
      answers: [1, 1, 1, 1, 1, 1, 1, 1, 1],
      caseId: body.caseId,
    });
    expect(measure.statusCode, measure.body).toBe(201);
    expect(measure.json()).toMatchObject({ total: 9, severity: 'mild', flags: ['self-harm-risk'] });
    const incident = await world.manager.api('POST', '/api/v1/incidents', {
      occurredAt: '2026-11-20T10:00:00.000Z',
      kind: 'traumatic',
      description: 'Fatal road collision',
      personIds: [world.employee.personId],
    });
    expect(incident.statusCode, incident.body).toBe(201);
    const trauma = await world.clinician.api(
      'GET',
      `/api/v1/people/${world.employee.personId}/trauma-exposure`,
    );
    expect(trauma.statusCode, trauma.body).toBe(200);
    expect(trauma.json().total).toBe(1);
    const outcomes = await world.clinician.api('GET', `/api/v1/people/${world.employee.personId}/outcomes`);
    expect(outcomes.statusCode, outcomes.body).toBe(200);
    const pathways = await world.physician.api('GET', '/api/v1/pathways');
    expect(pathways.statusCode, pathways.body).toBe(200);
  });
});
