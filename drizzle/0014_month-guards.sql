-- Closed months and out-of-date drafts, kept by the database itself so that every way of writing
-- (the API, the sheet, a file import, a script) obeys them in the same transaction as the write.
--
-- A house's month is closed (posted) when house_month has a row for it or for a later month:
-- no reading of that month or before may be written, changed or removed, no price or normative
-- in force from that month or before may be added, changed or removed, and a posted invoice
-- never changes. The refusal is SQLSTATE KP001 with the house and months as JSON in DETAIL;
-- lib/api/db-errors.ts turns it into 409 month_closed.
--
-- A draft invoice (posted_at null) is marked out of date, with the reason, when something it
-- was billed from changes afterwards (lib/constants.ts OUT_OF_DATE_REASONS says which). A run
-- that bills the month again clears the marks (db/queries/billing.ts).

CREATE FUNCTION "kp_refuse_closed_month"("p_house_id" integer, "p_period" date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "closed" date;
  "addr" text;
BEGIN
  SELECT max(hm."period") INTO "closed" FROM "house_month" hm WHERE hm."house_id" = "p_house_id";
  IF "closed" IS NOT NULL AND "p_period" <= "closed" THEN
    SELECT h."address" INTO "addr" FROM "house" h WHERE h."id" = "p_house_id";
    RAISE EXCEPTION 'the month % of house % (%) is closed', to_char("p_period", 'YYYY-MM'), "p_house_id", "addr"
      USING ERRCODE = 'KP001',
            DETAIL = json_build_object('house_id', "p_house_id", 'address', "addr",
                                       'month', to_char("p_period", 'YYYY-MM'), 'closed_through', to_char("closed", 'YYYY-MM'))::text;
  END IF;
END $$;
--> statement-breakpoint

-- Marks the given draft invoices out of date for a reason (once per reason).
CREATE FUNCTION "kp_mark_out_of_date"("p_ids" integer[], "p_reason" text) RETURNS void
LANGUAGE sql AS $$
  UPDATE "invoice" SET "out_of_date" = array_append("out_of_date", "p_reason")
  WHERE "id" = ANY ("p_ids") AND "posted_at" IS NULL AND NOT ("p_reason" = ANY ("out_of_date"));
$$;
--> statement-breakpoint

-- The draft invoices of a workspace (p_house_id null) or of one house, from a month on.
CREATE FUNCTION "kp_drafts_in_scope"("p_workspace_id" integer, "p_house_id" integer, "p_from" date) RETURNS integer[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(q."id"), '{}')
  FROM "invoice" q JOIN "house" h ON h."id" = q."house_id"
  WHERE h."workspace_id" = "p_workspace_id" AND ("p_house_id" IS NULL OR q."house_id" = "p_house_id")
    AND q."period" >= "p_from" AND q."posted_at" IS NULL;
$$;
--> statement-breakpoint

-- A price or normative of a workspace (p_house_id null) or of a house, in force from p_from,
-- written, changed or removed: refused when a house it applies to has posted p_from or later.
CREATE FUNCTION "kp_refuse_closed_scope"("p_workspace_id" integer, "p_house_id" integer, "p_from" date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "hit" integer;
BEGIN
  SELECT hm."house_id" INTO "hit"
  FROM "house_month" hm JOIN "house" h ON h."id" = hm."house_id"
  WHERE h."workspace_id" = "p_workspace_id" AND ("p_house_id" IS NULL OR hm."house_id" = "p_house_id") AND hm."period" >= "p_from"
  ORDER BY hm."house_id" LIMIT 1;
  IF "hit" IS NOT NULL THEN
    PERFORM "kp_refuse_closed_month"("hit", "p_from");
  END IF;
END $$;
--> statement-breakpoint

-- Readings (statement-level: a sheet or an import writes thousands at once). The same function
-- serves the inserted, updated (old and new) and deleted rows, each trigger naming its
-- transition table "changed_rows".
CREATE FUNCTION "kp_meter_reading_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "bad" record;
  "ids" integer[];
BEGIN
  IF EXISTS (SELECT 1 FROM "house_month") THEN
    SELECT a."house_id", r."period" INTO "bad"
    FROM "changed_rows" r JOIN "meter" m ON m."id" = r."meter_id" JOIN "apartment" a ON a."id" = m."apartment_id"
    WHERE r."period" <= (SELECT max(hm."period") FROM "house_month" hm WHERE hm."house_id" = a."house_id")
    ORDER BY r."period" LIMIT 1;
    IF FOUND THEN
      PERFORM "kp_refuse_closed_month"("bad"."house_id", "bad"."period");
    END IF;
  END IF;
  -- The drafts that used the reading or would now use it: its own month's; a later month's whose
  -- volume of the meter is counted from this reading or from an earlier one (the reading is or
  -- becomes its basis, or falls between the basis and that month); an estimate whose average
  -- window (the basis and the six months before it) starts at or after it; and a later month
  -- where the meter has no volume yet.
  SELECT array_agg(DISTINCT q."id") INTO "ids"
  FROM (SELECT DISTINCT r."meter_id", r."period", m."apartment_id"
        FROM "changed_rows" r JOIN "meter" m ON m."id" = r."meter_id") c
  JOIN "invoice" q ON q."apartment_id" = c."apartment_id" AND q."period" >= c."period" AND q."posted_at" IS NULL
  LEFT JOIN "meter_volume" v ON v."invoice_id" = q."id" AND v."meter_id" = c."meter_id"
  WHERE q."period" = c."period" OR v."invoice_id" IS NULL OR v."basis_period" IS NULL OR c."period" >= v."basis_period"
     OR (v."kind" IN ('average', 'normative') AND c."period" >= v."basis_period" - interval '6 months'
         AND c."period" <= coalesce(v."average_from_period", v."basis_period"));
  IF "ids" IS NOT NULL THEN
    PERFORM "kp_mark_out_of_date"("ids", 'reading');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "meter_reading_inserted" AFTER INSERT ON "meter_reading"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "kp_meter_reading_changed"();
--> statement-breakpoint
CREATE TRIGGER "meter_reading_updated_old" AFTER UPDATE ON "meter_reading"
  REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "kp_meter_reading_changed"();
--> statement-breakpoint
CREATE TRIGGER "meter_reading_updated_new" AFTER UPDATE ON "meter_reading"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "kp_meter_reading_changed"();
--> statement-breakpoint
CREATE TRIGGER "meter_reading_deleted" AFTER DELETE ON "meter_reading"
  REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "kp_meter_reading_changed"();
--> statement-breakpoint

-- An apartment's area or people registered: every draft of it.
CREATE FUNCTION "kp_apartment_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "kp_mark_out_of_date"(
    (SELECT coalesce(array_agg(q."id"), '{}') FROM "invoice" q WHERE q."apartment_id" = NEW."id" AND q."posted_at" IS NULL),
    'apartment');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "apartment_changed" AFTER UPDATE ON "apartment" FOR EACH ROW
  WHEN (OLD."area" IS DISTINCT FROM NEW."area" OR OLD."residents" IS DISTINCT FROM NEW."residents")
  EXECUTE FUNCTION "kp_apartment_changed"();
--> statement-breakpoint

-- A meter added, removed, or changed in what billing reads (its apartment, service, installation
-- or verification): every draft of its apartment(s).
CREATE FUNCTION "kp_meter_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "apartments" integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    "apartments" := ARRAY[NEW."apartment_id"];
  ELSIF TG_OP = 'DELETE' THEN
    "apartments" := ARRAY[OLD."apartment_id"];
  ELSE
    "apartments" := ARRAY[OLD."apartment_id", NEW."apartment_id"];
  END IF;
  PERFORM "kp_mark_out_of_date"(
    (SELECT coalesce(array_agg(q."id"), '{}') FROM "invoice" q WHERE q."apartment_id" = ANY ("apartments") AND q."posted_at" IS NULL),
    'meter');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "meter_added_or_removed" AFTER INSERT OR DELETE ON "meter" FOR EACH ROW
  EXECUTE FUNCTION "kp_meter_changed"();
--> statement-breakpoint
CREATE TRIGGER "meter_changed" AFTER UPDATE ON "meter" FOR EACH ROW
  WHEN (OLD."apartment_id" IS DISTINCT FROM NEW."apartment_id" OR OLD."service" IS DISTINCT FROM NEW."service"
        OR OLD."installed_on" IS DISTINCT FROM NEW."installed_on" OR OLD."verified_until" IS DISTINCT FROM NEW."verified_until")
  EXECUTE FUNCTION "kp_meter_changed"();
--> statement-breakpoint

-- Prices. A new one: refused from a closed month; every draft in its scope from its month on
-- is out of date. A changed or removed one: the same for its old and new months, the drafts
-- that bill its service.
CREATE FUNCTION "kp_tariff_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "kp_refuse_closed_scope"(OLD."workspace_id", OLD."house_id", OLD."valid_from");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM "kp_refuse_closed_scope"(NEW."workspace_id", NEW."house_id", NEW."valid_from");
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM "kp_mark_out_of_date"("kp_drafts_in_scope"(NEW."workspace_id", NEW."house_id", NEW."valid_from"), 'price');
  ELSE
    PERFORM "kp_mark_out_of_date"(
      (SELECT coalesce(array_agg(q.id), '{}') FROM unnest("kp_drafts_in_scope"(OLD."workspace_id", OLD."house_id",
                CASE WHEN TG_OP = 'UPDATE' THEN least(OLD."valid_from", NEW."valid_from") ELSE OLD."valid_from" END)) q(id)
       WHERE EXISTS (SELECT 1 FROM "invoice_line" l WHERE l."invoice_id" = q.id AND l."service_id" = OLD."service_id")),
      'price');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "tariff_changed" AFTER INSERT OR UPDATE OR DELETE ON "tariff" FOR EACH ROW
  EXECUTE FUNCTION "kp_tariff_changed"();
--> statement-breakpoint

-- Normatives: like prices; the drafts out of date are those that estimated a meter of the
-- service by the normative.
CREATE FUNCTION "kp_normative_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "row" "normative";
  "from" date;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "kp_refuse_closed_scope"(OLD."workspace_id", OLD."house_id", OLD."valid_from");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM "kp_refuse_closed_scope"(NEW."workspace_id", NEW."house_id", NEW."valid_from");
  END IF;
  IF TG_OP = 'DELETE' THEN "row" := OLD; ELSE "row" := NEW; END IF;
  "from" := CASE WHEN TG_OP = 'UPDATE' THEN least(OLD."valid_from", NEW."valid_from") ELSE "row"."valid_from" END;
  PERFORM "kp_mark_out_of_date"(
    (SELECT coalesce(array_agg(q.id), '{}') FROM unnest("kp_drafts_in_scope"("row"."workspace_id", "row"."house_id", "from")) q(id)
     WHERE EXISTS (SELECT 1 FROM "meter_volume" v JOIN "meter" m ON m."id" = v."meter_id"
                   WHERE v."invoice_id" = q.id AND v."kind" = 'normative' AND m."service" = "row"."service")),
    'normative');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "normative_changed" AFTER INSERT OR UPDATE OR DELETE ON "normative" FOR EACH ROW
  EXECUTE FUNCTION "kp_normative_changed"();
--> statement-breakpoint

-- Services: a change of basis or of being billed marks every draft of the workspace; switching
-- one off or on again for a house, every draft of that house.
CREATE FUNCTION "kp_service_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "kp_mark_out_of_date"("kp_drafts_in_scope"(NEW."workspace_id", NULL, '-infinity'), 'service');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "service_changed" AFTER UPDATE ON "service" FOR EACH ROW
  WHEN (OLD."basis" IS DISTINCT FROM NEW."basis" OR OLD."active" IS DISTINCT FROM NEW."active")
  EXECUTE FUNCTION "kp_service_changed"();
--> statement-breakpoint
CREATE FUNCTION "kp_service_house_off_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "target" integer;
BEGIN
  IF TG_OP = 'DELETE' THEN "target" := OLD."house_id"; ELSE "target" := NEW."house_id"; END IF;
  PERFORM "kp_mark_out_of_date"(
    (SELECT coalesce(array_agg(q."id"), '{}') FROM "invoice" q WHERE q."house_id" = "target" AND q."posted_at" IS NULL),
    'service');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "service_house_off_changed" AFTER INSERT OR DELETE ON "service_house_off" FOR EACH ROW
  EXECUTE FUNCTION "kp_service_house_off_changed"();
--> statement-breakpoint

-- A posted invoice never changes and is never removed (posting sets posted_at, reopening clears it).
CREATE FUNCTION "kp_invoice_final"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'invoice % of % is posted', OLD."id", to_char(OLD."period", 'YYYY-MM')
    USING ERRCODE = 'KP001',
          DETAIL = json_build_object('house_id', OLD."house_id", 'address', (SELECT h."address" FROM "house" h WHERE h."id" = OLD."house_id"),
                                     'month', to_char(OLD."period", 'YYYY-MM'), 'closed_through', to_char(OLD."period", 'YYYY-MM'))::text;
END $$;
--> statement-breakpoint
CREATE TRIGGER "invoice_final_update" BEFORE UPDATE ON "invoice" FOR EACH ROW
  WHEN (OLD."posted_at" IS NOT NULL AND NEW."posted_at" IS NOT NULL)
  EXECUTE FUNCTION "kp_invoice_final"();
--> statement-breakpoint
CREATE TRIGGER "invoice_final_delete" BEFORE DELETE ON "invoice" FOR EACH ROW
  WHEN (OLD."posted_at" IS NOT NULL)
  EXECUTE FUNCTION "kp_invoice_final"();
--> statement-breakpoint

-- A month billed again: the later drafts of the same apartments whose volumes are counted from
-- a reading before it (they true up, or continue, its estimates) are out of date. Re-billing
-- is what sets a new created_at; marking and posting do not, so this does not feed itself.
CREATE FUNCTION "kp_invoice_rebilled"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "ids" integer[];
BEGIN
  SELECT array_agg(DISTINCT q."id") INTO "ids"
  FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id" AND o."created_at" <> n."created_at"
  JOIN "invoice" q ON q."apartment_id" = n."apartment_id" AND q."period" > n."period" AND q."posted_at" IS NULL
  WHERE EXISTS (SELECT 1 FROM "meter_volume" v WHERE v."invoice_id" = q."id" AND (v."basis_period" IS NULL OR v."basis_period" < n."period"));
  IF "ids" IS NOT NULL THEN
    PERFORM "kp_mark_out_of_date"("ids", 'earlier_month');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "invoice_rebilled" AFTER UPDATE ON "invoice"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT
  EXECUTE FUNCTION "kp_invoice_rebilled"();
