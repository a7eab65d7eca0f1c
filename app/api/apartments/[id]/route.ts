import { json, noContent, route } from "@/lib/api/route";
import { deleteApartment, getApartment, updateApartment } from "@/lib/registry/apartments";
import { idParams, updateApartmentBody } from "@/lib/schemas/registry";

// GET /api/apartments/:id – the apartment with its meters and their last 12 readings
export const GET = route({ params: idParams }, async ({ db, scope, params }) => json(await getApartment(db, scope, params.id)));

// PATCH /api/apartments/:id – change number and/or area
export const PATCH = route({ params: idParams, body: updateApartmentBody }, async ({ db, scope, params, body }) =>
  json(await updateApartment(db, scope, params.id, body)),
);

// DELETE /api/apartments/:id – remove the apartment with its meters and readings; 409 once billed
export const DELETE = route({ params: idParams }, async ({ db, scope, params }) => {
  await deleteApartment(db, scope, params.id);
  return noContent();
});
