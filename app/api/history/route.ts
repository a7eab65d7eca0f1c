import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listWorkspaceHistory } from "@/lib/history/list-history";

// GET /api/history?workspace_id=&person_id=&entity=&from=&to=&before=&limit= – the workspace's changes, newest first
export const GET = route(operations.listHistory, async ({ db, scope, query }) => json(await listWorkspaceHistory(db, scope, query)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
