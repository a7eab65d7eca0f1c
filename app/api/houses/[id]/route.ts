import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { deleteHouse, getHouseDetail, updateHouse } from "@/lib/registry/houses";

// GET /api/houses/:id – the house with apartments, meters, last readings and prices in force
export const GET = route(operations.getHouse, async ({ db, scope, params }) => json(await getHouseDetail(db, scope, params.id)));

// PATCH /api/houses/:id – change the address
export const PATCH = route(operations.updateHouse, async ({ db, scope, params, body }) =>
  json(await updateHouse(db, scope, params.id, body)),
);

// DELETE /api/houses/:id – remove the house and everything in it; 409 once billed
export const DELETE = route(operations.deleteHouse, async ({ db, scope, params }) => {
  await deleteHouse(db, scope, params.id);
  return noContent();
});

export const { POST, PUT, OPTIONS } = otherMethods(GET, PATCH, DELETE);
