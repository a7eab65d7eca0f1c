import * as operations from "@/lib/api/operations";
import { noContent, otherMethods, route } from "@/lib/api/route";
import { removeMember, updateMember } from "@/lib/auth/members";

// PATCH /api/workspaces/:id/members/:person_id – admit, decline, or change the role (owner only)
export const PATCH = route(operations.updateMember, async ({ db, scope, actor, params, body }) => {
  await updateMember(db, { scope, workspaceId: params.id, personId: params.person_id, change: body, deciderId: actor.personId });
  return noContent();
});

// DELETE /api/workspaces/:id/members/:person_id – remove the member (owner only)
export const DELETE = route(operations.removeMember, async ({ db, scope, params }) => {
  await removeMember(db, { scope, workspaceId: params.id, personId: params.person_id });
  return noContent();
});

export const { GET, POST, PUT, HEAD, OPTIONS } = otherMethods(PATCH, DELETE);
