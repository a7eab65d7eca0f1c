import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listDebtors } from "@/lib/ledger/debtors";

// GET /api/houses/:id/debtors – the house's apartments in debt, the largest first
export const GET = route(operations.listHouseDebtors, async ({ db, scope, params, query }) =>
  json(await listDebtors(db, scope, { houseId: params.id }, query.as_of)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
