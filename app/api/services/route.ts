import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createService, listServices } from "@/lib/registry/services";

// GET /api/services – the services of the caller's workspaces
export const GET = route(operations.listServices, async ({ db, scope }) => json(await listServices(db, scope)));

// POST /api/services – a new service (inactive until its first price, unless active: true)
export const POST = route(operations.createService, async ({ db, scope, body }) => json(await createService(db, scope, body), 201));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
