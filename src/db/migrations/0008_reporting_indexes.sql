DROP INDEX "appointments_case_idx";--> statement-breakpoint
CREATE INDEX "appointments_org_starts_idx" ON "appointments" USING btree ("organisation_id","starts_at");--> statement-breakpoint
CREATE INDEX "cases_org_outcome_idx" ON "cases" USING btree ("organisation_id","outcome_recorded_at");--> statement-breakpoint
CREATE INDEX "cases_org_closed_idx" ON "cases" USING btree ("organisation_id","closed_at");--> statement-breakpoint
CREATE INDEX "measures_case_idx" ON "measures" USING btree ("case_id","taken_at");--> statement-breakpoint
CREATE INDEX "referrals_org_created_idx" ON "referrals" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "reports_org_released_idx" ON "reports" USING btree ("organisation_id","released_at");--> statement-breakpoint
CREATE INDEX "appointments_case_idx" ON "appointments" USING btree ("case_id","starts_at");