import type { DbOrTx } from "../../db/client";
import * as auth from "../../db/queries/auth";
import { ApiError, notFound } from "../api/errors";
import type { MemberRole } from "../constants";
import type { ApiKeyCreated, ApiKeyList } from "../schemas/responses";
import { roleRank } from "./roles";
import type { Scope } from "./scope";
import { API_KEY_PREFIX, newSecret, sha256Hex } from "./tokens";

export interface CreateApiKeyOptions {
  scope: Scope;
  personId: number | null;
  name: string;
  workspaceId?: number;
  /** default accountant: what every key could do before roles */
  role?: MemberRole;
}

/**
 * Creates a key for one workspace of the person, with a role never above the maker's there; the
 * key itself is returned only here.
 */
export async function createApiKey(db: DbOrTx, options: CreateApiKeyOptions): Promise<ApiKeyCreated> {
  const { role = "accountant" } = options;
  const workspaceId = options.workspaceId ?? options.scope.workspaceId;
  if (!options.scope.workspaceIds.includes(workspaceId)) throw notFound("workspace", workspaceId);
  // Only owners make keys today (ROLES.owner), so this refuses nothing yet: it keeps the rule if that changes.
  const yours = options.scope.roles?.[workspaceId];
  if (yours && roleRank(role) < roleRank(yours)) {
    throw new ApiError({
      reason: "role_above_yours",
      message: `a key's role cannot be above yours: you are ${yours} in workspace ${workspaceId}, the key asked for ${role}`,
      params: { role, your_role: yours, workspace_id: workspaceId },
    });
  }
  const key = newSecret(API_KEY_PREFIX);
  const row = await auth.insertApiKey(db, {
    workspaceId,
    createdById: options.personId,
    name: options.name,
    keyHash: sha256Hex(key),
    keyPrefix: key.slice(0, 12),
    role,
  });
  return {
    id: row.id,
    name: row.name,
    workspace_id: row.workspaceId,
    role: row.role,
    key_prefix: row.keyPrefix,
    created_at: row.createdAt.toISOString(),
    key,
  };
}

/** Keys of the person's workspaces, newest first; never the keys themselves. */
export async function listApiKeys(db: DbOrTx, scope: Scope): Promise<ApiKeyList> {
  const rows = await auth.listApiKeys(db, scope.workspaceIds);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      workspace_id: r.workspaceId,
      role: r.role,
      key_prefix: r.keyPrefix,
      created_by: r.createdBy,
      created_at: r.createdAt.toISOString(),
      last_used_at: r.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

/** Deletes the key; requests made with it are refused from this moment on. */
export async function deleteApiKey(db: DbOrTx, scope: Scope, id: number): Promise<void> {
  if (!(await auth.deleteApiKey(db, { id, workspaceIds: scope.workspaceIds }))) throw notFound("API key", id);
}
