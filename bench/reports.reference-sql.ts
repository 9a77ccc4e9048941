/**
 * Hand-written SQL that computes the same numbers as the equity and KPI reports, in one
 * statement each, with every rule written out in SQL (ethnic groups, age bands, Talking
 * Therapies reliable improvement). `npm run bench:reports` times them beside the services:
 * they are the engine's limit for these numbers. Parameters: $1 organisation ids (a
 * PostgreSQL array literal), $2 start and $3 end of the period (instants; London midnights).
 * Disclosure control is left out: it runs on a handful of numbers.
 */

import type { EquityDimension } from '../src/domain/reporting/report-types.ts';

const FIRST_DAY = "($2::timestamptz at time zone 'Europe/London')::date";
const LAST_DAY = "(($3::timestamptz at time zone 'Europe/London')::date - 1)";

const GROUP: Record<EquityDimension, string> = {
  staffGroup: 'p.staff_group',
  ethnicity: `case
      when p.ethnic_category in ('A','B','C') then 'White'
      when p.ethnic_category in ('D','E','F','G') then 'Mixed'
      when p.ethnic_category in ('H','J','K','L') then 'Asian'
      when p.ethnic_category in ('M','N','P') then 'Black'
      when p.ethnic_category in ('R','S') then 'Other'
      else 'Not stated' end`,
  sex: "coalesce(p.sex, 'not known')",
  ageBand: `case
      when p.date_of_birth is null then 'Not known'
      when date_part('year', age(${LAST_DAY}, p.date_of_birth)) < 16 then 'Not known'
      when date_part('year', age(${LAST_DAY}, p.date_of_birth)) < 25 then '16-24'
      when date_part('year', age(${LAST_DAY}, p.date_of_birth)) < 35 then '25-34'
      when date_part('year', age(${LAST_DAY}, p.date_of_birth)) < 45 then '35-44'
      when date_part('year', age(${LAST_DAY}, p.date_of_birth)) < 55 then '45-54'
      when date_part('year', age(${LAST_DAY}, p.date_of_birth)) < 65 then '55-64'
      else '65+' end`,
  disability: "coalesce(p.disability, 'not declared')",
};

/** Workforce, people who used a service, and the rate per 1,000, by group. */
export function referenceEquitySql(dimension: EquityDimension): string {
  return `
    select ${GROUP[dimension]} as grp, count(*) as workforce, count(u.person_id) as people,
           round(1000.0 * count(u.person_id) / count(*), 1) as rate
    from people p
    left join (
      select distinct person_id from referrals
      where organisation_id = any($1::uuid[]) and created_at >= $2::timestamptz and created_at < $3::timestamptz
    ) u on u.person_id = p.id
    where p.organisation_id = any($1::uuid[])
      and (p.start_date is null or p.start_date <= ${LAST_DAY})
      and (p.end_date is null or p.end_date >= ${FIRST_DAY})
    group by 1`;
}

/** Every KPI in one statement. */
export function referenceKpiSql(): string {
  return `
    select
      (select count(*) from referrals r
        where r.organisation_id = any($1::uuid[]) and r.created_at >= $2::timestamptz and r.created_at < $3::timestamptz) as referrals,
      (select count(*) from referrals r
        where r.organisation_id = any($1::uuid[]) and r.created_at >= $2::timestamptz and r.created_at < $3::timestamptz
          and r.source = 'self') as self_referrals,
      w.*,
      (select count(*) from cases c
        where c.organisation_id = any($1::uuid[]) and c.created_at < $3::timestamptz
          and (c.closed_at is null or c.closed_at >= $3::timestamptz)) as caseload,
      (select json_object_agg(fitness, n) from (
        select c.fitness, count(*) as n from cases c
        where c.organisation_id = any($1::uuid[]) and c.outcome_recorded_at >= $2::timestamptz
          and c.outcome_recorded_at < $3::timestamptz and c.fitness is not null
        group by c.fitness) f) as fitness,
      (select json_build_object('released', count(*), 'timely', count(*) filter (
          where (rp.released_at at time zone 'Europe/London')::date - (k.at at time zone 'Europe/London')::date <= 21))
        from reports rp
        left join lateral (select max(k.created_at) as at from consultations k
                           where k.case_id = rp.case_id and k.created_at <= rp.created_at) k on true
        where rp.organisation_id = any($1::uuid[]) and rp.status = 'released'
          and rp.released_at >= $2::timestamptz and rp.released_at < $3::timestamptz) as reports,
      (select json_build_object('closed', count(*), 'atWork',
          count(*) filter (where c.closure_outcome in ('remained-at-work', 'returned-to-work')))
        from cases c
        where c.organisation_id = any($1::uuid[]) and c.closed_at >= $2::timestamptz and c.closed_at < $3::timestamptz) as closures,
      (select json_build_object('episodes', count(*), 'improved', count(*) filter (
          where not coalesce(phq_last - phq_first >= 6, false) and not coalesce(gad_last - gad_first >= 4, false)
            and (coalesce(phq_first - phq_last >= 6, false) or coalesce(gad_first - gad_last >= 4, false))))
        from (
          select
            case when max(m.taken_at) filter (where m.instrument = 'PHQ-9') > min(m.taken_at) filter (where m.instrument = 'PHQ-9')
              then (array_agg(m.total order by m.taken_at) filter (where m.instrument = 'PHQ-9'))[1] end as phq_first,
            (array_agg(m.total order by m.taken_at desc) filter (where m.instrument = 'PHQ-9'))[1] as phq_last,
            case when max(m.taken_at) filter (where m.instrument = 'GAD-7') > min(m.taken_at) filter (where m.instrument = 'GAD-7')
              then (array_agg(m.total order by m.taken_at) filter (where m.instrument = 'GAD-7'))[1] end as gad_first,
            (array_agg(m.total order by m.taken_at desc) filter (where m.instrument = 'GAD-7'))[1] as gad_last
          from cases c join measures m on m.case_id = c.id
          where c.organisation_id = any($1::uuid[]) and c.closed_at >= $2::timestamptz and c.closed_at < $3::timestamptz
          group by c.id
        ) e where phq_first is not null or gad_first is not null) as improvement
    from (
      select count(*) as first_appointments,
             percentile_cont(0.5) within group (order by days) as median_days,
             percentile_cont(0.9) within group (order by days) as p90_days
      from (
        select (min(a.starts_at) at time zone 'Europe/London')::date
             - (min(r.created_at) at time zone 'Europe/London')::date as days
        from appointments a
        join cases c on c.id = a.case_id
        join referrals r on r.id = c.referral_id
        where a.organisation_id = any($1::uuid[]) and a.status in ('attended', 'did-not-attend')
          and a.starts_at < $3::timestamptz
        group by a.case_id
        having min(a.starts_at) >= $2::timestamptz
      ) d
    ) w`;
}

/** The did-not-attend rate (kept apart from the one-statement KPIs above for clarity of plan). */
export const referenceDnaSql = `
  select count(*) filter (where status = 'did-not-attend') as missed, count(*) as appointments
  from appointments
  where organisation_id = any($1::uuid[]) and status in ('attended', 'did-not-attend')
    and starts_at >= $2::timestamptz and starts_at < $3::timestamptz`;
