import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { discardReadingImport, getReadingImport } from "@/lib/reading-import/imports";

// GET /api/reading-imports/:id – status, counts, progress and mapping of a readings import
export const GET = route(operations.getReadingImport, async ({ db, scope, params }) => json(await getReadingImport(db, scope, params.id)));

// DELETE /api/reading-imports/:id – discard an import that is not committed
export const DELETE = route(operations.discardReadingImport, async ({ db, scope, params }) => {
  await discardReadingImport(db, scope, params.id);
  return noContent();
});

export const { POST, PUT, PATCH, OPTIONS } = otherMethods(GET, DELETE);
