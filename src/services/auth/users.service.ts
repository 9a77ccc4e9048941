import { eq } from 'drizzle-orm';
import { organisations, people, userRoles, users } from '../../db/schema.ts';
import { ROLES, type Role } from '../../domain/access/roles.ts';
import { Conflict, Invalid, NotFound } from '../../domain/shared/errors.ts';
import { inTransaction, type ServiceContext, systemScope } from '../shared/context.ts';
import { hashPassword } from './auth.service.ts';

/**
 * Adds a user with roles in one organisation (the CLI's `ohwb user add`).
 * `passwordHash` may be given to reuse one hash (the demo world).
 */
export async function addUser(
  ctx: ServiceContext,
  input: {
    email: string;
    name: string;
    password?: string;
    passwordHash?: string;
    organisationSlug: string;
    roles: string[];
    personId?: string | null;
  },
): Promise<{ id: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email))
    throw new Invalid('Bad email', [{ path: '/email', message: 'Enter an email address' }]);
  const bad = input.roles.filter((r) => !ROLES.includes(r as Role));
  if (bad.length)
    throw new Invalid(`Unknown role: ${bad.join(', ')}`, [
      { path: '/roles', message: `Use ${ROLES.join(', ')}` },
    ]);
  if (!input.passwordHash && (!input.password || input.password.length < 12)) {
    throw new Invalid('Password too short', [{ path: '/password', message: 'Use at least 12 characters' }]);
  }
  const passwordHash = input.passwordHash ?? (await hashPassword(input.password as string));
  // System scope: the staff record to link may be in any organisation.
  return inTransaction(ctx, systemScope('user-add'), async (tx) => {
    const [org] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.slug, input.organisationSlug))
      .limit(1);
    if (!org) throw new NotFound(`No organisation called ${input.organisationSlug}.`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
    if (existing) throw new Conflict(`A user with the email ${email} already exists.`);
    if (input.personId) {
      const [person] = await tx
        .select({ id: people.id })
        .from(people)
        .where(eq(people.id, input.personId))
        .limit(1);
      if (!person) throw new NotFound('No such staff record.');
    }
    const id = ctx.newId();
    await tx
      .insert(users)
      .values({ id, email, displayName: input.name, passwordHash, personId: input.personId ?? null });
    if (input.roles.length) {
      await tx
        .insert(userRoles)
        .values(input.roles.map((role) => ({ userId: id, organisationId: org.id, role })));
    }
    return { id };
  });
}
