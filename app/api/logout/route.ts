import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { revokeSession, sessionCookie } from "@/lib/auth/sessions";

// POST /api/logout – end the current session now (cookie or bearer token)
export const POST = route(operations.logout, async ({ db, actor, request }) => {
  await revokeSession(db, actor.sessionId!);
  const response = json({ detail: "signed out" });
  response.headers.append("set-cookie", sessionCookie(null, request));
  return response;
});

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
