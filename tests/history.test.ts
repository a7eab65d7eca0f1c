import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { historyPage, type HistoryEntry as Entry } from "../lib/schemas/responses";
import { api } from "./helpers/api";
import { asNewPerson } from "./helpers/as-person";
import { joinWorkspace, signIn } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { db, historySince, lastHistoryId } from "./helpers/db";
import { apiError } from "./helpers/fixtures";

// The history (issue 15): what drizzle/0015_roles-history.sql records for each kind of write,
// made through the API's handlers, and what GET /api/history and GET /api/apartments/:id/history
// read back. Each test works in a workspace of its own person, so its entries are its own.

type Me = Awaited<ReturnType<typeof asNewPerson>>;

let phones = 0;
const person = () => asNewPerson(`+7999630${String(++phones).padStart(4, "0")}`);

const mark = lastHistoryId;

/** Every entry of the database after the mark (any workspace), read directly. */
const rowsSince = async (since: number) => (await historySince(since)).map(({ entity, action }) => ({ entity, action }));

/** The caller's workspace entries after the mark, oldest first, read through the API (checked against its schema). */
async function since(me: Me, from: number, query = ""): Promise<Entry[]> {
  const res = await me.call<{ items: Entry[]; next_before: number | null }>("GET", `/api/history?limit=200${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(historyPage.safeParse(res.body).success).toBe(true);
  return res.body.items.filter((e) => e.id > from).reverse();
}

/** Makes the call and returns the one entry it left (failing if it left another number). */
async function oneEntry(me: Me, call: () => Promise<{ status: number; body: unknown; headers: Headers }>, status: number) {
  const { entries, body } = await entriesOf(me, call, status, 1);
  return { entry: entries[0], body };
}

/** The `count` entries one call leaves, oldest first, each with the call's request id. */
async function entriesOf(me: Me, call: () => Promise<{ status: number; body: unknown; headers: Headers }>, status: number, count: number) {
  const before = await mark();
  const res = await call();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const entries = await since(me, before);
  expect(entries, JSON.stringify(entries, null, 1)).toHaveLength(count);
  expect(await rowsSince(before)).toHaveLength(count);
  for (const entry of entries) expect(entry.request_id).toBe(res.headers.get("x-request-id"));
  return { entries, body: res.body as any };
}

const byPerson = (me: Me) => ({
  kind: "person",
  person_id: me.person.personId,
  phone: me.person.phone,
  api_key_id: null,
  api_key_name: null,
});

/** A workspace that bills cold water (50 ₽/m³) and maintenance (30 ₽/m²) only, with one house, flat and meter. */
async function billable(me: Me) {
  const services = (await me.call("GET", "/api/services")).body.items as { id: number; code: string }[];
  const wastewater = services.find((s) => s.code === "wastewater")!;
  expect((await me.call("PATCH", `/api/services/${wastewater.id}`, { active: false })).status).toBe(200);
  await me.create("/api/tariffs", { service: "cold_water", price: "50", valid_from: "2024-01" });
  await me.create("/api/tariffs", { service: "maintenance", price: "30", valid_from: "2024-01" });
  const house = await me.create<{ id: number }>("/api/houses", { address: `ул. Историческая, д. ${phones}` });
  const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "40" });
  const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, {
    serial_number: `H-${phones}`,
    service: "cold_water",
  });
  for (const [period, value] of [
    ["2024-01", "100"],
    ["2024-02", "105"],
  ]) {
    expect((await me.call("PUT", `/api/meters/${meter.id}/readings/${period}`, { value })).status).toBeLessThan(300);
  }
  return { services, house, flat, meter };
}

/** The database's refusal of a statement on the history: the trigger's error, SQLSTATE KP002. */
async function refusal(statement: ReturnType<typeof sql>) {
  const error = await db()
    .execute(statement)
    .then(
      () => null,
      (e: unknown) => e as Error & { cause?: { code?: string; message?: string } },
    );
  expect(error, "the statement must be refused").not.toBeNull();
  const cause = error!.cause ?? (error as { code?: string; message: string });
  return { code: cause.code, message: cause.message };
}

describe("the history is append-only in the database", () => {
  it("refuses UPDATE, DELETE and TRUNCATE of history to the app's own connection, and keeps every entry", async () => {
    await person();
    const count = async () => Number((await db().execute<{ n: string }>(sql`select count(*) as n from history`)).rows[0].n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    expect(await refusal(sql`update history set entity = 'house' where id = (select max(id) from history)`)).toEqual({
      code: "KP002",
      message: "the history is append-only: UPDATE is refused",
    });
    expect(await refusal(sql`delete from history`)).toEqual({ code: "KP002", message: "the history is append-only: DELETE is refused" });
    expect(await refusal(sql`truncate history`)).toEqual({ code: "KP002", message: "the history is append-only: TRUNCATE is refused" });
    expect(await count()).toBe(before);
  });
});

describe("each write leaves exactly one entry", () => {
  it("a house created, renamed and deleted: insert, update, delete with the row before and after and who did it", async () => {
    const me = await person();
    const created = await oneEntry(me, () => me.call("POST", "/api/houses", { address: "ул. Первая, 1" }), 201);
    const houseId = created.body.id as number;
    expect(created.entry).toEqual({
      id: expect.any(Number),
      at: expect.any(String),
      who: byPerson(me),
      operation: "createHouse",
      request_id: expect.any(String),
      entity: "house",
      entity_id: String(houseId),
      action: "insert",
      house_id: houseId,
      apartment_id: null,
      before: null,
      after: { id: houseId, workspace_id: me.person.workspaceId, address: "ул. Первая, 1", created_at: expect.any(String) },
      changes: [],
    });
    expect(new Date(created.entry.at).toISOString()).toBe(created.entry.at);

    const renamed = await oneEntry(me, () => me.call("PATCH", `/api/houses/${houseId}`, { address: "ул. Вторая, 2" }), 200);
    expect(renamed.entry).toMatchObject({
      operation: "updateHouse",
      action: "update",
      before: { address: "ул. Первая, 1" },
      after: { address: "ул. Вторая, 2" },
      changes: ["address"],
    });

    const deleted = await oneEntry(me, () => me.call("DELETE", `/api/houses/${houseId}`), 204);
    expect(deleted.entry).toMatchObject({
      operation: "deleteHouse",
      entity: "house",
      entity_id: String(houseId),
      action: "delete",
      before: { id: houseId, address: "ул. Вторая, 2" },
      after: null,
      changes: [],
    });
  });

  it("an apartment's area changed: before and after are exact decimal strings", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Площадная, 3" });
    const created = await oneEntry(me, () => me.call("POST", `/api/houses/${house.id}/apartments`, { number: "7", area: "45.5" }), 201);
    const flatId = created.body.id as number;
    expect(created.entry).toMatchObject({
      entity: "apartment",
      entity_id: String(flatId),
      action: "insert",
      house_id: house.id,
      apartment_id: flatId,
      after: { id: flatId, house_id: house.id, number: "7", area: "45.50", residents: expect.any(Number) },
    });

    const changed = await oneEntry(me, () => me.call("PATCH", `/api/apartments/${flatId}`, { area: "50" }), 200);
    expect(changed.entry).toMatchObject({ action: "update", before: { area: "45.50" }, after: { area: "50.00" }, changes: ["area"] });

    const deleted = await oneEntry(me, () => me.call("DELETE", `/api/apartments/${flatId}`), 204);
    expect(deleted.entry).toMatchObject({ entity: "apartment", action: "delete", before: { area: "50.00", number: "7" }, after: null });
  });

  it("a meter added, changed and removed; a reading put, then changed from 12.345 to 13.000; the same value again leaves none", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Водная, 4" });
    const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "30" });
    const added = await oneEntry(
      me,
      () => me.call("POST", `/api/apartments/${flat.id}/meters`, { serial_number: "M-1", service: "cold_water" }),
      201,
    );
    const meterId = added.body.id as number;
    expect(added.entry).toMatchObject({
      entity: "meter",
      entity_id: String(meterId),
      action: "insert",
      house_id: house.id,
      apartment_id: flat.id,
      after: { serial_number: "M-1", service: "cold_water" },
    });
    const renamed = await oneEntry(me, () => me.call("PATCH", `/api/meters/${meterId}`, { serial_number: "M-2" }), 200);
    expect(renamed.entry).toMatchObject({ action: "update", before: { serial_number: "M-1" }, after: { serial_number: "M-2" } });
    expect(renamed.entry.changes).toEqual(["serial_number"]);

    const put = await oneEntry(me, () => me.call("PUT", `/api/meters/${meterId}/readings/2024-03`, { value: "12.345" }), 201);
    expect(put.entry).toMatchObject({
      operation: "putReading",
      entity: "reading",
      action: "insert",
      house_id: house.id,
      apartment_id: flat.id,
      after: { meter_id: meterId, value: "12.345" },
    });
    expect(put.entry.after).not.toHaveProperty("updated_at");
    const changed = await oneEntry(me, () => me.call("PUT", `/api/meters/${meterId}/readings/2024-03`, { value: "13" }), 200);
    expect(changed.entry).toMatchObject({
      entity: "reading",
      entity_id: put.entry.entity_id,
      action: "update",
      before: { value: "12.345" },
      after: { value: "13.000" },
      changes: ["value"],
    });
    const from = await mark();
    expect((await me.call("PUT", `/api/meters/${meterId}/readings/2024-03`, { value: "13.000" })).status).toBe(200);
    expect(await rowsSince(from)).toEqual([]);

    const removed = await oneEntry(me, () => me.call("DELETE", `/api/meters/${meterId}`), 204);
    expect(removed.entry).toMatchObject({ entity: "meter", action: "delete", before: { serial_number: "M-2" } });
  });

  it("a price changed, a service switched off for a house (then for one more: one entry each), a billing run started, a month posted and reopened", async () => {
    const me = await person();
    const { services, house } = await billable(me);
    const tariffs = (await me.call("GET", "/api/tariffs")).body.items as { id: number; service: string }[];
    const cold = tariffs.find((t) => t.service === "cold_water")!;
    const price = await oneEntry(me, () => me.call("PATCH", `/api/tariffs/${cold.id}`, { price: "55.5" }), 200);
    expect(price.entry).toMatchObject({
      entity: "tariff",
      entity_id: String(cold.id),
      action: "update",
      before: { price: "50.0000" },
      after: { price: "55.5000" },
      changes: ["price"],
    });

    const hot = services.find((s) => s.code === "hot_water")!;
    const other = await me.create<{ id: number }>("/api/houses", { address: "ул. Соседняя, 5" });
    const off = await oneEntry(me, () => me.call("PATCH", `/api/services/${hot.id}`, { switched_off_houses: [other.id] }), 200);
    expect(off.entry).toMatchObject({
      entity: "service_house_off",
      entity_id: `${hot.id}:${other.id}`,
      action: "insert",
      house_id: other.id,
      after: { service_id: hot.id, house_id: other.id },
    });
    // The list is replaced, but a house that stays switched off is not deleted and re-added.
    const more = await oneEntry(me, () => me.call("PATCH", `/api/services/${hot.id}`, { switched_off_houses: [other.id, house.id] }), 200);
    expect(more.entry).toMatchObject({ entity_id: `${hot.id}:${house.id}`, action: "insert" });
    const back = await oneEntry(me, () => me.call("PATCH", `/api/services/${hot.id}`, { switched_off_houses: [other.id] }), 200);
    expect(back.entry).toMatchObject({ entity_id: `${hot.id}:${house.id}`, action: "delete", after: null });

    const run = await oneEntry(me, () => me.call("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-02" }), 202);
    expect(run.entry).toMatchObject({
      operation: "startHouseBillingRun",
      entity: "billing_run",
      entity_id: String(run.body.id),
      action: "insert",
      house_id: house.id,
      after: { status: "queued" },
    });
    // The run's own progress is the worker's, not anyone's change.
    const billed = await mark();
    await billInline(run.body.id);
    expect((await me.call("GET", `/api/billing-runs/${run.body.id}`)).body).toMatchObject({ status: "completed" });
    expect(await rowsSince(billed)).toEqual([]);

    // posting also charges the flat's account: an entry of its own (issue 16)
    const posted = await entriesOf(me, () => me.call("POST", `/api/houses/${house.id}/months/2024-02/post`), 200, 2);
    expect(posted.entries[1]).toMatchObject({ operation: "postHouseMonth", entity: "ledger", action: "insert", after: { kind: "charge" } });
    expect(posted.entries[0]).toMatchObject({
      operation: "postHouseMonth",
      entity: "month",
      entity_id: `${house.id}:2024-02`,
      action: "insert",
      house_id: house.id,
      before: null,
    });
    const reopened = await entriesOf(
      me,
      () => me.call("POST", `/api/houses/${house.id}/months/2024-02/reopen`, { reason: "исправить показание" }),
      200,
      2,
    );
    expect(reopened.entries[1]).toMatchObject({ entity: "ledger", action: "insert", after: { kind: "reversal" } });
    expect(reopened.entries[0]).toMatchObject({
      operation: "reopenHouseMonth",
      entity: "month",
      entity_id: `${house.id}:2024-02`,
      action: "delete",
      after: null,
    });
  });

  it("a house deleted with its apartments, meters and readings (a cascade) is one entry", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Снесённая, 6" });
    for (const number of ["1", "2"]) {
      const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number, area: "30" });
      const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, {
        serial_number: `C-${number}`,
        service: "cold_water",
      });
      expect((await me.call("PUT", `/api/meters/${meter.id}/readings/2024-01`, { value: "1" })).status).toBe(201);
    }
    const { rows } = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from meter_reading r join meter m on m.id = r.meter_id join apartment a on a.id = m.apartment_id where a.house_id = ${house.id}`,
    );
    expect(rows[0].n).toBe(2);
    const deleted = await oneEntry(me, () => me.call("DELETE", `/api/houses/${house.id}`), 204);
    expect(deleted.entry).toMatchObject({ entity: "house", action: "delete", entity_id: String(house.id) });
    const { rows: left } = await db().execute<{ n: number }>(sql`select count(*)::int as n from apartment where house_id = ${house.id}`);
    expect(left[0].n).toBe(0);
  });

  it("a service deleted with its prices and house switch-offs is one entry", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Мусорная, 6а" });
    const service = await me.create<{ id: number }>("/api/services", {
      code: "garbage",
      name_ru: "Вывоз мусора",
      name_en: "Garbage",
      basis: "apartment",
    });
    await me.create("/api/tariffs", { service: "garbage", price: "120", valid_from: "2024-01" });
    await me.create("/api/tariffs", { service: "garbage", price: "130", valid_from: "2024-01", house_id: house.id });
    expect((await me.call("PATCH", `/api/services/${service.id}`, { switched_off_houses: [house.id] })).status).toBe(200);
    const deleted = await oneEntry(me, () => me.call("DELETE", `/api/services/${service.id}`), 204);
    expect(deleted.entry).toMatchObject({
      entity: "service",
      action: "delete",
      entity_id: String(service.id),
      before: { code: "garbage" },
    });
    const { rows } = await db().execute<{ n: number }>(sql`select count(*)::int as n from tariff where service_id = ${service.id}`);
    expect(rows[0].n).toBe(0);
  });

  it("a month of readings saved from the sheet leaves one entry per reading, all of the one request", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Листовая, 7" });
    const meters: number[] = [];
    for (const number of ["1", "2", "3"]) {
      const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number, area: "30" });
      meters.push(
        (await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, { serial_number: `S-${number}`, service: "cold_water" })).id,
      );
    }
    const from = await mark();
    const res = await me.call("POST", `/api/houses/${house.id}/readings`, {
      period: "2024-05",
      readings: meters.map((meter_id, i) => ({ meter_id, value: `${10 + i}.5` })),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entries = await since(me, from);
    expect(entries).toHaveLength(3);
    expect(await rowsSince(from)).toHaveLength(3);
    expect(new Set(entries.map((e) => e.request_id))).toEqual(new Set([res.headers.get("x-request-id")]));
    expect(entries.map((e) => [e.entity, e.action, e.operation, e.after?.meter_id, e.after?.value])).toEqual(
      meters.map((id, i) => ["reading", "insert", "saveHouseReadings", id, `${10 + i}.500`]),
    );
  });

  it("a write with an API key names the key, not a person; the key's own use is not a change", async () => {
    const me = await person();
    const made = await oneEntry(me, () => me.call("POST", "/api/api-keys", { name: "1С выгрузка" }), 201);
    const key = made.body as { id: number; key: string };
    expect(made.entry).toMatchObject({ entity: "api_key", entity_id: String(key.id), action: "insert", after: { name: "1С выгрузка" } });
    expect(made.entry.after).not.toHaveProperty("key_hash");
    expect(JSON.stringify(made.entry)).not.toContain(key.key);

    const from = await mark();
    const res = await api("POST", "/api/houses", { address: "ул. Ключевая, 8" }, { token: key.key });
    expect(res.status).toBe(201);
    const entries = await since(me, from);
    expect(entries).toHaveLength(1);
    expect(await rowsSince(from)).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      who: { kind: "api_key", person_id: null, phone: null, api_key_id: key.id, api_key_name: "1С выгрузка" },
      operation: "createHouse",
      entity: "house",
    });
    expect((await me.call("GET", `/api/history?api_key_id=${key.id}`)).body.items.map((e: Entry) => e.id)).toEqual([entries[0].id]);
    const personal = (await me.call("GET", `/api/history?person_id=${me.person.personId}`)).body.items as Entry[];
    expect(personal.some((e) => e.id === made.entry.id)).toBe(true);
    expect(personal.some((e) => e.id === entries[0].id)).toBe(false);

    // The key is deleted: its entries stay, without its name.
    await oneEntry(me, () => me.call("DELETE", `/api/api-keys/${key.id}`), 204);
    const [kept] = (await me.call("GET", `/api/history?api_key_id=${key.id}&entity=house`)).body.items as Entry[];
    expect(kept.who).toEqual({ kind: "api_key", person_id: null, phone: null, api_key_id: key.id, api_key_name: null });
  });
});

