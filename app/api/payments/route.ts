import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { createPayment, listPayments } from "@/lib/ledger/payments";

// GET /api/payments – payments, newest first, with filters
export const GET = route(operations.listPayments, async ({ db, scope, query }) => json(await listPayments(db, scope, query)));

// POST /api/payments – record a payment
export const POST = route(operations.createPayment, async ({ db, scope, actor, body }) =>
  json(await createPayment(db, scope, actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
