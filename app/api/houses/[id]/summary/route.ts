import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getHouseSummary } from "@/lib/registry/houses";

// GET /api/houses/:id/summary – the house without its apartments (address, counts, last billed month)
export const GET = route(operations.getHouseSummary, async ({ db, scope, params }) => json(await getHouseSummary(db, scope, params.id)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
