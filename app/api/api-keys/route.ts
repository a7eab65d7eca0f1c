import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";

// GET /api/api-keys – keys of your workspaces (never the keys themselves)
export const GET = route(operations.listApiKeys, async ({ db, scope }) => json(await listApiKeys(db, scope)));

// POST /api/api-keys – a key for one of your workspaces, with a role; the key is in this response only
export const POST = route(operations.createApiKey, async ({ db, scope, actor, body }) =>
  json(await createApiKey(db, { scope, personId: actor.personId, name: body.name, workspaceId: body.workspace_id, role: body.role }), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
