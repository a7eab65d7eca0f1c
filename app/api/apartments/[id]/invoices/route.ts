import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listApartmentInvoices } from "@/lib/billing/invoices";

// GET /api/apartments/:id/invoices – the apartment's invoices, newest month first
export const GET = route(operations.listApartmentInvoices, async ({ db, scope, params }) =>
  json(await listApartmentInvoices(db, scope, params.id)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
