import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { meterReading } from "../db/schema";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { db, snapshot } from "./helpers/db";
import {
  apiError,
  createApartment,
  createHouse,
  createMeter,
  houseWithMeter,
  meterOfAnotherWorkspace,
  putReading,
} from "./helpers/fixtures";

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

type Row = { meter_id: unknown; value: unknown };
const postSheet = (houseId: number | string, period: unknown, readings: Row[] | unknown) =>
  api("POST", `/api/houses/${houseId}/readings`, { period, readings });

/**
 * A house with two apartments and three meters, each read last month at 100, 200 and 300;
 * the sheets below are for the month before that or this month.
 */
async function houseWithThreeMeters() {
  const h = await createHouse();
  const flat1 = await createApartment(h.id, { number: "1", area: "45.00" });
  const flat2 = await createApartment(h.id, { number: "2", area: "60.00" });
  const cold1 = await createMeter(flat1.id, { service: "cold_water" });
  const hot1 = await createMeter(flat1.id, { service: "hot_water" });
  const cold2 = await createMeter(flat2.id, { service: "cold_water" });
  const lastMonth = addMonths(thisMonth(), -1);
  await putReading(cold1.id, lastMonth, "100");
  await putReading(hot1.id, lastMonth, "200");
  await putReading(cold2.id, lastMonth, "300");
  return { house: h, meters: [cold1.id, hot1.id, cold2.id] as const, lastMonth };
}

/** The values read in `month`, by meter id. */
async function storedValues(meterIds: readonly number[], month: string) {
  const rows = await db()
    .select({ meterId: meterReading.meterId, value: meterReading.value })
    .from(meterReading)
    .where(and(inArray(meterReading.meterId, [...meterIds]), eq(meterReading.period, `${month}-01`)));
  return Object.fromEntries(rows.map((r) => [r.meterId, r.value]));
}

describe("POST /api/houses/:id/readings – success", () => {
  it("saves every reading and answers with counts and the items in request order", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const [cold1, hot1, cold2] = meters;
    const month = thisMonth();
    await putReading(hot1, month, "201");

    const res = await postSheet(h.id, month, [
      { meter_id: cold2, value: "310.5" },
      { meter_id: hot1, value: 205 },
      { meter_id: cold1, value: "100" },
    ]);

    expect(res.status).toBe(200);
    const item = (meterId: number, value: string, status: "created" | "replaced") => ({
      meter_id: meterId,
      period: month,
      value,
      status,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(res.body).toEqual({
      house_id: h.id,
      period: month,
      created: 2,
      replaced: 1,
      items: [item(cold2, "310.500", "created"), item(hot1, "205.000", "replaced"), item(cold1, "100.000", "created")],
    });
    expect(await storedValues(meters, month)).toEqual({ [cold1]: "100.000", [hot1]: "205.000", [cold2]: "310.500" });
  });

  it("accepts a sheet for a single meter of the house", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const month = addMonths(thisMonth(), -2);

    const res = await postSheet(h.id, month, [{ meter_id: meters[1], value: "150" }]);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ house_id: h.id, period: month, created: 1, replaced: 0 });
    expect(await storedValues(meters, month)).toEqual({ [meters[1]]: "150.000" });
  });

  it("accepts values equal to the neighbouring readings", async () => {
    const { house: h, meters, lastMonth } = await houseWithThreeMeters();
    await putReading(meters[0], thisMonth(), "110");
    await putReading(meters[1], addMonths(lastMonth, -1), "150");

    const res = await postSheet(h.id, lastMonth, [
      { meter_id: meters[0], value: "110" }, // equal to the later reading
      { meter_id: meters[1], value: "150" }, // equal to the earlier reading
    ]);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 0, replaced: 2 });
    expect(await storedValues(meters, lastMonth)).toEqual({ [meters[0]]: "110.000", [meters[1]]: "150.000", [meters[2]]: "300.000" });
  });

  it("accepts January of a year after readings of December the year before", async () => {
    const { house: h, meter: m } = await houseWithMeter();
    await putReading(m.id, "2020-12", "100");

    const res = await postSheet(h.id, "2021-01", [{ meter_id: m.id, value: "112" }]);

    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ meter_id: m.id, period: "2021-01", value: "112.000", status: "created" })]);
  });
});

