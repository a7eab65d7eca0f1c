import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listDebtors } from "@/lib/ledger/debtors";

// GET /api/debtors – a workspace's apartments in debt, the largest first
export const GET = route(operations.listDebtors, async ({ db, scope, query }) =>
  json(await listDebtors(db, scope, { workspaceId: query.workspace_id }, query.as_of)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
