/**
 * The SQL of the minimum-dataset reports. Every statement is scoped by
 * `organisation_id = any($1::uuid[])` (the organisations of the report's scope) and a
 * period of instants `[$2, $3)` (London midnights). Grouping and counting happen in the
 * database; the dataset's rules (age bands, ethnic groups, Talking Therapies outcomes,
 * disclosure control) are applied in TypeScript to the few rows that come back.
 */

import type { EquityDimension } from '../../domain/reporting/report-types.ts';

/** The stored value each equity dimension groups by (ages: whole years on the last day of the period, $5). */
const EQUITY_KEYS: Record<EquityDimension, string> = {
  staffGroup: 'p.staff_group',
  ethnicity: "coalesce(p.ethnic_category, '')",
  sex: "coalesce(p.sex, '')",
  ageBand: "coalesce(date_part('year', age($5::date, p.date_of_birth))::int::text, '')",
  disability: "coalesce(p.disability, '')",
};

/**
 * Staff in post at any time in the period (start on or before its last day $5, no end or
 * an end on or after its first day $4), by the dimension's stored value, and how many of
 * them used an OH&WB service (a referral of any source received in the period).
 * $1 organisations, $2–$3 period instants, $4 first day, $5 last day.
 */
export function equitySql(dimension: EquityDimension): string {
  return `
    with staff as (
      select p.id, ${EQUITY_KEYS[dimension]} as key
      from people p
      where p.organisation_id = any($1::uuid[])
        and (p.start_date is null or p.start_date <= $5::date)
        and (p.end_date is null or p.end_date >= $4::date)
    ), used as (
      select distinct r.person_id
      from referrals r
      where r.organisation_id = any($1::uuid[]) and r.created_at >= $2::timestamptz and r.created_at < $3::timestamptz
    )
    select s.key, count(*)::int as workforce, count(u.person_id)::int as people
    from staff s left join used u on u.person_id = s.id
    group by s.key`;
}

/** Referrals received in the period, and how many were self-referrals. */
export const KPI_REFERRALS_SQL = `
  select count(*)::int as referrals, (count(*) filter (where source = 'self'))::int as self
  from referrals
  where organisation_id = any($1::uuid[]) and created_at >= $2::timestamptz and created_at < $3::timestamptz`;

/**
 * Waits: episodes whose first appointment ($4: the statuses that count) fell in the period,
 * in whole London days from referral; and the appointments of those statuses in the period
 * with how many were missed.
 */
export const KPI_WAITS_SQL = `
  with in_period as (
    select a.case_id, a.starts_at, a.status
    from appointments a
    where a.organisation_id = any($1::uuid[]) and a.status = any($4::text[])
      and a.starts_at >= $2::timestamptz and a.starts_at < $3::timestamptz
  ), firsts as (
    select i.case_id, min(i.starts_at) as first_at
    from in_period i
    where not exists (
      select 1 from appointments b
      where b.case_id = i.case_id and b.status = any($4::text[]) and b.starts_at < $2::timestamptz)
    group by i.case_id
  ), waits as (
    select (f.first_at at time zone 'Europe/London')::date
         - (r.created_at at time zone 'Europe/London')::date as days
    from firsts f join cases c on c.id = f.case_id join referrals r on r.id = c.referral_id
  )
  select (select count(*)::int from waits) as episodes,
         (select percentile_cont(0.5) within group (order by days) from waits) as median,
         (select percentile_cont(0.9) within group (order by days) from waits) as p90,
         (select count(*)::int from in_period) as appointments,
         (select count(*)::int from in_period where status = 'did-not-attend') as missed`;

/** Cases open at the end of the period ($2: the instant it ends). */
export const KPI_CASELOAD_SQL = `
  select count(*)::int as caseload
  from cases
  where organisation_id = any($1::uuid[]) and created_at < $2::timestamptz
    and (closed_at is null or closed_at >= $2::timestamptz)`;

/** Fitness-for-work outcomes recorded in the period, by category. */
export const KPI_FITNESS_SQL = `
  select fitness, count(*)::int as count
  from cases
  where organisation_id = any($1::uuid[]) and outcome_recorded_at >= $2::timestamptz and outcome_recorded_at < $3::timestamptz
    and fitness is not null
  group by fitness`;

/**
 * Reports released in the period, and how many within $4 days of the latest consultation
 * on the case before the report was written (London dates).
 */
export const KPI_REPORTS_SQL = `
  select count(*)::int as released,
         (count(*) filter (
           where (rp.released_at at time zone 'Europe/London')::date
               - (k.consulted_at at time zone 'Europe/London')::date <= $4::int))::int as timely
  from reports rp
  left join lateral (
    select max(k.created_at) as consulted_at from consultations k
    where k.case_id = rp.case_id and k.created_at <= rp.created_at
  ) k on true
  where rp.organisation_id = any($1::uuid[]) and rp.status = 'released'
    and rp.released_at >= $2::timestamptz and rp.released_at < $3::timestamptz`;

/** Episodes closed in the period, and how many with the person at work ($4: those outcomes). */
export const KPI_CLOSURES_SQL = `
  select count(*)::int as closed,
         (count(*) filter (where closure_outcome = any($4::text[])))::int as at_work
  from cases
  where organisation_id = any($1::uuid[]) and closed_at >= $2::timestamptz and closed_at < $3::timestamptz`;

