-- Sign-in replaces the single default workspace. An empty one (every new database) is removed;
-- one that already holds a register (a development database) is handed to the demo person,
-- +7 900 000-00-00, who can sign in with a code like anyone else.
DELETE FROM "workspace" w
WHERE w."slug" = 'default'
  AND NOT EXISTS (SELECT 1 FROM "house" h WHERE h."workspace_id" = w."id")
  AND NOT EXISTS (SELECT 1 FROM "tariff" t WHERE t."workspace_id" = w."id");
--> statement-breakpoint
INSERT INTO "person" ("phone", "invite_code", "personal_workspace_id")
SELECT '+79000000000', 'DEMA23', w."id" FROM "workspace" w WHERE w."slug" = 'default'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "workspace_member" ("workspace_id", "person_id", "role")
SELECT w."id", p."id", 'owner' FROM "workspace" w JOIN "person" p ON p."phone" = '+79000000000'
WHERE w."slug" = 'default'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE "workspace" SET "slug" = NULL, "name" = 'Demo management company' WHERE "slug" = 'default';
