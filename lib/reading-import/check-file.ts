import type { DbOrTx } from "../../db/client";
import * as q from "../../db/queries/reading-imports";
import { env } from "../env";
import { accountIndex } from "../file-import/cells";
import { insertInStatements } from "../file-import/write-in-chunks";
import { readFile, type ReadFileOptions, type ReadTable } from "../file-import/read-file";
import { isZip, readXlsx } from "../file-import/read-xlsx";
import { currentMonth, monthToDate } from "../months";
import { checkLines, checkReadings, contextPairs, type CheckedRow, type Register } from "./check-rows";
import type { StoredMapping } from "./mapping";

// Reading a readings file and checking its rows with what the database knows, for the request
// (a small file) and the job (a big one). The register comes in four statements, the readings
// around each row's month in one; the checking itself is pure and in memory.

const READINGS_FILE: ReadFileOptions = { minColumns: 2, needs: "a readings file needs the meter (or the apartment) and the value" };

export type ReadingsFile = ReadTable & { format: "csv" | "xlsx"; encoding: string | null; delimiter: string | null };

/**
 * A CSV file (any encoding and delimiter the payment import reads) or an Excel workbook (.xlsx,
 * its first sheet, with `text`: the sheet as the CSV text the import keeps instead of the
 * workbook). `kept` says what an import's stored content is: a workbook's is that text, read
 * back with its `;` (unpacking 100,000 rows of a workbook takes a second; reading text, a tenth).
 */
export async function readReadingsFile(content: Buffer, kept?: "csv" | "xlsx"): Promise<ReadingsFile & { text?: string }> {
  if (isZip(content)) return { ...(await readXlsx(content, READINGS_FILE)), format: "xlsx", encoding: null, delimiter: null };
  if (kept === "xlsx")
    return { ...readFile(content, { ...READINGS_FILE, delimiter: ";" }), format: "xlsx", encoding: null, delimiter: null };
  return { format: "csv", ...readFile(content, READINGS_FILE) };
}

/** The workspace's register as the mapping needs it (its apartments only when rows name them). */
async function loadRegister(db: DbOrTx, workspaceId: number, mapping: StoredMapping): Promise<Register> {
  const byApartment = mapping.columns.serial_number === undefined;
  const houseId = mapping.house_id;
  const [meters, apartments, closed] = await Promise.all([
    q.workspaceMeters(db, workspaceId),
    byApartment ? q.workspaceApartments(db, workspaceId) : [],
    q.closedMonths(db, workspaceId),
  ]);
  const bySerial = new Map(meters.map((m) => [m.serial, m]));
  const apartmentMeters = new Map<string, q.WorkspaceMeter[]>();
  if (byApartment) {
    for (const m of meters) {
      const key = `${m.apartmentId}:${m.service}`;
      apartmentMeters.set(key, [...(apartmentMeters.get(key) ?? []), m]);
    }
  }
  const accounts = accountIndex(apartments.filter((a) => a.accountNumber !== "").map((a) => [a.accountNumber, a.id]));
  const numbers = new Map(apartments.filter((a) => a.houseId === houseId).map((a) => [a.number, a.id]));
  return { bySerial, byApartment: apartmentMeters, accounts, numbers, closed };
}

/** Every row of the file checked with the mapping. */
export async function checkReadingsFile(
  db: DbOrTx,
  record: Pick<q.ReadingImportRecord, "workspaceId" | "period" | "format">,
  content: Buffer,
  mapping: StoredMapping,
): Promise<CheckedRow[]> {
  const { records } = await readReadingsFile(content, record.format);
  const register = await loadRegister(db, record.workspaceId, mapping);
  const current = monthToDate(currentMonth(env().APP_TIMEZONE));
  const rows = checkLines(records, { mapping, register, period: record.period, current });
  return checkReadings(rows, await q.readingContexts(db, contextPairs(rows)));
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
    rowsWarning: counts.warning,
    rowsError: counts.error,
  });
}
