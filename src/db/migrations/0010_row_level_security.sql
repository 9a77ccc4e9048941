-- Row-level security: the second wall behind the services' checks (docs/security.md).
-- The application never queries as the owner of the tables: every connection switches
-- to the role ohwb_app, and every table that holds people's data shows and accepts only
-- rows of the organisations named in the transaction-local setting ohwb.organisations:
--   '{id,id,…}'     the organisations the current actor may reach (canonical uuids);
--   'system'        trusted system work (a short list, see docs/security.md);
--   anything else   nothing at all: unset or empty shows nothing (fail closed).

-- The role: created here when the connecting user may create roles; otherwise a
-- database administrator creates it first (docs/operations.md says how).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ohwb_app') THEN
    BEGIN
      CREATE ROLE ohwb_app NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'OHWB needs the database role ohwb_app, and % may not create roles. Ask a database administrator to run: CREATE ROLE ohwb_app NOLOGIN; GRANT ohwb_app TO %; then start OHWB again (docs/operations.md, "The database role").',
        current_user, quote_ident(current_user);
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ohwb_app' AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'The database role ohwb_app is a superuser or bypasses row-level security, so it would see every organisation. Run: ALTER ROLE ohwb_app NOSUPERUSER NOBYPASSRLS; then start OHWB again.';
  END IF;
  -- PostgreSQL 16 separates membership from the right to SET ROLE; 15 has membership only.
  IF NOT pg_has_role(current_user, 'ohwb_app',
      CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) THEN
    BEGIN
      EXECUTE format('GRANT ohwb_app TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'OHWB switches to the database role ohwb_app, and % may not. Ask a database administrator to run: GRANT ohwb_app TO %; then start OHWB again (docs/operations.md, "The database role").',
        current_user, quote_ident(current_user);
    END;
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO ohwb_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ohwb_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ohwb_app;
--> statement-breakpoint
-- Tables and sequences that later migrations create (as this same user) are granted too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ohwb_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ohwb_app;
--> statement-breakpoint
-- The trail is append-only: the application may read it and append to it, nothing else.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ohwb_app;
--> statement-breakpoint
-- Whether the current scope reaches an organisation: in an actor's scope, the
-- organisations listed; in system scope, every one. Unset, empty or anything else: none.
-- Membership is a text search: a uuid in its canonical text form (36 characters of hex
-- digits and hyphens) can only match a whole entry of the list, and searching costs a
-- fraction of parsing the list into a uuid[] for every row a policy checks. It is a
-- plain SQL expression, so the planner inlines it into each policy; the list is
-- searched first, as an actor's reads are the hot path.
CREATE OR REPLACE FUNCTION ohwb_reaches(organisation uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT strpos(current_setting('ohwb.organisations', true), organisation::text) > 0
      OR current_setting('ohwb.organisations', true) = 'system'
$$;
--> statement-breakpoint
-- Puts a table that holds people's data behind the wall: row-level security on (and
-- forced, so that the table's owner is held too), one policy for every command keyed on
-- its organisation column, and the application's grants. Later migrations call it for
-- each new table that carries organisation_id: SELECT ohwb_enable_org_rls('my_table');
CREATE OR REPLACE FUNCTION ohwb_enable_org_rls(target regclass, organisation_column name DEFAULT 'organisation_id')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format('DROP POLICY IF EXISTS ohwb_organisation_scope ON %s', target);
  EXECUTE format('CREATE POLICY ohwb_organisation_scope ON %s USING (ohwb_reaches(%I)) WITH CHECK (ohwb_reaches(%I))',
    target, organisation_column, organisation_column);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ohwb_app', target);
END;
$$;
--> statement-breakpoint
SELECT ohwb_enable_org_rls('people');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('referrals');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('cases');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('appointments');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('consultations');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('reports');
--> statement-breakpoint
-- Emails without an organisation are for system work only.
SELECT ohwb_enable_org_rls('outbox');
--> statement-breakpoint
-- Pathway work (migration 0006): each row belongs to the organisation of the person it is
-- about (an incident to that of the first person named; each person's part of it to
-- their own). Rule sets carry no one's data and stay outside (docs/security.md).
SELECT ohwb_enable_org_rls('pathway_runs');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('tasks');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('exposures');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('incidents');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('incident_people');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('measures');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('immunisations');
--> statement-breakpoint
-- Benefits-realisation aims (migration 0009) hold no one's record, but they are an
-- organisation's or a system's management targets, read only by those who report on it.
-- An organisation's aim (organisation_id set) belongs to that organisation. A system's
-- aim (organisation_id null) belongs to the whole system, so it needs a scope that
-- reaches every organisation of that system (at least one): a report scope of the
-- system, or system scope. A scope of one member organisation, or an actor's own reach
-- that covers only part of the system, shows and takes none of the system's aims, as
-- only the system's analysts, wellbeing leads and sysadmins may report on the system.
CREATE OR REPLACE FUNCTION ohwb_reaches_system(target_system uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT current_setting('ohwb.organisations', true) = 'system'
      OR (EXISTS (SELECT 1 FROM organisations o WHERE o.system_id = target_system)
          AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.system_id = target_system AND NOT ohwb_reaches(o.id)))
$$;
--> statement-breakpoint
ALTER TABLE benefit_aims ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE benefit_aims FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ohwb_organisation_scope ON benefit_aims
  USING (CASE WHEN organisation_id IS NULL THEN ohwb_reaches_system(system_id) ELSE ohwb_reaches(organisation_id) END)
  WITH CHECK (CASE WHEN organisation_id IS NULL THEN ohwb_reaches_system(system_id) ELSE ohwb_reaches(organisation_id) END);
--> statement-breakpoint
-- A person's unsafe venues belong to the person's organisation: visible, and writable,
-- exactly when the person is (the sub-select is itself under people's policy).
ALTER TABLE person_unsafe_sites ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE person_unsafe_sites FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ohwb_organisation_scope ON person_unsafe_sites
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id))
  WITH CHECK (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
--> statement-breakpoint
-- The audit trail: each organisation reads only its own rows; rows without an
-- organisation are for system work. The application appends rows only through
-- audit_append (below), which writes in system scope for every organisation at once, so
-- the append policy checks nothing: checking each row would cost the busiest insert
-- of all without narrowing anything. The application may not update or delete rows.
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ohwb_organisation_scope_read ON audit_events FOR SELECT USING (ohwb_reaches(organisation_id));
--> statement-breakpoint
CREATE POLICY ohwb_append ON audit_events FOR INSERT WITH CHECK (true);
--> statement-breakpoint
-- Functions below that work in system scope set it in their body and put the caller's
-- scope back before they return. (A SET clause on the function would do the same, but
-- PostgreSQL lets only a superuser attach a custom setting to a function.) If one fails
-- halfway, its transaction or savepoint is rolled back, and the setting with it.
--
-- Lanes are shared by every organisation, so chaining a row reads the head of a lane
-- that may belong to another organisation: audit_append (migration 0002) now works in
-- system scope. It also chains the whole batch first and inserts it in one statement,
-- not one per row, which makes up for the policy checks (a busy server's read audits
-- come in batches).
CREATE OR REPLACE FUNCTION audit_append(p_lane text, p_rows jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  caller_scope text := current_setting('ohwb.organisations', true);
  head text;
  content_hash text;
  previous_hashes text[] := '{}';
  hashes text[] := '{}';
BEGIN
  PERFORM set_config('ohwb.organisations', 'system', true);
  PERFORM pg_advisory_xact_lock(hashtextextended(p_lane, 0));
  SELECT hash INTO head FROM audit_events WHERE lane = p_lane ORDER BY seq DESC LIMIT 1;
  head := coalesce(head, repeat('0', 64));
  FOR content_hash IN SELECT r->>'contentHash' FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e(r, n) ORDER BY n LOOP
    previous_hashes := previous_hashes || head;
    head := encode(sha256(convert_to(head || content_hash, 'UTF8')), 'hex');
    hashes := hashes || head;
  END LOOP;
  -- In the batch's order, so each row's seq follows its predecessor's in the chain.
  INSERT INTO audit_events (id, at, user_id, role, action, record_type, record_id, organisation_id, reason, lane, previous_hash, hash)
  SELECT (r->>'id')::uuid, (r->>'at')::timestamptz, (r->>'userId')::uuid, r->>'role', r->>'action',
         r->>'recordType', (r->>'recordId')::uuid, (r->>'organisationId')::uuid, r->>'reason',
         p_lane, previous_hashes[n], hashes[n]
  FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e(r, n) ORDER BY n;
  PERFORM set_config('ohwb.organisations', coalesce(caller_scope, ''), true);
END;
$$;
--> statement-breakpoint
-- The organisation of a user's own staff record, for the sign-in lookup, which runs
-- before there is an actor to scope it by. It answers for one person id only.
CREATE OR REPLACE FUNCTION person_organisation(p_person_id uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  caller_scope text := current_setting('ohwb.organisations', true);
  organisation uuid;
BEGIN
  PERFORM set_config('ohwb.organisations', 'system', true);
  SELECT p.organisation_id INTO organisation FROM people p WHERE p.id = p_person_id;
  PERFORM set_config('ohwb.organisations', coalesce(caller_scope, ''), true);
  RETURN organisation;
END;
$$;
--> statement-breakpoint
-- When a clinician is busy, across every organisation their provider serves: times only,
-- never whose appointment it is. An employee booking their own appointment must not be
-- offered a slot that another organisation's appointment already fills.
CREATE OR REPLACE FUNCTION clinician_busy_times(p_clinician_id uuid, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  caller_scope text := current_setting('ohwb.organisations', true);
BEGIN
  PERFORM set_config('ohwb.organisations', 'system', true);
  RETURN QUERY
    SELECT a.starts_at, a.ends_at FROM appointments a
    WHERE a.clinician_id = p_clinician_id AND a.status <> 'cancelled' AND a.starts_at < p_to AND a.ends_at >= p_from;
  PERFORM set_config('ohwb.organisations', coalesce(caller_scope, ''), true);
END;
$$;
