import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { lockHouseMeterSet, METER_SET_KEY } from "../db/queries/billing";
import { billNextChunk } from "../lib/billing/bill-chunk";
import { planBillingRun } from "../lib/billing/plan-billing-run";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { asNewPerson } from "./helpers/as-person";
import { testPerson } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { blocksAnother, db } from "./helpers/db";
import { apiError, createApartment, createHouse } from "./helpers/fixtures";
import { until } from "./helpers/wait";

// Runs of more than 2 apartments are split into several parts (one worker job each) in this
// file, so that every scenario here also crosses part boundaries. Set before the engine loads.
vi.hoisted(() => {
  process.env.BILLING_PART_SIZE = "2";
});

// The billing API: starting runs (house and portfolio), reading their progress and results,
// refusals, and what a run may and may not touch. Workspace prices apply to every house of a
// workspace, so each scenario that depends on prices sets itself up in a workspace of its own.

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

type Service = "cold_water" | "hot_water" | "maintenance";

let phones = 0;

interface Workspace {
  workspaceId: number;
  call: <T = any>(method: string, url: string, body?: unknown) => ReturnType<typeof api<T>>;
  create: <T = any>(url: string, body: unknown) => Promise<T>;
}

/**
 * A new person with a workspace of their own. A new workspace bills wastewater wherever there
 * are water meters; these scenarios are about the API, so it is switched off unless asked for
 * (tests/billing-cases.test.ts bills it).
 */
async function workspace(options: { wastewater?: boolean } = {}): Promise<Workspace> {
  const { person, call } = await asNewPerson(`+7999300${String(++phones).padStart(4, "0")}`);
  if (!options.wastewater) {
    const services = (await call<{ items: { id: number; code: string }[] }>("GET", "/api/services")).body.items;
    const wastewater = services.find((s) => s.code === "wastewater")!;
    expect((await call("PATCH", `/api/services/${wastewater.id}`, { active: false })).status).toBe(200);
  }
  return {
    workspaceId: person.workspaceId,
    call,
    create: async <T = any>(url: string, body: unknown) => {
      const res = await call<T>("POST", url, body);
      expect(res.status, `POST ${url} ${JSON.stringify(res.body)}`).toBe(201);
      return res.body;
    },
  };
}

async function addTariffs(ws: Workspace, tariffs: { service: Service; price: string; valid_from: string; house_id?: number }[]) {
  for (const t of tariffs) await ws.create("/api/tariffs", t);
}

interface ApartmentSpec {
  number: string;
  area: string;
  meters?: { service: "cold_water" | "hot_water"; readings: Record<string, string> }[];
}

async function addHouse(ws: Workspace, address: string, apartments: ApartmentSpec[]) {
  const house = await ws.create<{ id: number }>("/api/houses", { address });
  const made: { id: number; meterIds: number[] }[] = [];
  for (const a of apartments) {
    const apartment = await ws.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: a.number, area: a.area });
    const meterIds: number[] = [];
    for (const m of a.meters ?? []) {
      const meter = await ws.create<{ id: number }>(`/api/apartments/${apartment.id}/meters`, {
        serial_number: `${address}/${a.number}/${meterIds.length}`,
        service: m.service,
      });
      for (const period of Object.keys(m.readings).sort()) {
        const res = await ws.call("PUT", `/api/meters/${meter.id}/readings/${period}`, { value: m.readings[period] });
        expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
      }
      meterIds.push(meter.id);
    }
    made.push({ id: apartment.id, meterIds });
  }
  return { id: house.id, apartments: made };
}

/** Starts a house run (202) and bills it in-process; returns the run's id. */
async function bill(ws: Workspace, houseId: number, period: string): Promise<number> {
  const res = await ws.call("POST", `/api/houses/${houseId}/billing-runs`, { period });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await billInline(res.body.id);
  return res.body.id;
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const {
    rows: [row],
  } = await db().execute<{ n: number }>(query);
  return row.n;
}
const runRows = () => count(sql`select count(*)::int as n from billing_run`);
const jobRows = () => count(sql`select count(*)::int as n from pgboss.job`);
/** pg-boss jobs that plan the run */
const planJobs = (runId: number) =>
  count(sql`select count(*)::int as n from pgboss.job where name = 'billing-plan' and (data->>'runId')::int = ${runId}`);
const invoiceRows = (houseId: number, period?: string) =>
  count(
    period
      ? sql`select count(*)::int as n from invoice where house_id = ${houseId} and period = ${`${period}-01`}::date`
      : sql`select count(*)::int as n from invoice where house_id = ${houseId}`,
  );

/** The stored invoices and lines of a house and month, as rows (to prove they did not change). */
async function storedInvoices(houseId: number, period: string) {
  const { rows } = await db().execute(sql`
    select i.*, (select jsonb_agg(to_jsonb(l) order by l.id) from invoice_line l where l.invoice_id = i.id) as lines
    from invoice i where i.house_id = ${houseId} and i.period = ${`${period}-01`}::date
    order by i.id`);
  return rows;
}

