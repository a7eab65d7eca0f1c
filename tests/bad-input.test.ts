import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apartment, house, meter } from "@/db/schema";
import { env } from "@/lib/env";
import { addMonths, currentMonth } from "@/lib/months";
import { api, type ApiResponse } from "./helpers/api";
import { db, snapshot } from "./helpers/db";
import { createApartment, createHouse, createMeter, putReading } from "./helpers/fixtures";
import { ERROR_REASONS, FIELD_REASONS, type ErrorReason } from "../lib/api/errors";

// Bad input across the JSON API (issue 2, "Errors and bad input"). Every refused request is
// checked for its status and code, the one error shape `{ error: { code, message, fields? } }`,
// the fields that name what was wrong, no leaked internals, and an unchanged database.

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface Fixture {
  house: number;
  otherHouse: number;
  apartment: number;
  meter: number;
  service: number;
}

/** A message matcher: exact text, a pattern, or ANY non-blank text. */
type Matcher = string | RegExp;
const ANY = /\S/;

interface Expected {
  status: number;
  code: string;
  /** The exact keys of error.fields (schema errors), each with what its message must say. */
  fields?: Record<string, Matcher>;
}

interface BadCase extends Expected {
  name: string;
  method: Method;
  /** ":house", ":otherHouse", ":apartment", ":meter" and ":service" stand for the fixture's ids. */
  url: string;
  /** Sent as JSON; a function receives the fixture (for ids inside bodies). */
  body?: unknown;
  /** Sent as it is instead of a JSON body. */
  raw?: string | ArrayBuffer;
  /** Request headers besides the credential (null: leave the header out). */
  headers?: Record<string, string | null>;
}

const invalid = (...names: string[]): Expected => ({
  status: 422,
  code: "validation_failed",
  fields: Object.fromEntries(names.map((n) => [n, ANY])),
});
const required = (...names: string[]): Expected => ({
  status: 422,
  code: "validation_failed",
  fields: Object.fromEntries(names.map((n) => [n, "required"])),
});
const unknownField = (...names: string[]): Expected => ({
  status: 422,
  code: "validation_failed",
  fields: Object.fromEntries(names.map((n) => [n, "is not a known field"])),
});
const NOT_FOUND: Expected = { status: 404, code: "not_found" };
const INVALID_JSON: Expected = { status: 400, code: "invalid_json" };
const TOO_LARGE: Expected = { status: 413, code: "payload_too_large" };
const NOT_JSON: Expected = { status: 415, code: "unsupported_media_type" };
const conflict = (name: string): Expected => ({ status: 409, code: "conflict", fields: { [name]: ANY } });

const THIS_MONTH = currentMonth(env().APP_TIMEZONE);
const NEXT_MONTH = addMonths(THIS_MONTH, 1);
/** After the fixture meter's only reading (2024-01, 10 m³): a value of 20 m³ there is in order. */
const PAST_MONTH = "2024-02";
const MISSING_ID = 999_999;

// Internals that must never reach a client: stack frames, source paths, SQL, driver and zod text.
const LEAKS = [
  /\n\s*at\s/,
  /node_modules|\.[jt]sx?:\d+/,
  /\bselect\b[\s\S]*\bfrom\b/i,
  /\binsert\s+into\b|\bupdate\s+"?\w+"?\s+set\b|\bdelete\s+from\b/i,
  /violates|constraint|duplicate key|syntax error|postgres|drizzle|sqlstate/i,
  /ZodError|"code"\s*:/,
];

function expectNoLeak(text: string) {
  for (const pattern of LEAKS) expect(text, `leaks internals (${pattern})`).not.toMatch(pattern);
}

/** The one error shape, with the expected status, code and fields. */
function expectError(res: ApiResponse, expected: Expected) {
  const where = JSON.stringify(res.body);
  expect(res.status, where).toBe(expected.status);
  expect(res.headers.get("content-type") ?? "", "an error is JSON").toMatch(/^application\/json/);
  expect(res.body, where).toBeTypeOf("object");
  expect(Object.keys(res.body ?? {}), where).toEqual(["error"]);

  const { error } = res.body;
  const allowed = ["code", "reason", "message", "params", "fields", "field_reasons"];
  expect(
    Object.keys(error).filter((k) => !allowed.includes(k)),
    where,
  ).toEqual([]);
  expect(error.code, where).toBe(expected.code);
  // The specific reason belongs to the code, and every field named has a reason of its own.
  expect(ERROR_REASONS[error.reason as ErrorReason], where).toBe(expected.code);
  expect(Object.keys(error.field_reasons ?? {}).sort(), where).toEqual(Object.keys(error.fields ?? {}).sort());
  for (const { reason } of Object.values(error.field_reasons ?? {}) as { reason: string }[]) {
    expect(FIELD_REASONS as readonly string[], where).toContain(reason);
  }
  expect(error.message, where).toBeTypeOf("string");
  expect(error.message.trim(), where).not.toBe("");
  expectNoLeak(error.message);

  if (expected.fields) {
    expect(error.fields, where).toBeTypeOf("object");
    expect(Object.keys(error.fields).sort(), where).toEqual(Object.keys(expected.fields).sort());
    for (const [name, matcher] of Object.entries(expected.fields)) {
      const message = error.fields[name];
      expect(message, `${where}: fields.${name}`).toBeTypeOf("string");
      if (typeof matcher === "string") expect(message, `fields.${name}`).toBe(matcher);
      else expect(message, `fields.${name}`).toMatch(matcher);
      expectNoLeak(message);
    }
  } else if (error.fields !== undefined) {
    // Not a schema error: fields are optional, but when present still a map of plain messages.
    expect(error.fields, where).toBeTypeOf("object");
    for (const message of Object.values(error.fields)) expect(message).toBeTypeOf("string");
  }
}

let f: Fixture;

function resolveUrl(url: string): string {
  return url.replace(/:(house|otherHouse|apartment|meter|service)\b/g, (_, name: keyof Fixture) => String(f[name]));
}

