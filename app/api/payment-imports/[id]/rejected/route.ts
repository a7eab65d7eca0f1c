import * as operations from "@/lib/api/operations";
import { otherMethods, route } from "@/lib/api/route";
import { buildRejectedCsv } from "@/lib/payment-import/rejected-csv";

// GET /api/payment-imports/:id/rejected?lang=ru|en – the error and duplicate rows as a CSV file
export const GET = route(operations.downloadRejectedPaymentRows, async ({ db, scope, params, query }) => {
  const csv = await buildRejectedCsv(db, scope, params.id, query.lang ?? "ru");
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="rejected-${params.id}.csv"`,
      "cache-control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
