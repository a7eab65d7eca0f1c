import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { meterReading } from "../db/schema";
import { asNewPerson } from "./helpers/as-person";
import { billInline } from "./helpers/billing";
import { db, snapshot } from "./helpers/db";
import { apiError, meterOfAnotherWorkspace } from "./helpers/fixtures";

// GET /api/houses/:id/billing-check?period= — what a run of the month would do with each meter
// and what needs a look first, through the route and a real database. One house planted with one
// case of each problem; every expected figure is worked out by hand next to it, and the run that
// follows must bill exactly the volumes the check announced.

let phones = 0;

async function house() {
  const { person, call, create } = await asNewPerson(`+7999610${String(++phones).padStart(4, "0")}`);
  const h = await create<{ id: number }>("/api/houses", { address: "ул. Проверочная, 7" });
  for (const [service, price] of [
    ["cold_water", "40"],
    ["hot_water", "200"],
    ["maintenance", "30"],
  ])
    await create("/api/tariffs", { service, price, valid_from: "2024-01" });
  await create("/api/normatives", { service: "hot_water", value: "3.5", valid_from: "2024-01" });

  const meters: Record<string, number> = {};
  const apartments: Record<string, number> = {};
  const flat = async (number: string, residents: number, list: [serial: string, service: string, verified_until?: string][]) => {
    const a = await create<{ id: number }>(`/api/houses/${h.id}/apartments`, { number, area: "50", residents });
    apartments[number] = a.id;
    for (const [serial, service, verified_until] of list) {
      const m = await create<{ id: number }>(`/api/apartments/${a.id}/meters`, {
        serial_number: serial,
        service,
        ...(verified_until ? { verified_until } : {}),
      });
      meters[serial] = m.id;
    }
  };
  await flat("1", 2, [
    ["C1", "cold_water"],
    ["H1", "hot_water"],
  ]);
  await flat("2", 3, [
    ["H2", "hot_water"],
    ["C2", "cold_water"],
  ]);
  await flat("3", 1, [["C3", "cold_water", "2024-06-15"]]);
  await flat("4", 0, [
    ["H4", "hot_water", "2024-07-20"],
    ["C4", "cold_water"],
  ]);
  await flat("5", 1, []);

  const readings: Record<string, Record<string, string>> = {
    "2024-01": { C1: "100", C4: "0" },
    "2024-02": { C1: "103", C4: "1" },
    "2024-03": { C1: "106", C4: "2" },
    "2024-04": { C1: "109", C4: "3" },
    "2024-05": { C1: "112", H1: "50", H2: "10", C3: "20", H4: "7", C4: "4" },
    "2024-06": { H1: "51", C2: "5", C3: "22", H4: "8", C4: "84" },
  };
  for (const [period, values] of Object.entries(readings)) {
    const res = await call("POST", `/api/houses/${h.id}/readings`, {
      period,
      readings: Object.entries(values).map(([serial, value]) => ({ meter_id: meters[serial], value })),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return { person, call, create, houseId: h.id, meters, apartments };
}

const check = (h: Awaited<ReturnType<typeof house>>, period: string) =>
  h.call("GET", `/api/houses/${h.houseId}/billing-check?period=${period}`);

describe("GET /api/houses/:id/billing-check", () => {
  it("lists each planted problem with what the run would bill, and what blocks the run", async () => {
    const h = await house();
    const res = await check(h, "2024-06");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body;

    expect(body).toMatchObject({ house_id: h.houseId, address: "ул. Проверочная, 7", period: "2024-06", ready: false });
    // 5 apartments; meters C1 H1 H2 C2 C3 H4 C4; usable June readings: H1, C2, H4, C4 (C3's is past
    // its verification); none: C1, H2; C1 by the average, H2 and C3 by the normative.
    expect(body.counts).toEqual({
      apartments: 5,
      meters: 7,
      readings: 4,
      no_reading: 2,
      estimated_average: 1,
      estimated_normative: 2,
      true_up: 0,
      verification_expired: 1,
      verification_expiring: 1,
      suspicious: 1,
      apartments_without_meters: 1,
    });
    // A new workspace bills wastewater: no price for it. C3 (1 person) is estimated by the cold
    // water normative, and there is none.
    expect(body.blocking).toEqual([
      { problem: "missing_price", service: "wastewater", name_ru: "Водоотведение", name_en: "Wastewater" },
      { problem: "missing_normative", service: "cold_water", name_ru: null, name_en: null },
    ]);

    const bySerial = (serial: string) => body.items.find((i: { serial_number: string | null }) => i.serial_number === serial);
    expect(
      body.items.map((i: { apartment_number: string; serial_number: string | null }) => [i.apartment_number, i.serial_number]),
    ).toEqual([
      ["1", "C1"],
      ["2", "H2"],
      ["3", "C3"],
      ["4", "C4"],
      ["4", "H4"],
      ["5", null],
    ]);
    // C1: last reading May 112; the window Nov 2023 … May 2024 starts at January's 100, 4 months:
    // (112 − 100) / 4 = 3.000 m³, one month after the basis.
    expect(bySerial("C1")).toMatchObject({
      problems: ["no_reading"],
      kind: "average",
      volume: "3.000",
      current: null,
      basis: { period: "2024-05", value: "112.000" },
      months_since_basis: 1,
      average_months: 4,
      residents: 2,
    });
    // H2: one reading (May), no average: 3 people × 3.5 m³ = 10.500 m³.
    expect(bySerial("H2")).toMatchObject({
      problems: ["no_reading"],
      kind: "normative",
      volume: "10.500",
      basis: { period: "2024-05", value: "10.000" },
      average_months: null,
      residents: 3,
      normative: "3.5000",
    });
    // C3: verified until 15 June, so June's 22 does not count; by the normative, which is missing.
    expect(bySerial("C3")).toMatchObject({
      problems: ["verification_expired", "no_normative"],
      kind: "normative",
      volume: null,
      current: "22.000",
      verified_until: "2024-06-15",
      normative: null,
    });
    // C4: 84 after 4, against 1 m³ a month ((4 − 0) / 4): 80 > 3 × 1 and 79 ≥ 5 m³ more.
    expect(bySerial("C4")).toMatchObject({
      problems: ["suspicious"],
      kind: "actual",
      volume: "80.000",
      suspicion: { kind: "high", use: "80.000", expected: "1.000" },
    });
    // H4: valid through June, not through August.
    expect(bySerial("H4")).toMatchObject({
      problems: ["verification_expiring"],
      kind: "actual",
      volume: "1.000",
      verified_until: "2024-07-20",
    });
    expect(body.items.at(-1)).toMatchObject({ apartment_id: h.apartments["5"], problems: ["no_meters"], meter_id: null, residents: 1 });
  });

  it("is ready once the price and the normative exist, and the run bills exactly the volumes it announced", async () => {
    const h = await house();
    await h.create("/api/tariffs", { service: "wastewater", price: "30", valid_from: "2024-01" });
    await h.create("/api/normatives", { service: "cold_water", value: "4", valid_from: "2024-01" });
    const res = await check(h, "2024-06");
    expect(res.body.ready).toBe(true);
    expect(res.body.blocking).toEqual([]);
    // C3: 1 person × 4 m³
    const announced = Object.fromEntries(
      res.body.items
        .filter((i: { meter_id: number | null }) => i.meter_id)
        .map((i: { serial_number: string; volume: string }) => [i.serial_number, i.volume]),
    );
    expect(announced).toEqual({ C1: "3.000", H2: "10.500", C3: "4.000", C4: "80.000", H4: "1.000" });

    const started = await h.call("POST", `/api/houses/${h.houseId}/billing-runs`, { period: "2024-06" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await billInline(started.body.id);
    const run = await h.call("GET", `/api/billing-runs/${started.body.id}`);
    expect(run.body.status).toBe("completed");
    const { rows } = await db().execute<{ serial: string; volume: string }>(sqlVolumes(Object.values(h.meters)));
    const billed = Object.fromEntries(rows.map((r) => [r.serial, r.volume]));
    for (const [serial, volume] of Object.entries(announced)) expect(billed[serial], serial).toBe(volume);

    // July: C1's real reading arrives (118): (118 − 112) − 3.000 estimated in June = 3.000, a true-up.
    const july = await h.call("POST", `/api/houses/${h.houseId}/readings`, {
      period: "2024-07",
      readings: [{ meter_id: h.meters.C1, value: "118" }],
    });
    expect(july.status, JSON.stringify(july.body)).toBe(200);
    const next = await check(h, "2024-07");
    expect(next.body.counts.true_up).toBe(1);
    expect(next.body.items.some((i: { serial_number: string | null }) => i.serial_number === "C1")).toBe(false);
  });

  it("flags a decrease as suspicious", async () => {
    const h = await house();
    // a reading below the last one cannot be typed (the API refuses it): loaded as a file would be
    await db().insert(meterReading).values({ meterId: h.meters.H1, period: "2024-07-01", value: "49" });
    const res = await check(h, "2024-07");
    const h1 = res.body.items.find((i: { serial_number: string | null }) => i.serial_number === "H1");
    expect(h1).toMatchObject({
      problems: ["suspicious"],
      kind: "negative",
      volume: "0.000",
      suspicion: { kind: "decrease", previous: "51.000" },
    });
  });

  it("writes nothing, and refuses a future or malformed month and another workspace's house", async () => {
    const h = await house();
    const before = await snapshot();
    expect((await check(h, "2024-06")).status).toBe(200);
    expect(await snapshot()).toEqual(before);

    const future = await check(h, "2999-01");
    expect(future.status).toBe(422);
    expect(future.body).toEqual(apiError("validation_failed", { period: expect.any(String) }, { reason: "period_in_future" }));
    const malformed = await check(h, "2024-13");
    expect(malformed.status).toBe(422);
    const missing = await h.call("GET", `/api/houses/${h.houseId}/billing-check`);
    expect(missing.status).toBe(422);

    const other = await meterOfAnotherWorkspace();
    const foreign = await check({ ...h, houseId: other.houseId }, "2024-06");
    expect(foreign.status).toBe(404);
  });
});

function sqlVolumes(meterIds: number[]) {
  return sql`select m.serial_number as serial, v.volume::text as volume from meter_volume v join meter m on m.id = v.meter_id
    where v.meter_id = any(${`{${meterIds.join(",")}}`}::int[]) and v.period = '2024-06-01'`;
}
