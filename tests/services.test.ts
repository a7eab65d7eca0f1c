import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { asNewPerson } from "./helpers/as-person";
import { joinWorkspace } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { db, snapshot } from "./helpers/db";
import { apiError } from "./helpers/fixtures";

// The services catalogue (GET/POST /api/services, GET/PATCH/DELETE /api/services/:id): what a
// workspace bills for, switched on by its first price, off for some houses, and kept as it was
// billed once an invoice has a line of it.

let phones = 0;

/** A new person in a workspace of their own, the API as them. */
async function workspace() {
  const { person, call, create } = await asNewPerson(`+7999500${String(++phones).padStart(4, "0")}`);
  const services = async () => (await call<{ items: any[] }>("GET", "/api/services")).body.items;
  return { person, call, create, services };
}

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe("GET /api/services", () => {
  it("lists a new workspace's four seeded services, all active, in the catalogue's order", async () => {
    const ws = await workspace();

    const res = await ws.call("GET", "/api/services");

    expect(res.status).toBe(200);
    const seeded = (code: string, name_ru: string, name_en: string, basis: string, unit: string) => ({
      id: expect.any(Number),
      workspace_id: ws.person.workspaceId,
      code,
      name_ru,
      name_en,
      basis,
      unit,
      active: true,
      switched_off_houses: [],
      billed: false,
      created_at: ISO,
    });
    expect(res.body).toEqual({
      items: [
        seeded("cold_water", "Холодная вода", "Cold water", "meter", "m3"),
        seeded("hot_water", "Горячая вода", "Hot water", "meter", "m3"),
        seeded("wastewater", "Водоотведение", "Wastewater", "water_sum", "m3"),
        seeded("maintenance", "Содержание жилья", "Maintenance", "area", "m2"),
      ],
    });
  });

  it("lists the services of every workspace the person belongs to, and no one else's", async () => {
    const mine = await workspace();
    const colleague = await workspace();
    const stranger = await workspace();
    await colleague.create("/api/services", { code: "lift", name_ru: "Лифт", name_en: "Lift", basis: "apartment" });
    await stranger.create("/api/services", { code: "parking", name_ru: "Парковка", name_en: "Parking", basis: "apartment" });
    await joinWorkspace(mine.person, colleague.person.workspaceId, "accountant");

    const items = await mine.services();

    expect(items.map((s) => [s.workspace_id === mine.person.workspaceId ? "mine" : "colleague's", s.code])).toEqual([
      ["mine", "cold_water"],
      ["mine", "hot_water"],
      ["mine", "wastewater"],
      ["mine", "maintenance"],
      ["colleague's", "cold_water"],
      ["colleague's", "hot_water"],
      ["colleague's", "wastewater"],
      ["colleague's", "maintenance"],
      ["colleague's", "lift"],
    ]);
  });
});

describe("POST /api/services", () => {
  it("adds a service, inactive until its first price switches it on", async () => {
    const ws = await workspace();

    const res = await ws.call("POST", "/api/services", { code: "heating", name_ru: "Отопление", name_en: "Heating", basis: "area" });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      workspace_id: ws.person.workspaceId,
      code: "heating",
      name_ru: "Отопление",
      name_en: "Heating",
      basis: "area",
      unit: "m2",
      active: false,
      switched_off_houses: [],
      billed: false,
      created_at: ISO,
    });
    const priced = await ws.call("POST", "/api/tariffs", { service: "heating", price: "35.12", valid_from: "2024-01" });
    expect(priced.status).toBe(201);
    expect(priced.body).toMatchObject({ service: "heating", service_id: res.body.id, unit: "m2", price: "35.1200" });
    expect((await ws.call("GET", `/api/services/${res.body.id}`)).body.active).toBe(true);
  });

  it("gives each basis its unit; active: true switches a service on without a price", async () => {
    const ws = await workspace();
    const made = [];
    for (const [code, basis] of [
      ["tko", "residents"],
      ["intercom", "apartment"],
      ["repair", "area"],
      ["drain", "water_sum"],
    ]) {
      made.push(await ws.create("/api/services", { code, name_ru: code, name_en: code, basis, active: true }));
    }
    expect(made.map((s) => [s.code, s.basis, s.unit, s.active])).toEqual([
      ["tko", "residents", "person", true],
      ["intercom", "apartment", "apartment", true],
      ["repair", "area", "m2", true],
      ["drain", "water_sum", "m3", true],
    ]);
  });

  it("refuses a meter basis for a code that is not a meter service, and a code the workspace has", async () => {
    const ws = await workspace();
    const before = await snapshot();

    const meter = await ws.call("POST", "/api/services", { code: "gas", name_ru: "Газ", name_en: "Gas", basis: "meter" });
    const taken = await ws.call("POST", "/api/services", { code: "cold_water", name_ru: "Вода", name_en: "Water", basis: "meter" });

    expect(meter.status).toBe(422);
    expect(meter.body).toEqual(apiError("validation_failed", { code: expect.stringContaining("cold_water, hot_water") }));
    expect(meter.body.error.field_reasons.code.reason).toBe("meter_service_code");
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual(apiError("conflict", { code: expect.any(String) }, { reason: "service_code_taken" }));
    expect(await snapshot()).toEqual(before);
  });
});

