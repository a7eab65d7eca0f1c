import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_MEMBERS, DEMO_PENDING_PHONE, DEMO_PHONE, seedDemoData } from "../scripts/lib/demo-seed";
import { addMonths } from "../lib/months";
import { Dec } from "../lib/money";
import { api as call } from "./helpers/api";
import { signIn } from "./helpers/auth";
import { billInline } from "./helpers/billing";
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

  it("loads two houses, 60 apartments, cold and hot meters with six months of readings, tariffs, services and normatives", async () => {
    // 118 meters × 6 months, less the demo month of every 10th meter (11), the month before of
    // every 10th from the 5th (12), and four of the six months of apartment 4's meters (4 meters)
    expect(summary).toEqual({
      houses: 2,
      apartments: 60,
      meters: 118,
      readings: 669,
      tariffs: 10,
      services: 4,
      normatives: 2,
      invoices: 120,
      payments: 3,
      members: 3,
      pending: 1,
    });

    const houses = await api("GET", "/api/houses");
    expect(houses.body.items.map((h: { apartments_count: number }) => h.apartments_count)).toEqual([36, 24]);
  });

  it("numbers every apartment's account as a settlement centre would: ten digits, house and apartment, unique", async () => {
    const houses = (await api("GET", "/api/houses")).body.items as { id: number }[];
    const numbers: string[] = [];
    for (const [i, house] of houses.entries()) {
      const detail = (await api("GET", `/api/houses/${house.id}`)).body as { apartments: { number: string; account_number: string }[] };
      for (const a of detail.apartments) {
        expect(a.account_number).toBe(`77${String(i + 1).padStart(3, "0")}${a.number.padStart(5, "0")}`);
        numbers.push(a.account_number);
      }
    }
    expect(numbers).toHaveLength(60);
    expect(new Set(numbers).size).toBe(60);
  });

  it("reads the meters for six months up to the month before, with the gaps that make estimates, never decreasing", async () => {
    const { rows } = await db().execute<{ meter_id: number; apartment: string; periods: string[]; values: string[] }>(sql`
      select r.meter_id, a.number as apartment, array_agg(to_char(r.period, 'YYYY-MM') order by r.period) as periods,
             array_agg(r.value::text order by r.period) as values
      from meter_reading r join meter m on m.id = r.meter_id join apartment a on a.id = m.apartment_id
      group by r.meter_id, a.number order by r.meter_id`);
    expect(rows.length).toBe(118);
    const months = Array.from({ length: 6 }, (_, i) => addMonths(MONTH, i - 6));
    for (const [i, row] of rows.entries()) {
      // apartment 4: new meters, read in two months only; every 10th: the demo month missing;
      // every 10th from the 5th: the month before it missing
      const gap = row.apartment === "4" ? [0, 1, 2, 5] : (i + 1) % 10 === 0 ? [5] : (i + 1) % 10 === 5 ? [4] : [];
      expect(row.periods).toEqual(months.filter((_, k) => !gap.includes(k)));
      for (let i = 1; i < row.values.length; i++) expect(new Dec(row.values[i]).gte(row.values[i - 1])).toBe(true);
    }
  });

  it("bills the two months before the demo month, every apartment of both houses", async () => {
    const { rows } = await db().execute<{ period: string; status: string; invoices: number }>(sql`
      select to_char(period, 'YYYY-MM') as period, status::text as status, invoices from billing_run order by period`);
    expect([...rows]).toEqual([
      { period: addMonths(MONTH, -3), status: "completed", invoices: 60 },
      { period: addMonths(MONTH, -2), status: "completed", invoices: 60 },
    ]);
  });

  it("the board's counts for a demo month are right", async () => {
    // The demo month (the month before MONTH): the first house's 72 meters lack 9 readings (every
    // 10th meter: 7; apartment 4's two new ones), 63 read (floor(6300 / 72) = 87 %); by the
    // average the 7 unread with a history and the 25th, whose reading is past its verification (8),
    // by the normative apartment 4's two; past verification the 25th and the 50th. The second
    // house's 46 meters (73rd to 118th) lack 6 (the 80th, 90th, 100th, 110th and apartment 4's
    // two), 40 read (86 %); by the average the 80th, 90th, 100th, 110th and the 75th (past its
    // verification) (5), by the normative 2; past verification the 75th and the 100th. Nothing
    // billed yet and nothing blocks: both still collecting.
    const demo = addMonths(MONTH, -1);
    const board = await api("GET", `/api/months/${demo}/board`);
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    const none = { invoices: 0, out_of_date: 0, blocking: [], closed: false, posted_at: null };
    expect(board.body.houses).toEqual([
      {
        house_id: expect.any(Number),
        address: "г. Москва, ул. Лесная, д. 12",
        state: "collecting",
        apartments: 36,
        meters: 72,
        readings: 63,
        missing: 9,
        percent: 87,
        estimated_average: 8,
        estimated_normative: 2,
        verification_expired: 2,
        apartments_without_invoice: 36,
        ...none,
      },
      {
        house_id: expect.any(Number),
        address: "г. Москва, Солнечный проезд, д. 5, корп. 2",
        state: "collecting",
        apartments: 24,
        meters: 46,
        readings: 40,
        missing: 6,
        percent: 86,
        estimated_average: 5,
        estimated_normative: 2,
        verification_expired: 2,
        apartments_without_invoice: 24,
        ...none,
      },
    ]);
    // 103 of 118: floor(10300 / 118) = 87 %
    expect(board.body.totals).toEqual({
      houses: 2,
      apartments: 60,
      meters: 118,
      readings: 103,
      missing: 15,
      percent: 87,
      estimated_average: 13,
      estimated_normative: 4,
      verification_expired: 4,
      invoices: 0,
      apartments_without_invoice: 60,
      out_of_date: 0,
      states: { collecting: 2, blocked: 0, ready: 0, draft: 0, out_of_date: 0, posted: 0 },
    });

    // The month before it was billed by the seed: drafts of every apartment; every 10th meter from
    // the 5th lacks its reading (7 in the first house, 5 in the second).
    const before = await api("GET", `/api/months/${addMonths(MONTH, -2)}/board`);
    expect(
      before.body.houses.map((h: { state: string; invoices: number; readings: number; meters: number }) => [
        h.state,
        h.invoices,
        h.readings,
        h.meters,
      ]),
    ).toEqual([
      ["draft", 36, 65, 72],
      ["draft", 24, 41, 46],
    ]);
    // And the month before that, posted by the seed for both houses.
    const posted = await api("GET", `/api/months/${addMonths(MONTH, -3)}/board`);
    expect(posted.body.houses.map((h: { state: string; invoices: number; closed: boolean }) => [h.state, h.invoices, h.closed])).toEqual([
      ["posted", 36, true],
      ["posted", 24, true],
    ]);
    expect(posted.body.houses.every((h: { posted_at: string | null }) => h.posted_at !== null)).toBe(true);
    expect(posted.body.totals.states).toEqual({ collecting: 0, blocked: 0, ready: 0, draft: 0, out_of_date: 0, posted: 2 });
  });

  it("posts the earlier of them for both houses; the later stays a draft", async () => {
    const { rows } = await db().execute<{ period: string; posted: number; drafts: number; houses: number; events: number }>(sql`
      select to_char(i.period, 'YYYY-MM') as period, count(*) filter (where i.posted_at is not null)::int as posted,
             count(*) filter (where i.posted_at is null)::int as drafts,
             (select count(*)::int from house_month hm where hm.period = i.period) as houses,
             (select count(*)::int from house_month_event e where e.period = i.period and e.action = 'post') as events
      from invoice i group by i.period order by i.period`);
    expect([...rows]).toEqual([
      { period: addMonths(MONTH, -3), posted: 60, drafts: 0, houses: 2, events: 2 },
      { period: addMonths(MONTH, -2), posted: 0, drafts: 60, houses: 0, events: 0 },
    ]);
  });

  it("charges the posted month to the accounts; in the first house one apartment paid in full, one half, one not at all, one owes an opening balance", async () => {
    const [first, second] = (await api("GET", "/api/houses")).body.items;
    // 5 days after the charge's due date (the 15th): overdue, no penalty yet
    const asOf = `${addMonths(MONTH, -2)}-20`;
    const debtors = await api("GET", `/api/houses/${first.id}/debtors?as_of=${asOf}`);
    expect(debtors.status).toBe(200);
    expect(debtors.body.apartments_in_debt).toBe(35);
    const byNumber = new Map(debtors.body.debtors.map((d: { number: string }) => [d.number, d]));
    expect(byNumber.has("1")).toBe(false);

    const account = async (number: string) => {
      const house = await api("GET", `/api/houses/${first.id}`);
      const id = house.body.apartments.find((a: { number: string }) => a.number === number).id;
      return (await api("GET", `/api/apartments/${id}/account?as_of=${asOf}`)).body;
    };
    const [one, two, three, five] = await Promise.all(["1", "2", "3", "5"].map(account));
    const charged = (a: { months: { charged: string }[] }) => a.months[0].charged;
    expect(one).toMatchObject({ balance: "0.00", credit: "0.00" });
    expect(one.months).toHaveLength(1);
    expect(one.months[0]).toMatchObject({ period: addMonths(MONTH, -3), paid: charged(one), owed: "0.00" });
    expect(new Dec(two.months[0].paid).times(2).minus(charged(two)).abs().lte("0.01")).toBe(true);
    expect(two.balance).toBe(new Dec(charged(two)).minus(two.months[0].paid).toFixed(2));
    expect(three).toMatchObject({ balance: charged(three), months_overdue: 1, oldest_overdue_month: addMonths(MONTH, -3) });
    expect(three.months[0]).toMatchObject({ paid: "0.00", owed: charged(three), days_overdue: 5, penalty_accrued: "0.00" });
    // the payment paid the opening balance first
    expect(five.opening).toEqual({ amount: "2350.00", paid: "1000.00", owed: "1350.00" });
    expect(five.balance).toBe(new Dec(charged(five)).plus("1350").toFixed(2));
    // in the order recorded: the opening balance was entered after the month was posted, dated before it
    expect(five.entries.map((e: { kind: string }) => e.kind)).toEqual(["charge", "opening", "payment"]);

    // the second house: charged, nobody paid
    const others = await api("GET", `/api/houses/${second.id}/debtors?as_of=${asOf}`);
    expect(others.body.apartments_in_debt).toBe(24);
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

  it("admits an accountant, an operator and a viewer to the demo workspace, and leaves one activation pending", async () => {
    const demo = await signIn(DEMO_PHONE);
    const members = await call("GET", `/api/workspaces/${demo.workspaceId}/members`, undefined, { token: demo.token });
    expect(members.status).toBe(200);
    expect(members.body.items.map((m: { phone: string; role: string; status: string }) => [m.phone, m.status, m.role])).toEqual([
      [DEMO_PENDING_PHONE, "pending", "viewer"],
      [DEMO_PHONE, "active", "owner"],
      ...DEMO_MEMBERS.map((m) => [m.phone, "active", m.role]),
    ]);
    const profile = await api("GET", "/api/profile");
    expect(profile.body.activated_your_code).toEqual([...DEMO_MEMBERS.map((m) => m.phone), DEMO_PENDING_PHONE]);

    // Each sees the register with their role; the pending one sees nothing of it.
    const houses = async (phone: string) =>
      (await call("GET", "/api/houses", undefined, { token: (await signIn(phone)).token })).body.items;
    for (const { phone } of DEMO_MEMBERS) expect((await houses(phone)).length, phone).toBe(2);
    expect(await houses(DEMO_PENDING_PHONE)).toEqual([]);
    const operator = (await signIn(DEMO_MEMBERS[1].phone)).token;
    const [first] = await houses(DEMO_MEMBERS[1].phone);
    const rename = await call("PATCH", `/api/houses/${first.id}`, { address: "ул. Оператора" }, { token: operator });
    expect(rename.status).toBe(403);
  });

  it("does nothing when the database already has houses", async () => {
    const { rows: before } = await db().execute(sql`select count(*)::int as n from meter_reading`);
    expect(await seedDemoData(db(), MONTH)).toBeNull();
    expect((await db().execute(sql`select count(*)::int as n from meter_reading`)).rows).toEqual(before);
  });

  it("bills the month before with every kind of line: estimates, an expired verification, and the services of every basis", async () => {
    const [first] = (await api("GET", "/api/houses")).body.items;
    const run = await call("POST", `/api/houses/${first.id}/billing-runs`, { period: addMonths(MONTH, -1) }, { token: demoToken });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await billInline(run.body.id);
    expect((await api("GET", `/api/billing-runs/${run.body.id}`)).body).toMatchObject({ status: "completed", processed: 36 });

    // The first house's 72 meters in the demo month: every 10th lacks the month's reading (7),
    // the 25th and the 50th are past their verification (the 50th also lacks the reading): 8 by
    // the average, the 25th's present reading flagged verification_expired; apartment 4's two
    // new meters by the normative (2 people); every 10th from the 5th (7, the 25th among them but
    // counted with the expired) was estimated the month before and is read now: trued up; the
    // rest on their readings.
    const { rows: kinds } = await db().execute<{ kind: string; n: number; expired: number }>(sql`
      select v.kind::text as kind, count(*)::int as n,
             count(*) filter (where l.details->'meters' @> '[{"flags": ["verification_expired"]}]')::int as expired
      from meter_volume v join invoice i on i.id = v.invoice_id
      join invoice_line l on l.invoice_id = i.id and l.kind = 'meter'
        and l.details->'meters' @> jsonb_build_array(jsonb_build_object('meter_id', v.meter_id))
      where i.house_id = ${first.id} and i.period = ${`${addMonths(MONTH, -1)}-01`}::date group by v.kind order by v.kind`);
    expect([...kinds]).toEqual([
      { kind: "actual", n: 56, expired: 0 },
      { kind: "true_up", n: 6, expired: 0 },
      { kind: "average", n: 8, expired: 1 },
      { kind: "normative", n: 2, expired: 0 },
    ]);
    const { rows: lines } = await db().execute<{ kind: string; n: number }>(sql`
      select l.kind::text as kind, count(*)::int as n from invoice_line l join invoice i on i.id = l.invoice_id
      where i.house_id = ${first.id} and i.period = ${`${addMonths(MONTH, -1)}-01`}::date group by l.kind order by l.kind`);
    // cold and hot water per apartment, wastewater, maintenance + heating + capital repair, solid waste, intercom
    expect([...lines]).toEqual([
      { kind: "meter", n: 72 },
      { kind: "water_sum", n: 36 },
      { kind: "area", n: 108 },
      { kind: "residents", n: 36 },
      { kind: "apartment", n: 36 },
    ]);
  });
});

describe("demo data ownership", () => {
  it("is invisible to anyone but the demo person", async () => {
    const other = await call("GET", "/api/houses");
    expect(other.body.total).toBe(0);
  });
});
