CREATE TYPE "public"."meter_service" AS ENUM('cold_water', 'hot_water');--> statement-breakpoint
CREATE TYPE "public"."tariff_service" AS ENUM('cold_water', 'hot_water', 'maintenance');--> statement-breakpoint
CREATE TABLE "apartment" (
	"id" serial PRIMARY KEY NOT NULL,
	"house_id" integer NOT NULL,
	"number" varchar(20) NOT NULL,
	"area" numeric(7, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apartment_house_number_unique" UNIQUE("house_id","number"),
	CONSTRAINT "apartment_area_range" CHECK ("apartment"."area" > 0 AND "apartment"."area" <= 10000)
);
--> statement-breakpoint
CREATE TABLE "house" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"address" varchar(300) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "house_workspace_address_unique" UNIQUE("workspace_id","address"),
	CONSTRAINT "house_address_not_blank" CHECK (length(btrim("house"."address")) > 0)
);
--> statement-breakpoint
CREATE TABLE "invoice" (
	"id" serial PRIMARY KEY NOT NULL,
	"apartment_id" integer NOT NULL,
	"period" date NOT NULL,
	"water" numeric(14, 2) NOT NULL,
	"maintenance" numeric(14, 2) NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_period_month" CHECK (extract(day from "invoice"."period") = 1)
);
--> statement-breakpoint
CREATE TABLE "meter" (
	"id" serial PRIMARY KEY NOT NULL,
	"apartment_id" integer NOT NULL,
	"workspace_id" integer NOT NULL,
	"serial_number" varchar(64) NOT NULL,
	"service" "meter_service" NOT NULL,
	"installed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meter_workspace_serial_unique" UNIQUE("workspace_id","serial_number")
);
--> statement-breakpoint
CREATE TABLE "meter_reading" (
	"id" serial PRIMARY KEY NOT NULL,
	"meter_id" integer NOT NULL,
	"period" date NOT NULL,
	"value" numeric(12, 3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meter_reading_meter_period_unique" UNIQUE("meter_id","period"),
	CONSTRAINT "meter_reading_period_month" CHECK (extract(day from "meter_reading"."period") = 1),
	CONSTRAINT "meter_reading_value_range" CHECK ("meter_reading"."value" >= 0 AND "meter_reading"."value" < 1000000000)
);
--> statement-breakpoint
CREATE TABLE "tariff" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"house_id" integer,
	"service" "tariff_service" NOT NULL,
	"price" numeric(14, 4) NOT NULL,
	"valid_from" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tariff_scope_service_month_unique" UNIQUE NULLS NOT DISTINCT("workspace_id","house_id","service","valid_from"),
	CONSTRAINT "tariff_price_positive" CHECK ("tariff"."price" > 0),
	CONSTRAINT "tariff_valid_from_month" CHECK (extract(day from "tariff"."valid_from") = 1)
);
--> statement-breakpoint
CREATE TABLE "workspace" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" varchar(64),
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "apartment" ADD CONSTRAINT "apartment_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "house" ADD CONSTRAINT "house_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_apartment_id_apartment_id_fk" FOREIGN KEY ("apartment_id") REFERENCES "public"."apartment"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter" ADD CONSTRAINT "meter_apartment_id_apartment_id_fk" FOREIGN KEY ("apartment_id") REFERENCES "public"."apartment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter" ADD CONSTRAINT "meter_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_reading" ADD CONSTRAINT "meter_reading_meter_id_meter_id_fk" FOREIGN KEY ("meter_id") REFERENCES "public"."meter"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff" ADD CONSTRAINT "tariff_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff" ADD CONSTRAINT "tariff_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_apartment_period_unique" ON "invoice" USING btree ("apartment_id","period");--> statement-breakpoint
CREATE INDEX "meter_apartment_idx" ON "meter" USING btree ("apartment_id");