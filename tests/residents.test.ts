import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "../lib/env";
import { todayIn } from "../lib/ledger/dates";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { signIn, testPerson, type TestPerson } from "./helpers/auth";
import { db, historySince, lastHistoryId, snapshot } from "./helpers/db";
import { billInline } from "./helpers/billing";
import { createTariffs } from "./helpers/billing-runs";
import { createApartment, createHouse, createMeter, putReading } from "./helpers/fixtures";

// Issue 18, residents: a manager puts phones on an apartment; a person signed in with such a
// phone reaches that apartment (and only it) under /api/my, and sends its readings inside the
// workspace's window. The 404 matrix — a resident calling every operation with the workspace's
// ids — is a caller of tests/roles-matrix.test.ts.

const month = () => currentMonth(env().APP_TIMEZONE);
const today = () => Number(todayIn(env().APP_TIMEZONE).slice(8, 10));
/** A window with today in it, and one without (today the 1st: from the 2nd; else up to yesterday). */
const OPEN = () => ({ reading_window_from: today(), reading_window_to: today() });
const CLOSED = () =>
  today() === 1 ? { reading_window_from: 2, reading_window_to: 31 } : { reading_window_from: 1, reading_window_to: today() - 1 };

let manager: TestPerson;
let resident: TestPerson;
let phones = 0;
const freshPhone = () => `+7999555${String(++phones).padStart(4, "0")}`;