/** A body given as a function of the fixture, or as it is. */
const resolveBody = (body: unknown, fx: Fixture): unknown => (typeof body === "function" ? body(fx) : body);

async function send(c: Pick<BadCase, "method" | "url" | "body" | "raw" | "headers">): Promise<ApiResponse> {
  return api(c.method, resolveUrl(c.url), resolveBody(c.body, f), {
    ...(c.raw === undefined ? {} : { rawBody: c.raw }),
    headers: c.headers,
  });
}

beforeAll(async () => {
  const main = await createHouse("ул. Фикстурная, д. 1");
  const other = await createHouse("ул. Фикстурная, д. 2");
  const flat = await createApartment(main.id, { number: "1", area: "45.50" });
  const water = await createMeter(flat.id, { serial_number: "FIX-0001" });
  await putReading(water.id, "2024-01", "10.000");
  const tariff = await api("POST", "/api/tariffs", { service: "cold_water", price: "40.00", valid_from: "2024-01" });
  expect(tariff.status, JSON.stringify(tariff.body)).toBe(201);
  const fee = await api("POST", "/api/services", { code: "fixture_fee", name_ru: "Сбор", name_en: "Fee", basis: "apartment" });
  expect(fee.status, JSON.stringify(fee.body)).toBe(201);
  f = { house: main.id, otherHouse: other.id, apartment: flat.id, meter: water.id, service: fee.body.id };
});

// ---- the endpoints, each with a body it accepts ----

interface Endpoint {
  method: Method;
  url: string;
  valid: unknown;
}

const bulkBody =
  (value: unknown = "20.000") =>
  (fx: Fixture) => ({ period: PAST_MONTH, readings: [{ meter_id: fx.meter, value }] });

const WRITES: Endpoint[] = [
  { method: "POST", url: "/api/houses", valid: { address: "ул. Новая, д. 2" } },
  { method: "PATCH", url: "/api/houses/:house", valid: { address: "ул. Новая, д. 3" } },
  { method: "POST", url: "/api/houses/:house/apartments", valid: { number: "99", area: "30.00" } },
  { method: "PATCH", url: "/api/apartments/:apartment", valid: { area: "31.00" } },
  { method: "POST", url: "/api/apartments/:apartment/meters", valid: { serial_number: "NEW-1", service: "hot_water" } },
  { method: "PATCH", url: "/api/meters/:meter", valid: { serial_number: "NEW-2" } },
  { method: "PUT", url: `/api/meters/:meter/readings/${PAST_MONTH}`, valid: { value: "20.000" } },
  { method: "POST", url: "/api/houses/:house/readings", valid: bulkBody() },
  { method: "POST", url: "/api/tariffs", valid: { service: "hot_water", price: "200.5", valid_from: PAST_MONTH } },
  { method: "POST", url: "/api/services", valid: { code: "heating", name_ru: "Отопление", name_en: "Heating", basis: "area" } },
  { method: "PATCH", url: "/api/services/:service", valid: { name_ru: "Целевой сбор" } },
  { method: "POST", url: "/api/normatives", valid: { service: "hot_water", value: "3.1", valid_from: PAST_MONTH } },
];

/** Endpoints with an id in the path, with what they accept apart from the id. */
const BY_ID: Endpoint[] = [
  { method: "GET", url: "/api/houses/:id", valid: undefined },
  { method: "PATCH", url: "/api/houses/:id", valid: { address: "ул. Новая, д. 3" } },
  { method: "DELETE", url: "/api/houses/:id", valid: undefined },
  { method: "POST", url: "/api/houses/:id/apartments", valid: { number: "99", area: "30.00" } },
  { method: "POST", url: "/api/houses/:id/readings", valid: bulkBody() },
  { method: "GET", url: "/api/apartments/:id", valid: undefined },
  { method: "PATCH", url: "/api/apartments/:id", valid: { area: "31.00" } },
  { method: "DELETE", url: "/api/apartments/:id", valid: undefined },
  { method: "POST", url: "/api/apartments/:id/meters", valid: { serial_number: "NEW-1", service: "hot_water" } },
  { method: "GET", url: "/api/meters/:id", valid: undefined },
  { method: "PATCH", url: "/api/meters/:id", valid: { serial_number: "NEW-2" } },
  { method: "DELETE", url: "/api/meters/:id", valid: undefined },
  { method: "GET", url: "/api/meters/:id/readings", valid: undefined },
  { method: "PUT", url: `/api/meters/:id/readings/${PAST_MONTH}`, valid: { value: "20.000" } },
  { method: "GET", url: "/api/services/:id", valid: undefined },
  { method: "PATCH", url: "/api/services/:id", valid: { name_en: "Fee" } },
  { method: "DELETE", url: "/api/services/:id", valid: undefined },
];

const label = (e: Pick<Endpoint, "method" | "url">) => `${e.method} ${e.url}`;
const withField = (valid: unknown, extra: Record<string, unknown>) => (fx: Fixture) => ({
  ...(resolveBody(valid, fx) as object),
  ...extra,
});

// ---- bad values, by kind ----

type Values = [string, unknown][];

/** Bad single-line texts for a field of at most `max` characters. */
const badTexts = (max: number): Values => [
  ["a number", 42],
  ["a boolean", true],
  ["null", null],
  ["an array", ["ул. Ленина"]],
  ["an object", { street: "Ленина" }],
  ["empty", ""],
  ["spaces only", "   "],
  ["tabs and newlines only", "\t\n\r "],
  ["no-break and ideographic spaces only", "\u00a0\u3000"],
  [`${max + 1} characters`, "д".repeat(max + 1)],
  [`${max + 1} emoji`, "🏠".repeat(max + 1)],
  ["a NUL inside", "ул. Ленина\u0000, 1"],
  ["only a NUL", "\u0000"],
  ["a bell character", "a\u0007b"],
  ["a newline inside", "ул. Ленина\n1"],
  ["a DEL character", "a\u007fb"],
  ["a C1 control character", "a\u009bb"],
  // JSON.stringify writes a lone surrogate as the escape "\ud800", which the server's JSON.parse reads back.
  ["a lone high surrogate", "ул. Ленина \ud800, 1"],
  ["a lone low surrogate", "\udc00ул. Ленина"],
  ["surrogates in the wrong order", "ул. Ленина \udc00\ud800"],
  ["a right-to-left override (U+202E)", "ул. Ленина, д. \u202e41"],
  ["a left-to-right mark (U+200E)", "\u200eул. Ленина"],
  ["a right-to-left mark (U+200F)", "ул. Ленина\u200f"],
  ["an Arabic letter mark (U+061C)", "ул. \u061cЛенина"],
  ["a right-to-left embedding (U+202B)", "ул. \u202bЛенина\u202c"],
  ["a first-strong isolate (U+2068)", "ул. \u2068Ленина\u2069"],
  ["a pop directional isolate alone (U+2069)", "ул. Ленина\u2069"],
];

