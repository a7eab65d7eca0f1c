import type { DbOrTx } from "../../db/client";
import { findHouse } from "../../db/queries/houses";
import * as q from "../../db/queries/reading-imports";
import { ApiError, fieldError, notFound } from "../api/errors";
import type { Actor } from "../auth/sessions";
import { requireWorkspace, type Scope } from "../auth/scope";
import { READING_IMPORT_FIELDS, type ReadingImportRowStatus } from "../constants";
import { fileGlimpse, GLIMPSE_BYTES } from "../file-import/glimpse";
import { PREVIEW_SYNC_ROWS } from "../file-import/limits";
import { rememberedFrom, resolveMapping, suggestMapping } from "../file-import/mapping";
import { sendJob } from "../jobs/boss";
import { readingImportJob } from "../jobs/reading-import";
import { dateToMonth, monthToDate, type Month } from "../months";
import { progressPercent } from "../progress";
import type { MappingBody, ReadingImportRowsView, ReadingImportView } from "../schemas/reading-imports";
import { checkReadingsFile, finishPreview, insertCheckedRows, readReadingsFile } from "./check-file";
import { READING_MAPPING, type RememberedMapping, type StoredMapping } from "./mapping";

// Upload → mapping (with the preview) → commit, as the API and the job run them (the payment
// import's steps, lib/payment-import/imports.ts). Nothing reaches meter_reading before POST
// …/commit; the rows wait in reading_import_row.

/**
 * The file's columns and first lines, from the head of what the import keeps: a CSV file as it
 * came, a workbook as the `;` text of its first sheet (UTF-8).
 */
async function glimpse(db: DbOrTx, record: q.ReadingImportRecord) {
  const head = await q.importHead(db, record.id, GLIMPSE_BYTES);
  if (!head) return null;
  return record.format === "csv" ? fileGlimpse(head, record.encoding, record.delimiter) : fileGlimpse(head, "utf-8", ";");
}

const storedMapping = (record: q.ReadingImportRecord) => record.mapping as StoredMapping | null;

/**
 * The import as the API answers it; `withFile`: with the file's columns, first lines and the
 * suggested mapping (not while a job checks it: the page polls then).
 */
async function view(db: DbOrTx, record: q.ReadingImportRecord, withFile = true): Promise<ReadingImportView> {
  const open = ["uploaded", "previewed", "failed"].includes(record.status);
  const file = open && withFile ? await glimpse(db, record) : null;
  const suggestion = file
    ? suggestMapping(file.columns, (await q.workspaceImportMapping(db, record.workspaceId)) as RememberedMapping | null, READING_MAPPING)
    : null;
  const stored = storedMapping(record);
  return {
    id: record.id,
    workspace_id: record.workspaceId,
    file_name: record.fileName,
    format: record.format,
    status: record.status,
    encoding: record.encoding,
    delimiter: record.delimiter,
    period: record.period ? dateToMonth(record.period) : null,
    house_id: stored?.house_id ?? null,
    columns: file?.columns ?? null,
    sample: file?.sample ?? [],
    suggested_mapping: suggestion?.mapping ?? null,
    suggested_from: suggestion?.from ?? null,
    mapping: (stored?.columns as ReadingImportView["mapping"]) ?? null,
    rows_total: record.rowsTotal,
    rows_done: record.rowsDone,
    rows_ok: record.rowsOk,
    rows_warning: record.rowsWarning,
    rows_error: record.rowsError,
    percent:
      record.status === "previewed" || record.status === "committed" ? 100 : progressPercent(record.rowsDone, record.rowsTotal, false),
    failure: record.failure,
    created_at: record.createdAt.toISOString(),
    committed_at: record.committedAt?.toISOString() ?? null,
    committed_by_id: record.committedById,
  };
}

async function findOrThrow(db: DbOrTx, scope: Scope, id: number, lock = false): Promise<q.ReadingImportRecord> {
  const record = await q.findImport(db, scope.workspaceIds, id, lock);
  if (!record) throw notFound("reading import", id);
  return record;
}

