import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api } from "./helpers/api";
import { signIn, testPerson, type TestPerson } from "./helpers/auth";
import { db, historySince, lastHistoryId } from "./helpers/db";

// The settings the ledger reads (issue 16): the payment due day, the key rates penalties are
// counted from, and the apartments' account numbers. Every change is history; bad input
// changes nothing.

const as = (who: TestPerson) => ({ token: who.token });
let phones = 0;
const newPerson = () => signIn(`+7999400${String(++phones).padStart(4, "0")}`);

/** The workspace's due day, key rates and their history entries, as stored. */
async function stored(workspaceId: number) {
  const {
    rows: [ws],
  } = await db().execute<{ day: number }>(sql`select payment_due_day as day from workspace where id = ${workspaceId}`);
  const { rows: rates } = await db().execute<{ valid_from: string; percent: string }>(
    sql`select valid_from::text, percent::text from key_rate where workspace_id = ${workspaceId} order by valid_from`,
  );
  const {
    rows: [h],
  } = await db().execute<{ n: number }>(sql`select count(*)::int as n from history where workspace_id = ${workspaceId}`);
  return { day: ws.day, rates, history: h.n };
}

const entries = async (since: number) =>
  (await historySince(since)).map((e) => ({
    entity: e.entity,
    entity_id: e.entity_id,
    action: e.action,
    operation: e.operation,
    workspace_id: e.workspace_id,
    before: e.before && { valid_from: e.before.valid_from, percent: e.before.percent, payment_due_day: e.before.payment_due_day },
    after: e.after && { valid_from: e.after.valid_from, percent: e.after.percent, payment_due_day: e.after.payment_due_day },
  }));

describe("payment due day", () => {
  it("is 15 by default, changes within 1–28 and leaves one workspace entry per change", async () => {
    const me = await testPerson();
    const url = `/api/workspaces/${me.workspaceId}/billing-settings`;
    expect(await api("GET", url)).toMatchObject({ status: 200, body: { payment_due_day: 15 } });

    for (const day of [1, 28, 10]) {
      const since = await lastHistoryId();
      const res = await api("PATCH", url, { payment_due_day: day });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ payment_due_day: day, reading_window_from: 15, reading_window_to: 25 });
      expect(await entries(since)).toEqual([
        expect.objectContaining({
          entity: "workspace",
          entity_id: String(me.workspaceId),
          action: "update",
          operation: "updateBillingSettings",
          workspace_id: me.workspaceId,
          after: expect.objectContaining({ payment_due_day: day }),
        }),
      ]);
    }
    expect((await api("GET", url)).body).toEqual({ payment_due_day: 10, reading_window_from: 15, reading_window_to: 25 });

    // the same day again changes nothing: no entry
    const since = await lastHistoryId();
    expect((await api("PATCH", url, { payment_due_day: 10 })).status).toBe(200);
    expect(await historySince(since)).toEqual([]);
  });

  it("refuses a day outside 1–28, a non-integer, a missing or unknown field with 422, changing nothing", async () => {
    const me = await testPerson();
    const url = `/api/workspaces/${me.workspaceId}/billing-settings`;
    const before = await stored(me.workspaceId);
    const cases: [unknown, string, string][] = [
      [{ payment_due_day: 0 }, "payment_due_day", "below_min"],
      [{ payment_due_day: 29 }, "payment_due_day", "above_max"],
      [{ payment_due_day: 31 }, "payment_due_day", "above_max"],
      [{ payment_due_day: -5 }, "payment_due_day", "below_min"],
      [{}, "body", "nothing_to_change"],
      [{ payment_due_day: 12, penalty: true }, "penalty", "unknown_field"],
    ];
    for (const [body, field, reason] of cases) {
      const res = await api("PATCH", url, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.field_reasons[field]?.reason, JSON.stringify(res.body)).toBe(reason);
    }
    // not a whole number (the field's message says what it takes)
    for (const value of [10.5, "15", null, true]) {
      const res = await api("PATCH", url, { payment_due_day: value });
      expect(res.status, JSON.stringify(value)).toBe(422);
      expect(res.body.error.fields.payment_due_day).toBe("must be a whole day of the month, 1–28");
    }
    expect((await api("PATCH", url, undefined, { rawBody: "{not json" })).status).toBe(400);
    expect(await stored(me.workspaceId)).toEqual(before);
  });

  it("is another workspace's business: 404, nothing changed", async () => {
    const me = await testPerson();
    const other = await newPerson();
    const before = await stored(other.workspaceId);
    const get = await api("GET", `/api/workspaces/${other.workspaceId}/billing-settings`);
    expect(get.status).toBe(404);
    expect(get.body.error.reason).toBe("workspace_not_found");
    expect((await api("PATCH", `/api/workspaces/${other.workspaceId}/billing-settings`, { payment_due_day: 3 })).status).toBe(404);
    expect((await api("PATCH", "/api/workspaces/999999/billing-settings", { payment_due_day: 3 })).status).toBe(404);
    expect((await api("GET", "/api/workspaces/abc/billing-settings")).status).toBe(422);
    expect(await stored(other.workspaceId)).toEqual(before);
    // and the other's own owner sees their 15
    expect((await api("GET", `/api/workspaces/${other.workspaceId}/billing-settings`, undefined, as(other))).body).toEqual({
      payment_due_day: 15,
      reading_window_from: 15,
      reading_window_to: 25,
    });
    expect(me.workspaceId).not.toBe(other.workspaceId);
  });
});

