import * as operations from "@/lib/api/operations";
import { noContent, otherMethods, route } from "@/lib/api/route";
import { endSession } from "@/lib/auth/person-sessions";
import { sessionCookie } from "@/lib/auth/sessions";

// DELETE /api/sessions/:id – end one of the caller's sessions (the current one: as logout)
export const DELETE = route(operations.deleteSession, async ({ db, actor, params, request }) => {
  await endSession(db, { personId: actor.personId!, sessionId: params.id });
  const response = noContent();
  if (params.id === actor.sessionId) response.headers.append("set-cookie", sessionCookie(null, request));
  return response;
});

export const { GET, POST, PUT, PATCH, HEAD, OPTIONS } = otherMethods(DELETE);
