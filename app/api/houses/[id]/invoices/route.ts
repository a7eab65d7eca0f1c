import { json, route } from "@/lib/api/route";
import { listHouseInvoices } from "@/lib/billing/invoices";
import { invoicesQuery } from "@/lib/schemas/billing";
import { idParams } from "@/lib/schemas/registry";

// GET /api/houses/:id/invoices?period=YYYY-MM – the month's invoices with lines and house totals
export const GET = route({ params: idParams, query: invoicesQuery }, async ({ db, scope, params, query }) =>
  json(await listHouseInvoices(db, scope, params.id, query.period)),
);