/** Bad numbers whatever the decimal field: wrong types and notations. */
const BAD_NOTATIONS: Values = [
  ["1e308 as a JSON number", 1e308],
  ["1e21 as a JSON number", 1e21],
  ["twenty nines as a string", "99999999999999999999"],
  ["exponent notation", "1e3"],
  ["empty", ""],
  ["spaces only", "   "],
  // One plain form for strings: digits, optionally a point or a comma and more digits.
  ["a leading plus", "+5"],
  ["a leading point", ".5"],
  ["a trailing point", "5."],
  ["a trailing comma", "5,"],
  ["spaces around", " 7 "],
  ["a tab before", "\t7"],
  ["a thousands space", "1 234,5"],
  ["a no-break thousands space", "1\u00a0234"],
  ["two commas", "1,2,3"],
  ["a point and a comma", "1.234,5"],
  ["a Unicode minus", "\u22125"],
  ["Arabic-Indic digits", "\u0661\u0662"],
  ["full-width digits", "\uff11\uff12"],
  ["words", "twelve"],
  ["NaN", "NaN"],
  ["Infinity", "Infinity"],
  ["hex", "0x10"],
  ["a boolean", true],
  ["an object", { value: 12 }],
  ["an array", [12]],
  ["null", null],
];

const BAD_AREAS: Values = [
  ["negative", -1],
  ["negative as a string", "-12.50"],
  ["zero", 0],
  ["zero as a string", "0.00"],
  ["3 decimals", "12.345"],
  ["3 decimals as a JSON number", 12.345],
  ["above 10000", "10000.01"],
  ["above 10000 as a JSON number", 10001],
  ...BAD_NOTATIONS,
];

const BAD_READINGS: Values = [
  ["4 decimals", "1.2345"],
  ["4 decimals as a JSON number", 1.2345],
  ["10^9", "1000000000"],
  ["10^9 as a JSON number", 1e9],
  ["negative", "-1"],
  ["negative as a JSON number", -0.001],
  ...BAD_NOTATIONS,
];

const BAD_PRICES: Values = [
  ["zero", 0],
  ["zero as a string", "0.0000"],
  ["negative", -1],
  ["negative as a string", "-0.01"],
  ["5 decimals", "1.23456"],
  ["5 decimals as a JSON number", 1.23456],
  ["10^10", "10000000000"],
  ...BAD_NOTATIONS,
];

/** Months no schema accepts, wherever they appear. */
const BAD_MONTHS: Values = [
  ["month 13", "2024-13"],
  ["month 00", "2024-00"],
  ["a one-digit month", "2024-1"],
  ["a two-digit year", "24-01"],
  ["year 0000", "0000-01"],
  ["year 3000", "3000-01"],
  ["a full date", "2024-01-01"],
  ["slashes", "2024/01"],
  ["words", "January 2024"],
  ["empty", ""],
  ["a number", 202401],
  ["null", null],
];

/** Months a reading cannot be for: after the current month. */
const FUTURE_MONTHS: Values = [
  ["next month", NEXT_MONTH],
  ["2999-12", "2999-12"],
];

/** Bad ids inside a JSON body (null means "none" where an id is optional). */
const BAD_BODY_IDS: Values = [
  ["a string", "1"],
  ["a fraction", 1.5],
  ["zero", 0],
  ["negative", -1],
  ["beyond int4", 99_999_999_999],
  ["a boolean", true],
];

const BAD_PATH_IDS = ["abc", "1.5", "-1", "0", "99999999999", "2147483648", "1e3", "0x1"];

const BAD_DATES: Values = [
  ["February 30", "2024-02-30"],
  ["month 13", "2024-13-01"],
  ["one-digit parts", "2024-1-1"],
  ["day first", "01.02.2024"],
  ["a timestamp", "2024-01-01T00:00:00Z"],
  ["empty", ""],
  ["a number", 20240101],
];

const BAD_RESIDENTS: Values = [
  ["negative", -1],
  ["a fraction", 2.5],
  ["a string", "3"],
  ["over 999", 1000],
  ["null", null],
  ["a boolean", true],
];

const BAD_SERVICE_CODES: Values = [
  ["upper case", "Heating"],
  ["Cyrillic", "отопление"],
  ["a digit first", "1fee"],
  ["one letter", "a"],
  ["33 characters", "a".repeat(33)],
  ["a space", "hot water"],
  ["empty", ""],
  ["a number", 1],
  ["null", null],
];

const BAD_BASES: Values = [
  ["unknown", "gas"],
  ["upper case", "AREA"],
  ["empty", ""],
  ["a number", 1],
  ["null", null],
];

const BAD_BOOLEANS: Values = [
  ["a string", "true"],
  ["a number", 1],
  ["null", null],
];

/** m³ per person per month: > 0, < 1000, 4 decimals */
const BAD_NORMATIVES: Values = [
  ["zero", "0"],
  ["negative", "-1"],
  ["5 decimals", "3.12345"],
  ["1000", "1000"],
  ["empty", ""],
  ["words", "abc"],
  ["null", null],
];

const BAD_METER_SERVICES: Values = [
  ["unknown", "gas"],
  ["a tariff-only service", "maintenance"],
  ["upper case", "COLD_WATER"],
  ["empty", ""],
  ["a number", 1],
  ["null", null],
];

