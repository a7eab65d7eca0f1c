ALTER TABLE "tariff" DROP CONSTRAINT "tariff_scope_service_month_unique";--> statement-breakpoint
ALTER TABLE "invoice" DROP CONSTRAINT "invoice_amounts_not_negative";--> statement-breakpoint
ALTER TABLE "invoice_line" DROP CONSTRAINT "invoice_line_not_negative";--> statement-breakpoint
ALTER TABLE "meter_volume" DROP CONSTRAINT "meter_volume_meter_id_meter_id_fk";
--> statement-breakpoint
ALTER TABLE "billing_run_price" DROP CONSTRAINT "billing_run_price_run_id_house_id_service_pk";--> statement-breakpoint
ALTER TABLE "billing_run_price" ALTER COLUMN "service_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice_line" ALTER COLUMN "service_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice_line" ALTER COLUMN "kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tariff" ALTER COLUMN "service_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_run_price" ADD CONSTRAINT "billing_run_price_run_id_house_id_service_id_pk" PRIMARY KEY("run_id","house_id","service_id");--> statement-breakpoint
ALTER TABLE "meter_volume" ADD CONSTRAINT "meter_volume_meter_id_meter_id_fk" FOREIGN KEY ("meter_id") REFERENCES "public"."meter"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_run_price" DROP COLUMN "service";--> statement-breakpoint
ALTER TABLE "tariff" DROP COLUMN "service";--> statement-breakpoint
ALTER TABLE "tariff" ADD CONSTRAINT "tariff_scope_service_month_unique" UNIQUE NULLS NOT DISTINCT("workspace_id","house_id","service_id","valid_from");--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_maintenance_not_negative" CHECK ("invoice"."maintenance" >= 0);--> statement-breakpoint
ALTER TABLE "invoice_line" ADD CONSTRAINT "invoice_line_sign" CHECK (("invoice_line"."quantity" >= 0 and "invoice_line"."amount" >= 0) or 'true_up' = any("invoice_line"."flags"));--> statement-breakpoint
DROP TYPE "public"."tariff_service";