import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listKeyRates } from "@/lib/registry/billing-settings";

// GET /api/workspaces/:id/key-rates – the key rates, oldest first, with the rate penalties use
export const GET = route(operations.listKeyRates, async ({ db, scope, params }) => json(await listKeyRates(db, scope, params.id)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