/** Invoices as [apartment, water, maintenance, total, lines as [service, quantity, amount, flags]]. */
const outline = (items: any[]) =>
  items.map((i) => [
    i.apartment_number,
    i.water,
    i.maintenance,
    i.total,
    i.lines.map((l: any) => [l.service, l.quantity, l.amount, l.flags]),
  ]);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("POST /api/houses/:id/billing-runs", () => {
  it("answers 202 with the queued run, records it and enqueues its job; a second POST while queued answers 200 with the same run", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const house = await addHouse(ws, "ул. Очередь, 1", [
      { number: "1", area: "10.00" },
      { number: "2", area: "20.00" },
      { number: "3", area: "30.00" },
    ]);

    const res = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });

    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(Number),
      workspace_id: ws.workspaceId,
      house_id: house.id,
      period: "2024-03",
      status: "queued",
      processed: 0,
      total: 3,
      percent: 0,
      created_at: expect.stringMatching(ISO),
      started_at: null,
      finished_at: null,
      error: null,
      error_reason: null,
      error_params: null,
      summary: { invoices: 0, water: "0.00", maintenance: "0.00", total: "0.00", flags: {} },
    });
    const runId = res.body.id;
    expect(await count(sql`select count(*)::int as n from billing_run where id = ${runId} and status = 'queued'`)).toBe(1);
    expect(await planJobs(runId)).toBe(1);
    // Nothing is calculated in the web process.
    expect(await invoiceRows(house.id)).toBe(0);

    const again = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });

    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(await count(sql`select count(*)::int as n from billing_run where house_id = ${house.id}`)).toBe(1);
    expect(await planJobs(runId)).toBe(1);
  });

  it("starts exactly one run under 50 concurrent identical requests", async () => {
    const ws = await workspace();
    const house = await addHouse(ws, "ул. Гонка, 1", [{ number: "1", area: "10.00" }]);

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" })),
    );

    expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(49);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await count(sql`select count(*)::int as n from billing_run where house_id = ${house.id}`)).toBe(1);
    expect(await planJobs(responses[0].body.id)).toBe(1);
  });

  it("starts a new run (202) for a month whose earlier run has finished", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const house = await addHouse(ws, "ул. Повтор, 1", [{ number: "1", area: "10.00" }]);
    const first = await bill(ws, house.id, "2024-03");

    const res = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", processed: 0, total: 1 });
    expect(res.body.id).not.toBe(first);
  });
});

describe("GET /api/billing-runs/:id", () => {
  it("shows a completed run: status, progress at 100%, times, no error and the summary", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    const house = await addHouse(ws, "ул. Итоговая, 1", [
      { number: "1", area: "50.00", meters: [{ service: "cold_water", readings: { "2024-02": "100", "2024-03": "112" } }] },
      { number: "2", area: "30.00", meters: [{ service: "cold_water", readings: { "2024-03": "5" } }] },
      { number: "3", area: "12.50" },
    ]);
    const runId = await bill(ws, house.id, "2024-03");

    const res = await ws.call("GET", `/api/billing-runs/${runId}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: runId,
      workspace_id: ws.workspaceId,
      house_id: house.id,
      period: "2024-03",
      status: "completed",
      processed: 3,
      total: 3,
      percent: 100,
      created_at: expect.stringMatching(ISO),
      started_at: expect.stringMatching(ISO),
      finished_at: expect.stringMatching(ISO),
      error: null,
      error_reason: null,
      error_params: null,
      // 12 m³ × 40 = 480.00; (50 + 30 + 12.5) m² × 20 = 1850.00
      summary: { invoices: 3, water: "480.00", maintenance: "1850.00", total: "2330.00", flags: { no_previous_reading: 1 } },
    });
    expect(res.body.started_at <= res.body.finished_at).toBe(true);
    expect(res.body.created_at <= res.body.started_at).toBe(true);
  });

  it("shows progress chunk by chunk while the run is running: never down, never over the total, 100% at the end", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "10.0000", valid_from: "2023-01" }]);
    const house = await addHouse(
      ws,
      "ул. Прогресс, 1",
      ["1", "2", "3", "4", "5"].map((number) => ({ number, area: "10.00" })),
    );
    const started = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });
    const runId = started.body.id;
    const seen: {
      status: string;
      processed: number;
      total: number;
      percent: number;
      invoices: number;
      maintenance: string;
      finished: boolean;
    }[] = [];
    const look = async () => {
      const r = (await ws.call("GET", `/api/billing-runs/${runId}`)).body;
      seen.push({
        status: r.status,
        processed: r.processed,
        total: r.total,
        percent: r.percent,
        invoices: r.summary.invoices,
        maintenance: r.summary.maintenance,
        finished: r.finished_at !== null,
      });
    };

    await look();
    const plan = await planBillingRun(db(), runId, { enqueue: false });
    expect(plan.kind).toBe("planned");
    await look();
    // still one run while it is running
    const again = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: runId, status: "running" });
    const parts = plan.kind === "planned" ? plan.partIds : [];
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      for (;;) {
        const chunk = await billNextChunk(db(), part, 2);
        await look();
        if (chunk.done) break;
      }
    }

    expect(seen).toEqual([
      { status: "queued", processed: 0, total: 5, percent: 0, invoices: 0, maintenance: "0.00", finished: false },
      { status: "running", processed: 0, total: 5, percent: 0, invoices: 0, maintenance: "0.00", finished: false },
      { status: "running", processed: 2, total: 5, percent: 40, invoices: 2, maintenance: "200.00", finished: false },
      { status: "running", processed: 4, total: 5, percent: 80, invoices: 4, maintenance: "400.00", finished: false },
      { status: "completed", processed: 5, total: 5, percent: 100, invoices: 5, maintenance: "500.00", finished: true },
    ]);
  });
});

describe("GET /api/houses/:id/billing-runs", () => {
  it("lists the house's runs, newest first, and no other house's", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const house = await addHouse(ws, "ул. Журнал, 1", [{ number: "1", area: "10.00" }]);
    const other = await addHouse(ws, "ул. Журнал, 2", [{ number: "1", area: "10.00" }]);
    const january = await bill(ws, house.id, "2024-01");
    const otherRun = await bill(ws, other.id, "2024-02");
    const february = await bill(ws, house.id, "2024-02");
    const march = (await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" })).body.id;

    const res = await ws.call("GET", `/api/houses/${house.id}/billing-runs`);

    expect(res.status).toBe(200);
    expect(res.body.items.map((r: any) => [r.id, r.period, r.status])).toEqual([
      [march, "2024-03", "queued"],
      [february, "2024-02", "completed"],
      [january, "2024-01", "completed"],
    ]);
    expect(res.body.items.map((r: any) => r.id)).not.toContain(otherRun);
    expect(res.body.items[1]).toMatchObject({
      house_id: house.id,
      processed: 1,
      total: 1,
      percent: 100,
      summary: { invoices: 1, total: "200.00" },
    });
  });
});

describe("GET /api/houses/:id/invoices", () => {
  it("answers an empty list with zero totals for a month not billed", async () => {
    const ws = await workspace();
    const house = await addHouse(ws, "ул. Пустая, 1", [{ number: "1", area: "10.00" }]);

    const res = await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-03`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], totals: { water: "0.00", maintenance: "0.00", total: "0.00" } });
  });
});