// ---- the table ----

const fieldCases = (endpoint: Endpoint, field: string, values: Values, key = field, base: unknown = endpoint.valid): BadCase[] =>
  values.map(([what, value]) => ({
    name: `${label(endpoint)}: ${key} ${what}`,
    method: endpoint.method,
    url: endpoint.url,
    body: withField(base, { [field]: value }),
    ...invalid(key),
  }));

const [
  postHouse,
  patchHouse,
  postApartment,
  patchApartment,
  postMeter,
  patchMeter,
  putReadingEp,
  postReadings,
  postTariff,
  postService,
  patchService,
  postNormative,
] = WRITES;

const TEN_MB = `{"value":"${"9".repeat(10 * 1024 * 1024)}"}`;
/** One byte over the configured limit. */
const JUST_TOO_LARGE = `{"value":"${"9".repeat(env().MAX_BODY_BYTES - 11)}"}`;
const NOT_UTF8 = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).buffer;

/** Whole-body problems: the same on every write endpoint. */
const bodyCases: BadCase[] = WRITES.flatMap((e) => {
  const c = (what: string, rest: Omit<BadCase, "name" | "method" | "url">): BadCase => ({
    name: `${label(e)}: ${what}`,
    method: e.method,
    url: e.url,
    ...rest,
  });
  return [
    c("truncated JSON", { raw: '{"value": "1', ...INVALID_JSON }),
    c("a trailing comma", { raw: '{"value": "1",}', ...INVALID_JSON }),
    c("single quotes", { raw: "{'value': '1'}", ...INVALID_JSON }),
    c("bytes that are not UTF-8", { raw: NOT_UTF8, ...INVALID_JSON }),
    c("an empty body", { raw: "", ...INVALID_JSON }),
    c("a whitespace-only body", { raw: " \n\t ", ...INVALID_JSON }),
    c("no body at all", { ...INVALID_JSON }),
    c("a 10 MB body", { raw: TEN_MB, ...TOO_LARGE }),
    // The valid body, declared as something else: what curl -d, an HTML form or fetch with a bare string send.
    ...(
      [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/jsonp",
        "json",
      ] as const
    ).map((type) => c(`the valid body declared as ${type}`, { body: e.valid, headers: { "content-type": type }, ...NOT_JSON })),
    c("a form body declared as a form", {
      raw: "address=x&number=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      ...NOT_JSON,
    }),
    c("a 10 MB body declared as text/plain", { raw: TEN_MB, headers: { "content-type": "text/plain" }, ...NOT_JSON }),
    c("a body one byte over the limit", { raw: JUST_TOO_LARGE, ...TOO_LARGE }),
    c("an empty JSON array", { raw: "[]", ...invalid("body") }),
    c("the valid body inside an array", { body: (fx: Fixture) => [resolveBody(e.valid, fx)], ...invalid("body") }),
    c("JSON null", { raw: "null", ...invalid("body") }),
    c("a JSON string", { raw: '"ул. Ленина"', ...invalid("body") }),
    c("a JSON number", { raw: "42", ...invalid("body") }),
    c("JSON true", { raw: "true", ...invalid("body") }),
    c("an unknown field", { body: withField(e.valid, { colour: "red" }), ...unknownField("colour") }),
    c("two unknown fields", { body: withField(e.valid, { colour: "red", id: 7 }), ...unknownField("colour", "id") }),
    // JSON.parse makes "__proto__" an own key; object spread keeps it one.
    c("a __proto__ field", { body: withField(e.valid, JSON.parse('{"__proto__": {"admin": true}}')), ...unknownField("__proto__") }),
  ];
});

const pathIdCases: BadCase[] = BY_ID.flatMap((e) => [
  ...BAD_PATH_IDS.map((id) => ({
    name: `${label(e)}: id "${id}"`,
    method: e.method,
    url: e.url.replace(":id", encodeURIComponent(id)),
    body: e.valid,
    ...invalid("id"),
  })),
  ...[MISSING_ID, 2_147_483_647].map((id) => ({
    name: `${label(e)}: unknown id ${id}`,
    method: e.method,
    url: e.url.replace(":id", String(id)),
    body: e.valid,
    ...NOT_FOUND,
  })),
]);

const houseCases: BadCase[] = [
  ...fieldCases(postHouse, "address", badTexts(300)),
  { name: "POST /api/houses: address missing", method: "POST", url: "/api/houses", body: {}, ...required("address") },
  {
    name: "POST /api/houses: a duplicate address after trimming",
    method: "POST",
    url: "/api/houses",
    body: { address: "  ул. Фикстурная, д. 1\t" },
    ...conflict("address"),
  },
  ...fieldCases(patchHouse, "address", badTexts(300)),
  { name: "PATCH /api/houses/:house: nothing to change", method: "PATCH", url: "/api/houses/:house", body: {}, ...required("address") },
  {
    name: "PATCH /api/houses/:otherHouse: another house's address",
    method: "PATCH",
    url: "/api/houses/:otherHouse",
    body: { address: "ул. Фикстурная, д. 1" },
    ...conflict("address"),
  },
];

const apartmentCases: BadCase[] = [
  ...fieldCases(postApartment, "number", badTexts(20)),
  ...fieldCases(postApartment, "area", BAD_AREAS),
  {
    name: "POST apartments: number and area missing",
    method: "POST",
    url: "/api/houses/:house/apartments",
    body: {},
    ...required("number", "area"),
  },
  {
    name: "POST apartments: area missing",
    method: "POST",
    url: "/api/houses/:house/apartments",
    body: { number: "5" },
    ...required("area"),
  },
  {
    name: "POST apartments: number and area both bad",
    method: "POST",
    url: "/api/houses/:house/apartments",
    body: { number: "", area: "-1" },
    ...invalid("number", "area"),
  },
  {
    name: "POST apartments: a duplicate number",
    method: "POST",
    url: "/api/houses/:house/apartments",
    body: { number: " 1 ", area: "20.00" },
    ...conflict("number"),
  },
  {
    name: "POST apartments: unknown house",
    method: "POST",
    url: `/api/houses/${MISSING_ID}/apartments`,
    body: { number: "5", area: "20.00" },
    ...NOT_FOUND,
  },
  ...fieldCases(postApartment, "residents", BAD_RESIDENTS),
  ...fieldCases(patchApartment, "number", badTexts(20)),
  ...fieldCases(patchApartment, "area", BAD_AREAS),
  ...fieldCases(patchApartment, "residents", BAD_RESIDENTS),
  { name: "PATCH apartments: nothing to change", method: "PATCH", url: "/api/apartments/:apartment", body: {}, ...invalid("body") },
];

