import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { commitReadingImport } from "@/lib/reading-import/imports";

// POST /api/reading-imports/:id/commit – import the ok and warning rows as readings, in one transaction
export const POST = route(operations.commitReadingImport, async ({ db, scope, actor, params }) =>
  json(await commitReadingImport(db, { scope, actor, id: params.id })),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
