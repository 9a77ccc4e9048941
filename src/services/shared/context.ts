import { randomUUID } from 'node:crypto';
import type { Db, PreparedQuery, Tx } from '../../db/database.ts';
import type { FieldCipher } from '../../db/field-cipher.ts';
import { organisationScopeValue, SYSTEM_SCOPE_VALUE, setTransactionScope } from '../../db/scope.ts';
import { type Actor, organisationsReached } from '../../domain/access/roles.ts';

/** What every use case needs: the database, the field cipher, a clock and an id source. */
export type ServiceContext = {
  /**
   * The database, as the application role. Tables that hold people's data are behind
   * row-level security and show nothing here: query them in `inTransaction`.
   */
  db: Db;
  /**
   * Named prepared statements for the hottest reads, on the pool: each runs outside any
   * transaction, so under no scope unless the statement sets its own (the case bundle).
   */
  prepared: PreparedQuery;
  /** The same, on a transaction's own connection: under the scope `inTransaction` set. */
  preparedIn: (tx: Tx) => PreparedQuery;
  engine: 'pglite' | 'postgres';
  cipher: FieldCipher;
  now: () => Date;
  newId: () => string;
  /** How long a resolved session may be reused without asking the database (0: never). */
  sessionCacheSeconds: number;
};

/** A context on the real clock and random UUIDs. */
export function createServiceContext(
  input: Pick<ServiceContext, 'db' | 'engine' | 'cipher' | 'prepared' | 'preparedIn'> & {
    sessionCacheSeconds?: number;
  },
): ServiceContext {
  return { sessionCacheSeconds: 0, ...input, now: () => new Date(), newId: () => randomUUID() };
}

/**
 * The trusted work that may reach every organisation past row-level security. This is
 * the whole list (docs/security.md); a new entry needs a reason as good as these.
 * Migrations run in system scope too, set by the database layer itself.
 */
export type SystemWork =
  /** Creating the demo world (`ohwb demo`, `serve --demo-if-empty`). */
  | 'demo-seeding'
  /** `ohwb user add`: finds the staff record to link in any organisation. */
  | 'user-add'
  /** `ohwb audit verify`: audit lanes are shared by every organisation. */
  | 'audit-verify'
  /**
   * The reminder sweep of `ohwb serve`: finds open tasks due soon in every organisation
   * and queues an email (no clinical word in it) to the case's clinician or OH admins.
   */
  | 'task-reminders'
  /** Sending the outbox (`ohwb serve` with SMTP): emails of every organisation wait there. */
  | 'outbox-delivery'
  /**
   * The retirement sweep of `ohwb serve`: starts the retirement pathway for anyone, in
   * any organisation, whose retirement date has come within their provider's lead time.
   */
  | 'retirement-sweep'
  /**
   * A national report (equity, KPIs, the board report) for the whole country: every
   * organisation is its scope, so the report's own scope is every organisation. Only
   * aggregates leave it (never the row-level extract), and only for analysts and
   * sysadmins (`canReport`, reporting.policy.ts).
   */
  | 'national-report'
  /**
   * Recomputing the days of the KPI roll-up that changes have touched (`ohwb serve` in the
   * background, after making the demo world or a synthetic country): it reads each
   * organisation's records of those days and writes only counts (reporting/kpi-days.service.ts).
   */
  | 'kpi-refresh'
  /**
   * `ohwb generate`: the operator fills an empty PostgreSQL database with a made-up country
   * for capacity planning; it writes every organisation's rows and reads none back.
   */
  | 'synthetic-generation'
  /** Test fixtures and assertions that look at the database directly. */
  | 'test-fixtures';

/** Marks a transaction as trusted system work. */
export type SystemScope = { readonly systemWork: SystemWork };

/** System scope for one of the listed kinds of trusted work. */
export function systemScope(work: SystemWork): SystemScope {
  return { systemWork: work };
}

/**
 * Work on named organisations rather than on an actor's own reach. This is the whole
 * list (docs/security.md); each kind narrows the scope to exactly the organisations its
 * own permission check has already allowed.
 */
export type OrganisationsWork =
  /**
   * An aggregate report or the minimum dataset extract: it reads exactly the report's
   * organisations, which the reporting policy (`canReport`) allowed. They may lie beyond
   * the actor's own reach (an ICB analyst reports on every organisation of the system),
   * and they are usually fewer than it (an OH administrator's KPIs of one organisation).
   */
  | 'report'
  /**
   * A staff import writes the people of one organisation only: its OH administrator or
   * sysadmin on the API and pages (`canImportStaff`), or the operator on the command line
   * (`ohwb import staff`), where no one is signed in.
   */
  | 'staff-import';

/** Marks a transaction as work on exactly these organisations. */
export type OrganisationsScope = {
  readonly organisationsWork: OrganisationsWork;
  readonly organisationIds: readonly string[];
};

/**
 * A scope of exactly these organisations (none: nothing at all), for one of the listed
 * kinds of work. The caller has checked that the work may reach each of them.
 */
export function organisationsScope(
  work: OrganisationsWork,
  organisationIds: readonly string[],
): OrganisationsScope {
  return { organisationsWork: work, organisationIds: [...organisationIds] };
}

/**
 * Whose rows a transaction may reach: an actor's organisations, exactly some named
 * organisations for listed work, or every one for system work.
 */
export type Reach = Actor | OrganisationsScope | SystemScope;

// An actor is resolved once per session (and cached), so its scope is worked out once.
const scopeValues = new WeakMap<Actor, string>();

/** The value of the database's scope setting for an actor or for system work. */
export function databaseScope(reach: Reach): string {
  if ('systemWork' in reach) return SYSTEM_SCOPE_VALUE;
  if ('organisationsWork' in reach) return organisationScopeValue(reach.organisationIds);
  let value = scopeValues.get(reach);
  if (value === undefined) {
    value = organisationScopeValue(organisationsReached(reach));
    scopeValues.set(reach, value);
  }
  return value;
}

/** Work to run at the end of a transaction, just before it commits (the audit flush). */
type BeforeCommit = (tx: Tx) => Promise<void>;
const beforeCommit = new WeakMap<Tx, BeforeCommit[]>();

/**
 * Registers work to run at the end of the current transaction. Throws when `tx` was
 * not opened by `inTransaction`, so nothing registered here can be silently dropped.
 */
export function onBeforeCommit(tx: Tx, work: BeforeCommit): void {
  const queue = beforeCommit.get(tx);
  if (!queue) throw new Error('onBeforeCommit needs a transaction opened by inTransaction.');
  if (!queue.includes(work)) queue.push(work);
}

/**
 * Runs a use case in one transaction: loads, rules, writes and audit commit together
 * or not at all. Work registered with `onBeforeCommit` runs last, inside the transaction.
 * Its first statement sets the scope of row-level security: the organisations the
 * actor may reach, or all of them for system work. Every query of a table that holds
 * people's data runs in here (the case bundle, one statement, sets its own).
 */
export function inTransaction<T>(
  ctx: ServiceContext,
  reach: Reach,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const scope = databaseScope(reach);
  return ctx.db.transaction(async (tx) => {
    await setTransactionScope(tx, scope);
    beforeCommit.set(tx, []);
    const result = await work(tx);
    for (const run of beforeCommit.get(tx) ?? []) await run(tx);
    return result;
  });
}
