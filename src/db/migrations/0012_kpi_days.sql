CREATE TABLE "kpi_days" (
	"organisation_id" uuid NOT NULL,
	"day" date NOT NULL,
	"referrals" integer NOT NULL,
	"self_referrals" integer NOT NULL,
	"waits" integer[] NOT NULL,
	"appointments" integer NOT NULL,
	"missed" integer NOT NULL,
	"opened" integer NOT NULL,
	"closed" integer NOT NULL,
	"closed_at_work" integer NOT NULL,
	"fitness" jsonb NOT NULL,
	"reports_released" integer NOT NULL,
	"reports_timely" integer NOT NULL,
	"improvement_episodes" integer NOT NULL,
	"improved" integer NOT NULL,
	CONSTRAINT "kpi_days_organisation_id_day_pk" PRIMARY KEY("organisation_id","day")
);
--> statement-breakpoint
CREATE TABLE "kpi_stale_days" (
	"organisation_id" uuid NOT NULL,
	"day" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_days" ADD CONSTRAINT "kpi_days_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_org_created_idx" ON "cases" USING btree ("organisation_id","created_at");
--> statement-breakpoint
-- Both tables hold an organisation's figures: behind the wall like its records.
SELECT ohwb_enable_org_rls('kpi_days');
--> statement-breakpoint
SELECT ohwb_enable_org_rls('kpi_stale_days');
--> statement-breakpoint
-- Marking the days a change touches. Each table's trigger runs once per statement and logs
-- the London days of the KPI roll-up that the changed rows count on: for old rows and new,
-- and (where a day depends on other rows of the same case) every day that could. A day
-- logged that did not change costs a recomputation; a day missed would be a wrong
-- report, so the triggers err on the side of logging. Updates that change nothing the
-- KPIs read log nothing. The log is append-only (no key to collide on), so concurrent
-- writers never wait on each other for it.
--
-- Inserted and deleted rows count alike: both triggers name their rows `changed_rows`
-- (below), so one statement serves both. An update sees `old_rows` and `new_rows`.
CREATE FUNCTION kpi_mark_referrals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT organisation_id, (created_at AT TIME ZONE 'Europe/London')::date FROM changed_rows;
  ELSE
    -- The referral's date is also the start of its case's wait, counted on the day of the
    -- case's first appointment: any day the case (the one whose referral it is) has an
    -- appointment.
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT d.organisation_id, d.day FROM new_rows n JOIN old_rows o USING (id)
      CROSS JOIN LATERAL (
        VALUES (n.organisation_id, (n.created_at AT TIME ZONE 'Europe/London')::date),
               (o.organisation_id, (o.created_at AT TIME ZONE 'Europe/London')::date)
        UNION
        SELECT a.organisation_id, (a.starts_at AT TIME ZONE 'Europe/London')::date
        FROM cases k JOIN appointments a ON a.case_id = k.id
        WHERE k.referral_id = n.id AND n.created_at IS DISTINCT FROM o.created_at
      ) AS d(organisation_id, day)
      WHERE (n.organisation_id, n.created_at, n.source) IS DISTINCT FROM (o.organisation_id, o.created_at, o.source);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- An appointment counts on its own day (appointments, missed) and, if it is its case's
-- first, on that day as the end of the case's wait: a change may move which appointment
-- is first, so every day the case has an appointment, before and after, is logged.
CREATE FUNCTION kpi_mark_appointments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date FROM changed_rows
      UNION
      SELECT a.organisation_id, (a.starts_at AT TIME ZONE 'Europe/London')::date
      FROM appointments a WHERE a.case_id IN (SELECT case_id FROM changed_rows);
  ELSE
    INSERT INTO kpi_stale_days (organisation_id, day)
      WITH changed AS (
        SELECT n.case_id AS new_case, o.case_id AS old_case, o.organisation_id, o.starts_at
        FROM new_rows n JOIN old_rows o USING (id)
        WHERE (n.organisation_id, n.case_id, n.starts_at, n.status)
              IS DISTINCT FROM (o.organisation_id, o.case_id, o.starts_at, o.status)
      )
      SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date FROM changed
      UNION
      SELECT a.organisation_id, (a.starts_at AT TIME ZONE 'Europe/London')::date
      FROM appointments a
      WHERE a.case_id IN (SELECT new_case FROM changed UNION SELECT old_case FROM changed);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A case counts on the day it opened (caseload), the day its outcome was recorded
-- (fitness) and the day it closed (closures, at work, and its questionnaires' outcome).
CREATE FUNCTION kpi_mark_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT c.organisation_id, (t.at AT TIME ZONE 'Europe/London')::date FROM changed_rows c
      CROSS JOIN LATERAL (VALUES (c.created_at), (c.outcome_recorded_at), (c.closed_at)) AS t(at)
      WHERE t.at IS NOT NULL;
  ELSE
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT t.organisation_id, (t.at AT TIME ZONE 'Europe/London')::date
      FROM new_rows n JOIN old_rows o USING (id)
      CROSS JOIN LATERAL (VALUES (n.organisation_id, n.created_at), (n.organisation_id, n.outcome_recorded_at),
                                 (n.organisation_id, n.closed_at), (o.organisation_id, o.created_at),
                                 (o.organisation_id, o.outcome_recorded_at), (o.organisation_id, o.closed_at))
        AS t(organisation_id, at)
      WHERE t.at IS NOT NULL
        AND (n.organisation_id, n.created_at, n.outcome_recorded_at, n.fitness, n.closed_at, n.closure_outcome)
            IS DISTINCT FROM (o.organisation_id, o.created_at, o.outcome_recorded_at, o.fitness, o.closed_at, o.closure_outcome);
    -- A case's wait starts at its referral: another referral moves the wait, counted on the
    -- day of the case's first appointment (any day it has one).
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT a.organisation_id, (a.starts_at AT TIME ZONE 'Europe/London')::date
      FROM new_rows n JOIN old_rows o USING (id) JOIN appointments a ON a.case_id = n.id
      WHERE n.referral_id IS DISTINCT FROM o.referral_id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A report counts on the day it was released; whether it was timely depends on the
-- consultations before it was written.
CREATE FUNCTION kpi_mark_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT organisation_id, (released_at AT TIME ZONE 'Europe/London')::date
      FROM changed_rows WHERE released_at IS NOT NULL;
  ELSE
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT t.organisation_id, (t.at AT TIME ZONE 'Europe/London')::date
      FROM new_rows n JOIN old_rows o USING (id)
      CROSS JOIN LATERAL (VALUES (n.organisation_id, n.released_at), (o.organisation_id, o.released_at))
        AS t(organisation_id, at)
      WHERE t.at IS NOT NULL
        AND (n.organisation_id, n.case_id, n.status, n.released_at, n.created_at)
            IS DISTINCT FROM (o.organisation_id, o.case_id, o.status, o.released_at, o.created_at);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A consultation can make a report of its case timely: every day a report of the case
-- was released is logged.
CREATE FUNCTION kpi_mark_consultations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT r.organisation_id, (r.released_at AT TIME ZONE 'Europe/London')::date
      FROM reports r WHERE r.released_at IS NOT NULL AND r.case_id IN (SELECT case_id FROM changed_rows);
  ELSE
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT r.organisation_id, (r.released_at AT TIME ZONE 'Europe/London')::date
      FROM reports r
      WHERE r.released_at IS NOT NULL AND r.case_id IN (
        SELECT c.case_id FROM new_rows n JOIN old_rows o USING (id)
        CROSS JOIN LATERAL (VALUES (n.case_id), (o.case_id)) AS c(case_id)
        WHERE (n.case_id, n.created_at) IS DISTINCT FROM (o.case_id, o.created_at));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A questionnaire taken in a case counts, through the Talking Therapies outcome, on the
-- day its case closed. The cases are locked (FOR SHARE) before their closure is read: a
-- closure being written meanwhile is waited for and then seen, and one not yet begun waits
-- for this change to commit. Without it, a questionnaire recorded while its case closes
-- would log no day, and the closure's day could be computed without it.
CREATE FUNCTION kpi_mark_measures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    PERFORM 1 FROM cases c WHERE c.id IN (SELECT case_id FROM changed_rows) ORDER BY c.id FOR SHARE;
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT c.organisation_id, (c.closed_at AT TIME ZONE 'Europe/London')::date
      FROM cases c WHERE c.closed_at IS NOT NULL AND c.id IN (SELECT case_id FROM changed_rows);
  ELSE
    PERFORM 1 FROM cases c WHERE c.id IN (SELECT case_id FROM new_rows UNION SELECT case_id FROM old_rows)
      ORDER BY c.id FOR SHARE;
    INSERT INTO kpi_stale_days (organisation_id, day)
      SELECT DISTINCT c.organisation_id, (c.closed_at AT TIME ZONE 'Europe/London')::date
      FROM cases c
      WHERE c.closed_at IS NOT NULL AND c.id IN (
        SELECT k.case_id FROM new_rows n JOIN old_rows o USING (id)
        CROSS JOIN LATERAL (VALUES (n.case_id), (o.case_id)) AS k(case_id)
        WHERE (n.case_id, n.instrument, n.total, n.taken_at) IS DISTINCT FROM (o.case_id, o.instrument, o.total, o.taken_at));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Three statement triggers on each table, one per kind of change, as a trigger with
-- transition tables fires for one kind only. Inserted and deleted rows share a name.
DO $$
DECLARE
  marked text;
BEGIN
  FOREACH marked IN ARRAY ARRAY['referrals', 'appointments', 'cases', 'reports', 'consultations', 'measures'] LOOP
    EXECUTE format('CREATE TRIGGER kpi_mark_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_%s()', marked, marked);
    EXECUTE format('CREATE TRIGGER kpi_mark_update AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_%s()', marked, marked);
    EXECUTE format('CREATE TRIGGER kpi_mark_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_%s()', marked, marked);
  END LOOP;
END $$;
--> statement-breakpoint
-- Everything already recorded is stale until first computed.
INSERT INTO kpi_stale_days (organisation_id, day)
  SELECT organisation_id, (created_at AT TIME ZONE 'Europe/London')::date FROM referrals
  UNION SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date FROM appointments
  UNION SELECT organisation_id, (created_at AT TIME ZONE 'Europe/London')::date FROM cases
  UNION SELECT organisation_id, (outcome_recorded_at AT TIME ZONE 'Europe/London')::date FROM cases WHERE outcome_recorded_at IS NOT NULL
  UNION SELECT organisation_id, (closed_at AT TIME ZONE 'Europe/London')::date FROM cases WHERE closed_at IS NOT NULL
  UNION SELECT organisation_id, (released_at AT TIME ZONE 'Europe/London')::date FROM reports WHERE released_at IS NOT NULL;
