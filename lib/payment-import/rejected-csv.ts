import type { DbOrTx } from "../../db/client";
import { findImport, rejectedImportRows } from "../../db/queries/payment-imports";
import en from "../../messages/en/errors.json";
import ru from "../../messages/ru/errors.json";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import type { PaymentImportRowReason } from "../constants";
import { rejectedCsv } from "../file-import/rejected-csv";

// The rows of a payment import that are not (or will not be) imported, for the bank or the
// accountant to mend (lib/file-import/rejected-csv.ts writes the file).

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

export async function buildRejectedCsv(db: DbOrTx, scope: Scope, id: number, language: "ru" | "en"): Promise<string> {
  const record = await findImport(db, scope.workspaceIds, id);
  if (!record) throw notFound("payment import", id);
  const text = TEXT[language];
  const rows = (await rejectedImportRows(db, record.id)).map((row) => {
    const reason = text.reasons[row.reason as PaymentImportRowReason] ?? row.reason;
    // the English message carries the values (the line, the amount); in Russian the reason's text and the values' message
    const message = language === "en" ? row.message : `${reason} (${row.message})`;
    return { line: row.line, verdict: [text.status[row.status], row.reason, message], raw: row.raw };
  });
  return rejectedCsv(text.headers, rows, record.delimiter ?? ";");
}