describe("GET /api/houses/:id/invoices/summary", () => {
  it("answers the same invoices and totals as the full list, each with its lines' flags instead of its lines", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "hot_water", price: "200.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    const house = await addHouse(ws, "ул. Сводная, 1", [
      { number: "1", area: "50.00", meters: [{ service: "cold_water", readings: { "2024-02": "100", "2024-03": "112" } }] },
      // no previous reading on either meter: both lines flagged, the flag given once
      {
        number: "2",
        area: "30.00",
        meters: [
          { service: "cold_water", readings: { "2024-03": "5" } },
          { service: "hot_water", readings: { "2024-03": "3" } },
        ],
      },
      { number: "3", area: "12.50" },
    ]);
    await bill(ws, house.id, "2024-03");

    const full = await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-03`);
    const res = await ws.call("GET", `/api/houses/${house.id}/invoices/summary?period=2024-03`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...full.body,
      items: full.body.items.map(({ lines, ...invoice }: any) => ({
        ...invoice,
        flags: [...new Set(lines.flatMap((l: any) => l.flags))],
      })),
    });
    expect(res.body.items.map((i: any) => [i.apartment_number, i.flags])).toEqual([
      ["1", []],
      ["2", ["no_previous_reading"]],
      ["3", []],
    ]);
  });

  it("answers an empty list for a month not billed, 404 for another workspace's house and 422 for a bad month", async () => {
    const ws = await workspace();
    const other = await workspace();
    const house = await addHouse(ws, "ул. Сводная, 2", [{ number: "1", area: "10.00" }]);

    const empty = await ws.call("GET", `/api/houses/${house.id}/invoices/summary?period=2024-03`);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      house_id: house.id,
      period: "2024-03",
      items: [],
      totals: { water: "0.00", maintenance: "0.00", total: "0.00" },
    });
    expect((await other.call("GET", `/api/houses/${house.id}/invoices/summary?period=2024-03`)).status).toBe(404);
    expect((await ws.call("GET", `/api/houses/${house.id}/invoices/summary?period=2024-13`)).status).toBe(422);
  });
});

describe("GET /api/apartments/:id/invoices", () => {
  it("lists that apartment's invoices, newest month first, whatever order they were billed in", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    const house = await addHouse(ws, "ул. История, 1", [
      {
        number: "1",
        area: "10.00",
        meters: [{ service: "cold_water", readings: { "2023-12": "1", "2024-01": "2", "2024-02": "4", "2024-03": "7" } }],
      },
      { number: "2", area: "20.00" },
    ]);
    const [apartment, neighbour] = house.apartments;
    await bill(ws, house.id, "2024-02");
    await bill(ws, house.id, "2024-01");
    await bill(ws, house.id, "2024-03");

    const res = await ws.call("GET", `/api/apartments/${apartment.id}/invoices`);

    expect(res.status).toBe(200);
    expect(res.body.apartment_id).toBe(apartment.id);
    // water: 1, 2 and 3 m³ × 40; maintenance 10 m² × 20 = 200.00 each month
    expect(res.body.items.map((i: any) => [i.period, i.apartment_id, i.water, i.maintenance, i.total])).toEqual([
      ["2024-03", apartment.id, "120.00", "200.00", "320.00"],
      ["2024-02", apartment.id, "80.00", "200.00", "280.00"],
      ["2024-01", apartment.id, "40.00", "200.00", "240.00"],
    ]);
    expect(res.body.items[0]).toMatchObject({
      apartment_number: "1",
      lines: [
        { service: "cold_water", quantity: "3.000", unit: "m3", price: "40.0000", amount: "120.00", flags: [] },
        { service: "maintenance", quantity: "10.00", unit: "m2", price: "20.0000", amount: "200.00", flags: [] },
      ],
    });
    const other = await ws.call("GET", `/api/apartments/${neighbour.id}/invoices`);
    expect(other.body.items.map((i: any) => [i.period, i.total])).toEqual([
      ["2024-03", "400.00"],
      ["2024-02", "400.00"],
      ["2024-01", "400.00"],
    ]);
  });
});

describe("a missing price", () => {
  const cases: {
    name: string;
    tariffs: { service: Service; price: string; valid_from: string }[];
    meters: ("cold_water" | "hot_water")[];
    missing: Service | "wastewater";
    wastewater?: boolean;
  }[] = [
    {
      name: "cold water: a cold-water meter and no cold-water price",
      tariffs: [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }],
      meters: ["cold_water"],
      missing: "cold_water",
    },
    {
      name: "hot water: a hot-water meter and no hot-water price",
      tariffs: [
        { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
        { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      ],
      meters: ["cold_water", "hot_water"],
      missing: "hot_water",
    },
    {
      name: "wastewater: billed by a new workspace wherever there are water meters",
      tariffs: [
        { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
        { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      ],
      meters: ["cold_water"],
      missing: "wastewater",
      wastewater: true,
    },
    {
      name: "maintenance: always needed",
      tariffs: [{ service: "cold_water", price: "40.0000", valid_from: "2023-01" }],
      meters: ["cold_water"],
      missing: "maintenance",
    },
    {
      name: "a price that comes into force only after the month",
      tariffs: [
        { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
        { service: "cold_water", price: "40.0000", valid_from: "2024-04" },
      ],
      meters: ["cold_water"],
      missing: "cold_water",
    },
  ];

  it.each(cases)("fails the run before any invoice is written: $name", async (c) => {
    const ws = await workspace({ wastewater: c.wastewater });
    await addTariffs(ws, c.tariffs);
    const house = await addHouse(ws, "ул. Бесценная, 1", [
      { number: "1", area: "10.00" },
      { number: "2", area: "20.00", meters: c.meters.map((service) => ({ service, readings: { "2024-02": "1", "2024-03": "2" } })) },
      { number: "3", area: "30.00" },
    ]);
    const started = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });
    expect(started.status).toBe(202);

    await billInline(started.body.id, 1);

    const run = await ws.call("GET", `/api/billing-runs/${started.body.id}`);
    expect(run.body).toMatchObject({
      status: "failed",
      processed: 0,
      finished_at: expect.stringMatching(ISO),
      error: expect.stringContaining(c.missing),
      summary: { invoices: 0, water: "0.00", maintenance: "0.00", total: "0.00" },
    });
    expect(run.body.error).toContain("2024-03");
    for (const priced of c.tariffs.filter((t) => t.valid_from <= "2024-03").map((t) => t.service)) {
      expect(run.body.error).not.toContain(priced);
    }
    expect(await invoiceRows(house.id)).toBe(0);
    expect(await count(sql`select count(*)::int as n from billing_run_part where run_id = ${started.body.id}`)).toBe(0);
    const invoices = await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-03`);
    expect(invoices.body.items).toEqual([]);
  });

  it("no longer blocks the month once the price is added: a new run starts and completes", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const house = await addHouse(ws, "ул. Бесценная, 2", [
      { number: "1", area: "10.00", meters: [{ service: "cold_water", readings: { "2024-02": "1", "2024-03": "3" } }] },
    ]);
    const failed = await bill(ws, house.id, "2024-03");
    expect((await ws.call("GET", `/api/billing-runs/${failed}`)).body.status).toBe("failed");

    await addTariffs(ws, [{ service: "cold_water", price: "40.0000", valid_from: "2024-01" }]);
    const runId = await bill(ws, house.id, "2024-03");

    const run = await ws.call("GET", `/api/billing-runs/${runId}`);
    expect(run.body).toMatchObject({
      status: "completed",
      error: null,
      error_reason: null,
      error_params: null,
      summary: { invoices: 1, water: "80.00", maintenance: "200.00", total: "280.00" },
    });
  });

  it("a house without hot-water meters needs no hot-water price", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
    ]);
    const house = await addHouse(ws, "ул. Холодная, 1", [
      { number: "1", area: "10.00", meters: [{ service: "cold_water", readings: { "2024-02": "1", "2024-03": "2.5" } }] },
      { number: "2", area: "15.00" },
    ]);

    const runId = await bill(ws, house.id, "2024-03");

    const run = await ws.call("GET", `/api/billing-runs/${runId}`);
    expect(run.body).toMatchObject({ status: "completed", error: null, processed: 2, total: 2, percent: 100 });
    // 1.5 m³ × 40 = 60.00; (10 + 15) m² × 20 = 500.00
    expect(run.body.summary).toEqual({ invoices: 2, water: "60.00", maintenance: "500.00", total: "560.00", flags: {} });
    const invoices = await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-03`);
    expect(invoices.body.items.map((i: any) => i.lines.map((l: any) => l.service))).toEqual([
      ["cold_water", "maintenance"],
      ["maintenance"],
    ]);
  });
});

describe("an empty house", () => {
  it("completes at 100% with 0 invoices", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const house = await addHouse(ws, "ул. Безлюдная, 1", []);

    const started = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: "queued", processed: 0, total: 0, percent: 0 });
    await billInline(started.body.id);

    const run = await ws.call("GET", `/api/billing-runs/${started.body.id}`);
    expect(run.body).toMatchObject({
      status: "completed",
      processed: 0,
      total: 0,
      percent: 100,
      error: null,
      error_reason: null,
      error_params: null,
      started_at: expect.stringMatching(ISO),
      finished_at: expect.stringMatching(ISO),
      summary: { invoices: 0, water: "0.00", maintenance: "0.00", total: "0.00", flags: {} },
    });
    const invoices = await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-03`);
    expect(invoices.body).toMatchObject({ items: [], totals: { water: "0.00", maintenance: "0.00", total: "0.00" } });
  });
});

