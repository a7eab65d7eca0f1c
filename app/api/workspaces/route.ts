import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listWorkspaces } from "@/lib/auth/profile";

// GET /api/workspaces – the workspaces you belong to (your own and joined), with your role
export const GET = route(operations.listWorkspaces, async ({ db, actor }) => json(await listWorkspaces(db, actor.personId!)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
