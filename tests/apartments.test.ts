import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apartment, meter, meterReading } from "../db/schema";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { db, snapshot } from "./helpers/db";
import { addInvoice, apiError, createApartment, createHouse, createMeter, putReading } from "./helpers/fixtures";

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

describe("POST /api/houses/:id/apartments", () => {
  it("creates the apartment and answers 201 with it, area as a 2-decimal string", async () => {
    const h = await createHouse();

    const res = await api("POST", `/api/houses/${h.id}/apartments`, { number: " 12 ", area: 45.5 });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      house_id: h.id,
      number: "12",
      account_number: String(res.body.id).padStart(8, "0"),
      owner_name: "",
      area: "45.50",
      residents: 0,
      archived_at: null,
      created_at: expect.any(String),
      meters: [],
    });
    const [row] = await db().select().from(apartment).where(eq(apartment.id, res.body.id));
    expect(row).toMatchObject({ houseId: h.id, number: "12", area: "45.50" });
  });

  it("normalises areas given as strings or numbers to two decimals", async () => {
    const h = await createHouse();
    const cases: [string | number, string][] = [
      ["63.7", "63.70"],
      ["100", "100.00"],
      [0.01, "0.01"],
      ["10000", "10000.00"],
      ["33,33", "33.33"], // a decimal comma; " 33.33 " with spaces is refused (bad-input)
    ];
    for (const [i, [given, stored]] of cases.entries()) {
      const res = await api("POST", `/api/houses/${h.id}/apartments`, { number: `N${i}`, area: given });
      expect(res.status, String(given)).toBe(201);
      expect(res.body.area, String(given)).toBe(stored);
    }
  });

  it("refuses a number the house already has with 409 and writes nothing", async () => {
    const h = await createHouse();
    await createApartment(h.id, { number: "7", area: "40.00" });
    const before = await snapshot();

    const res = await api("POST", `/api/houses/${h.id}/apartments`, { number: "7", area: "55.00" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { number: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("allows the same number in another house", async () => {
    const first = await createHouse();
    const second = await createHouse();
    await createApartment(first.id, { number: "7", area: "40.00" });

    const res = await api("POST", `/api/houses/${second.id}/apartments`, { number: "7", area: "40.00" });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ house_id: second.id, number: "7" });
  });

  it("refuses zero, negative, 3-decimal and over-10000 areas with 422 and writes nothing", async () => {
    const h = await createHouse();
    const before = await snapshot();
    for (const area of [0, "-5", "45.555", "10000.01", "", "abc", null]) {
      const res = await api("POST", `/api/houses/${h.id}/apartments`, { number: "1", area });
      expect(res.status, JSON.stringify(area)).toBe(422);
      expect(res.body, JSON.stringify(area)).toEqual(apiError("validation_failed", { area: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("records the persons registered (residents), 0 when not given; refuses a negative, fractional or non-number count", async () => {
    const h = await createHouse();

    const res = await api("POST", `/api/houses/${h.id}/apartments`, { number: "30", area: "40.00", residents: 3 });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: "30", residents: 3 });
    const [row] = await db().select().from(apartment).where(eq(apartment.id, res.body.id));
    expect(row.residents).toBe(3);
    const before = await snapshot();
    for (const residents of [-1, 2.5, "3", 1000, null]) {
      const bad = await api("POST", `/api/houses/${h.id}/apartments`, { number: "31", area: "40.00", residents });
      expect(bad.status, JSON.stringify(residents)).toBe(422);
      expect(bad.body, JSON.stringify(residents)).toEqual(apiError("validation_failed", { residents: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for a house that does not exist, writing nothing", async () => {
    const before = await snapshot();
    const res = await api("POST", "/api/houses/999999/apartments", { number: "1", area: "40.00" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/apartments/:id", () => {
  it("includes the meters, each with its last 12 readings newest first", async () => {
    const now = thisMonth();
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "3", area: "61.20" });
    const hot = await createMeter(flat.id, { serial_number: "APT-HOT-1", service: "hot_water", installed_on: "2021-06-01" });
    const cold = await createMeter(flat.id, { serial_number: "APT-COLD-1", service: "cold_water" });
    // 14 months of readings: the two oldest must be left out
    const months = Array.from({ length: 14 }, (_, i) => addMonths(now, i - 13));
    for (const [i, month] of months.entries()) await putReading(cold.id, month, `${100 + i * 10}.5`);
    await putReading(hot.id, addMonths(now, -1), "7.25");

    const res = await api("GET", `/api/apartments/${flat.id}`);

    expect(res.status).toBe(200);
    const expectedCold = months
      .map((month, i) => ({ period: month, value: `${100 + i * 10}.500` }))
      .reverse()
      .slice(0, 12);
    expect(res.body).toEqual({
      id: flat.id,
      house_id: h.id,
      number: "3",
      account_number: String(flat.id).padStart(8, "0"),
      owner_name: "",
      area: "61.20",
      residents: 0,
      archived_at: null,
      created_at: expect.any(String),
      meters: [
        {
          id: cold.id,
          serial_number: "APT-COLD-1",
          service: "cold_water",
          installed_on: null,
          verified_until: null,
          readings: expectedCold,
        },
        {
          id: hot.id,
          serial_number: "APT-HOT-1",
          service: "hot_water",
          installed_on: "2021-06-01",
          verified_until: null,
          readings: [{ period: addMonths(now, -1), value: "7.250" }],
        },
      ],
    });
    expect(expectedCold[0].period).toBe(now);
    expect(expectedCold[11].period).toBe(addMonths(now, -11));
  });

  it("answers 404 not_found for an apartment that does not exist", async () => {
    const res = await api("GET", "/api/apartments/999999");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
  });
});

describe("PATCH /api/apartments/:id", () => {
  it("changes the number", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "4", area: "50.00" });

    const res = await api("PATCH", `/api/apartments/${flat.id}`, { number: "4a" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: flat.id, house_id: h.id, number: "4a", area: "50.00", meters: [] });
    const [row] = await db().select().from(apartment).where(eq(apartment.id, flat.id));
    expect(row).toMatchObject({ number: "4a", area: "50.00" });
  });

  it("changes the area, normalised to two decimals", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "5", area: "50.00" });

    const res = await api("PATCH", `/api/apartments/${flat.id}`, { area: 70.1 });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: flat.id, number: "5", area: "70.10" });
    const [row] = await db().select().from(apartment).where(eq(apartment.id, flat.id));
    expect(row).toMatchObject({ number: "5", area: "70.10" });
  });

  it("changes number and area together", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "6", area: "50.00" });

    const res = await api("PATCH", `/api/apartments/${flat.id}`, { number: "6b", area: "33.3" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: "6b", area: "33.30" });
  });

  it("changes the residents alone, and back to 0", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "7", area: "50.00" });

    const res = await api("PATCH", `/api/apartments/${flat.id}`, { residents: 2 });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: "7", area: "50.00", residents: 2 });
    const none = await api("PATCH", `/api/apartments/${flat.id}`, { residents: 0 });
    expect(none.body).toMatchObject({ residents: 0 });
  });

  it("refuses an empty body with 422 and changes nothing", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "8", area: "50.00" });
    const before = await snapshot();

    const res = await api("PATCH", `/api/apartments/${flat.id}`, {});

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", expect.any(Object)));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a number another apartment of the house has with 409 and changes nothing", async () => {
    const h = await createHouse();
    await createApartment(h.id, { number: "9", area: "50.00" });
    const flat = await createApartment(h.id, { number: "10", area: "50.00" });
    const before = await snapshot();

    const res = await api("PATCH", `/api/apartments/${flat.id}`, { number: "9" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { number: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an invalid area with 422 and changes nothing", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "11", area: "50.00" });
    const before = await snapshot();

    const res = await api("PATCH", `/api/apartments/${flat.id}`, { area: "-1" });

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { area: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for an apartment that does not exist, writing nothing", async () => {
    const before = await snapshot();
    const res = await api("PATCH", "/api/apartments/999999", { area: "40.00" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("DELETE /api/apartments/:id", () => {
  it("removes the apartment with its meters and readings, and leaves its neighbours alone", async () => {
    const now = thisMonth();
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "1", area: "40.00" });
    const meters = [await createMeter(flat.id), await createMeter(flat.id, { service: "hot_water" })];
    for (const m of meters) {
      await putReading(m.id, addMonths(now, -2), "1.000");
      await putReading(m.id, addMonths(now, -1), "2.000");
    }
    const neighbour = await createApartment(h.id, { number: "2", area: "40.00" });
    const neighbourMeter = await createMeter(neighbour.id);
    await putReading(neighbourMeter.id, addMonths(now, -1), "9.000");

    const res = await api("DELETE", `/api/apartments/${flat.id}`);

    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    const meterIds = meters.map((m) => m.id);
    expect(await db().select().from(apartment).where(eq(apartment.id, flat.id))).toEqual([]);
    expect(await db().select().from(meter).where(inArray(meter.id, meterIds))).toEqual([]);
    expect(await db().select().from(meterReading).where(inArray(meterReading.meterId, meterIds))).toEqual([]);
    expect(await db().select().from(apartment).where(eq(apartment.id, neighbour.id))).toHaveLength(1);
    expect(await db().select().from(meterReading).where(eq(meterReading.meterId, neighbourMeter.id))).toHaveLength(1);
    expect((await api("GET", `/api/apartments/${flat.id}`)).status).toBe(404);
  });

  it("refuses with 409 conflict once the apartment has an invoice, deleting nothing", async () => {
    const now = thisMonth();
    const h = await createHouse();
    const flat = await createApartment(h.id, { number: "1", area: "40.00" });
    const m = await createMeter(flat.id);
    await putReading(m.id, addMonths(now, -1), "4.000");
    await addInvoice(flat.id, addMonths(now, -1));
    const before = await snapshot();

    const res = await api("DELETE", `/api/apartments/${flat.id}`);

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict"));
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for an apartment that does not exist", async () => {
    const before = await snapshot();
    const res = await api("DELETE", "/api/apartments/999999");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});
