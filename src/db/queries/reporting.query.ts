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

/**
 * Over the measures `m` of one episode: the first and last PHQ-9 and GAD-7 totals (ties
 * broken by id, as the Talking Therapies rule keeps arrival order), and whether each
 * instrument was taken at two different times.
 */
export const MEASURE_ENDS = `
      (array_agg(m.total order by m.taken_at, m.id) filter (where m.instrument = 'PHQ-9'))[1] as phq_first,
      (array_agg(m.total order by m.taken_at desc, m.id desc) filter (where m.instrument = 'PHQ-9'))[1] as phq_last,
      coalesce(max(m.taken_at) filter (where m.instrument = 'PHQ-9')
             > min(m.taken_at) filter (where m.instrument = 'PHQ-9'), false) as phq_twice,
      (array_agg(m.total order by m.taken_at, m.id) filter (where m.instrument = 'GAD-7'))[1] as gad_first,
      (array_agg(m.total order by m.taken_at desc, m.id desc) filter (where m.instrument = 'GAD-7'))[1] as gad_last,
      coalesce(max(m.taken_at) filter (where m.instrument = 'GAD-7')
             > min(m.taken_at) filter (where m.instrument = 'GAD-7'), false) as gad_twice`;

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
