import type { DbOrTx } from "../../db/client";
import * as q from "../../db/queries/payment-imports";
import { ApiError, notFound } from "../api/errors";
import type { Actor } from "../auth/sessions";
import { requireWorkspace, type Scope } from "../auth/scope";
import { PAYMENT_IMPORT_FIELDS, type PaymentImportRowStatus } from "../constants";
import { sendJob } from "../jobs/boss";
import { paymentImportJob } from "../jobs/payment-import";
import type { MappingBody, PaymentImportRowsView, PaymentImportView } from "../schemas/payment-imports";
import { checkImportFile, finishPreview, insertCheckedRows } from "./check-file";
import { fileGlimpse, GLIMPSE_BYTES } from "../file-import/glimpse";
import { rememberedFrom, resolveMapping, suggestMapping } from "../file-import/mapping";
import { PAYMENT_MAPPING, type RememberedMapping } from "./mapping";
import { progressPercent } from "../progress";
import { PREVIEW_SYNC_ROWS } from "../file-import/limits";
import { readFile } from "../file-import/read-file";

// Upload → mapping (with the preview) → commit, as the API and the job run them. Nothing reaches
// the accounts before POST …/commit; the rows wait in payment_import_row.

/** The import as the API answers it; `withFile`: with the file's columns, first lines and the suggested mapping. */
async function view(db: DbOrTx, record: q.PaymentImportRecord, withFile = true): Promise<PaymentImportView> {
  const open = record.status !== "committed" && record.status !== "discarded";
  const content = open && withFile ? await q.importHead(db, record.id, GLIMPSE_BYTES) : null;
  const glimpse = content ? fileGlimpse(content, record.encoding, record.delimiter) : null;
  const suggestion = glimpse
    ? suggestMapping(glimpse.columns, (await q.workspaceImportMapping(db, record.workspaceId)) as RememberedMapping | null, PAYMENT_MAPPING)
    : null;
  return {
    id: record.id,
    workspace_id: record.workspaceId,
    file_name: record.fileName,
    status: record.status,
    encoding: record.encoding,
    delimiter: record.delimiter,
    columns: glimpse?.columns ?? null,
    sample: glimpse?.sample ?? [],
    suggested_mapping: suggestion?.mapping ?? null,
    suggested_from: suggestion?.from ?? null,
    mapping: (record.mapping as PaymentImportView["mapping"]) ?? null,
    rows_total: record.rowsTotal,
    rows_done: record.rowsDone,
    rows_ok: record.rowsOk,
    rows_error: record.rowsError,
    rows_duplicate: record.rowsDuplicate,
    percent:
      record.status === "previewed" || record.status === "committed" ? 100 : progressPercent(record.rowsDone, record.rowsTotal, false),
    failure: record.failure,
    created_at: record.createdAt.toISOString(),
    committed_at: record.committedAt?.toISOString() ?? null,
    committed_by_id: record.committedById,
  };
}

async function findOrThrow(db: DbOrTx, scope: Scope, id: number, lock = false): Promise<q.PaymentImportRecord> {
  const record = await q.findImport(db, scope.workspaceIds, id, lock);
  if (!record) throw notFound("payment import", id);
  return record;
}

export interface UploadOptions {
  scope: Scope;
  actor: Actor;
  workspaceId?: number;
  fileName?: string;
  bytes: Buffer;
}

/** Stores an uploaded registry once it can be read (else 422, nothing stored). */
export async function uploadPaymentImport(db: DbOrTx, options: UploadOptions): Promise<PaymentImportView> {
  const workspaceId = requireWorkspace(options.scope, options.workspaceId);
  const file = readFile(options.bytes);
  const record = await q.insertImport(db, {
    workspaceId,
    fileName: options.fileName ?? "payments.csv",
    content: options.bytes,
    encoding: file.encoding,
    delimiter: file.delimiter,
    createdById: options.actor.personId,
    apiKeyId: options.actor.apiKeyId,
  });
  await q.updateImport(db, record.id, { rowsTotal: file.records.length });
  return view(db, { ...record, rowsTotal: file.records.length });
}

export async function getPaymentImport(db: DbOrTx, scope: Scope, id: number): Promise<PaymentImportView> {
  return view(db, await findOrThrow(db, scope, id));
}

export async function listPaymentImports(
  db: DbOrTx,
  scope: Scope,
  options: { workspaceId?: number; limit: number; offset: number },
): Promise<{ items: PaymentImportView[]; total: number }> {
  const workspaceId = requireWorkspace(scope, options.workspaceId);
  const [records, total] = await Promise.all([
    q.listImports(db, workspaceId, options.limit, options.offset),
    q.countImports(db, workspaceId),
  ]);
  // The list shows no glimpse of the files: a file is read for one import at a time.
  return { items: await Promise.all(records.map((record) => view(db, record, false))), total };
}

