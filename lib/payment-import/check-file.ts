import type { DbOrTx } from "../../db/client";
import * as q from "../../db/queries/payment-imports";
import { env } from "../env";
import { todayIn } from "../ledger/dates";
import { accountIndex } from "../file-import/cells";
import { checkRows, type CheckedRow } from "./check-rows";
import type { ColumnMapping } from "./mapping";
import { insertInStatements } from "../file-import/write-in-chunks";
import { readFile } from "../file-import/read-file";

// Checking a mapped file's rows and writing them, for the request (a small file) and the job
// (a big one, chunk by chunk).

/** Every row checked with the mapping: the accounts and the external ids already paid from the database. */
export async function checkImportFile(db: DbOrTx, workspaceId: number, content: Buffer, mapping: ColumnMapping): Promise<CheckedRow[]> {
  const { records } = readFile(content);
  const accounts = accountIndex(await q.workspaceAccounts(db, workspaceId));
  const externalIds =
    mapping.external_id === undefined ? [] : [...new Set(records.map((r) => (r.cells[mapping.external_id!] ?? "").trim()).filter(Boolean))];
  const paidExternalIds = await q.paidExternalIds(db, workspaceId, externalIds);
  return checkRows(records, { mapping, accounts, paidExternalIds, today: todayIn(env().APP_TIMEZONE) });
}

export const insertCheckedRows = (db: DbOrTx, importId: number, rows: CheckedRow[]): Promise<void> =>
  insertInStatements(rows, (chunk) => q.insertImportRows(db, importId, chunk));

/** The counts an import shows once its rows are all checked. */
export async function finishPreview(db: DbOrTx, importId: number): Promise<void> {
  const counts = await q.countImportRows(db, importId);
  await q.updateImport(db, importId, {
    status: "previewed",
    rowsTotal: counts.total,
    rowsDone: counts.total,
    rowsOk: counts.ok,
    rowsError: counts.error,
    rowsDuplicate: counts.duplicate,
  });
}
