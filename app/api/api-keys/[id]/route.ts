import { noContent, route } from "@/lib/api/route";
import { deleteApiKey } from "@/lib/auth/api-keys";
import { idParams } from "@/lib/schemas/registry";

// DELETE /api/api-keys/:id – revoke the key at once
export const DELETE = route({ auth: "person", params: idParams }, async ({ db, scope, params }) => {
  await deleteApiKey(db, scope, params.id);
  return noContent();
});
