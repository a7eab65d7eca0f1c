import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createNormative, listNormatives } from "@/lib/registry/normatives";

// GET /api/normatives?house_id= – normatives history (a house's own and the defaults that apply to it)
export const GET = route(operations.listNormatives, async ({ db, scope, query }) =>
  json(await listNormatives(db, scope, { houseId: query.house_id })),
);

// POST /api/normatives – a new normative from a month on; 409 for the same scope, service and month
export const POST = route(operations.createNormative, async ({ db, scope, body }) => json(await createNormative(db, scope, body), 201));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