describe("re-running a month", () => {
  it("after a reading changed and a meter was removed: replaces that month's invoices of the house, leaves other months and houses alone", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "hot_water", price: "200.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    const a = await addHouse(ws, "ул. Пересчёт, 1", [
      { number: "1", area: "50.00", meters: [{ service: "cold_water", readings: { "2024-02": "100", "2024-03": "110" } }] },
      {
        number: "2",
        area: "40.00",
        meters: [
          { service: "cold_water", readings: { "2024-02": "10", "2024-03": "12" } },
          { service: "hot_water", readings: {} },
        ],
      },
    ]);
    const b = await addHouse(ws, "ул. Пересчёт, 2", [
      { number: "1", area: "10.00", meters: [{ service: "cold_water", readings: { "2024-02": "1", "2024-03": "2" } }] },
    ]);
    await bill(ws, a.id, "2024-02");
    await bill(ws, a.id, "2024-03");
    await bill(ws, b.id, "2024-03");

    const before = await ws.call("GET", `/api/houses/${a.id}/invoices?period=2024-03`);
    expect(outline(before.body.items)).toEqual([
      [
        "1",
        "400.00",
        "1000.00",
        "1400.00",
        [
          ["cold_water", "10.000", "400.00", []],
          ["maintenance", "50.00", "1000.00", []],
        ],
      ],
      [
        "2",
        "80.00",
        "800.00",
        "880.00",
        [
          ["cold_water", "2.000", "80.00", []],
          ["hot_water", "0.000", "0.00", ["estimated_normative"]],
          ["maintenance", "40.00", "800.00", []],
        ],
      ],
    ]);
    const februaryA = await storedInvoices(a.id, "2024-02");
    const marchB = await storedInvoices(b.id, "2024-03");
    expect(februaryA).toHaveLength(2);
    expect(marchB).toHaveLength(1);

    const changed = await ws.call("PUT", `/api/meters/${a.apartments[0].meterIds[0]}/readings/2024-03`, { value: "115" });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const removed = await ws.call("DELETE", `/api/meters/${a.apartments[1].meterIds[1]}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);

    const rerun = await bill(ws, a.id, "2024-03");

    const after = await ws.call("GET", `/api/houses/${a.id}/invoices?period=2024-03`);
    expect(outline(after.body.items)).toEqual([
      // 15 m³ × 40 = 600.00; 50 m² × 20 = 1000.00
      [
        "1",
        "600.00",
        "1000.00",
        "1600.00",
        [
          ["cold_water", "15.000", "600.00", []],
          ["maintenance", "50.00", "1000.00", []],
        ],
      ],
      // the removed hot-water meter's line is gone
      [
        "2",
        "80.00",
        "800.00",
        "880.00",
        [
          ["cold_water", "2.000", "80.00", []],
          ["maintenance", "40.00", "800.00", []],
        ],
      ],
    ]);
    expect(after.body.items.map((i: any) => i.run_id)).toEqual([rerun, rerun]);
    expect(after.body.totals).toEqual({ water: "680.00", maintenance: "1800.00", total: "2480.00" });
    const run = await ws.call("GET", `/api/billing-runs/${rerun}`);
    expect(run.body).toMatchObject({
      status: "completed",
      summary: { invoices: 2, water: "680.00", maintenance: "1800.00", total: "2480.00", flags: {} },
    });

    expect(await invoiceRows(a.id, "2024-03")).toBe(2);
    const lines = sql`select count(*)::int as n from invoice_line l join invoice i on i.id = l.invoice_id
                      where i.house_id = ${a.id} and i.period = '2024-03-01'`;
    expect(await count(lines)).toBe(4);
    expect(
      await count(sql`select count(*)::int as n from (select apartment_id, period from invoice group by 1, 2 having count(*) > 1) d`),
    ).toBe(0);
    // February's figures are untouched; its draft of apartment 2, whose meter was removed, is out of date
    expect(await storedInvoices(a.id, "2024-02")).toEqual(
      februaryA.map((row) => (row.apartment_id === a.apartments[1].id ? { ...row, out_of_date: ["meter"] } : row)),
    );
    expect(await storedInvoices(b.id, "2024-03")).toEqual(marchB);
  });
});

describe("POST /api/billing-runs (portfolio)", () => {
  it("bills every house of the workspace with one combined progress and total, and nothing of other workspaces", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    const p1 = await addHouse(ws, "ул. Портфель, 1", [
      { number: "1", area: "50.00", meters: [{ service: "cold_water", readings: { "2024-02": "100", "2024-03": "112" } }] },
      { number: "2", area: "30.00" },
    ]);
    const p2 = await addHouse(ws, "ул. Портфель, 2", [
      { number: "1", area: "25.50", meters: [{ service: "cold_water", readings: { "2024-02": "5", "2024-03": "7.5" } }] },
    ]);
    const p3 = await addHouse(ws, "ул. Портфель, 3", []);
    // another workspace with a billable house: a portfolio run must not reach it
    const stranger = await workspace();
    await addTariffs(stranger, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const foreign = await addHouse(stranger, "ул. Чужая, 1", [{ number: "1", area: "10.00" }]);

    const res = await ws.call("POST", "/api/billing-runs", { period: "2024-03", workspace_id: ws.workspaceId });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      workspace_id: ws.workspaceId,
      house_id: null,
      period: "2024-03",
      status: "queued",
      processed: 0,
      total: 3,
      percent: 0,
    });
    const again = await ws.call("POST", "/api/billing-runs", { period: "2024-03" });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);

    await billInline(res.body.id, 1);

    const run = await ws.call("GET", `/api/billing-runs/${res.body.id}`);
    expect(run.body).toMatchObject({
      house_id: null,
      status: "completed",
      processed: 3,
      total: 3,
      percent: 100,
      error: null,
      error_reason: null,
      error_params: null,
      // P1: 12 m³ × 40 = 480.00, (50 + 30) m² × 20 = 1600.00; P2: 2.5 m³ × 40 = 100.00, 25.5 m² × 20 = 510.00
      summary: { invoices: 3, water: "580.00", maintenance: "2110.00", total: "2690.00", flags: {} },
    });
    const one = await ws.call("GET", `/api/houses/${p1.id}/invoices?period=2024-03`);
    expect(one.body.items.map((i: any) => [i.apartment_number, i.run_id, i.total])).toEqual([
      ["1", res.body.id, "1480.00"],
      ["2", res.body.id, "600.00"],
    ]);
    const two = await ws.call("GET", `/api/houses/${p2.id}/invoices?period=2024-03`);
    expect(two.body.items.map((i: any) => [i.apartment_number, i.run_id, i.total])).toEqual([["1", res.body.id, "610.00"]]);
    expect(await invoiceRows(p3.id)).toBe(0);
    expect(await invoiceRows(foreign.id)).toBe(0);
    expect(await count(sql`select count(*)::int as n from invoice where run_id = ${res.body.id}`)).toBe(3);
  });

  it("split into parts that several workers bill at once: every apartment billed exactly once, one combined summary", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    const flat = (number: string): ApartmentSpec => ({
      number,
      area: "10.00",
      meters: [{ service: "cold_water", readings: { "2024-02": "1", "2024-03": "2" } }],
    });
    const houses = [
      await addHouse(ws, "ул. Параллельная, 1", [flat("1"), flat("2"), flat("3")]),
      await addHouse(ws, "ул. Параллельная, 2", [flat("1"), flat("2"), flat("3")]),
      await addHouse(ws, "ул. Параллельная, 3", [flat("1"), flat("2"), flat("3")]),
    ];
    const started = await ws.call("POST", "/api/billing-runs", { period: "2024-03" });
    expect(started.status).toBe(202);
    const runId = started.body.id;
    const plan = await planBillingRun(db(), runId, { enqueue: false });
    const parts = plan.kind === "planned" ? plan.partIds : [];
    expect(parts).toHaveLength(5);

    // one "worker" per part, all at once, a chunk of one apartment per transaction
    await Promise.all(
      parts.map(async (part) => {
        while (!(await billNextChunk(db(), part, 1)).done) {
          // next chunk
        }
      }),
    );

    const run = await ws.call("GET", `/api/billing-runs/${runId}`);
    expect(run.body).toMatchObject({
      status: "completed",
      processed: 9,
      total: 9,
      percent: 100,
      // 9 × (1 m³ × 40 = 40.00; 10 m² × 20 = 200.00)
      summary: { invoices: 9, water: "360.00", maintenance: "1800.00", total: "2160.00", flags: {} },
    });
    expect(await count(sql`select count(*)::int as n from invoice where run_id = ${runId}`)).toBe(9);
    expect(await count(sql`select count(distinct apartment_id)::int as n from invoice where run_id = ${runId}`)).toBe(9);
    expect(
      await count(sql`select count(*)::int as n from invoice_line l join invoice i on i.id = l.invoice_id where i.run_id = ${runId}`),
    ).toBe(18);
    for (const house of houses) {
      const res = await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-03`);
      expect(res.body.items.map((i: any) => [i.apartment_id, i.total])).toEqual(house.apartments.map((a) => [a.id, "240.00"]));
    }
  });

  it("defaults to the caller's own workspace", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    await addHouse(ws, "ул. Своя, 1", [{ number: "1", area: "10.00" }]);

    const res = await ws.call("POST", "/api/billing-runs", { period: "2024-03" });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ workspace_id: ws.workspaceId, house_id: null, total: 1 });
  });

  it("of a workspace without houses completes at 100% with 0 invoices", async () => {
    const ws = await workspace();

    const res = await ws.call("POST", "/api/billing-runs", { period: "2024-03" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ house_id: null, status: "queued", processed: 0, total: 0, percent: 0 });
    await billInline(res.body.id);

    const run = await ws.call("GET", `/api/billing-runs/${res.body.id}`);
    expect(run.body).toMatchObject({ status: "completed", processed: 0, total: 0, percent: 100, summary: { invoices: 0, total: "0.00" } });
  });
});

