import { ApiError, fieldError, type FieldErrors } from "../api/errors";

// Which column of an uploaded file holds what (the payment import's and the readings import's
// fields). A mapping names each column by its 0-based index or by its header text; an import
// keeps it as indexes, the workspace remembers it by header text (the next file from the same
// bank or controller may order its columns differently).

/** field → 0-based column index */
export type ColumnMapping<F extends string> = Partial<Record<F, number>>;
/** field → header text, as the workspace remembers it */
export type RememberedMapping<F extends string> = Partial<Record<F, string>>;

/** An import's fields: all of them in the order guessed, those a remembered mapping must have, and what a header may say for each. */
export interface MappingRules<F extends string> {
  fields: readonly F[];
  required: readonly F[];
  /** the patterns tried on a normalised header name, in order (a whole-word prefix match first) */
  guesses: Record<F, RegExp[]>;
}

export const normalise = (name: string) =>
  name
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/№/g, "номер ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** A mapping from the header's names: the first column each field's patterns match, each column used once. */
export function guessMapping<F extends string>(header: string[], rules: MappingRules<F>): ColumnMapping<F> {
  const names = header.map(normalise);
  const taken = new Set<number>();
  const mapping: ColumnMapping<F> = {};
  for (const field of rules.fields) {
    for (const pattern of rules.guesses[field]) {
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
function applyRemembered<F extends string>(
  header: string[],
  remembered: RememberedMapping<F> | null | undefined,
  rules: MappingRules<F>,
): ColumnMapping<F> | null {
  if (!remembered || !rules.required.every((f) => remembered[f])) return null;
  const mapping: ColumnMapping<F> = {};
  for (const [field, name] of Object.entries(remembered) as [F, string][]) {
    if (!rules.fields.includes(field)) continue;
    const index = header.indexOf(name);
    if (index < 0) return null;
    mapping[field] = index;
  }
  return mapping;
}

/** The suggestion for a new file: the workspace's own mapping when it fits, else a guess. */
export function suggestMapping<F extends string>(
  header: string[],
  remembered: RememberedMapping<F> | null | undefined,
  rules: MappingRules<F>,
): { mapping: ColumnMapping<F>; from: "remembered" | "guessed" } {
  const known = applyRemembered(header, remembered, rules);
  return known ? { mapping: known, from: "remembered" } : { mapping: guessMapping(header, rules), from: "guessed" };
}

/** A column given by index or header text, as an index; null when the header has no such column. */
function resolveColumn(header: string[], column: number | string): number | null {
  if (typeof column === "number") return column < header.length ? column : null;
  const exact = header.indexOf(column.trim());
  if (exact >= 0) return exact;
  const loose = header.map(normalise).indexOf(normalise(column));
  return loose >= 0 ? loose : null;
}

/** The mapping as column indexes on this header, or 422 with what is wrong with which field. */
export function resolveMapping<F extends string>(
  header: string[],
  body: Partial<Record<F, number | string | null>>,
  fields: readonly F[],
): ColumnMapping<F> {
  const errors: FieldErrors = {};
  const mapping: ColumnMapping<F> = {};
  const used = new Map<number, F>();
  for (const field of fields) {
    const given = body[field];
    if (given === undefined || given === null) continue;
    const index = resolveColumn(header, given);
    if (index === null) {
      errors[field] = fieldError("unknown_column", `the file has no column ${JSON.stringify(given)} (it has ${header.length})`, {
        value: String(given),
      });
      continue;
    }
    const other = used.get(index);
    if (other) {
      errors[field] = fieldError("column_reused", `column ${index} is mapped to ${other} already`, { value: other });
      continue;
    }
    used.set(index, field);
    mapping[field] = index;
  }
  if (Object.keys(errors).length > 0) {
    throw new ApiError({ reason: "invalid_input", message: "the mapping does not fit the file", fields: errors });
  }
  return mapping;
}

/** The mapping by header text, to remember (the header's own spelling). */
export const rememberedFrom = <F extends string>(header: string[], mapping: ColumnMapping<F>): RememberedMapping<F> =>
  Object.fromEntries(Object.entries(mapping).map(([field, index]) => [field, header[index as number]])) as RememberedMapping<F>;
