import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listReadings } from "@/lib/registry/readings";

// GET /api/meters/:id/readings – the meter's readings, newest first, with consumption
export const GET = route(operations.listMeterReadings, async ({ db, scope, params }) => json(await listReadings(db, scope, params.id)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