/**
 * Over the measures `m` of one episode: the first and last PHQ-9 and GAD-7 totals (ties
 * broken by id, as the Talking Therapies rule keeps arrival order), and whether each
 * instrument was taken at two different times.
 */
const MEASURE_ENDS = `
      (array_agg(m.total order by m.taken_at, m.id) filter (where m.instrument = 'PHQ-9'))[1] as phq_first,
      (array_agg(m.total order by m.taken_at desc, m.id desc) filter (where m.instrument = 'PHQ-9'))[1] as phq_last,
      coalesce(max(m.taken_at) filter (where m.instrument = 'PHQ-9')
             > min(m.taken_at) filter (where m.instrument = 'PHQ-9'), false) as phq_twice,
      (array_agg(m.total order by m.taken_at, m.id) filter (where m.instrument = 'GAD-7'))[1] as gad_first,
      (array_agg(m.total order by m.taken_at desc, m.id desc) filter (where m.instrument = 'GAD-7'))[1] as gad_last,
      coalesce(max(m.taken_at) filter (where m.instrument = 'GAD-7')
             > min(m.taken_at) filter (where m.instrument = 'GAD-7'), false) as gad_twice`;

/**
 * Episodes closed in the period with their first and last PHQ-9 and GAD-7 totals (and
 * whether each instrument was taken at two different times), counted by combination so
 * the Talking Therapies rule runs once per combination.
 */
export const KPI_MEASURE_ENDS_SQL = `
  select phq_first, phq_last, phq_twice, gad_first, gad_last, gad_twice, count(*)::int as episodes
  from (
    select
      ${MEASURE_ENDS}
    from cases c join measures m on m.case_id = c.id
    where c.organisation_id = any($1::uuid[]) and c.closed_at >= $2::timestamptz and c.closed_at < $3::timestamptz
    group by c.id
  ) e
  group by 1, 2, 3, 4, 5, 6`;

/**
 * One page of episodes for the minimum dataset extract: referrals received in the period,
 * after referral id $4 (keyset paging), at most $5, with the facts each field derives from.
 * $6: the appointment statuses that count as a first appointment.
 */
export const MDS_EPISODES_SQL = `
  select r.id, r.person_id, o.slug as organisation_slug, o.kind as organisation_kind,
    pr.slug as provider_slug, coalesce(pc.delivery_model, 'in-house') as provider_model,
    coalesce(r.triage_route, c.pathway, r.pathway, 'occupational-health') as service,
    p.staff_group,
    date_part('year', age((r.created_at at time zone 'Europe/London')::date, p.date_of_birth))::int as age,
    p.sex, p.ethnic_category, p.disability, r.source,
    coalesce(c.pathway, r.pathway) as pathway, coalesce(c.priority, r.priority) as priority,
    to_char(r.created_at at time zone 'Europe/London', 'YYYY-MM-DD') as referral_date,
    to_char(ap.first_at at time zone 'Europe/London', 'YYYY-MM-DD') as first_appointment_date,
    coalesce(ap.attended, 0)::int as attended, coalesce(ap.missed, 0)::int as missed, ap.modes,
    c.fitness,
    case when c.outcome_recorded_at is null then null else jsonb_array_length(c.adjustments) > 0 end as adjustments,
    to_char(rep.released_at at time zone 'Europe/London', 'YYYY-MM-DD') as report_released_date,
    to_char(rep.consulted_at at time zone 'Europe/London', 'YYYY-MM-DD') as consultation_date,
    to_char(c.closed_at at time zone 'Europe/London', 'YYYY-MM-DD') as closure_date,
    c.closure_outcome,
    ms.phq_first, ms.phq_last, ms.phq_twice, ms.gad_first, ms.gad_last, ms.gad_twice
  from referrals r
  join people p on p.id = r.person_id
  join organisations o on o.id = r.organisation_id
  join oh_providers pr on pr.id = r.provider_id
  left join provider_clients pc on pc.provider_id = r.provider_id and pc.organisation_id = r.organisation_id
  left join cases c on c.id = r.case_id
  left join lateral (
    select min(a.starts_at) filter (where a.status = any($6::text[])) as first_at,
           count(*) filter (where a.status = 'attended') as attended,
           count(*) filter (where a.status = 'did-not-attend') as missed,
           string_agg(distinct a.mode, ';') filter (where a.status = 'attended') as modes
    from appointments a where a.case_id = c.id
  ) ap on true
  left join lateral (
    select rp.released_at,
      (select max(k.created_at) from consultations k where k.case_id = rp.case_id and k.created_at <= rp.created_at)
        as consulted_at
    from reports rp where rp.case_id = c.id and rp.status = 'released'
    order by rp.released_at limit 1
  ) rep on true
  left join lateral (
    select
      ${MEASURE_ENDS}
    from measures m where m.case_id = c.id
  ) ms on true
  where r.organisation_id = any($1::uuid[]) and r.created_at >= $2::timestamptz and r.created_at < $3::timestamptz
    and r.id > $4::uuid
  order by r.id
  limit $5`;
