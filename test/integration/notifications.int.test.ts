import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, users } from '../../src/db/schema.ts';
import type { Server } from '../../src/server.ts';
import { deliverOutbox, queueTaskReminders } from '../../src/services/notifications/notifications.service.ts';
import { createWorld } from '../factories.ts';
import { systemDb } from '../support/system-db.ts';
import { engine, startTestServer } from '../support/test-server.ts';

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.app.close());

async function mailTo(userIds: string[]) {
  const addresses = await systemDb(server.ctx)
    .select({ email: users.email })
    .from(users)
    .where(inArray(users.id, userIds));
  return systemDb(server.ctx)
    .select()
    .from(outbox)
    .where(
      inArray(
        outbox.toAddress,
        addresses.map((a) => a.email),
      ),
    );
}

describe(`task reminders on ${engine}`, () => {
  it('queues one reminder per task due within a day, to OH admins when no clinician is allocated, with no health data', async () => {
    const world = await createWorld(server.app, server.ctx);
    const reported = await world.manager.api('POST', '/api/v1/exposures', {
      personId: world.employee.personId,
      occurredAt: new Date(Date.now() - 30 * 60_000).toISOString(),
      kind: 'bite',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    await queueTaskReminders(server.ctx, 'https://ohwb.example.org');
    // The risk assessment and the PEP decision are due within a day; HBV prophylaxis (48 h) and the tests are not.
    const mail = await mailTo([world.admin.userId]);
    expect(mail).toHaveLength(2);
    for (const m of mail) {
      expect(m.body).toMatch(/https:\/\/ohwb\.example\.org\/tasks\/[0-9a-f-]{36}/);
      expect(m.body).not.toMatch(/bite|blood|HIV|hepatitis|Tester/i);
    }
    // A second sweep reminds nobody again.
    await queueTaskReminders(server.ctx, 'https://ohwb.example.org');
    expect(await mailTo([world.admin.userId])).toHaveLength(2);

    const page = await server.app.inject({ method: 'GET', url: '/messages' });
    expect(page.statusCode).toBe(303);

    // Other test files share the database on PostgreSQL: deliver in batches until nothing is left.
    const delivered: string[] = [];
    for (let batch = 0; batch < 100; batch++) {
      const { sent } = await deliverOutbox(server.ctx, async (message) => {
        delivered.push(message.to);
      });
      if (sent === 0) break;
    }
    const after = await mailTo([world.admin.userId]);
    expect(after.every((m) => m.sentAt !== null)).toBe(true);
    expect(delivered.length).toBeGreaterThanOrEqual(2);
  });

  it('leaves an email that fails to send in the outbox, to try again', async () => {
    const world = await createWorld(server.app, server.ctx);
    await world.manager.api('POST', '/api/v1/exposures', {
      personId: world.employee.personId,
      occurredAt: new Date().toISOString(),
      kind: 'spit',
    });
    await queueTaskReminders(server.ctx, 'http://localhost:3000');
    await deliverOutbox(server.ctx, async () => {
      throw new Error('SMTP server unavailable');
    });
    const mail = await mailTo([world.admin.userId]);
    expect(mail.length).toBeGreaterThan(0);
    expect(mail.every((m) => m.sentAt === null)).toBe(true);
    await systemDb(server.ctx).delete(outbox).where(eq(outbox.organisationId, world.orgId));
  });
});
