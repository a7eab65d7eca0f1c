import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getReceiptBatch } from "@/lib/receipts/batches";

// GET /api/receipt-batches/:id – a batch of payment documents: its progress
export const GET = route(operations.getReceiptBatch, async ({ db, scope, params }) => json(await getReceiptBatch(db, scope, params.id)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
