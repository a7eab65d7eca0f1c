import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { api } from "./api";
import type { TestPerson } from "./auth";
import { db } from "./db";
import { until } from "./wait";
import { tails, type WorkerProcess } from "./worker";

// Billing runs through the real path (route → pg-boss → worker processes) for the files that
// start workers: a house of varied data, starting and awaiting a run, and its invoices compared
// row for row.

export const PERIOD = "2024-02";
export const PERIOD_DATE = "2024-02-01";

export type Run = {
  id: number;
  house_id: number | null;
  period: string;
  status: "queued" | "running" | "completed" | "failed";
  processed: number;
  total: number;
  percent: number;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  summary: { invoices: number; water: string; maintenance: string; total: string; flags: Record<string, number> };
};

// ---- data ----------------------------------------------------------------------------------

export const as = (person: TestPerson) => ({ token: person.token });

export async function createHouse(person: TestPerson, address: string): Promise<number> {
  const res = await api("POST", "/api/houses", { address }, as(person));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

export async function createTariffs(person: TestPerson) {
  for (const [service, price] of [
    ["cold_water", "45.1234"],
    ["hot_water", "198.7655"],
    ["wastewater", "38.4100"],
    ["maintenance", "32.15"],
  ]) {
    const res = await api("POST", "/api/tariffs", { service, price, valid_from: "2023-01" }, as(person));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  for (const [service, value] of [
    ["cold_water", "4.8500"],
    ["hot_water", "3.1200"],
  ]) {
    const res = await api("POST", "/api/normatives", { service, value, valid_from: "2023-01" }, as(person));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

/**
 * `count` apartments with varied data, by direct multi-row inserts: areas with fractions, 0–3
 * people registered; a cold meter each, a hot one for two in three, a second cold one for one in
 * ten, none for one in 17; seven months of readings, 2023-08 … 2024-02, with every case the rules
 * know: no reading in January (estimated then, trued up in February), none in February (the
 * average), only February's (the baseline), none since September (the normative: k > 3), none
 * at all, February's below January's, and a verification that ended on 2024-01-20 (January's
 * and February's readings are not usable).
 */
export async function seedApartments(workspaceId: number, houseId: number, count: number): Promise<number[]> {
  const { rows } = await db().execute<{ id: number }>(sql`
    insert into apartment (house_id, number, area, residents)
    select ${houseId}::int, g::text, (18 + (g * 7) % 90 + (g % 4) * 0.25 + (g % 3) * 0.01)::numeric(7,2), g % 4
    from generate_series(1, ${count}::int) g
    order by g
    returning id`);
  await db().execute(sql`
    insert into meter (apartment_id, workspace_id, serial_number, service, verified_until)
    select a.id, ${workspaceId}::int, s.prefix || a.id, s.service::meter_service, null
    from apartment a, (values ('C-', 'cold_water', 1), ('H-', 'hot_water', 3), ('C2-', 'cold_water', 10)) s(prefix, service, every)
    where a.house_id = ${houseId}::int and a.id % 17 <> 0
      and (s.every = 1 or (s.every = 3 and a.id % 3 <> 0) or (s.every = 10 and a.id % 10 = 0))`);
  await db().execute(sql`
    update meter set verified_until = '2024-01-20'
    where id % 23 = 0 and apartment_id in (select id from apartment where house_id = ${houseId}::int)`);
  await db().execute(sql`
    with m as (
      select m.id, (10 + (m.id * 37) % 500 + (m.id % 8) * 0.125)::numeric(12,3) as base, 1 + (m.id % 13) * 0.4375 as step
      from meter m join apartment a on a.id = m.apartment_id where a.house_id = ${houseId}::int
    )
    insert into meter_reading (meter_id, period, value)
    select id, (date '2023-08-01' + make_interval(months => k))::date,
           case when k = 6 and id % 37 = 0 then base + step * 5 - 3.5 else base + step * k + 0.005 * k end
    from m, generate_series(0, 6) k
    where id % 43 <> 0
      and not (id % 41 = 0 and k < 6)
      and not (id % 29 = 0 and k = 5)
      and not (id % 31 = 0 and k = 6)
      and not (id % 47 = 0 and k > 1)`);
  return rows.map((r) => r.id);
}

// ---- reading runs and invoices -----------------------------------------------------------------

export async function getRun(id: number, person: TestPerson): Promise<Run> {
  const res = await api<Run>("GET", `/api/billing-runs/${id}`, undefined, as(person));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function startHouseRun(houseId: number, person: TestPerson): Promise<Run> {
  const res = await api<Run>("POST", `/api/houses/${houseId}/billing-runs`, { period: PERIOD }, as(person));
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body).toMatchObject({ house_id: houseId, period: PERIOD, status: "queued", processed: 0 });
  return res.body;
}

export async function waitForRun(id: number, person: TestPerson, workers: WorkerProcess[], timeoutMs = 30_000): Promise<Run> {
  let last: Run | undefined;
  await until(
    async () => {
      last = await getRun(id, person);
      return last.status === "completed" || last.status === "failed";
    },
    `run ${id} to finish`,
    timeoutMs,
    () => `last seen: ${JSON.stringify(last)}\n${tails(workers)()}`,
  );
  expect(last!.status, JSON.stringify(last)).toBe("completed");
  return last!;
}

export const expectedPercent = (run: Pick<Run, "processed" | "total" | "status">) =>
  run.total === 0 ? (run.status === "completed" ? 100 : 0) : Math.floor((run.processed * 100) / run.total);

/** Every invoice of the house for the month with its lines, by apartment: for row-for-row comparison. */
export async function invoiceRows(houseId: number) {
  const { rows } = await db().execute<Record<string, unknown>>(sql`
    select i.apartment_id, i.water::text, i.maintenance::text, i.total::text,
           (select jsonb_agg(jsonb_build_object(
                     'service', l.service, 'quantity', l.quantity::text, 'unit', l.unit, 'tariff_id', l.tariff_id,
                     'price', l.price::text, 'amount', l.amount::text, 'flags', to_jsonb(l.flags), 'details', l.details)
                   order by l.service)
            from invoice_line l where l.invoice_id = i.id) as lines,
           (select jsonb_agg(to_jsonb(v) - 'invoice_id' order by v.meter_id) from meter_volume v where v.invoice_id = i.id) as volumes
    from invoice i
    where i.house_id = ${houseId}::int and i.period = ${PERIOD_DATE}::date
    order by i.apartment_id`);
  return rows;
}

/** Exactly one invoice per apartment for the month, each with one line per service and no more. */
export async function expectOneInvoiceEach(apartmentIds: number[], runId: number) {
  // one array parameter (Drizzle would spread a JS array into a list of parameters)
  const ids = `{${apartmentIds.join(",")}}`;
  const { rows: invoices } = await db().execute<{ apartment_id: number; n: number; run_id: number }>(sql`
    select apartment_id, count(*)::int as n, max(run_id) as run_id from invoice
    where apartment_id = any(${ids}::int[]) and period = ${PERIOD_DATE}::date
    group by apartment_id order by apartment_id`);
  expect(invoices.length).toBe(apartmentIds.length);
  expect(invoices.filter((r) => r.n !== 1)).toEqual([]);
  expect(invoices.map((r) => r.apartment_id)).toEqual([...apartmentIds].sort((a, b) => a - b));
  expect(invoices.filter((r) => r.run_id !== runId)).toEqual([]);

  const { rows: doubled } = await db().execute(sql`
    select l.invoice_id, l.service, count(*)::int as n from invoice_line l join invoice i on i.id = l.invoice_id
    where i.apartment_id = any(${ids}::int[]) and i.period = ${PERIOD_DATE}::date
    group by l.invoice_id, l.service having count(*) > 1`);
  expect(doubled).toEqual([]);
  // maintenance + one line per water service the apartment has meters of + wastewater where it has any
  const {
    rows: [lines],
  } = await db().execute<{ actual: number; expected: number }>(sql`
    select (select count(*)::int from invoice_line l join invoice i on i.id = l.invoice_id
            where i.apartment_id = any(${ids}::int[]) and i.period = ${PERIOD_DATE}::date) as actual,
           (select count(*)::int from unnest(${ids}::int[]) a(id)) +
           (select count(distinct (m.apartment_id, m.service))::int from meter m where m.apartment_id = any(${ids}::int[])) +
           (select count(distinct m.apartment_id)::int from meter m where m.apartment_id = any(${ids}::int[])) as expected`);
  expect(lines.actual).toBe(lines.expected);
}

export async function runRow(runId: number) {
  const {
    rows: [row],
  } = await db().execute<{
    status: string;
    processed: number;
    total: number;
    invoices: number;
    billed: number;
    parts_processed: number;
  }>(sql`
    select r.status::text, r.processed, r.total, r.invoices,
           (select count(*)::int from invoice i where i.run_id = r.id) as billed,
           (select coalesce(sum(p.processed), 0)::int from billing_run_part p where p.run_id = r.id) as parts_processed
    from billing_run r where r.id = ${runId}::int`);
  return row;
}