describe("POST /api/houses/:id/readings – all or nothing", () => {
  it("refuses a sheet with one reading lower than the previous month: 422 reading_out_of_order, row named, nothing saved", async () => {
    const { house: h, meters, lastMonth } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), [
      { meter_id: meters[0], value: "101" },
      { meter_id: meters[1], value: "201" },
      { meter_id: meters[2], value: "299.999" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("reading_out_of_order", { "readings.2.value": expect.any(String) }));
    expect(res.body.error.fields["readings.2.value"]).toContain(lastMonth);
    expect(res.body.error.fields["readings.2.value"]).toContain("300.000");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a sheet with one reading higher than the following month's, naming that reading", async () => {
    const { house: h, meters, lastMonth } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, addMonths(lastMonth, -1), [
      { meter_id: meters[0], value: "100.001" },
      { meter_id: meters[1], value: "199" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("reading_out_of_order", { "readings.0.value": expect.any(String) }));
    expect(res.body.error.fields["readings.0.value"]).toContain(lastMonth);
    expect(res.body.error.fields["readings.0.value"]).toContain("100.000");
    expect(await snapshot()).toEqual(before);
  });

  it("names every out-of-order row and keeps the code reading_out_of_order", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), [
      { meter_id: meters[0], value: "99" },
      { meter_id: meters[1], value: "201" },
      { meter_id: meters[2], value: "1" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(
      apiError("reading_out_of_order", { "readings.0.value": expect.any(String), "readings.2.value": expect.any(String) }),
    );
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a meter of another house of the workspace: 422 validation_failed on its meter_id, nothing saved", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const { meter: elsewhere } = await houseWithMeter();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), [
      { meter_id: meters[0], value: "101" },
      { meter_id: elsewhere.id, value: "5" },
      { meter_id: meters[2], value: "301" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { "readings.1.meter_id": expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a meter of another workspace like an unknown one, nothing saved", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const foreign = await meterOfAnotherWorkspace();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), [
      { meter_id: meters[0], value: "101" },
      { meter_id: foreign.meterId, value: "5" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { "readings.1.meter_id": expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an unknown meter id: 422 validation_failed on its meter_id, nothing saved", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), [
      { meter_id: meters[0], value: "101" },
      { meter_id: 999999, value: "5" },
      { meter_id: meters[2], value: "301" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { "readings.1.meter_id": expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses the same meter given twice, naming the repeated row, nothing saved", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), [
      { meter_id: meters[0], value: "101" },
      { meter_id: meters[1], value: "201" },
      { meter_id: meters[0], value: "102" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { "readings.2.meter_id": expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses invalid values in one row with 422 validation_failed on that row's value, nothing saved", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    for (const bad of ["-1", "1.2345", "", "abc", "+1", "1000000000", null]) {
      const res = await postSheet(h.id, thisMonth(), [
        { meter_id: meters[0], value: "101" },
        { meter_id: meters[1], value: "201" },
        { meter_id: meters[2], value: bad },
      ]);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body, JSON.stringify(bad)).toEqual(apiError("validation_failed", { "readings.2.value": expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an invalid meter id in one row with 422 on that row's meter_id, nothing saved", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    for (const bad of [String(meters[1]), 0, -1, 1.5, null, 99999999999]) {
      const res = await postSheet(h.id, thisMonth(), [
        { meter_id: meters[0], value: "101" },
        { meter_id: bad, value: "201" },
      ]);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body, JSON.stringify(bad)).toEqual(apiError("validation_failed", { "readings.1.meter_id": expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers validation_failed, naming all rows, when an order problem comes with another problem", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), [
      { meter_id: meters[0], value: "99" },
      { meter_id: 999999, value: "5" },
      { meter_id: meters[2], value: "301" },
    ]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(
      apiError("validation_failed", { "readings.0.value": expect.any(String), "readings.1.meter_id": expect.any(String) }),
    );
    expect(await snapshot()).toEqual(before);
  });

  it("keeps an existing reading of the month unchanged when the sheet replacing it is refused", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const month = thisMonth();
    await putReading(meters[0], month, "150");

    const res = await postSheet(h.id, month, [
      { meter_id: meters[0], value: "160" },
      { meter_id: meters[1], value: "1" },
    ]);

    expect(res.status).toBe(422);
    expect(await storedValues(meters, month)).toEqual({ [meters[0]]: "150.000" });
  });
});

describe("POST /api/houses/:id/readings – the sheet itself", () => {
  it("refuses a future month with 422 validation_failed naming period, nothing saved", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, addMonths(thisMonth(), 1), [{ meter_id: meters[0], value: "101" }]);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a period that is not a month with 422 naming period", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    for (const period of ["2024-13", "2024-00", "2024-1", "2024-01-01", "", 202401, null]) {
      const res = await postSheet(h.id, period, [{ meter_id: meters[0], value: "101" }]);
      expect(res.status, JSON.stringify(period)).toBe(422);
      expect(res.body, JSON.stringify(period)).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an empty list of readings with 422 naming readings", async () => {
    const { house: h } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await postSheet(h.id, thisMonth(), []);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { readings: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses readings that are not a list, and missing fields, with 422 naming them", async () => {
    const { house: h } = await houseWithThreeMeters();
    const before = await snapshot();

    const notList = await postSheet(h.id, thisMonth(), { meter_id: 1, value: "1" });
    expect(notList.status).toBe(422);
    expect(notList.body).toEqual(apiError("validation_failed", { readings: expect.any(String) }));

    const empty = await api("POST", `/api/houses/${h.id}/readings`, {});
    expect(empty.status).toBe(422);
    expect(empty.body).toEqual(apiError("validation_failed", { period: "required", readings: expect.any(String) }));

    expect(await snapshot()).toEqual(before);
  });

  it("refuses unknown fields in the sheet and in a row with 422 naming them", async () => {
    const { house: h, meters } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await api("POST", `/api/houses/${h.id}/readings`, {
      period: thisMonth(),
      house_id: h.id,
      readings: [{ meter_id: meters[0], value: "101", serial_number: "X" }],
    });

    expect(res.status).toBe(422);
    expect(res.body).toEqual(
      apiError("validation_failed", { house_id: expect.any(String), "readings.0.serial_number": expect.any(String) }),
    );
    expect(await snapshot()).toEqual(before);
  });

  it("refuses malformed JSON with 400 invalid_json", async () => {
    const { house: h } = await houseWithThreeMeters();
    const before = await snapshot();

    const res = await api("POST", `/api/houses/${h.id}/readings`, undefined, { rawBody: "{ period: 2024-01 }" });

    expect(res.status).toBe(400);
    expect(res.body).toEqual(apiError("invalid_json"));
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for a house that does not exist or belongs to another workspace, nothing saved", async () => {
    const foreign = await meterOfAnotherWorkspace();
    const before = await snapshot();

    for (const [houseId, meterId] of [
      [999999, 1],
      [foreign.houseId, foreign.meterId],
    ]) {
      const res = await postSheet(houseId, addMonths(thisMonth(), -1), [{ meter_id: meterId, value: "5" }]);
      expect(res.status, String(houseId)).toBe(404);
      expect(res.body, String(houseId)).toEqual(apiError("not_found"));
    }
    expect(await snapshot()).toEqual(before);
    const [row] = await db().select().from(meterReading).where(eq(meterReading.meterId, foreign.meterId));
    expect(row).toBeUndefined();
  });

  it("answers 422 for a house id that is not a positive integer", async () => {
    for (const id of ["abc", "0", "-1"]) {
      const res = await postSheet(id, thisMonth(), [{ meter_id: 1, value: "5" }]);
      expect(res.status, id).toBe(422);
      expect(res.body, id).toEqual(apiError("validation_failed", { id: expect.any(String) }));
    }
  });
});
