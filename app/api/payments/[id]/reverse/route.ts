import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { reversePayment } from "@/lib/ledger/payments";

// POST /api/payments/:id/reverse – reverse a payment entered by mistake, with a reason
export const POST = route(operations.reversePayment, async ({ db, scope, actor, params, body }) =>
  json(await reversePayment(db, scope, actor, params.id, body.reason)),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
