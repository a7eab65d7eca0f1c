CREATE TYPE "public"."ledger_kind" AS ENUM('opening', 'charge', 'payment', 'penalty', 'reversal');--> statement-breakpoint
CREATE TABLE "key_rate" (
	"workspace_id" integer NOT NULL,
	"valid_from" date NOT NULL,
	"percent" numeric(5, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_rate_workspace_id_valid_from_pk" PRIMARY KEY("workspace_id","valid_from"),
	CONSTRAINT "key_rate_percent_range" CHECK ("key_rate"."percent" > 0 AND "key_rate"."percent" < 100)
);
--> statement-breakpoint
CREATE TABLE "ledger_entry" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"house_id" integer NOT NULL,
	"apartment_id" integer NOT NULL,
	"kind" "ledger_kind" NOT NULL,
	"entry_date" date NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"period" date,
	"due_date" date,
	"invoice_id" integer,
	"reverses_id" integer,
	"source" varchar(16),
	"external_id" varchar(100),
	"payer" varchar(200),
	"comment" text,
	"reason" text,
	"import_id" integer,
	"created_by_id" integer,
	"api_key_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entry_amount_not_zero" CHECK ("ledger_entry"."amount" <> 0),
	CONSTRAINT "ledger_entry_payment_negative" CHECK ("ledger_entry"."kind" <> 'payment' OR "ledger_entry"."amount" < 0),
	CONSTRAINT "ledger_entry_reversal_names_entry" CHECK (("ledger_entry"."kind" = 'reversal') = ("ledger_entry"."reverses_id" IS NOT NULL)),
	CONSTRAINT "ledger_entry_charge_due" CHECK ("ledger_entry"."kind" <> 'charge' OR ("ledger_entry"."due_date" IS NOT NULL AND "ledger_entry"."period" IS NOT NULL)),
	CONSTRAINT "ledger_entry_period_month" CHECK ("ledger_entry"."period" IS NULL OR extract(day from "ledger_entry"."period") = 1),
	CONSTRAINT "ledger_entry_source" CHECK (("ledger_entry"."kind" = 'payment') = ("ledger_entry"."source" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "payment_import" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"file_name" varchar(255) NOT NULL,
	"content" "bytea",
	"status" varchar(16) NOT NULL,
	"encoding" varchar(16),
	"delimiter" varchar(4),
	"mapping" jsonb,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"rows_ok" integer DEFAULT 0 NOT NULL,
	"rows_error" integer DEFAULT 0 NOT NULL,
	"rows_duplicate" integer DEFAULT 0 NOT NULL,
	"failure" text,
	"created_by_id" integer,
	"api_key_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	"committed_by_id" integer
);
--> statement-breakpoint
CREATE TABLE "payment_import_row" (
	"import_id" integer NOT NULL,
	"line" integer NOT NULL,
	"status" varchar(16) NOT NULL,
	"reason" varchar(64),
	"message" text,
	"raw" text NOT NULL,
	"apartment_id" integer,
	"account_number" varchar(40),
	"paid_on" date,
	"amount" numeric(14, 2),
	"external_id" varchar(100),
	"payer" varchar(200),
	"period" date,
	CONSTRAINT "payment_import_row_import_id_line_pk" PRIMARY KEY("import_id","line")
);
--> statement-breakpoint
-- hand-written: existing apartments get their id, zero-padded, as their account number (as a new one does)
ALTER TABLE "apartment" ADD COLUMN "account_number" varchar(20);--> statement-breakpoint
ALTER TABLE "apartment" DISABLE TRIGGER USER;--> statement-breakpoint
UPDATE "apartment" SET "account_number" = lpad("id"::text, 8, '0');--> statement-breakpoint
ALTER TABLE "apartment" ENABLE TRIGGER USER;--> statement-breakpoint
ALTER TABLE "apartment" ALTER COLUMN "account_number" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "apartment" ALTER COLUMN "account_number" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "payment_due_day" smallint DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "payment_import_mapping" jsonb;--> statement-breakpoint
ALTER TABLE "key_rate" ADD CONSTRAINT "key_rate_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_apartment_id_apartment_id_fk" FOREIGN KEY ("apartment_id") REFERENCES "public"."apartment"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_reverses_id_ledger_entry_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."ledger_entry"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_import" ADD CONSTRAINT "payment_import_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_import" ADD CONSTRAINT "payment_import_created_by_id_person_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_import" ADD CONSTRAINT "payment_import_committed_by_id_person_id_fk" FOREIGN KEY ("committed_by_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_import_row" ADD CONSTRAINT "payment_import_row_import_id_payment_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."payment_import"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entry_apartment_idx" ON "ledger_entry" USING btree ("apartment_id","entry_date");--> statement-breakpoint
CREATE INDEX "ledger_entry_house_idx" ON "ledger_entry" USING btree ("house_id");--> statement-breakpoint
CREATE INDEX "ledger_entry_workspace_idx" ON "ledger_entry" USING btree ("workspace_id","kind","entry_date");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entry_reverses_unique" ON "ledger_entry" USING btree ("reverses_id") WHERE "ledger_entry"."reverses_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entry_external_id_unique" ON "ledger_entry" USING btree ("workspace_id","external_id") WHERE "ledger_entry"."kind" = 'payment' AND "ledger_entry"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_import_workspace_idx" ON "payment_import" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "apartment_account_number_idx" ON "apartment" USING btree ("account_number");--> statement-breakpoint
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_payment_due_day_range" CHECK ("workspace"."payment_due_day" BETWEEN 1 AND 28);;--> statement-breakpoint
-- ---- hand-written from here: what drizzle-kit does not generate ----
--
-- An apartment's account number (лицевой счёт): a new apartment without one gets its id,
-- zero-padded; a number is unique within the workspace. The apartment row does not carry its
-- workspace, so a trigger checks, under a per-workspace lock so that two writers cannot both
-- take one number; it raises what a unique index would (23505 apartment_account_number_unique).
CREATE FUNCTION "kp_apartment_account"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "v_ws" integer;
BEGIN
  IF NEW."account_number" IS NULL OR btrim(NEW."account_number") = '' THEN
    NEW."account_number" := lpad(NEW."id"::text, 8, '0');
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."account_number" = OLD."account_number" AND NEW."house_id" = OLD."house_id" THEN
    RETURN NEW;
  END IF;
  SELECT h."workspace_id" INTO "v_ws" FROM "house" h WHERE h."id" = NEW."house_id";
  PERFORM pg_advisory_xact_lock(hashtext('kp.apartment_account'), coalesce("v_ws", 0));
  IF EXISTS (SELECT 1 FROM "apartment" a JOIN "house" h ON h."id" = a."house_id"
             WHERE h."workspace_id" = "v_ws" AND a."account_number" = NEW."account_number" AND a."id" <> NEW."id") THEN
    RAISE EXCEPTION USING ERRCODE = 'unique_violation', CONSTRAINT = 'apartment_account_number_unique', TABLE = 'apartment',
      MESSAGE = format('account number %s is taken in this workspace', NEW."account_number");
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "apartment_account" BEFORE INSERT OR UPDATE OF "account_number", "house_id" ON "apartment"
  FOR EACH ROW EXECUTE FUNCTION "kp_apartment_account"();--> statement-breakpoint
--
-- The account is append-only: an entry is never changed or removed (a mistake is reversed by a
-- new entry). Only a workspace's deletion takes its entries (the cascade, trigger depth > 1).
CREATE FUNCTION "kp_ledger_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'KP002', MESSAGE = 'account entries are never changed or removed: reverse one instead';
END $$;
--> statement-breakpoint
CREATE TRIGGER "ledger_entry_append_only" BEFORE UPDATE OR DELETE ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION "kp_ledger_append_only"();--> statement-breakpoint
CREATE TRIGGER "ledger_entry_no_truncate" BEFORE TRUNCATE ON "ledger_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "kp_ledger_append_only"();--> statement-breakpoint
--
-- History (drizzle/0015_roles-history.sql): an entry written by hand or through the API is one
-- history entry; the entries of a bank file's import are one entry of the import itself (its
-- status becoming committed, with the counts), so a 100,000-line file does not write 100,000.
-- The function gains the apartment of rows that name one (ledger entries).
CREATE OR REPLACE FUNCTION "kp_history_record"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "v_entity" text := TG_ARGV[0];
  "v_skip" text[] := CASE WHEN TG_NARGS > 1 THEN string_to_array(TG_ARGV[1], ',') ELSE '{}'::text[] END;
  "v_actor" jsonb := nullif(current_setting('kp.actor', true), '')::jsonb;
  "v_before" jsonb;
  "v_after" jsonb;
  "v_row" jsonb;
  "v_ws" integer;
  "v_house" integer;
  "v_apt" integer;
  "v_id" text;
  "v_col" text;
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  IF TG_OP <> 'INSERT' THEN "v_before" := to_jsonb(OLD) - "v_skip"; END IF;
  IF TG_OP <> 'DELETE' THEN "v_after" := to_jsonb(NEW) - "v_skip"; END IF;
  FOR "v_col" IN
    SELECT a."attname" FROM "pg_attribute" a
    WHERE a."attrelid" = TG_RELID AND a."attnum" > 0 AND NOT a."attisdropped" AND a."atttypid" = 'numeric'::regtype
  LOOP
    IF jsonb_typeof("v_before"->"v_col") = 'number' THEN
      "v_before" := jsonb_set("v_before", ARRAY["v_col"], to_jsonb("v_before"->>"v_col"));
    END IF;
    IF jsonb_typeof("v_after"->"v_col") = 'number' THEN
      "v_after" := jsonb_set("v_after", ARRAY["v_col"], to_jsonb("v_after"->>"v_col"));
    END IF;
  END LOOP;
  IF TG_OP = 'UPDATE' AND "v_before" = "v_after" THEN
    RETURN NULL;
  END IF;
  "v_row" := coalesce("v_after", "v_before");
  "v_id" := "v_row"->>'id';
  CASE "v_entity"
    WHEN 'workspace' THEN
      "v_ws" := ("v_row"->>'id')::integer;
    WHEN 'member' THEN
      "v_ws" := ("v_row"->>'workspace_id')::integer;
      "v_id" := "v_row"->>'person_id';
    WHEN 'house' THEN
      "v_ws" := ("v_row"->>'workspace_id')::integer;
      "v_house" := ("v_row"->>'id')::integer;
    WHEN 'apartment' THEN
      "v_house" := ("v_row"->>'house_id')::integer;
      "v_apt" := ("v_row"->>'id')::integer;
      SELECT h."workspace_id" INTO "v_ws" FROM "house" h WHERE h."id" = "v_house";
    WHEN 'meter' THEN
      "v_ws" := ("v_row"->>'workspace_id')::integer;
      "v_apt" := ("v_row"->>'apartment_id')::integer;
      SELECT a."house_id" INTO "v_house" FROM "apartment" a WHERE a."id" = "v_apt";
    WHEN 'reading' THEN
      SELECT m."workspace_id", m."apartment_id", a."house_id" INTO "v_ws", "v_apt", "v_house"
      FROM "meter" m JOIN "apartment" a ON a."id" = m."apartment_id" WHERE m."id" = ("v_row"->>'meter_id')::integer;
    WHEN 'service_house_off' THEN
      "v_house" := ("v_row"->>'house_id')::integer;
      "v_id" := ("v_row"->>'service_id') || ':' || ("v_row"->>'house_id');
      SELECT h."workspace_id" INTO "v_ws" FROM "house" h WHERE h."id" = "v_house";
    WHEN 'month' THEN
      "v_house" := ("v_row"->>'house_id')::integer;
      "v_id" := ("v_row"->>'house_id') || ':' || to_char(("v_row"->>'period')::date, 'YYYY-MM');
      SELECT h."workspace_id" INTO "v_ws" FROM "house" h WHERE h."id" = "v_house";
    WHEN 'key_rate' THEN
      "v_ws" := ("v_row"->>'workspace_id')::integer;
      "v_id" := "v_row"->>'valid_from';
    ELSE
      -- api_key, service, tariff, normative, billing_run, ledger, payment_import: the row names
      -- its workspace (and house, apartment)
      "v_ws" := ("v_row"->>'workspace_id')::integer;
      "v_house" := ("v_row"->>'house_id')::integer;
      "v_apt" := ("v_row"->>'apartment_id')::integer;
  END CASE;
  INSERT INTO "history" ("workspace_id", "house_id", "apartment_id", "person_id", "api_key_id", "operation", "request_id",
                         "entity", "entity_id", "action", "before", "after")
  VALUES ("v_ws", "v_house", "v_apt", ("v_actor"->>'person_id')::integer, ("v_actor"->>'api_key_id')::integer,
          "v_actor"->>'operation', "v_actor"->>'request_id', "v_entity", "v_id", lower(TG_OP)::"history_action",
          "v_before", "v_after");
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "ledger_entry_history" AFTER INSERT ON "ledger_entry" FOR EACH ROW
  WHEN (NEW."import_id" IS NULL) EXECUTE FUNCTION "kp_history_record"('ledger');--> statement-breakpoint
-- an import is recorded when it is committed (or discarded), not while it is parsed
CREATE TRIGGER "payment_import_history" AFTER UPDATE OF "status" ON "payment_import" FOR EACH ROW
  WHEN (NEW."status" IN ('committed', 'discarded') AND OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "kp_history_record"('payment_import');--> statement-breakpoint
--
-- The key rate of the Bank of Russia (ЖК РФ ст. 155 ч. 14: penalties are counted from it), as
-- published at https://www.cbr.ru/hd_base/KeyRate/ and in the Bank's press releases on its
-- decisions, from the rate in force on 1 January 2022 to the decision of 24 October 2025 (the
-- last one this seed knows; a workspace adds later ones through PUT /api/workspaces/:id/key-rates/:valid_from). The cap
-- the Government set (Постановление Правительства РФ от 26.03.2022 № 474, as amended: min(key
-- rate, 9.5 %) from 28.02.2022 to 31.12.2026) is applied where the rate is used
-- (lib/ledger/penalties.ts), not written into the table: the table is what the Bank published.
CREATE FUNCTION "kp_seed_key_rates"("p_workspace" integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "key_rate" ("workspace_id", "valid_from", "percent")
  SELECT "p_workspace", v."valid_from"::date, v."percent"::numeric
  FROM (VALUES
    ('2021-12-20', '8.50'), ('2022-02-14', '9.50'), ('2022-02-28', '20.00'), ('2022-04-11', '17.00'),
    ('2022-05-04', '14.00'), ('2022-05-27', '11.00'), ('2022-06-14', '9.50'), ('2022-07-25', '8.00'),
    ('2022-09-19', '7.50'), ('2023-07-24', '8.50'), ('2023-08-15', '12.00'), ('2023-09-18', '13.00'),
    ('2023-10-30', '15.00'), ('2023-12-18', '16.00'), ('2024-07-29', '18.00'), ('2024-09-16', '19.00'),
    ('2024-10-28', '21.00'), ('2025-06-09', '20.00'), ('2025-07-28', '18.00'), ('2025-09-15', '17.00'),
    ('2025-10-27', '16.50')
  ) AS v("valid_from", "percent")
  ON CONFLICT DO NOTHING
$$;
--> statement-breakpoint
CREATE FUNCTION "kp_workspace_key_rates"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "kp_seed_key_rates"(NEW."id");
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "workspace_key_rates" AFTER INSERT ON "workspace" FOR EACH ROW EXECUTE FUNCTION "kp_workspace_key_rates"();--> statement-breakpoint
SELECT "kp_seed_key_rates"("id") FROM "workspace";;--> statement-breakpoint
-- a workspace's key rates changed through the API are history; the seed a new workspace gets
-- (inserted from the workspace's trigger, depth 1) is not: the workspace's own entry stands for it
CREATE TRIGGER "key_rate_history" AFTER INSERT OR UPDATE ON "key_rate" FOR EACH ROW
  WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION "kp_history_record"('key_rate');--> statement-breakpoint
CREATE TRIGGER "key_rate_history_delete" BEFORE DELETE ON "key_rate" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('key_rate');