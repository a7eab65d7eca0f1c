import { PAYMENT_IMPORT_FIELDS, type PaymentImportField } from "../constants";

// Which column of a registry holds what. A mapping names each column by its 0-based index or
// by its header text; an import keeps it as indexes, the workspace remembers it by header text
// (the next file from the same bank may order its columns differently).

/** field → 0-based column index */
export type ColumnMapping = Partial<Record<PaymentImportField, number>>;
/** field → header text, as the workspace remembers it */
export type RememberedMapping = Partial<Record<PaymentImportField, string>>;

const REQUIRED_FIELDS = ["account_number", "paid_on", "amount"] as const satisfies readonly PaymentImportField[];

const normalise = (name: string) =>
  name
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/№/g, "номер ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** What a header may say for each field, in the order tried (a whole-word prefix match). */
const GUESSES: Record<PaymentImportField, RegExp[]> = {
  account_number: [/^(лс|л с|лиц\S* сч\S*|лицевой|account|acc|account number|personal account)(\s|$)/, /лиц\S* сч|account/],
  paid_on: [/^(дата|date|paid on|payment date)(\s|$)/, /дата|date/],
  amount: [/^(сумма|amount|sum|total)(\s|$)/, /сумма|amount/],
  external_id: [/^(идентификатор|ид|id|номер|uid|external id|payment id|transaction id|n)(\s|$)/, /идентификатор|id$/],
  payer: [/^(плательщик|фио|ф и о|payer|name|full name)(\s|$)/],
  period: [/^(период|месяц|за период|period|month)(\s|$)/],
};

/** A mapping from the header's names: the first column each field's patterns match, each column used once. */
export function guessMapping(header: string[]): ColumnMapping {
  const names = header.map(normalise);
  const taken = new Set<number>();
  const mapping: ColumnMapping = {};
  for (const field of PAYMENT_IMPORT_FIELDS) {
    for (const pattern of GUESSES[field]) {
      const index = names.findIndex((name, i) => !taken.has(i) && pattern.test(name));
      if (index >= 0) {
        mapping[field] = index;
        taken.add(index);
        break;
      }
    }
  }
  return mapping;
}

/** The remembered mapping on this header, when every column it names is there; else null. */
function applyRemembered(header: string[], remembered: RememberedMapping | null | undefined): ColumnMapping | null {
  if (!remembered || !REQUIRED_FIELDS.every((f) => remembered[f])) return null;
  const mapping: ColumnMapping = {};
  for (const [field, name] of Object.entries(remembered) as [PaymentImportField, string][]) {
    const index = header.indexOf(name);
    if (index < 0) return null;
    mapping[field] = index;
  }
  return mapping;
}

/** The suggestion for a new file: the workspace's own mapping when it fits, else a guess. */
export function suggestMapping(
  header: string[],
  remembered: RememberedMapping | null | undefined,
): { mapping: ColumnMapping; from: "remembered" | "guessed" } {
  const known = applyRemembered(header, remembered);
  return known ? { mapping: known, from: "remembered" } : { mapping: guessMapping(header), from: "guessed" };
}

/** A column given by index or header text, as an index; null when the header has no such column. */
export function resolveColumn(header: string[], column: number | string): number | null {
  if (typeof column === "number") return column < header.length ? column : null;
  const exact = header.indexOf(column.trim());
  if (exact >= 0) return exact;
  const loose = header.map(normalise).indexOf(normalise(column));
  return loose >= 0 ? loose : null;
}

/** The mapping by header text, to remember (the header's own spelling). */
export const rememberedFrom = (header: string[], mapping: ColumnMapping): RememberedMapping =>
  Object.fromEntries(Object.entries(mapping).map(([field, index]) => [field, header[index]]));
