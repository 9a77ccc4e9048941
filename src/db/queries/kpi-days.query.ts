/**
 * The SQL of the KPI roll-up (`kpi_days`, services/reporting/kpi-days.service.ts): each KPI
 * of the minimum dataset counted for one organisation and one London day. A report over
 * any period adds up its days, so these statements are the KPIs' definitions.
 */

import { MEASURE_ENDS } from './reporting.query.ts';

/**
 * Each KPI's count for some (organisation, London day) pairs: $1 their organisations and
 * $2 their days, in step. $3: the appointment statuses that count (attended or missed);
 * $4: the closure outcomes at work; $5: the days within which a report is timely. Every
 * subquery reads one organisation's records between two London midnights, on the index
 * of that organisation and instant. The Talking Therapies outcome of the episodes closed
 * that day is left to TypeScript: `measure_ends` lists each one's first and last scores.
 */
export const KPI_DAYS_SQL = `
  with pairs as (
    select p.organisation_id, p.day,
           p.day::timestamp at time zone 'Europe/London' as starts,
           (p.day + 1)::timestamp at time zone 'Europe/London' as ends
    from unnest($1::uuid[], $2::date[]) as p(organisation_id, day)
  )
  select p.organisation_id, to_char(p.day, 'YYYY-MM-DD') as day,
    r.referrals, r.self_referrals, w.waits, a.appointments, a.missed,
    o.opened, c.closed, c.closed_at_work, f.fitness, rp.reports_released, rp.reports_timely, m.measure_ends
  from pairs p
  -- Referrals received, and self-referrals.
  cross join lateral (
    select count(*)::int as referrals, (count(*) filter (where r.source = 'self'))::int as self_referrals
    from referrals r
    where r.organisation_id = p.organisation_id and r.created_at >= p.starts and r.created_at < p.ends
  ) r
  -- Waits, in whole London days from referral, of the episodes whose first appointment
  -- (of the statuses that count) was this day.
  cross join lateral (
    select coalesce(array_agg(e.days order by e.days), '{}') as waits
    from (
      select (min(x.starts_at) at time zone 'Europe/London')::date
           - (min(rf.created_at) at time zone 'Europe/London')::date as days
      from appointments x
      join cases k on k.id = x.case_id
      join referrals rf on rf.id = k.referral_id
      where x.organisation_id = p.organisation_id and x.status = any($3::text[])
        and x.starts_at >= p.starts and x.starts_at < p.ends
        and not exists (
          select 1 from appointments b
          where b.case_id = x.case_id and b.status = any($3::text[]) and b.starts_at < p.starts)
      group by x.case_id
    ) e
  ) w
  -- Appointments of the statuses that count, and how many were missed.
  cross join lateral (
    select count(*)::int as appointments, (count(*) filter (where x.status = 'did-not-attend'))::int as missed
    from appointments x
    where x.organisation_id = p.organisation_id and x.status = any($3::text[])
      and x.starts_at >= p.starts and x.starts_at < p.ends
  ) a
  -- Cases opened (the caseload at a day's end is all opened minus all closed by then).
  cross join lateral (
    select count(*)::int as opened from cases k
    where k.organisation_id = p.organisation_id and k.created_at >= p.starts and k.created_at < p.ends
  ) o
  -- Cases closed, and how many with the person at work.
  cross join lateral (
    select count(*)::int as closed, (count(*) filter (where k.closure_outcome = any($4::text[])))::int as closed_at_work
    from cases k
    where k.organisation_id = p.organisation_id and k.closed_at >= p.starts and k.closed_at < p.ends
  ) c
  -- Fitness-for-work outcomes recorded, by fitness.
  cross join lateral (
    select coalesce(jsonb_object_agg(g.fitness, g.n), '{}') as fitness
    from (
      select k.fitness, count(*)::int as n from cases k
      where k.organisation_id = p.organisation_id and k.fitness is not null
        and k.outcome_recorded_at >= p.starts and k.outcome_recorded_at < p.ends
      group by k.fitness
    ) g
  ) f
  -- Reports released, and how many within $5 days of the latest consultation on the case
  -- before the report was written (London dates).
  cross join lateral (
    select count(*)::int as reports_released,
           (count(*) filter (
             where (x.released_at at time zone 'Europe/London')::date
                 - (q.consulted_at at time zone 'Europe/London')::date <= $5::int))::int as reports_timely
    from reports x
    left join lateral (
      select max(n.created_at) as consulted_at from consultations n
      where n.case_id = x.case_id and n.created_at <= x.created_at
    ) q on true
    where x.organisation_id = p.organisation_id and x.status = 'released'
      and x.released_at >= p.starts and x.released_at < p.ends
  ) rp
  -- The first and last PHQ-9 and GAD-7 of each episode closed this day that has any.
  cross join lateral (
    select coalesce(jsonb_agg(e), '[]') as measure_ends
    from (
      select
        ${MEASURE_ENDS}
      from cases k join measures m on m.case_id = k.id
      where k.organisation_id = p.organisation_id and k.closed_at >= p.starts and k.closed_at < p.ends
      group by k.id
    ) e
  ) m`;

