import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getPortfolioBillingCheck } from "@/lib/billing/billing-check";

// GET /api/billing-check?period=YYYY-MM&workspace_id= – the check before billing, over every house of a workspace
export const GET = route(operations.getPortfolioBillingCheck, async ({ db, scope, query }) =>
  json(await getPortfolioBillingCheck(db, scope, { period: query.period, workspaceId: query.workspace_id })),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
