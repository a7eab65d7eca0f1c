CREATE TABLE "receipt_batch" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"house_id" integer NOT NULL,
	"period" date NOT NULL,
	"status" varchar(16) DEFAULT 'queued' NOT NULL,
	"draft" boolean DEFAULT false NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"pdf" "bytea",
	"pdf_size" integer,
	"error" text,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "receipt_batch_period_month" CHECK (extract(day from "receipt_batch"."period") = 1),
	CONSTRAINT "receipt_batch_status" CHECK ("receipt_batch"."status" in ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "receipt_batch_progress" CHECK ("receipt_batch"."done" >= 0 and "receipt_batch"."done" <= "receipt_batch"."total")
);
--> statement-breakpoint
ALTER TABLE "apartment" ADD COLUMN "owner_name" varchar(300) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "org_name" varchar(300) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "inn" varchar(12) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "kpp" varchar(9) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "org_address" varchar(500) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "org_phone" varchar(40) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "org_email" varchar(254) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "org_site" varchar(200) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "settlement_account" varchar(20) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "bank_name" varchar(300) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "bic" varchar(9) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "correspondent_account" varchar(20) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "receipt_batch" ADD CONSTRAINT "receipt_batch_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_batch" ADD CONSTRAINT "receipt_batch_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "receipt_batch_house_idx" ON "receipt_batch" USING btree ("house_id","created_at");--> statement-breakpoint
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_inn_format" CHECK ("workspace"."inn" ~ '^([0-9]{10}|[0-9]{12})?$');--> statement-breakpoint
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_kpp_format" CHECK ("workspace"."kpp" ~ '^([0-9]{4}[0-9A-Z]{2}[0-9]{3})?$');--> statement-breakpoint
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_settlement_account_format" CHECK ("workspace"."settlement_account" ~ '^([0-9]{20})?$');--> statement-breakpoint
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_bic_format" CHECK ("workspace"."bic" ~ '^([0-9]{9})?$');--> statement-breakpoint
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_correspondent_account_format" CHECK ("workspace"."correspondent_account" ~ '^([0-9]{20})?$');--> statement-breakpoint
-- Asking for a house's payment documents is history (who printed which month); the PDF itself,
-- written when the batch is done, is not.
CREATE TRIGGER "receipt_batch_history" AFTER INSERT ON "receipt_batch" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('receipt_batch');
