import type { DbOrTx } from "../../db/client";
import * as auth from "../../db/queries/auth";
import { notFound } from "../api/errors";
import { deviceLabel } from "./device";

// A person's own sessions: the list on the profile page, and ending one or all of them (every
// query is filtered by the person, so another person's session is never seen nor touched).

/** The person's live sessions; `currentId` is the one making the request. */
export async function listSessions(db: DbOrTx, options: { personId: number; currentId: number | null }) {
  const rows = await auth.listLiveSessions(db, options.personId);
  return {
    items: rows.map((row) => ({
      id: row.id,
      device: row.userAgent,
      device_label: deviceLabel(row.userAgent),
      created_at: row.createdAt,
      last_seen: row.lastUsedAt,
      current: row.id === options.currentId,
    })),
  };
}

/** Ends one of the person's live sessions; 404 when it is not one (another person's, or ended). */
export async function endSession(db: DbOrTx, options: { personId: number; sessionId: number }): Promise<void> {
  const ended = await auth.revokePersonSessions(db, { personId: options.personId, sessionId: options.sessionId });
  if (ended.length === 0) throw notFound("session", options.sessionId);
}

/** Ends the person's live sessions but `keepId` (all of them when it is null); how many. */
export async function endSessions(db: DbOrTx, options: { personId: number; keepId: number | null }): Promise<number> {
  const ended = await auth.revokePersonSessions(db, { personId: options.personId, exceptId: options.keepId });
  return ended.length;
}
