import { describe, expect, it } from "vitest";
import { checkRow, parseEntry, valueToSend, type RowCheck } from "../components/readings/entry";
import { checkSheet, withTyped, type CheckCache } from "../components/readings/sheet-checks";
import type { ReadingSheetItem } from "../lib/schemas/responses";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { signIn, testPerson } from "./helpers/auth";
import { apiError, createApartment, createHouse, createMeter, putReading } from "./helpers/fixtures";

// GET /api/houses/:id/readings?period= – the sheet the reading-entry page is built from.

const thisMonth = () => currentMonth(env().APP_TIMEZONE);
/** `ago(3)`: the month three months before the current one. */
const ago = (months: number) => addMonths(thisMonth(), -months);

const getSheet = (houseId: number | string, query = "", token?: string | null) =>
  api("GET", `/api/houses/${houseId}/readings${query}`, undefined, token === undefined ? {} : { token });

/** One meter in a house of its own, with the given readings (month → value). */
async function meterWithReadings(readings: [month: string, value: string][]) {
  const h = await createHouse();
  const flat = await createApartment(h.id, { number: "1" });
  const m = await createMeter(flat.id);
  for (const [month, value] of readings) await putReading(m.id, month, value);
  return { houseId: h.id, meterId: m.id };
}

async function itemOf(houseId: number, period: string) {
  const res = await getSheet(houseId, `?period=${period}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.items).toHaveLength(1);
  return res.body.items[0];
}

describe("GET /api/houses/:id/readings – shape and order", () => {
  it("lists every meter of the house with apartment, serial and service, ordered by apartment number (numeric-aware), service, meter", async () => {
    const h = await createHouse("ул. Листовая, д. 5");
    const flat10 = await createApartment(h.id, { number: "10" });
    const flat2 = await createApartment(h.id, { number: "2" });
    const flatA = await createApartment(h.id, { number: "2а" });
    const flatOffice = await createApartment(h.id, { number: "офис" });
    const flat1 = await createApartment(h.id, { number: "1" });
    await createApartment(h.id, { number: "3" }); // no meters: no rows
    const hot1 = await createMeter(flat1.id, { serial_number: "HW-1", service: "hot_water" });
    const cold1b = await createMeter(flat1.id, { serial_number: "CW-1B", service: "cold_water" });
    const cold1a = await createMeter(flat1.id, { serial_number: "CW-1A", service: "cold_water" });
    const cold2 = await createMeter(flat2.id, { serial_number: "CW-2", service: "cold_water" });
    const coldA = await createMeter(flatA.id, { serial_number: "CW-2A", service: "cold_water" });
    const cold10 = await createMeter(flat10.id, { serial_number: "CW-10", service: "cold_water" });
    const office = await createMeter(flatOffice.id, { serial_number: "CW-OF", service: "cold_water" });
    // A meter of another house never appears.
    const other = await createHouse();
    await createMeter((await createApartment(other.id, { number: "1" })).id);

    const res = await getSheet(h.id, `?period=${ago(1)}`);

    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(res.body).sort()).toEqual(["address", "closed_through", "house_id", "items", "period"]);
    expect(res.body).toMatchObject({ house_id: h.id, address: "ул. Листовая, д. 5", period: ago(1), closed_through: null });
    expect(res.body.items[0]).toEqual({
      meter_id: cold1b.id,
      apartment_id: flat1.id,
      apartment_number: "1",
      serial_number: "CW-1B",
      service: "cold_water",
      previous: null,
      current: null,
      next: null,
      usual_consumption: null,
      average_use: null,
      zero_months: 0,
    });
    expect(res.body.items.map((i: { meter_id: number; apartment_number: string }) => [i.apartment_number, i.meter_id])).toEqual([
      // two meters of one service: by meter id, not serial number
      ["1", cold1b.id],
      ["1", cold1a.id],
      ["1", hot1.id],
      ["2", cold2.id],
      ["2а", coldA.id],
      ["10", cold10.id],
      ["офис", office.id],
    ]);
  });

  it("answers an empty list for a house without meters", async () => {
    const h = await createHouse();
    await createApartment(h.id);

    const res = await getSheet(h.id, `?period=${ago(1)}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ house_id: h.id, address: h.address, period: ago(1), closed_through: null, items: [] });
  });

  it("is for the current month without a period", async () => {
    const { houseId } = await meterWithReadings([[thisMonth(), "12.5"]]);

    const res = await getSheet(houseId);

    expect(res.status).toBe(200);
    expect(res.body.period).toBe(thisMonth());
    expect(res.body.items[0].current).toMatchObject({ value: "12.500" });
  });

  it("says where the month's reading came from and who sent it, and the sender changes with the value", async () => {
    const { houseId, meterId } = await meterWithReadings([[ago(1), "12.5"]]);
    const me = await testPerson();
    const noOne = { person_id: null, phone: null, api_key_id: null, api_key_name: null, import_id: null };

    // typed by a member (the test person's session): manager, with the member's phone
    expect((await itemOf(houseId, ago(1))).current).toEqual({
      value: "12.500",
      source: "manager",
      sent_by: { ...noOne, person_id: me.personId, phone: me.phone },
    });

    // replaced with an API key: api, the key named, nobody's phone
    const key = await api("POST", "/api/api-keys", { name: "Выгрузка из 1С" });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const put = await api("PUT", `/api/meters/${meterId}/readings/${ago(1)}`, { value: "13" }, { token: key.body.key });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const byKey = { value: "13.000", source: "api", sent_by: { ...noOne, api_key_id: key.body.id, api_key_name: "Выгрузка из 1С" } };
    expect((await itemOf(houseId, ago(1))).current).toEqual(byKey);
    // the meter's own list says the same
    const list = await api("GET", `/api/meters/${meterId}/readings`);
    expect(list.body.items[0]).toMatchObject({ period: ago(1), ...byKey });

    // once the key is deleted, the reading still says it came by the API (the key is no longer named)
    expect((await api("DELETE", `/api/api-keys/${key.body.id}`)).status).toBe(204);
    expect((await itemOf(houseId, ago(1))).current).toEqual({ ...byKey, sent_by: noOne });
  });
});

