CREATE TABLE "exposures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"description_enc" text,
	"source_known" boolean,
	"high_risk_hcv" boolean DEFAULT false NOT NULL,
	"reported_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exposures_kind_check" CHECK ("exposures"."kind" in ('needlestick', 'bite', 'splash', 'spit', 'other'))
);
--> statement-breakpoint
CREATE TABLE "immunisations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"vaccine" text NOT NULL,
	"kind" text NOT NULL,
	"on_date" date NOT NULL,
	"dose" integer,
	"level" integer,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "immunisations_kind_check" CHECK ("immunisations"."kind" in ('dose', 'antibody-level'))
);
--> statement-breakpoint
CREATE TABLE "incident_people" (
	"incident_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"run_id" uuid,
	CONSTRAINT "incident_people_incident_id_person_id_pk" PRIMARY KEY("incident_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"description_enc" text NOT NULL,
	"reported_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid,
	"instrument" text NOT NULL,
	"answers" jsonb NOT NULL,
	"total" integer NOT NULL,
	"severity" text NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measures_instrument_check" CHECK ("measures"."instrument" in ('PHQ-9', 'GAD-7'))
);
--> statement-breakpoint
CREATE TABLE "pathway_rule_sets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider_id" uuid,
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"definition" jsonb NOT NULL,
	"change_note" text,
	"published_by_user_id" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pathway_rule_sets_version_key" UNIQUE NULLS NOT DISTINCT("provider_id","code","version")
);
--> statement-breakpoint
CREATE TABLE "pathway_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"case_id" uuid,
	"rule_set_id" uuid NOT NULL,
	"anchor_at" timestamp with time zone NOT NULL,
	"facts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid,
	"run_id" uuid NOT NULL,
	"rule_set_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"assignee" text NOT NULL,
	"completes" text NOT NULL,
	"tests" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" text NOT NULL,
	"opens_at" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone,
	"planned_due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"outcome_enc" text,
	"notes_enc" text,
	"reason_enc" text,
	"done_at" timestamp with time zone,
	"done_by_user_id" uuid,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_status_check" CHECK ("tasks"."status" in ('open', 'completed', 'skipped'))
);
--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "clinician_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "injury_on_duty" boolean;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "retirement_date" date;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "triage_answers_enc" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "triage_route" text;--> statement-breakpoint
ALTER TABLE "exposures" ADD CONSTRAINT "exposures_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exposures" ADD CONSTRAINT "exposures_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exposures" ADD CONSTRAINT "exposures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exposures" ADD CONSTRAINT "exposures_reported_by_user_id_users_id_fk" FOREIGN KEY ("reported_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "immunisations" ADD CONSTRAINT "immunisations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "immunisations" ADD CONSTRAINT "immunisations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "immunisations" ADD CONSTRAINT "immunisations_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_people" ADD CONSTRAINT "incident_people_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_people" ADD CONSTRAINT "incident_people_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_people" ADD CONSTRAINT "incident_people_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_people" ADD CONSTRAINT "incident_people_run_id_pathway_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."pathway_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reported_by_user_id_users_id_fk" FOREIGN KEY ("reported_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_rule_sets" ADD CONSTRAINT "pathway_rule_sets_provider_id_oh_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."oh_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_rule_sets" ADD CONSTRAINT "pathway_rule_sets_published_by_user_id_users_id_fk" FOREIGN KEY ("published_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_runs" ADD CONSTRAINT "pathway_runs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_runs" ADD CONSTRAINT "pathway_runs_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_runs" ADD CONSTRAINT "pathway_runs_provider_id_oh_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."oh_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_runs" ADD CONSTRAINT "pathway_runs_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_runs" ADD CONSTRAINT "pathway_runs_rule_set_id_pathway_rule_sets_id_fk" FOREIGN KEY ("rule_set_id") REFERENCES "public"."pathway_rule_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_runs" ADD CONSTRAINT "pathway_runs_started_by_user_id_users_id_fk" FOREIGN KEY ("started_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_provider_id_oh_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."oh_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_run_id_pathway_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."pathway_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_rule_set_id_pathway_rule_sets_id_fk" FOREIGN KEY ("rule_set_id") REFERENCES "public"."pathway_rule_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_done_by_user_id_users_id_fk" FOREIGN KEY ("done_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exposures_person_idx" ON "exposures" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "immunisations_person_idx" ON "immunisations" USING btree ("person_id","vaccine","on_date");--> statement-breakpoint
CREATE INDEX "incident_people_person_idx" ON "incident_people" USING btree ("person_id","occurred_at");--> statement-breakpoint
CREATE INDEX "measures_person_idx" ON "measures" USING btree ("person_id","taken_at");--> statement-breakpoint
CREATE INDEX "pathway_runs_person_idx" ON "pathway_runs" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "pathway_runs_case_idx" ON "pathway_runs" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "tasks_worklist_idx" ON "tasks" USING btree ("provider_id","status","due_at");--> statement-breakpoint
CREATE INDEX "tasks_case_idx" ON "tasks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "tasks_person_idx" ON "tasks" USING btree ("person_id");