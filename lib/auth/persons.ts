import type { DbOrTx } from "../../db/client";
import * as auth from "../../db/queries/auth";
import { insertSeededServices } from "../../db/queries/services";
import type { Person } from "../../db/schema";
import { newInviteCode } from "./tokens";

/**
 * The person with this phone, registering them on first sight: a personal workspace they own
 * and a unique invite code. Safe under concurrent first sign-ins of the same phone.
 */
export async function findOrCreatePerson(db: DbOrTx, phone: string): Promise<{ person: Person; created: boolean }> {
  const existing = await auth.findPersonByPhone(db, phone);
  if (existing) return { person: existing, created: false };

  return db.transaction(async (tx) => {
    await auth.lockPhone(tx, phone);
    const again = await auth.findPersonByPhone(tx, phone);
    if (again) return { person: again, created: false };

    const workspaceId = await auth.insertWorkspace(tx, `Workspace ${phone}`);
    await insertSeededServices(tx, workspaceId);
    for (let attempt = 0; attempt < 20; attempt++) {
      const created = await auth.insertPerson(tx, { phone, inviteCode: newInviteCode(), personalWorkspaceId: workspaceId });
      if (created) {
        await auth.addMember(tx, { workspaceId, personId: created.id, role: "owner" });
        return { person: created, created: true };
      }
    }
    throw new Error("could not find a free invite code");
  });
}
