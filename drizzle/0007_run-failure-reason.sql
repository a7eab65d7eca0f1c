ALTER TABLE "billing_run" ADD COLUMN "error_reason" text;--> statement-breakpoint
ALTER TABLE "billing_run" ADD COLUMN "error_params" jsonb;