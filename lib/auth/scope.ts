import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { workspace } from "../../db/schema";

/** What a request may see and where it creates things. */
export interface Scope {
  /** Every workspace the caller may read and change. */
  workspaceIds: number[];
  /** Where new houses and workspace-wide tariffs go when the request names none. */
  workspaceId: number;
}

export const DEFAULT_WORKSPACE_SLUG = "default";

/**
 * Until sign-in exists (the accounts issue) every request acts in the default workspace that
 * the migrations create. The request is passed so that sessions can plug in here later.
 */
export async function resolveScope(db: DbOrTx, _request: Request): Promise<Scope> {
  const [row] = await db.select({ id: workspace.id }).from(workspace).where(eq(workspace.slug, DEFAULT_WORKSPACE_SLUG));
  if (!row) throw new Error("the default workspace is missing: run the migrations");
  return { workspaceIds: [row.id], workspaceId: row.id };
}
