import { json, route } from "@/lib/api/route";
import { createApartment } from "@/lib/registry/apartments";
import { createApartmentBody, idParams } from "@/lib/schemas/registry";

// POST /api/houses/:id/apartments – add an apartment to the house
export const POST = route({ params: idParams, body: createApartmentBody }, async ({ db, scope, params, body }) =>
  json(await createApartment(db, scope, params.id, body), 201),
);
