import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { deleteKeyRate, putKeyRate } from "@/lib/registry/billing-settings";

// PUT /api/workspaces/:id/key-rates/:valid_from – set the rate from the day: 201 added, 200 changed
export const PUT = route(operations.putKeyRate, async ({ db, scope, params, body }) => {
  const { status, ...rate } = await putKeyRate(db, scope, { workspaceId: params.id, validFrom: params.valid_from, percent: body.percent });
  return json(rate, status === "created" ? 201 : 200);
});

// DELETE /api/workspaces/:id/key-rates/:valid_from – remove the rate from the day
export const DELETE = route(operations.deleteKeyRate, async ({ db, scope, params }) => {
  await deleteKeyRate(db, scope, params.id, params.valid_from);
  return noContent();
});

export const { GET, POST, PATCH, HEAD, OPTIONS } = otherMethods(PUT, DELETE);
