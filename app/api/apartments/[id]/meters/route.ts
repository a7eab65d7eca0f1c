import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createMeter } from "@/lib/registry/meters";

// POST /api/apartments/:id/meters – install a meter in the apartment
export const POST = route(operations.createMeter, async ({ db, scope, params, body }) =>
  json(await createMeter(db, scope, params.id, body), 201),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
