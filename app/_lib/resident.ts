import { getDb } from "@/db/client";
import { describeConnectionError, isDatabaseUnreachable } from "@/db/connection-errors";
import { residentState } from "@/db/queries/residents";
import { logger } from "@/lib/logger";
import { pageActor } from "./session";

/**
 * What the pages need to know of the signed-in person as a resident (issue 18): whether their
 * phone is on some apartment (the header links to /my), and whether /my is their home page
 * (a resident whose own workspaces hold no house). Nothing when signed out or the database is away.
 */
export async function pageResident(): Promise<{ resident: boolean; home: "/my" | null }> {
  try {
    const actor = await pageActor();
    if (!actor?.personId) return { resident: false, home: null };
    const state = await residentState(getDb(), actor.personId, actor.scope.workspaceIds);
    return { resident: state.resident, home: state.resident && !state.houses ? "/my" : null };
  } catch (error) {
    if (!isDatabaseUnreachable(error)) throw error;
    logger.warn({ database_unreachable: describeConnectionError(error) }, "resident state unknown: the database cannot be reached");
    return { resident: false, home: null };
  }
}
