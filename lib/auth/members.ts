import type { DbOrTx } from "../../db/client";
import * as members from "../../db/queries/members";
import { ApiError } from "../api/errors";
import type { UpdateMemberBody } from "../schemas/accounts";
import type { MemberList } from "../schemas/responses";
import { requireWorkspace, type Scope } from "./scope";

// The owner's side of invite codes (issue 15): whoever activates an owner's code waits, pending,
// until the owner admits them with a role or declines; the owner also changes roles and removes
// members. The operations allow owners only (lib/api/operations/members.ts), so `scope` holds
// the workspaces the caller owns: one they do not own is not found here, and the route wrapper
// answers 403 when they belong to it with another role.
//
// Two rules keep a workspace owned: an owner cannot remove or demote the last owner
// (last_owner), and a person's own workspace (the one sign-up made) keeps them as its owner
// (personal_workspace_owner): their sessions create houses there by default, so leaving it or
// becoming a viewer there would leave them a home they cannot use.

export interface MemberKey {
  scope: Scope;
  workspaceId: number;
  personId: number;
}

export async function listMembers(db: DbOrTx, scope: Scope, workspaceId: number): Promise<MemberList> {
  const rows = await members.listMembers(db, requireWorkspace(scope, workspaceId));
  return {
    items: rows.map((r) => ({
      person_id: r.personId,
      phone: r.phone,
      role: r.role,
      status: r.status,
      personal: r.personal,
      joined_at: r.createdAt.toISOString(),
      decided_at: r.decidedAt?.toISOString() ?? null,
      decided_by: r.decidedBy,
    })),
  };
}

/** Changes a member's role, admits a pending one, or declines one (UpdateMemberBody). */
export async function updateMember(
  db: DbOrTx,
  { scope, workspaceId, personId, change, deciderId }: MemberKey & { change: UpdateMemberBody; deciderId: number | null },
): Promise<void> {
  const key = { workspaceId: requireWorkspace(scope, workspaceId), personId };
  const owners = await members.lockOwners(db, key.workspaceId);
  const member = await lockMember(db, key);
  if (change.status === "declined") {
    if (member.status !== "pending") throw notPending(key, member.status);
    await members.updateMember(db, key, { status: "declined", decidedById: deciderId });
    return;
  }
  const role = change.role!;
  if (change.status === "active") {
    // A declined request may be admitted after all: the owner changed their mind.
    if (member.status === "active") throw notPending(key, member.status);
    await members.updateMember(db, key, { role, status: "active", decidedById: deciderId });
    return;
  }
  if (member.status !== "active") {
    throw new ApiError({
      reason: "member_not_active",
      message: `person ${personId} is not an active member (${member.status}): admit them with { "status": "active", "role" } first`,
      params: { id: key.workspaceId, person_id: personId, status: member.status },
    });
  }
  if (member.role === "owner" && role !== "owner") keepOwned(key, member.personal, owners, "demote");
  await members.updateMember(db, key, { role });
}

/** Removes the member (or an activation, pending or declined); they see nothing of the workspace from this request on. */
export async function removeMember(db: DbOrTx, { scope, workspaceId, personId }: MemberKey): Promise<void> {
  const key = { workspaceId: requireWorkspace(scope, workspaceId), personId };
  const owners = await members.lockOwners(db, key.workspaceId);
  const member = await lockMember(db, key);
  if (member.personal || (member.status === "active" && member.role === "owner")) keepOwned(key, member.personal, owners, "remove");
  await members.deleteMember(db, key);
}

async function lockMember(db: DbOrTx, key: { workspaceId: number; personId: number }) {
  const member = await members.lockMember(db, key.workspaceId, key.personId);
  if (!member) {
    // params.id is the workspace's, as every not-found names the id that locates it (db/queries/access.ts)
    throw new ApiError({
      reason: "member_not_found",
      message: `person ${key.personId} is not a member of workspace ${key.workspaceId}`,
      params: { id: key.workspaceId, person_id: key.personId },
    });
  }
  return member;
}

function notPending(key: { workspaceId: number; personId: number }, status: string): ApiError {
  return new ApiError({
    reason: "member_not_pending",
    message: `person ${key.personId} is not awaiting admission (${status}): change an active member's role with { "role" }, remove them with DELETE`,
    params: { id: key.workspaceId, person_id: key.personId, status },
  });
}

/** Refuses what would leave the workspace without an owner, or its founder without it. */
function keepOwned(key: { workspaceId: number; personId: number }, personal: boolean, owners: number[], what: "demote" | "remove"): void {
  if (owners.length <= 1) {
    throw new ApiError({
      reason: "last_owner",
      message: `person ${key.personId} is the last owner of workspace ${key.workspaceId}: make another member an owner first`,
      params: { id: key.workspaceId, person_id: key.personId },
    });
  }
  if (personal) {
    throw new ApiError({
      reason: "personal_workspace_owner",
      message: `workspace ${key.workspaceId} is person ${key.personId}'s own: they stay its owner, and cannot be ${what === "remove" ? "removed" : "demoted"}`,
      params: { id: key.workspaceId, person_id: key.personId },
    });
  }
}