describe("refused requests create no run", () => {
  type Context = { houseId: number; otherHouseId: number; otherWorkspaceId: number };
  const house = (c: Context) => `/api/houses/${c.houseId}/billing-runs`;
  const portfolio = () => "/api/billing-runs";
  const refusals: {
    name: string;
    url: (c: Context) => string;
    body?: (c: Context) => unknown;
    rawBody?: string;
    status: number;
    code: string;
  }[] = [
    { name: "a month like 2024-13", url: house, body: () => ({ period: "2024-13" }), status: 422, code: "validation_failed" },
    { name: "a month without its leading zero", url: house, body: () => ({ period: "2024-3" }), status: 422, code: "validation_failed" },
    { name: "a month as a number", url: house, body: () => ({ period: 202403 }), status: 422, code: "validation_failed" },
    { name: "no month", url: house, body: () => ({}), status: 422, code: "validation_failed" },
    { name: "a future month", url: house, body: () => ({ period: addMonths(thisMonth(), 1) }), status: 422, code: "validation_failed" },
    { name: "an unknown field", url: house, body: () => ({ period: "2024-03", force: true }), status: 422, code: "validation_failed" },
    { name: "malformed JSON", url: house, rawBody: "{", status: 400, code: "invalid_json" },
    {
      name: "an unknown house",
      url: () => "/api/houses/2147483647/billing-runs",
      body: () => ({ period: "2024-03" }),
      status: 404,
      code: "not_found",
    },
    {
      name: "another workspace's house",
      url: (c) => `/api/houses/${c.otherHouseId}/billing-runs`,
      body: () => ({ period: "2024-03" }),
      status: 404,
      code: "not_found",
    },
    {
      name: "portfolio: a month like 2024-13",
      url: portfolio,
      body: () => ({ period: "2024-13" }),
      status: 422,
      code: "validation_failed",
    },
    {
      name: "portfolio: a future month",
      url: portfolio,
      body: () => ({ period: addMonths(thisMonth(), 1) }),
      status: 422,
      code: "validation_failed",
    },
    {
      name: "portfolio: an unknown field",
      url: portfolio,
      body: () => ({ period: "2024-03", house_id: 1 }),
      status: 422,
      code: "validation_failed",
    },
    {
      name: "portfolio: another workspace",
      url: portfolio,
      body: (c) => ({ period: "2024-03", workspace_id: c.otherWorkspaceId }),
      status: 404,
      code: "not_found",
    },
    {
      name: "portfolio: an unknown workspace",
      url: portfolio,
      body: () => ({ period: "2024-03", workspace_id: 2147483647 }),
      status: 404,
      code: "not_found",
    },
  ];

  it.each(refusals)("$name → $status", async (r) => {
    const mine = await createHouse();
    await createApartment(mine.id);
    const other = await workspace();
    const otherHouse = await addHouse(other, `ул. Соседняя, ${phones}`, [{ number: "1", area: "10.00" }]);
    const context: Context = { houseId: mine.id, otherHouseId: otherHouse.id, otherWorkspaceId: other.workspaceId };
    const runs = await runRows();
    const jobs = await jobRows();

    const res = await api("POST", r.url(context), r.body?.(context), r.rawBody === undefined ? {} : { rawBody: r.rawBody });

    expect(res.status, JSON.stringify(res.body)).toBe(r.status);
    expect(res.body).toEqual(apiError(r.code, r.code === "validation_failed" ? "some" : undefined));
    expect(await runRows()).toBe(runs);
    expect(await jobRows()).toBe(jobs);
  });

  it("names the field of a bad month", async () => {
    const house = await createHouse();
    const res = await api("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-13" });
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual({ period: expect.any(String) });
  });
});

