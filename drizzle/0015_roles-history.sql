CREATE TYPE "public"."history_action" AS ENUM('insert', 'update', 'delete');--> statement-breakpoint
CREATE TYPE "public"."member_status" AS ENUM('pending', 'active', 'declined');--> statement-breakpoint
CREATE TABLE "history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"workspace_id" integer NOT NULL,
	"house_id" integer,
	"apartment_id" integer,
	"person_id" integer,
	"api_key_id" integer,
	"operation" varchar(64),
	"request_id" varchar(100),
	"entity" varchar(32) NOT NULL,
	"entity_id" varchar(64) NOT NULL,
	"action" "history_action" NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
-- Roles (issue 15). Generated as drop-and-recreate of the enum, which would fail on the stored
-- 'member' values; hand-written instead: today's members become accountants, keeping what they
-- could do, and existing API keys too (the column's default).
ALTER TYPE "public"."member_role" RENAME VALUE 'member' TO 'accountant';--> statement-breakpoint
ALTER TYPE "public"."member_role" ADD VALUE 'operator';--> statement-breakpoint
ALTER TYPE "public"."member_role" ADD VALUE 'viewer';--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "role" "member_role" DEFAULT 'accountant' NOT NULL;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "user_agent" varchar(300);--> statement-breakpoint
ALTER TABLE "workspace_member" ADD COLUMN "status" "member_status" DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace_member" ADD COLUMN "decided_by_id" integer;--> statement-breakpoint
ALTER TABLE "workspace_member" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "history_workspace_idx" ON "history" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "history_apartment_idx" ON "history" USING btree ("apartment_id","id");--> statement-breakpoint
CREATE INDEX "history_house_idx" ON "history" USING btree ("house_id","id");--> statement-breakpoint
CREATE INDEX "history_entity_idx" ON "history" USING btree ("entity","entity_id");--> statement-breakpoint
ALTER TABLE "workspace_member" ADD CONSTRAINT "workspace_member_decided_by_id_person_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- The history (issue 15): one trigger function records every recorded table's row changes.
-- Who: the transaction's kp.actor, which the API's route wrapper sets (lib/api/route.ts) as
-- {"person_id", "api_key_id", "operation", "request_id"}; unset means the system (seed, scripts).
-- TG_ARGV[0] is the entity's name, TG_ARGV[1] the columns left out of the record and of the
-- "did anything change" comparison (a reading's updated_at, an API key's last use and hash).
-- A row deleted by a cascade is the consequence of its holder's deletion, which has its own
-- entry: so one deletion is one entry. Deletions are recorded BEFORE the row goes, because only
-- then does a cascade show (trigger depth > 1: the foreign key's trigger runs the cascaded
-- DELETE, whose BEFORE triggers fire inside it; its AFTER triggers wait for the end of the
-- outer statement, at depth 1) and the row's holders still exist to say where it was.
CREATE FUNCTION "kp_history_record"() RETURNS trigger
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
  -- numeric columns (areas, meter values, prices, normatives, totals) as their exact decimal
  -- strings ("13.000"): to_jsonb makes them JSON numbers, which a JSON client reads as floats.
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
    ELSE
      -- api_key, service, tariff, normative, billing_run: the row names its workspace (and house)
      "v_ws" := ("v_row"->>'workspace_id')::integer;
      "v_house" := ("v_row"->>'house_id')::integer;
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
CREATE TRIGGER "workspace_history" AFTER INSERT OR UPDATE ON "workspace" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('workspace');--> statement-breakpoint
CREATE TRIGGER "workspace_history_delete" BEFORE DELETE ON "workspace" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('workspace');--> statement-breakpoint
CREATE TRIGGER "workspace_member_history" AFTER INSERT OR UPDATE ON "workspace_member" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('member');--> statement-breakpoint
CREATE TRIGGER "workspace_member_history_delete" BEFORE DELETE ON "workspace_member" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('member');--> statement-breakpoint
CREATE TRIGGER "api_key_history" AFTER INSERT OR UPDATE ON "api_key" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('api_key', 'key_hash,last_used_at');--> statement-breakpoint
CREATE TRIGGER "api_key_history_delete" BEFORE DELETE ON "api_key" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('api_key', 'key_hash,last_used_at');--> statement-breakpoint
CREATE TRIGGER "house_history" AFTER INSERT OR UPDATE ON "house" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('house');--> statement-breakpoint
CREATE TRIGGER "house_history_delete" BEFORE DELETE ON "house" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('house');--> statement-breakpoint
CREATE TRIGGER "apartment_history" AFTER INSERT OR UPDATE ON "apartment" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('apartment');--> statement-breakpoint
CREATE TRIGGER "apartment_history_delete" BEFORE DELETE ON "apartment" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('apartment');--> statement-breakpoint
CREATE TRIGGER "meter_history" AFTER INSERT OR UPDATE ON "meter" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('meter');--> statement-breakpoint
CREATE TRIGGER "meter_history_delete" BEFORE DELETE ON "meter" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('meter');--> statement-breakpoint
CREATE TRIGGER "meter_reading_history" AFTER INSERT OR UPDATE ON "meter_reading" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('reading', 'updated_at');--> statement-breakpoint
CREATE TRIGGER "meter_reading_history_delete" BEFORE DELETE ON "meter_reading" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('reading', 'updated_at');--> statement-breakpoint
CREATE TRIGGER "service_history" AFTER INSERT OR UPDATE ON "service" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('service');--> statement-breakpoint
CREATE TRIGGER "service_history_delete" BEFORE DELETE ON "service" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('service');--> statement-breakpoint
CREATE TRIGGER "service_house_off_history" AFTER INSERT OR UPDATE ON "service_house_off" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('service_house_off');--> statement-breakpoint
CREATE TRIGGER "service_house_off_history_delete" BEFORE DELETE ON "service_house_off" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('service_house_off');--> statement-breakpoint
CREATE TRIGGER "tariff_history" AFTER INSERT OR UPDATE ON "tariff" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('tariff');--> statement-breakpoint
CREATE TRIGGER "tariff_history_delete" BEFORE DELETE ON "tariff" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('tariff');--> statement-breakpoint
CREATE TRIGGER "normative_history" AFTER INSERT OR UPDATE ON "normative" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('normative');--> statement-breakpoint
CREATE TRIGGER "normative_history_delete" BEFORE DELETE ON "normative" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('normative');--> statement-breakpoint
-- A run is recorded when it is asked for; its progress is the worker's, not a change anyone made.
CREATE TRIGGER "billing_run_history" AFTER INSERT ON "billing_run" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('billing_run');--> statement-breakpoint
-- Posting inserts the month's row, reopening deletes it (house_month_event keeps the reopening's reason).
CREATE TRIGGER "house_month_history" AFTER INSERT ON "house_month" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('month');--> statement-breakpoint
CREATE TRIGGER "house_month_history_delete" BEFORE DELETE ON "house_month" FOR EACH ROW EXECUTE FUNCTION "kp_history_record"('month');--> statement-breakpoint
CREATE FUNCTION "kp_history_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the history is append-only: % is refused', TG_OP USING ERRCODE = 'KP002';
END $$;
--> statement-breakpoint
CREATE TRIGGER "history_append_only" BEFORE UPDATE OR DELETE ON "history" FOR EACH ROW EXECUTE FUNCTION "kp_history_append_only"();--> statement-breakpoint
CREATE TRIGGER "history_no_truncate" BEFORE TRUNCATE ON "history" FOR EACH STATEMENT EXECUTE FUNCTION "kp_history_append_only"();
