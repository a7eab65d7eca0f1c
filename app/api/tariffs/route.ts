import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createTariff, listTariffs } from "@/lib/registry/tariffs";

// GET /api/tariffs?house_id= – price history (a house's own prices and the defaults that apply to it)
export const GET = route(operations.listTariffs, async ({ db, scope, query }) =>
  json(await listTariffs(db, scope, { houseId: query.house_id })),
);

// POST /api/tariffs – a new price from a month on; 409 for the same scope, service and month
export const POST = route(operations.createTariff, async ({ db, scope, body }) => json(await createTariff(db, scope, body), 201));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
