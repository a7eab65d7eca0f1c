import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { MeterService, ReadingImportRowStatus, ReadingImportStatus } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { fileImportQueries } from "./file-imports";
import { readingImport, readingImportRow } from "../schema";

// The import of meter readings from a file (lib/reading-import): the uploaded file, its checked
// rows and their commit into meter_reading. Every statement names the import's workspace or is
// reached through an import found within the caller's workspaces.

const importColumns = {
  id: readingImport.id,
  workspaceId: readingImport.workspaceId,
  fileName: readingImport.fileName,
  format: sql<"csv" | "xlsx">`${readingImport.format}`,
  status: sql<ReadingImportStatus>`${readingImport.status}`,
  encoding: readingImport.encoding,
  delimiter: readingImport.delimiter,
  period: readingImport.period,
  mapping: readingImport.mapping,
  rowsTotal: readingImport.rowsTotal,
  rowsDone: readingImport.rowsDone,
  rowsOk: readingImport.rowsOk,
  rowsWarning: readingImport.rowsWarning,
  rowsError: readingImport.rowsError,
  failure: readingImport.failure,
  createdById: readingImport.createdById,
  apiKeyId: readingImport.apiKeyId,
  createdAt: readingImport.createdAt,
  committedAt: readingImport.committedAt,
  committedById: readingImport.committedById,
};
export type ReadingImportRecord = Omit<typeof readingImport.$inferSelect, "content" | "status" | "format"> & {
  status: ReadingImportStatus;
  format: "csv" | "xlsx";
};

export type NewReadingImport = Pick<
  typeof readingImport.$inferInsert,
  "workspaceId" | "fileName" | "content" | "format" | "encoding" | "delimiter" | "period" | "rowsTotal" | "createdById" | "apiKeyId"
>;

export async function insertImport(db: DbOrTx, values: NewReadingImport): Promise<ReadingImportRecord> {
  const [row] = await db
    .insert(readingImport)
    .values({ ...values, status: "uploaded" })
    .returning(importColumns);
  return row as ReadingImportRecord;
}

/** The import, if it is in one of the workspaces; `lock` takes it FOR UPDATE (a commit, a new mapping). */
export async function findImport(db: DbOrTx, workspaceIds: number[], id: number, lock = false): Promise<ReadingImportRecord | null> {
  const query = db
    .select(importColumns)
    .from(readingImport)
    .where(and(eq(readingImport.id, id), inArray(readingImport.workspaceId, workspaceIds)));
  const [row] = await (lock ? query.for("update") : query);
  return (row as ReadingImportRecord) ?? null;
}

export const { importContent, importHead, countImports, workspaceImportMapping, rememberImportMapping } = fileImportQueries("reading");

export async function listImports(db: DbOrTx, workspaceId: number, limit: number, offset: number): Promise<ReadingImportRecord[]> {
  const rows = await db
    .select(importColumns)
    .from(readingImport)
    .where(eq(readingImport.workspaceId, workspaceId))
    .orderBy(desc(readingImport.id))
    .limit(limit)
    .offset(offset);
  return rows as ReadingImportRecord[];
}

export type ImportPatch = Partial<
  Pick<
    typeof readingImport.$inferInsert,
    "status" | "mapping" | "rowsTotal" | "rowsDone" | "rowsOk" | "rowsWarning" | "rowsError" | "failure" | "committedAt" | "committedById"
  >
> & { dropContent?: boolean };

/** `dropContent` empties the file first, in a statement of its own (as the payment import's updateImport). */
export async function updateImport(db: DbOrTx, id: number, patch: ImportPatch): Promise<void> {
  const { dropContent, ...values } = patch;
  if (dropContent) await db.update(readingImport).set({ content: null }).where(eq(readingImport.id, id));
  if (Object.keys(values).length > 0) await db.update(readingImport).set(values).where(eq(readingImport.id, id));
}

export interface WorkspaceMeter {
  id: number;
  serial: string;
  service: MeterService;
  apartmentId: number;
  houseId: number;
}

/** Every meter of the workspace, with its apartment and house. */
export async function workspaceMeters(db: DbOrTx, workspaceId: number): Promise<WorkspaceMeter[]> {
  const { rows } = await db.execute<{ id: number; serial: string; service: MeterService; apartment_id: number; house_id: number }>(sql`
    select m.id, m.serial_number as serial, m.service, m.apartment_id, a.house_id
    from meter m join apartment a on a.id = m.apartment_id
    where m.workspace_id = ${workspaceId}`);
  return rows.map((r) => ({ id: r.id, serial: r.serial, service: r.service, apartmentId: r.apartment_id, houseId: r.house_id }));
}

export interface WorkspaceApartment {
  id: number;
  houseId: number;
  number: string;
  accountNumber: string;
}

