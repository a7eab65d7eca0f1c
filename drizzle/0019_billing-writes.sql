-- Issue 13: billing writes an invoice, 4 lines and 2 meter volumes an apartment; the foreign
-- keys of the lines and volumes, checked row by row (an index probe and a row lock each), were a
-- third of a chunk's time (100,000 apartments on a quiet machine: 5,169 → 7,660 apartments/s
-- without them). Those four go; what they guaranteed is kept:
-- - ON DELETE CASCADE from invoice and meter: the statement triggers below delete the rows;
-- - ON DELETE RESTRICT from service: a trigger refuses to delete a service a line names, with
--   the error the foreign key gave (23503, table invoice_line: lib/api/db-errors.ts);
-- - no row without its parent: the only writer is the chunk statement (db/queries/billing.ts),
--   which writes lines and volumes for the invoices it has just written, of the services it has
--   locked FOR KEY SHARE and of the meters it read after taking its houses' shared lock, which
--   deleting a meter takes exclusively (lib/registry/meters.ts).
-- The invoice's own keys (apartment, run) stay: one row an apartment.
ALTER TABLE "invoice_line" DROP CONSTRAINT "invoice_line_invoice_id_invoice_id_fk";
--> statement-breakpoint
ALTER TABLE "invoice_line" DROP CONSTRAINT "invoice_line_service_id_service_id_fk";
--> statement-breakpoint
ALTER TABLE "meter_volume" DROP CONSTRAINT "meter_volume_invoice_id_invoice_id_fk";
--> statement-breakpoint
ALTER TABLE "meter_volume" DROP CONSTRAINT "meter_volume_meter_id_meter_id_fk";
--> statement-breakpoint

-- What ON DELETE CASCADE did: an invoice's lines and meter volumes, a meter's volumes.
CREATE FUNCTION "kp_invoice_deleted"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "invoice_line" WHERE "invoice_id" IN (SELECT "id" FROM "gone");
  DELETE FROM "meter_volume" WHERE "invoice_id" IN (SELECT "id" FROM "gone");
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "invoice_deleted" AFTER DELETE ON "invoice"
  REFERENCING OLD TABLE AS "gone" FOR EACH STATEMENT
  EXECUTE FUNCTION "kp_invoice_deleted"();
--> statement-breakpoint
CREATE FUNCTION "kp_meter_deleted"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "meter_volume" WHERE "meter_id" IN (SELECT "id" FROM "gone");
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "meter_deleted" AFTER DELETE ON "meter"
  REFERENCING OLD TABLE AS "gone" FOR EACH STATEMENT
  EXECUTE FUNCTION "kp_meter_deleted"();
--> statement-breakpoint

-- What ON DELETE RESTRICT did: a service named by an invoice line stays.
CREATE FUNCTION "kp_service_delete_restrict"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "invoice_line" WHERE "service_id" = OLD."id") THEN
    RAISE EXCEPTION 'service % is named by invoice lines', OLD."id"
      USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_line', CONSTRAINT = 'invoice_line_service_id_service_id_fk';
  END IF;
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER "service_delete_restrict" BEFORE DELETE ON "service" FOR EACH ROW
  EXECUTE FUNCTION "kp_service_delete_restrict"();
