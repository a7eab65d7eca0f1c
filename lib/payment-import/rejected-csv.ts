import type { DbOrTx } from "../../db/client";
import { findImport, rejectedImportRows } from "../../db/queries/payment-imports";
import en from "../../messages/en/errors.json";
import ru from "../../messages/ru/errors.json";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import type { PaymentImportRowReason } from "../constants";
import { splitRecords } from "./read-file";

// The rows of an import that are not (or will not be) imported, for the bank or the accountant
// to mend: UTF-8 with a BOM and `;` (Excel in a Russian locale opens it as it is), one line each:
// its file line, status, reason, the reason's text, then the line's own columns.

const TEXT = {
  ru: {
    headers: ["Строка", "Статус", "Причина", "Пояснение"],
    status: { error: "ошибка", duplicate: "повтор", ok: "ок" },
    reasons: ru.importRows,
  },
  en: {
    headers: ["Line", "Status", "Reason", "Message"],
    status: { error: "error", duplicate: "duplicate", ok: "ok" },
    reasons: en.importRows,
  },
} as const;

const quote = (cell: string) => (/[;"\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

export async function buildRejectedCsv(db: DbOrTx, scope: Scope, id: number, language: "ru" | "en"): Promise<string> {
  const record = await findImport(db, scope.workspaceIds, id);
  if (!record) throw notFound("payment import", id);
  const text = TEXT[language];
  const lines = [text.headers.join(";")];
  for (const row of await rejectedImportRows(db, record.id)) {
    const cells = splitRecords(row.raw, record.delimiter ?? ";")[0]?.cells ?? [];
    const reason = text.reasons[row.reason as PaymentImportRowReason] ?? row.reason;
    // the English message carries the values (the line, the amount); in Russian the reason's text and the values' message
    const message = language === "en" ? row.message : `${reason} (${row.message})`;
    lines.push([String(row.line), text.status[row.status], row.reason, message, ...cells].map(quote).join(";"));
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
