import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createApartment } from "@/lib/registry/apartments";

// POST /api/houses/:id/apartments – add an apartment to the house
export const POST = route(operations.createApartment, async ({ db, scope, params, body }) =>
  json(await createApartment(db, scope, params.id, body), 201),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
