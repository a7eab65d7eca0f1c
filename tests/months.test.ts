import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { asNewPerson } from "./helpers/as-person";
import { joinWorkspace } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { db, snapshot } from "./helpers/db";
import { apiError } from "./helpers/fixtures";

// The month of a house from draft to closed (lib/billing/months.ts, drizzle/0014_month-guards.sql).
// Prices from 2024-01: cold water 50 ₽/m³, maintenance 30 ₽/m². Hand-computed bills:
//   2024-02  apt 1 (40 m²): 105 − 100 = 5 m³ × 50 = 250.00 + 1200.00 = 1450.00
//            apt 2 (50 m²): 203 − 200 = 3 m³ × 50 = 150.00 + 1500.00 = 1650.00
//   2024-03  apt 1: 112 − 105 = 7 m³ → 350.00 + 1200.00 = 1550.00; apt 2: 210 − 203 = 7 → 350.00 + 1500.00 = 1850.00

let phones = 0;
/** A person with a workspace of their own that bills water and maintenance only (no wastewater). */
async function person() {
  const me = await asNewPerson(`+7999520${String(++phones).padStart(4, "0")}`);
  const services = (await me.call("GET", "/api/services")).body.items as { id: number; code: string }[];
  const wastewater = services.find((s) => s.code === "wastewater")!;
  expect((await me.call("PATCH", `/api/services/${wastewater.id}`, { active: false })).status).toBe(200);
  return me;
}
type Me = Awaited<ReturnType<typeof asNewPerson>>;

async function bill(me: Me, houseId: number, period: string) {
  const run = await me.call("POST", `/api/houses/${houseId}/billing-runs`, { period });
  expect(run.status, JSON.stringify(run.body)).toBe(202);
  await billInline(run.body.id);
  const done = (await me.call("GET", `/api/billing-runs/${run.body.id}`)).body;
  expect(done, JSON.stringify(done)).toMatchObject({ status: "completed" });
}

const totals = async (me: Me, houseId: number, period: string) =>
  Object.fromEntries(
    (await me.call("GET", `/api/houses/${houseId}/invoices?period=${period}`)).body.items.map(
      (i: { apartment_number: string; total: string; status: string; out_of_date: string[] }) => [
        i.apartment_number,
        `${i.total} ${i.status}${i.out_of_date.length ? ` ${i.out_of_date.join(",")}` : ""}`,
      ],
    ),
  );

async function twoMonthsOfDrafts() {
  const me = await person();
  for (const [service, price] of [
    ["cold_water", "50"],
    ["maintenance", "30"],
  ])
    await me.create("/api/tariffs", { service, price, valid_from: "2024-01" });
  const house = await me.create<{ id: number; address: string }>("/api/houses", { address: `ул. Закрытая, д. ${phones}` });
  const meters: number[] = [];
  const flats: number[] = [];
  for (const [number, area, readings] of [
    ["1", "40", ["100", "105", "112"]],
    ["2", "50", ["200", "203", "210"]],
  ] as const) {
    const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number, area });
    const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, {
      serial_number: `MN-${phones}-${number}`,
      service: "cold_water",
    });
    for (const [i, value] of readings.entries()) {
      const res = await me.call("PUT", `/api/meters/${meter.id}/readings/2024-0${i + 1}`, { value });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    flats.push(flat.id);
    meters.push(meter.id);
  }
  await bill(me, house.id, "2024-02");
  await bill(me, house.id, "2024-03");
  return { me, house, meters, flats };
}

const month = (me: Me, houseId: number, period: string) => me.call("GET", `/api/houses/${houseId}/months/${period}`);
const post = (me: Me, houseId: number, period: string) => me.call("POST", `/api/houses/${houseId}/months/${period}/post`);

