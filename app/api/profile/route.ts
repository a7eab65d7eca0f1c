import { clientAddress } from "@/lib/api/client-address";
import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { activateInviteCode, getProfile } from "@/lib/auth/profile";

// GET /api/profile – your phone, invite code, the code you activated, who joined with yours
export const GET = route(operations.getProfile, async ({ db, actor }) => json(await getProfile(db, actor.personId!)));

// PATCH /api/profile – activate a colleague's invite code (once) and join their workspace
export const PATCH = route(operations.activateInviteCode, async ({ db, root, actor, body, request }) =>
  json(
    await activateInviteCode(db, {
      personId: actor.personId!,
      code: body.foreign_invite_code,
      clientAddress: clientAddress(request),
      counters: root,
    }),
  ),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods(GET, PATCH);
