import { sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client";
import type { HistoryAction, HistoryEntity } from "../../lib/constants";

const TABLES = [
  "workspace",
  "house",
  "apartment",
  "meter",
  "meter_reading",
  "tariff",
  "invoice",
  "service",
  "normative",
  "ledger_entry",
] as const;

/**
 * A fingerprint of every registry table's full contents: equal fingerprints before and after a
 * request mean it changed nothing.
 */
export async function snapshot(): Promise<Record<string, string>> {
  const db = getDb();
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const {
      rows: [row],
    } = await db.execute<{ n: number; digest: string | null }>(
      sql.raw(`select count(*)::int as n, md5(string_agg(t::text, '|' order by t.id)) as digest from "${table}" t`),
    );
    result[table] = `${row.n}:${row.digest ?? "-"}`;
  }
  return result;
}

export function db() {
  return getDb();
}

/** The newest history id of the whole database: the entries after it are what came next. */
export async function lastHistoryId(): Promise<number> {
  const {
    rows: [row],
  } = await getDb().execute<{ id: string }>(sql`select coalesce(max(id), 0)::text as id from history`);
  return Number(row.id);
}

/** Every history entry after the id (any workspace), oldest first, as stored. */
export async function historySince(id: number) {
  const { rows } = await getDb().execute<{
    entity: HistoryEntity;
    entity_id: string;
    action: HistoryAction;
    person_id: number | null;
    api_key_id: number | null;
    operation: string | null;
    workspace_id: number;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }>(sql`select entity, entity_id, action::text as action, person_id, api_key_id, operation, workspace_id, before, after
         from history where id > ${id} order by id`);
  return rows;
}

/** Whether another session is waiting for a lock that `tx` holds (a request or chunk held in flight). */
export async function blocksAnother(tx: DbOrTx): Promise<boolean> {
  const {
    rows: [row],
  } = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))`,
  );
  return row.n > 0;
}

/**
 * Sets a rate-limit counter of the bucket (lib/auth/rate-limit.ts) to `hits` in the window of
 * this length that holds now, and in the next one (so that a window ending mid-test changes nothing).
 */
export async function preFill(bucket: string, windowSeconds: number, hits: number) {
  await getDb().execute(sql`
    insert into rate_limit (bucket, window_start, hits)
    select ${`${bucket}:${windowSeconds}s`}, to_timestamp((floor(extract(epoch from now()) / ${windowSeconds}) + k) * ${windowSeconds}), ${hits}
    from generate_series(0, 1) k
    on conflict (bucket, window_start) do update set hits = excluded.hits`);
}
