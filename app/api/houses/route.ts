import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createHouse, listHousesPage } from "@/lib/registry/houses";

// GET /api/houses?limit=&offset=&q= – houses of the caller's workspaces, oldest first
export const GET = route(operations.listHouses, async ({ db, scope, query }) => json(await listHousesPage(db, scope, query)));

// POST /api/houses – create a house
export const POST = route(operations.createHouse, async ({ db, scope, body }) => json(await createHouse(db, scope, body), 201));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
