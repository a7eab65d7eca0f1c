import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { setPaymentImportMapping } from "@/lib/payment-import/imports";

// PUT /api/payment-imports/:id/mapping – map the columns and check every row (a job for a big file)
export const PUT = route(operations.setPaymentImportMapping, async ({ db, scope, params, body }) => {
  const { view, queued } = await setPaymentImportMapping(db, { scope, id: params.id, body });
  return json(view, queued ? 202 : 200);
});

export const { GET, POST, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(PUT);
