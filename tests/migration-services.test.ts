import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type DbHandle } from "../db/connect";
import { migrateDatabase } from "../db/migrate";
import * as billing from "../db/queries/billing";
import { billNextChunk } from "../lib/billing/bill-chunk";
import { planBillingRun } from "../lib/billing/plan-billing-run";
import { invoiceLineDetails } from "../lib/schemas/stored";
import { withDatabase } from "../scripts/lib/database";

// The services catalogue's migrations on a database billed by the version before them
// (migrations 0000–0009): every invoice and line stays as billed, the workspace keeps exactly
// its three services active (wastewater is added switched off), prices and lines point at the
// services of their codes, and each meter's billed volume is recorded so that the next month
// bills from it. The old data is written as the old engine wrote it; the figures are by hand.

const LAST_BEFORE = 9; // 0009_part-lease: the last migration before the catalogue

let admin: postgres.Sql;
let name: string;
let url: string;
let handle: DbHandle;
let sql: postgres.Sql;
const ids: Record<string, number> = {};

/** Applies the migrations up to and including `last` from a copy of drizzle/ that has only those. */
async function migrateUpTo(last: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kv-migrations-"));
  try {
    cpSync(path.join(process.cwd(), "drizzle"), dir, { recursive: true });
    const journalFile = path.join(dir, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx <= last);
    writeFileSync(journalFile, JSON.stringify(journal));
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle(client), { migrationsFolder: dir });
    } finally {
      await client.end({ timeout: 5 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const meterEntry = (
  meterId: number,
  serial: string,
  previous: [string, string] | null,
  current: [string, string] | null,
  consumption: string,
  flag: string | null,
) => ({
  meter_id: meterId,
  serial_number: serial,
  previous: previous && { period: previous[0], value: previous[1] },
  current: current && { period: current[0], value: current[1] },
  consumption,
  flag,
});

beforeAll(async () => {
  name = `${inject("runPrefix")}_migration_${process.pid}`;
  admin = postgres(inject("adminUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  url = withDatabase(inject("adminUrl"), name);
  await migrateUpTo(LAST_BEFORE);
  // the old data written by hand (postgres.js, whose jsonb parameters a text cast keeps from being
  // encoded twice), the billing through the app's own handle
  handle = createDb(url, { max: 2 });
  sql = postgres(url, { max: 2, onnotice: () => {} });

  // The register and February 2024 as the previous version billed it.
  const [ws] = await sql`insert into workspace (name) values ('ООО «Старая УК»') returning id`;
  const [house] = await sql`insert into house (workspace_id, address) values (${ws.id}, 'ул. Старая, 1') returning id`;
  const [a1] = await sql`insert into apartment (house_id, number, area) values (${house.id}, '1', 50.00) returning id`;
  const [a2] = await sql`insert into apartment (house_id, number, area) values (${house.id}, '2', 30.00) returning id`;
  const meter = async (apartmentId: number, serial: string, service: string) =>
    (
      await sql`insert into meter (apartment_id, workspace_id, serial_number, service) values (${apartmentId}, ${ws.id}, ${serial}, ${service}) returning id`
    )[0].id as number;
  const c1 = await meter(a1.id, "C-1", "cold_water");
  const h1 = await meter(a1.id, "H-1", "hot_water");
  const c2 = await meter(a2.id, "C-2", "cold_water");
  for (const [meterId, period, value] of [
    [c1, "2024-01-01", "100"],
    [c1, "2024-02-01", "110"],
    [c1, "2024-03-01", "115"],
    [h1, "2024-01-01", "20"],
    [h1, "2024-03-01", "26"],
    [c2, "2024-02-01", "5"],
    [c2, "2024-03-01", "8"],
  ] as const) {
    await sql`insert into meter_reading (meter_id, period, value) values (${meterId}, ${period}, ${value})`;
  }
  const tariff = async (service: string, price: string) =>
    (
      await sql`insert into tariff (workspace_id, service, price, valid_from) values (${ws.id}, ${service}, ${price}, '2024-01-01') returning id`
    )[0].id as number;
  const cold = await tariff("cold_water", "40.0000");
  const hot = await tariff("hot_water", "200.0000");
  const maint = await tariff("maintenance", "20.0000");
  const [run] = await sql`
    insert into billing_run (workspace_id, house_id, period, status, total, apartment_id_bound, meter_id_bound, processed, invoices, water, maintenance, total_amount)
    values (${ws.id}, ${house.id}, '2024-02-01', 'completed', 2, ${a2.id}, ${c2}, 2, 2, 400.00, 1600.00, 2000.00) returning id`;
  for (const [service, tariffId, price] of [
    ["cold_water", cold, "40.0000"],
    ["hot_water", hot, "200.0000"],
    ["maintenance", maint, "20.0000"],
  ] as const) {
    await sql`insert into billing_run_price (run_id, house_id, service, tariff_id, price) values (${run.id}, ${house.id}, ${service}, ${tariffId}, ${price})`;
  }
  const applied = (id: number, price: string) => ({ id, price, valid_from: "2024-01", scope: "workspace" });
  const invoiceOf = async (apartmentId: number, water: string, maintenance: string, total: string) =>
    (
      await sql`insert into invoice (apartment_id, house_id, period, run_id, water, maintenance, total)
               values (${apartmentId}, ${house.id}, '2024-02-01', ${run.id}, ${water}, ${maintenance}, ${total}) returning id`
    )[0].id as number;
  const line = async (
    invoiceId: number,
    service: string,
    quantity: string,
    unit: string,
    tariffId: number,
    price: string,
    amount: string,
    flags: string[],
    details: object,
  ) => {
    await sql`insert into invoice_line (invoice_id, service, quantity, unit, tariff_id, price, amount, flags, details)
              values (${invoiceId}, ${service}, ${quantity}, ${unit}, ${tariffId}, ${price}, ${amount}, ${flags}, ${JSON.stringify(details)}::text::jsonb)`;
  };
  // apartment 1: cold 110 − 100 = 10 × 40 = 400.00; hot no February reading: 0 (no_current_reading); 50 m² × 20 = 1000.00
  const i1 = await invoiceOf(a1.id, "400.00", "1000.00", "1400.00");
  await line(i1, "cold_water", "10.000", "m3", cold, "40.0000", "400.00", [], {
    meters: [meterEntry(c1, "C-1", ["2024-01", "100.000"], ["2024-02", "110.000"], "10.000", null)],
    tariff: applied(cold, "40.0000"),
  });
  await line(i1, "hot_water", "0.000", "m3", hot, "200.0000", "0.00", ["no_current_reading"], {
    meters: [meterEntry(h1, "H-1", ["2024-01", "20.000"], null, "0.000", "no_current_reading")],
    tariff: applied(hot, "200.0000"),
  });
  await line(i1, "maintenance", "50.00", "m2", maint, "20.0000", "1000.00", [], { area: "50.00", tariff: applied(maint, "20.0000") });
  // apartment 2: cold's first reading, the baseline: 0 (no_previous_reading); 30 m² × 20 = 600.00
  const i2 = await invoiceOf(a2.id, "0.00", "600.00", "600.00");
  await line(i2, "cold_water", "0.000", "m3", cold, "40.0000", "0.00", ["no_previous_reading"], {
    meters: [meterEntry(c2, "C-2", null, ["2024-02", "5.000"], "0.000", "no_previous_reading")],
    tariff: applied(cold, "40.0000"),
  });
  await line(i2, "maintenance", "30.00", "m2", maint, "20.0000", "600.00", [], { area: "30.00", tariff: applied(maint, "20.0000") });
  Object.assign(ids, { ws: ws.id, house: house.id, a1: a1.id, a2: a2.id, c1, h1, c2, cold, hot, maint, run: run.id, i1, i2 });
});

afterAll(async () => {
  await handle?.close();
  await sql?.end({ timeout: 5 });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 5 });
});

const billed = () =>
  sql`select i.id, i.apartment_id, i.period::text, i.run_id, i.water::text, i.maintenance::text, i.total::text,
             (select jsonb_agg(jsonb_build_object('service', l.service, 'quantity', l.quantity::text, 'unit', l.unit, 'tariff_id', l.tariff_id,
                                                  'price', l.price::text, 'amount', l.amount::text, 'flags', l.flags, 'details', l.details) order by l.id)
              from invoice_line l where l.invoice_id = i.id) as lines
      from invoice i order by i.id`;

describe("migrating a database billed before the services catalogue", () => {
  it("changes no billed amount, and puts the catalogue, prices, lines and meter volumes in place", async () => {
    const before = await billed();

    await migrateDatabase(url);

    expect(await billed()).toEqual(before);
    const services = await sql`select id, code, basis::text, active from service where workspace_id = ${ids.ws} order by id`;
    expect(services.map((s) => [s.code, s.basis, s.active])).toEqual([
      ["cold_water", "meter", true],
      ["hot_water", "meter", true],
      ["wastewater", "water_sum", false],
      ["maintenance", "area", true],
    ]);
    const serviceId = Object.fromEntries(services.map((s) => [s.code, s.id]));
    expect(await sql`select id, service_id from tariff order by id`).toEqual([
      { id: ids.cold, service_id: serviceId.cold_water },
      { id: ids.hot, service_id: serviceId.hot_water },
      { id: ids.maint, service_id: serviceId.maintenance },
    ]);
    expect(await sql`select service, service_id, kind::text from invoice_line order by id`).toEqual([
      { service: "cold_water", service_id: serviceId.cold_water, kind: "meter" },
      { service: "hot_water", service_id: serviceId.hot_water, kind: "meter" },
      { service: "maintenance", service_id: serviceId.maintenance, kind: "area" },
      { service: "cold_water", service_id: serviceId.cold_water, kind: "meter" },
      { service: "maintenance", service_id: serviceId.maintenance, kind: "area" },
    ]);
    expect(await sql`select service_id from billing_run_price where run_id = ${ids.run} order by service_id`).toEqual(
      [serviceId.cold_water, serviceId.hot_water, serviceId.maintenance].sort((a, b) => a - b).map((id) => ({ service_id: id })),
    );
    expect(
      await sql`select invoice_id, meter_id, period::text, kind::text, volume::text, reading::text, basis_period::text, basis_reading::text
                from meter_volume order by invoice_id, meter_id`,
    ).toEqual([
      {
        invoice_id: ids.i1,
        meter_id: ids.c1,
        period: "2024-02-01",
        kind: "actual",
        volume: "10.000",
        reading: "110.000",
        basis_period: "2024-01-01",
        basis_reading: "100.000",
      },
      {
        invoice_id: ids.i1,
        meter_id: ids.h1,
        period: "2024-02-01",
        kind: "none",
        volume: "0.000",
        reading: null,
        basis_period: "2024-01-01",
        basis_reading: "20.000",
      },
      {
        invoice_id: ids.i2,
        meter_id: ids.c2,
        period: "2024-02-01",
        kind: "baseline",
        volume: "0.000",
        reading: "5.000",
        basis_period: null,
        basis_reading: null,
      },
    ]);
    // The lines keep their details as written; the API's description of details still reads them.
    for (const row of await sql`select details from invoice_line`) expect(invoiceLineDetails.safeParse(row.details).success).toBe(true);
  });

  it("bills the next month by the new rules from what was billed, and only the three services", async () => {
    const runId = await billing.insertRunIfNoneActive(handle.db, {
      workspaceId: ids.ws,
      houseId: ids.house,
      period: "2024-03-01",
      personId: null,
    });
    const plan = await planBillingRun(handle.db, runId!, { enqueue: false });
    expect(plan.kind).toBe("planned");
    for (const part of plan.kind === "planned" ? plan.partIds : []) while (!(await billNextChunk(handle.db, part)).done);

    const march = await sql`
      select i.apartment_id, i.water::text, i.maintenance::text, i.total::text,
             (select jsonb_agg(jsonb_build_object('service', l.service, 'quantity', l.quantity::text, 'amount', l.amount::text, 'flags', l.flags) order by l.id)
              from invoice_line l where l.invoice_id = i.id) as lines
      from invoice i where i.period = '2024-03-01' order by i.apartment_id`;
    expect(march).toEqual([
      {
        // cold: L = February, billed on 110: 115 − 110 = 5 × 40 = 200.00; hot: February billed 0 without a reading is no
        // basis, so from January's 20: 26 − 20 = 6 × 200 = 1200.00; 50 m² × 20 = 1000.00; no wastewater
        apartment_id: ids.a1,
        water: "1400.00",
        maintenance: "1000.00",
        total: "2400.00",
        lines: expect.arrayContaining([
          { service: "cold_water", quantity: "5.000", amount: "200.00", flags: [] },
          { service: "hot_water", quantity: "6.000", amount: "1200.00", flags: [] },
          { service: "maintenance", quantity: "50.000", amount: "1000.00", flags: [] },
        ]),
      },
      {
        // cold: from February's baseline 5: 8 − 5 = 3 × 40 = 120.00; 30 m² × 20 = 600.00
        apartment_id: ids.a2,
        water: "120.00",
        maintenance: "600.00",
        total: "720.00",
        lines: expect.arrayContaining([
          { service: "cold_water", quantity: "3.000", amount: "120.00", flags: [] },
          { service: "maintenance", quantity: "30.000", amount: "600.00", flags: [] },
        ]),
      },
    ]);
    expect(march.map((i) => i.lines.length)).toEqual([3, 2]);
  });
});