/** Whether any day of organisations $1 is waiting to be recomputed. */
export const ANY_STALE_DAYS_SQL = `
  select exists (select 1 from kpi_stale_days where organisation_id = any($1::uuid[])) as any`;

/**
 * Claims the stale days of some organisations ($1; null: of every organisation) for a
 * refresh, at most $2 log rows: deletes them and says which (organisation, day) pairs
 * they named, each with how many log rows were claimed in all. The log has no key: rows
 * are picked by their place in the table (ctid), which holds for the length of the statement.
 */
export const CLAIM_STALE_DAYS_SQL = `
  with claimed as (
    delete from kpi_stale_days
    where ctid = any(array(
      select ctid from kpi_stale_days
      where $1::uuid[] is null or organisation_id = any($1::uuid[])
      limit $2))
    returning organisation_id, day
  )
  select organisation_id, to_char(day, 'YYYY-MM-DD') as day, (select count(*) from claimed)::int as claimed
  from claimed group by organisation_id, day`;

/** Writes computed days ($1: a JSON array of rows of kpi_days), replacing what was there. */
export const UPSERT_KPI_DAYS_SQL = `
  insert into kpi_days (organisation_id, day, referrals, self_referrals, waits, appointments, missed,
    opened, closed, closed_at_work, fitness, reports_released, reports_timely, improvement_episodes, improved)
  select d.organisation_id, d.day, d.referrals, d.self_referrals, d.waits, d.appointments, d.missed,
    d.opened, d.closed, d.closed_at_work, d.fitness, d.reports_released, d.reports_timely,
    d.improvement_episodes, d.improved
  from jsonb_to_recordset($1::jsonb) as d(organisation_id uuid, day date, referrals int, self_referrals int,
    waits int[], appointments int, missed int, opened int, closed int, closed_at_work int, fitness jsonb,
    reports_released int, reports_timely int, improvement_episodes int, improved int)
  on conflict (organisation_id, day) do update set
    referrals = excluded.referrals, self_referrals = excluded.self_referrals, waits = excluded.waits,
    appointments = excluded.appointments, missed = excluded.missed, opened = excluded.opened,
    closed = excluded.closed, closed_at_work = excluded.closed_at_work, fitness = excluded.fitness,
    reports_released = excluded.reports_released, reports_timely = excluded.reports_timely,
    improvement_episodes = excluded.improvement_episodes, improved = excluded.improved`;

/**
 * The KPIs of organisations $1 over the London days $2 to $3 (inclusive), added up from the
 * roll-up; the caseload is that at the end of day $3. Centiles of the waits are exact: each
 * day keeps every episode's wait.
 */
export const KPI_TOTALS_SQL = `
  with days as materialized (
    select * from kpi_days
    where organisation_id = any($1::uuid[]) and day >= $2::date and day <= $3::date
  ), waits as materialized (
    select w from days, unnest(days.waits) as w
  )
  select
    coalesce(sum(referrals), 0)::int as referrals,
    coalesce(sum(self_referrals), 0)::int as self_referrals,
    (select count(*) from waits)::int as wait_episodes,
    (select percentile_cont(0.5) within group (order by w) from waits) as median,
    (select percentile_cont(0.9) within group (order by w) from waits) as p90,
    coalesce(sum(appointments), 0)::int as appointments,
    coalesce(sum(missed), 0)::int as missed,
    (select coalesce(sum(k.opened) - sum(k.closed), 0) from kpi_days k
      where k.organisation_id = any($1::uuid[]) and k.day <= $3::date)::int as caseload,
    coalesce(sum(closed), 0)::int as closed,
    coalesce(sum(closed_at_work), 0)::int as closed_at_work,
    (select coalesce(jsonb_object_agg(g.key, g.n), '{}') from (
      select e.key, sum(e.value::int)::int as n from days, jsonb_each_text(days.fitness) as e group by e.key) g) as fitness,
    coalesce(sum(reports_released), 0)::int as reports_released,
    coalesce(sum(reports_timely), 0)::int as reports_timely,
    coalesce(sum(improvement_episodes), 0)::int as improvement_episodes,
    coalesce(sum(improved), 0)::int as improved
  from days`;