describe("a refused write leaves no entry", () => {
  it("422, 409 and 403 role_forbidden change nothing, the history included", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Отказная, 9" });
    await me.create(`/api/houses/${house.id}/apartments`, { number: "1", area: "30" });
    const operator = await signIn(`+7999631${String(++phones).padStart(4, "0")}`);
    await joinWorkspace(operator, me.person.workspaceId, "operator");

    const from = await mark();
    const invalid = await me.call("POST", `/api/houses/${house.id}/apartments`, { number: "2", area: "-1" });
    expect(invalid.body).toEqual(apiError("validation_failed", "some"));
    expect(invalid.status).toBe(422);
    const taken = await me.call("POST", `/api/houses/${house.id}/apartments`, { number: "1", area: "30" });
    expect(taken.status).toBe(409);
    const forbidden = await api("DELETE", `/api/houses/${house.id}`, undefined, { token: operator.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.reason).toBe("role_forbidden");
    expect(await rowsSince(from)).toEqual([]);
  });
});

describe("reading the history", () => {
  it("filters by what, which, where and when; pages newest first with a cursor", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Фильтровая, 10" });
    const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "30" });
    const otherFlat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "2", area: "30" });
    const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, { serial_number: "F-1", service: "cold_water" });
    for (const period of ["2024-01", "2024-02", "2024-03"])
      await me.call("PUT", `/api/meters/${meter.id}/readings/${period}`, { value: "5" });
    const get = async (query: string) => {
      const res = await me.call("GET", `/api/history?${query}`);
      expect(res.status, `${query} ${JSON.stringify(res.body)}`).toBe(200);
      return res.body as { items: Entry[]; next_before: number | null };
    };

    const all = (await get("limit=200")).items;
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    expect((await get("entity=house")).items.map((e) => e.entity_id)).toEqual([String(house.id)]);
    expect((await get(`entity=apartment&entity_id=${otherFlat.id}`)).items.map((e) => e.apartment_id)).toEqual([otherFlat.id]);
    const ofFlat = (await get(`apartment_id=${flat.id}`)).items;
    expect(ofFlat.map((e) => e.entity)).toEqual(["reading", "reading", "reading", "meter", "apartment"]);
    expect((await get(`house_id=${house.id}`)).items).toHaveLength(7);
    expect((await get(`workspace_id=${me.person.workspaceId}&entity=reading`)).items).toHaveLength(3);

    const today = new Date().toISOString().slice(0, 10);
    const next = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
    const last = new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10);
    expect((await get(`entity=reading&from=${last}&to=${next}`)).items).toHaveLength(3);
    expect((await get(`entity=reading&from=${next}`)).items).toEqual([]);
    expect((await get(`entity=reading&to=${last}`)).items).toEqual([]);
    const newest = ofFlat[0];
    expect((await get(`apartment_id=${flat.id}&from=${encodeURIComponent(newest.at)}`)).items.map((e) => e.id)).toContain(newest.id);
    expect((await get(`apartment_id=${flat.id}&to=${encodeURIComponent(ofFlat[4].at)}`)).items.map((e) => e.id)).toContain(ofFlat[4].id);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const pages: number[][] = [];
    let cursor: number | null = null;
    do {
      const page: { items: Entry[]; next_before: number | null } = await get(`limit=2${cursor ? `&before=${cursor}` : ""}`);
      pages.push(page.items.map((e) => e.id));
      cursor = page.next_before;
      if (cursor !== null) expect(cursor).toBe(page.items[1].id);
    } while (cursor !== null);
    expect(pages.flat()).toEqual(all.map((e) => e.id));
    expect(pages.every((p) => p.length <= 2)).toBe(true);

    for (const query of ["limit=0", "limit=201", "entity=person", "before=abc", "from=2024-13-01", "to=yesterday", "colour=red"]) {
      const res = await me.call("GET", `/api/history?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body).toEqual(apiError("validation_failed", "some"));
    }
  });

  it("an apartment's history: its own, its meters' and readings' entries, still readable once it is deleted", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Квартирная, 11" });
    const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "30" });
    const neighbour = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "2", area: "30" });
    const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, { serial_number: "A-1", service: "hot_water" });
    await me.create(`/api/apartments/${neighbour.id}/meters`, { serial_number: "A-2", service: "hot_water" });
    expect((await me.call("PUT", `/api/meters/${meter.id}/readings/2024-01`, { value: "3.5" })).status).toBe(201);
    expect((await me.call("PATCH", `/api/apartments/${flat.id}`, { area: "31" })).status).toBe(200);

    const res = await me.call("GET", `/api/apartments/${flat.id}/history`);
    expect(res.status).toBe(200);
    expect(historyPage.safeParse(res.body).success).toBe(true);
    expect(res.body.items.map((e: Entry) => `${e.entity} ${e.action}`)).toEqual([
      "apartment update",
      "reading insert",
      "meter insert",
      "apartment insert",
    ]);
    const paged = await me.call("GET", `/api/apartments/${flat.id}/history?limit=3`);
    expect(paged.body.items).toHaveLength(3);
    expect(paged.body.next_before).toBe(paged.body.items[2].id);
    const rest = await me.call("GET", `/api/apartments/${flat.id}/history?limit=3&before=${paged.body.next_before}`);
    expect(rest.body).toEqual({ items: [res.body.items[3]], next_before: null });

    expect((await me.call("DELETE", `/api/apartments/${flat.id}`)).status).toBe(204);
    const after = await me.call("GET", `/api/apartments/${flat.id}/history`);
    expect(after.status).toBe(200);
    expect(after.body.items.map((e: Entry) => `${e.entity} ${e.action}`)).toEqual([
      "apartment delete",
      "apartment update",
      "reading insert",
      "meter insert",
      "apartment insert",
    ]);
    expect((await me.call("GET", "/api/apartments/2147483000/history")).status).toBe(404);
  });

  it("another workspace's entries are never visible; a viewer reads them; an operator is refused with 403 role_forbidden", async () => {
    const owner = await person();
    const stranger = await person();
    const house = await owner.create<{ id: number }>("/api/houses", { address: "ул. Чужая, 12" });
    const flat = await owner.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "30" });

    const foreignWorkspace = await stranger.call("GET", `/api/history?workspace_id=${owner.person.workspaceId}`);
    expect(foreignWorkspace.status).toBe(404);
    expect(foreignWorkspace.body).toEqual(apiError("not_found", undefined, { reason: "workspace_not_found" }));
    expect((await stranger.call("GET", `/api/apartments/${flat.id}/history`)).status).toBe(404);
    for (const query of [
      `house_id=${house.id}`,
      `apartment_id=${flat.id}`,
      `entity=house&entity_id=${house.id}`,
      `person_id=${owner.person.personId}`,
    ]) {
      expect((await stranger.call("GET", `/api/history?${query}`)).body, query).toEqual({ items: [], next_before: null });
    }
    const own = (await stranger.call("GET", "/api/history?limit=200")).body.items as Entry[];
    expect(own.every((e) => e.who.person_id !== owner.person.personId)).toBe(true);

    const viewer = await signIn(`+7999632${String(++phones).padStart(4, "0")}`);
    await joinWorkspace(viewer, owner.person.workspaceId, "viewer");
    const seen = await api("GET", `/api/history?workspace_id=${owner.person.workspaceId}&house_id=${house.id}`, undefined, {
      token: viewer.token,
    });
    expect(seen.status).toBe(200);
    expect(seen.body.items).toHaveLength(2);
    expect((await api("GET", `/api/apartments/${flat.id}/history`, undefined, { token: viewer.token })).status).toBe(200);

    const operator = await signIn(`+7999633${String(++phones).padStart(4, "0")}`);
    await joinWorkspace(operator, owner.person.workspaceId, "operator");
    for (const url of [`/api/history?workspace_id=${owner.person.workspaceId}`, `/api/apartments/${flat.id}/history`]) {
      const res = await api("GET", url, undefined, { token: operator.token });
      expect(res.status, url).toBe(403);
      expect(res.body).toEqual(apiError("forbidden", undefined, { reason: "role_forbidden" }));
    }
  });
});
