import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { idempotencyKeys } from '../../db/schema.ts';
import { Conflict, Invalid, RuleRefused } from '../../domain/shared/errors.ts';
import type { ServiceContext } from '../../services/shared/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

/** A claim left without a response this long is from a crashed request and may be retried. */
const ABANDONED_MS = 60_000;

/**
 * `Idempotency-Key` on POSTs: the first request with a key claims it; a retry with
 * the same key and body gets the first response again and creates nothing; the same
 * key with another body is refused. Keys are per user.
 */
export function registerIdempotency(app: FastifyInstance, ctx: ServiceContext): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.actor) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw new Invalid('The Idempotency-Key header must be 1 to 255 characters.', [
        { path: '/headers/idempotency-key', message: 'must be 1 to 255 characters' },
      ]);
    }
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const userId = request.actor.userId;
    const claimed = await ctx.db
      .insert(idempotencyKeys)
      .values({ userId, key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) {
      request.idempotencyKey = key;
      return;
    }
    const [stored] = await ctx.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    if (!stored) throw new Conflict('This Idempotency-Key is being processed; retry in a moment.');
    if (stored.requestHash !== requestHash) {
      throw new RuleRefused('This Idempotency-Key was used for a different request. Use a new key.');
    }
    if (stored.statusCode === null) {
      if (ctx.now().getTime() - stored.createdAt.getTime() < ABANDONED_MS) {
        throw new Conflict(
          'A request with this Idempotency-Key is still being processed; retry in a moment.',
        );
      }
      await ctx.db
        .update(idempotencyKeys)
        .set({ createdAt: sql`now()` })
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
      request.idempotencyKey = key;
      return;
    }
    reply.header('idempotent-replayed', 'true');
    if (stored.statusCode >= 400) reply.type('application/problem+json');
    return reply.code(stored.statusCode).send(stored.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key || !request.actor) return payload;
    const where = and(eq(idempotencyKeys.userId, request.actor.userId), eq(idempotencyKeys.key, key));
    if (reply.statusCode >= 500) {
      await ctx.db.delete(idempotencyKeys).where(where);
      return payload;
    }
    let body: unknown = null;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      body = null;
    }
    await ctx.db.update(idempotencyKeys).set({ statusCode: reply.statusCode, body }).where(where);
    return payload;
  });
}
