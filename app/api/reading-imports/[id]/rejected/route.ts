import * as operations from "@/lib/api/operations";
import { otherMethods, route } from "@/lib/api/route";
import { buildRejectedReadingsCsv } from "@/lib/reading-import/rejected-csv";

// GET /api/reading-imports/:id/rejected?lang=ru|en – the error rows as a CSV file
export const GET = route(operations.downloadRejectedReadingRows, async ({ db, scope, params, query }) => {
  const csv = await buildRejectedReadingsCsv(db, scope, params.id, query.lang ?? "ru");
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="rejected-readings-${params.id}.csv"`,
      "cache-control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
