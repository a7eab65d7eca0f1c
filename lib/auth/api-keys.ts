import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { apiKey, person } from "../../db/schema";
import { notFound } from "../api/errors";
import type { Scope } from "./scope";
import { API_KEY_PREFIX, newSecret, sha256Hex } from "./tokens";

/** Creates a key for one workspace of the person; the key itself is returned only here. */
export async function createApiKey(db: DbOrTx, options: { scope: Scope; personId: number | null; name: string; workspaceId?: number }) {
  const workspaceId = options.workspaceId ?? options.scope.workspaceId;
  if (!options.scope.workspaceIds.includes(workspaceId)) throw notFound("workspace", workspaceId);
  const key = newSecret(API_KEY_PREFIX);
  const [row] = await db
    .insert(apiKey)
    .values({ workspaceId, createdById: options.personId, name: options.name, keyHash: sha256Hex(key), keyPrefix: key.slice(0, 12) })
    .returning();
  return {
    id: row.id,
    name: row.name,
    workspace_id: row.workspaceId,
    key_prefix: row.keyPrefix,
    created_at: row.createdAt.toISOString(),
    key,
  };
}

/** Keys of the person's workspaces, newest first; never the keys themselves. */
export async function listApiKeys(db: DbOrTx, scope: Scope) {
  const rows = await db
    .select({
      id: apiKey.id,
      name: apiKey.name,
      workspaceId: apiKey.workspaceId,
      keyPrefix: apiKey.keyPrefix,
      createdAt: apiKey.createdAt,
      lastUsedAt: apiKey.lastUsedAt,
      createdBy: person.phone,
    })
    .from(apiKey)
    .leftJoin(person, eq(person.id, apiKey.createdById))
    .where(inArray(apiKey.workspaceId, scope.workspaceIds))
    .orderBy(desc(apiKey.createdAt), desc(apiKey.id));
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      workspace_id: r.workspaceId,
      key_prefix: r.keyPrefix,
      created_by: r.createdBy,
      created_at: r.createdAt.toISOString(),
      last_used_at: r.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

/** Deletes the key; requests made with it are refused from this moment on. */
export async function deleteApiKey(db: DbOrTx, scope: Scope, id: number): Promise<void> {
  const deleted = await db
    .delete(apiKey)
    .where(and(eq(apiKey.id, id), inArray(apiKey.workspaceId, scope.workspaceIds)))
    .returning({ id: apiKey.id });
  if (deleted.length === 0) throw notFound("API key", id);
}