const reload = async (db: DbOrTx, record: q.ReadingImportRecord) => view(db, (await q.findImport(db, [record.workspaceId], record.id))!);

export interface UploadOptions {
  scope: Scope;
  actor: Actor;
  workspaceId?: number;
  fileName?: string;
  /** the month of rows without one */
  period?: Month;
  bytes: Buffer;
}

/** Stores an uploaded file once it can be read (else 422, nothing stored). */
export async function uploadReadingImport(db: DbOrTx, options: UploadOptions): Promise<ReadingImportView> {
  const workspaceId = requireWorkspace(options.scope, options.workspaceId);
  const file = await readReadingsFile(options.bytes);
  const record = await q.insertImport(db, {
    workspaceId,
    fileName: options.fileName ?? `readings.${file.format}`,
    // a workbook is kept as the text of its sheet: unpacked once, here
    content: file.text !== undefined ? Buffer.from(file.text) : options.bytes,
    format: file.format,
    encoding: file.encoding,
    delimiter: file.delimiter,
    period: options.period ? monthToDate(options.period) : null,
    rowsTotal: file.records.length,
    createdById: options.actor.personId,
    apiKeyId: options.actor.apiKeyId,
  });
  return view(db, record);
}

export async function getReadingImport(db: DbOrTx, scope: Scope, id: number): Promise<ReadingImportView> {
  return view(db, await findOrThrow(db, scope, id));
}

export async function listReadingImports(
  db: DbOrTx,
  scope: Scope,
  options: { workspaceId?: number; limit: number; offset: number },
): Promise<{ items: ReadingImportView[]; total: number }> {
  const workspaceId = requireWorkspace(scope, options.workspaceId);
  const [records, total] = await Promise.all([
    q.listImports(db, workspaceId, options.limit, options.offset),
    q.countImports(db, workspaceId),
  ]);
  return { items: await Promise.all(records.map((record) => view(db, record, false))), total };
}

const closed = (record: q.ReadingImportRecord, doing: string) =>
  new ApiError({
    reason: "reading_import_closed",
    message: `the import is ${record.status}: it cannot be ${doing}`,
    params: { status: record.status },
  });

/** The meter is named by its serial, or by the apartment and the service: 422 when the mapping names neither. */
function assertFindsMeters(body: MappingBody): void {
  const has = (field: keyof MappingBody) => body[field] !== undefined && body[field] !== null;
  if (has("serial_number")) return;
  const problem = !has("service")
    ? { field: "service", message: "map the meter's serial number, or the service with the account or apartment number" }
    : !has("account_number") && !has("apartment_number")
      ? { field: "account_number", message: "map the meter's serial number, or the account or apartment number with the service" }
      : has("apartment_number") && !has("account_number") && !has("house_id")
        ? { field: "house_id", message: "apartment numbers need the house they are in" }
        : null;
  if (problem) {
    throw new ApiError({
      reason: "invalid_input",
      message: `the mapping cannot find the meters: ${problem.message}`,
      fields: { [problem.field]: fieldError("required", problem.message) },
    });
  }
}

export interface MappingOptions {
  scope: Scope;
  id: number;
  body: MappingBody;
}

/**
 * Sets the mapping, remembers it for the workspace and checks every row: a small file at once
 * (→ previewed), a big one by a job sent in this transaction (→ parsing, then previewed).
 * A previewed or failed import may be mapped again (its rows are checked anew).
 */
