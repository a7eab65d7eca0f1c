import { describe, expect, it } from "vitest";
import { asNewPerson } from "./helpers/as-person";
import { billInline } from "./helpers/billing";
import { snapshot } from "./helpers/db";
import { apiError } from "./helpers/fixtures";

// Normatives (GET/POST /api/normatives): m³ per registered person per month for meters estimated
// by the normative, workspace-wide or per house, in force like prices.

let phones = 0;

async function workspace() {
  return asNewPerson(`+7999600${String(++phones).padStart(4, "0")}`);
}

describe("POST /api/normatives", () => {
  it("creates a workspace default and a house's own, values with 4 decimals", async () => {
    const ws = await workspace();
    const house = await ws.create<{ id: number }>("/api/houses", { address: "ул. Нормы, 1" });

    const workspaceWide = await ws.call("POST", "/api/normatives", { service: "cold_water", value: "4,85", valid_from: "2024-01" });
    const own = await ws.call("POST", "/api/normatives", {
      service: "hot_water",
      value: 3.1234,
      valid_from: "2024-03",
      house_id: house.id,
    });

    expect(workspaceWide.status).toBe(201);
    expect(workspaceWide.body).toEqual({
      id: expect.any(Number),
      workspace_id: ws.person.workspaceId,
      house_id: null,
      service: "cold_water",
      value: "4.8500",
      valid_from: "2024-01",
      created_at: expect.any(String),
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ house_id: house.id, service: "hot_water", value: "3.1234", valid_from: "2024-03" });
  });

  it("refuses a second normative for the same service, scope and month with 409", async () => {
    const ws = await workspace();
    await ws.create("/api/normatives", { service: "cold_water", value: "4.85", valid_from: "2024-01" });
    const before = await snapshot();

    const res = await ws.call("POST", "/api/normatives", { service: "cold_water", value: "5", valid_from: "2024-01" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { valid_from: expect.any(String) }, { reason: "normative_exists" }));
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/normatives", () => {
  it("lists the workspace's normatives, or a house's own with the defaults, newest first within a service", async () => {
    const ws = await workspace();
    const house = await ws.create<{ id: number }>("/api/houses", { address: "ул. Нормы, 2" });
    const other = await ws.create<{ id: number }>("/api/houses", { address: "ул. Нормы, 3" });
    const a = await ws.create("/api/normatives", { service: "cold_water", value: "4.85", valid_from: "2024-01" });
    const b = await ws.create("/api/normatives", { service: "cold_water", value: "5.10", valid_from: "2024-07" });
    const c = await ws.create("/api/normatives", { service: "cold_water", value: "6", valid_from: "2024-01", house_id: house.id });
    const d = await ws.create("/api/normatives", { service: "hot_water", value: "3.12", valid_from: "2024-01", house_id: other.id });

    const all = await ws.call("GET", "/api/normatives");
    const forHouse = await ws.call("GET", `/api/normatives?house_id=${house.id}`);

    expect(all.body.items.map((n: { id: number }) => n.id)).toEqual([b.id, a.id, c.id, d.id]);
    expect(forHouse.body.items.map((n: { id: number }) => n.id)).toEqual([b.id, a.id, c.id]);
  });
});

describe("the normative in force", () => {
  it("is the house's own, else the workspace's, with the latest valid_from not after the month", async () => {
    const ws = await workspace();
    const services = (await ws.call("GET", "/api/services")).body.items as { id: number; code: string }[];
    const wastewater = services.find((s) => s.code === "wastewater")!;
    await ws.call("PATCH", `/api/services/${wastewater.id}`, { active: false });
    await ws.create("/api/tariffs", { service: "cold_water", price: "40", valid_from: "2024-01" });
    await ws.create("/api/tariffs", { service: "maintenance", price: "10", valid_from: "2024-01" });
    const defaults = await ws.create("/api/normatives", { service: "cold_water", value: "4.0000", valid_from: "2024-01" });
    await ws.create("/api/normatives", { service: "cold_water", value: "9.0000", valid_from: "2024-06" }); // not yet in force in May
    const own = await ws.create<{ id: number }>("/api/houses", { address: "ул. Нормы, 4" });
    const plain = await ws.create<{ id: number }>("/api/houses", { address: "ул. Нормы, 5" });
    const ownNormative = await ws.create("/api/normatives", {
      service: "cold_water",
      value: "5.5000",
      valid_from: "2023-01",
      house_id: own.id,
    });
    const bills: Record<string, string> = {};
    for (const house of [own, plain]) {
      const flat = await ws.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "10.00", residents: 3 });
      await ws.create(`/api/apartments/${flat.id}/meters`, { serial_number: `N-${house.id}`, service: "cold_water" });
      const run = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-05" });
      await billInline(run.body.id);
      const invoice = (await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-05`)).body.items[0];
      const meter = invoice.lines[0].details.meters[0];
      bills[house.id === own.id ? "own" : "plain"] = `${invoice.lines[0].quantity} ${meter.normative.normative.id}`;
    }

    // a meter never read: the normative; own house 3 × 5.5 = 16.500, the other the default 3 × 4 = 12.000
    expect(bills).toEqual({ own: `16.500 ${ownNormative.id}`, plain: `12.000 ${defaults.id}` });
  });
});

// A draft takes a new normative and goes out of date; a posted month keeps the normative its
// estimates were made with (409 month_closed, drizzle/0014_month-guards.sql).
describe("a normative that would reach a billed month", () => {
  it("marks the drafts it estimated out of date; once the month is posted, is refused with 409 month_closed and not written", async () => {
    const ws = await workspace();
    const [before, billed, now] = ["2024-04", "2024-05", "2024-06"];
    for (const service of ["cold_water", "wastewater", "maintenance"])
      await ws.create("/api/tariffs", { service, price: "10", valid_from: before });
    const used = await ws.create<{ id: number }>("/api/normatives", { service: "cold_water", value: "4.0000", valid_from: before });
    const house = await ws.create<{ id: number }>("/api/houses", { address: "ул. Нормы, 7" });
    const flat = await ws.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "10.00", residents: 2 });
    await ws.create(`/api/apartments/${flat.id}/meters`, { serial_number: `NB-${house.id}`, service: "cold_water" });
    const bill = async () => {
      const run = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: billed });
      await billInline(run.body.id);
      return (await ws.call("GET", `/api/houses/${house.id}/invoices?period=${billed}`)).body.items[0];
    };
    const invoice = await bill();
    expect(invoice.lines[0].details.meters[0].normative.normative.id).toBe(used.id);
    expect(invoice.lines[0].quantity).toBe("8.000");

    // a hot water normative does not touch a draft that estimated cold water only; a cold water one does
    await ws.create("/api/normatives", { service: "hot_water", value: "3.0000", valid_from: before });
    expect((await ws.call("GET", `/api/houses/${house.id}/invoices?period=${billed}`)).body.items[0].out_of_date).toEqual([]);
    const newer = await ws.create<{ id: number }>("/api/normatives", { service: "cold_water", value: "5.0000", valid_from: billed });
    expect((await ws.call("GET", `/api/houses/${house.id}/invoices?period=${billed}`)).body.items[0].out_of_date).toEqual(["normative"]);
    // billed again: 2 people × 5 m³
    const again = await bill();
    expect(again).toMatchObject({ out_of_date: [] });
    expect(again.lines[0].quantity).toBe("10.000");
    expect(again.lines[0].details.meters[0].normative.normative.id).toBe(newer.id);

    expect((await ws.call("POST", `/api/houses/${house.id}/months/${billed}/post`)).status).toBe(200);
    const listed = (await ws.call("GET", "/api/normatives")).body.items;
    for (const body of [
      { service: "cold_water", value: "6.0000", valid_from: "2024-03" },
      { service: "cold_water", value: "6.0000", valid_from: billed, house_id: house.id },
    ]) {
      const res = await ws.call("POST", "/api/normatives", body);
      expect(res.status).toBe(409);
      expect(res.body).toEqual(apiError("conflict", undefined, { reason: "month_closed" }));
      expect(res.body.error.params).toEqual({
        month: body.valid_from,
        closed_through: billed,
        house_id: house.id,
        address: "ул. Нормы, 7",
      });
    }
    expect((await ws.call("GET", "/api/normatives")).body.items).toEqual(listed);
    await ws.create("/api/normatives", { service: "cold_water", value: "6.0000", valid_from: now });
  });
});
