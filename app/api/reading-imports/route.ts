import * as operations from "@/lib/api/operations";
import { readFileBody } from "@/lib/api/body";
import { json, otherMethods, route } from "@/lib/api/route";
import { MAX_IMPORT_BYTES, SPREADSHEET_MEDIA_TYPES } from "@/lib/file-import/limits";
import { listReadingImports, uploadReadingImport } from "@/lib/reading-import/imports";

// GET /api/reading-imports?workspace_id= – a workspace's readings imports, newest first
export const GET = route(operations.listReadingImports, async ({ db, scope, query }) =>
  json(await listReadingImports(db, scope, { workspaceId: query.workspace_id, limit: query.limit, offset: query.offset })),
);

// POST /api/reading-imports?workspace_id=&file_name=&period= – upload a readings file (the raw CSV or .xlsx file is the body)
export const POST = route(operations.uploadReadingImport, async ({ db, scope, actor, query, request }) => {
  const bytes = await readFileBody(request, SPREADSHEET_MEDIA_TYPES, MAX_IMPORT_BYTES);
  const options = { scope, actor, workspaceId: query.workspace_id, fileName: query.file_name, period: query.period, bytes };
  return json(await uploadReadingImport(db, options), 201);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
