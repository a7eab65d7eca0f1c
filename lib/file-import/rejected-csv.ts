import { splitRecords } from "./read-file";

// The rows of an import that are not (or will not be) imported, for whoever sent the file to
// mend: UTF-8 with a BOM and `;` (Excel in a Russian locale opens it as it is), one line each:
// its file line, what the import says of it (status, reason, the reason's text), then the line's
// own columns.

export interface RejectedLine {
  line: number;
  /** what the import says of the line, after its number */
  verdict: string[];
  /** the line as the file has it, split on `delimiter` */
  raw: string;
}

const quote = (cell: string) => (/[;"\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

export function rejectedCsv(headers: readonly string[], lines: RejectedLine[], delimiter: string): string {
  const out = [headers.map(quote).join(";")];
  for (const row of lines) {
    const cells = splitRecords(row.raw, delimiter)[0]?.cells ?? [];
    out.push([String(row.line), ...row.verdict, ...cells].map(quote).join(";"));
  }
  return `\uFEFF${out.join("\r\n")}\r\n`;
}
