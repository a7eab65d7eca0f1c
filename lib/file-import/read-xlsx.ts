import { readSheet } from "read-excel-file/node";
import { Dec } from "../money";
import { unreadable, type FileRecord, type ReadFileOptions, type ReadTable } from "./read-file";

// An uploaded Excel workbook (.xlsx): its first sheet as text cells, so that it is checked as a
// CSV file is. read-excel-file (maintained, no known advisories, unlike SheetJS on npm) reads it;
// numbers come as the text the cell stores, never through a float, and dates as YYYY-MM-DD.

/** A zip file (an .xlsx workbook is one) starts with PK\3\4. */
export const isZip = (bytes: Uint8Array) => bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;

/** A number as the cell stores it ("123.456", "1.5E-2") as plain decimal text. */
const numberText = (stored: string) => (/e/i.test(stored) ? new Dec(stored).toFixed() : stored);

const pad = (n: number) => String(n).padStart(2, "0");

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`;
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  return String(cell);
}

const quote = (cell: string) => (/[;"]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/**
 * The first sheet: its first non-empty row is the header, the rows after it the records (a
 * record's line is its row in the sheet; its `raw` its cells joined by `;`, as a CSV line; a
 * line break inside a cell is read as a space). `text` is the sheet as such CSV text, each row
 * on the line of its row number: what an import keeps of a workbook and checks, so that the
 * workbook is unpacked once, at upload (lib/reading-import/check-file.ts).
 */
export async function readXlsx(bytes: Buffer, options: ReadFileOptions): Promise<ReadTable & { text: string }> {
  let sheet: unknown[][];
  try {
    sheet = await readSheet<string>(bytes, { parseNumber: numberText, trim: false });
  } catch {
    throw unreadable("the file is not an Excel workbook (.xlsx) that can be read", "sheet");
  }
  const rows: FileRecord[] = [];
  sheet.forEach((row, index) => {
    const cells = row.map((cell) => cellText(cell).replace(/\r\n|[\r\n]/g, " "));
    if (cells.some((c) => c.trim() !== "")) rows.push({ line: index + 1, cells, raw: cells.map(quote).join(";") });
  });
  const [head, ...records] = rows;
  if (!head) throw unreadable("the workbook's first sheet is empty", "empty");
  while (head.cells.length > 0 && head.cells.at(-1)!.trim() === "") head.cells.pop();
  if (head.cells.length < options.minColumns) {
    throw unreadable(`the sheet has fewer than ${options.minColumns} columns: ${options.needs}`, "no_columns");
  }
  if (records.length === 0) throw unreadable("the sheet has a header and no rows after it", "no_rows");
  const lines = new Array<string>(rows.at(-1)!.line).fill("");
  for (const row of rows) lines[row.line - 1] = row.raw;
  return { header: head.cells.map((c) => c.trim()), records, text: lines.join("\n") };
}