const closed = (record: q.PaymentImportRecord, doing: string) =>
  new ApiError({
    reason: "payment_import_closed",
    message: `the import is ${record.status}: it cannot be ${doing}`,
    params: { status: record.status },
  });

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
export async function setPaymentImportMapping(db: DbOrTx, options: MappingOptions): Promise<{ view: PaymentImportView; queued: boolean }> {
  const record = await findOrThrow(db, options.scope, options.id, true);
  if (!["uploaded", "previewed", "failed"].includes(record.status)) throw closed(record, "mapped again");
  // A big file is checked by the job, which reads it whole: here only its header is needed, from
  // its first 64 KB (the upload counted its lines). A small one is read whole and checked now.
  const big = record.rowsTotal > PREVIEW_SYNC_ROWS;
  const content = big ? null : (await q.importContent(db, record.id))!;
  const header = content
    ? readFile(content).header
    : fileGlimpse((await q.importHead(db, record.id, GLIMPSE_BYTES))!, record.encoding, record.delimiter).columns;
  const mapping = resolveMapping(header, options.body, PAYMENT_IMPORT_FIELDS);
  await q.rememberImportMapping(db, record.workspaceId, rememberedFrom(header, mapping));
  await q.deleteImportRows(db, record.id);
  const reset = { mapping, rowsDone: 0, rowsOk: 0, rowsError: 0, rowsDuplicate: 0, failure: null };
  if (big) {
    await q.updateImport(db, record.id, { ...reset, status: "parsing" });
    await sendJob(db, paymentImportJob, { importId: record.id, workspaceId: record.workspaceId });
    return { view: await view(db, (await q.findImport(db, [record.workspaceId], record.id))!), queued: true };
  }
  await q.updateImport(db, record.id, reset);
  await insertCheckedRows(db, record.id, await checkImportFile(db, record.workspaceId, content!, mapping));
  await finishPreview(db, record.id);
  return { view: await view(db, (await q.findImport(db, [record.workspaceId], record.id))!), queued: false };
}

export async function listPaymentImportRows(
  db: DbOrTx,
  scope: Scope,
  id: number,
  options: { status?: PaymentImportRowStatus; after?: number; limit?: number },
): Promise<PaymentImportRowsView> {
  const record = await findOrThrow(db, scope, id);
  const limit = options.limit ?? 100;
  const rows = await q.listImportRows(db, record.id, { status: options.status, after: options.after, limit });
  return {
    items: rows.map((r) => ({ ...r, reason: r.reason as PaymentImportRowsView["items"][number]["reason"] })),
    next_after: rows.length === limit ? rows[rows.length - 1].line : null,
  };
}

export interface CommitOptions {
  scope: Scope;
  actor: Actor;
  id: number;
}

/**
 * Writes a payment per ok row, in the request's one transaction, and closes the import: its file
 * is dropped, its rows stay (what was imported and what was not). Only a previewed import.
 */
export async function commitPaymentImport(db: DbOrTx, options: CommitOptions): Promise<PaymentImportView> {
  const record = await findOrThrow(db, options.scope, options.id, true);
  if (record.status !== "previewed") {
    throw new ApiError({
      reason: "payment_import_not_previewed",
      message: `only a previewed import can be committed; this one is ${record.status}`,
      params: { status: record.status },
    });
  }
  await q.commitImportRows(db, {
    importId: record.id,
    workspaceId: record.workspaceId,
    personId: options.actor.personId,
    apiKeyId: options.actor.apiKeyId,
  });
  const counts = await q.countImportRows(db, record.id);
  await q.updateImport(db, record.id, {
    status: "committed",
    committedAt: new Date(),
    committedById: options.actor.personId,
    rowsOk: counts.ok,
    rowsError: counts.error,
    rowsDuplicate: counts.duplicate,
    dropContent: true,
  });
  return view(db, (await q.findImport(db, [record.workspaceId], record.id))!);
}

/** Discards an import that is not committed: its rows go, its file too; the import stays as discarded. */
export async function discardPaymentImport(db: DbOrTx, scope: Scope, id: number): Promise<void> {
  const record = await findOrThrow(db, scope, id, true);
  if (record.status === "committed" || record.status === "discarded") throw closed(record, "discarded");
  await q.deleteImportRows(db, record.id);
  await q.updateImport(db, record.id, { status: "discarded", dropContent: true });
}
