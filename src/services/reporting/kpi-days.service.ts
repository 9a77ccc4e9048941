import { jsonValue, type PreparedQuery } from '../../db/database.ts';
import {
  ANY_STALE_DAYS_SQL,
  CLAIM_STALE_DAYS_SQL,
  KPI_DAYS_SQL,
  KPI_TOTALS_SQL,
  UPSERT_KPI_DAYS_SQL,
} from '../../db/queries/kpi-days.query.ts';
import {
  AT_WORK_OUTCOMES,
  FIRST_APPOINTMENT_STATUSES,
  instrumentEnds,
  type MeasureEndsColumns,
  outcomeFromEnds,
  REPORT_RELEASE_DAYS,
} from '../../domain/reporting/dataset.rules.ts';
import { inTransaction, type Reach, type ServiceContext, systemScope } from '../shared/context.ts';
import { uuidArray } from './scope.service.ts';

/**
 * The KPI roll-up (`kpi_days`): each organisation's KPIs counted day by day, so that a
 * report for a system or the country adds up a few hundred thousand small rows instead of
 * reading millions of records. Triggers on the records log every day a change touches
 * (`kpi_stale_days`, migration 0012); a refresh recomputes those days from the records.
 * Every report refreshes the stale days of its own organisations first, so it is exact; `ohwb serve` refreshes in the background so that
 * there is little left to do when a report asks.
 */

/** Refreshes run one at a time (a transaction-level advisory lock), so a later one never
 * writes figures older than an earlier one's. */
const REFRESH_LOCK = 727002;

/** Log rows claimed per pass: a pass recomputes at most this many days. */
const PASS_ROWS = 5_000;

type DayRow = {
  organisation_id: string;
  day: string;
  referrals: number;
  self_referrals: number;
  waits: number[];
  appointments: number;
  missed: number;
  opened: number;
  closed: number;
  closed_at_work: number;
  fitness: Record<string, number> | string;
  reports_released: number;
  reports_timely: number;
  measure_ends: MeasureEndsColumns[] | string;
};

/** The Talking Therapies outcome of each episode: how many have one, and how many reliably improved. */
function improvement(ends: MeasureEndsColumns[]): { episodes: number; improved: number } {
  let episodes = 0;
  let improved = 0;
  for (const e of ends) {
    const { phq9, gad7 } = instrumentEnds(e);
    const outcome = outcomeFromEnds(phq9, gad7);
    if (!outcome) continue;
    episodes++;
    if (outcome.reliableImprovement) improved++;
  }
  return { episodes, improved };
}

/**
 * One pass: claims up to PASS_ROWS log rows of these organisations (null: all), recomputes
 * the days they name and writes them. Returns how many days it recomputed, and whether the
 * log may hold more (it gave a full pass).
 */
async function refreshPass(
  run: PreparedQuery,
  organisationIds: readonly string[] | null,
): Promise<{ days: number; more: boolean }> {
  const pairs = await run<{ organisation_id: string; day: string; claimed: number }>(
    'ohwb_kpi_claim_stale',
    CLAIM_STALE_DAYS_SQL,
    [organisationIds === null ? null : uuidArray(organisationIds), PASS_ROWS],
  );
  if (pairs.length === 0) return { days: 0, more: false };
  const days = await run<DayRow>('ohwb_kpi_days', KPI_DAYS_SQL, [
    uuidArray(pairs.map((p) => p.organisation_id)),
    `{${pairs.map((p) => p.day).join(',')}}`,
    `{${FIRST_APPOINTMENT_STATUSES.join(',')}}`,
    `{${AT_WORK_OUTCOMES.join(',')}}`,
    REPORT_RELEASE_DAYS,
  ]);
  // The day's counts as they come, and the Talking Therapies outcome worked out here.
  const rows = days.map(({ measure_ends, ...counts }) => {
    const outcomes = improvement(jsonValue(measure_ends));
    return {
      ...counts,
      fitness: jsonValue(counts.fitness),
      improvement_episodes: outcomes.episodes,
      improved: outcomes.improved,
    };
  });
  await run('ohwb_kpi_upsert_days', UPSERT_KPI_DAYS_SQL, [JSON.stringify(rows)]);
  return { days: pairs.length, more: Number(pairs[0]?.claimed) >= PASS_ROWS };
}

/**
 * Brings the roll-up of these organisations up to date, in a transaction of its own under
 * the report's reach: what a report reads of them afterwards is exact as of this moment.
 * With nothing logged for them it takes no lock, so reports run side by side; otherwise
 * it waits for any refresh in progress, then recomputes what is left.
 */
export async function refreshKpiDaysOf(
  ctx: ServiceContext,
  reach: Reach,
  organisationIds: readonly string[],
): Promise<void> {
  await inTransaction(ctx, reach, async (tx) => {
    const run = ctx.preparedIn(tx);
    // A refresh in progress has deleted its rows but not committed: they still show here.
    const [logged] = await run<{ any: boolean }>('ohwb_kpi_any_stale', ANY_STALE_DAYS_SQL, [
      uuidArray(organisationIds),
    ]);
    if (!logged?.any) return;
    await run('ohwb_kpi_refresh_lock', 'select pg_advisory_xact_lock($1)', [REFRESH_LOCK]);
    // Another pass only after a full one: rows that writers log meanwhile wait for the next
    // refresh, so a busy country cannot keep a report here.
    while ((await refreshPass(run, organisationIds)).more) {
      // The log held more than one pass's rows.
    }
  });
}

/**
 * Brings the whole roll-up up to date (`ohwb serve` in the background, after the demo
 * world or a synthetic country is made), a pass per transaction so that no report waits
 * long for the lock. Returns how many days it recomputed.
 */
export async function refreshAllKpiDays(
  ctx: ServiceContext,
  onPass?: (daysSoFar: number) => void,
): Promise<number> {
  let total = 0;
  for (;;) {
    const pass = await inTransaction(ctx, systemScope('kpi-refresh'), async (tx) => {
      const run = ctx.preparedIn(tx);
      await run('ohwb_kpi_refresh_lock', 'select pg_advisory_xact_lock($1)', [REFRESH_LOCK]);
      return refreshPass(run, null);
    });
    total += pass.days;
    if (pass.days > 0) onPass?.(total);
    if (!pass.more) return total;
  }
}

/** A scope's KPI figures over a period of London days, before disclosure control. */
export type KpiTotals = {
  referrals: number;
  self_referrals: number;
  wait_episodes: number;
  median: number | string | null;
  p90: number | string | null;
  appointments: number;
  missed: number;
  caseload: number;
  closed: number;
  closed_at_work: number;
  fitness: Record<string, number> | string;
  reports_released: number;
  reports_timely: number;
  improvement_episodes: number;
  improved: number;
};

/** Adds up the roll-up of some organisations over the London days `from` to `to` (inclusive). */
export async function kpiTotals(
  run: PreparedQuery,
  organisationIds: readonly string[],
  from: string,
  to: string,
): Promise<KpiTotals> {
  const [totals] = await run<KpiTotals>('ohwb_kpi_totals', KPI_TOTALS_SQL, [
    uuidArray(organisationIds),
    from,
    to,
  ]);
  if (!totals) throw new Error('The KPI totals statement returned no row.');
  return { ...totals, fitness: jsonValue(totals.fitness) };
}