/** A workspace with one house of one apartment (50 m², a cold meter read in Feb and Mar 2024) and prices for March. */
async function billable() {
  const ws = await workspace();
  const house = await ws.create<{ id: number }>("/api/houses", { address: `ул. Сервисная, ${phones}` });
  const other = await ws.create<{ id: number }>("/api/houses", { address: `ул. Сервисная, ${phones}а` });
  for (const h of [house, other]) {
    const flat = await ws.create<{ id: number }>(`/api/houses/${h.id}/apartments`, { number: "1", area: "50.00", residents: 2 });
    const meter = await ws.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, {
      serial_number: `S-${h.id}`,
      service: "cold_water",
    });
    for (const [period, value] of [
      ["2024-02", "100"],
      ["2024-03", "110"],
    ]) {
      expect((await ws.call("PUT", `/api/meters/${meter.id}/readings/${period}`, { value })).status).toBe(201);
    }
  }
  for (const [service, price] of [
    ["cold_water", "40"],
    ["wastewater", "30"],
    ["maintenance", "20"],
  ]) {
    await ws.create("/api/tariffs", { service, price, valid_from: "2024-01" });
  }
  const bill = async (houseId: number) => {
    const run = await ws.call("POST", `/api/houses/${houseId}/billing-runs`, { period: "2024-03" });
    expect(run.status).toBe(202);
    await billInline(run.body.id);
    return (await ws.call("GET", `/api/billing-runs/${run.body.id}`)).body;
  };
  const lines = async (houseId: number) =>
    (await ws.call("GET", `/api/houses/${houseId}/invoices?period=2024-03`)).body.items[0].lines.map((l: any) => [l.service, l.amount]);
  const byCode = async (code: string) => (await ws.services()).find((s) => s.code === code);
  return { ...ws, house, other, bill, lines, byCode };
}

