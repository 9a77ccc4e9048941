CREATE TABLE "benefit_aims" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"organisation_id" uuid,
	"created_by_user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"measure" text NOT NULL,
	"baseline_value" double precision NOT NULL,
	"baseline_from" date NOT NULL,
	"baseline_to" date NOT NULL,
	"target_value" double precision NOT NULL,
	"target_date" date NOT NULL,
	"direction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "benefit_aims_direction_check" CHECK ("benefit_aims"."direction" in ('increase', 'decrease')),
	CONSTRAINT "benefit_aims_baseline_check" CHECK ("benefit_aims"."baseline_from" <= "benefit_aims"."baseline_to"),
	CONSTRAINT "benefit_aims_target_check" CHECK ("benefit_aims"."target_date" > "benefit_aims"."baseline_to")
);
--> statement-breakpoint
ALTER TABLE "benefit_aims" ADD CONSTRAINT "benefit_aims_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_aims" ADD CONSTRAINT "benefit_aims_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_aims" ADD CONSTRAINT "benefit_aims_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "benefit_aims_scope_idx" ON "benefit_aims" USING btree ("system_id","organisation_id");