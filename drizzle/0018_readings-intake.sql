CREATE TABLE "apartment_resident" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"apartment_id" integer NOT NULL,
	"phone" varchar(16) NOT NULL,
	"kind" varchar(8) NOT NULL,
	"name" varchar(200) DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apartment_resident_apartment_phone_unique" UNIQUE("apartment_id","phone"),
	CONSTRAINT "apartment_resident_kind" CHECK ("apartment_resident"."kind" in ('owner', 'tenant'))
);
--> statement-breakpoint
CREATE TABLE "reading_import" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"file_name" varchar(255) NOT NULL,
	"content" "bytea",
	"format" varchar(8) NOT NULL,
	"status" varchar(16) NOT NULL,
	"encoding" varchar(16),
	"delimiter" varchar(4),
	"period" date,
	"mapping" jsonb,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"rows_ok" integer DEFAULT 0 NOT NULL,
	"rows_warning" integer DEFAULT 0 NOT NULL,
	"rows_error" integer DEFAULT 0 NOT NULL,
	"failure" text,
	"created_by_id" integer,
	"api_key_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	"committed_by_id" integer,
	CONSTRAINT "reading_import_period_month" CHECK (extract(day from "reading_import"."period") = 1)
);
--> statement-breakpoint
CREATE TABLE "reading_import_row" (
	"import_id" integer NOT NULL,
	"line" integer NOT NULL,
	"status" varchar(16) NOT NULL,
	"reason" varchar(64),
	"params" jsonb,
	"message" text,
	"raw" text NOT NULL,
	"meter_id" integer,
	"apartment_id" integer,
	"period" date,
	"value" numeric(12, 3),
	"replaces_value" numeric(12, 3),
	CONSTRAINT "reading_import_row_import_id_line_pk" PRIMARY KEY("import_id","line")
);
--> statement-breakpoint
ALTER TABLE "meter_reading" ADD COLUMN "source" varchar(16) DEFAULT 'manager' NOT NULL;--> statement-breakpoint
ALTER TABLE "meter_reading" ADD COLUMN "sent_by_person_id" integer;--> statement-breakpoint
ALTER TABLE "meter_reading" ADD COLUMN "sent_by_api_key_id" integer;--> statement-breakpoint
ALTER TABLE "meter_reading" ADD COLUMN "import_id" integer;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "reading_window_from" smallint DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "reading_window_to" smallint DEFAULT 25 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "reading_import_mapping" jsonb;--> statement-breakpoint
ALTER TABLE "apartment_resident" ADD CONSTRAINT "apartment_resident_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apartment_resident" ADD CONSTRAINT "apartment_resident_apartment_id_apartment_id_fk" FOREIGN KEY ("apartment_id") REFERENCES "public"."apartment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reading_import" ADD CONSTRAINT "reading_import_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reading_import" ADD CONSTRAINT "reading_import_created_by_id_person_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reading_import" ADD CONSTRAINT "reading_import_committed_by_id_person_id_fk" FOREIGN KEY ("committed_by_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reading_import_row" ADD CONSTRAINT "reading_import_row_import_id_reading_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."reading_import"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "apartment_resident_phone_idx" ON "apartment_resident" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "reading_import_workspace_idx" ON "reading_import" USING btree ("workspace_id","id");--> statement-breakpoint
ALTER TABLE "meter_reading" ADD CONSTRAINT "meter_reading_sent_by_person_id_person_id_fk" FOREIGN KEY ("sent_by_person_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_reading" ADD CONSTRAINT "meter_reading_sent_by_api_key_id_api_key_id_fk" FOREIGN KEY ("sent_by_api_key_id") REFERENCES "public"."api_key"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_reading" ADD CONSTRAINT "meter_reading_import_id_reading_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."reading_import"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_reading" ADD CONSTRAINT "meter_reading_source" CHECK ("meter_reading"."source" in ('manager', 'resident', 'import', 'api'));--> statement-breakpoint
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_reading_window" CHECK (1 <= "workspace"."reading_window_from" and "workspace"."reading_window_from" <= "workspace"."reading_window_to" and "workspace"."reading_window_to" <= 31);--> statement-breakpoint
-- hand-written: a resident row's workspace is its apartment's (whatever the writer said)
CREATE FUNCTION "kp_resident_workspace"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT h."workspace_id" INTO NEW."workspace_id"
  FROM "apartment" a JOIN "house" h ON h."id" = a."house_id" WHERE a."id" = NEW."apartment_id";
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "apartment_resident_workspace" BEFORE INSERT OR UPDATE OF "apartment_id", "workspace_id" ON "apartment_resident"
  FOR EACH ROW EXECUTE FUNCTION "kp_resident_workspace"();--> statement-breakpoint
CREATE TRIGGER "apartment_resident_history" AFTER INSERT OR UPDATE ON "apartment_resident" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('resident');--> statement-breakpoint
CREATE TRIGGER "apartment_resident_history_delete" BEFORE DELETE ON "apartment_resident" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('resident');--> statement-breakpoint
-- A file's readings are recorded as their import (committed, with its rows: each row keeps the
-- value it replaced), not as one history entry per reading: a file may hold 100,000 of them.
-- A later change of an imported reading by anyone else is recorded as usual.
DROP TRIGGER "meter_reading_history" ON "meter_reading";--> statement-breakpoint
CREATE TRIGGER "meter_reading_history" AFTER INSERT OR UPDATE ON "meter_reading" FOR EACH ROW
  WHEN (NEW."source" <> 'import') EXECUTE FUNCTION "kp_history_record"('reading', 'updated_at');--> statement-breakpoint
CREATE TRIGGER "reading_import_history" AFTER UPDATE OF "status" ON "reading_import" FOR EACH ROW
  WHEN (NEW."status" IN ('committed', 'discarded') AND OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "kp_history_record"('reading_import', 'content');
--> statement-breakpoint
-- The payment import's entry kept the file itself (to_jsonb of its bytes, as hex) in "before":
-- up to 40 MB of history per import. Its file is left out, as the readings import's is.
DROP TRIGGER "payment_import_history" ON "payment_import";--> statement-breakpoint
CREATE TRIGGER "payment_import_history" AFTER UPDATE OF "status" ON "payment_import" FOR EACH ROW
  WHEN (NEW."status" IN ('committed', 'discarded') AND OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "kp_history_record"('payment_import', 'content');