/** Every apartment of the workspace that is not archived. */
export async function workspaceApartments(db: DbOrTx, workspaceId: number): Promise<WorkspaceApartment[]> {
  const { rows } = await db.execute<{ id: number; house_id: number; number: string; account_number: string }>(sql`
    select a.id, a.house_id, a.number, a.account_number from apartment a join house h on h.id = a.house_id
    where h.workspace_id = ${workspaceId} and a.archived_at is null`);
  return rows.map((r) => ({ id: r.id, houseId: r.house_id, number: r.number, accountNumber: r.account_number }));
}

/** Each house's latest posted month (first day): that month and every one before it are closed. */
export async function closedMonths(db: DbOrTx, workspaceId: number): Promise<Map<number, string>> {
  const { rows } = await db.execute<{ house_id: number; period: string }>(sql`
    select hm.house_id, max(hm.period)::text as period from house_month hm join house h on h.id = hm.house_id
    where h.workspace_id = ${workspaceId} group by hm.house_id`);
  return new Map(rows.map((r) => [r.house_id, r.period]));
}

/** What a meter's readings around a month are: the month's own, the one before and after, and the 7 months before it. */
export interface ReadingContext {
  current: string | null;
  previous: { period: string; value: string } | null;
  next: { period: string; value: string } | null;
  /** the readings of the 7 months before the month, oldest first: [YYYY-MM, value] */
  recent: [string, string][];
}

/**
 * For each (meter, month) pair, its readings around the month. Keyed `${meterId}:${YYYY-MM-01}`.
 * One statement reads every reading of the pairs' meters (a meter has a dozen a year), and the
 * months around each pair are found here: one index range a meter, not four lookups a pair.
 */
export async function readingContexts(db: DbOrTx, pairs: [number, string][]): Promise<Map<string, ReadingContext>> {
  const result = new Map<string, ReadingContext>();
  if (pairs.length === 0) return result;
  const meterIds = [...new Set(pairs.map(([meterId]) => meterId))];
  const { rows } = await db.execute<{ meter_id: number; periods: string[]; values: string[] }>(sql`
    select r.meter_id, array_agg(r.period::text order by r.period) as periods, array_agg(r.value::text order by r.period) as values
    from meter_reading r where r.meter_id = any(${`{${meterIds.join(",")}}`}::int[])
    group by r.meter_id`);
  const readings = new Map(rows.map((r) => [r.meter_id, r]));
  for (const [meterId, period] of pairs) {
    const own = readings.get(meterId);
    const periods = own?.periods ?? [];
    // the first reading on or after the month (periods are YYYY-MM-DD strings: they sort as dates)
    let at = 0;
    while (at < periods.length && periods[at] < period) at++;
    const current = periods[at] === period ? own!.values[at] : null;
    const after = current === null ? at : at + 1;
    const windowStart = addMonthsToDate(period, -7);
    const recent: [string, string][] = [];
    for (let i = at - 1; i >= 0 && periods[i] >= windowStart; i--) recent.unshift([periods[i].slice(0, 7), own!.values[i]]);
    result.set(`${meterId}:${period}`, {
      current,
      previous: at > 0 ? { period: periods[at - 1], value: own!.values[at - 1] } : null,
      next: after < periods.length ? { period: periods[after], value: own!.values[after] } : null,
      recent,
    });
  }
  return result;
}

/** YYYY-MM-01 moved by whole months. */
function addMonthsToDate(date: string, delta: number): string {
  const months = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + delta;
  return `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, "0")}-01`;
}

export async function deleteImportRows(db: DbOrTx, importId: number): Promise<void> {
  await db.delete(readingImportRow).where(eq(readingImportRow.importId, importId));
}

/** One line of a file as checked (lib/reading-import/check-rows.ts) and stored. */
export interface ImportRowValues {
  line: number;
  status: ReadingImportRowStatus;
  reason: string | null;
  params: Record<string, string | number> | null;
  /** the English text of the reason, with the values (the pages show their own text for the reason) */
  message: string | null;
  raw: string;
  meterId: number | null;
  apartmentId: number | null;
  /** YYYY-MM-01 */
  period: string | null;
  /** m³, 3 decimals */
  value: string | null;
  /** the month's reading the row replaces; null: a new one */
  replacesValue: string | null;
}

/** Many rows in one statement: a JSON array unpacked by the server (as the payment import's insertImportRows). */
export async function insertImportRows(db: DbOrTx, importId: number, rows: ImportRowValues[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => [r.line, r.status, r.reason, r.params, r.message, r.raw, r.meterId, r.apartmentId, r.period, r.value, r.replacesValue]),
  );
  await db.execute(sql`
    insert into reading_import_row (import_id, line, status, reason, params, message, raw, meter_id, apartment_id, period, value, replaces_value)
    select ${importId}, (r->>0)::int, r->>1, r->>2, r->3, r->>4, r->>5, (r->>6)::int, (r->>7)::int, (r->>8)::date, (r->>9)::numeric,
           (r->>10)::numeric
    from jsonb_array_elements(${json}::jsonb) r
    on conflict (import_id, line) do nothing`);
}

