-- The services catalogue for every workspace that exists: cold water, hot water and maintenance
-- stay active (what every house has been billed for), wastewater is added inactive, so that no
-- bill changes until a manager prices it (lib/constants.ts SEEDED_SERVICES).
INSERT INTO "service" ("workspace_id", "code", "name_ru", "name_en", "basis", "active")
SELECT w."id", s.code, s.name_ru, s.name_en, s.basis::"service_basis", s.active
FROM "workspace" w, (VALUES
  ('cold_water', 'Холодная вода', 'Cold water', 'meter', true),
  ('hot_water', 'Горячая вода', 'Hot water', 'meter', true),
  ('wastewater', 'Водоотведение', 'Wastewater', 'water_sum', false),
  ('maintenance', 'Содержание жилья', 'Maintenance', 'area', true)
) s(code, name_ru, name_en, basis, active)
ON CONFLICT ("workspace_id", "code") DO NOTHING;
--> statement-breakpoint
-- Tariffs, fixed run prices and invoice lines point at their workspace's service of that code.
UPDATE "tariff" t SET "service_id" = s."id"
FROM "service" s WHERE s."workspace_id" = t."workspace_id" AND s."code" = t."service"::text;
--> statement-breakpoint
UPDATE "billing_run_price" p SET "service_id" = s."id"
FROM "billing_run" r, "service" s
WHERE r."id" = p."run_id" AND s."workspace_id" = r."workspace_id" AND s."code" = p."service"::text;
--> statement-breakpoint
UPDATE "invoice_line" l SET "service_id" = s."id", "kind" = (CASE WHEN l."service" = 'maintenance' THEN 'area' ELSE 'meter' END)::"service_basis"
FROM "invoice" i, "house" h, "service" s
WHERE i."id" = l."invoice_id" AND h."id" = i."house_id" AND s."workspace_id" = h."workspace_id" AND s."code" = l."service";
--> statement-breakpoint
-- Each meter's volume on the invoices billed so far, from their lines' details, so that the next
-- month's basis is the last month billed on an actual reading. Amounts are not touched.
INSERT INTO "meter_volume" ("invoice_id", "meter_id", "period", "kind", "volume", "reading", "basis_period", "basis_reading")
SELECT l."invoice_id", (m->>'meter_id')::int, i."period",
  (CASE m->>'flag'
     WHEN 'no_previous_reading' THEN 'baseline'
     WHEN 'negative_consumption' THEN 'negative'
     WHEN 'no_current_reading' THEN 'none'
     ELSE 'actual' END)::"meter_volume_kind",
  (m->>'consumption')::numeric, (m->'current'->>'value')::numeric,
  ((m->'previous'->>'period') || '-01')::date, (m->'previous'->>'value')::numeric
FROM "invoice_line" l
JOIN "invoice" i ON i."id" = l."invoice_id"
CROSS JOIN LATERAL jsonb_array_elements(l."details"->'meters') m
WHERE l."details" ? 'meters' AND EXISTS (SELECT 1 FROM "meter" WHERE "meter"."id" = (m->>'meter_id')::int)
ON CONFLICT DO NOTHING;
