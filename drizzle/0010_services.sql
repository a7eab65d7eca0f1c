CREATE TYPE "public"."meter_volume_kind" AS ENUM('actual', 'true_up', 'baseline', 'negative', 'average', 'normative', 'none');--> statement-breakpoint
CREATE TYPE "public"."service_basis" AS ENUM('meter', 'water_sum', 'area', 'residents', 'apartment');--> statement-breakpoint
CREATE TABLE "billing_run_normative" (
	"run_id" integer NOT NULL,
	"house_id" integer NOT NULL,
	"service" "meter_service" NOT NULL,
	"normative_id" integer NOT NULL,
	"value" numeric(10, 4) NOT NULL,
	"details" jsonb NOT NULL,
	CONSTRAINT "billing_run_normative_run_id_house_id_service_pk" PRIMARY KEY("run_id","house_id","service")
);
--> statement-breakpoint
CREATE TABLE "meter_volume" (
	"invoice_id" integer NOT NULL,
	"meter_id" integer NOT NULL,
	"period" date NOT NULL,
	"kind" "meter_volume_kind" NOT NULL,
	"volume" numeric(16, 3) NOT NULL,
	"reading" numeric(12, 3),
	"basis_period" date,
	"basis_reading" numeric(12, 3),
	"estimated" numeric(16, 3),
	"average_from_period" date,
	"average_from_reading" numeric(12, 3),
	"average_months" smallint,
	"normative_id" integer,
	"normative" numeric(10, 4),
	"residents" integer,
	CONSTRAINT "meter_volume_invoice_id_meter_id_pk" PRIMARY KEY("invoice_id","meter_id")
);
--> statement-breakpoint
CREATE TABLE "normative" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"house_id" integer,
	"service" "meter_service" NOT NULL,
	"value" numeric(10, 4) NOT NULL,
	"valid_from" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "normative_scope_service_month_unique" UNIQUE NULLS NOT DISTINCT("workspace_id","house_id","service","valid_from"),
	CONSTRAINT "normative_value_positive" CHECK ("normative"."value" > 0),
	CONSTRAINT "normative_valid_from_month" CHECK (extract(day from "normative"."valid_from") = 1)
);
--> statement-breakpoint
CREATE TABLE "service" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"code" varchar(32) NOT NULL,
	"name_ru" varchar(100) NOT NULL,
	"name_en" varchar(100) NOT NULL,
	"basis" "service_basis" NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_workspace_code_unique" UNIQUE("workspace_id","code"),
	CONSTRAINT "service_code_format" CHECK ("service"."code" ~ '^[a-z][a-z0-9_]{1,31}$'),
	CONSTRAINT "service_meter_code" CHECK ("service"."basis" <> 'meter' or "service"."code" in ('cold_water', 'hot_water')),
	CONSTRAINT "service_names_not_blank" CHECK (length(btrim("service"."name_ru")) > 0 and length(btrim("service"."name_en")) > 0)
);
--> statement-breakpoint
CREATE TABLE "service_house_off" (
	"service_id" integer NOT NULL,
	"house_id" integer NOT NULL,
	CONSTRAINT "service_house_off_service_id_house_id_pk" PRIMARY KEY("service_id","house_id")
);
--> statement-breakpoint
ALTER TABLE "invoice_line" ALTER COLUMN "service" SET DATA TYPE varchar(32);--> statement-breakpoint
ALTER TABLE "invoice_line" ALTER COLUMN "unit" SET DATA TYPE varchar(16);--> statement-breakpoint
ALTER TABLE "apartment" ADD COLUMN "residents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_run_price" ADD COLUMN "service_id" integer;--> statement-breakpoint
ALTER TABLE "invoice_line" ADD COLUMN "service_id" integer;--> statement-breakpoint
ALTER TABLE "invoice_line" ADD COLUMN "kind" "service_basis";--> statement-breakpoint
ALTER TABLE "meter" ADD COLUMN "verified_until" date;--> statement-breakpoint
ALTER TABLE "tariff" ADD COLUMN "service_id" integer;--> statement-breakpoint
ALTER TABLE "billing_run_normative" ADD CONSTRAINT "billing_run_normative_run_id_billing_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."billing_run"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_volume" ADD CONSTRAINT "meter_volume_invoice_id_invoice_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoice"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_volume" ADD CONSTRAINT "meter_volume_meter_id_meter_id_fk" FOREIGN KEY ("meter_id") REFERENCES "public"."meter"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "normative" ADD CONSTRAINT "normative_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "normative" ADD CONSTRAINT "normative_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service" ADD CONSTRAINT "service_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_house_off" ADD CONSTRAINT "service_house_off_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_house_off" ADD CONSTRAINT "service_house_off_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meter_volume_basis_idx" ON "meter_volume" USING btree ("meter_id","period") WHERE "meter_volume"."kind" in ('actual', 'true_up', 'baseline');--> statement-breakpoint
CREATE INDEX "meter_volume_estimated_idx" ON "meter_volume" USING btree ("meter_id","period") WHERE "meter_volume"."kind" in ('average', 'normative');--> statement-breakpoint
CREATE INDEX "service_house_off_house_idx" ON "service_house_off" USING btree ("house_id");--> statement-breakpoint
ALTER TABLE "invoice_line" ADD CONSTRAINT "invoice_line_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff" ADD CONSTRAINT "tariff_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apartment" ADD CONSTRAINT "apartment_residents_range" CHECK ("apartment"."residents" >= 0 AND "apartment"."residents" <= 999);