import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { removeResident, updateResident } from "@/lib/residents/residents";

// PATCH /api/apartments/:id/residents/:resident_id – change a resident's kind or name
export const PATCH = route(operations.updateResident, async ({ db, scope, params, body }) =>
  json(await updateResident(db, scope, { apartmentId: params.id, residentId: params.resident_id }, body)),
);

// DELETE /api/apartments/:id/residents/:resident_id – remove the phone from the apartment
export const DELETE = route(operations.removeResident, async ({ db, scope, params }) => {
  await removeResident(db, scope, { apartmentId: params.id, residentId: params.resident_id });
  return noContent();
});

export const { GET, HEAD, POST, PUT, OPTIONS } = otherMethods(PATCH, DELETE);
