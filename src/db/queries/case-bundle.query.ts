/**
 * Everything about one case that any view of it may need, in one statement (the
 * hottest read: every case page and GET /api/v1/cases/{id}). $1: case id, $2: the
 * reader's scope for row-level security (`databaseScope`, see `../scope.ts`).
 * Services cut it down to what the viewer may see. One JSON column, so the driver
 * parses one value instead of thirty typed fields.
 *
 * One round trip, outside any transaction: the statement sets its own scope. `scoped`
 * sets it, and the bundle is a subquery that takes `scoped.scope` as a parameter, so
 * PostgreSQL reads the bundle (and checks its policies) only after the scope is set.
 * (`scoped` is not merged into the outer query: it calls a volatile function.) A
 * statement outside a transaction is a transaction of its own, so the scope ends with it.
 */
export const CASE_BUNDLE_SQL = `select (select row_to_json(b) from (
    select c.id, c.organisation_id, c.person_id, c.status, c.pathway, c.priority, c.clinician_id, c.injury_on_duty, c.fitness,
      c.adjustments, c.review_date::text as review_date, c.closure_outcome, c.closed_at,
      r.id as referral_id, r.source, r.referred_by_user_id, r.reason_enc, r.questions_enc, r.consent_recorded_at,
      r.created_at as referral_created_at,
      p.given_name, p.family_name, p.job_title, p.manager_id, p.security_sensitive,
      u.display_name as clinician_name,
      coalesce((select json_agg(json_build_object('id', x.id, 'status', x.status, 'createdAt', x.created_at,
                  'releasedAt', x.released_at) order by x.created_at)
                from reports x where x.case_id = c.id), '[]'::json) as reports,
      coalesce((select json_agg(json_build_object('id', a.id, 'start', a.starts_at, 'end', a.ends_at, 'mode', a.mode,
                  'status', a.status, 'siteId', a.site_id, 'siteName', s.name, 'siteAddress', s.address) order by a.starts_at)
                from appointments a left join sites s on s.id = a.site_id where a.case_id = c.id), '[]'::json) as appointments,
      coalesce((select json_agg(json_build_object('id', n.id, 'appointmentId', n.appointment_id,
                  'clinicianId', n.clinician_id, 'at', n.created_at, 'notesEnc', n.notes_enc) order by n.created_at)
                from consultations n where n.case_id = c.id), '[]'::json) as consultations,
      coalesce((select json_agg(json_build_object('id', t.id, 'code', t.code, 'title', t.title, 'assignee', t.assignee,
                  'completes', t.completes, 'tests', t.tests, 'opensAt', t.opens_at, 'dueAt', t.due_at,
                  'closesAt', t.closes_at, 'plannedDueAt', t.planned_due_at, 'status', t.status, 'doneAt', t.done_at,
                  'source', t.source, 'ruleSetCode', rs.code, 'ruleSetVersion', rs.version, 'ruleSetTitle', rs.title)
                  order by t.due_at, t.id)
                from tasks t join pathway_rule_sets rs on rs.id = t.rule_set_id where t.case_id = c.id), '[]'::json) as tasks,
      (select json_build_object('id', e.id, 'occurredAt', e.occurred_at, 'kind', e.kind,
                'descriptionEnc', e.description_enc, 'sourceKnown', e.source_known, 'highRiskHcv', e.high_risk_hcv,
                'hepatitisB', coalesce((select json_agg(json_build_object('kind', i.kind, 'onDate', i.on_date,
                    'dose', i.dose, 'level', i.level) order by i.on_date)
                  from immunisations i where i.person_id = c.person_id and i.vaccine = 'hepatitis-b'), '[]'::json))
         from exposures e where e.case_id = c.id limit 1) as exposure
    from cases c
    join referrals r on r.id = c.referral_id
    join people p on p.id = c.person_id
    left join users u on u.id = c.clinician_id
    where c.id = $1 and scoped.scope is not null) b) as bundle
  from (select set_config('ohwb.organisations', $2, true) as scope) scoped`;
