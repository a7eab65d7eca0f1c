import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getMonthBoard } from "@/lib/billing/month-board";

// GET /api/months/:period/board?workspace_id= – every house's state in the month, and the workspace's totals
export const GET = route(operations.getMonthBoard, async ({ db, scope, params, query }) =>
  json(await getMonthBoard(db, scope, { period: params.period, workspaceId: query.workspace_id })),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
