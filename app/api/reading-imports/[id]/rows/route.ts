import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listReadingImportRows } from "@/lib/reading-import/imports";

// GET /api/reading-imports/:id/rows?status=&after=&limit= – the checked rows, a page at a time
export const GET = route(operations.listReadingImportRows, async ({ db, scope, params, query }) =>
  json(await listReadingImportRows(db, scope, params.id, query)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
