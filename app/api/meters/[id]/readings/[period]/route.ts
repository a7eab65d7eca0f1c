import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { memberOrigin, putReading } from "@/lib/registry/readings";

// PUT /api/meters/:id/readings/:period – set the month's reading: 201 created, 200 replaced
export const PUT = route(operations.putReading, async ({ db, scope, actor, params, body }) => {
  const reading = await putReading(db, scope, params.id, params.period, body.value, memberOrigin(actor));
  return json(reading, reading.status === "created" ? 201 : 200);
});

export const { GET, POST, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(PUT);
