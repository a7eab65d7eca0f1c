import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { addResident, listResidents } from "@/lib/residents/residents";

// GET /api/apartments/:id/residents – the phones that may send the apartment's readings
export const GET = route(operations.listResidents, async ({ db, scope, params }) => json(await listResidents(db, scope, params.id)));

// POST /api/apartments/:id/residents – add a resident's phone (409 when the apartment has it)
export const POST = route(operations.addResident, async ({ db, scope, params, body }) =>
  json(await addResident(db, scope, params.id, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
