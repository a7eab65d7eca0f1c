import { ApiError } from "../api/errors";

// An uploaded CSV file (a bank's payment registry, a controller's readings) as the bytes came:
// its encoding, its delimiter and its records. Such files come from 1C, Excel or other systems:
// UTF-8 (with or without a BOM) or windows-1251, `;` (Excel in a Russian locale), `,` or tab
// between columns, quotes as RFC 4180 has them.

type FileEncoding = "utf-8" | "windows-1251";
const DELIMITERS = [";", ",", "\t"] as const;
type Delimiter = (typeof DELIMITERS)[number];

/** One record of the file: the file line it starts on (1-based), its cells and its text. */
export interface FileRecord {
  line: number;
  cells: string[];
  raw: string;
}

/** A file's table: its header and records (a CSV file's, or an Excel sheet's). */
export interface ReadTable {
  /** the header's cells (the first non-empty line), trimmed */
  header: string[];
  /** the data records after the header, empty lines left out */
  records: FileRecord[];
}

export interface ReadFile extends ReadTable {
  encoding: FileEncoding;
  delimiter: Delimiter;
}

export const unreadable = (message: string, problem: string) =>
  new ApiError({ reason: "import_file_unreadable", message, params: { problem } });

/** Valid UTF-8 is UTF-8 (a BOM is dropped); anything else is read as windows-1251. */
function decode(bytes: Uint8Array): { text: string; encoding: FileEncoding } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1251").decode(bytes), encoding: "windows-1251" };
  }
}

/** The delimiter that splits the first lines most consistently into the most columns. */
function detectDelimiter(lines: string[]): Delimiter {
  let best: Delimiter = ";";
  let bestScore = -1;
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => splitRecords(line, delimiter)[0]?.cells.length ?? 1);
    const columns = counts[0] ?? 1;
    if (columns < 2) continue;
    // lines that agree with the header count; a delimiter that splits nothing scores nothing
    const score = counts.filter((c) => c === columns).length * 1000 + columns;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Splits text into records: quotes may hold the delimiter, doubled quotes and line breaks;
 * each record keeps the file line it starts on. Empty lines are left out. A line without a
 * quote (most of a bank's file) is split as it is; one with quotes is read character by
 * character, with the lines after it while a quote is open.
 */
export function splitRecords(text: string, delimiter: string, firstLine = 1): FileRecord[] {
  const lines = text.split("\n");
  const records: FileRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = firstLine + i;
    let raw = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    if (!raw.includes('"')) {
      if (raw.trim() !== "") records.push({ line, cells: raw.split(delimiter), raw });
      continue;
    }
    while (quotesOpen(raw) && i + 1 < lines.length) {
      i++;
      raw += `\n${lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i]}`;
    }
    const cells = splitQuoted(raw, delimiter);
    if (cells.length > 1 || cells[0].trim() !== "") records.push({ line, cells, raw });
  }
  return records;
}

const quotesOpen = (text: string) => (text.match(/"/g)?.length ?? 0) % 2 === 1;

/** One record's cells, RFC 4180 quoting. */
function splitQuoted(text: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (c === delimiter) {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

export interface ReadFileOptions {
  /** the fewest columns the file's header must have */
  minColumns: number;
  /** what the columns are, for the message when there are fewer */
  needs: string;
  /** the delimiter, when it is known (a workbook kept as text): else it is detected */
  delimiter?: Delimiter;
}

const REGISTRY: ReadFileOptions = { minColumns: 3, needs: "a registry needs an account number, a date and an amount" };

/**
 * Reads an uploaded file, or says why it cannot be read (422 import_file_unreadable): empty,
 * binary (NUL or other control bytes), too few columns, or no data line after the header.
 */
export function readFile(bytes: Uint8Array, options: ReadFileOptions = REGISTRY): ReadFile {
  if (bytes.length === 0) throw unreadable("the file is empty", "empty");
  // Text has no NUL and few control characters (tab, CR, LF, form feed aside): a spreadsheet,
  // an archive or an image has many.
  let control = 0;
  const sample = bytes.subarray(0, 64 * 1024);
  for (const b of sample) {
    if (b === 0) throw unreadable("the file is not text (it has NUL bytes): save it as CSV", "binary");
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  if (control > sample.length / 100) throw unreadable("the file is not text: save it as CSV", "binary");
  const { text, encoding } = decode(bytes);
  const firstLines = text
    .split("\n", 50)
    .map((l) => l.replace(/\r$/, ""))
    .filter((l) => l.trim() !== "")
    .slice(0, 20);
  if (firstLines.length === 0) throw unreadable("the file has no text", "empty");
  const delimiter = options.delimiter ?? detectDelimiter(firstLines);
  const [head, ...records] = splitRecords(text, delimiter);
  if (head.cells.length < options.minColumns) {
    throw unreadable(`the file has fewer than ${options.minColumns} columns: ${options.needs}`, "no_columns");
  }
  if (records.length === 0) throw unreadable("the file has a header and no lines after it", "no_rows");
  return { encoding, delimiter, header: head.cells.map((c) => c.trim()), records };
}
