import { json, route } from "@/lib/api/route";
import { listWorkspaces } from "@/lib/auth/profile";

// GET /api/workspaces – the workspaces you belong to (your own and joined), with your role
export const GET = route({ auth: "person" }, async ({ db, actor }) => json(await listWorkspaces(db, actor.personId!)));
