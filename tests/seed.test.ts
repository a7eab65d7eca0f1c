import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PHONE, seedDemoData } from "../scripts/lib/demo-seed";
import { addMonths } from "../lib/months";
import { Dec } from "../lib/money";
import { api as call } from "./helpers/api";
import { signIn } from "./helpers/auth";
import { db } from "./helpers/db";

const MONTH = "2026-03";

describe("demo data", () => {
  let summary: Awaited<ReturnType<typeof seedDemoData>>;
  let demoToken: string;
  // The register belongs to the demo person: read it as them.
  const api = (method: string, url: string) => call(method, url, undefined, { token: demoToken });
  beforeAll(async () => {
    summary = await seedDemoData(db(), MONTH);
    demoToken = (await signIn(DEMO_PHONE)).token;
  });

  it("loads two houses, 60 apartments, cold and hot meters with six months of readings, and tariffs", async () => {
    expect(summary).toEqual({ houses: 2, apartments: 60, meters: 118, readings: 708, tariffs: 5 });

    const houses = await api("GET", "/api/houses");
    expect(houses.body.items.map((h: { apartments_count: number }) => h.apartments_count)).toEqual([36, 24]);
  });

  it("gives every meter six consecutive months up to the month before, never decreasing", async () => {
    const { rows } = await db().execute<{ meter_id: number; periods: string[]; values: string[] }>(sql`
      select meter_id, array_agg(to_char(period, 'YYYY-MM') order by period) as periods,
             array_agg(value::text order by period) as values
      from meter_reading group by meter_id`);
    expect(rows.length).toBe(118);
    const expected = Array.from({ length: 6 }, (_, i) => addMonths(MONTH, i - 6));
    for (const row of rows) {
      expect(row.periods).toEqual(expected);
      for (let i = 1; i < row.values.length; i++) expect(new Dec(row.values[i]).gte(row.values[i - 1])).toBe(true);
    }
  });

  it("uses realistic areas and leaves the shop space of the second house without meters", async () => {
    const {
      rows: [areas],
    } = await db().execute<{ min: string; max: string; unmetered: number }>(sql`
      select min(area)::text as min, max(area)::text as max,
             count(*) filter (where not exists (select 1 from meter m where m.apartment_id = a.id))::int as unmetered
      from apartment a`);
    expect(new Dec(areas.min).gte(25)).toBe(true);
    expect(new Dec(areas.max).lte(120)).toBe(true);
    expect(areas.unmetered).toBe(1);
  });

  it("prices the second house's maintenance with its own tariff", async () => {
    const [first, second] = (await api("GET", "/api/houses")).body.items;
    expect(first.workspace_id).toBe(second.workspace_id);
    const maintenance = async (id: number) =>
      (await api("GET", `/api/houses/${id}`)).body.tariffs.find((t: { service: string }) => t.service === "maintenance");
    expect((await maintenance(first.id)).house_id).toBeNull();
    expect((await maintenance(second.id)).house_id).toBe(second.id);
  });

  it("does nothing when the database already has houses", async () => {
    const { rows: before } = await db().execute(sql`select count(*)::int as n from meter_reading`);
    expect(await seedDemoData(db(), MONTH)).toBeNull();
    expect((await db().execute(sql`select count(*)::int as n from meter_reading`)).rows).toEqual(before);
  });
});

describe("demo data ownership", () => {
  it("is invisible to anyone but the demo person", async () => {
    const other = await call("GET", "/api/houses");
    expect(other.body.total).toBe(0);
  });
});
