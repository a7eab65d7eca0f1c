import { json, route } from "@/lib/api/route";
import { listReadings } from "@/lib/registry/readings";
import { idParams } from "@/lib/schemas/registry";

// GET /api/meters/:id/readings – the meter's readings, newest first, with consumption
export const GET = route({ params: idParams }, async ({ db, scope, params }) => json(await listReadings(db, scope, params.id)));