describe("GET /api/houses/:id/readings – previous, current and next", () => {
  it("gives the latest reading before the month, the month's own and the earliest after it", async () => {
    const { houseId } = await meterWithReadings([
      [ago(6), "50"],
      [ago(4), "100"],
      [ago(2), "120.5"],
      [ago(1), "130"],
    ]);

    // A month without its own reading, between two readings.
    expect(await itemOf(houseId, ago(3))).toMatchObject({
      previous: { period: ago(4), value: "100.000" },
      current: null,
      next: { period: ago(2), value: "120.500" },
    });
    // A month with a reading: it is `current`, not a neighbour.
    expect(await itemOf(houseId, ago(2))).toMatchObject({
      previous: { period: ago(4), value: "100.000" },
      current: { value: "120.500" },
      next: { period: ago(1), value: "130.000" },
    });
    // Before the first reading and after the last one.
    expect(await itemOf(houseId, ago(7))).toMatchObject({ previous: null, current: null, next: { period: ago(6), value: "50.000" } });
    expect(await itemOf(houseId, thisMonth())).toMatchObject({ previous: { period: ago(1), value: "130.000" }, current: null, next: null });
  });

  it("answers a zero reading as a reading, not as none", async () => {
    const { houseId } = await meterWithReadings([
      [ago(2), "0"],
      [ago(1), "0"],
    ]);

    expect(await itemOf(houseId, ago(1))).toMatchObject({ previous: { period: ago(2), value: "0.000" }, current: { value: "0.000" } });
  });
});

