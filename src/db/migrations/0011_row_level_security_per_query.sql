-- Row-level security, read once per query (migration 0010 read it once per row).
--
-- 0010's policies called ohwb_reaches(organisation_id), which searches the scope's text
-- for each row's organisation: about 0.3 µs a row, which a report over a whole system
-- pays on every person, referral and appointment it counts (twice the time of the same
-- SQL without the wall). Here each policy reads the scope in uncorrelated sub-selects,
-- which PostgreSQL runs once per query (init plans): whether the scope is `system`, and
-- the organisations it lists as a uuid[]. Each row then costs one comparison with a short
-- array. The meaning is unchanged:
--   '{id,id,…}'   the organisations listed;
--   'system'      every organisation;
--   unset or ''   nothing at all (fail closed);
--   anything else an error, so a malformed scope stops the query instead of widening it.

-- The organisations the current scope lists; none unless it is a list. A plain SQL
-- expression, so the planner inlines it into each policy's sub-select.
CREATE OR REPLACE FUNCTION ohwb_scope_organisations() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN current_setting('ohwb.organisations', true) LIKE '{%}'
              THEN current_setting('ohwb.organisations', true)::uuid[]
              ELSE '{}'::uuid[] END
$$;
--> statement-breakpoint
-- As in 0010 (later migrations call it for each new table that carries organisation_id),
-- with the per-query policy. The `::uuid[]` makes the sub-select an array value, not
-- the set that `= ANY (subquery)` would compare against.
CREATE OR REPLACE FUNCTION ohwb_enable_org_rls(target regclass, organisation_column name DEFAULT 'organisation_id')
RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format('DROP POLICY IF EXISTS ohwb_organisation_scope ON %s', target);
  EXECUTE format($p$CREATE POLICY ohwb_organisation_scope ON %s
      USING ((SELECT current_setting('ohwb.organisations', true) = 'system')
             OR %I = ANY ((SELECT ohwb_scope_organisations())::uuid[]))
      WITH CHECK ((SELECT current_setting('ohwb.organisations', true) = 'system')
             OR %I = ANY ((SELECT ohwb_scope_organisations())::uuid[]))$p$,
    target, organisation_column, organisation_column);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ohwb_app', target);
END;
$f$;
--> statement-breakpoint
SELECT ohwb_enable_org_rls(walled) FROM unnest(ARRAY[
  'people', 'referrals', 'cases', 'appointments', 'consultations', 'reports', 'outbox',
  'pathway_runs', 'tasks', 'exposures', 'incidents', 'incident_people', 'measures', 'immunisations'
]::regclass[]) AS walled;
--> statement-breakpoint
DROP POLICY ohwb_organisation_scope_read ON audit_events;
--> statement-breakpoint
CREATE POLICY ohwb_organisation_scope_read ON audit_events FOR SELECT
  USING ((SELECT current_setting('ohwb.organisations', true) = 'system')
         OR organisation_id = ANY ((SELECT ohwb_scope_organisations())::uuid[]));
