import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { invoice, meter, meterReading } from "../db/schema";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { testPerson } from "./helpers/auth";
import { db, snapshot } from "./helpers/db";
import { addInvoice, apiError, createApartment, createHouse, createMeter, houseWithMeter, putReading } from "./helpers/fixtures";

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

let workspaceId: number;
beforeAll(async () => {
  workspaceId = (await testPerson()).workspaceId;
});

async function meterRow(id: number) {
  const [row] = await db().select().from(meter).where(eq(meter.id, id));
  return row;
}

describe("POST /api/apartments/:id/meters", () => {
  it("installs the meter and answers 201 with it", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id);

    const res = await api("POST", `/api/apartments/${flat.id}/meters`, {
      serial_number: "СВ-15 №00123",
      service: "hot_water",
      installed_on: "2023-04-15",
    });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      apartment_id: flat.id,
      house_id: h.id,
      serial_number: "СВ-15 №00123",
      service: "hot_water",
      installed_on: "2023-04-15",
      verified_until: null,
      created_at: expect.any(String),
      last_reading: null,
    });
    expect(await meterRow(res.body.id)).toMatchObject({
      apartmentId: flat.id,
      workspaceId,
      serialNumber: "СВ-15 №00123",
      service: "hot_water",
      installedOn: "2023-04-15",
    });
  });

  it("leaves installed_on null when it is not given", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id);

    const res = await api("POST", `/api/apartments/${flat.id}/meters`, { serial_number: "NO-DATE-1", service: "cold_water" });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ serial_number: "NO-DATE-1", service: "cold_water", installed_on: null });
    expect((await meterRow(res.body.id)).installedOn).toBeNull();
  });

  it("refuses a serial number already used in the workspace, even in another house, with 409", async () => {
    const first = await createHouse();
    await createMeter((await createApartment(first.id)).id, { serial_number: "DUP-0001" });
    const second = await createHouse();
    const flat = await createApartment(second.id);
    const before = await snapshot();

    const res = await api("POST", `/api/apartments/${flat.id}/meters`, { serial_number: "DUP-0001", service: "hot_water" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { serial_number: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an unknown service, a malformed or impossible installed_on and an empty serial with 422", async () => {
    const h = await createHouse();
    const flat = await createApartment(h.id);
    const before = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ serial_number: "BAD-1", service: "electricity" }, "service"],
      [{ serial_number: "BAD-2", service: "cold_water", installed_on: "2023-02-30" }, "installed_on"],
      [{ serial_number: "BAD-3", service: "cold_water", installed_on: "15.04.2023" }, "installed_on"],
      [{ serial_number: "BAD-4", service: "cold_water", verified_until: "2027-02-29" }, "verified_until"],
      [{ serial_number: "BAD-5", service: "cold_water", verified_until: "2027-02" }, "verified_until"],
      [{ serial_number: "   ", service: "cold_water" }, "serial_number"],
      [{ service: "cold_water" }, "serial_number"],
    ];
    for (const [body, field] of cases) {
      const res = await api("POST", `/api/apartments/${flat.id}/meters`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body, JSON.stringify(body)).toEqual(apiError("validation_failed", { [field]: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for an apartment that does not exist, writing nothing", async () => {
    const before = await snapshot();
    const res = await api("POST", "/api/apartments/999999/meters", { serial_number: "ORPHAN-1", service: "cold_water" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/meters/:id", () => {
  it("returns the meter with its apartment, house and latest reading", async () => {
    const now = thisMonth();
    const { house, apartment, meter: m } = await houseWithMeter();
    await putReading(m.id, addMonths(now, -3), "100");
    await putReading(m.id, addMonths(now, -1), "123.456");
    await putReading(m.id, addMonths(now, -2), "110.5");

    const res = await api("GET", `/api/meters/${m.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: m.id,
      apartment_id: apartment.id,
      house_id: house.id,
      serial_number: m.serial_number,
      service: "cold_water",
      installed_on: null,
      verified_until: null,
      created_at: expect.any(String),
      last_reading: { period: addMonths(now, -1), value: "123.456" },
    });
  });

  it("has last_reading null while the meter has no readings", async () => {
    const { meter: m } = await houseWithMeter();
    const res = await api("GET", `/api/meters/${m.id}`);
    expect(res.status).toBe(200);
    expect(res.body.last_reading).toBeNull();
  });

  it("answers 404 not_found for a meter that does not exist", async () => {
    const res = await api("GET", "/api/meters/999999");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
  });
});

describe("PATCH /api/meters/:id", () => {
  it("changes the serial number and installation date", async () => {
    const { meter: m } = await houseWithMeter();

    const res = await api("PATCH", `/api/meters/${m.id}`, { serial_number: "RENAMED-1", installed_on: "2020-01-31" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: m.id, serial_number: "RENAMED-1", service: "cold_water", installed_on: "2020-01-31" });
    expect(await meterRow(m.id)).toMatchObject({ serialNumber: "RENAMED-1", installedOn: "2020-01-31" });
  });

  it("records the end of the verification interval (verified_until), and clears it with null", async () => {
    const { apartment, meter: m } = await houseWithMeter();

    const res = await api("PATCH", `/api/meters/${m.id}`, { verified_until: "2030-06-30" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: m.id, verified_until: "2030-06-30" });
    expect(await meterRow(m.id)).toMatchObject({ verifiedUntil: "2030-06-30" });
    const cleared = await api("PATCH", `/api/meters/${m.id}`, { verified_until: null });
    expect(cleared.body).toMatchObject({ verified_until: null });
    const created = await api("POST", `/api/apartments/${apartment.id}/meters`, {
      serial_number: "VERIFIED-1",
      service: "hot_water",
      verified_until: "2029-12-31",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ serial_number: "VERIFIED-1", verified_until: "2029-12-31" });
  });

  it("clears installed_on when it is set to null, keeping the serial number", async () => {
    const h = await createHouse();
    const m = await createMeter((await createApartment(h.id)).id, { serial_number: "CLEAR-1", installed_on: "2022-05-05" });

    const res = await api("PATCH", `/api/meters/${m.id}`, { installed_on: null });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ serial_number: "CLEAR-1", installed_on: null });
    expect(await meterRow(m.id)).toMatchObject({ serialNumber: "CLEAR-1", installedOn: null });
  });

  it("refuses a serial number another meter of the workspace has with 409 and changes nothing", async () => {
    const h = await createHouse();
    await createMeter((await createApartment(h.id)).id, { serial_number: "TAKEN-1" });
    const { meter: m } = await houseWithMeter();
    const before = await snapshot();

    const res = await api("PATCH", `/api/meters/${m.id}`, { serial_number: "TAKEN-1" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { serial_number: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("changes the service of a meter without readings", async () => {
    const { meter: m } = await houseWithMeter();

    const res = await api("PATCH", `/api/meters/${m.id}`, { service: "hot_water" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: m.id, service: "hot_water" });
    expect((await meterRow(m.id)).service).toBe("hot_water");
  });

  it("refuses to change the service of a meter with readings with 409 and changes nothing", async () => {
    const { meter: m } = await houseWithMeter();
    await putReading(m.id, addMonths(thisMonth(), -1), "10.000");
    const before = await snapshot();

    const res = await api("PATCH", `/api/meters/${m.id}`, { service: "hot_water", serial_number: "SHOULD-NOT-STICK" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { service: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("accepts the service a meter with readings already has, since nothing changes", async () => {
    const { meter: m } = await houseWithMeter();
    await putReading(m.id, addMonths(thisMonth(), -1), "10.000");

    const res = await api("PATCH", `/api/meters/${m.id}`, { service: "cold_water", installed_on: "2019-09-09" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ service: "cold_water", installed_on: "2019-09-09" });
  });

  it("refuses an empty body with 422", async () => {
    const { meter: m } = await houseWithMeter();
    const before = await snapshot();
    const res = await api("PATCH", `/api/meters/${m.id}`, {});
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", expect.any(Object)));
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for a meter that does not exist, writing nothing", async () => {
    const before = await snapshot();
    const res = await api("PATCH", "/api/meters/999999", { serial_number: "GHOST-1" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("DELETE /api/meters/:id", () => {
  it("removes the meter and its readings, leaving the apartment's other meters", async () => {
    const now = thisMonth();
    const { apartment, meter: m } = await houseWithMeter();
    await putReading(m.id, addMonths(now, -2), "1.000");
    await putReading(m.id, addMonths(now, -1), "2.000");
    const other = await createMeter(apartment.id, { service: "hot_water" });
    await putReading(other.id, addMonths(now, -1), "3.000");

    const res = await api("DELETE", `/api/meters/${m.id}`);

    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await db().select().from(meter).where(eq(meter.id, m.id))).toEqual([]);
    expect(await db().select().from(meterReading).where(eq(meterReading.meterId, m.id))).toEqual([]);
    expect(await db().select().from(meterReading).where(eq(meterReading.meterId, other.id))).toHaveLength(1);
    expect((await api("GET", `/api/meters/${m.id}`)).status).toBe(404);
  });

  it("refuses with 409 when the apartment is invoiced for the month of the meter's first reading", async () => {
    const now = thisMonth();
    const { apartment, meter: m } = await houseWithMeter();
    await putReading(m.id, addMonths(now, -3), "1.000");
    await putReading(m.id, addMonths(now, -2), "2.000");
    await addInvoice(apartment.id, addMonths(now, -3));
    const before = await snapshot();

    const res = await api("DELETE", `/api/meters/${m.id}`);

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict"));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses with 409 when the apartment is invoiced for a month after the meter's first reading", async () => {
    const now = thisMonth();
    const { apartment, meter: m } = await houseWithMeter();
    await putReading(m.id, addMonths(now, -3), "1.000");
    await addInvoice(apartment.id, addMonths(now, -1));
    const before = await snapshot();

    const res = await api("DELETE", `/api/meters/${m.id}`);

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict"));
    expect(await snapshot()).toEqual(before);
  });

  it("allows deleting when the apartment's only invoice is for a month before the meter's first reading", async () => {
    const now = thisMonth();
    const { apartment, meter: m } = await houseWithMeter();
    await putReading(m.id, addMonths(now, -2), "1.000");
    await addInvoice(apartment.id, addMonths(now, -3));

    const res = await api("DELETE", `/api/meters/${m.id}`);

    expect(res.status).toBe(204);
    expect(await db().select().from(meter).where(eq(meter.id, m.id))).toEqual([]);
    expect(await db().select().from(meterReading).where(eq(meterReading.meterId, m.id))).toEqual([]);
    expect(await db().select().from(invoice).where(eq(invoice.apartmentId, apartment.id))).toHaveLength(1);
  });

  it("allows deleting a meter without readings even in an invoiced apartment", async () => {
    const { apartment, meter: m } = await houseWithMeter();
    await addInvoice(apartment.id, addMonths(thisMonth(), -1));

    const res = await api("DELETE", `/api/meters/${m.id}`);

    expect(res.status).toBe(204);
    expect(await db().select().from(meter).where(eq(meter.id, m.id))).toEqual([]);
  });

  it("answers 404 not_found for a meter that does not exist", async () => {
    const before = await snapshot();
    const res = await api("DELETE", "/api/meters/999999");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});
