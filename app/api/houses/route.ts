import { json, route } from "@/lib/api/route";
import { createHouse, listHousesPage } from "@/lib/registry/houses";
import { createHouseBody, listHousesQuery } from "@/lib/schemas/registry";

// GET /api/houses?limit=&offset=&q= – houses of the caller's workspaces, oldest first
export const GET = route({ query: listHousesQuery }, async ({ db, scope, query }) => json(await listHousesPage(db, scope, query)));

// POST /api/houses – create a house
export const POST = route({ body: createHouseBody }, async ({ db, scope, body }) => json(await createHouse(db, scope, body), 201));
