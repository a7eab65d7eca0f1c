import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { HistoryAction } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apiKey, history, person } from "../schema";

// Reading the history (drizzle/0015_roles-history.sql records it; nothing here writes it: the
// table is append-only). Every statement is limited to the caller's workspaces in its WHERE.

/** A bound of `from`/`to`: a calendar day in the app's time zone, or an instant. */
type HistoryBound = { date: string } | { instant: string };

export interface HistoryFilter {
  /** the caller's workspaces (their scope): no entry outside them is ever read */
  workspaceIds: number[];
  /** one workspace's entries (the workspace history) */
  workspaceId?: number;
  /** one apartment's entries, its meters' and readings' included */
  apartmentId?: number;
  personId?: number;
  apiKeyId?: number;
  entity?: string;
  entityId?: string;
  houseId?: number;
  /** at or after: a day from its start */
  from?: HistoryBound;
  /** at or before: a day to its end */
  to?: HistoryBound;
  /** entries older than this entry id (the cursor) */
  before?: number;
  limit: number;
  /** the IANA time zone calendar days are read in */
  timeZone: string;
}

export interface HistoryRow {
  id: number;
  at: Date;
  personId: number | null;
  phone: string | null;
  apiKeyId: number | null;
  apiKeyName: string | null;
  operation: string | null;
  requestId: string | null;
  entity: string;
  entityId: string;
  action: HistoryAction;
  houseId: number | null;
  apartmentId: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const dayStart = (date: string, timeZone: string) => sql`((${date}::date)::timestamp at time zone ${timeZone})`;

/** Newest first; one more row than `limit`, so that the caller knows whether there is a next page. */
export async function listHistory(db: DbOrTx, filter: HistoryFilter): Promise<HistoryRow[]> {
  const where: (SQL | undefined)[] = [inArray(history.workspaceId, filter.workspaceIds)];
  if (filter.workspaceId !== undefined) where.push(eq(history.workspaceId, filter.workspaceId));
  if (filter.apartmentId !== undefined) where.push(eq(history.apartmentId, filter.apartmentId));
  if (filter.personId !== undefined) where.push(eq(history.personId, filter.personId));
  if (filter.apiKeyId !== undefined) where.push(eq(history.apiKeyId, filter.apiKeyId));
  if (filter.entity !== undefined) where.push(eq(history.entity, filter.entity));
  if (filter.entityId !== undefined) where.push(eq(history.entityId, filter.entityId));
  if (filter.houseId !== undefined) where.push(eq(history.houseId, filter.houseId));
  if (filter.before !== undefined) where.push(lt(history.id, filter.before));
  if (filter.from) {
    where.push(
      "date" in filter.from ? gte(history.at, dayStart(filter.from.date, filter.timeZone)) : gte(history.at, new Date(filter.from.instant)),
    );
  }
  if (filter.to) {
    where.push(
      "date" in filter.to
        ? sql`${history.at} < ${dayStart(filter.to.date, filter.timeZone)} + interval '1 day'`
        : // the answers give `at` to the millisecond: an entry's own `at` as `to` must include it
          sql`date_trunc('milliseconds', ${history.at}) <= ${new Date(filter.to.instant)}`,
    );
  }
  const rows = await db
    .select({
      id: history.id,
      at: history.at,
      personId: history.personId,
      phone: person.phone,
      apiKeyId: history.apiKeyId,
      apiKeyName: apiKey.name,
      operation: history.operation,
      requestId: history.requestId,
      entity: history.entity,
      entityId: history.entityId,
      action: history.action,
      houseId: history.houseId,
      apartmentId: history.apartmentId,
      before: history.before,
      after: history.after,
    })
    .from(history)
    .leftJoin(person, eq(person.id, history.personId))
    .leftJoin(apiKey, eq(apiKey.id, history.apiKeyId))
    .where(and(...where))
    .orderBy(desc(history.id))
    .limit(filter.limit + 1);
  return rows as HistoryRow[];
}

/** Whether the workspaces have any entry of the apartment (one that is gone keeps its history). */
export async function apartmentHasHistory(db: DbOrTx, workspaceIds: number[], apartmentId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: history.id })
    .from(history)
    .where(and(eq(history.apartmentId, apartmentId), inArray(history.workspaceId, workspaceIds)))
    .limit(1);
  return row !== undefined;
}
