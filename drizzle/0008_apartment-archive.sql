ALTER TABLE "apartment" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "invoice_line_tariff_idx" ON "invoice_line" USING btree ("tariff_id");