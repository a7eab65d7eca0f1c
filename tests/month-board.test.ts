import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { asNewPerson } from "./helpers/as-person";
import { billInline } from "./helpers/billing";
import { db, snapshot } from "./helpers/db";
import { apiError, meterOfAnotherWorkspace } from "./helpers/fixtures";

// GET /api/months/:period/board and GET /api/billing-check (the portfolio check), through the
// routes and a real database: one workspace with a house planted in each state of June 2024;
// every figure below is worked out by hand next to its house.

const JUNE = "2024-06";
const POSTED_AT = "2024-07-05T09:30:00.000Z";

type Person = Awaited<ReturnType<typeof asNewPerson>>;
type Meter = [serial: string, service: "cold_water" | "hot_water", readings: Record<string, string>, verified_until?: string];

let me: Person;
let other: Person;
const ids: Record<string, number> = {};

/** A house with apartments ([number, residents, meters]) and their readings; its id under `key`. */
async function plant(key: string, address: string, apartments: [string, number, Meter[]][], ownMaintenance = true) {
  const h = await me.create<{ id: number }>("/api/houses", { address });
  ids[key] = h.id;
  if (ownMaintenance) await me.create("/api/tariffs", { service: "maintenance", price: "30", valid_from: "2024-01", house_id: h.id });
  const byMonth: Record<string, { meter_id: number; value: string }[]> = {};
  for (const [number, residents, meters] of apartments) {
    const a = await me.create<{ id: number }>(`/api/houses/${h.id}/apartments`, { number, area: "50", residents });
    for (const [serial, service, readings, verified_until] of meters) {
      const m = await me.create<{ id: number }>(`/api/apartments/${a.id}/meters`, {
        serial_number: serial,
        service,
        ...(verified_until ? { verified_until } : {}),
      });
      ids[serial] = m.id;
      for (const [period, value] of Object.entries(readings)) (byMonth[period] ??= []).push({ meter_id: m.id, value });
    }
  }
  for (const [period, readings] of Object.entries(byMonth).sort()) {
    const res = await me.call("POST", `/api/houses/${h.id}/readings`, { period, readings });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

async function billJune(key: string) {
  const started = await me.call("POST", `/api/houses/${ids[key]}/billing-runs`, { period: JUNE });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await billInline(started.body.id);
  expect((await me.call("GET", `/api/billing-runs/${started.body.id}`)).body.status).toBe("completed");
}

/** Two apartments of one person each, a cold water meter each, read in May and June. */
const readEveryMonth = (prefix: string): [string, number, Meter[]][] => [
  ["1", 1, [[`${prefix}1`, "cold_water", { "2024-05": "100", "2024-06": "105" }]]],
  ["2", 1, [[`${prefix}2`, "cold_water", { "2024-05": "200", "2024-06": "204" }]]],
];

beforeAll(async () => {
  me = await asNewPerson("+79996200001");
  other = await asNewPerson("+79996200002");
  for (const [service, price] of [
    ["cold_water", "40"],
    ["hot_water", "200"],
    ["wastewater", "30"],
  ])
    await me.create("/api/tariffs", { service, price, valid_from: "2024-01" });
  for (const [service, value] of [
    ["cold_water", "4"],
    ["hot_water", "3"],
  ])
    await me.create("/api/normatives", { service, value, valid_from: "2024-01" });

  // ready: every meter read, nothing billed
  await plant("ready", "ул. Полная, 1", [
    ["1", 2, [["A1", "cold_water", { "2024-05": "100", "2024-06": "103" }]]],
    ["2", 1, [["A2", "cold_water", { "2024-05": "50", "2024-06": "52" }]]],
  ]);
  // collecting: B1 read; HB1 read in May only (no average: by the normative, 2 × 3 m³); B2 read
  // February to May (an average over 3 months)
  await plant("collecting", "ул. Сборная, 2", [
    [
      "1",
      2,
      [
        ["B1", "cold_water", { "2024-05": "10", "2024-06": "12" }],
        ["HB1", "hot_water", { "2024-05": "5" }],
      ],
    ],
    ["2", 1, [["B2", "cold_water", { "2024-02": "20", "2024-03": "22", "2024-04": "24", "2024-05": "26" }]]],
  ]);
  // blocked: no maintenance price for this house; C2's June reading is past its verification
  // (10 June), so it is estimated by the normative
  await plant(
    "blocked",
    "ул. Без цены, 3",
    [
      ["1", 1, [["C1", "cold_water", { "2024-05": "1", "2024-06": "2" }]]],
      ["2", 2, [["C2", "cold_water", { "2024-05": "2", "2024-06": "3" }, "2024-06-10"]]],
    ],
    false,
  );
  // out of date: billed, then D1's June reading corrected
  await plant("out_of_date", "ул. Черновая, 4", readEveryMonth("D"));
  // posted: billed, then posted (the posting API is written apart: its rows directly)
  await plant("posted", "ул. Закрытая, 5", readEveryMonth("E"));
  // draft: billed, nothing changed since
  await plant("draft", "ул. Проверки, 6", readEveryMonth("G"));
  // no apartments at all
  ids.empty = (await me.create<{ id: number }>("/api/houses", { address: "ул. Пустая, 7" })).id;

  for (const key of ["out_of_date", "posted", "draft"]) await billJune(key);
  const corrected = await me.call("PUT", `/api/meters/${ids.D1}/readings/${JUNE}`, { value: "106" });
  expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
  await db().execute(sql`update invoice set posted_at = ${POSTED_AT} where house_id = ${ids.posted} and period = '2024-06-01'`);
  await db().execute(sql`insert into house_month (house_id, period, posted_at) values (${ids.posted}, '2024-06-01', ${POSTED_AT})`);

  // another person's house, and a workspace nobody here belongs to
  await other.create("/api/houses", { address: "ул. Соседская, 8" });
  await meterOfAnotherWorkspace();
});

const figures = (o: Partial<Record<string, unknown>>) => ({
  apartments: 2,
  meters: 2,
  readings: 2,
  missing: 0,
  percent: 100,
  estimated_average: 0,
  estimated_normative: 0,
  verification_expired: 0,
  invoices: 0,
  apartments_without_invoice: 0,
  out_of_date: 0,
  blocking: [],
  closed: false,
  posted_at: null,
  ...o,
});

describe("GET /api/months/:period/board", () => {
  it("gives every house of the workspace its state and figures, and the totals", async () => {
    const res = await me.call("GET", `/api/months/${JUNE}/board`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.workspace_id).toBe(me.person.workspaceId);
    expect(res.body.period).toBe(JUNE);
    expect(res.body.houses).toEqual([
      { house_id: ids.ready, address: "ул. Полная, 1", state: "ready", ...figures({ apartments_without_invoice: 2 }) },
      {
        house_id: ids.collecting,
        address: "ул. Сборная, 2",
        state: "collecting",
        // 1 of 3 meters read: 33 %
        ...figures({
          meters: 3,
          readings: 1,
          missing: 2,
          percent: 33,
          estimated_average: 1,
          estimated_normative: 1,
          apartments_without_invoice: 2,
        }),
      },
      {
        house_id: ids.blocked,
        address: "ул. Без цены, 3",
        state: "blocked",
        // C2's reading is entered (collected) though it does not count
        ...figures({
          estimated_normative: 1,
          verification_expired: 1,
          apartments_without_invoice: 2,
          blocking: [{ problem: "missing_price", service: "maintenance", name_ru: "Содержание жилья", name_en: "Maintenance" }],
        }),
      },
      { house_id: ids.out_of_date, address: "ул. Черновая, 4", state: "out_of_date", ...figures({ invoices: 2, out_of_date: 1 }) },
      {
        house_id: ids.posted,
        address: "ул. Закрытая, 5",
        state: "posted",
        ...figures({ invoices: 2, closed: true, posted_at: POSTED_AT }),
      },
      { house_id: ids.draft, address: "ул. Проверки, 6", state: "draft", ...figures({ invoices: 2 }) },
      { house_id: ids.empty, address: "ул. Пустая, 7", state: "ready", ...figures({ apartments: 0, meters: 0, readings: 0 }) },
    ]);
    // 12 apartments, 13 meters, 11 read (floor(1100 / 13) = 84 %)
    expect(res.body.totals).toEqual({
      houses: 7,
      apartments: 12,
      meters: 13,
      readings: 11,
      missing: 2,
      percent: 84,
      estimated_average: 1,
      estimated_normative: 2,
      verification_expired: 1,
      invoices: 6,
      apartments_without_invoice: 6,
      out_of_date: 1,
      states: { collecting: 1, blocked: 1, ready: 2, draft: 1, out_of_date: 1, posted: 1 },
    });
  });

  it("a month closed by a later posting shows posted, without a posting time of its own", async () => {
    const may = await me.call("GET", "/api/months/2024-05/board");
    expect(may.status).toBe(200);
    const posted = may.body.houses.find((h: { house_id: number }) => h.house_id === ids.posted);
    expect(posted).toMatchObject({ state: "posted", closed: true, posted_at: null, invoices: 0 });
  });

  it("shows no other workspace's house, refuses a foreign workspace_id, a bad or future month; writes nothing", async () => {
    const before = await snapshot();
    const mine = await other.call("GET", `/api/months/${JUNE}/board`);
    expect(mine.status).toBe(200);
    expect(mine.body.houses.map((h: { address: string }) => h.address)).toEqual(["ул. Соседская, 8"]);
    expect(mine.body.totals).toMatchObject({ houses: 1, apartments: 0, meters: 0 });

    const foreign = await me.call("GET", `/api/months/${JUNE}/board?workspace_id=${other.person.workspaceId}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(apiError("not_found", undefined, { reason: "workspace_not_found" }));
    const own = await me.call("GET", `/api/months/${JUNE}/board?workspace_id=${me.person.workspaceId}`);
    expect(own.body.totals.houses).toBe(7);

    for (const bad of ["2024-13", "june", "2024-6"]) {
      const res = await me.call("GET", `/api/months/${bad}/board`);
      expect(res.status, bad).toBe(422);
      expect(res.body).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    }
    const future = await me.call("GET", "/api/months/2999-01/board");
    expect(future.status).toBe(422);
    expect(future.body).toEqual(apiError("validation_failed", { period: expect.any(String) }, { reason: "period_in_future" }));
    expect((await me.call("GET", `/api/months/${JUNE}/board?workspace_id=x`)).status).toBe(422);
    expect((await me.call("GET", `/api/months/${JUNE}/board?house_id=1`)).status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/billing-check (every house of a workspace)", () => {
  it("is each house's check, added up, with every blocker and item naming its house", async () => {
    const res = await me.call("GET", `/api/billing-check?period=${JUNE}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({ workspace_id: me.person.workspaceId, period: JUNE, ready: false });
    // usable readings: A1 A2, B1, C1 (not C2), D1 D2, E1 E2, G1 G2
    expect(body.counts).toEqual({
      houses: 7,
      houses_blocked: 1,
      apartments: 12,
      meters: 13,
      readings: 10,
      no_reading: 2,
      estimated_average: 1,
      estimated_normative: 2,
      true_up: 0,
      verification_expired: 1,
      verification_expiring: 0,
      suspicious: 0,
      apartments_without_meters: 0,
    });
    const maintenance = { problem: "missing_price", service: "maintenance", name_ru: "Содержание жилья", name_en: "Maintenance" };
    expect(body.blocking).toEqual([{ ...maintenance, house_id: ids.blocked, address: "ул. Без цены, 3" }]);
    expect(body.houses.map((h: { house_id: number; ready: boolean }) => [h.house_id, h.ready])).toEqual([
      [ids.ready, true],
      [ids.collecting, true],
      [ids.blocked, false],
      [ids.out_of_date, true],
      [ids.posted, true],
      [ids.draft, true],
      [ids.empty, true],
    ]);
    expect(
      body.items.map((i: { address: string; serial_number: string; problems: string[] }) => [i.address, i.serial_number, i.problems]),
    ).toEqual([
      ["ул. Сборная, 2", "HB1", ["no_reading"]],
      ["ул. Сборная, 2", "B2", ["no_reading"]],
      ["ул. Без цены, 3", "C2", ["verification_expired"]],
    ]);
    // B2: (26 − 20) / 3 = 2.000 m³; HB1: 2 people × 3 m³
    expect(body.items[0]).toMatchObject({ house_id: ids.collecting, kind: "normative", volume: "6.000" });
    expect(body.items[1]).toMatchObject({ house_id: ids.collecting, kind: "average", volume: "2.000", average_months: 3 });

    // each house's part is exactly its own check
    for (const house of body.houses) {
      const own = await me.call("GET", `/api/houses/${house.house_id}/billing-check?period=${JUNE}`);
      expect(own.status).toBe(200);
      expect({ ready: house.ready, counts: house.counts, blocking: house.blocking }).toEqual({
        ready: own.body.ready,
        counts: own.body.counts,
        blocking: own.body.blocking,
      });
      expect(body.items.filter((i: { house_id: number }) => i.house_id === house.house_id)).toEqual(
        own.body.items.map((i: object) => ({ ...i, house_id: house.house_id, address: house.address })),
      );
    }
  });

  it("shows no other workspace's house and refuses a foreign workspace_id or a bad month", async () => {
    const theirs = await other.call("GET", `/api/billing-check?period=${JUNE}`);
    expect(theirs.body.houses.map((h: { address: string }) => h.address)).toEqual(["ул. Соседская, 8"]);
    expect(theirs.body).toMatchObject({ ready: true, blocking: [], items: [] });

    const foreign = await me.call("GET", `/api/billing-check?period=${JUNE}&workspace_id=${other.person.workspaceId}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(apiError("not_found", undefined, { reason: "workspace_not_found" }));
    expect((await me.call("GET", "/api/billing-check")).status).toBe(422);
    const bad = await me.call("GET", "/api/billing-check?period=2024-13");
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual(apiError("validation_failed", { period: expect.any(String) }));
    const future = await me.call("GET", "/api/billing-check?period=2999-01");
    expect(future.body).toEqual(apiError("validation_failed", { period: expect.any(String) }, { reason: "period_in_future" }));
  });
});
