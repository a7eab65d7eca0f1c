import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { asNewPerson } from "./helpers/as-person";
import { billInline } from "./helpers/billing";
import { db, historySince, lastHistoryId, snapshot } from "./helpers/db";
import { apiError } from "./helpers/fixtures";
import { addMonths } from "../lib/months";

// The apartment's account (issue 16) through the API, every figure computed by hand below.
//
// Every apartment here is 50 m² with maintenance at 30 ₽/m² and a cold-water meter that reads
// the same every month, so each posted month charges exactly 1500.00. Wastewater is off.
// The penalty rate is the key rate capped at 9.5 % (Постановление № 474) — every key rate from
// 2023-08-15 on is above it — except where a case says otherwise:
//   1500.00 × 9.5 % = 142.50 a year-rate; a day in the 1/300 stretch = 0.475, in 1/130 ≈ 1.0962.

let phones = 0;
type Me = Awaited<ReturnType<typeof asNewPerson>>;

interface Setup {
  me: Me;
  workspaceId: number;
  houseId: number;
  flats: number[];
}

/** A workspace billing `apartments` flats of 50 m² for `months` (posted in order unless `post` is false). */
async function account(months: string[], options: { apartments?: number; dueDay?: number; post?: boolean } = {}): Promise<Setup> {
  const me = await asNewPerson(`+7999560${String(++phones).padStart(4, "0")}`);
  const workspaceId = (await me.call("GET", "/api/workspaces")).body.items[0].id as number;
  if (options.dueDay !== undefined) {
    await db().execute(sql`update workspace set payment_due_day = ${options.dueDay} where id = ${workspaceId}`);
  }
  const services = (await me.call("GET", "/api/services")).body.items as { id: number; code: string }[];
  const wastewater = services.find((s) => s.code === "wastewater")!;
  expect((await me.call("PATCH", `/api/services/${wastewater.id}`, { active: false })).status).toBe(200);
  const first = addMonths(months[0], -1);
  for (const [service, price] of [
    ["cold_water", "50"],
    ["maintenance", "30"],
  ])
    await me.create("/api/tariffs", { service, price, valid_from: first });
  const house = await me.create<{ id: number }>("/api/houses", { address: `ул. Счётная, д. ${phones}` });
  const flats: number[] = [];
  for (let n = 1; n <= (options.apartments ?? 1); n++) {
    const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: String(n), area: "50" });
    const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, {
      serial_number: `LG-${phones}-${n}`,
      service: "cold_water",
    });
    // and two months more, for a case that bills one later
    const last = months[months.length - 1];
    for (const period of [first, ...months, addMonths(last, 1), addMonths(last, 2)]) {
      const res = await me.call("PUT", `/api/meters/${meter.id}/readings/${period}`, { value: "10" });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    flats.push(flat.id);
  }
  for (const period of months) {
    const run = await me.call("POST", `/api/houses/${house.id}/billing-runs`, { period });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await billInline(run.body.id);
    if (options.post !== false) {
      const posted = await me.call("POST", `/api/houses/${house.id}/months/${period}/post`);
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    }
  }
  return { me, workspaceId, houseId: house.id, flats };
}

