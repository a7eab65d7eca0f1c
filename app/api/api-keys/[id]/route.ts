import * as operations from "@/lib/api/operations";
import { noContent, otherMethods, route } from "@/lib/api/route";
import { deleteApiKey } from "@/lib/auth/api-keys";

// DELETE /api/api-keys/:id – revoke the key at once
export const DELETE = route(operations.deleteApiKey, async ({ db, scope, params }) => {
  await deleteApiKey(db, scope, params.id);
  return noContent();
});

export const { GET, POST, PUT, PATCH, HEAD, OPTIONS } = otherMethods(DELETE);