describe("key rates", () => {
  it("lists the seeded Bank of Russia history oldest first, with the capped penalty rate", async () => {
    const me = await newPerson();
    const res = await api("GET", `/api/workspaces/${me.workspaceId}/key-rates`, undefined, as(me));
    expect(res.status).toBe(200);
    const items = res.body.items as { valid_from: string; percent: string; penalty_percent: string }[];
    expect(items.map((r) => r.valid_from)).toEqual([...items.map((r) => r.valid_from)].sort());
    const byDay = Object.fromEntries(items.map((r) => [r.valid_from, r]));
    // before the cap: the key rate itself
    expect(byDay["2021-12-20"]).toEqual({ valid_from: "2021-12-20", percent: "8.50", penalty_percent: "8.50" });
    // 20 % from 2022-02-28, the cap's first day: 9.5
    expect(byDay["2022-02-28"]).toEqual({ valid_from: "2022-02-28", percent: "20.00", penalty_percent: "9.50" });
    // below the cap: as it is
    expect(byDay["2022-09-19"]).toEqual({ valid_from: "2022-09-19", percent: "7.50", penalty_percent: "7.50" });
    expect(byDay["2025-10-27"]).toEqual({ valid_from: "2025-10-27", percent: "16.50", penalty_percent: "9.50" });
  });

  it("adds, changes and removes a rate, each one history entry; the cap ends after 2026", async () => {
    const me = await newPerson();
    const url = (day: string) => `/api/workspaces/${me.workspaceId}/key-rates/${day}`;
    const entry = (action: string, operation: string, before: object | null, after: object | null) => ({
      entity: "key_rate",
      entity_id: "2027-02-16",
      action,
      operation,
      workspace_id: me.workspaceId,
      before: before && { payment_due_day: undefined, ...before },
      after: after && { payment_due_day: undefined, ...after },
    });

    let since = await lastHistoryId();
    const added = await api("PUT", url("2027-02-16"), { percent: "15.5" }, as(me));
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    // after 2026 the cap no longer applies
    expect(added.body).toEqual({ valid_from: "2027-02-16", percent: "15.50", penalty_percent: "15.50" });
    expect(await entries(since)).toEqual([entry("insert", "putKeyRate", null, { valid_from: "2027-02-16", percent: "15.50" })]);

    since = await lastHistoryId();
    const changed = await api("PUT", url("2027-02-16"), { percent: "14,25" }, as(me));
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ valid_from: "2027-02-16", percent: "14.25", penalty_percent: "14.25" });
    expect(await entries(since)).toEqual([
      entry("update", "putKeyRate", { valid_from: "2027-02-16", percent: "15.50" }, { valid_from: "2027-02-16", percent: "14.25" }),
    ]);

    // the same rate again: 200, nothing to record
    since = await lastHistoryId();
    expect((await api("PUT", url("2027-02-16"), { percent: "14.25" }, as(me))).status).toBe(200);
    expect(await historySince(since)).toEqual([]);

    // in the cap's period a new rate above 9.5 is capped
    const capped = await api("PUT", url("2026-12-22"), { percent: "12" }, as(me));
    expect(capped.body).toEqual({ valid_from: "2026-12-22", percent: "12.00", penalty_percent: "9.50" });

    const list = (await api("GET", `/api/workspaces/${me.workspaceId}/key-rates`, undefined, as(me))).body.items;
    expect(list.slice(-2)).toEqual([
      { valid_from: "2026-12-22", percent: "12.00", penalty_percent: "9.50" },
      { valid_from: "2027-02-16", percent: "14.25", penalty_percent: "14.25" },
    ]);

    since = await lastHistoryId();
    const removed = await api("DELETE", url("2027-02-16"), undefined, as(me));
    expect(removed.status).toBe(204);
    expect(await entries(since)).toEqual([entry("delete", "deleteKeyRate", { valid_from: "2027-02-16", percent: "14.25" }, null)]);
    const gone = await api("DELETE", url("2027-02-16"), undefined, as(me));
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ reason: "key_rate_not_found", params: { id: "2027-02-16" } });
    expect((await stored(me.workspaceId)).rates.at(-1)).toEqual({ valid_from: "2026-12-22", percent: "12.00" });
  });

  it("refuses a bad percent or date with 422, changing nothing", async () => {
    const me = await newPerson();
    const before = await stored(me.workspaceId);
    const bad: [string, unknown, string, string][] = [
      ["2027-01-01", { percent: "0" }, "percent", "below_min"],
      ["2027-01-01", { percent: "-1" }, "percent", "negative"],
      ["2027-01-01", { percent: "100" }, "percent", "above_max"],
      ["2027-01-01", { percent: "150.00" }, "percent", "above_max"],
      ["2027-01-01", { percent: "16.555" }, "percent", "too_many_decimals"],
      ["2027-01-01", { percent: "abc" }, "percent", "not_decimal"],
      ["2027-01-01", { percent: "" }, "percent", "empty"],
      ["2027-01-01", {}, "percent", "required"],
      ["2027-01-01", { percent: "16", note: "x" }, "note", "unknown_field"],
      ["2027-02-30", { percent: "16" }, "valid_from", "not_real_date"],
      ["2027-1-1", { percent: "16" }, "valid_from", "not_date"],
      ["tomorrow", { percent: "16" }, "valid_from", "not_date"],
      ["3000-01-01", { percent: "16" }, "valid_from", "date_out_of_range"],
    ];
    for (const [day, body, field, reason] of bad) {
      const res = await api("PUT", `/api/workspaces/${me.workspaceId}/key-rates/${day}`, body, as(me));
      expect(res.status, `${day} ${JSON.stringify(body)}`).toBe(422);
      expect(res.body.error.field_reasons[field]?.reason, JSON.stringify(res.body)).toBe(reason);
    }
    const del = await api("DELETE", `/api/workspaces/${me.workspaceId}/key-rates/2025-13-01`, undefined, as(me));
    expect(del.status).toBe(422);
    expect(await stored(me.workspaceId)).toEqual(before);
  });

  it("keeps each workspace's rates its own: another workspace's are not found", async () => {
    const me = await newPerson();
    const other = await newPerson();
    const before = await stored(other.workspaceId);
    for (const [method, path, body] of [
      ["GET", `/api/workspaces/${other.workspaceId}/key-rates`, undefined],
      ["PUT", `/api/workspaces/${other.workspaceId}/key-rates/2027-01-01`, { percent: "10" }],
      ["PUT", `/api/workspaces/${other.workspaceId}/key-rates/2025-10-27`, { percent: "10" }],
      ["DELETE", `/api/workspaces/${other.workspaceId}/key-rates/2025-10-27`, undefined],
    ] as const) {
      const res = await api(method, path, body, as(me));
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.reason).toBe("workspace_not_found");
    }
    expect(await stored(other.workspaceId)).toEqual(before);
    // my change is mine only
    expect((await api("PUT", `/api/workspaces/${me.workspaceId}/key-rates/2025-10-27`, { percent: "10" }, as(me))).status).toBe(200);
    expect(await stored(other.workspaceId)).toEqual(before);
    expect((await stored(me.workspaceId)).rates.find((r) => r.valid_from === "2025-10-27")?.percent).toBe("10.00");
  });
});

