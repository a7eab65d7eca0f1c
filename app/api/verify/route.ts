import * as operations from "@/lib/api/operations";
import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { verifyLoginCode } from "@/lib/auth/login";
import { sessionCookie } from "@/lib/auth/sessions";

// POST /api/verify – exchange the phone's code for a session (registers a new person)
export const POST = publicRoute(operations.verify, async ({ db, body, request }) => {
  const { token, person, created } = await verifyLoginCode(db, {
    phone: body.phone,
    code: body.token,
    userAgent: request.headers.get("user-agent"),
  });
  const response = json({
    token,
    user: { id: person.id, phone: person.phone, invite_code: person.inviteCode, workspace_id: person.personalWorkspaceId },
    registered: created,
  });
  response.headers.append("set-cookie", sessionCookie(token, request));
  return response;
});

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
