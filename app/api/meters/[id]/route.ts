import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { deleteMeter, getMeter, updateMeter } from "@/lib/registry/meters";

// GET /api/meters/:id – the meter with its last reading
export const GET = route(operations.getMeter, async ({ db, scope, params }) => json(await getMeter(db, scope, params.id)));

// PATCH /api/meters/:id – change serial number, installation date, or service (only without readings)
export const PATCH = route(operations.updateMeter, async ({ db, scope, params, body }) =>
  json(await updateMeter(db, scope, params.id, body)),
);

// DELETE /api/meters/:id – remove the meter and its readings; 409 once its readings were billed
export const DELETE = route(operations.deleteMeter, async ({ db, scope, params }) => {
  await deleteMeter(db, scope, params.id);
  return noContent();
});

export const { POST, PUT, OPTIONS } = otherMethods(GET, PATCH, DELETE);