describe("account numbers", () => {
  const house = async (who: TestPerson, address: string) => (await api("POST", "/api/houses", { address }, as(who))).body.id as number;

  it("defaults to the id zero-padded to 8, takes a custom one, and shows it in the apartment and the house", async () => {
    const me = await newPerson();
    const h = await house(me, "ул. Счетов, д. 1");
    const plain = await api("POST", `/api/houses/${h}/apartments`, { number: "1", area: "40.00" }, as(me));
    expect(plain.status).toBe(201);
    expect(plain.body.account_number).toBe(String(plain.body.id).padStart(8, "0"));

    const custom = await api(
      "POST",
      `/api/houses/${h}/apartments`,
      { number: "2", area: "41.00", account_number: "  ЛС-77/0042 " },
      as(me),
    );
    expect(custom.status, JSON.stringify(custom.body)).toBe(201);
    expect(custom.body.account_number).toBe("ЛС-77/0042");
    expect((await api("GET", `/api/apartments/${custom.body.id}`, undefined, as(me))).body.account_number).toBe("ЛС-77/0042");

    const changed = await api("PATCH", `/api/apartments/${plain.body.id}`, { account_number: "7700100001" }, as(me));
    expect(changed.status).toBe(200);
    expect(changed.body.account_number).toBe("7700100001");

    await api("PATCH", `/api/apartments/${custom.body.id}`, { archived: true }, as(me));
    const detail = (await api("GET", `/api/houses/${h}`, undefined, as(me))).body;
    expect(detail.apartments.map((a: { number: string; account_number: string }) => [a.number, a.account_number])).toEqual([
      ["1", "7700100001"],
    ]);
    expect(detail.archived_apartments.map((a: { account_number: string }) => a.account_number)).toEqual(["ЛС-77/0042"]);
  });

  it("is unique in the workspace (409 account_number_taken), while another workspace may use the same number", async () => {
    const me = await newPerson();
    const other = await newPerson();
    const h1 = await house(me, "ул. Счетов, д. 2");
    const h2 = await house(me, "ул. Счетов, д. 3");
    const first = await api("POST", `/api/houses/${h1}/apartments`, { number: "1", area: "40.00", account_number: "A-1" }, as(me));
    expect(first.status).toBe(201);

    const before = await db().execute(sql`select count(*)::int as n from apartment`);
    // another house of the same workspace
    const taken = await api("POST", `/api/houses/${h2}/apartments`, { number: "1", area: "40.00", account_number: "A-1" }, as(me));
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: "conflict", reason: "account_number_taken" });
    expect(taken.body.error.field_reasons).toEqual({ account_number: { reason: "account_number_taken" } });
    expect((await db().execute(sql`select count(*)::int as n from apartment`)).rows).toEqual(before.rows);

    const second = await api("POST", `/api/houses/${h2}/apartments`, { number: "1", area: "40.00" }, as(me));
    const clash = await api("PATCH", `/api/apartments/${second.body.id}`, { account_number: "A-1", area: "45.00" }, as(me));
    expect(clash.status).toBe(409);
    expect(clash.body.error.reason).toBe("account_number_taken");
    const unchanged = (await api("GET", `/api/apartments/${second.body.id}`, undefined, as(me))).body;
    expect(unchanged).toMatchObject({ account_number: String(second.body.id).padStart(8, "0"), area: "40.00" });

    // the same apartment keeps its own number when saved again
    expect((await api("PATCH", `/api/apartments/${first.body.id}`, { account_number: "A-1" }, as(me))).status).toBe(200);

    // another workspace: fine
    const theirs = await house(other, "ул. Счетов, д. 2");
    const same = await api("POST", `/api/houses/${theirs}/apartments`, { number: "1", area: "40.00", account_number: "A-1" }, as(other));
    expect(same.status).toBe(201);
    expect(same.body.account_number).toBe("A-1");
  });

  it("refuses a bad account number with 422, changing nothing", async () => {
    const me = await newPerson();
    const h = await house(me, "ул. Счетов, д. 4");
    const apt = (await api("POST", `/api/houses/${h}/apartments`, { number: "1", area: "40.00" }, as(me))).body;
    const bad: [unknown, string][] = [
      ["", "empty"],
      ["   ", "empty"],
      ["1".repeat(21), "too_long"],
      ["12 34", "not_account_number"],
      ["12.34", "not_account_number"],
      ["№12", "not_account_number"],
      ["12\u0000", "control_characters"],
    ];
    const count = async () => (await db().execute(sql`select count(*)::int as n from apartment`)).rows[0];
    const before = await count();
    for (const [value, reason] of bad) {
      const created = await api("POST", `/api/houses/${h}/apartments`, { number: "2", area: "40.00", account_number: value }, as(me));
      expect(created.status, JSON.stringify(value)).toBe(422);
      expect(created.body.error.field_reasons.account_number.reason, JSON.stringify(value)).toBe(reason);
      const patched = await api("PATCH", `/api/apartments/${apt.id}`, { account_number: value }, as(me));
      expect(patched.status, JSON.stringify(value)).toBe(422);
    }
    for (const value of [1234, null]) {
      const created = await api("POST", `/api/houses/${h}/apartments`, { number: "2", area: "40.00", account_number: value }, as(me));
      expect(created.status).toBe(422);
      expect(created.body.error.fields.account_number).toBe("must be a string");
    }
    expect(await count()).toEqual(before);
    expect((await api("GET", `/api/apartments/${apt.id}`, undefined, as(me))).body.account_number).toBe(apt.account_number);
  });
});
