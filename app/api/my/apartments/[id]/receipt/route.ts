import * as operations from "@/lib/api/operations";
import { otherMethods, route } from "@/lib/api/route";
import { pdfResponse } from "@/lib/receipts/http";
import { renderReceiptsPdf } from "@/lib/receipts/pdf";
import { myApartmentReceipt } from "@/lib/residents/my-apartments";

// GET /api/my/apartments/:id/receipt?period=YYYY-MM – the payment document of one of the caller's apartments (PDF)
export const GET = route(operations.downloadMyApartmentReceipt, async ({ db, actor, params, query }) => {
  const receipt = await myApartmentReceipt(db, actor.personId!, params.id, query.period);
  return pdfResponse(await renderReceiptsPdf([receipt]), `receipt-${receipt.payer.accountNumber}-${query.period}.pdf`);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