describe("drafts, out of date, posting", () => {
  it("a changed reading makes exactly the drafts that used it out of date; posting waits for the recalculation; then the month is closed to every write", async () => {
    const { me, house, meters, flats } = await twoMonthsOfDrafts();
    expect(await totals(me, house.id, "2024-02")).toEqual({ "1": "1450.00 draft", "2": "1650.00 draft" });
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "1550.00 draft", "2": "1850.00 draft" });
    expect((await month(me, house.id, "2024-02")).body).toMatchObject({ state: "draft", invoices: 2, can_post: true, post_refused: null });
    // months are posted in order
    expect((await month(me, house.id, "2024-03")).body).toMatchObject({
      state: "draft",
      can_post: false,
      post_refused: { reason: "earlier_month_open", params: { month: "2024-03", earlier: "2024-02" } },
    });

    // March's reading of apartment 1: only apartment 1's March draft used it
    expect((await me.call("PUT", `/api/meters/${meters[0]}/readings/2024-03`, { value: "113" })).status).toBe(200);
    // February's reading of apartment 2: its February draft (its month) and its March draft (counted from it)
    expect((await me.call("PUT", `/api/meters/${meters[1]}/readings/2024-02`, { value: "204" })).status).toBe(200);
    expect(await totals(me, house.id, "2024-02")).toEqual({ "1": "1450.00 draft", "2": "1650.00 draft reading" });
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "1550.00 draft reading", "2": "1850.00 draft reading" });
    const feb = (await month(me, house.id, "2024-02")).body;
    expect(feb).toMatchObject({ state: "out_of_date", can_post: false });
    expect(feb.out_of_date).toEqual([
      { invoice_id: expect.any(Number), apartment_id: flats[1], apartment_number: "2", reasons: ["reading"] },
    ]);

    const refused = await post(me, house.id, "2024-02");
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(apiError("conflict", undefined, { reason: "month_out_of_date" }));
    expect(refused.body.error.params).toEqual({ month: "2024-02", invoices: 1, apartments: 0 });

    // recalculated: apt 2 in February 204 − 200 = 4 m³ → 200.00 + 1500.00; posted
    await bill(me, house.id, "2024-02");
    expect(await totals(me, house.id, "2024-02")).toEqual({ "1": "1450.00 draft", "2": "1700.00 draft" });
    const posted = await post(me, house.id, "2024-02");
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body).toMatchObject({
      state: "posted",
      closed: true,
      closed_through: "2024-02",
      posted_at: expect.any(String),
      can_reopen: true,
    });
    expect(posted.body.events).toEqual([
      { action: "post", at: expect.any(String), person_id: me.person.personId, phone: me.person.phone, reason: null },
    ]);
    expect(await totals(me, house.id, "2024-02")).toEqual({ "1": "1450.00 posted", "2": "1700.00 posted" });
    expect((await post(me, house.id, "2024-02")).body.error).toMatchObject({ reason: "month_already_posted" });

    // Every write that would change February (or before) is refused the same way and changes nothing.
    const tariffs = (await me.call("GET", "/api/tariffs")).body.items as { id: number; service: string }[];
    const closedParams = { house_id: house.id, address: house.address, closed_through: "2024-02" };
    const writes: [string, string, unknown, string][] = [
      ["PUT", `/api/meters/${meters[0]}/readings/2024-02`, { value: "106" }, "2024-02"],
      ["PUT", `/api/meters/${meters[0]}/readings/2024-01`, { value: "99" }, "2024-01"],
      ["POST", `/api/houses/${house.id}/readings`, { period: "2024-02", readings: [{ meter_id: meters[1], value: "205" }] }, "2024-02"],
      ["POST", "/api/tariffs", { service: "cold_water", price: "60", valid_from: "2024-02" }, "2024-02"],
      ["POST", "/api/tariffs", { service: "maintenance", price: "31", valid_from: "2024-02", house_id: house.id }, "2024-02"],
      ["PATCH", `/api/tariffs/${tariffs[0].id}`, { price: "51" }, "2024-01"],
      ["DELETE", `/api/tariffs/${tariffs[0].id}`, undefined, "2024-01"],
      ["POST", "/api/normatives", { service: "cold_water", value: "4", valid_from: "2024-01" }, "2024-01"],
      ["POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-02" }, "2024-02"],
    ];
    for (const [method, url, body, from] of writes) {
      const before = await snapshot();
      const res = await me.call(method, url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body).toEqual(apiError("conflict", undefined, { reason: "month_closed" }));
      expect(res.body.error.params).toEqual({ ...closedParams, month: from });
      expect(res.body.error.message).toContain("true-up");
      expect(await snapshot()).toEqual(before);
    }
    // a portfolio run leaves the closed house out
    const portfolio = await me.call("POST", "/api/billing-runs", { period: "2024-02" });
    expect(portfolio.body.total).toBe(0);
    await billInline(portfolio.body.id);
    expect((await me.call("GET", `/api/billing-runs/${portfolio.body.id}`)).body).toMatchObject({ status: "completed", total: 0 });
    // March stays open: its reading can still change
    expect((await me.call("PUT", `/api/meters/${meters[0]}/readings/2024-03`, { value: "114" })).status).toBe(200);

    // March: out of date (both apartments) until billed again, then posted: apt 1 114 − 105 = 9 → 450.00 + 1200.00; apt 2 210 − 204 = 6 → 300.00 + 1500.00
    expect((await post(me, house.id, "2024-03")).body.error).toMatchObject({ reason: "month_out_of_date", params: { invoices: 2 } });
    await bill(me, house.id, "2024-03");
    expect((await post(me, house.id, "2024-03")).status).toBe(200);
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "1650.00 posted", "2": "1800.00 posted" });

    // A posted invoice itself never changes, even written directly.
    await expect(
      db().execute(sql`update invoice set total = 0 where house_id = ${house.id} and period = '2024-02-01'`),
    ).rejects.toMatchObject({
      cause: { code: "KP001" },
    });
    await expect(db().execute(sql`delete from invoice where house_id = ${house.id} and period = '2024-02-01'`)).rejects.toMatchObject({
      cause: { code: "KP001" },
    });
  });

  it("drafts go out of date when the apartment, a meter, a price or an earlier month changes; billing again clears it", async () => {
    const { me, house, flats } = await twoMonthsOfDrafts();
    expect((await me.call("PATCH", `/api/apartments/${flats[0]}`, { area: "41" })).status).toBe(200);
    await me.create(`/api/apartments/${flats[1]}/meters`, { serial_number: `CW2-${phones}`, service: "cold_water" });
    expect(await totals(me, house.id, "2024-02")).toEqual({ "1": "1450.00 draft apartment", "2": "1650.00 draft meter" });
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "1550.00 draft apartment", "2": "1850.00 draft meter" });

    // a price from March: only March's drafts
    await me.create("/api/tariffs", { service: "maintenance", price: "35", valid_from: "2024-03" });
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "1550.00 draft apartment,price", "2": "1850.00 draft meter,price" });
    expect((await month(me, house.id, "2024-02")).body.state).toBe("out_of_date");

    // an archived apartment's draft no longer counts (runs do not bill it again); billing the
    // month again brings the rest up to date
    expect((await me.call("PATCH", `/api/apartments/${flats[0]}`, { archived: true })).status).toBe(200);
    const feb = (await month(me, house.id, "2024-02")).body;
    expect(feb.out_of_date.map((i: { apartment_number: string }) => i.apartment_number)).toEqual(["2"]);
    await bill(me, house.id, "2024-02");
    expect((await month(me, house.id, "2024-02")).body).toMatchObject({ state: "draft", out_of_date: [], can_post: true });
    // the board counts the same way (the archived apartment's draft keeps its mark)
    const board = (await me.call("GET", "/api/months/2024-02/board")).body;
    expect(board.houses.find((h: { house_id: number }) => h.house_id === house.id)).toMatchObject({ state: "draft", out_of_date: 0 });
  });

  it("billing an earlier month again marks the later drafts that true up its estimate", async () => {
    const me = await person();
    for (const service of ["cold_water", "maintenance"]) await me.create("/api/tariffs", { service, price: "10", valid_from: "2024-01" });
    const house = await me.create<{ id: number }>("/api/houses", { address: `ул. Оценочная, д. ${phones}` });
    const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "10" });
    const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, {
      serial_number: `EST-${phones}`,
      service: "cold_water",
    });
    await me.call("PUT", `/api/meters/${meter.id}/readings/2024-01`, { value: "100" });
    await me.call("PUT", `/api/meters/${meter.id}/readings/2024-03`, { value: "110" });
    // February has no reading (estimated: nobody registered, 0 m³); March trues up from January: 10 m³ × 10 + 100.00 = 200.00
    await bill(me, house.id, "2024-02");
    await bill(me, house.id, "2024-03");
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "200.00 draft" });
    await bill(me, house.id, "2024-02");
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "200.00 draft earlier_month" });
    expect(await totals(me, house.id, "2024-02")).toEqual({ "1": "100.00 draft" });

    // February's reading arrives: February (its month) and March (counted from January, before it)
    await me.call("PUT", `/api/meters/${meter.id}/readings/2024-02`, { value: "104" });
    expect(await totals(me, house.id, "2024-02")).toEqual({ "1": "100.00 draft reading" });
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "200.00 draft earlier_month,reading" });
  });
});