const pay = async (me: Me, apartmentId: number, paid_on: string, amount: string, extra: Record<string, string> = {}) => {
  const res = await me.call("POST", "/api/payments", { apartment_id: apartmentId, paid_on, amount, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; amount: string; source: string; reversed_by: number | null };
};

const accountOf = async (me: Me, apartmentId: number, asOf: string) => {
  const res = await me.call("GET", `/api/apartments/${apartmentId}/account?as_of=${asOf}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

/** period → "charged paid owed penalty" */
const monthsOf = (acc: { months: { period: string; charged: string; paid: string; owed: string; penalty_accrued: string }[] }) =>
  Object.fromEntries(acc.months.map((m) => [m.period, `${m.charged} ${m.paid} ${m.owed} ${m.penalty_accrued}`]));

describe("posting a month charges the accounts", () => {
  it("a charge per invoice, dated the month's last day and due on the 15th of the next; the penalties accrued by each posting become one entry; reopening reverses both and posting again writes them anew", async () => {
    // Nothing paid. Charges 1500.00 for 2024-02 (due Fri 2024-03-15), 03 (due Mon 04-15), 04 (due Wed 05-15).
    //   posting 2024-03 (as of 03-31): February is 16 days late → no penalty, no entry
    //   posting 2024-04 (as of 04-30): February 46 days → days 31..46 = 16 × 0.475 = 7.60; March 15 days → 0  ⇒ entry 7.60
    //   posting 2024-05 (as of 05-31): February 77 days → 47 × 0.475 = 22.325 → 22.33; March 46 → 7.60; April 16 → 0
    //                                  accrued 29.93 − entered 7.60 ⇒ entry 22.33
    const { me, houseId, flats } = await account(["2024-02", "2024-03", "2024-04", "2024-05"]);
    const acc = await accountOf(me, flats[0], "2024-05-31");
    expect(
      acc.entries.map((e: { kind: string; entry_date: string; amount: string; period: string; due_date: string | null }) => [
        e.kind,
        e.entry_date,
        e.amount,
        e.period,
        e.due_date,
      ]),
    ).toEqual([
      ["charge", "2024-02-29", "1500.00", "2024-02", "2024-03-15"],
      ["charge", "2024-03-31", "1500.00", "2024-03", "2024-04-15"],
      ["charge", "2024-04-30", "1500.00", "2024-04", "2024-05-15"],
      ["penalty", "2024-04-30", "7.60", "2024-04", null],
      ["charge", "2024-05-31", "1500.00", "2024-05", "2024-06-17"],
      ["penalty", "2024-05-31", "22.33", "2024-05", null],
    ]);
    expect(acc).toMatchObject({
      balance: "6029.93",
      penalties: { accrued: "29.93", charged: "29.93", not_charged: "0.00" },
      total_due: "6029.93",
      months_overdue: 3,
      oldest_overdue_month: "2024-02",
    });
    // June 15, 2024 is a Saturday: May's charge is due Monday the 17th (ГК РФ ст. 193)

    const before = await lastHistoryId();
    const reopened = await me.call("POST", `/api/houses/${houseId}/months/2024-05/reopen`, { reason: "показание исправлено" });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    const afterReopen = await accountOf(me, flats[0], "2024-05-31");
    const reversals = afterReopen.entries.filter((e: { kind: string }) => e.kind === "reversal");
    expect(reversals.map((e: { amount: string; entry_date: string; reason: string }) => [e.amount, e.entry_date, e.reason])).toEqual([
      ["-1500.00", "2024-05-31", "month reopened: показание исправлено"],
      ["-22.33", "2024-05-31", "month reopened: показание исправлено"],
    ]);
    expect(afterReopen).toMatchObject({ balance: "4507.60", penalties: { accrued: "29.93", charged: "7.60", not_charged: "22.33" } });
    const history = await historySince(before);
    expect(history.filter((h) => h.entity === "ledger").map((h) => [h.action, h.after?.kind, h.after?.amount, h.operation])).toEqual([
      ["insert", "reversal", "-1500.00", "reopenHouseMonth"],
      ["insert", "reversal", "-22.33", "reopenHouseMonth"],
    ]);

    expect((await me.call("POST", `/api/houses/${houseId}/months/2024-05/post`)).status).toBe(200);
    const reposted = await accountOf(me, flats[0], "2024-05-31");
    expect(reposted).toMatchObject({ balance: "6029.93", penalties: { accrued: "29.93", charged: "29.93", not_charged: "0.00" } });
    expect(
      reposted.entries.filter((e: { reversed_by: number | null; kind: string }) => e.kind !== "reversal" && e.reversed_by === null),
    ).toHaveLength(6);
  });
});

describe("allocation", () => {
  it("oldest first with an opening balance: the opening debt, then the charges by month; the rest is a credit that pays the next charge", async () => {
    // Opening debt 500.00 on 2024-01-31, February charged 1500.00.
    // 2024-03-10 pays 1000.00: opening 500.00, then 500.00 of February → February owes 1000.00.
    // 2024-03-12 pays 1600.00: February's 1000.00, then 600.00 is a credit.
    // Posting March (1500.00) takes the credit: March owes 900.00. Balance 500 + 3000 − 2600 = 900.00.
    const { me, houseId, flats } = await account(["2024-02"]);
    const opening = await me.call("PUT", `/api/apartments/${flats[0]}/opening-balance`, { amount: "500", date: "2024-01-31" });
    expect(opening.status, JSON.stringify(opening.body)).toBe(200);
    expect(opening.body.opening).toEqual({ amount: "500.00", paid: "0.00", owed: "500.00" });

    await pay(me, flats[0], "2024-03-10", "1000.00");
    const first = await accountOf(me, flats[0], "2024-03-10");
    expect(first.opening).toEqual({ amount: "500.00", paid: "500.00", owed: "0.00" });
    expect(monthsOf(first)).toEqual({ "2024-02": "1500.00 500.00 1000.00 0.00" });
    expect(first.balance).toBe("1000.00");

    await pay(me, flats[0], "2024-03-12", "1600,00");
    const over = await accountOf(me, flats[0], "2024-03-12");
    expect(over).toMatchObject({ balance: "-600.00", credit: "600.00", total_due: "-600.00" });

    // March is billed and posted only now; its charge is dated 2024-03-31
    const run = await me.call("POST", `/api/houses/${houseId}/billing-runs`, { period: "2024-03" });
    await billInline(run.body.id);
    expect((await me.call("POST", `/api/houses/${houseId}/months/2024-03/post`)).status).toBe(200);
    const next = await accountOf(me, flats[0], "2024-04-01");
    expect(monthsOf(next)).toEqual({ "2024-02": "1500.00 1500.00 0.00 0.00", "2024-03": "1500.00 600.00 900.00 0.00" });
    expect(next).toMatchObject({ balance: "900.00", credit: "0.00" });
  });

  it("a payment that names its month pays that month first, the rest the oldest", async () => {
    // February and March 1500.00 each, unpaid. 1700.00 naming 2024-03: March 1500.00, then 200.00 of February.
    const { me, flats } = await account(["2024-02", "2024-03"]);
    const p = await pay(me, flats[0], "2024-04-01", "1700", { period: "2024-03" });
    expect(p).toMatchObject({ amount: "1700.00", period: "2024-03", source: "manual" });
    expect(monthsOf(await accountOf(me, flats[0], "2024-04-01"))).toEqual({
      "2024-02": "1500.00 200.00 1300.00 0.00",
      "2024-03": "1500.00 1500.00 0.00 0.00",
    });
  });

  it("a reversal: the payment stays, marked, pays nothing; a second reversal is refused", async () => {
    const { me, flats } = await account(["2024-02"]);
    const p = await pay(me, flats[0], "2024-03-01", "1500.00", { external_id: "bank-77" });
    expect((await accountOf(me, flats[0], "2024-03-01")).balance).toBe("0.00");
    const before = await lastHistoryId();
    const reversed = await me.call("POST", `/api/payments/${p.id}/reverse`, { reason: "чужой платёж" });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    expect(reversed.body).toMatchObject({ id: p.id, amount: "1500.00", reversed_by: expect.any(Number) });
    const acc = await accountOf(me, flats[0], "2024-03-01");
    expect(acc.balance).toBe("1500.00");
    expect(
      acc.entries.map((e: { kind: string; amount: string; reverses_id: number | null; reason: string | null }) => [
        e.kind,
        e.amount,
        e.reverses_id,
        e.reason,
      ]),
    ).toEqual([
      ["charge", "1500.00", null, null],
      ["payment", "-1500.00", null, null],
      ["reversal", "1500.00", p.id, "чужой платёж"],
    ]);
    expect((await historySince(before)).map((h) => [h.entity, h.action, h.after?.kind, h.operation])).toEqual([
      ["ledger", "insert", "reversal", "reversePayment"],
    ]);
    const again = await me.call("POST", `/api/payments/${p.id}/reverse`, { reason: "ещё раз" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(apiError("conflict", undefined, { reason: "payment_already_reversed" }));
    // the bank id stays taken: the same bank line again is still a duplicate
    const dup = await me.call("POST", "/api/payments", {
      apartment_id: flats[0],
      paid_on: "2024-03-02",
      amount: "1500",
      external_id: "bank-77",
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ reason: "payment_duplicate", params: { external_id: "bank-77", payment_id: p.id } });
  });
});

describe("penalties (ЖК РФ ст. 155 ч. 14)", () => {
  it("a charge unpaid 111 days: 60 days at 1/300 and 21 at 1/130; with a partial payment in the 1/300 stretch", async () => {
    // February 2024: 1500.00 due 2024-03-15; day 111 is 2024-07-04.
    //   unpaid: 142.50 × (60/300 + 21/130) = 28.50 + 23.0192… = 51.5192… → 51.52
    // the other apartment pays 500.00 on day 45 (2024-04-29): 500 × 9.5 % × 15/300 = 2.375
    //   and the 1000.00 still unpaid: 95 × (60/300 + 21/130) = 19 + 15.3461… = 34.3461…; total 36.7211… → 36.72
    const { me, flats } = await account(["2024-02"], { apartments: 2 });
    await pay(me, flats[1], "2024-04-29", "500.00");
    const unpaid = await accountOf(me, flats[0], "2024-07-04");
    expect(unpaid.months[0]).toMatchObject({ period: "2024-02", due_date: "2024-03-15", days_overdue: 111, penalty_accrued: "51.52" });
    expect(unpaid).toMatchObject({
      balance: "1500.00",
      penalties: { accrued: "51.52", charged: "0.00", not_charged: "51.52" },
      total_due: "1551.52",
    });
    const partial = await accountOf(me, flats[1], "2024-07-04");
    expect(partial.months[0]).toMatchObject({ owed: "1000.00", penalty_accrued: "36.72" });
    expect(partial.total_due).toBe("1036.72");
  });

  it("each part at the key rate of its own day: a part paid at 7.5 %, the rest unpaid at 8.5 % (both under the 9.5 % cap)", async () => {
    // March 2023: 1500.00, due 2023-04-15 — a Saturday — so Monday 2023-04-17.
    // 500.00 paid 2023-06-06 (day 50; key rate 7.5 % since 2022-09-19): 500 × 7.5 % × 20/300 = 2.50
    // as of 2023-08-06 (day 111; key rate 8.5 % from 2023-07-24): 1000 × 8.5 % × (60/300 + 21/130) = 17 + 13.7307… = 30.7307…
    // total 33.2307… → 33.23
    const { me, flats } = await account(["2023-03"]);
    await pay(me, flats[0], "2023-06-06", "500");
    const acc = await accountOf(me, flats[0], "2023-08-06");
    expect(acc.months[0]).toMatchObject({ due_date: "2023-04-17", days_overdue: 111, penalty_accrued: "33.23" });
  });

  it("across a leap February: 2024-01-15 to 2024-04-15 is 91 days, one of them at 1/130", async () => {
    // December 2023: 1500.00 due Monday 2024-01-15. As of 2024-04-15: 16 + 29 + 31 + 15 = 91 days.
    //   142.50 × (60/300 + 1/130) = 28.50 + 1.0961… = 29.5961… → 29.60 (in a common year it would be day 90: 28.50)
    const { me, flats } = await account(["2023-12"]);
    const acc = await accountOf(me, flats[0], "2024-04-15");
    expect(acc.months[0]).toMatchObject({ due_date: "2024-01-15", days_overdue: 91, penalty_accrued: "29.60" });
    expect((await accountOf(me, flats[0], "2024-04-14")).months[0].penalty_accrued).toBe("28.50");
  });

  it("paid on the due date or on day 30: no penalty; on day 31: one day at 1/300; a due date on a Sunday moves to Monday", async () => {
    // February 2024, due day 15: 2024-03-15 (Friday). Day 30 is 2024-04-14, day 31 2024-04-15.
    //   one day: 142.50 / 300 = 0.475 → 0.48 (half-up)
    const { me, flats } = await account(["2024-02"], { apartments: 3 });
    await pay(me, flats[0], "2024-03-15", "1500");
    await pay(me, flats[1], "2024-04-14", "1500");
    await pay(me, flats[2], "2024-04-15", "1500");
    const penalties = [];
    for (const flat of flats) penalties.push((await accountOf(me, flat, "2024-06-01")).months[0].penalty_accrued);
    expect(penalties).toEqual(["0.00", "0.00", "0.48"]);

    // due day 10: 2024-03-10 is a Sunday, so February is due Monday 2024-03-11; paid 2024-04-10 is day 30
    const sunday = await account(["2024-02"], { dueDay: 10, apartments: 2 });
    await pay(sunday.me, sunday.flats[0], "2024-04-10", "1500");
    const paidOnDay30 = await accountOf(sunday.me, sunday.flats[0], "2024-06-01");
    expect(paidOnDay30.months[0]).toMatchObject({ due_date: "2024-03-11", penalty_accrued: "0.00" });
    expect((await accountOf(sunday.me, sunday.flats[1], "2024-04-11")).months[0]).toMatchObject({
      days_overdue: 31,
      penalty_accrued: "0.48",
    });
  });

  it("the opening balance and penalties accrue no penalty", async () => {
    // opening debt 10000.00 from 2023-01-31, nothing else: as of 2024-06-01 the account owes 10000.00 and no penalty
    const { me, flats } = await account(["2024-02"], { post: false });
    expect((await me.call("PUT", `/api/apartments/${flats[0]}/opening-balance`, { amount: "10000", date: "2023-01-31" })).status).toBe(200);
    const acc = await accountOf(me, flats[0], "2024-06-01");
    expect(acc).toMatchObject({ balance: "10000.00", penalties: { accrued: "0.00" }, months: [], months_overdue: 0 });
  });
});

describe("debtors", () => {
  it("a house's apartments that owe, the largest debt first, with months overdue and the house's total", async () => {
    // three flats, February and March posted (3000.00 each): flat 1 paid everything, flat 2 paid 1000.00, flat 3 nothing
    const { me, houseId, workspaceId, flats } = await account(["2024-02", "2024-03"], { apartments: 3 });
    await pay(me, flats[0], "2024-04-01", "3000");
    await pay(me, flats[1], "2024-04-01", "1000");
    const res = await me.call("GET", `/api/houses/${houseId}/debtors?as_of=2024-05-20`);
    expect(res.status).toBe(200);
    // flat 3: February 66 days late (36 × 0.475 = 17.10), March 35 days (5 × 0.475 = 2.375 → 2.38): 19.48 not entered yet
    // flat 2: 1000.00 paid February, which then owes 500.00: 500 × 9.5 % × 36/300 = 5.70; March 2.38 → 8.08
    expect(res.body).toMatchObject({ as_of: "2024-05-20", total_debt: "5000.00", apartments_in_debt: 2 });
    expect(
      res.body.debtors.map(
        (d: { number: string; debt: string; months_overdue: number; oldest_overdue_month: string; penalties_not_charged: string }) => [
          d.number,
          d.debt,
          d.months_overdue,
          d.oldest_overdue_month,
          d.penalties_not_charged,
        ],
      ),
    ).toEqual([
      ["3", "3000.00", 2, "2024-02", "19.48"],
      ["2", "2000.00", 2, "2024-02", "8.08"],
    ]);
    const all = await me.call("GET", `/api/debtors?workspace_id=${workspaceId}&as_of=2024-05-20`);
    expect(all.body.total_debt).toBe("5000.00");
  });
});

describe("payments: input and refusals", () => {
  it("by account number; listed with filters; the answer is a decimal string", async () => {
    const { me, flats, houseId } = await account(["2024-02"], { apartments: 2 });
    const {
      rows: [row],
    } = await db().execute<{ account_number: string }>(sql`select account_number from apartment where id = ${flats[1]}`);
    const res = await me.call("POST", "/api/payments", {
      account_number: row.account_number,
      paid_on: "2024-03-05",
      amount: 1234.5,
      payer: "Иванов И. И.",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      amount: "1234.50",
      apartment: { id: flats[1], account_number: row.account_number },
      payer: "Иванов И. И.",
    });
    await pay(me, flats[0], "2024-03-01", "10");
    const list = await me.call("GET", `/api/payments?house_id=${houseId}&from=2024-03-02&limit=10`);
    expect(list.body.payments.map((p: { amount: string }) => p.amount)).toEqual(["1234.50"]);
    const page = await me.call("GET", `/api/payments?house_id=${houseId}&limit=1`);
    expect(page.body.next_before).toBe(page.body.payments[0].id);
    const next = await me.call("GET", `/api/payments?house_id=${houseId}&limit=1&before=${page.body.next_before}`);
    expect(next.body).toMatchObject({ payments: [{ amount: "1234.50" }], next_before: null });
  });

  it("bad input gets a clear 4xx and changes nothing", async () => {
    const { me, flats } = await account(["2024-02"]);
    await pay(me, flats[0], "2024-03-01", "1", { external_id: "dup-1" });
    const before = await snapshot();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ apartment_id: flats[0], paid_on: "2024-03-01", amount: "0" }, 422, "invalid_input"],
      [{ apartment_id: flats[0], paid_on: "2024-03-01", amount: "-5" }, 422, "invalid_input"],
      [{ apartment_id: flats[0], paid_on: "2024-03-01", amount: "1.005" }, 422, "invalid_input"],
      [{ apartment_id: flats[0], paid_on: "2024-02-30", amount: "1" }, 422, "invalid_input"],
      [{ apartment_id: flats[0], paid_on: "2999-01-01", amount: "1" }, 422, "date_in_future"],
      [{ apartment_id: flats[0], paid_on: "2024-03-01", amount: "1", period: "2024-13" }, 422, "invalid_input"],
      [{ paid_on: "2024-03-01", amount: "1" }, 422, "invalid_input"],
      [{ apartment_id: flats[0], account_number: "x", paid_on: "2024-03-01", amount: "1" }, 422, "invalid_input"],
      [{ account_number: "nope", paid_on: "2024-03-01", amount: "1" }, 422, "account_number_unknown"],
      [{ apartment_id: 2147483000, paid_on: "2024-03-01", amount: "1" }, 404, "apartment_not_found"],
      [{ apartment_id: flats[0], paid_on: "2024-03-01", amount: "1", external_id: "dup-1" }, 409, "payment_duplicate"],
      [{ apartment_id: flats[0], paid_on: "2024-03-01", amount: "1", source: "import" }, 422, "invalid_input"],
    ];
    for (const [body, status, reason] of cases) {
      const res = await me.call("POST", "/api/payments", body);
      expect([res.status, res.body.error?.reason], `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toEqual([status, reason]);
    }
    expect((await me.call("POST", "/api/payments/999999/reverse", { reason: "x" })).status).toBe(404);
    expect((await me.call("POST", `/api/payments/1/reverse`, {})).status).toBe(422);
    expect((await me.call("PUT", `/api/apartments/${flats[0]}/opening-balance`, { amount: "1.234", date: "2024-01-01" })).status).toBe(422);
    expect((await me.call("GET", `/api/apartments/${flats[0]}/account?as_of=2024-02-31`)).status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  it("an apartment whose account has entries cannot be deleted: 409, and nothing goes; an opening balance of 0 reverses it", async () => {
    const { me, houseId } = await account(["2024-02"], { post: false });
    const fresh = await me.create<{ id: number }>(`/api/houses/${houseId}/apartments`, { number: "99", area: "10" });
    expect((await me.call("PUT", `/api/apartments/${fresh.id}/opening-balance`, { amount: "-20.50", date: "2024-01-31" })).status).toBe(
      200,
    );
    const before = await snapshot();
    const res = await me.call("DELETE", `/api/apartments/${fresh.id}`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", undefined, { reason: "billed_cannot_delete" }));
    expect(await snapshot()).toEqual(before);
    // an opening balance of 0 removes it (a reversal): the account is back to nothing, its entries stay
    const cleared = await me.call("PUT", `/api/apartments/${fresh.id}/opening-balance`, { amount: "0", date: "2024-01-31" });
    expect(cleared.body).toMatchObject({ balance: "0.00", opening: null });
    expect(cleared.body.entries.map((e: { kind: string; amount: string }) => `${e.kind} ${e.amount}`)).toEqual([
      "opening -20.50",
      "reversal 20.50",
    ]);
  });

  it("opening balances by account number, all or nothing", async () => {
    const { me, workspaceId, flats } = await account(["2024-02"], { apartments: 3, post: false });
    const { rows: numbers } = await db().execute<{ id: number; account_number: string }>(
      sql`select id, account_number from apartment where id in (${sql.join(flats, sql`, `)}) order by id`,
    );
    const [a, b, c] = numbers.map((n) => n.account_number);
    const before = await snapshot();
    const bad = await me.call("POST", "/api/opening-balances", {
      workspace_id: workspaceId,
      date: "2024-01-31",
      balances: [
        { account_number: a, amount: "100" },
        { account_number: "нет-такого", amount: "5" },
        { account_number: a, amount: "7" },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field_reasons).toEqual({
      "balances.1.account_number": { reason: "account_unknown" },
      "balances.2.account_number": { reason: "duplicate_account", params: { row: 0 } },
    });
    expect(await snapshot()).toEqual(before);
    const body = {
      date: "2024-01-31",
      balances: [
        { account_number: a, amount: "100" },
        { account_number: b, amount: "-25.5" },
      ],
    };
    expect((await me.call("POST", "/api/opening-balances", body)).body).toEqual({ date: "2024-01-31", set: 2, removed: 0, unchanged: 0 });
    // again, with one changed, one removed, one new
    const again = await me.call("POST", "/api/opening-balances", {
      date: "2024-01-31",
      balances: [
        { account_number: a, amount: "100.00" },
        { account_number: b, amount: "0" },
        { account_number: c, amount: "3000" },
      ],
    });
    expect(again.body).toEqual({ date: "2024-01-31", set: 1, removed: 1, unchanged: 1 });
    const balances = [];
    for (const flat of flats) balances.push((await accountOf(me, flat, "2024-02-01")).balance);
    expect(balances).toEqual(["100.00", "0.00", "3000.00"]);
  });

  it("account entries are never changed or removed in the database", async () => {
    const { flats } = await account(["2024-02"]);
    await expect(db().execute(sql`update ledger_entry set amount = 1 where apartment_id = ${flats[0]}`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/never changed/) },
    });
    await expect(db().execute(sql`delete from ledger_entry where apartment_id = ${flats[0]}`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/never changed/) },
    });
  });
});
