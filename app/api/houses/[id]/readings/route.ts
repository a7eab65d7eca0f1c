import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getReadingSheet } from "@/lib/registry/reading-sheet";
import { bulkPutReadings, memberOrigin } from "@/lib/registry/readings";

// GET /api/houses/:id/readings?period=YYYY-MM – the reading-entry sheet: every meter with its previous, current and next reading
export const GET = route(operations.getReadingSheet, async ({ db, scope, params, query }) =>
  json(await getReadingSheet(db, scope, params.id, query.period)),
);

// POST /api/houses/:id/readings – a month's readings for the whole house, all or nothing
export const POST = route(operations.saveHouseReadings, async ({ db, scope, actor, params, body }) =>
  json(await bulkPutReadings(db, scope, params.id, body, memberOrigin(actor))),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
