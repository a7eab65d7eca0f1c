-- Until sign-in exists every request acts in this workspace (see lib/auth/scope.ts).
INSERT INTO "workspace" ("slug", "name") VALUES ('default', 'Default workspace') ON CONFLICT ("slug") DO NOTHING;