export async function setReadingImportMapping(db: DbOrTx, options: MappingOptions): Promise<{ view: ReadingImportView; queued: boolean }> {
  const record = await findOrThrow(db, options.scope, options.id, true);
  if (!["uploaded", "previewed", "failed"].includes(record.status)) throw closed(record, "mapped again");
  assertFindsMeters(options.body);
  const houseId = options.body.house_id ?? null;
  if (houseId !== null && !(await findHouse(db, { workspaceIds: [record.workspaceId], houseId }))) throw notFound("house", houseId);
  const big = record.rowsTotal > PREVIEW_SYNC_ROWS;
  const file = (await glimpse(db, record))!;
  const columns = resolveMapping(file.columns, options.body, READING_IMPORT_FIELDS);
  const mapping: StoredMapping = { columns, house_id: houseId };
  await q.rememberImportMapping(db, record.workspaceId, rememberedFrom(file.columns, columns));
  await q.deleteImportRows(db, record.id);
  const reset = { mapping, rowsDone: 0, rowsOk: 0, rowsWarning: 0, rowsError: 0, failure: null };
  if (big) {
    await q.updateImport(db, record.id, { ...reset, status: "parsing" });
    await sendJob(db, readingImportJob, { importId: record.id, workspaceId: record.workspaceId });
    return { view: await reload(db, record), queued: true };
  }
  await q.updateImport(db, record.id, reset);
  const content = (await q.importContent(db, record.id))!;
  await insertCheckedRows(db, record.id, await checkReadingsFile(db, record, content, mapping));
  await finishPreview(db, record.id);
  return { view: await reload(db, record), queued: false };
}

export async function listReadingImportRows(
  db: DbOrTx,
  scope: Scope,
  id: number,
  options: { status?: ReadingImportRowStatus; after?: number; limit?: number },
): Promise<ReadingImportRowsView> {
  const record = await findOrThrow(db, scope, id);
  const limit = options.limit ?? 100;
  const rows = await q.listImportRows(db, record.id, { status: options.status, after: options.after, limit });
  return {
    items: rows.map((r) => ({ ...r, reason: r.reason as ReadingImportRowsView["items"][number]["reason"] })),
    next_after: rows.length === limit ? rows[rows.length - 1].line : null,
  };
}

export interface CommitOptions {
  scope: Scope;
  actor: Actor;
  id: number;
}

/**
 * Writes the ok and warning rows' readings in the request's one transaction and closes the
 * import: its file is dropped, its rows stay. Only a previewed import with a row to import; and
 * only while its preview holds: a reading entered since then that changes a row's verdict (the
 * month's value it replaces, the readings before and after it) refuses the commit (409
 * reading_import_stale: map the file again to check it anew). A month posted since then is
 * refused by meter_reading's trigger (409 month_closed).
 */
export async function commitReadingImport(db: DbOrTx, options: CommitOptions): Promise<ReadingImportView> {
  const record = await findOrThrow(db, options.scope, options.id, true);
  if (record.status !== "previewed") {
    throw new ApiError({
      reason: "reading_import_not_previewed",
      message: `only a previewed import can be committed; this one is ${record.status}`,
      params: { status: record.status },
    });
  }
  if (record.rowsOk + record.rowsWarning === 0) {
    throw new ApiError({
      reason: "reading_import_nothing_to_import",
      message: `every one of the file's ${record.rowsError} rows is an error: nothing would be imported`,
      params: { rows: record.rowsError },
    });
  }
  const stale = await q.staleImportRows(db, record.id, record.workspaceId);
  if (stale > 0) {
    throw new ApiError({
      reason: "reading_import_stale",
      message: `readings entered since the preview change ${stale} of its rows: map the file again to check it anew`,
      params: { rows: stale },
    });
  }
  await q.commitImportRows(db, { importId: record.id, personId: options.actor.personId, apiKeyId: options.actor.apiKeyId });
  await q.updateImport(db, record.id, {
    status: "committed",
    committedAt: new Date(),
    committedById: options.actor.personId,
    dropContent: true,
  });
  return reload(db, record);
}

/** Discards an import that is not committed: its rows go, its file too; the import stays as discarded. */
export async function discardReadingImport(db: DbOrTx, scope: Scope, id: number): Promise<void> {
  const record = await findOrThrow(db, scope, id, true);
  if (record.status === "committed" || record.status === "discarded") throw closed(record, "discarded");
  await q.deleteImportRows(db, record.id);
  await q.updateImport(db, record.id, { status: "discarded", dropContent: true });
}
