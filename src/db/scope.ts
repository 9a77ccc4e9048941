import { sql } from 'drizzle-orm';
import type { Queryable } from './database.ts';

/**
 * Row-level security (migration 0010): the application queries as this role, never as
 * the owner of the tables, so the policies hold for every query it sends.
 */
export const APP_ROLE = 'ohwb_app';

/**
 * The transaction-local setting the policies read (migrations 0010 and 0011): the
 * organisations the current actor may reach as `{id,id}`, or `system`. Unset, empty or
 * anything else, the tables behind the wall show nothing (a malformed list is an error).
 */
export const SCOPE_SETTING = 'ohwb.organisations';

/** The setting's value for trusted system work, which reaches every organisation. */
export const SYSTEM_SCOPE_VALUE = 'system';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The setting's value for some organisations: `{id,id}`, each id a uuid in the canonical
 * lowercase form PostgreSQL prints, which is what the policies search the list for.
 */
export function organisationScopeValue(organisationIds: readonly string[]): string {
  const bad = organisationIds.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new Error(`Not an organisation id: ${JSON.stringify(bad)}`);
  return `{${organisationIds.map((id) => id.toLowerCase()).join(',')}}`;
}

/** Sets the scope for the rest of the current transaction (the first statement of each one). */
export async function setTransactionScope(q: Queryable, value: string): Promise<void> {
  await q.execute(sql`select set_config(${SCOPE_SETTING}, ${value}, true)`);
}
