-- "Is this service billed?" (the services catalogue, a service's delete trigger) read every
-- invoice line when the service had none: no index led with service_id, and a correlated EXISTS
-- is planned as a scan anyway (db/queries/fragments.ts hasLines). One index on (service_id,
-- tariff_id) answers it and "is this price billed?" (asked with the tariff's service), and
-- replaces the tariff's own index, so that billing writes as many index entries as before.
CREATE INDEX "invoice_line_service_tariff_idx" ON "invoice_line" USING btree ("service_id","tariff_id");--> statement-breakpoint
DROP INDEX "invoice_line_tariff_idx";
--> statement-breakpoint
-- The service's delete trigger (0019) asks the same with a seek in the index (db/queries/fragments.ts hasLines says why).
CREATE OR REPLACE FUNCTION "kp_service_delete_restrict"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT "tariff_id" FROM "invoice_line" WHERE "service_id" = OLD."id" ORDER BY "tariff_id" LIMIT 1) IS NOT NULL THEN
    RAISE EXCEPTION 'service % is named by invoice lines', OLD."id"
      USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_line', CONSTRAINT = 'invoice_line_service_id_service_id_fk';
  END IF;
  RETURN OLD;
END $$;
