import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { jsonValue } from '../../db/database.ts';
import { ACTOR_SQL } from '../../db/queries/actor.query.ts';
import { sessions, users } from '../../db/schema.ts';
import type { Actor, Role, RoleGrant } from '../../domain/access/roles.ts';
import { Unauthenticated } from '../../domain/shared/errors.ts';
import type { ServiceContext } from '../shared/context.ts';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// OWASP password storage cheat sheet: scrypt N=2^17, r=8, p=1.
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };

/** Hashes a password as `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password.normalize('NFKC'), salt, 32, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

// A hash to compare against when the account does not exist, so a missing account takes as long as a wrong password.
let decoyHash: Promise<string> | null = null;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type SessionKind = 'api' | 'web';

/**
 * Signs in with email and password and opens a session (a page cookie or an API
 * bearer token). Returns the secret once; only its hash is stored.
 */
export async function signIn(
  ctx: ServiceContext,
  input: { email: string; password: string; kind: SessionKind; hours: number },
): Promise<{ token: string; actor: Actor }> {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(eq(users.email, input.email.trim().toLowerCase()))
    .limit(1);
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
  if (!user || !ok || user.disabled) throw new Unauthenticated('The email address or password is not right.');
  const token = randomBytes(32).toString('base64url');
  await ctx.db.insert(sessions).values({
    tokenHash: tokenHash(token),
    userId: user.id,
    kind: input.kind,
    expiresAt: new Date(ctx.now().getTime() + input.hours * 3_600_000),
  });
  const actor = await resolveActor(ctx, token, input.kind);
  if (!actor) throw new Unauthenticated('The session could not be opened.');
  return { token, actor };
}

/** Ends a session. */
export async function signOut(ctx: ServiceContext, token: string): Promise<void> {
  const hash = tokenHash(token);
  for (const kind of ['api', 'web'] satisfies SessionKind[]) actorCache.get(ctx)?.delete(`${kind}:${hash}`);
  await ctx.db.delete(sessions).where(eq(sessions.tokenHash, hash));
}

/**
 * A short-lived cache of token → actor, so a busy client does not cost a sign-in
 * lookup on every request. Bounded in size and age (`sessionCacheSeconds`, 0 turns
 * it off): a sign-out on this instance takes effect at once; one on another instance,
 * or a change of roles, within that many seconds.
 */
const actorCache = new WeakMap<ServiceContext, Map<string, { actor: Actor; until: number }>>();
const ACTOR_CACHE_MAX = 10_000;

type ActorRow = {
  id: string;
  expires_at: Date | string;
  person_id: string | null;
  person_org: string | null;
  display_name: string;
  grants: Array<{ role: Role; organisationId: string }> | string;
  oh_orgs: string[] | string;
  clinical_orgs: string[] | string;
  physician_orgs: string[] | string;
  sys_orgs: string[] | string;
};

/**
 * The actor behind a session or token, with their roles and the organisations each
 * role reaches, in one query. Null when the token is unknown, expired or disabled.
 */
export async function resolveActor(
  ctx: ServiceContext,
  token: string,
  kind: SessionKind,
): Promise<Actor | null> {
  const hash = tokenHash(token);
  const key = `${kind}:${hash}`;
  const now = ctx.now().getTime();
  let cache = actorCache.get(ctx);
  const cached = cache?.get(key);
  if (cached && cached.until > now) return cached.actor;
  const found = await lookUpActor(ctx, hash, kind);
  const actor = found?.actor ?? null;
  if (found && ctx.sessionCacheSeconds > 0) {
    if (!cache) {
      cache = new Map();
      actorCache.set(ctx, cache);
    }
    if (cache.size >= ACTOR_CACHE_MAX) cache.delete(cache.keys().next().value as string);
    // Never past the session's own expiry.
    cache.set(key, {
      actor: found.actor,
      until: Math.min(found.expiresAt, now + ctx.sessionCacheSeconds * 1000),
    });
  }
  return actor;
}

async function lookUpActor(
  ctx: ServiceContext,
  hash: string,
  kind: SessionKind,
): Promise<{ actor: Actor; expiresAt: number } | null> {
  const row = (
    await ctx.prepared<ActorRow>('actor-by-token', ACTOR_SQL, [hash, kind, ctx.now().toISOString()])
  )[0];
  if (!row) return null;
  return {
    actor: {
      userId: row.id,
      personId: row.person_id,
      personOrganisationId: row.person_org,
      name: row.display_name,
      grants: jsonValue<RoleGrant[]>(row.grants),
      ohOrganisationIds: jsonValue<string[]>(row.oh_orgs),
      clinicalOrganisationIds: jsonValue<string[]>(row.clinical_orgs),
      physicianOrganisationIds: jsonValue<string[]>(row.physician_orgs),
      systemOrganisationIds: jsonValue<string[]>(row.sys_orgs),
    },
    expiresAt: new Date(row.expires_at).getTime(),
  };
}

/** Removes expired sessions (run from time to time; any instance may run it). */
export async function purgeExpiredSessions(ctx: ServiceContext): Promise<void> {
  await ctx.db.delete(sessions).where(and(sql`${sessions.expiresAt} < ${ctx.now().toISOString()}`));
}
