import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { LOCALES, NAMESPACES } from "../i18n/config";
import { ERROR_REASONS, FIELD_REASONS } from "../lib/api/errors";
import { PAYMENT_IMPORT_ROW_REASONS, READING_IMPORT_ROW_REASONS, RUN_FAILURE_REASONS } from "../lib/constants";
import en from "../messages/en/errors.json";
import ru from "../messages/ru/errors.json";

// Every reason the API can answer with (ApiError's reason and a field's reason are typed by the
// lists below, so no other can be sent) and every reason a run can fail with has its text in
// each language the pages speak, and that text formats with the params the server sends.

const MESSAGES = { ru, en } as const;

/** A value for every param any reason's text uses: a text that needs one not here fails. */
const PARAMS = {
  method: "POST",
  role: "viewer",
  roles: "owner, accountant",
  allow: "GET, PATCH",
  code: "ABC234",
  max_bytes: 1048576,
  content_type: "text/plain",
  period: "2026-12",
  current: "2026-11",
  attempts_left: 3,
  retry_after: 42,
  options: "cold_water, hot_water",
  max: 300,
  min: 1,
  places: 2,
  previous: "120.500",
  next: "130.000",
  value: "119.000",
  row: 2,
  meter_id: 7,
  house_id: 3,
  id: 5,
  refused: 2,
  of: 10,
  month: "2026-05",
  service: "cold_water",
  address: "ул. Лесная, 12",
  more: 2,
  lines: 4,
  detail: "numeric field overflow",
  stage: "part",
  attempts: 11,
  last: "expired",
  job_id: "6f1c…",
  exclusive: 1,
  invoices: 12,
  closed_through: "2026-04",
  apartments: 3,
  earlier: "2026-03",
  later: "2026-06",
  run_id: 9,
  runs: 1,
  problem: "missing_price",
  workspace_id: 3,
  status: "parsing",
  fields: "inn, bic",
  from: 15,
  to: 25,
  phone: "+79991234567",
  apartment_id: 4,
  use: "42.000",
  usual: "3.500",
  rows: 4,
  line: 3,
  expected: "3.000",
  months: 3,
};

const GROUPS = [
  { group: "reasons", keys: Object.keys(ERROR_REASONS) },
  { group: "fields", keys: [...FIELD_REASONS] },
  { group: "runs", keys: [...RUN_FAILURE_REASONS] },
  { group: "importRows", keys: [...PAYMENT_IMPORT_ROW_REASONS] },
  { group: "readingImportRows", keys: [...READING_IMPORT_ROW_REASONS] },
] as const;

describe.each(LOCALES)("error texts in %s", (locale) => {
  it.each(GROUPS)("$group: one text per reason, no text without a reason", ({ group, keys }) => {
    expect(Object.keys(MESSAGES[locale][group]).sort()).toEqual([...keys].sort());
  });

  it.each(GROUPS)("$group: every text formats with the server's params", ({ group, keys }) => {
    const problems: string[] = [];
    const t = createTranslator({
      locale,
      messages: { errors: MESSAGES[locale] },
      namespace: `errors.${group}`,
      onError: (error) => problems.push(error.message),
    });
    for (const key of keys) {
      const text = (t as unknown as (key: string, values: typeof PARAMS) => string)(key, PARAMS);
      expect(text, `${group}.${key}`).not.toMatch(/[{}]/);
      expect(text.length, `${group}.${key}`).toBeGreaterThan(3);
    }
    expect(problems).toEqual([]);
  });
});

/** "a.b.c" for every text of a message file. */
function keys(messages: object, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
  );
}

describe("the pages' texts", () => {
  it.each(NAMESPACES)("%s: the same texts in every language", async (namespace) => {
    const [first, ...others] = await Promise.all(
      LOCALES.map(async (locale) => keys((await import(`../messages/${locale}/${namespace}.json`)).default).sort()),
    );
    for (const other of others) expect(other).toEqual(first);
  });
});
