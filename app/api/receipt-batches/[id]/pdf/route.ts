import * as operations from "@/lib/api/operations";
import { otherMethods, route } from "@/lib/api/route";
import { receiptBatchPdf } from "@/lib/receipts/batches";
import { pdfResponse } from "@/lib/receipts/http";

// GET /api/receipt-batches/:id/pdf – a finished batch's PDF
export const GET = route(operations.downloadReceiptBatch, async ({ db, scope, params }) => {
  const { pdf, fileName } = await receiptBatchPdf(db, scope, params.id);
  return pdfResponse(pdf, fileName);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
