import * as operations from "@/lib/api/operations";
import { otherMethods, route } from "@/lib/api/route";
import { pdfResponse } from "@/lib/receipts/http";
import { renderReceiptsPdf } from "@/lib/receipts/pdf";
import { apartmentReceipt } from "@/lib/receipts/receipts";

// GET /api/apartments/:id/receipt?period=YYYY-MM – the apartment's payment document of the month (PDF)
export const GET = route(operations.downloadApartmentReceipt, async ({ db, scope, params, query }) => {
  const receipt = await apartmentReceipt(db, scope, params.id, query.period);
  return pdfResponse(await renderReceiptsPdf([receipt]), `receipt-${receipt.payer.accountNumber}-${query.period}.pdf`);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
