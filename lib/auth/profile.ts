import type { DbOrTx } from "../../db/client";
import * as auth from "../../db/queries/auth";
import { ApiError, fieldError } from "../api/errors";
import type { Profile, WorkspaceList } from "../schemas/responses";

export async function getProfile(db: DbOrTx, personId: number): Promise<Profile> {
  const me = await auth.findPerson(db, personId);
  if (!me) throw new ApiError({ reason: "sign_in_required", message: "sign in first" });
  return {
    id: me.id,
    phone: me.phone,
    invite_code: me.inviteCode,
    foreign_invite_code: me.foreignInviteCode,
    workspace_id: me.personalWorkspaceId,
    activated_your_code: await auth.phonesInvitedBy(db, personId),
  };
}

export interface ActivateInviteCodeOptions {
  personId: number;
  code: string;
  /** for the per-address limit (lib/api/client-address.ts) */
  clientAddress: string;
  /** where the tries are counted: outside the request's transaction, so a refused try still counts */
  counters?: DbOrTx;
}

/**
 * An invite code is a key to a workspace (32^6 of them): guessing is what these limits stop. A
 * person gets 5 tries a minute and 20 an hour; a client address, where colleagues may sit behind
 * one NAT, 10 and 50.
 */
function inviteRateLimits(personId: number, clientAddress: string): auth.RateLimitRule[] {
  return [
    { bucket: `invite:person:${personId}`, limit: 5, windowSeconds: 60 },
    { bucket: `invite:person:${personId}`, limit: 20, windowSeconds: 3600 },
    { bucket: `invite:address:${clientAddress}`, limit: 10, windowSeconds: 60 },
    { bucket: `invite:address:${clientAddress}`, limit: 50, windowSeconds: 3600 },
  ];
}

/**
 * Activates a colleague's invite code: once per person, never one's own. The activation asks to
 * join the code owner's workspace: the person is recorded there as pending and sees nothing of
 * it until the owner admits them with a role (or declines: lib/auth/members.ts). A guessed code
 * thus opens nothing. The pending row's role is viewer, the least, as a placeholder: the owner
 * picks the real one on admission. Every try counts against the limits above, whatever its
 * outcome; a refused one counts nothing.
 */
export async function activateInviteCode(
  db: DbOrTx,
  { personId, code, clientAddress, counters = db }: ActivateInviteCodeOptions,
): Promise<Profile> {
  const refused = await auth.hitRateLimits(counters, inviteRateLimits(personId, clientAddress));
  if (refused) {
    const byPerson = refused.rule.bucket.startsWith("invite:person");
    throw new ApiError({
      reason: byPerson ? "invite_limit_person" : "invite_limit_address",
      message: `too many invite codes tried ${byPerson ? "by you" : "from your network address"}; try again in ${refused.retryAfter} s`,
      params: { retry_after: refused.retryAfter },
      retryAfter: refused.retryAfter,
    });
  }
  await db.transaction(async (tx) => {
    const me = await auth.findPerson(tx, personId, { lock: true });
    if (!me) throw new ApiError({ reason: "sign_in_required", message: "sign in first" });
    if (me.foreignInviteCode) {
      throw new ApiError({
        reason: "invite_already_activated",
        message: `you have already activated invite code ${me.foreignInviteCode}; an invite code can be activated only once`,
        params: { code: me.foreignInviteCode },
        fields: { foreign_invite_code: fieldError("invite_already_activated", "already activated") },
      });
    }
    if (code === me.inviteCode) {
      throw new ApiError({
        reason: "own_invite_code",
        message: "that is your own invite code: enter a colleague's code",
        fields: { foreign_invite_code: fieldError("own_invite_code", "is your own invite code") },
      });
    }
    const owner = await auth.findPersonByInviteCode(tx, code);
    if (!owner) {
      throw new ApiError({
        reason: "unknown_invite_code",
        message: `no one has the invite code ${code}: check it with your colleague`,
        params: { code },
        fields: { foreign_invite_code: fieldError("unknown_invite_code", "no one has this invite code", { code }) },
      });
    }
    await auth.setForeignInviteCode(tx, personId, { code, invitedById: owner.id });
    await auth.addMember(tx, { workspaceId: owner.personalWorkspaceId, personId, role: "viewer", status: "pending" });
  });
  return getProfile(db, personId);
}

/**
 * The workspaces the person belongs to, their own first, and their requests to join one (an
 * activated invite code awaiting the owner, or declined): `status` says which. A request grants
 * nothing: the session's scope counts active memberships only (db/queries/auth.ts findSession).
 */
export async function listWorkspaces(db: DbOrTx, personId: number): Promise<WorkspaceList> {
  const rows = await auth.listPersonWorkspaces(db, personId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      status: r.status,
      personal: r.personal,
      joined_at: r.joinedAt.toISOString(),
    })),
  };
}
