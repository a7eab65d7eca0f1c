import { json, route } from "@/lib/api/route";
import { bulkPutReadings } from "@/lib/registry/readings";
import { bulkReadingsBody, idParams } from "@/lib/schemas/registry";

// POST /api/houses/:id/readings – a month's readings for the whole house, all or nothing
export const POST = route({ params: idParams, body: bulkReadingsBody }, async ({ db, scope, params, body }) =>
  json(await bulkPutReadings(db, scope, params.id, body)),
);
