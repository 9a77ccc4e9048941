/**
 * The user behind a session or token, with their role grants, the organisations
 * their OH roles reach (any OH role; clinical roles; the physician role) and the organisations of the systems they administer, in one
 * statement (run on every request). $1: token hash, $2: session kind, $3: now.
 * It runs before there is an actor, so with no scope: the tables it reads carry no
 * people's data, and the staff record's organisation comes from `person_organisation`
 * (migration 0010), which answers for that one person in system scope.
 */
export const ACTOR_SQL = `
    select u.id, u.person_id, person_organisation(u.person_id) as person_org, u.display_name, s.expires_at,
      coalesce((select json_agg(json_build_object('role', r.role, 'organisationId', r.organisation_id))
                from user_roles r where r.user_id = u.id), '[]'::json) as grants,
      coalesce((select json_agg(distinct pc.organisation_id)
                from user_roles r
                join oh_providers p on p.host_organisation_id = r.organisation_id
                join provider_clients pc on pc.provider_id = p.id
                where r.user_id = u.id and r.role in ('oh-admin', 'oh-clinician', 'oh-physician')), '[]'::json) as oh_orgs,
      coalesce((select json_agg(distinct pc.organisation_id)
                from user_roles r
                join oh_providers p on p.host_organisation_id = r.organisation_id
                join provider_clients pc on pc.provider_id = p.id
                where r.user_id = u.id and r.role in ('oh-clinician', 'oh-physician')), '[]'::json) as clinical_orgs,
      coalesce((select json_agg(distinct pc.organisation_id)
                from user_roles r
                join oh_providers p on p.host_organisation_id = r.organisation_id
                join provider_clients pc on pc.provider_id = p.id
                where r.user_id = u.id and r.role = 'oh-physician'), '[]'::json) as physician_orgs,
      coalesce((select json_agg(distinct o2.id)
                from user_roles r
                join organisations o on o.id = r.organisation_id
                join organisations o2 on o2.system_id = o.system_id
                where r.user_id = u.id and r.role = 'sysadmin'), '[]'::json) as sys_orgs
    from sessions s join users u on u.id = s.user_id
    where s.token_hash = $1 and s.kind = $2 and s.expires_at > $3
      and not u.disabled`;
