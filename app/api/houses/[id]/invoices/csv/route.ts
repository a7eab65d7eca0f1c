import { z } from "zod";
import { route } from "@/lib/api/route";
import { buildInvoicesCsv, CSV_LANGUAGES } from "@/lib/billing/invoices-csv";
import { invoicesQuery } from "@/lib/schemas/billing";
import { typeError } from "@/lib/schemas/common";
import { idParams } from "@/lib/schemas/registry";

const invoicesCsvQuery = invoicesQuery.extend({
  /** headers and names in this language; default Russian (and decimal commas with it) */
  lang: z.enum(CSV_LANGUAGES, { error: typeError(`one of ${CSV_LANGUAGES.join(", ")}`) }).optional(),
});

// GET /api/houses/:id/invoices/csv?period=YYYY-MM&lang=ru|en – the month's invoice lines as a CSV file for Excel
export const GET = route({ params: idParams, query: invoicesCsvQuery }, async ({ db, scope, params, query }) => {
  const csv = await buildInvoicesCsv(db, scope, { houseId: params.id, period: query.period, language: query.lang ?? "ru" });
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="invoices-${params.id}-${query.period}.csv"`,
      "cache-control": "no-store",
    },
  });
});
