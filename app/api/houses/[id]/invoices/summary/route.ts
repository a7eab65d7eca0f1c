import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listHouseInvoiceSummaries } from "@/lib/billing/invoices";

// GET /api/houses/:id/invoices/summary?period=YYYY-MM – the month's invoices without their lines, with house totals
export const GET = route(operations.listHouseInvoiceSummaries, async ({ db, scope, params, query }) =>
  json(await listHouseInvoiceSummaries(db, scope, params.id, query.period)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
