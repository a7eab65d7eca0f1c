import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { endSessions, listSessions } from "@/lib/auth/person-sessions";
import { sessionCookie } from "@/lib/auth/sessions";

// GET /api/sessions – the caller's live sessions, the current one marked
export const GET = route(operations.listSessions, async ({ db, actor }) =>
  json(await listSessions(db, { personId: actor.personId!, currentId: actor.sessionId })),
);

// DELETE /api/sessions – end the caller's other sessions (?include_current=true: this one too, as logout)
export const DELETE = route(operations.deleteSessions, async ({ db, actor, query, request }) => {
  const ended = await endSessions(db, { personId: actor.personId!, keepId: query.include_current ? null : actor.sessionId });
  const response = json({ ended });
  if (query.include_current) response.headers.append("set-cookie", sessionCookie(null, request));
  return response;
});

export const { POST, PUT, PATCH, OPTIONS } = otherMethods(GET, DELETE);