describe("GET /api/houses/:id/readings – usual consumption", () => {
  const cases: [name: string, readings: [number, string][], period: number, usual: string | null][] = [
    ["no readings", [], 0, null],
    ["a single reading before the month", [[1, "100"]], 0, null],
    [
      "two readings a month apart",
      [
        [2, "100"],
        [1, "112.25"],
      ],
      0,
      "12.250",
    ],
    [
      "an average over the months between two readings",
      [
        [4, "100"],
        [1, "110"],
      ],
      0,
      "3.333",
    ],
    [
      "half a litre rounds up",
      [
        [3, "0"],
        [1, "0.001"],
      ],
      0,
      "0.001",
    ],
    [
      "zero consumption",
      [
        [3, "40"],
        [1, "40"],
      ],
      0,
      "0.000",
    ],
    // The earliest reading of the 13 months before the period gives 12 months of consumption;
    // older readings and the period's own reading and later ones do not count.
    [
      "twelve months at most",
      [
        [14, "0"],
        [13, "10"],
        [7, "70"],
        [1, "130"],
      ],
      0,
      "10.000",
    ],
    [
      "readings after the month do not count",
      [
        [4, "10"],
        [3, "20"],
        [1, "1000"],
      ],
      2,
      "10.000",
    ],
    [
      "the month's own reading does not count",
      [
        [3, "10"],
        [2, "20"],
        [1, "1000"],
      ],
      1,
      "10.000",
    ],
    [
      "the latest reading is older than 12 months",
      [
        [15, "10"],
        [13, "30"],
      ],
      0,
      null,
    ],
  ];
  for (const [name, readings, period, usual] of cases) {
    it(`${name}: ${usual ?? "null"}`, async () => {
      const { houseId } = await meterWithReadings(readings.map(([months, value]) => [ago(months), value]));

      expect((await itemOf(houseId, ago(period))).usual_consumption).toBe(usual);
    });
  }

  it("gives the average use of the last 6 months and the months in a row without use, for the suspicious-reading rule", async () => {
    const { houseId } = await meterWithReadings([
      [ago(9), "0"],
      [ago(7), "100"],
      [ago(6), "103.5"],
      [ago(4), "110.5"],
      [ago(3), "114"],
      [ago(2), "114"],
      [ago(1), "114"],
    ]);
    expect(await itemOf(houseId, ago(0))).toMatchObject({ average_use: "2.333", zero_months: 2 });
  });
});

describe("GET /api/houses/:id/readings – refusals", () => {
  it("answers 404 for another workspace's house, and its owner sees it", async () => {
    const stranger = await signIn("+79995000042");
    const created = await api("POST", "/api/houses", { address: "ул. Чужая, д. 9" }, { token: stranger.token });
    expect(created.status).toBe(201);

    const res = await getSheet(created.body.id, `?period=${ago(1)}`);

    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect((await getSheet(created.body.id, `?period=${ago(1)}`, stranger.token)).status).toBe(200);
  });

  it("answers 404 for a house that does not exist and 422 for an id that is not one", async () => {
    expect((await getSheet(2_000_000_000)).status).toBe(404);
    expect((await getSheet("abc")).status).toBe(422);
  });

  it("answers 401 without a credential", async () => {
    const h = await createHouse();
    expect((await getSheet(h.id, "", null)).status).toBe(401);
  });

  it("answers 422 naming period for a malformed or future month", async () => {
    const h = await createHouse();
    for (const period of ["2024-13", "2024-1", "2024-00", "abc", "", "2024-05-01", "1899-12", addMonths(thisMonth(), 1)]) {
      const res = await getSheet(h.id, `?period=${encodeURIComponent(period)}`);
      expect(res.status, period).toBe(422);
      expect(res.body, period).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    }
  });

  it("answers 422 for an unknown query parameter", async () => {
    const h = await createHouse();

    const res = await getSheet(h.id, `?period=${ago(1)}&month=${ago(1)}`);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { month: "is not a known field" }));
  });
});

