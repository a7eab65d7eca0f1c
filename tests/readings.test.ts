import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { meter, meterReading } from "../db/schema";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { testPerson } from "./helpers/auth";
import { db, snapshot } from "./helpers/db";
import { apiError, createMeter, houseWithMeter, meterOfAnotherWorkspace, putReading } from "./helpers/fixtures";

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

const put = (meterId: number, period: string, value: unknown) => api("PUT", `/api/meters/${meterId}/readings/${period}`, { value });

async function storedReadings(meterId: number) {
  return db()
    .select({ period: meterReading.period, value: meterReading.value })
    .from(meterReading)
    .where(eq(meterReading.meterId, meterId))
    .orderBy(meterReading.period);
}

describe("PUT /api/meters/:id/readings/:period", () => {
  it("creates a reading with 201, then replaces it with 200; GET shows the replaced value", async () => {
    const { meter: m } = await houseWithMeter();
    const month = addMonths(thisMonth(), -1);

    const created = await put(m.id, month, "100");

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      meter_id: m.id,
      period: month,
      value: "100.000",
      status: "created",
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const replaced = await put(m.id, month, "104.25");

    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({
      meter_id: m.id,
      period: month,
      value: "104.250",
      status: "replaced",
      created_at: created.body.created_at,
      updated_at: expect.any(String),
    });
    const list = await api("GET", `/api/meters/${m.id}/readings`);
    expect(list.body.items).toEqual([expect.objectContaining({ period: month, value: "104.250" })]);
    expect(await storedReadings(m.id)).toEqual([{ period: `${month}-01`, value: "104.250" }]);
  });

  it("normalises the value to three decimals, given as a string or a number", async () => {
    const { apartment: flat } = await houseWithMeter();
    const month = addMonths(thisMonth(), -1);
    const cases: [string | number, string][] = [
      ["100", "100.000"],
      [12.5, "12.500"],
      ["0", "0.000"],
      [0, "0.000"],
      ["7,25", "7.250"],
      ["1023.125", "1023.125"],
      ["999999999.999", "999999999.999"],
    ];
    for (const [given, stored] of cases) {
      const m = await createMeter(flat.id);
      const res = await put(m.id, month, given);
      expect(res.status, String(given)).toBe(201);
      expect(res.body.value, String(given)).toBe(stored);
      expect(await storedReadings(m.id), String(given)).toEqual([{ period: `${month}-01`, value: stored }]);
    }
  });

  it("accepts a reading for the current month", async () => {
    const { meter: m } = await houseWithMeter();

    const res = await put(m.id, thisMonth(), "5");

    expect(res.status).toBe(201);
    expect(res.body.period).toBe(thisMonth());
  });

  it("refuses a month in the future with 422 validation_failed naming period, writing nothing", async () => {
    const { meter: m } = await houseWithMeter();
    const before = await snapshot();

    for (const month of [addMonths(thisMonth(), 1), addMonths(thisMonth(), 13), "2999-12"]) {
      const res = await put(m.id, month, "5");
      expect(res.status, month).toBe(422);
      expect(res.body, month).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("accepts January after December of the previous year", async () => {
    const { meter: m } = await houseWithMeter();
    await putReading(m.id, "2020-12", "100");

    const res = await put(m.id, "2021-01", "110.5");

    expect(res.status).toBe(201);
    const list = await api("GET", `/api/meters/${m.id}/readings`);
    expect(list.body.items.map((r: { period: string; consumption: string | null }) => [r.period, r.consumption])).toEqual([
      ["2021-01", "10.500"],
      ["2020-12", null],
    ]);
  });

  it("refuses a month that is not YYYY-MM with 422 naming period, writing nothing", async () => {
    const { meter: m } = await houseWithMeter();
    const before = await snapshot();

    for (const month of ["2024-13", "2024-00", "2024-1", "24-01", "2024-01-01", "abc", "1899-12"]) {
      const res = await put(m.id, month, "5");
      expect(res.status, month).toBe(422);
      expect(res.body, month).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses negative, 4-decimal, too large, empty and non-numeric values with 422 naming value, writing nothing", async () => {
    const { meter: m } = await houseWithMeter();
    const month = addMonths(thisMonth(), -1);
    const before = await snapshot();

    for (const value of ["-1", -0.001, "1.2345", 1.2345, "1000000000", 1e9, 1e21, "", "  ", "abc", ".5", "1e3", null, true, [], {}]) {
      const res = await put(m.id, month, value);
      expect(res.status, JSON.stringify(value)).toBe(422);
      expect(res.body, JSON.stringify(value)).toEqual(apiError("validation_failed", { value: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a body without value, or with unknown fields, with 422 naming the field", async () => {
    const { meter: m } = await houseWithMeter();
    const month = addMonths(thisMonth(), -1);
    const before = await snapshot();

    const missing = await api("PUT", `/api/meters/${m.id}/readings/${month}`, {});
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual(apiError("validation_failed", { value: "required" }));

    const unknown = await api("PUT", `/api/meters/${m.id}/readings/${month}`, { value: "5", period: month });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toEqual(apiError("validation_failed", { period: expect.any(String) }));

    expect(await snapshot()).toEqual(before);
  });

  it("refuses malformed JSON with 400 invalid_json, writing nothing", async () => {
    const { meter: m } = await houseWithMeter();
    const before = await snapshot();

    const res = await api("PUT", `/api/meters/${m.id}/readings/${addMonths(thisMonth(), -1)}`, undefined, { rawBody: '{"value": 5' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual(apiError("invalid_json"));
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for a meter that does not exist or belongs to another workspace, writing nothing", async () => {
    const { meterId: foreign } = await meterOfAnotherWorkspace();
    const before = await snapshot();

    for (const id of [999999, foreign]) {
      const res = await put(id, addMonths(thisMonth(), -1), "5");
      expect(res.status, String(id)).toBe(404);
      expect(res.body, String(id)).toEqual(apiError("not_found"));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers 422 for a meter id that is not a positive integer", async () => {
    for (const id of ["abc", "0", "-1", "1.5", "99999999999"]) {
      const res = await api("PUT", `/api/meters/${id}/readings/${addMonths(thisMonth(), -1)}`, { value: "5" });
      expect(res.status, id).toBe(422);
      expect(res.body, id).toEqual(apiError("validation_failed", { id: expect.any(String) }));
    }
  });
});

describe("reading order: a value lies between the neighbouring readings", () => {
  /** Readings at months -8, -6, -2 and -1 (so -7, -5…-3 are gaps), counting up. */
  async function meterWithHistory() {
    const { meter: m } = await houseWithMeter();
    const now = thisMonth();
    const months = {
      m8: addMonths(now, -8),
      m6: addMonths(now, -6),
      m4: addMonths(now, -4),
      m2: addMonths(now, -2),
      m1: addMonths(now, -1),
    };
    await putReading(m.id, months.m8, "50");
    await putReading(m.id, months.m6, "100");
    await putReading(m.id, months.m2, "200");
    await putReading(m.id, months.m1, "300");
    return { meterId: m.id, months };
  }

  it("refuses a value lower than the latest earlier reading: 422 reading_out_of_order naming that reading", async () => {
    const { meterId, months } = await meterWithHistory();
    const before = await snapshot();

    const res = await put(meterId, months.m4, "99.999");

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("reading_out_of_order");
    expect(res.body.error.message).toContain(months.m6);
    expect(res.body.error.message).toContain("100.000");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a value higher than the earliest later reading: 422 reading_out_of_order naming that reading", async () => {
    const { meterId, months } = await meterWithHistory();
    const before = await snapshot();

    const res = await put(meterId, months.m4, "200.001");

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("reading_out_of_order");
    expect(res.body.error.message).toContain(months.m2);
    expect(res.body.error.message).toContain("200.000");
    expect(await snapshot()).toEqual(before);
  });

  it("across a gap, compares with the latest earlier reading, not an older one", async () => {
    const { meterId, months } = await meterWithHistory();
    const before = await snapshot();

    // 75 is above the reading of -8 (50) but below the one of -6 (100), which is the neighbour.
    const res = await put(meterId, months.m4, "75");

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("reading_out_of_order");
    expect(res.body.error.message).toContain(months.m6);
    expect(res.body.error.message).toContain("100.000");
    expect(res.body.error.message).not.toContain(months.m8);
    expect(await snapshot()).toEqual(before);
  });

  it("across a gap, compares with the earliest later reading, not a newer one", async () => {
    const { meterId, months } = await meterWithHistory();
    const before = await snapshot();

    // 250 is below the reading of -1 (300) but above the one of -2 (200), which is the neighbour.
    const res = await put(meterId, months.m4, "250");

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("reading_out_of_order");
    expect(res.body.error.message).toContain(months.m2);
    expect(res.body.error.message).toContain("200.000");
    expect(res.body.error.message).not.toContain(months.m1);
    expect(await snapshot()).toEqual(before);
  });

  it("accepts a value between the neighbours across a gap", async () => {
    const { meterId, months } = await meterWithHistory();

    const res = await put(meterId, months.m4, "150");

    expect(res.status).toBe(201);
  });

  it("accepts a value equal to the earlier neighbour", async () => {
    const { meterId, months } = await meterWithHistory();

    const res = await put(meterId, months.m4, "100");

    expect(res.status).toBe(201);
    expect(res.body.value).toBe("100.000");
  });

  it("accepts a value equal to the later neighbour", async () => {
    const { meterId, months } = await meterWithHistory();

    const res = await put(meterId, months.m4, 200);

    expect(res.status).toBe(201);
    expect(res.body.value).toBe("200.000");
  });

  it("refuses a new latest reading below the last one, and accepts one above it in the current month", async () => {
    const { meterId, months } = await meterWithHistory();
    const before = await snapshot();

    const low = await put(meterId, thisMonth(), "299");

    expect(low.status).toBe(422);
    expect(low.body.error.code).toBe("reading_out_of_order");
    expect(low.body.error.message).toContain(months.m1);
    expect(low.body.error.message).toContain("300.000");
    expect(await snapshot()).toEqual(before);

    const ok = await put(meterId, thisMonth(), "301");
    expect(ok.status).toBe(201);
  });

  it("refuses a new earliest reading above the first one", async () => {
    const { meterId, months } = await meterWithHistory();
    const before = await snapshot();

    const res = await put(meterId, addMonths(months.m8, -1), "50.5");

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("reading_out_of_order");
    expect(res.body.error.message).toContain(months.m8);
    expect(res.body.error.message).toContain("50.000");
    expect(await snapshot()).toEqual(before);
  });

  it("checks a replacement against the months around it, not against the value it replaces", async () => {
    const { meterId, months } = await meterWithHistory();

    const lower = await put(meterId, months.m2, "150");
    expect(lower.status).toBe(200);

    const before = await snapshot();
    const tooHigh = await put(meterId, months.m2, "300.5");
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.body.error.code).toBe("reading_out_of_order");
    expect(tooHigh.body.error.message).toContain(months.m1);
    expect(await snapshot()).toEqual(before);
    expect((await storedReadings(meterId)).find((r) => r.period === `${months.m2}-01`)?.value).toBe("150.000");
  });

  it("compares only readings of the same meter", async () => {
    const { meterId, months } = await meterWithHistory();
    const [row] = await db().select({ apartmentId: meter.apartmentId }).from(meter).where(eq(meter.id, meterId));
    const other = await createMeter(row.apartmentId);

    const res = await put(other.id, months.m4, "1");

    expect(res.status).toBe(201);
  });

  it("refuses a future month even when the value is in order", async () => {
    const { meterId } = await meterWithHistory();
    const before = await snapshot();

    const res = await put(meterId, addMonths(thisMonth(), 1), "400");

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/meters/:id/readings", () => {
  it("lists the readings newest first, each with its consumption since the previous reading", async () => {
    const { meter: m } = await houseWithMeter();
    await putReading(m.id, "2020-11", "100");
    await putReading(m.id, "2021-01", "130");
    await putReading(m.id, "2020-12", "112.5");
    await putReading(m.id, "2021-04", "130.001");

    const res = await api("GET", `/api/meters/${m.id}/readings`);

    expect(res.status).toBe(200);
    const me = await testPerson();
    const reading = (period: string, value: string, consumption: string | null) => ({
      period,
      value,
      consumption,
      source: "manager",
      sent_by: { person_id: me.personId, phone: me.phone, api_key_id: null, api_key_name: null, import_id: null },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(res.body).toEqual({
      meter_id: m.id,
      items: [
        reading("2021-04", "130.001", "0.001"),
        reading("2021-01", "130.000", "17.500"),
        reading("2020-12", "112.500", "12.500"),
        reading("2020-11", "100.000", null),
      ],
    });
  });

  it("lists only the meter's own readings", async () => {
    const { apartment: flat, meter: m } = await houseWithMeter();
    const other = await createMeter(flat.id, { service: "hot_water" });
    await putReading(m.id, "2021-01", "10");
    await putReading(other.id, "2021-01", "500");
    await putReading(other.id, "2021-02", "600");

    const res = await api("GET", `/api/meters/${m.id}/readings`);

    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { period: string; value: string }) => [r.period, r.value])).toEqual([["2021-01", "10.000"]]);
  });

  it("answers an empty list for a meter without readings", async () => {
    const { meter: m } = await houseWithMeter();

    const res = await api("GET", `/api/meters/${m.id}/readings`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ meter_id: m.id, items: [] });
  });

  it("answers 404 not_found for a meter that does not exist or belongs to another workspace", async () => {
    const { meterId: foreign } = await meterOfAnotherWorkspace();
    await db().insert(meterReading).values({ meterId: foreign, period: "2021-01-01", value: "1.000" });

    for (const id of [999999, foreign]) {
      const res = await api("GET", `/api/meters/${id}/readings`);
      expect(res.status, String(id)).toBe(404);
      expect(res.body, String(id)).toEqual(apiError("not_found"));
    }
  });
});