describe("reopening", () => {
  it("only the latest posted month, only by an owner, with a reason that is kept; once", async () => {
    const { me, house } = await twoMonthsOfDrafts();
    expect((await post(me, house.id, "2024-02")).status).toBe(200);
    expect((await post(me, house.id, "2024-03")).status).toBe(200);
    const reopen = (who: Me, period: string, body: unknown) => who.call("POST", `/api/houses/${house.id}/months/${period}/reopen`, body);

    expect((await reopen(me, "2024-02", { reason: "ошибка" })).body.error).toMatchObject({
      reason: "later_month_posted",
      params: { month: "2024-02", later: "2024-03" },
    });
    const blank = await reopen(me, "2024-03", { reason: "  " });
    expect(blank.status).toBe(422);

    // a member of the workspace (not its owner) may not
    const member = await person();
    await joinWorkspace(member.person, me.person.workspaceId, "accountant");
    const before = await snapshot();
    const notOwner = await reopen(member, "2024-03", { reason: "хочу" });
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.error).toMatchObject({
      code: "forbidden",
      reason: "role_forbidden",
      params: { role: "accountant", roles: "owner", workspace_id: me.person.workspaceId },
    });
    expect(await snapshot()).toEqual(before);

    const reopened = await reopen(me, "2024-03", { reason: "показания кв. 1 пришли с опозданием" });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body).toMatchObject({ state: "draft", closed: false, closed_through: "2024-02", posted_at: null, can_post: true });
    expect(reopened.body.events.map((e: { action: string; reason: string | null }) => [e.action, e.reason])).toEqual([
      ["post", null],
      ["reopen", "показания кв. 1 пришли с опозданием"],
    ]);
    expect(await totals(me, house.id, "2024-03")).toEqual({ "1": "1550.00 draft", "2": "1850.00 draft" });
    expect((await reopen(me, "2024-03", { reason: "ещё раз" })).body.error).toMatchObject({ reason: "month_not_posted" });
    // and March takes readings again
    expect((await me.call("GET", `/api/houses/${house.id}/months/2024-03`)).body.can_reopen).toBe(false);
  });

  it("refuses to post a month never billed, and a future month", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: `ул. Пустая, д. ${phones}` });
    expect((await post(me, house.id, "2024-05")).body.error).toMatchObject({ reason: "month_not_billed" });
    expect((await post(me, house.id, "2999-01")).status).toBe(422);
    expect((await month(me, house.id, "2024-05")).body).toMatchObject({ state: "not_billed", can_post: false, events: [] });
  });
});
