import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listReceiptBatches, startReceiptBatch } from "@/lib/receipts/batches";

// GET /api/houses/:id/receipt-batches?period=YYYY-MM – the house's batches of payment documents
export const GET = route(operations.listReceiptBatches, async ({ db, scope, params, query }) =>
  json({ items: await listReceiptBatches(db, scope, params.id, query.period) }),
);

// POST /api/houses/:id/receipt-batches – make the month's payment documents into one PDF (a job)
export const POST = route(operations.startReceiptBatch, async ({ db, scope, actor, params, body }) =>
  json(await startReceiptBatch(db, scope, actor.personId, params.id, body.period), 202),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
