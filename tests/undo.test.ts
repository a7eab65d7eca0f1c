import { describe, expect, it } from "vitest";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { asNewPerson } from "./helpers/as-person";
import { billInline } from "./helpers/billing";
import { apiError } from "./helpers/fixtures";

// Mistakes that can be undone where the rules allow: a price is corrected or deleted until a
// month it is in force in is posted (its drafts go out of date meanwhile; 409 month_closed
// after); an apartment with invoices is archived instead of deleted: gone from the lists and
// from later runs, its invoices kept.

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

describe("a price billed into drafts", () => {
  it("is corrected and deleted, its drafts marked out of date; billed again at the new price; once the month is posted, 409 month_closed", async () => {
    const { call, house, price } = await billedHouse();
    const res = await call("PATCH", `/api/tariffs/${price.id}`, { price: "31" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const drafts = (await call("GET", `/api/houses/${house.id}/invoices?period=${BILLED}`)).body.items;
    expect(drafts.map((i: { total: string; out_of_date: string[] }) => [i.total, i.out_of_date])).toEqual([
      ["1200.00", ["price"]],
      ["1200.00", ["price"]],
    ]);
    // billed again: 40 m² × 31 = 1240.00 each, up to date; posted
    const run = await call("POST", `/api/houses/${house.id}/billing-runs`, { period: BILLED });
    await billInline(run.body.id);
    const rebilled = (await call("GET", `/api/houses/${house.id}/invoices?period=${BILLED}`)).body.items;
    expect(rebilled.map((i: { total: string; out_of_date: string[] }) => [i.total, i.out_of_date])).toEqual([
      ["1240.00", []],
      ["1240.00", []],
    ]);
    expect((await call("POST", `/api/houses/${house.id}/months/${BILLED}/post`)).status).toBe(200);
    for (const [method, body] of [
      ["PATCH", { price: "32" }],
      ["DELETE", undefined],
    ] as const) {
      const refused = await call(method, `/api/tariffs/${price.id}`, body);
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual(apiError("conflict", undefined, { reason: "month_closed" }));
      expect(refused.body.error.params).toMatchObject({ month: BEFORE, closed_through: BILLED, house_id: house.id });
    }
    expect((await call("GET", "/api/tariffs")).body.items[0]).toMatchObject({ id: price.id, price: "31.0000" });
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
    expect(detail.archived_apartments).toEqual([
      { id: one.id, number: "1", account_number: archived.body.account_number, archived_at: archived.body.archived_at },
    ]);
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
    // Created first, so that the price left unbilled has a lower id than the billed one (the
    // lines are looked up by service and price in that order: fragments.ts hasLines).
    const later = await me.create<{ id: number }>("/api/tariffs", { service: "maintenance", price: "33", valid_from: NOW });
    const price = await me.create<{ id: number; billed: boolean }>("/api/tariffs", {
      service: "maintenance",
      price: "30",
      valid_from: BEFORE,
    });
    expect(price.billed).toBe(false);
    expect(later.id).toBeLessThan(price.id);
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

// A posted month keeps the price it was billed with: a new price, or a price's first month
// moved, that would reach it is refused (409 month_closed); a draft month takes it and goes out of date.
describe("a price that would reach a billed month", () => {
  it("from a draft month: written, the drafts of its scope marked out of date; from a posted month: refused, nothing written", async () => {
    const { call, house } = await billedHouse();
    const other = (await call("POST", "/api/houses", { address: `ул. Соседняя, д. ${phones}` })).body;
    const ownPrice = await call("POST", "/api/tariffs", { service: "maintenance", price: "33", valid_from: BILLED, house_id: other.id });
    expect(ownPrice.status).toBe(201);
    // another house's own price does not reach this house's drafts
    const untouched = (await call("GET", `/api/houses/${house.id}/invoices?period=${BILLED}`)).body.items;
    expect(untouched.map((i: { out_of_date: string[] }) => i.out_of_date)).toEqual([[], []]);
    const created = await call("POST", "/api/tariffs", { service: "maintenance", price: "35", valid_from: BILLED });
    expect(created.status).toBe(201);
    const drafts = (await call("GET", `/api/houses/${house.id}/invoices?period=${BILLED}`)).body.items;
    expect(drafts.map((i: { out_of_date: string[] }) => i.out_of_date)).toEqual([["price"], ["price"]]);
    expect((await call("DELETE", `/api/tariffs/${created.body.id}`)).status).toBe(204);

    const run = await call("POST", `/api/houses/${house.id}/billing-runs`, { period: BILLED });
    await billInline(run.body.id);
    expect((await call("POST", `/api/houses/${house.id}/months/${BILLED}/post`)).status).toBe(200);
    const before = (await call("GET", "/api/tariffs")).body.items;
    for (const from of [BILLED, addMonths(BEFORE, -1)]) {
      const res = await call("POST", "/api/tariffs", { service: "maintenance", price: "35", valid_from: from });
      expect(res.status, from).toBe(409);
      expect(res.body).toEqual(apiError("conflict", undefined, { reason: "month_closed" }));
      expect(res.body.error.params).toEqual({
        month: from,
        closed_through: BILLED,
        house_id: house.id,
        address: expect.stringContaining("ул. Архивная"),
      });
    }
    expect((await call("GET", "/api/tariffs")).body.items).toEqual(before);
    // from the month after the posted one: fine; moving it onto the posted month is refused and it keeps its own
    const later = (await call("POST", "/api/tariffs", { service: "maintenance", price: "35", valid_from: NOW })).body;
    const moved = await call("PATCH", `/api/tariffs/${later.id}`, { price: "36", valid_from: BILLED });
    expect(moved.status).toBe(409);
    expect(moved.body.error).toMatchObject({ reason: "month_closed", params: { month: BILLED, house_id: house.id } });
    const kept = (await call("GET", "/api/tariffs")).body.items.find((t: { id: number }) => t.id === later.id);
    expect(kept).toMatchObject({ price: "35.0000", valid_from: NOW, billed: false });
    expect((await call("PATCH", `/api/tariffs/${later.id}`, { price: "36" })).status).toBe(200);
  });
});
