import { and, asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { MemberRole, MemberStatus } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { person, workspaceMember } from "../schema";

// A workspace's members: the people admitted (active), the invite activations awaiting the
// owner (pending) and the ones the owner turned down (declined). Each write here is one row of
// workspace_member, so the history's trigger records it as one entry (entity "member").

const decider = alias(person, "decider");

/** The workspace's members and requests: pending first (they await a decision), then by when they came. */
export async function listMembers(db: DbOrTx, workspaceId: number) {
  return db
    .select({
      personId: workspaceMember.personId,
      phone: person.phone,
      role: workspaceMember.role,
      status: workspaceMember.status,
      createdAt: workspaceMember.createdAt,
      decidedAt: workspaceMember.decidedAt,
      decidedBy: decider.phone,
      personal: sql<boolean>`${person.personalWorkspaceId} = ${workspaceMember.workspaceId}`,
    })
    .from(workspaceMember)
    .innerJoin(person, eq(person.id, workspaceMember.personId))
    .leftJoin(decider, eq(decider.id, workspaceMember.decidedById))
    .where(eq(workspaceMember.workspaceId, workspaceId))
    .orderBy(sql`${workspaceMember.status} = 'pending' desc`, asc(workspaceMember.createdAt), asc(workspaceMember.personId));
}

/**
 * The workspace's owners, their rows locked until the transaction ends: two owners demoting or
 * removing each other at once queue here, and the second finds one owner left.
 */
export async function lockOwners(db: DbOrTx, workspaceId: number): Promise<number[]> {
  const rows = await db
    .select({ personId: workspaceMember.personId })
    .from(workspaceMember)
    .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.role, "owner"), eq(workspaceMember.status, "active")))
    .orderBy(asc(workspaceMember.personId))
    .for("update");
  return rows.map((r) => r.personId);
}

/** One member of the workspace, locked until the transaction ends, with whether it is the person's own workspace. */
export async function lockMember(db: DbOrTx, workspaceId: number, personId: number) {
  const [row] = await db
    .select({
      role: workspaceMember.role,
      status: workspaceMember.status,
      personal: sql<boolean>`${person.personalWorkspaceId} = ${workspaceMember.workspaceId}`,
    })
    .from(workspaceMember)
    .innerJoin(person, eq(person.id, workspaceMember.personId))
    .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.personId, personId)))
    .for("update", { of: workspaceMember });
  return row;
}

/** Sets the role and, when given, the status (an admission or a refusal: who decided and when). */
export async function updateMember(
  db: DbOrTx,
  key: { workspaceId: number; personId: number },
  values: { role?: MemberRole; status?: MemberStatus; decidedById?: number | null },
): Promise<void> {
  const { role, status, decidedById } = values;
  await db
    .update(workspaceMember)
    .set({
      ...(role ? { role } : {}),
      ...(status ? { status, decidedById: decidedById ?? null, decidedAt: sql`now()` } : {}),
    })
    .where(and(eq(workspaceMember.workspaceId, key.workspaceId), eq(workspaceMember.personId, key.personId)));
}

export async function deleteMember(db: DbOrTx, key: { workspaceId: number; personId: number }): Promise<void> {
  await db.delete(workspaceMember).where(and(eq(workspaceMember.workspaceId, key.workspaceId), eq(workspaceMember.personId, key.personId)));
}
