CREATE TYPE "public"."billing_run_status" AS ENUM('queued', 'running', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "billing_run" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"house_id" integer,
	"period" date NOT NULL,
	"status" "billing_run_status" DEFAULT 'queued' NOT NULL,
	"total" integer NOT NULL,
	"apartment_id_bound" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"invoices" integer DEFAULT 0 NOT NULL,
	"water" numeric(16, 2) DEFAULT '0' NOT NULL,
	"maintenance" numeric(16, 2) DEFAULT '0' NOT NULL,
	"total_amount" numeric(16, 2) DEFAULT '0' NOT NULL,
	"flags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "billing_run_period_month" CHECK (extract(day from "billing_run"."period") = 1),
	CONSTRAINT "billing_run_progress" CHECK ("billing_run"."processed" >= 0 and "billing_run"."processed" <= "billing_run"."total")
);
--> statement-breakpoint
CREATE TABLE "billing_run_part" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"first_apartment_id" integer NOT NULL,
	"last_apartment_id" integer NOT NULL,
	"cursor" integer NOT NULL,
	"total" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_run_price" (
	"run_id" integer NOT NULL,
	"house_id" integer NOT NULL,
	"service" "tariff_service" NOT NULL,
	"tariff_id" integer NOT NULL,
	"price" numeric(14, 4) NOT NULL,
	CONSTRAINT "billing_run_price_run_id_house_id_service_pk" PRIMARY KEY("run_id","house_id","service")
);
--> statement-breakpoint
CREATE TABLE "invoice_line" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invoice_line_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"invoice_id" integer NOT NULL,
	"service" "tariff_service" NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" varchar(4) NOT NULL,
	"tariff_id" integer NOT NULL,
	"price" numeric(14, 4) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"details" jsonb NOT NULL,
	CONSTRAINT "invoice_line_not_negative" CHECK ("invoice_line"."quantity" >= 0 and "invoice_line"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "invoice" ADD COLUMN "house_id" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice" ADD COLUMN "run_id" integer;--> statement-breakpoint
ALTER TABLE "billing_run" ADD CONSTRAINT "billing_run_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_run" ADD CONSTRAINT "billing_run_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_run_part" ADD CONSTRAINT "billing_run_part_run_id_billing_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."billing_run"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_run_price" ADD CONSTRAINT "billing_run_price_run_id_billing_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."billing_run"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_line" ADD CONSTRAINT "invoice_line_invoice_id_invoice_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoice"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_run_active_house" ON "billing_run" USING btree ("house_id","period") WHERE "billing_run"."status" in ('queued', 'running') and "billing_run"."house_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_run_active_portfolio" ON "billing_run" USING btree ("workspace_id","period") WHERE "billing_run"."status" in ('queued', 'running') and "billing_run"."house_id" is null;--> statement-breakpoint
CREATE INDEX "billing_run_house_idx" ON "billing_run" USING btree ("house_id","created_at");--> statement-breakpoint
CREATE INDEX "billing_run_part_run_idx" ON "billing_run_part" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "invoice_line_invoice_idx" ON "invoice_line" USING btree ("invoice_id");--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_run_id_billing_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."billing_run"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_house_period_idx" ON "invoice" USING btree ("house_id","period");--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_amounts_not_negative" CHECK ("invoice"."water" >= 0 and "invoice"."maintenance" >= 0 and "invoice"."total" >= 0);