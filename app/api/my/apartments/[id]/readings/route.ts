import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { sendMyReadings } from "@/lib/residents/my-apartments";

// POST /api/my/apartments/:id/readings – a resident's readings of this month (inside the window)
export const POST = route(operations.sendMyReadings, async ({ db, actor, params, body }) =>
  json(await sendMyReadings(db, actor.personId!, params.id, body)),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods(POST);
