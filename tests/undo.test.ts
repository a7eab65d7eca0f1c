import { describe, expect, it } from "vitest";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { asNewPerson } from "./helpers/as-person";
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
  const { call, create } = await asNewPerson(`+7999410${String(++phones).padStart(4, "0")}`);
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

describe("billed, in the price lists", () => {
  it("is false until an invoice line uses the price, then true in GET /api/tariffs and the house's prices in force", async () => {
    const me = await person();
    const house = await me.create<{ id: number }>("/api/houses", { address: `ул. Счётная, д. ${phones}` });
    const price = await me.create<{ id: number; billed: boolean }>("/api/tariffs", {
      service: "maintenance",
      price: "30",
      valid_from: BEFORE,
    });
    expect(price.billed).toBe(false);
    const later = await me.create<{ id: number }>("/api/tariffs", { service: "maintenance", price: "33", valid_from: NOW });
    await me.create(`/api/houses/${house.id}/apartments`, { number: "1", area: "40" });
    const run = await me.call("POST", `/api/houses/${house.id}/billing-runs`, { period: BILLED });
    await billInline(run.body.id);

    const billed = Object.fromEntries(
      (await me.call("GET", "/api/tariffs")).body.items.map((t: { id: number; billed: boolean }) => [t.id, t.billed]),
    );
    expect(billed).toEqual({ [price.id]: true, [later.id]: false });
    const inForce = (await me.call("GET", `/api/houses/${house.id}`)).body.tariffs;
    expect(inForce).toEqual([expect.objectContaining({ id: later.id, billed: false })]);
  });
});

// A billed month keeps the price it was billed with: a new price, or a price's first month
// moved earlier, that would be in force for it is refused (409 tariff_covers_billed_month).
describe("a price that would take over a billed month", () => {
  it("is refused when created from the billed month or earlier, naming the month and the house, and nothing is written", async () => {
    const { call, house } = await billedHouse();
    const before = (await call("GET", "/api/tariffs")).body.items;
    for (const from of [BILLED, addMonths(BEFORE, 1), addMonths(BEFORE, -1)]) {
      const res = await call("POST", "/api/tariffs", { service: "maintenance", price: "35", valid_from: from });
      expect(res.status, from).toBe(from === addMonths(BEFORE, -1) ? 201 : 409);
      if (res.status === 201) {
        // earlier than the billed price's own month: the billed price still outranks it there
        expect((await call("DELETE", `/api/tariffs/${res.body.id}`)).status).toBe(204);
        continue;
      }
      expect(res.body).toEqual(apiError("conflict", { valid_from: expect.any(String) }, { reason: "tariff_covers_billed_month" }));
      expect(res.body.error.params).toEqual({ month: BILLED, house_id: house.id, address: expect.stringContaining("ул. Архивная") });
      expect(res.body.error.field_reasons.valid_from).toEqual({
        reason: "covers_billed_month",
        params: { month: BILLED, address: expect.stringContaining("ул. Архивная") },
      });
    }
    expect((await call("GET", "/api/tariffs")).body.items).toEqual(before);
    // from the month after the billed one: fine
    expect((await call("POST", "/api/tariffs", { service: "maintenance", price: "35", valid_from: NOW })).status).toBe(201);
  });

  it("is refused when its first month is moved onto the billed month, and keeps its own", async () => {
    const { call, house } = await billedHouse();
    const later = (await call("POST", "/api/tariffs", { service: "maintenance", price: "35", valid_from: NOW })).body;
    const res = await call("PATCH", `/api/tariffs/${later.id}`, { price: "36", valid_from: BILLED });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "tariff_covers_billed_month", params: { month: BILLED, house_id: house.id } });
    const kept = (await call("GET", "/api/tariffs")).body.items.find((t: { id: number }) => t.id === later.id);
    expect(kept).toMatchObject({ price: "35.0000", valid_from: NOW, billed: false });
    // its amount alone can still be corrected
    expect((await call("PATCH", `/api/tariffs/${later.id}`, { price: "36" })).status).toBe(200);
  });

  it("is allowed where it would not be in force: another house's own price, or a default under a house's own price", async () => {
    const me = await person();
    const billedHouse = await me.create<{ id: number }>("/api/houses", { address: `ул. Своя, д. ${phones}` });
    const other = await me.create<{ id: number }>("/api/houses", { address: `ул. Соседняя, д. ${phones}` });
    await me.create("/api/tariffs", { service: "maintenance", price: "30", valid_from: BEFORE, house_id: billedHouse.id });
    await me.create("/api/tariffs", { service: "maintenance", price: "20", valid_from: BEFORE });
    await me.create(`/api/houses/${billedHouse.id}/apartments`, { number: "1", area: "40" });
    const run = await me.call("POST", `/api/houses/${billedHouse.id}/billing-runs`, { period: BILLED });
    await billInline(run.body.id);

    // the billed house keeps its own price: a new default from the billed month does not reach it
    await me.create("/api/tariffs", { service: "maintenance", price: "25", valid_from: BILLED });
    await me.create("/api/tariffs", { service: "maintenance", price: "27", valid_from: BILLED, house_id: other.id });
    const res = await me.call("POST", "/api/tariffs", {
      service: "maintenance",
      price: "31",
      valid_from: BILLED,
      house_id: billedHouse.id,
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "tariff_covers_billed_month", params: { month: BILLED, house_id: billedHouse.id } });
  });
});
