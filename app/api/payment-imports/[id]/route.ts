import * as operations from "@/lib/api/operations";
import { json, noContent, otherMethods, route } from "@/lib/api/route";
import { discardPaymentImport, getPaymentImport } from "@/lib/payment-import/imports";

// GET /api/payment-imports/:id – status, counts, progress and mapping of an import
export const GET = route(operations.getPaymentImport, async ({ db, scope, params }) => json(await getPaymentImport(db, scope, params.id)));

// DELETE /api/payment-imports/:id – discard an import that is not committed
export const DELETE = route(operations.discardPaymentImport, async ({ db, scope, params }) => {
  await discardPaymentImport(db, scope, params.id);
  return noContent();
});

export const { POST, PUT, PATCH, OPTIONS } = otherMethods(GET, DELETE);
