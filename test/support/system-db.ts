import type { Db, Tx } from '../../src/db/database.ts';
import { inTransaction, type ServiceContext, systemScope } from '../../src/services/shared/context.ts';

type Step = { get: PropertyKey } | { call: unknown[] };

/**
 * The database as tests set it up and look into it: every organisation's rows, past
 * row-level security. A query is built exactly as on `ctx.db`; when it is awaited, it is
 * built again on a transaction of its own in system scope ('test-fixtures') and run there.
 * (`ctx.db` itself is the application's view: without a scope, it shows no one's data.)
 */
export function systemDb(ctx: ServiceContext): Db {
  return chain(ctx, []) as Db;
}

function chain(ctx: ServiceContext, steps: Step[]): unknown {
  let run: Promise<unknown> | undefined;
  return new Proxy(() => undefined, {
    get(_target, name) {
      if (name === 'then') {
        // Once, however often it is awaited.
        run ??= inTransaction(ctx, systemScope('test-fixtures'), async (tx) => await replay(tx, steps));
        return run.then.bind(run);
      }
      return chain(ctx, [...steps, { get: name }]);
    },
    apply(_target, _this, args: unknown[]) {
      return chain(ctx, [...steps, { call: args }]);
    },
  });
}

/** Replays the recorded property reads and calls on a transaction, keeping each method's `this`. */
function replay(tx: Tx, steps: Step[]): unknown {
  let owner: unknown;
  let current: unknown = tx;
  for (const step of steps) {
    if ('get' in step) {
      owner = current;
      current = (current as Record<PropertyKey, unknown>)[step.get];
    } else {
      current = Reflect.apply(current as (...args: unknown[]) => unknown, owner, step.call);
      owner = undefined;
    }
  }
  return current;
}