// The page's own rules for a row (components/readings/entry.ts), before anything is sent.
describe("reading entry rules", () => {
  /** A saved month's reading, as the sheet gives it (its origin does not matter to the checks). */
  const stored = (value: string) => ({
    value,
    source: "manager" as const,
    sent_by: { person_id: null, phone: null, api_key_id: null, api_key_name: null, import_id: null },
  });
  const item = (over: Partial<ReadingSheetItem> = {}): ReadingSheetItem => ({
    meter_id: 1,
    apartment_id: 1,
    apartment_number: "1",
    serial_number: "CW-1",
    service: "cold_water",
    previous: { period: "2024-04", value: "100.000" },
    current: null,
    next: null,
    usual_consumption: "10.000",
    average_use: "10.000",
    zero_months: 0,
    ...over,
  });
  const fixed = (check: RowCheck) => ({
    value: check.value?.toFixed(3) ?? null,
    consumption: check.consumption?.toFixed(3) ?? null,
    changed: check.changed,
    problem: check.problem?.kind ?? null,
    suspicion: check.suspicion?.kind ?? null,
  });

  it("reads a decimal comma, spaces and a point; refuses what is not a number", () => {
    expect(parseEntry("12,5")).toMatchObject({ kind: "value", text: "12.5" });
    expect(parseEntry(" 1 234,125 ")).toMatchObject({ kind: "value", text: "1234.125" });
    expect(parseEntry("1\u202f234.5")).toMatchObject({ kind: "value", text: "1234.5" });
    expect(parseEntry("0")).toMatchObject({ kind: "value", text: "0" });
    expect(parseEntry(",5")).toMatchObject({ kind: "value", text: "0.5" });
    expect(parseEntry("7.")).toMatchObject({ kind: "value", text: "7" });
    expect(parseEntry("")).toEqual({ kind: "empty" });
    expect(parseEntry("   ")).toEqual({ kind: "empty" });
    for (const text of ["abc", "12a", "1,2,3", "1.2.3", "1e3", "0x10", "+5", "12,5.1", ".", "-"]) {
      expect(parseEntry(text), text).toEqual({ kind: "invalid", problem: { kind: "not_a_number" } });
    }
    expect(parseEntry("-5")).toEqual({ kind: "invalid", problem: { kind: "negative" } });
    expect(parseEntry("-5,5")).toEqual({ kind: "invalid", problem: { kind: "negative" } });
    expect(parseEntry("1.2345")).toEqual({ kind: "invalid", problem: { kind: "too_many_decimals" } });
    expect(parseEntry("1,000")).toMatchObject({ kind: "value", text: "1" });
    expect(parseEntry("999999999.999")).toMatchObject({ kind: "value", text: "999999999.999" });
    expect(parseEntry("1000000000")).toEqual({ kind: "invalid", problem: { kind: "too_large" } });
  });

  it("computes the consumption exactly, without floating point", () => {
    expect(fixed(checkRow(item({ previous: { period: "2024-04", value: "0.100" } }), "0,3", "2024-05"))).toMatchObject({
      consumption: "0.200",
    });
    expect(fixed(checkRow(item({ previous: { period: "2024-04", value: "123456789.001" } }), "123456789.3", "2024-05"))).toMatchObject({
      consumption: "0.299",
    });
  });

  it("flags lower than previous, higher than next, and a saved reading erased", () => {
    const withNext = item({ next: { period: "2024-06", value: "150.000" } });
    expect(fixed(checkRow(withNext, "99,999", "2024-05"))).toMatchObject({ problem: "lower_than_previous", changed: true });
    expect(fixed(checkRow(withNext, "150", "2024-05"))).toMatchObject({ problem: null, consumption: "50.000" });
    expect(fixed(checkRow(withNext, "150.001", "2024-05"))).toMatchObject({ problem: "higher_than_next" });
    expect(fixed(checkRow(item({ current: stored("120.000") }), "", "2024-05"))).toMatchObject({
      problem: "cannot_clear",
      changed: true,
    });
    expect(fixed(checkRow(item(), "", "2024-05"))).toMatchObject({ problem: null, changed: false, value: null });
  });

  it("tells changed rows from the saved reading retyped", () => {
    const saved = item({ current: stored("120.000") });
    expect(fixed(checkRow(saved, undefined, "2024-05"))).toEqual({
      value: "120.000",
      consumption: "20.000",
      changed: false,
      problem: null,
      suspicion: null,
    });
    expect(fixed(checkRow(saved, "120,0", "2024-05"))).toMatchObject({ changed: false });
    expect(fixed(checkRow(saved, "121", "2024-05"))).toMatchObject({ changed: true, consumption: "21.000" });
    expect(valueToSend("1 234,5")).toBe("1234.5");
  });

  it("marks a suspicious reading (lib/readings/suspicious.ts), but allows it", () => {
    // previous 2024-04, the sheet's month 2024-05, 10 m³ a month usually
    expect(fixed(checkRow(item(), "100", "2024-05"))).toMatchObject({ suspicion: null, problem: null }); // a first zero month
    expect(fixed(checkRow(item({ zero_months: 2 }), "100", "2024-05"))).toMatchObject({ suspicion: "zero", problem: null });
    expect(fixed(checkRow(item(), "130", "2024-05"))).toMatchObject({ suspicion: null }); // exactly 3×
    expect(fixed(checkRow(item(), "130.001", "2024-05"))).toMatchObject({ suspicion: "high", problem: null, changed: true });
    expect(fixed(checkRow(item({ average_use: null }), "500", "2024-05"))).toMatchObject({ suspicion: null });
    expect(fixed(checkRow(item({ previous: null }), "0", "2024-05"))).toMatchObject({ suspicion: null, consumption: null });
    // a decrease is refused outright, not asked about
    expect(fixed(checkRow(item(), "99", "2024-05"))).toMatchObject({ suspicion: null, problem: "lower_than_previous" });
  });

  it("checks the sheet's typed rows only, with the same rows and counts as checking every row", () => {
    const items = [
      item({ meter_id: 1 }),
      item({ meter_id: 2, current: stored("120.000") }),
      item({ meter_id: 3, current: stored("200.000") }), // suspicious as saved (10 m³ a month usually)
      item({ meter_id: 4, previous: null }),
      item({ meter_id: 5, current: stored("105.000") }),
    ];
    const base = checkSheet(items, "2024-05");
    const cache: CheckCache = new WeakMap();
    const drafts = { 5: "", 1: "130.5", 4: "abc", 2: "120,0", 99: "7" }; // 99: no such meter (an old sheet's draft)
    const sheet = withTyped(base, items, "2024-05", drafts, cache);
    const every = items.map((it) => checkRow(it, drafts[it.meter_id as keyof typeof drafts], "2024-05"));
    expect(items.map((_, i) => fixed(sheet.at(i)))).toEqual(every.map(fixed));
    expect(sheet.typed.map((r) => r.index)).toEqual([0, 1, 3, 4]);
    expect({ changed: sheet.changed, problems: sheet.problems, filled: sheet.filled, unusual: sheet.unusual }).toEqual({
      changed: every.filter((c) => c.changed).length,
      problems: every.filter((c) => c.problem).length,
      filled: every.filter((c) => c.value).length,
      unusual: every.filter((c) => c.suspicion).length,
    });
    expect(sheet).toMatchObject({ changed: 3, problems: 2, filled: 3, unusual: 2 });
    // Untouched rows and rows whose text did not change keep their check object.
    const again = withTyped(base, items, "2024-05", { ...drafts, 4: "abcd" }, cache);
    expect(again.at(0)).toBe(sheet.at(0));
    expect(again.at(2)).toBe(base.checks[2]);
    expect(again.at(3)).not.toBe(sheet.at(3));
  });
});
