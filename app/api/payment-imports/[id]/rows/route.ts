import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listPaymentImportRows } from "@/lib/payment-import/imports";

// GET /api/payment-imports/:id/rows?status=&after=&limit= – the checked rows, a page at a time
export const GET = route(operations.listPaymentImportRows, async ({ db, scope, params, query }) =>
  json(await listPaymentImportRows(db, scope, params.id, query)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
