import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listApartmentHistory } from "@/lib/history/list-history";

// GET /api/apartments/:id/history?before=&limit= – the apartment's changes, its meters and readings included
export const GET = route(operations.listApartmentHistory, async ({ db, scope, params, query }) =>
  json(await listApartmentHistory(db, scope, { apartmentId: params.id, before: query.before, limit: query.limit })),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