const meterCases: BadCase[] = [
  ...fieldCases(postMeter, "serial_number", badTexts(64)),
  ...fieldCases(postMeter, "service", BAD_METER_SERVICES),
  ...fieldCases(postMeter, "installed_on", BAD_DATES),
  ...fieldCases(postMeter, "verified_until", BAD_DATES),
  {
    name: "POST meters: serial and service missing",
    method: "POST",
    url: "/api/apartments/:apartment/meters",
    body: {},
    ...required("serial_number", "service"),
  },
  {
    name: "POST meters: service missing",
    method: "POST",
    url: "/api/apartments/:apartment/meters",
    body: { serial_number: "X-1" },
    ...required("service"),
  },
  {
    name: "POST meters: a duplicate serial number",
    method: "POST",
    url: "/api/apartments/:apartment/meters",
    body: { serial_number: "FIX-0001", service: "hot_water" },
    ...conflict("serial_number"),
  },
  ...fieldCases(patchMeter, "serial_number", badTexts(64)),
  ...fieldCases(patchMeter, "service", BAD_METER_SERVICES),
  ...fieldCases(patchMeter, "installed_on", BAD_DATES),
  ...fieldCases(patchMeter, "verified_until", BAD_DATES),
  { name: "PATCH meters: nothing to change", method: "PATCH", url: "/api/meters/:meter", body: {}, ...invalid("body") },
];

const readingCases: BadCase[] = [
  ...fieldCases(putReadingEp, "value", BAD_READINGS),
  { name: "PUT reading: value missing", method: "PUT", url: `/api/meters/:meter/readings/${PAST_MONTH}`, body: {}, ...required("value") },
  ...[...BAD_MONTHS, ...FUTURE_MONTHS]
    .filter(([, m]) => typeof m === "string" && m !== "" && !m.includes("/"))
    .map(([what, m]) => ({
      name: `PUT reading: period ${what} in the path`,
      method: "PUT" as const,
      url: `/api/meters/:meter/readings/${encodeURIComponent(m as string)}`,
      body: { value: "20.000" },
      ...invalid("period"),
    })),
  {
    name: "PUT reading: both path parts bad",
    method: "PUT",
    url: "/api/meters/abc/readings/2024-13",
    body: { value: "1" },
    ...invalid("id", "period"),
  },
  {
    name: "PUT reading: unknown meter",
    method: "PUT",
    url: `/api/meters/${MISSING_ID}/readings/${PAST_MONTH}`,
    body: { value: "1" },
    ...NOT_FOUND,
  },

  ...fieldCases(postReadings, "period", [...BAD_MONTHS, ...FUTURE_MONTHS]),
  ...BAD_READINGS.map(([what, value]) => ({
    name: `POST bulk readings: readings.0.value ${what}`,
    method: "POST" as const,
    url: "/api/houses/:house/readings",
    body: bulkBody(value),
    ...invalid("readings.0.value"),
  })),
  ...[...BAD_BODY_IDS, ["null", null] as [string, unknown]].map(([what, id]) => ({
    name: `POST bulk readings: readings.0.meter_id ${what}`,
    method: "POST" as const,
    url: "/api/houses/:house/readings",
    body: { period: PAST_MONTH, readings: [{ meter_id: id, value: "20.000" }] },
    ...invalid("readings.0.meter_id"),
  })),
  ...(
    [
      ["an empty list", []],
      ["a string", "20.000"],
      ["an object", { meter_id: 1, value: "20.000" }],
      ["null", null],
      ["5001 rows", Array.from({ length: 5001 }, (_, i) => ({ meter_id: i + 1, value: "1" }))],
    ] as Values
  ).map(([what, readings]) => ({
    name: `POST bulk readings: readings ${what}`,
    method: "POST" as const,
    url: "/api/houses/:house/readings",
    body: { period: PAST_MONTH, readings },
    ...invalid("readings"),
  })),
  {
    name: "POST bulk readings: a row that is a number",
    method: "POST",
    url: "/api/houses/:house/readings",
    body: { period: PAST_MONTH, readings: [5] },
    ...invalid("readings.0"),
  },
  {
    name: "POST bulk readings: the second row bad",
    method: "POST",
    url: "/api/houses/:house/readings",
    body: (fx: Fixture) => ({
      period: PAST_MONTH,
      readings: [
        { meter_id: fx.meter, value: "20" },
        { meter_id: fx.meter, value: "1.2345" },
      ],
    }),
    ...invalid("readings.1.value"),
  },
  {
    name: "POST bulk readings: an unknown field in a row",
    method: "POST",
    url: "/api/houses/:house/readings",
    body: (fx: Fixture) => ({ period: PAST_MONTH, readings: [{ meter_id: fx.meter, value: "20", note: "x" }] }),
    ...unknownField("readings.0.note"),
  },
  {
    name: "POST bulk readings: period and readings missing",
    method: "POST",
    url: "/api/houses/:house/readings",
    body: {},
    ...required("period", "readings"),
  },
  {
    name: "POST bulk readings: a row without meter_id and value",
    method: "POST",
    url: "/api/houses/:house/readings",
    body: { period: PAST_MONTH, readings: [{}] },
    ...required("readings.0.meter_id", "readings.0.value"),
  },
  {
    name: "POST bulk readings: an unknown meter",
    method: "POST",
    url: "/api/houses/:house/readings",
    body: { period: PAST_MONTH, readings: [{ meter_id: MISSING_ID, value: "20" }] },
    ...invalid("readings.0.meter_id"),
  },
  {
    name: "POST bulk readings: a meter of another house",
    method: "POST",
    url: "/api/houses/:otherHouse/readings",
    body: bulkBody(),
    ...invalid("readings.0.meter_id"),
  },
  {
    name: "POST bulk readings: the same meter twice",
    method: "POST",
    url: "/api/houses/:house/readings",
    body: (fx: Fixture) => ({
      period: PAST_MONTH,
      readings: [
        { meter_id: fx.meter, value: "20" },
        { meter_id: fx.meter, value: "21" },
      ],
    }),
    ...invalid("readings.1.meter_id"),
  },
  { name: "POST bulk readings: unknown house", method: "POST", url: `/api/houses/${MISSING_ID}/readings`, body: bulkBody(), ...NOT_FOUND },
];