export type RowCounts = { total: number; ok: number; warning: number; error: number };

export async function countImportRows(db: DbOrTx, importId: number): Promise<RowCounts> {
  const {
    rows: [row],
  } = await db.execute<RowCounts>(sql`
    select count(*)::int as total,
           count(*) filter (where status = 'ok')::int as ok,
           count(*) filter (where status = 'warning')::int as warning,
           count(*) filter (where status = 'error')::int as error
    from reading_import_row where import_id = ${importId}`);
  return row;
}

export type ImportRowView = {
  line: number;
  status: ReadingImportRowStatus;
  reason: string | null;
  params: Record<string, string | number> | null;
  message: string | null;
  raw: string;
  meter_id: number | null;
  serial_number: string | null;
  service: MeterService | null;
  apartment_id: number | null;
  apartment_number: string | null;
  house_id: number | null;
  house_address: string | null;
  period: string | null;
  value: string | null;
  replaces_value: string | null;
};

export interface ListRowsOptions {
  status?: ReadingImportRowStatus;
  /** rows after this line (the cursor) */
  after?: number;
  limit: number;
}

/** A page of the import's rows in file order, with the meter and apartment each sets. */
export async function listImportRows(db: DbOrTx, importId: number, options: ListRowsOptions): Promise<ImportRowView[]> {
  const { rows } = await db.execute<ImportRowView>(sql`
    select r.line, r.status, r.reason, r.params, r.message, r.raw, r.meter_id, m.serial_number, m.service::text as service,
           r.apartment_id, a.number as apartment_number, h.id as house_id, h.address as house_address,
           to_char(r.period, 'YYYY-MM') as period, r.value::text, r.replaces_value::text
    from reading_import_row r
    left join meter m on m.id = r.meter_id
    left join apartment a on a.id = r.apartment_id
    left join house h on h.id = a.house_id
    where r.import_id = ${importId}
      ${options.status ? sql`and r.status = ${options.status}` : sql``}
      ${options.after ? sql`and r.line > ${options.after}` : sql``}
    order by r.line
    limit ${options.limit}`);
  return rows;
}

/** Every error row, in file order. */
export async function rejectedImportRows(
  db: DbOrTx,
  importId: number,
): Promise<{ line: number; reason: string; message: string; raw: string }[]> {
  const { rows } = await db.execute<{ line: number; reason: string; message: string; raw: string }>(sql`
    select line, reason, message, raw from reading_import_row where import_id = ${importId} and status = 'error' order by line`);
  return rows;
}

/**
 * The rows to import whose preview no longer holds: their meter left the workspace, the month's
 * reading is not the value the preview saw, or a reading before is now higher (after: lower).
 * meter_reading is locked against other writers first (SHARE ROW EXCLUSIVE: reads go on, a
 * reading entered meanwhile waits for the commit's transaction to end), so that what this finds
 * holds until the import's readings are written; one table lock, not 100,000 row locks.
 */
export async function staleImportRows(db: DbOrTx, importId: number, workspaceId: number): Promise<number> {
  await db.execute(sql`lock table meter_reading in share row exclusive mode`);
  const {
    rows: [{ n }],
  } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from reading_import_row r
    left join meter m on m.id = r.meter_id and m.workspace_id = ${workspaceId}
    left join meter_reading cur on cur.meter_id = r.meter_id and cur.period = r.period
    where r.import_id = ${importId} and r.status in ('ok', 'warning')
      and (m.id is null
        or cur.value is distinct from r.replaces_value
        or (select p.value from meter_reading p where p.meter_id = r.meter_id and p.period < r.period order by p.period desc limit 1) > r.value
        or (select n.value from meter_reading n where n.meter_id = r.meter_id and n.period > r.period order by n.period limit 1) < r.value)`);
  return n;
}

export interface CommitOptions {
  importId: number;
  personId: number | null;
  apiKeyId: number | null;
}

/**
 * Writes the ok and warning rows' readings in one statement (source import, the committer, the
 * import): a new reading, or the month's reading replaced. meter_reading's statement triggers
 * refuse a closed month (month_closed) and mark the months' drafts out of date.
 */
export async function commitImportRows(db: DbOrTx, options: CommitOptions): Promise<number> {
  const { importId, personId, apiKeyId } = options;
  const { rowCount } = await db.execute(sql`
    insert into meter_reading (meter_id, period, value, source, sent_by_person_id, sent_by_api_key_id, import_id)
    select r.meter_id, r.period, r.value, 'import', ${personId}, ${apiKeyId}, ${importId}
    from reading_import_row r where r.import_id = ${importId} and r.status in ('ok', 'warning')
    on conflict (meter_id, period) do update set value = excluded.value, source = excluded.source,
      sent_by_person_id = excluded.sent_by_person_id, sent_by_api_key_id = excluded.sent_by_api_key_id,
      import_id = excluded.import_id, updated_at = now()`);
  return rowCount ?? 0;
}
