import { json, route } from "@/lib/api/route";
import { listApartmentInvoices } from "@/lib/billing/invoices";
import { idParams } from "@/lib/schemas/registry";

// GET /api/apartments/:id/invoices – the apartment's invoices, newest month first
export const GET = route({ params: idParams }, async ({ db, scope, params }) => json(await listApartmentInvoices(db, scope, params.id)));
