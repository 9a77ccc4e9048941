-- Outcomes a manager reads are one of a fixed list: refuse anything else at the database too.
ALTER TABLE "cases" ADD CONSTRAINT "cases_fitness_check"
  CHECK ("fitness" IS NULL OR "fitness" IN ('fit', 'fit-with-adjustments', 'temporarily-unfit', 'unfit-for-role'));
--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_closure_outcome_check"
  CHECK ("closure_outcome" IS NULL OR "closure_outcome" IN ('remained-at-work', 'returned-to-work', 'redeployed', 'left-employment', 'ill-health-retirement', 'not-known'));
--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_priority_check"
  CHECK ("priority" IS NULL OR "priority" IN ('urgent', 'soon', 'routine'));
