import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { person, workspace, workspaceMember, type Person } from "../../db/schema";
import { newInviteCode } from "./tokens";

/**
 * The person with this phone, registering them on first sight: a personal workspace they own
 * and a unique invite code. Safe under concurrent first sign-ins of the same phone.
 */
export async function findOrCreatePerson(db: DbOrTx, phone: string): Promise<{ person: Person; created: boolean }> {
  const [existing] = await db.select().from(person).where(eq(person.phone, phone));
  if (existing) return { person: existing, created: false };

  return db.transaction(async (tx) => {
    // One registration per phone at a time; the loser of a race finds the winner's row.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`person:${phone}`}))`);
    const [again] = await tx.select().from(person).where(eq(person.phone, phone));
    if (again) return { person: again, created: false };

    const [ws] = await tx
      .insert(workspace)
      .values({ name: `Workspace ${phone}` })
      .returning({ id: workspace.id });
    for (let attempt = 0; attempt < 20; attempt++) {
      const [created] = await tx
        .insert(person)
        .values({ phone, inviteCode: newInviteCode(), personalWorkspaceId: ws.id })
        .onConflictDoNothing({ target: person.inviteCode })
        .returning();
      if (created) {
        await tx.insert(workspaceMember).values({ workspaceId: ws.id, personId: created.id, role: "owner" });
        return { person: created, created: true };
      }
    }
    throw new Error("could not find a free invite code");
  });
}
