import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apartment, house, meter, meterReading, tariff } from "../db/schema";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { testPerson } from "./helpers/auth";
import { db, snapshot } from "./helpers/db";
import { addInvoice, apiError, createApartment, createHouse, createMeter, putReading } from "./helpers/fixtures";

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

let workspaceId: number;
beforeAll(async () => {
  workspaceId = (await testPerson()).workspaceId;
});

describe("GET /api/houses", () => {
  it("lists each house with its apartment count and total area", async () => {
    const tag = "Shape-list";
    const withFlats = await createHouse(`${tag} ул. Ленина, 1`);
    await createApartment(withFlats.id, { number: "1", area: "45.50" });
    await createApartment(withFlats.id, { number: "2", area: "30.25" });
    const empty = await createHouse(`${tag} ул. Ленина, 2`);

    const res = await api("GET", `/api/houses?q=${encodeURIComponent(tag)}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: withFlats.id,
          workspace_id: workspaceId,
          address: `${tag} ул. Ленина, 1`,
          apartments_count: 2,
          total_area: "75.75",
          last_billed_period: null,
          created_at: expect.any(String),
        },
        {
          id: empty.id,
          workspace_id: workspaceId,
          address: `${tag} ул. Ленина, 2`,
          apartments_count: 0,
          total_area: "0.00",
          last_billed_period: null,
          created_at: expect.any(String),
        },
      ],
      total: 2,
      limit: 50,
      offset: 0,
    });
    const created = res.body.items[0].created_at;
    expect(new Date(created).toISOString()).toBe(created);
  });

  it("pages with limit and offset, oldest first, and reports the total of all pages", async () => {
    const before = (await api("GET", "/api/houses")).body.total as number;
    const houses = [];
    for (let i = 1; i <= 5; i++) houses.push(await createHouse(`Paging пр. Мира, ${i}`));

    const page = await api("GET", `/api/houses?limit=2&offset=${before + 2}`);

    expect(page.status).toBe(200);
    expect(page.body.total).toBe(before + 5);
    expect(page.body.limit).toBe(2);
    expect(page.body.offset).toBe(before + 2);
    expect(page.body.items.map((h: { id: number }) => h.id)).toEqual([houses[2].id, houses[3].id]);

    const last = await api("GET", `/api/houses?limit=2&offset=${before + 4}`);
    expect(last.body.items.map((h: { id: number }) => h.id)).toEqual([houses[4].id]);
    expect(last.body.total).toBe(before + 5);

    const beyond = await api("GET", `/api/houses?limit=2&offset=${before + 5}`);
    expect(beyond.status).toBe(200);
    expect(beyond.body).toEqual({ items: [], total: before + 5, limit: 2, offset: before + 5 });
  });

  it("counts the total over the search, not over the page", async () => {
    for (let i = 1; i <= 3; i++) await createHouse(`Counted ул. Гагарина, ${i}`);
    const res = await api("GET", "/api/houses?q=counted&limit=1");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.total).toBe(3);
  });

  it("refuses a limit outside 1–200 and a negative or non-numeric offset with 422", async () => {
    for (const query of ["limit=0", "limit=201", "limit=abc", "offset=-1", "offset=x"]) {
      const res = await api("GET", `/api/houses?${query}`);
      const field = query.split("=")[0];
      expect(res.status, query).toBe(422);
      expect(res.body, query).toEqual(apiError("validation_failed", { [field]: expect.any(String) }));
    }
    expect((await api("GET", "/api/houses?limit=200")).status).toBe(200);
  });

  it("refuses unknown query parameters", async () => {
    const res = await api("GET", "/api/houses?sort=address");
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { sort: expect.any(String) }));
  });

  describe("q (address search)", () => {
    const addresses = {
      percent: "Search ул. Ленина, 100%",
      digits: "Search ул. Ленина, 1005",
      underscore: "Search Проспект_Мира, 1",
      space: "Search Проспект Мира, 2",
      latin: "Search Baker Street, 221b",
    };
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      for (const [key, address] of Object.entries(addresses)) ids[key] = (await createHouse(address)).id;
    });
    const search = async (q: string) => {
      const res = await api("GET", `/api/houses?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return (res.body.items as { id: number }[]).map((h) => h.id);
    };

    it("matches part of the address regardless of case", async () => {
      expect(await search("BAKER street")).toEqual([ids.latin]);
      expect(await search("search ПРОСПЕКТ")).toEqual([ids.underscore, ids.space]);
    });

    it("matches % literally instead of as a wildcard", async () => {
      expect(await search("100%")).toEqual([ids.percent]);
      expect(await search("%")).toEqual([ids.percent]);
    });

    it("matches _ literally instead of as a single-character wildcard", async () => {
      expect(await search("Проспект_Мира")).toEqual([ids.underscore]);
      expect(await search("_")).toEqual([ids.underscore]);
    });

    it("finds nothing for an address that is not there", async () => {
      const res = await api("GET", `/api/houses?q=${encodeURIComponent("ул. Несуществующая")}`);
      expect(res.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    });
  });
});

describe("POST /api/houses", () => {
  it("creates the house and answers 201 with it, address trimmed", async () => {
    const res = await api("POST", "/api/houses", { address: "  ул. Садовая, д. 5  " });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      workspace_id: workspaceId,
      address: "ул. Садовая, д. 5",
      apartments_count: 0,
      total_area: "0.00",
      last_billed_period: null,
      created_at: expect.any(String),
      apartments: [],
      archived_apartments: [],
      tariffs_month: thisMonth(),
      // which prices are in force is covered under GET /api/houses/:id
      tariffs: expect.any(Array),
    });
    const [row] = await db().select().from(house).where(eq(house.id, res.body.id));
    expect(row).toMatchObject({ workspaceId, address: "ул. Садовая, д. 5" });
    expect(row.createdAt.toISOString()).toBe(res.body.created_at);
  });

  it("refuses an address that already exists in the workspace with 409 and writes nothing", async () => {
    await createHouse("ул. Повторная, 7");
    const before = await snapshot();

    const res = await api("POST", "/api/houses", { address: "ул. Повторная, 7" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { address: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/houses/:id", () => {
  it("orders apartments numerically (2 before 10), then by text (10 before 10a)", async () => {
    const h = await createHouse("Order ул. Кирова, 3");
    for (const number of ["10a", "10", "2", "1", "100", "9"]) await createApartment(h.id, { number, area: "40.00" });

    const res = await api("GET", `/api/houses/${h.id}`);

    expect(res.status).toBe(200);
    expect(res.body.apartments.map((a: { number: string }) => a.number)).toEqual(["1", "2", "9", "10", "10a", "100"]);
  });

  it("returns the house with apartments, their meters and each meter's last reading", async () => {
    const now = thisMonth();
    const h = await createHouse("Detail ул. Пушкина, 10");
    const flat10 = await createApartment(h.id, { number: "10", area: "72.30" });
    const flat2 = await createApartment(h.id, { number: "2", area: "45.50" });
    const hot = await createMeter(flat2.id, { serial_number: "DET-HOT-1", service: "hot_water", installed_on: "2022-03-15" });
    const cold = await createMeter(flat2.id, { serial_number: "DET-COLD-1", service: "cold_water" });
    await putReading(cold.id, addMonths(now, -2), "10.5");
    await putReading(cold.id, addMonths(now, -1), "12.125");
    const outside = await createHouse("Detail ул. Пушкина, 12");
    await createApartment(outside.id, { number: "1", area: "99.00" });

    const res = await api("GET", `/api/houses/${h.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: h.id,
      workspace_id: workspaceId,
      address: "Detail ул. Пушкина, 10",
      apartments_count: 2,
      total_area: "117.80",
      last_billed_period: null,
      created_at: expect.any(String),
      apartments: [
        {
          id: flat2.id,
          number: "2",
          account_number: String(flat2.id).padStart(8, "0"),
          owner_name: "",
          area: "45.50",
          residents: 0,
          meters: [
            {
              id: cold.id,
              serial_number: "DET-COLD-1",
              service: "cold_water",
              installed_on: null,
              verified_until: null,
              last_reading: { period: addMonths(now, -1), value: "12.125" },
            },
            {
              id: hot.id,
              serial_number: "DET-HOT-1",
              service: "hot_water",
              installed_on: "2022-03-15",
              verified_until: null,
              last_reading: null,
            },
          ],
        },
        {
          id: flat10.id,
          number: "10",
          account_number: String(flat10.id).padStart(8, "0"),
          owner_name: "",
          area: "72.30",
          residents: 0,
          meters: [],
        },
      ],
      archived_apartments: [],
      tariffs_month: now,
      tariffs: expect.any(Array),
    });
  });

  it("lists the prices in force this month, one per service, a house's own price overriding the default", async () => {
    const now = thisMonth();
    const h = await createHouse("Tariffs ул. Чехова, 1");
    const neighbour = await createHouse("Tariffs ул. Чехова, 3");
    const post = async (body: Record<string, unknown>) => {
      const res = await api("POST", "/api/tariffs", body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    await post({ service: "cold_water", price: "40", valid_from: addMonths(now, -3) });
    const coldInForce = await post({ service: "cold_water", price: "42.5", valid_from: addMonths(now, -1) });
    await post({ service: "cold_water", price: "99", valid_from: addMonths(now, 1) });
    await post({ service: "hot_water", price: "150", valid_from: addMonths(now, -2) });
    const hotInForce = await post({ service: "hot_water", price: "160.1234", valid_from: addMonths(now, -1), house_id: h.id });
    await post({ service: "hot_water", price: "170", valid_from: addMonths(now, 2), house_id: h.id });
    const maintenanceInForce = await post({ service: "maintenance", price: "25.5", valid_from: now });
    await post({ service: "maintenance", price: "30", valid_from: addMonths(now, -1), house_id: neighbour.id });

    const res = await api("GET", `/api/houses/${h.id}`);

    expect(res.status).toBe(200);
    expect(res.body.tariffs_month).toBe(now);
    expect(res.body.tariffs).toEqual([coldInForce, hotInForce, maintenanceInForce]);
    expect(res.body.tariffs.map((t: { price: string }) => t.price)).toEqual(["42.5000", "160.1234", "25.5000"]);
  });

  it("answers 404 not_found for a house that does not exist", async () => {
    const res = await api("GET", "/api/houses/999999");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
  });

  it("answers 422 for an id that is not a positive integer", async () => {
    for (const id of ["abc", "0", "-1", "1.5"]) {
      const res = await api("GET", `/api/houses/${id}`);
      expect(res.status, id).toBe(422);
      expect(res.body, id).toEqual(apiError("validation_failed", { id: expect.any(String) }));
    }
  });
});

describe("PATCH /api/houses/:id", () => {
  it("changes the address and answers with the house", async () => {
    const h = await createHouse("Patch ул. Старая, 1");
    await createApartment(h.id, { number: "5", area: "50.00" });

    const res = await api("PATCH", `/api/houses/${h.id}`, { address: "Patch ул. Новая, 1" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: h.id, address: "Patch ул. Новая, 1", apartments_count: 1, total_area: "50.00" });
    expect(res.body.apartments.map((a: { number: string }) => a.number)).toEqual(["5"]);
    const [row] = await db().select().from(house).where(eq(house.id, h.id));
    expect(row.address).toBe("Patch ул. Новая, 1");
  });

  it("refuses an address another house of the workspace has with 409 and changes nothing", async () => {
    await createHouse("Patch ул. Занятая, 2");
    const h = await createHouse("Patch ул. Свободная, 3");
    const before = await snapshot();

    const res = await api("PATCH", `/api/houses/${h.id}`, { address: "Patch ул. Занятая, 2" });

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", { address: expect.any(String) }));
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 not_found for a house that does not exist, writing nothing", async () => {
    const before = await snapshot();
    const res = await api("PATCH", "/api/houses/999999", { address: "ул. Нигде, 0" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("DELETE /api/houses/:id", () => {
  it("removes the house with its apartments, meters, readings and house prices, and nothing else", async () => {
    const now = thisMonth();
    const h = await createHouse("Delete ул. Снесённая, 1");
    const flats = [
      await createApartment(h.id, { number: "1", area: "40.00" }),
      await createApartment(h.id, { number: "2", area: "41.00" }),
    ];
    const meters = [await createMeter(flats[0].id), await createMeter(flats[1].id, { service: "hot_water" })];
    for (const m of meters) await putReading(m.id, addMonths(now, -1), "5.000");
    const price = await api("POST", "/api/tariffs", { service: "maintenance", price: "20", valid_from: now, house_id: h.id });
    expect(price.status).toBe(201);
    const kept = await createHouse("Delete ул. Соседняя, 2");
    const keptFlat = await createApartment(kept.id, { number: "1", area: "40.00" });
    const keptMeter = await createMeter(keptFlat.id);
    await putReading(keptMeter.id, addMonths(now, -1), "7.000");

    const res = await api("DELETE", `/api/houses/${h.id}`);

    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    const flatIds = flats.map((f) => f.id);
    const meterIds = meters.map((m) => m.id);
    expect(await db().select().from(house).where(eq(house.id, h.id))).toEqual([]);
    expect(await db().select().from(apartment).where(inArray(apartment.id, flatIds))).toEqual([]);
    expect(await db().select().from(meter).where(inArray(meter.id, meterIds))).toEqual([]);
    expect(await db().select().from(meterReading).where(inArray(meterReading.meterId, meterIds))).toEqual([]);
    expect(await db().select().from(tariff).where(eq(tariff.id, price.body.id))).toEqual([]);
    expect(await db().select().from(apartment).where(eq(apartment.id, keptFlat.id))).toHaveLength(1);
    expect(await db().select().from(meterReading).where(eq(meterReading.meterId, keptMeter.id))).toHaveLength(1);
    expect((await api("GET", `/api/houses/${h.id}`)).status).toBe(404);
  });

  it("refuses with 409 conflict once one of its apartments has an invoice, deleting nothing", async () => {
    const now = thisMonth();
    const h = await createHouse("Delete ул. Выставленная, 1");
    const billed = await createApartment(h.id, { number: "1", area: "40.00" });
    const unbilled = await createApartment(h.id, { number: "2", area: "40.00" });
    const m = await createMeter(unbilled.id);
    await putReading(m.id, addMonths(now, -1), "3.000");
    await addInvoice(billed.id, addMonths(now, -1));
    const before = await snapshot();

    const res = await api("DELETE", `/api/houses/${h.id}`);

    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict"));
    expect(await snapshot()).toEqual(before);
    expect((await api("GET", `/api/houses/${h.id}`)).body.apartments_count).toBe(2);
  });

  it("answers 404 not_found for a house that does not exist", async () => {
    const before = await snapshot();
    const res = await api("DELETE", "/api/houses/999999");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("last billed month", () => {
  it("is the latest month with invoices, in the list and the detail", async () => {
    const house = await createHouse();
    const apartment = await createApartment(house.id);
    await addInvoice(apartment.id, "2024-02");
    await addInvoice(apartment.id, "2024-04");
    const listed = (await api("GET", "/api/houses?limit=200")).body.items.find((h: { id: number }) => h.id === house.id);
    expect(listed.last_billed_period).toBe("2024-04");
    expect((await api("GET", `/api/houses/${house.id}`)).body.last_billed_period).toBe("2024-04");
  });
});
