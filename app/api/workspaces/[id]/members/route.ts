import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listMembers } from "@/lib/auth/members";

// GET /api/workspaces/:id/members – members, pending activations of your invite code included (owner only)
export const GET = route(operations.listMembers, async ({ db, scope, params }) => json(await listMembers(db, scope, params.id)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
