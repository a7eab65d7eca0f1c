import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listHouseInvoices } from "@/lib/billing/invoices";

// GET /api/houses/:id/invoices?period=YYYY-MM – the month's invoices with lines and house totals
export const GET = route(operations.listHouseInvoices, async ({ db, scope, params, query }) =>
  json(await listHouseInvoices(db, scope, params.id, query.period)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