async function setWindow(person: TestPerson, window: { reading_window_from: number; reading_window_to: number }) {
  const res = await api("PATCH", `/api/workspaces/${person.workspaceId}/billing-settings`, window, { token: person.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A house of W with an apartment and a meter whose readings of the last months are `past` (oldest first). */
async function apartmentWithMeter(past: string[] = []) {
  const house = await createHouse();
  const apartment = await createApartment(house.id, { number: "7", area: "40.00" });
  const meter = await createMeter(apartment.id);
  for (const [i, value] of past.entries()) await putReading(meter.id, addMonths(month(), i - past.length), value);
  return { house, apartment, meter };
}

async function addResident(apartmentId: number, phone: string, kind = "owner", token?: string) {
  const res = await api("POST", `/api/apartments/${apartmentId}/residents`, { phone, kind }, token ? { token } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number };
}

const asResident = (method: string, path: string, body?: unknown) => api(method, path, body, { token: resident.token });

beforeAll(async () => {
  manager = await testPerson();
  resident = await signIn("+79995550000");
  await setWindow(manager, OPEN());
});

describe("a manager's residents of an apartment", () => {
  it("adds a phone in any form as E.164, lists, changes and removes it, each change in the history", async () => {
    const { apartment } = await apartmentWithMeter();
    const url = `/api/apartments/${apartment.id}/residents`;
    let since = await lastHistoryId();
    const added = await api("POST", url, { phone: "8 (999) 555-12-34", kind: "tenant", name: "Петрова А. П." });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ apartment_id: apartment.id, phone: "+79995551234", kind: "tenant", name: "Петрова А. П." });
    expect((await historySince(since)).map((e) => [e.entity, e.action, e.workspace_id, e.operation])).toEqual([
      ["resident", "insert", manager.workspaceId, "addResident"],
    ]);

    // the same phone written otherwise is the same resident: 409, nothing written
    const before = await snapshot();
    const again = await api("POST", url, { phone: "+7 999 555 12 34", kind: "owner" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ reason: "resident_exists", params: { phone: "+79995551234" } });
    expect(again.body.error.field_reasons.phone.reason).toBe("resident_exists");
    const bad = await api("POST", url, { phone: "12345", kind: "owner" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field_reasons.phone.reason).toBe("not_phone");
    expect((await api("POST", url, { phone: "+79995551235", kind: "landlord" })).body.error.field_reasons.kind.reason).toBe("not_one_of");
    expect(await snapshot()).toEqual(before);

    await addResident(apartment.id, "+79995551236", "owner");
    const list = await api("GET", url);
    expect(list.body.items.map((r: { phone: string; kind: string }) => [r.kind, r.phone])).toEqual([
      ["owner", "+79995551236"],
      ["tenant", "+79995551234"],
    ]);

    since = await lastHistoryId();
    const changed = await api("PATCH", `${url}/${added.body.id}`, { kind: "owner", name: "" });
    expect(changed.body).toMatchObject({ kind: "owner", name: "" });
    expect((await api("DELETE", `${url}/${added.body.id}`)).status).toBe(204);
    expect((await historySince(since)).map((e) => [e.entity, e.action])).toEqual([
      ["resident", "update"],
      ["resident", "delete"],
    ]);
    const gone = await api("DELETE", `${url}/${added.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.reason).toBe("resident_not_found");
  });

  it("a resident of another apartment is not found through this one", async () => {
    const a = await apartmentWithMeter();
    const b = await apartmentWithMeter();
    const r = await addResident(a.apartment.id, freshPhone());
    const res = await api("DELETE", `/api/apartments/${b.apartment.id}/residents/${r.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.reason).toBe("resident_not_found");
  });

  it("the reading window is a billing setting: 1–31, first day not after the last", async () => {
    const other = await signIn(freshPhone());
    const url = `/api/workspaces/${other.workspaceId}/billing-settings`;
    const call = (body: unknown) => api("PATCH", url, body, { token: other.token });
    expect((await api("GET", url, undefined, { token: other.token })).body).toMatchObject({
      reading_window_from: 15,
      reading_window_to: 25,
    });
    expect((await call({ reading_window_from: 20, reading_window_to: 20 })).body).toMatchObject({
      reading_window_from: 20,
      reading_window_to: 20,
    });
    const after = await call({ reading_window_from: 21 });
    expect(after.status).toBe(422);
    expect(after.body.error.field_reasons.reading_window_from).toEqual({ reason: "window_from_after_to", params: { from: 21, to: 20 } });
    expect((await call({ reading_window_to: 32 })).body.error.field_reasons.reading_window_to.reason).toBe("above_max");
    expect((await call({ reading_window_from: 0 })).body.error.field_reasons.reading_window_from.reason).toBe("below_min");
    expect((await call({ reading_window_to: 31 })).body).toMatchObject({
      payment_due_day: 15,
      reading_window_from: 20,
      reading_window_to: 31,
    });
  });
});

describe("a resident's own apartments", () => {
  it("lists the apartments of their phone in every workspace, with meters, window and balance", async () => {
    const person = await signIn(freshPhone());
    const { apartment, meter } = await apartmentWithMeter(["10.000", "12.500"]);
    await addResident(apartment.id, person.phone, "tenant");
    // a second management company puts the same phone on its apartment
    const company = await signIn(freshPhone());
    await setWindow(company, CLOSED());
    const house = (await api("POST", "/api/houses", { address: "ул. Вторая, 2" }, { token: company.token })).body;
    const theirs = (await api("POST", `/api/houses/${house.id}/apartments`, { number: "12", area: "30.00" }, { token: company.token }))
      .body;
    await addResident(theirs.id, person.phone, "owner", company.token);

    const res = await api("GET", "/api/my/apartments", undefined, { token: person.token });
    expect(res.status).toBe(200);
    const mine = res.body.items.find((a: { id: number }) => a.id === apartment.id);
    expect(mine).toMatchObject({
      number: "7",
      kind: "tenant",
      workspace_id: manager.workspaceId,
      period: month(),
      window: { from: today(), to: today(), open: true },
      balance: "0.00",
      meters: [{ id: meter.id, last: { period: addMonths(month(), -1), value: "12.500", source: "manager" }, current: null }],
    });
    expect(res.body.items.find((a: { id: number }) => a.id === theirs.id)).toMatchObject({
      number: "12",
      kind: "owner",
      address: "ул. Вторая, 2",
      workspace_id: company.workspaceId,
      window: { open: false },
      meters: [],
    });
    expect(res.body.items).toHaveLength(2);
    // one who is nobody's resident has none
    expect((await api("GET", "/api/my/apartments", undefined, { token: company.token })).body).toEqual({ items: [] });
  });

  it("answers 404 apartment_not_found for an apartment not theirs, as for one that does not exist, changing nothing", async () => {
    const { apartment: other, meter } = await apartmentWithMeter();
    const before = await snapshot();
    for (const id of [other.id, 999999]) {
      for (const [method, path, body] of [
        ["GET", `/api/my/apartments/${id}`],
        ["POST", `/api/my/apartments/${id}/readings`, { readings: [{ meter_id: meter.id, value: "1.000" }] }],
        ["GET", `/api/my/apartments/${id}/receipt?period=${month()}`],
      ] as const) {
        const res = await asResident(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error).toEqual({
          code: "not_found",
          reason: "apartment_not_found",
          message: `apartment ${id} not found`,
          params: { id },
        });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("shows the apartment's history with sources, the managers' invoices and account, and the receipt as they get it", async () => {
    const { house, apartment, meter } = await apartmentWithMeter(["10.000", "12.000"]);
    await addResident(apartment.id, resident.phone);
    await createTariffs(manager);
    const previous = addMonths(month(), -1);
    const run = await api("POST", `/api/houses/${house.id}/billing-runs`, { period: previous });
    await billInline(run.body.id);
    const res = await asResident("GET", `/api/my/apartments/${apartment.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.history).toEqual([
      {
        meter_id: meter.id,
        items: [
          { period: previous, value: "12.000", source: "manager", consumption: "2.000" },
          { period: addMonths(month(), -2), value: "10.000", source: "manager", consumption: null },
        ],
      },
    ]);
    const invoices = await api("GET", `/api/apartments/${apartment.id}/invoices`);
    expect(res.body.invoices).toHaveLength(1);
    expect(res.body.invoices).toEqual(invoices.body.items);
    expect(res.body.account).toEqual((await api("GET", `/api/apartments/${apartment.id}/account`)).body);
    expect(res.body.balance).toBe(res.body.account.balance);
    // the payment document: the same answer as the managers' (a PDF, or the same refusal)
    for (const period of [previous, month()]) {
      const receipt = await asResident("GET", `/api/my/apartments/${apartment.id}/receipt?period=${period}`);
      const managers = await api("GET", `/api/apartments/${apartment.id}/receipt?period=${period}`);
      expect(receipt.status, period).toBe(managers.status);
      expect(receipt.headers.get("content-type")).toBe(managers.headers.get("content-type"));
    }
  });
});

describe("a resident's readings", () => {
  const send = (apartmentId: number, body: unknown) => asResident("POST", `/api/my/apartments/${apartmentId}/readings`, body);

  it("are stored as the resident's, this month, and the manager's sheet shows them", async () => {
    const { house, apartment, meter } = await apartmentWithMeter(["100.000", "102.000", "104.000"]);
    await addResident(apartment.id, resident.phone);
    const since = await lastHistoryId();
    const res = await send(apartment.id, { readings: [{ meter_id: meter.id, value: "106.5" }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      apartment_id: apartment.id,
      period: month(),
      items: [{ meter_id: meter.id, value: "106.500", status: "created" }],
    });
    const { rows } = await db().execute(
      sql`select value::text, source, sent_by_person_id, sent_by_api_key_id from meter_reading where meter_id = ${meter.id} and period = ${`${month()}-01`}::date`,
    );
    expect(rows).toEqual([{ value: "106.500", source: "resident", sent_by_person_id: resident.personId, sent_by_api_key_id: null }]);
    const entries = await historySince(since);
    expect(entries.map((e) => [e.entity, e.action, e.person_id, e.operation, e.workspace_id])).toEqual([
      ["reading", "insert", resident.personId, "sendMyReadings", manager.workspaceId],
    ]);
    const sheet = await api("GET", `/api/houses/${house.id}/readings?period=${month()}`);
    expect(sheet.body.items[0].current.value).toBe("106.500");
    expect((await asResident("GET", `/api/my/apartments/${apartment.id}`)).body.meters[0].current).toEqual({
      period: month(),
      value: "106.500",
      source: "resident",
    });
  });

  it("are refused outside the window with 409 reading_window_closed; a manager's entry is not", async () => {
    const person = await signIn(freshPhone());
    const company = await signIn(freshPhone());
    await setWindow(company, CLOSED());
    const house = (await api("POST", "/api/houses", { address: "ул. Окна, 1" }, { token: company.token })).body;
    const apt = (await api("POST", `/api/houses/${house.id}/apartments`, { number: "1", area: "30.00" }, { token: company.token })).body;
    const meter = (
      await api("POST", `/api/apartments/${apt.id}/meters`, { serial_number: "W-1", service: "cold_water" }, { token: company.token })
    ).body;
    await addResident(apt.id, person.phone, "owner", company.token);
    const body = { readings: [{ meter_id: meter.id, value: "5.000" }] };
    const before = await snapshot();
    const res = await api("POST", `/api/my/apartments/${apt.id}/readings`, body, { token: person.token });
    expect(res.status).toBe(409);
    const window = CLOSED();
    expect(res.body.error).toMatchObject({
      reason: "reading_window_closed",
      params: { from: window.reading_window_from, to: window.reading_window_to },
    });
    expect(await snapshot()).toEqual(before);
    // the managers' own entry, by the sheet and by the meter, knows no window
    const put = await api("PUT", `/api/meters/${meter.id}/readings/${month()}`, { value: "5.000" }, { token: company.token });
    expect(put.status).toBe(201);
    const bulk = await api(
      "POST",
      `/api/houses/${house.id}/readings`,
      { period: month(), readings: [{ meter_id: meter.id, value: "6.000" }] },
      { token: company.token },
    );
    expect(bulk.status).toBe(200);
    // open again: the resident's reading replaces the manager's
    await setWindow(company, { reading_window_from: 1, reading_window_to: 31 });
    const sent = await api(
      "POST",
      `/api/my/apartments/${apt.id}/readings`,
      { readings: [{ meter_id: meter.id, value: "7" }] },
      { token: person.token },
    );
    expect(sent.body.items).toEqual([{ meter_id: meter.id, value: "7.000", status: "replaced" }]);
  });

  it("ask to confirm a suspicious value, naming it, and take it confirmed", async () => {
    // 2 m³ a month: 26 m³ is far above; a third month without use is suspicious too
    const high = await apartmentWithMeter(["100.000", "102.000", "104.000"]);
    const zero = await apartmentWithMeter(["50.000", "50.000", "50.000"]);
    for (const { apartment } of [high, zero]) await addResident(apartment.id, resident.phone);
    const before = await snapshot();
    const res = await send(high.apartment.id, { readings: [{ meter_id: high.meter.id, value: "130,000" }] });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", reason: "reading_suspicious", params: { refused: 1, of: 1 } });
    expect(res.body.error.field_reasons["readings.0.value"]).toEqual({
      reason: "suspicious_high",
      params: { value: "130.000", use: "26.000", usual: "2.000" },
    });
    const z = await send(zero.apartment.id, { readings: [{ meter_id: zero.meter.id, value: "50" }] });
    expect(z.body.error.field_reasons["readings.0.value"]).toEqual({ reason: "suspicious_zero", params: { value: "50.000", months: 3 } });
    expect(await snapshot()).toEqual(before);

    const confirmed = await send(high.apartment.id, {
      readings: [{ meter_id: high.meter.id, value: "130.000" }],
      confirm_suspicious: true,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.items[0]).toMatchObject({ value: "130.000", status: "created" });
  });

  it("are checked as the managers' grid: order, all or nothing, their own meters only, a closed month", async () => {
    const { house, apartment, meter } = await apartmentWithMeter(["100.000"]);
    const second = await createMeter(apartment.id, { service: "hot_water" });
    const elsewhere = await apartmentWithMeter();
    await addResident(apartment.id, resident.phone);
    const before = await snapshot();

    const below = await send(apartment.id, {
      readings: [
        { meter_id: second.id, value: "3.000" },
        { meter_id: meter.id, value: "99.000" },
      ],
    });
    expect(below.status).toBe(422);
    expect(below.body.error.reason).toBe("reading_out_of_order");
    expect(below.body.error.field_reasons).toEqual({
      "readings.1.value": {
        reason: "reading_below_previous",
        params: { value: "99.000", previous: "100.000", period: addMonths(month(), -1) },
      },
    });

    const foreign = await send(apartment.id, { readings: [{ meter_id: elsewhere.meter.id, value: "1.000" }] });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.field_reasons["readings.0.meter_id"]).toEqual({
      reason: "meter_not_in_apartment",
      params: { meter_id: elsewhere.meter.id, apartment_id: apartment.id },
    });
    const twice = await send(apartment.id, {
      readings: [
        { meter_id: second.id, value: "1.000" },
        { meter_id: second.id, value: "2.000" },
      ],
    });
    expect(twice.body.error.field_reasons["readings.1.meter_id"].reason).toBe("duplicate_meter");
    for (const value of ["-1", "1.2345", "abc", "1,2,3"]) {
      const res = await send(apartment.id, { readings: [{ meter_id: second.id, value }] });
      expect(res.status, value).toBe(422);
    }
    expect(await snapshot()).toEqual(before);

    // the house posted this month: 409 month_closed
    await db().execute(sql`insert into house_month (house_id, period) values (${house.id}, ${`${month()}-01`}::date)`);
    const closed = await send(apartment.id, { readings: [{ meter_id: meter.id, value: "101.000" }] });
    expect(closed.status).toBe(409);
    expect(closed.body.error.reason).toBe("month_closed");
  });
});
