import { describe, expect, it } from "vitest";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { signIn } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { apiError } from "./helpers/fixtures";

// Mistakes that can be undone where the rules allow: a price not yet billed is corrected or
// deleted (409 tariff_used once a month was billed with it); an apartment with invoices is
// archived instead of deleted: gone from the lists and from later runs, its invoices kept.

const NOW = currentMonth(env().APP_TIMEZONE);
const [BEFORE, BILLED] = [addMonths(NOW, -2), addMonths(NOW, -1)];

let phones = 0;
/** A person with a workspace of their own (workspace prices apply to all its houses). */
async function person() {
  const { token } = await signIn(`+7999410${String(++phones).padStart(4, "0")}`);
  const call = <T = any>(method: string, url: string, body?: unknown) => api<T>(method, url, body, { token });
  const create = async <T = any>(url: string, body: unknown) => {
    const res = await call<T>("POST", url, body);
    expect(res.status, `POST ${url} ${JSON.stringify(res.body)}`).toBe(201);
    return res.body;
  };
  return { call, create };
}

async function billedHouse() {
  const me = await person();
  const house = await me.create<{ id: number }>("/api/houses", { address: `ул. Архивная, д. ${phones}` });
  const price = await me.create<{ id: number }>("/api/tariffs", { service: "maintenance", price: "30", valid_from: BEFORE });
  const flats = [];
  for (const number of ["1", "2"])
    flats.push(await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number, area: "40" }));
  const run = await me.call("POST", `/api/houses/${house.id}/billing-runs`, { period: BILLED });
  expect(run.status).toBe(202);
  await billInline(run.body.id);
  return { ...me, house, price, flats };
}

describe("a price not yet billed", () => {
  it("is corrected: its amount and its first month", async () => {
    const me = await person();
    const price = await me.create<{ id: number }>("/api/tariffs", { service: "cold_water", price: "45.5", valid_from: NOW });
    const res = await me.call("PATCH", `/api/tariffs/${price.id}`, { price: "54,5", valid_from: BILLED });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: price.id, price: "54.5000", valid_from: BILLED, service: "cold_water" });
    expect((await me.call("GET", "/api/tariffs")).body.items).toEqual([res.body]);
  });

  it("is deleted", async () => {
    const me = await person();
    const price = await me.create<{ id: number }>("/api/tariffs", { service: "hot_water", price: "200", valid_from: NOW });
    expect((await me.call("DELETE", `/api/tariffs/${price.id}`)).status).toBe(204);
    expect((await me.call("GET", "/api/tariffs")).body.items).toEqual([]);
  });

  it("cannot take the month of another price of its scope and service (409 tariff_exists), nor be empty", async () => {
    const me = await person();
    await me.create("/api/tariffs", { service: "cold_water", price: "40", valid_from: BEFORE });
    const later = await me.create<{ id: number }>("/api/tariffs", { service: "cold_water", price: "45", valid_from: NOW });
    const res = await me.call("PATCH", `/api/tariffs/${later.id}`, { valid_from: BEFORE });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", "some", { reason: "tariff_exists" }));
    expect((await me.call("PATCH", `/api/tariffs/${later.id}`, {})).status).toBe(422);
  });

  it("of another workspace is not found", async () => {
    const owner = await person();
    const stranger = await person();
    const price = await owner.create<{ id: number }>("/api/tariffs", { service: "cold_water", price: "40", valid_from: NOW });
    const res = await stranger.call("DELETE", `/api/tariffs/${price.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found", undefined, { reason: "tariff_not_found" }));
  });
});

describe("a billed price", () => {
  it("is neither corrected nor deleted: 409 tariff_used with the number of invoices", async () => {
    const { call, price } = await billedHouse();
    for (const [method, body] of [
      ["PATCH", { price: "31" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await call(method, `/api/tariffs/${price.id}`, body);
      expect(res.status).toBe(409);
      expect(res.body).toEqual(apiError("conflict", undefined, { reason: "tariff_used" }));
      expect(res.body.error.params).toEqual({ invoices: 2 });
    }
    expect((await call("GET", "/api/tariffs")).body.items[0]).toMatchObject({ id: price.id, price: "30.0000" });
  });
});

describe("an apartment with invoices", () => {
  it("is archived instead of deleted: gone from the house, its counts and the next run; its invoices kept; brought back", async () => {
    const { call, house, flats } = await billedHouse();
    const [one, two] = flats;
    const refused = await call("DELETE", `/api/apartments/${one.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(apiError("conflict", undefined, { reason: "billed_cannot_delete" }));

    const archived = await call("PATCH", `/api/apartments/${one.id}`, { archived: true });
    expect(archived.status, JSON.stringify(archived.body)).toBe(200);
    expect(archived.body.archived_at).toEqual(expect.any(String));

    const detail = (await call("GET", `/api/houses/${house.id}`)).body;
    expect(detail.apartments.map((a: { id: number }) => a.id)).toEqual([two.id]);
    expect(detail).toMatchObject({ apartments_count: 1, total_area: "40.00" });
    expect(detail.archived_apartments).toEqual([{ id: one.id, number: "1", archived_at: archived.body.archived_at }]);
    // The summary is the house as the list shows it (this person's only house).
    const summary = (await call("GET", `/api/houses/${house.id}/summary`)).body;
    expect(summary).toMatchObject({ id: house.id, apartments_count: 1, total_area: "40.00", last_billed_period: BILLED });
    expect([summary]).toEqual((await call("GET", "/api/houses")).body.items);

    // The next month bills the other apartment only; the billed month keeps both invoices.
    const run = await call("POST", `/api/houses/${house.id}/billing-runs`, { period: NOW });
    expect(run.body.total).toBe(1);
    await billInline(run.body.id);
    expect((await call("GET", `/api/billing-runs/${run.body.id}`)).body).toMatchObject({ status: "completed", processed: 1, total: 1 });
    const next = (await call("GET", `/api/houses/${house.id}/invoices?period=${NOW}`)).body.items;
    expect(next.map((i: { apartment_id: number }) => i.apartment_id)).toEqual([two.id]);
    const kept = (await call("GET", `/api/houses/${house.id}/invoices?period=${BILLED}`)).body.items;
    expect(kept.map((i: { apartment_id: number }) => i.apartment_id).sort()).toEqual([one.id, two.id].sort());
    expect((await call("GET", `/api/apartments/${one.id}/invoices`)).body.items).toHaveLength(1);

    // Archiving again keeps the date; bringing it back puts it in the house again.
    expect((await call("PATCH", `/api/apartments/${one.id}`, { archived: true })).body.archived_at).toBe(archived.body.archived_at);
    const back = await call("PATCH", `/api/apartments/${one.id}`, { archived: false });
    expect(back.body.archived_at).toBeNull();
    expect((await call("GET", `/api/houses/${house.id}`)).body.apartments_count).toBe(2);
  });

  it("leaves the reading sheet with its meters when archived", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: "ул. Листовая, д. 9" });
    const flat = await me.create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "40" });
    await me.create(`/api/apartments/${flat.id}/meters`, { serial_number: `ARCH-${phones}`, service: "cold_water" });
    expect((await me.call("GET", `/api/houses/${house.id}/readings?period=${NOW}`)).body.items).toHaveLength(1);
    await me.call("PATCH", `/api/apartments/${flat.id}`, { archived: true });
    expect((await me.call("GET", `/api/houses/${house.id}/readings?period=${NOW}`)).body.items).toEqual([]);
  });
});
