import * as operations from "@/lib/api/operations";
import { otherMethods, route } from "@/lib/api/route";
import { buildInvoicesCsv } from "@/lib/billing/invoices-csv";

// GET /api/houses/:id/invoices/csv?period=YYYY-MM&lang=ru|en – the month's invoice lines as a CSV file for Excel
export const GET = route(operations.downloadHouseInvoicesCsv, async ({ db, scope, params, query }) => {
  const csv = await buildInvoicesCsv(db, scope, { houseId: params.id, period: query.period, language: query.lang ?? "ru" });
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="invoices-${params.id}-${query.period}.csv"`,
      "cache-control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