const tariffCases: BadCase[] = [
  ...fieldCases(postTariff, "price", BAD_PRICES),
  ...fieldCases(postTariff, "valid_from", BAD_MONTHS),
  ...fieldCases(postTariff, "service", [
    ["unknown", "electricity"],
    ["upper case", "Maintenance"],
    ["empty", ""],
    ["a number", 1],
    ["null", null],
  ]),
  ...fieldCases(postTariff, "house_id", BAD_BODY_IDS),
  {
    name: "POST /api/tariffs: everything missing",
    method: "POST",
    url: "/api/tariffs",
    body: {},
    ...required("service", "price", "valid_from"),
  },
  {
    name: "POST /api/tariffs: unknown house",
    method: "POST",
    url: "/api/tariffs",
    body: { service: "hot_water", price: "10", valid_from: PAST_MONTH, house_id: MISSING_ID },
    ...NOT_FOUND,
  },
  {
    name: "POST /api/tariffs: a duplicate default price",
    method: "POST",
    url: "/api/tariffs",
    body: { service: "cold_water", price: "41", valid_from: "2024-01" },
    ...conflict("valid_from"),
  },
];

const serviceCases: BadCase[] = [
  ...fieldCases(postService, "code", BAD_SERVICE_CODES),
  ...fieldCases(postService, "name_ru", badTexts(100)),
  ...fieldCases(postService, "name_en", badTexts(100)),
  ...fieldCases(postService, "basis", BAD_BASES),
  ...fieldCases(postService, "active", BAD_BOOLEANS),
  ...fieldCases(postService, "workspace_id", BAD_BODY_IDS),
  {
    name: "POST /api/services: everything missing",
    method: "POST",
    url: "/api/services",
    body: {},
    ...required("code", "name_ru", "name_en", "basis"),
  },
  {
    name: "POST /api/services: a meter basis for a code that is not a meter service",
    method: "POST",
    url: "/api/services",
    body: { code: "gas", name_ru: "Газ", name_en: "Gas", basis: "meter" },
    ...invalid("code"),
  },
  {
    name: "POST /api/services: a code the workspace has",
    method: "POST",
    url: "/api/services",
    body: { code: "maintenance", name_ru: "Ещё одно", name_en: "Another", basis: "area" },
    ...conflict("code"),
  },
  {
    name: "POST /api/services: an unknown workspace",
    method: "POST",
    url: "/api/services",
    body: { code: "lift", name_ru: "Лифт", name_en: "Lift", basis: "apartment", workspace_id: MISSING_ID },
    ...NOT_FOUND,
  },
  ...fieldCases(patchService, "name_ru", badTexts(100)),
  ...fieldCases(patchService, "basis", BAD_BASES),
  ...fieldCases(patchService, "active", BAD_BOOLEANS),
  ...fieldCases(patchService, "switched_off_houses", [
    ["not a list", 5],
    ["null", null],
  ]),
  ...fieldCases(patchService, "switched_off_houses", [["a bad id", [0]]], "switched_off_houses.0"),
  ...fieldCases(patchService, "switched_off_houses", [["a string id", ["1"]]], "switched_off_houses.0"),
  {
    name: "PATCH /api/services/:service: an unknown house to switch off",
    method: "PATCH",
    url: "/api/services/:service",
    body: { switched_off_houses: [MISSING_ID] },
    ...invalid("switched_off_houses"),
  },
  {
    name: "PATCH /api/services/:service: a meter basis for a service that is not a meter service",
    method: "PATCH",
    url: "/api/services/:service",
    body: { basis: "meter" },
    ...invalid("basis"),
  },
  {
    name: "PATCH /api/services/:service: a new code",
    method: "PATCH",
    url: "/api/services/:service",
    body: { code: "renamed", name_en: "Fee" },
    ...unknownField("code"),
  },
  { name: "PATCH /api/services/:service: nothing to change", method: "PATCH", url: "/api/services/:service", body: {}, ...invalid("body") },
];

const normativeCases: BadCase[] = [
  ...fieldCases(postNormative, "value", BAD_NORMATIVES),
  ...fieldCases(postNormative, "service", BAD_METER_SERVICES),
  ...fieldCases(postNormative, "valid_from", BAD_MONTHS),
  ...fieldCases(postNormative, "house_id", BAD_BODY_IDS),
  {
    name: "POST /api/normatives: everything missing",
    method: "POST",
    url: "/api/normatives",
    body: {},
    ...required("service", "value", "valid_from"),
  },
  {
    name: "POST /api/normatives: an unknown house",
    method: "POST",
    url: "/api/normatives",
    body: { service: "cold_water", value: "5", valid_from: PAST_MONTH, house_id: MISSING_ID },
    ...NOT_FOUND,
  },
  {
    name: "POST /api/normatives: house and workspace both",
    method: "POST",
    url: "/api/normatives",
    body: (fx: Fixture) => ({ service: "cold_water", value: "5", valid_from: PAST_MONTH, house_id: fx.house, workspace_id: 1 }),
    ...invalid("workspace_id"),
  },
];

