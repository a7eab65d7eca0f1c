import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { commitPaymentImport } from "@/lib/payment-import/imports";

// POST /api/payment-imports/:id/commit – import the ok rows as payments, in one transaction
export const POST = route(operations.commitPaymentImport, async ({ db, scope, actor, params }) =>
  json(await commitPaymentImport(db, { scope, actor, id: params.id })),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
