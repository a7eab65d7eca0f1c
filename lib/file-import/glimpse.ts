import { splitRecords } from "./read-file";

// What an import shows of its file before it is mapped, read from the head of what it keeps
// (a CSV file as it came, a workbook as its sheet's text).

/** Lines shown from the file before it is mapped. */
const SAMPLE_LINES = 5;

/** What is read of the file to show it: its header and first lines are in there. */
export const GLIMPSE_BYTES = 64 * 1024;

/** What is shown of the file itself: its columns and first lines (from its first 64 KB). */
export function fileGlimpse(content: Buffer, encoding: string | null, delimiter: string | null) {
  const head = new TextDecoder(encoding ?? "utf-8").decode(content);
  const [header, ...rest] = splitRecords(head, delimiter ?? ";");
  return { columns: header?.cells.map((c) => c.trim()) ?? [], sample: rest.slice(0, SAMPLE_LINES).map((r) => r.cells) };
}
