import type { DbOrTx } from "../../db/client";
import { findImport, rejectedImportRows } from "../../db/queries/reading-imports";
import en from "../../messages/en/errors.json";
import ru from "../../messages/ru/errors.json";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import { rejectedCsv } from "../file-import/rejected-csv";

// The rows of a readings import that are not (or will not be) imported, for whoever sent the file
// to mend (lib/file-import/rejected-csv.ts writes the file): the line, its reason and the
// reason's English text with the values, then the file's own columns (an Excel row's cells).

const HEADERS = {
  ru: ["Строка", "Причина", "Пояснение"],
  en: ["Line", "Reason", "Message"],
} as const;

export async function buildRejectedReadingsCsv(db: DbOrTx, scope: Scope, id: number, language: "ru" | "en"): Promise<string> {
  const record = await findImport(db, scope.workspaceIds, id);
  if (!record) throw notFound("reading import", id);
  const texts: Record<string, string> = (language === "ru" ? ru : en).readingImportRows;
  const rows = (await rejectedImportRows(db, record.id)).map((row) => {
    // the English message carries the values; in Russian the reason's own words come first
    const message = language === "en" ? row.message : `${(texts[row.reason] ?? row.reason).replace(/\{[^}]*\}/g, "…")} (${row.message})`;
    return { line: row.line, verdict: [row.reason, message], raw: row.raw };
  });
  return rejectedCsv(HEADERS[language], rows, record.delimiter ?? ";");
}
