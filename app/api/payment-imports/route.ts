import * as operations from "@/lib/api/operations";
import { readFileBody } from "@/lib/api/body";
import { json, otherMethods, route } from "@/lib/api/route";
import { listPaymentImports, uploadPaymentImport } from "@/lib/payment-import/imports";
import { IMPORT_MEDIA_TYPES, MAX_IMPORT_BYTES } from "@/lib/file-import/limits";

// GET /api/payment-imports?workspace_id= – a workspace's imports, newest first
export const GET = route(operations.listPaymentImports, async ({ db, scope, query }) =>
  json(await listPaymentImports(db, scope, { workspaceId: query.workspace_id, limit: query.limit, offset: query.offset })),
);

// POST /api/payment-imports?workspace_id=&file_name= – upload a registry (the raw CSV file is the body)
export const POST = route(operations.uploadPaymentImport, async ({ db, scope, actor, query, request }) => {
  const bytes = await readFileBody(request, IMPORT_MEDIA_TYPES, MAX_IMPORT_BYTES);
  return json(await uploadPaymentImport(db, { scope, actor, workspaceId: query.workspace_id, fileName: query.file_name, bytes }), 201);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