describe("another workspace's billing data", () => {
  it("is 404 not_found: its runs, its house's runs and invoices, its apartments' invoices", async () => {
    const other = await workspace();
    await addTariffs(other, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const house = await addHouse(other, "ул. Закрытая, 1", [{ number: "1", area: "10.00" }]);
    const runId = await bill(other, house.id, "2024-03");
    const urls = [
      `/api/billing-runs/${runId}`,
      `/api/houses/${house.id}/billing-runs`,
      `/api/houses/${house.id}/invoices?period=2024-03`,
      `/api/apartments/${house.apartments[0].id}/invoices`,
    ];
    // the owner sees them all
    for (const url of urls) expect((await other.call("GET", url)).status, url).toBe(200);

    for (const url of urls) {
      const res = await api("GET", url);
      expect(res.status, url).toBe(404);
      expect(res.body).toEqual(apiError("not_found"));
    }
    expect((await api("GET", "/api/billing-runs/2147483647")).status).toBe(404);
  });

  it("a second person cannot start runs on the first person's house", async () => {
    const me = await testPerson();
    const house = await createHouse();
    await createApartment(house.id);
    const stranger = await workspace();
    const runs = await runRows();

    const res = await stranger.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });
    const portfolio = await stranger.call("POST", "/api/billing-runs", { period: "2024-03", workspace_id: me.workspaceId });

    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(portfolio.status).toBe(404);
    expect(await runRows()).toBe(runs);
  });
});

