import { json, route } from "@/lib/api/route";
import { activateInviteCode, getProfile } from "@/lib/auth/profile";
import { updateProfileBody } from "@/lib/schemas/accounts";

// GET /api/profile – your phone, invite code, the code you activated, who joined with yours
export const GET = route({ auth: "person" }, async ({ db, actor }) => json(await getProfile(db, actor.personId!)));

// PATCH /api/profile – activate a colleague's invite code (once) and join their workspace
export const PATCH = route({ auth: "person", body: updateProfileBody }, async ({ db, actor, body }) =>
  json(await activateInviteCode(db, actor.personId!, body.foreign_invite_code)),
);
