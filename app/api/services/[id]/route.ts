import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { deleteService, getService, updateService } from "@/lib/registry/services";

// GET /api/services/:id – one service
export const GET = route(operations.getService, async ({ db, scope, params }) => json(await getService(db, scope, params.id)));

// PATCH /api/services/:id – rename, re-base (not once billed), switch on or off, per house
export const PATCH = route(operations.updateService, async ({ db, scope, params, body }) =>
  json(await updateService(db, scope, params.id, body)),
);

// DELETE /api/services/:id – remove the service and its prices; 409 once billed
export const DELETE = route(operations.deleteService, async ({ db, scope, params }) => {
  await deleteService(db, scope, params.id);
  return noContent();
});

export const { POST, PUT, OPTIONS } = otherMethods(GET, PATCH, DELETE);
