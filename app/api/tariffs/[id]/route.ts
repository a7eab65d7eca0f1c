import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { deleteTariff, updateTariff } from "@/lib/registry/tariffs";

// PATCH /api/tariffs/:id – correct a price not yet billed; 409 once billed
export const PATCH = route(operations.updateTariff, async ({ db, scope, params, body }) =>
  json(await updateTariff(db, scope, params.id, body)),
);

// DELETE /api/tariffs/:id – delete a price not yet billed; 409 once billed
export const DELETE = route(operations.deleteTariff, async ({ db, scope, params }) => {
  await deleteTariff(db, scope, params.id);
  return noContent();
});

export const { GET, POST, PUT, HEAD, OPTIONS } = otherMethods(PATCH, DELETE);
