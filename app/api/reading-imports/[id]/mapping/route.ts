import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { setReadingImportMapping } from "@/lib/reading-import/imports";

// PUT /api/reading-imports/:id/mapping – map the columns and check every row (a job for a big file)
export const PUT = route(operations.setReadingImportMapping, async ({ db, scope, params, body }) => {
  const { view, queued } = await setReadingImportMapping(db, { scope, id: params.id, body });
  return json(view, queued ? 202 : 200);
});

export const { GET, POST, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(PUT);