describe("PATCH /api/services/:id", () => {
  it("switched off for one house: that house's bill leaves it out, the other's keeps it", async () => {
    const ws = await billable();
    const wastewater = await ws.byCode("wastewater");

    const res = await ws.call("PATCH", `/api/services/${wastewater.id}`, { switched_off_houses: [ws.house.id] });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: "wastewater", active: true, switched_off_houses: [ws.house.id] });
    expect((await ws.bill(ws.house.id)).status).toBe("completed");
    expect((await ws.bill(ws.other.id)).status).toBe("completed");
    // 10 m³ × 40 = 400.00; 50 m² × 20 = 1000.00; wastewater 10 × 30 = 300.00 only in the other house
    expect(await ws.lines(ws.house.id)).toEqual([
      ["cold_water", "400.00"],
      ["maintenance", "1000.00"],
    ]);
    expect(await ws.lines(ws.other.id)).toEqual([
      ["cold_water", "400.00"],
      ["wastewater", "300.00"],
      ["maintenance", "1000.00"],
    ]);
    // and back on: an empty list
    const on = await ws.call("PATCH", `/api/services/${wastewater.id}`, { switched_off_houses: [] });
    expect(on.body.switched_off_houses).toEqual([]);
  });

  it("switched off for the workspace: no house is billed for it, and no price is needed", async () => {
    const ws = await billable();
    const maintenance = await ws.byCode("maintenance");
    const fee = await ws.create<{ id: number }>("/api/services", {
      code: "fee",
      name_ru: "Сбор",
      name_en: "Fee",
      basis: "apartment",
      active: true,
    });

    await ws.call("PATCH", `/api/services/${maintenance.id}`, { active: false });
    await ws.call("PATCH", `/api/services/${fee.id}`, { active: false });

    expect((await ws.bill(ws.house.id)).status).toBe("completed");
    expect(await ws.lines(ws.house.id)).toEqual([
      ["cold_water", "400.00"],
      ["wastewater", "300.00"],
    ]);
  });

  it("renames a billed service, and the invoices show the new name; refuses to re-base it (409); re-bases an unbilled one", async () => {
    const ws = await billable();
    expect(await ws.bill(ws.house.id)).toMatchObject({ status: "completed", error: null });
    const maintenance = await ws.byCode("maintenance");
    expect(maintenance.billed).toBe(true);

    const renamed = await ws.call("PATCH", `/api/services/${maintenance.id}`, { name_ru: "Содержание и ремонт", name_en: "Upkeep" });
    const before = await snapshot();
    const rebased = await ws.call("PATCH", `/api/services/${maintenance.id}`, { basis: "apartment" });

    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name_ru: "Содержание и ремонт", name_en: "Upkeep", basis: "area", billed: true });
    const invoice = (await ws.call("GET", `/api/houses/${ws.house.id}/invoices?period=2024-03`)).body.items[0];
    expect(invoice.lines.at(-1)).toMatchObject({ service: "maintenance", service_name: { ru: "Содержание и ремонт", en: "Upkeep" } });
    expect(rebased.status).toBe(409);
    expect(rebased.body).toEqual(apiError("conflict", { basis: expect.any(String) }, { reason: "service_billed" }));
    expect(await snapshot()).toEqual(before);

    const fee = await ws.create<{ id: number }>("/api/services", { code: "fee", name_ru: "Сбор", name_en: "Fee", basis: "apartment" });
    const perPerson = await ws.call("PATCH", `/api/services/${fee.id}`, { basis: "residents" });
    expect(perPerson.body).toMatchObject({ basis: "residents", unit: "person" });
  });

  it("refuses a house of another workspace in switched_off_houses with 422", async () => {
    const ws = await billable();
    const stranger = await workspace();
    const foreign = await stranger.create<{ id: number }>("/api/houses", { address: "ул. Чужая, 3" });
    const maintenance = await ws.byCode("maintenance");
    const before = await snapshot();

    const res = await ws.call("PATCH", `/api/services/${maintenance.id}`, { switched_off_houses: [ws.house.id, foreign.id] });

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { switched_off_houses: expect.stringContaining(String(foreign.id)) }));
    expect(await snapshot()).toEqual(before);
  });

  it("takes the tariffs page's edit of a billed service in one request: both names and the houses; an empty name changes nothing", async () => {
    const ws = await billable();
    expect(await ws.bill(ws.house.id)).toMatchObject({ status: "completed", error: null });
    const maintenance = await ws.byCode("maintenance");
    const before = await snapshot();

    const empty = await ws.call("PATCH", `/api/services/${maintenance.id}`, {
      name_ru: " ",
      name_en: "Upkeep",
      switched_off_houses: [ws.other.id],
    });
    expect(empty.status).toBe(422);
    expect(empty.body).toEqual(apiError("validation_failed", { name_ru: expect.any(String) }));
    expect(empty.body.error.field_reasons.name_ru.reason).toBe("empty");
    expect(await snapshot()).toEqual(before);

    const res = await ws.call("PATCH", `/api/services/${maintenance.id}`, {
      name_ru: "Содержание и ремонт",
      name_en: "Upkeep",
      switched_off_houses: [ws.other.id],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name_ru: "Содержание и ремонт", name_en: "Upkeep", switched_off_houses: [ws.other.id], billed: true });
  });
});

describe("DELETE /api/services/:id", () => {
  it("deletes an unbilled service with its prices", async () => {
    const ws = await workspace();
    const fee = await ws.create<{ id: number }>("/api/services", { code: "fee", name_ru: "Сбор", name_en: "Fee", basis: "apartment" });
    await ws.create("/api/tariffs", { service: "fee", price: "10", valid_from: "2024-01" });

    const res = await ws.call("DELETE", `/api/services/${fee.id}`);

    expect(res.status).toBe(204);
    expect((await ws.call("GET", `/api/services/${fee.id}`)).status).toBe(404);
    const {
      rows: [{ n }],
    } = await db().execute<{ n: number }>(sql`select count(*)::int as n from tariff where service_id = ${fee.id}`);
    expect(n).toBe(0);
  });

  it("refuses a billed service with 409 and deletes nothing", async () => {
    const ws = await billable();
    expect(await ws.bill(ws.house.id)).toMatchObject({ status: "completed", error: null });
    const cold = await ws.byCode("cold_water");
    const before = await snapshot();

    const res = await ws.call("DELETE", `/api/services/${cold.id}`);

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", undefined, { reason: "service_billed" }));
    expect(await snapshot()).toEqual(before);
  });
});

describe("a billed service without a price", () => {
  it("fails the run before any invoice, naming the service by its code", async () => {
    const ws = await billable();
    await ws.create("/api/services", { code: "lift", name_ru: "Лифт", name_en: "Lift", basis: "apartment", active: true });

    const run = await ws.bill(ws.house.id);

    expect(run).toMatchObject({
      status: "failed",
      error_reason: "missing_price",
      error_params: { month: "2024-03", service: "lift", house_id: ws.house.id, more: 0 },
    });
    expect(run.error).toMatch(/^no price in force in 2024-03: lift for house \d+/);
    expect((await ws.call("GET", `/api/houses/${ws.house.id}/invoices?period=2024-03`)).body.items).toEqual([]);
  });
});