describe("GET /api/houses/:id/invoices input", () => {
  it.each([
    ["no month", ""],
    ["a month like 2024-13", "?period=2024-13"],
    ["an unknown parameter", "?period=2024-03&apartment=1"],
  ])("refuses %s with 422", async (_name, query) => {
    const house = await createHouse();
    const res = await api("GET", `/api/houses/${house.id}/invoices${query}`);
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "some"));
  });
});

describe("deleting billed data", () => {
  it("is 409 for a meter never read but billed by the normative, 204 for one billed only at 0", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    await ws.create("/api/normatives", { service: "cold_water", value: "4.8500", valid_from: "2023-01" });
    const house = await addHouse(ws, "ул. Нормативная, 1", [
      { number: "1", area: "10.00", meters: [{ service: "cold_water", readings: {} }] },
      { number: "2", area: "10.00", meters: [{ service: "cold_water", readings: {} }] },
    ]);
    expect((await ws.call("PATCH", `/api/apartments/${house.apartments[0].id}`, { residents: 2 })).status).toBe(200);
    await bill(ws, house.id, "2024-03");
    const billed = await ws.call("GET", `/api/houses/${house.id}/invoices?period=2024-03`);
    // 2 × 4.85 = 9.700 m³ × 40 = 388.00; nobody registered in the second: 0
    expect(billed.body.items.map((i: any) => [i.apartment_number, i.water])).toEqual([
      ["1", "388.00"],
      ["2", "0.00"],
    ]);

    const refused = await ws.call("DELETE", `/api/meters/${house.apartments[0].meterIds[0]}`);
    const deleted = await ws.call("DELETE", `/api/meters/${house.apartments[1].meterIds[0]}`);

    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(apiError("conflict", undefined, { reason: "meter_readings_billed" }));
    expect(deleted.status).toBe(204);
    // its 0 m³ volume went with it (no foreign key: the meter_deleted trigger, drizzle/0019)
    const gone = house.apartments[1].meterIds[0];
    expect(await count(sql`select count(*)::int as n from meter_volume where meter_id = ${gone}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from meter_volume where meter_id = ${house.apartments[0].meterIds[0]}`)).toBe(1);
  });

  // What the meter_volume → meter key's check held (a lock on the meter while the chunk ran) is
  // the house's meters lock now: shared by a chunk, exclusive for a meter's delete.
  it("a meter deleted while its house is being billed: the chunk waits, then writes no volume of it", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    // never read, nobody registered: billed at 0 by the normative, so it may be deleted
    await ws.create("/api/normatives", { service: "cold_water", value: "4.8500", valid_from: "2023-01" });
    const house = await addHouse(ws, "ул. Замковая, 1", [
      {
        number: "1",
        area: "10.00",
        meters: [
          { service: "cold_water", readings: {} },
          { service: "cold_water", readings: {} },
        ],
      },
    ]);
    const [kept, doomed] = house.apartments[0].meterIds;
    const run = await ws.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-03" });
    expect(run.status).toBe(202);

    let billing: Promise<void> | undefined;
    await db().transaction(async (tx) => {
      await lockHouseMeterSet(tx, house.id); // as deleteMeter takes it
      billing = billInline(run.body.id);
      await until(() => blocksAnother(tx), "the chunk to wait on the house's meters lock");
      await tx.execute(sql`delete from meter where id = ${doomed}`);
    });
    await billing;

    expect((await ws.call("GET", `/api/billing-runs/${run.body.id}`)).body.status).toBe("completed");
    const volumes = await db().execute<{ meter_id: number }>(
      sql`select v.meter_id from meter_volume v join invoice i on i.id = v.invoice_id where i.house_id = ${house.id}`,
    );
    expect(volumes.rows.map((r) => r.meter_id)).toEqual([kept]);
  });

  it("a meter's delete waits for a billing chunk of its house in flight", async () => {
    const ws = await workspace();
    const house = await addHouse(ws, "ул. Замковая, 2", [
      { number: "1", area: "10.00", meters: [{ service: "cold_water", readings: {} }] },
    ]);
    const [meterId] = house.apartments[0].meterIds;

    let deleting: ReturnType<typeof ws.call> | undefined;
    await db().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock_shared(${house.id}, ${METER_SET_KEY})`); // as a chunk (lockChunkHouses) takes it
      deleting = ws.call("DELETE", `/api/meters/${meterId}`);
      await until(() => blocksAnother(tx), "the delete to wait on the house's meters lock");
    });

    expect((await deleting)?.status).toBe(204);
  });

  // The lines and meter volumes have no foreign keys (drizzle/0019_billing-writes.sql): what the
  // keys did is done by triggers, checked here below the API, where only the database stands.
  it("in the database: an invoice deleted takes its lines and volumes, a service named by lines stays", async () => {
    const ws = await workspace();
    await addTariffs(ws, [
      { service: "cold_water", price: "40.0000", valid_from: "2023-01" },
      { service: "maintenance", price: "20.0000", valid_from: "2023-01" },
    ]);
    const house = await addHouse(ws, "ул. Каскадная, 1", [
      { number: "1", area: "10.00", meters: [{ service: "cold_water", readings: { "2024-02": "5", "2024-03": "8" } }] },
      { number: "2", area: "10.00", meters: [{ service: "cold_water", readings: { "2024-02": "1", "2024-03": "2" } }] },
    ]);
    await bill(ws, house.id, "2024-03");
    const [first, second] = house.apartments;
    const lines = (apartmentId: number) =>
      count(sql`select count(*)::int as n from invoice_line l join invoice i on i.id = l.invoice_id where i.apartment_id = ${apartmentId}`);
    const volumes = (apartmentId: number) =>
      count(sql`select count(*)::int as n from meter_volume v join invoice i on i.id = v.invoice_id where i.apartment_id = ${apartmentId}`);
    const {
      rows: [{ id: invoiceId }],
    } = await db().execute<{ id: number }>(sql`select id from invoice where apartment_id = ${first.id} and period = '2024-03-01'`);
    expect([await lines(first.id), await volumes(first.id)]).toEqual([2, 1]); // cold water and maintenance; one meter

    await db().execute(sql`delete from invoice where id = ${invoiceId}`);

    expect(await count(sql`select count(*)::int as n from invoice_line where invoice_id = ${invoiceId}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from meter_volume where invoice_id = ${invoiceId}`)).toBe(0);
    expect([await lines(second.id), await volumes(second.id)]).toEqual([2, 1]); // the other invoice keeps its own
    const {
      rows: [cold],
    } = await db().execute<{ id: number }>(sql`select id from service where workspace_id = ${ws.workspaceId} and code = 'cold_water'`);
    await expect(db().execute(sql`delete from service where id = ${cold.id}`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: "23503", table: "invoice_line" }),
    });
    expect(await count(sql`select count(*)::int as n from service where id = ${cold.id}`)).toBe(1);
  });

  it("is 409 for a billed apartment and for its house, and deletes nothing", async () => {
    const ws = await workspace();
    await addTariffs(ws, [{ service: "maintenance", price: "20.0000", valid_from: "2023-01" }]);
    const house = await addHouse(ws, "ул. Вечная, 1", [
      { number: "1", area: "10.00" },
      { number: "2", area: "10.00" },
    ]);
    const runId = await bill(ws, house.id, "2024-03");
    const [billed] = house.apartments;

    const apartment = await ws.call("DELETE", `/api/apartments/${billed.id}`);
    const whole = await ws.call("DELETE", `/api/houses/${house.id}`);

    expect(apartment.status).toBe(409);
    expect(apartment.body).toEqual(apiError("conflict"));
    expect(whole.status).toBe(409);
    expect(whole.body).toEqual(apiError("conflict"));
    expect((await ws.call("GET", `/api/apartments/${billed.id}`)).status).toBe(200);
    expect((await ws.call("GET", `/api/houses/${house.id}`)).status).toBe(200);
    expect(await invoiceRows(house.id, "2024-03")).toBe(2);
    expect((await ws.call("GET", `/api/billing-runs/${runId}`)).body.status).toBe("completed");
  });
});
