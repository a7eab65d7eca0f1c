import type { DbOrTx } from "../../db/client";
import { findApartment } from "../../db/queries/apartments";
import { apartmentHasHistory, listHistory, type HistoryFilter, type HistoryRow } from "../../db/queries/history";
import { notFound } from "../api/errors";
import { requireWorkspace, type Scope } from "../auth/scope";
import type { HistoryEntity } from "../constants";
import { env } from "../env";
import type { HistoryQuery } from "../schemas/history";
import type { HistoryEntry, HistoryPage } from "../schemas/responses";

// The history as the API answers it: a workspace's, or an apartment's (its meters and readings
// included), newest first, a page at a time (cursor: the oldest entry id seen).

/** GET /api/history: the workspace's entries (the caller's default workspace unless named). */
export async function listWorkspaceHistory(db: DbOrTx, scope: Scope, query: HistoryQuery): Promise<HistoryPage> {
  const workspaceId = requireWorkspace(scope, query.workspace_id);
  return page(db, query.limit, {
    workspaceIds: scope.workspaceIds,
    workspaceId,
    personId: query.person_id,
    apiKeyId: query.api_key_id,
    entity: query.entity,
    entityId: query.entity_id,
    houseId: query.house_id,
    apartmentId: query.apartment_id,
    from: query.from,
    to: query.to,
    before: query.before,
  });
}

export interface ApartmentHistoryOptions {
  apartmentId: number;
  before?: number;
  limit: number;
}

/**
 * GET /api/apartments/:id/history. A deleted apartment's entries stay readable (its deletion is
 * the last of them); an id with neither an apartment nor entries in the caller's workspaces is a 404.
 */
export async function listApartmentHistory(db: DbOrTx, scope: Scope, options: ApartmentHistoryOptions): Promise<HistoryPage> {
  const { apartmentId } = options;
  const exists =
    (await findApartment(db, { workspaceIds: scope.workspaceIds, apartmentId })) !== undefined ||
    (await apartmentHasHistory(db, scope.workspaceIds, apartmentId));
  if (!exists) throw notFound("apartment", apartmentId);
  return page(db, options.limit, { workspaceIds: scope.workspaceIds, apartmentId, before: options.before });
}

async function page(db: DbOrTx, limit: number, filter: Omit<HistoryFilter, "limit" | "timeZone">): Promise<HistoryPage> {
  const rows = await listHistory(db, { ...filter, limit, timeZone: env().APP_TIMEZONE });
  const items = rows.slice(0, limit).map(serializeEntry);
  return { items, next_before: rows.length > limit ? items[items.length - 1].id : null };
}

function serializeEntry(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    who: {
      kind: row.apiKeyId !== null ? "api_key" : row.personId !== null ? "person" : "system",
      person_id: row.personId,
      phone: row.phone,
      api_key_id: row.apiKeyId,
      api_key_name: row.apiKeyName,
    },
    operation: row.operation,
    request_id: row.requestId,
    entity: row.entity as HistoryEntity,
    entity_id: row.entityId,
    action: row.action,
    house_id: row.houseId,
    apartment_id: row.apartmentId,
    before: row.before,
    after: row.after,
    changes: row.action === "update" && row.before && row.after ? changedFields(row.before, row.after) : [],
  };
}

/** The fields whose value differs (compared as JSON: the values are scalars, dates and decimals as strings). */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null));
}