const readCases: BadCase[] = [
  ...(
    [
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["limit=abc", "limit"],
      ["limit=-1", "limit"],
      ["limit=1.5", "limit"],
      ["limit=1e2", "limit"],
      ["offset=-1", "offset"],
      ["offset=abc", "offset"],
      ["offset=1.5", "offset"],
      ["limit=0&offset=-1", "limit offset"],
      ["foo=1", "foo"],
      ["limit=10&sort=address", "sort"],
      [`q=${"д".repeat(301)}`, "q"],
      ["q=%00", "q"],
      ["q=%D0%9B%00%D0%B5", "q"],
      ["q=%E2%80%AE41", "q"],
      ["q=%E2%80%8F%D0%9B", "q"],
    ] as const
  ).map(([query, names]) => {
    const keys = names.split(" ");
    const expected = keys.length === 1 && !["limit", "offset", "q"].includes(keys[0]) ? unknownField(...keys) : invalid(...keys);
    return { name: `GET /api/houses?${query.slice(0, 40)}`, method: "GET" as const, url: `/api/houses?${query}`, ...expected };
  }),
  ...["abc", "0", "-1", "1.5", "99999999999", ""].map((id) => ({
    name: `GET /api/tariffs?house_id=${id}`,
    method: "GET" as const,
    url: `/api/tariffs?house_id=${id}`,
    ...invalid("house_id"),
  })),
  { name: "GET /api/tariffs?house_id=<unknown>", method: "GET", url: `/api/tariffs?house_id=${MISSING_ID}`, ...NOT_FOUND },
  ...["abc", "0", "1.5"].map((id) => ({
    name: `GET /api/normatives?house_id=${id}`,
    method: "GET" as const,
    url: `/api/normatives?house_id=${id}`,
    ...invalid("house_id"),
  })),
  { name: "GET /api/normatives?house_id=<unknown>", method: "GET", url: `/api/normatives?house_id=${MISSING_ID}`, ...NOT_FOUND },
  { name: "GET /api/services?code=heating", method: "GET", url: "/api/services?code=heating", ...unknownField("code") },
  { name: "GET /api/tariffs?service=cold_water", method: "GET", url: "/api/tariffs?service=cold_water", ...unknownField("service") },
  { name: "GET /api/houses/:house?expand=all", method: "GET", url: "/api/houses/:house?expand=all", ...unknownField("expand") },
  { name: "GET /api/meters/:meter/readings?limit=5", method: "GET", url: "/api/meters/:meter/readings?limit=5", ...unknownField("limit") },
  {
    name: "POST /api/houses?dry_run=1",
    method: "POST",
    url: "/api/houses?dry_run=1",
    body: { address: "ул. Новая, д. 9" },
    ...unknownField("dry_run"),
  },
  { name: "GET /api/nope", method: "GET", url: "/api/nope", ...NOT_FOUND },
  { name: "POST /api/nope", method: "POST", url: "/api/nope", body: { address: "x" }, ...NOT_FOUND },
  { name: "GET /api/houses/:house/nope", method: "GET", url: "/api/houses/:house/nope", ...NOT_FOUND },
  { name: "DELETE /api/v2/houses/:house", method: "DELETE", url: "/api/v2/houses/:house", ...NOT_FOUND },
];

const SECTIONS: [string, BadCase[]][] = [
  ["whole bodies on every write endpoint", bodyCases],
  ["ids in the path", pathIdCases],
  ["houses", houseCases],
  ["apartments", apartmentCases],
  ["meters", meterCases],
  ["readings", readingCases],
  ["tariffs", tariffCases],
  ["services", serviceCases],
  ["normatives", normativeCases],
  ["query parameters and unknown paths", readCases],
];

describe.each(SECTIONS)("refused, nothing written: %s", (_, cases) => {
  it.each(cases)("$name", async (c) => {
    const before = await snapshot();
    const res = await send(c);
    expectError(res, c);
    expect(await snapshot(), "bad input changed the database").toEqual(before);
  });
});

// ---- what must be accepted ----

async function storedAddress(id: number): Promise<string> {
  const [row] = await db().select({ address: house.address }).from(house).where(eq(house.id, id));
  return row.address;
}

