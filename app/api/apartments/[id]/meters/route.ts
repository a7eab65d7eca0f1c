import { json, route } from "@/lib/api/route";
import { createMeter } from "@/lib/registry/meters";
import { createMeterBody, idParams } from "@/lib/schemas/registry";

// POST /api/apartments/:id/meters – install a meter in the apartment
export const POST = route({ params: idParams, body: createMeterBody }, async ({ db, scope, params, body }) =>
  json(await createMeter(db, scope, params.id, body), 201),
);
