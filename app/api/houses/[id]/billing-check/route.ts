import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getBillingCheck } from "@/lib/billing/billing-check";

// GET /api/houses/:id/billing-check?period=YYYY-MM – what a run of the month would do, and what needs a look first
export const GET = route(operations.getHouseBillingCheck, async ({ db, scope, params, query }) =>
  json(await getBillingCheck(db, scope, params.id, query.period)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