describe("accepted and stored verbatim", () => {
  const UNICODE: [string, string][] = [
    ["Cyrillic", "г. Москва, ул. Большая Грузинская, д. 12, корп. 2"],
    ["emoji", "Дом 🏠 на Садовой, 5"],
    ["an emoji ZWJ sequence", "Семейный дом 👨‍👩‍👧‍👦, 7"],
    ["combining characters (not normalised)", "ул. Йошкар-Олинская, ё 3".normalize("NFD")],
    ["Arabic, right to left", "شارع الملك فهد، مبنى ١٢"],
    ["Hebrew", "רחוב הרצל 5, תל אביב"],
    ["Persian with a zero-width non-joiner (not a direction mark)", "خیابان\u200cها ۵"],
    ["mixed directions and digits", "ул. Мира 5 / شارع 7 / רחוב 9"],
    ["CJK", "東京都千代田区千代田1-1"],
    ["300 emoji (the limit in characters)", "🏠".repeat(300)],
    ["300 characters", "д".repeat(300)],
  ];

  it.each(UNICODE)("a house address in %s, trimmed", async (_, address) => {
    const created = await api("POST", "/api/houses", { address: ` \t${address}\n ` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.address).toBe(address);
    const read = await api("GET", `/api/houses/${created.body.id}`);
    expect(read.body.address).toBe(address);
    expect(await storedAddress(created.body.id)).toBe(address);
  });

  const SQL_LIKE = [
    "'; DROP TABLE house; --",
    "%_\\",
    "Robert'); DROP TABLE apartment;--",
    "1' OR '1'='1",
    '" OR ""="',
    "$1::text; select pg_sleep(0)",
    "\\x00\\n",
    "<script>alert(1)</script>",
  ];

  it.each(SQL_LIKE)("the address %j, found by searching for it", async (address) => {
    const before = await snapshot();
    const created = await api("POST", "/api/houses", { address });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.address).toBe(address);
    expect((await api("GET", `/api/houses/${created.body.id}`)).body.address).toBe(address);
    expect(await storedAddress(created.body.id)).toBe(address);

    // `%`, `_` and `\` match themselves: the search finds this house only.
    const found = await api("GET", `/api/houses?q=${encodeURIComponent(address)}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((h: { address: string }) => h.address)).toEqual([address]);

    // Every table is still there and only the house table changed.
    const after = await snapshot();
    for (const table of Object.keys(before)) {
      if (table === "house") expect(Number(after.house.split(":")[0])).toBe(Number(before.house.split(":")[0]) + 1);
      else expect(after[table], table).toBe(before[table]);
    }
  });

  it("SQL-looking apartment numbers and serial numbers", async () => {
    const home = await createHouse("ул. Инъекционная, д. 1");
    const flat = await createApartment(home.id, { number: "1'; --", area: "30.00" });
    expect(flat.number).toBe("1'; --");
    const gauge = await createMeter(flat.id, { serial_number: "'; DROP TABLE meter; --" });
    expect(gauge.serial_number).toBe("'; DROP TABLE meter; --");

    const [stored] = await db()
      .select({ number: apartment.number, serial: meter.serialNumber })
      .from(meter)
      .innerJoin(apartment, eq(apartment.id, meter.apartmentId))
      .where(eq(meter.id, gauge.id));
    expect(stored).toEqual({ number: "1'; --", serial: "'; DROP TABLE meter; --" });
    expect((await api("GET", `/api/meters/${gauge.id}`)).status).toBe(200);
  });
});

describe("decimals as JSON numbers or strings, returned as strings", () => {
  const AREAS: [unknown, string][] = [
    [63.75, "63.75"],
    ["63.75", "63.75"],
    ["63,75", "63.75"],
    ["007,5", "7.50"],
    [50, "50.00"],
    ["0.01", "0.01"],
    [10000, "10000.00"],
    ["10000.00", "10000.00"],
  ];

  it.each(AREAS)("area %j → %j", async (area, expected) => {
    const home = await createHouse();
    const created = await api("POST", `/api/houses/${home.id}/apartments`, { number: "1", area });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.area).toBe(expected);
    expect((await api("GET", `/api/apartments/${created.body.id}`)).body.area).toBe(expected);

    const changed = await api("PATCH", `/api/apartments/${created.body.id}`, { area });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.area).toBe(expected);
  });

  const READINGS: [unknown, string][] = [
    [1023.125, "1023.125"],
    ["1023.125", "1023.125"],
    [0, "0.000"],
    ["999999999.999", "999999999.999"],
    [12, "12.000"],
    ["1023,125", "1023.125"],
  ];

  it.each(READINGS)("reading %j → %j, one at a time and in bulk", async (value, expected) => {
    const home = await createHouse();
    const flat = await createApartment(home.id, { number: "1" });
    const gauge = await createMeter(flat.id);

    const one = await api("PUT", `/api/meters/${gauge.id}/readings/2024-03`, { value });
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body.value).toBe(expected);

    const bulk = await api("POST", `/api/houses/${home.id}/readings`, { period: THIS_MONTH, readings: [{ meter_id: gauge.id, value }] });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.items[0].value).toBe(expected);

    const listed = await api("GET", `/api/meters/${gauge.id}/readings`);
    expect(listed.body.items.map((r: { value: string }) => r.value)).toEqual([expected, expected]);
  });

  const PRICES: [unknown, string][] = [
    [63.75, "63.7500"],
    ["63.75", "63.7500"],
    ["0.0001", "0.0001"],
    ["9999999999.9999", "9999999999.9999"],
    ["47,12", "47.1200"],
  ];

  it.each(PRICES)("price %j → %j", async (price, expected) => {
    const home = await createHouse();
    const created = await api("POST", "/api/tariffs", { service: "maintenance", price, valid_from: "2024-01", house_id: home.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.price).toBe(expected);
    const listed = await api("GET", `/api/tariffs?house_id=${home.id}`);
    expect(listed.body.items.find((t: { id: number }) => t.id === created.body.id).price).toBe(expected);
  });
});

describe("the valid bodies the cases above start from", () => {
  // A control: each refused case differs from an accepted request in one thing only.
  it.each(WRITES)("$method $url accepts its base body", async (e) => {
    const res = await send({ method: e.method, url: e.url, body: e.valid });
    expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  });

  it("the current month is accepted for a reading", async () => {
    const res = await api("PUT", `/api/meters/${f.meter}/readings/${THIS_MONTH}`, { value: "30.000" });
    expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
    expect(res.body.period).toBe(THIS_MONTH);
  });
});

describe("bodies read as JSON", () => {
  // JSON types with or without parameters, and no Content-Type at all (older clients) are read.
  it.each([
    ["no Content-Type", null],
    ["application/json", "application/json"],
    ["application/json; charset=utf-8", "application/json; charset=utf-8"],
    ["upper case", "Application/JSON"],
    ["a +json type", "application/merge-patch+json"],
    ["a vendor +json type", "application/vnd.kvartplata+json; charset=UTF-8"],
  ])("%s", async (_, type) => {
    const address = `ул. Заголовочная, д. ${String(type)}`;
    const created = await api("POST", "/api/houses", { address }, { headers: { "content-type": type } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.address).toBe(address);
    const read = await api(
      "PUT",
      `/api/meters/${f.meter}/readings/${PAST_MONTH}`,
      { value: "20.000" },
      { headers: { "content-type": type } },
    );
    expect([200, 201], JSON.stringify(read.body)).toContain(read.status);
  });
});

describe("a field's reason tells a missing value from one of the wrong type", () => {
  it("required when absent, wrong_type (with what was expected) when present but not the type", async () => {
    const missing = await api("POST", "/api/houses", {});
    expect(missing.status).toBe(422);
    expect(missing.body.error.field_reasons.address).toEqual({ reason: "required" });
    const wrong = await api("POST", "/api/houses", { address: 42 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.field_reasons.address).toEqual({ reason: "wrong_type", params: { expected: "string" } });
    expect(wrong.body.error.fields.address).toBe("must be a string");
  });
});
