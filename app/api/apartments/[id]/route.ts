import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { deleteApartment, getApartment, updateApartment } from "@/lib/registry/apartments";

// GET /api/apartments/:id – the apartment with its meters and their last 12 readings
export const GET = route(operations.getApartment, async ({ db, scope, params }) => json(await getApartment(db, scope, params.id)));

// PATCH /api/apartments/:id – change number and/or area
export const PATCH = route(operations.updateApartment, async ({ db, scope, params, body }) =>
  json(await updateApartment(db, scope, params.id, body)),
);

// DELETE /api/apartments/:id – remove the apartment with its meters and readings; 409 once billed
export const DELETE = route(operations.deleteApartment, async ({ db, scope, params }) => {
  await deleteApartment(db, scope, params.id);
  return noContent();
});

export const { POST, PUT, OPTIONS } = otherMethods(GET, PATCH, DELETE);
