ALTER TABLE "billing_run_part" ADD COLUMN "leased_by" text;--> statement-breakpoint
ALTER TABLE "billing_run_part" ADD COLUMN "lease_until" timestamp with time zone;