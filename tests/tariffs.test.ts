import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getTariffsInForce } from "../db/queries/tariffs";
import { house, tariff, workspace } from "../db/schema";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { testPerson } from "./helpers/auth";
import { db, snapshot } from "./helpers/db";
import { apiError, createHouse, workspaceServices } from "./helpers/fixtures";

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

type Tariff = {
  id: number;
  workspace_id: number;
  house_id: number | null;
  service: string;
  unit: string;
  price: string;
  valid_from: string;
  created_at: string;
  billed: boolean;
};

async function postTariff(body: Record<string, unknown>): Promise<Tariff> {
  const res = await api<Tariff>("POST", "/api/tariffs", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function houseOfAnotherWorkspace() {
  const [ws] = await db().insert(workspace).values({ name: "Другая УК" }).returning({ id: workspace.id });
  const [h] = await db().insert(house).values({ workspaceId: ws.id, address: "ул. Чужая, 1" }).returning({ id: house.id });
  return { workspaceId: ws.id, houseId: h.id, services: await workspaceServices(ws.id) };
}

let workspaceId: number;
let services: Record<string, number>;
beforeAll(async () => {
  workspaceId = (await testPerson()).workspaceId;
  services = await workspaceServices(workspaceId);
});

// Workspace-wide prices apply to every house of the workspace, so each test starts without any.
beforeEach(async () => {
  await db().delete(tariff);
});

describe("POST /api/tariffs", () => {
  it("creates a workspace-wide price and answers 201 with it, price as a 4-decimal string", async () => {
    const res = await api("POST", "/api/tariffs", { service: "cold_water", price: "45.5", valid_from: "2024-01" });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      workspace_id: workspaceId,
      house_id: null,
      service: "cold_water",
      service_id: services.cold_water,
      unit: "m3",
      price: "45.5000",
      valid_from: "2024-01",
      created_at: expect.any(String),
      billed: false,
      closed: false,
    });
    expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
    const [row] = await db().select().from(tariff).where(eq(tariff.id, res.body.id));
    expect(row).toMatchObject({ workspaceId, houseId: null, serviceId: services.cold_water, price: "45.5000", validFrom: "2024-01-01" });
  });

  it("creates a price for one house", async () => {
    const h = await createHouse();

    const res = await api("POST", "/api/tariffs", { service: "maintenance", price: 28.1, valid_from: "2024-03", house_id: h.id });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      workspace_id: workspaceId,
      house_id: h.id,
      service: "maintenance",
      service_id: services.maintenance,
      unit: "m2",
      price: "28.1000",
      valid_from: "2024-03",
      created_at: expect.any(String),
      billed: false,
      closed: false,
    });
    const [row] = await db().select().from(tariff).where(eq(tariff.id, res.body.id));
    expect(row).toMatchObject({ workspaceId, houseId: h.id, serviceId: services.maintenance, price: "28.1000", validFrom: "2024-03-01" });
  });

  it("gives water prices per m³ (wastewater too) and maintenance per m²", async () => {
    const units = [];
    for (const service of ["cold_water", "hot_water", "wastewater", "maintenance"]) {
      units.push([service, (await postTariff({ service, price: "1", valid_from: "2024-01" })).unit]);
    }
    expect(units).toEqual([
      ["cold_water", "m3"],
      ["hot_water", "m3"],
      ["wastewater", "m3"],
      ["maintenance", "m2"],
    ]);
  });

  it("refuses a service the workspace does not have with 422, naming the field", async () => {
    const before = await snapshot();
    const res = await api("POST", "/api/tariffs", { service: "electricity", price: "5", valid_from: "2024-01" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { service: expect.stringContaining("no service electricity") }));
    expect(res.body.error.field_reasons.service).toEqual({ reason: "unknown_service", params: { service: "electricity" } });
    expect(await snapshot()).toEqual(before);
  });

  it("normalises prices given as strings or numbers to four decimals", async () => {
    const cases: [string | number, string][] = [
      ["63.75", "63.7500"],
      [42, "42.0000"],
      ["0.0001", "0.0001"],
      ["160,1234", "160.1234"],
    ];
    for (const [i, [given, stored]] of cases.entries()) {
      const created = await postTariff({ service: "hot_water", price: given, valid_from: `2020-0${i + 1}` });
      expect(created.price, String(given)).toBe(stored);
    }
  });

  it("treats house_id null as a workspace-wide price", async () => {
    const created = await postTariff({ service: "cold_water", price: "10", valid_from: "2024-01", house_id: null });

    expect(created.house_id).toBeNull();
  });

  it("refuses a second workspace-wide price for the same service and month with 409 conflict, writing nothing", async () => {
    await postTariff({ service: "cold_water", price: "40", valid_from: "2024-01" });
    const before = await snapshot();

    const res = await api("POST", "/api/tariffs", { service: "cold_water", price: "41", valid_from: "2024-01" });

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", message: expect.any(String) });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a second price of one house for the same service and month with 409 conflict, writing nothing", async () => {
    const h = await createHouse();
    await postTariff({ service: "maintenance", price: "25", valid_from: "2024-01", house_id: h.id });
    const before = await snapshot();

    const res = await api("POST", "/api/tariffs", { service: "maintenance", price: "26", valid_from: "2024-01", house_id: h.id });

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", message: expect.any(String) });
    expect(await snapshot()).toEqual(before);
  });

  it("lets a workspace price, a house price and another house's price share a service and month", async () => {
    const h1 = await createHouse();
    const h2 = await createHouse();

    const prices = [
      await postTariff({ service: "cold_water", price: "40", valid_from: "2024-01" }),
      await postTariff({ service: "cold_water", price: "41", valid_from: "2024-01", house_id: h1.id }),
      await postTariff({ service: "cold_water", price: "42", valid_from: "2024-01", house_id: h2.id }),
    ];

    expect(prices.map((t) => t.house_id)).toEqual([null, h1.id, h2.id]);
  });

  it("lets one scope have prices of different services in a month and of one service in different months", async () => {
    await postTariff({ service: "cold_water", price: "40", valid_from: "2024-01" });
    await postTariff({ service: "hot_water", price: "40", valid_from: "2024-01" });
    await postTariff({ service: "cold_water", price: "40", valid_from: "2024-02" });

    expect(await db().select().from(tariff)).toHaveLength(3);
  });

  it("answers 404 not_found for a house that does not exist or belongs to another workspace, writing nothing", async () => {
    const foreign = await houseOfAnotherWorkspace();
    const before = await snapshot();

    for (const houseId of [999999, foreign.houseId]) {
      const res = await api("POST", "/api/tariffs", { service: "cold_water", price: "40", valid_from: "2024-01", house_id: houseId });
      expect(res.status, String(houseId)).toBe(404);
      expect(res.body, String(houseId)).toEqual(apiError("not_found"));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses invalid fields with 422 validation_failed naming each, writing nothing", async () => {
    const h = await createHouse();
    const valid = { service: "cold_water", price: "40", valid_from: "2024-01" };
    const before = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, price: "0" }, "price"],
      [{ ...valid, price: "-1" }, "price"],
      [{ ...valid, price: "1.23456" }, "price"],
      [{ ...valid, price: "abc" }, "price"],
      [{ ...valid, price: "" }, "price"],
      [{ ...valid, price: 1e21 }, "price"],
      [{ ...valid, service: "electricity" }, "service"],
      [{ ...valid, service: "" }, "service"],
      [{ ...valid, valid_from: "2024-13" }, "valid_from"],
      [{ ...valid, valid_from: "2024-00" }, "valid_from"],
      [{ ...valid, valid_from: "2024-1" }, "valid_from"],
      [{ ...valid, valid_from: "2024-01-01" }, "valid_from"],
      [{ ...valid, house_id: String(h.id) }, "house_id"],
      [{ ...valid, house_id: 0 }, "house_id"],
      [{ ...valid, house_id: 1.5 }, "house_id"],
      [{ ...valid, unit: "m3" }, "unit"],
    ];
    for (const [body, field] of cases) {
      const res = await api("POST", "/api/tariffs", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body, JSON.stringify(body)).toEqual(apiError("validation_failed", { [field]: expect.any(String) }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a body without the required fields with 422 naming each", async () => {
    const res = await api("POST", "/api/tariffs", {});

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { service: expect.any(String), price: "required", valid_from: "required" }));
  });

  it("refuses malformed JSON with 400 invalid_json, writing nothing", async () => {
    const before = await snapshot();

    const res = await api("POST", "/api/tariffs", undefined, { rawBody: '{"service": "cold_water",' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual(apiError("invalid_json"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/tariffs", () => {
  /** Prices created out of order, so that the listing's order is the API's doing. */
  async function priceHistory() {
    const h1 = await createHouse();
    const h2 = await createHouse();
    const t = {
      h1Cold2024_03: await postTariff({ service: "cold_water", price: "44", valid_from: "2024-03", house_id: h1.id }),
      wsMaint2024_01: await postTariff({ service: "maintenance", price: "25", valid_from: "2024-01" }),
      wsCold2024_01: await postTariff({ service: "cold_water", price: "40", valid_from: "2024-01" }),
      h2Hot2024_02: await postTariff({ service: "hot_water", price: "170", valid_from: "2024-02", house_id: h2.id }),
      wsCold2024_05: await postTariff({ service: "cold_water", price: "42", valid_from: "2024-05" }),
      h1Cold2024_06: await postTariff({ service: "cold_water", price: "45", valid_from: "2024-06", house_id: h1.id }),
      wsHot2024_02: await postTariff({ service: "hot_water", price: "160", valid_from: "2024-02" }),
      h2Maint2023_12: await postTariff({ service: "maintenance", price: "30", valid_from: "2023-12", house_id: h2.id }),
    };
    return { h1, h2, t };
  }

  it("lists every price by service, workspace prices before house prices, newest first", async () => {
    const { t } = await priceHistory();

    const res = await api("GET", "/api/tariffs");

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        t.wsCold2024_05,
        t.wsCold2024_01,
        t.h1Cold2024_06,
        t.h1Cold2024_03,
        t.wsHot2024_02,
        t.h2Hot2024_02,
        t.wsMaint2024_01,
        t.h2Maint2023_12,
      ],
    });
  });

  it("with house_id, lists that house's own prices and the workspace defaults, not other houses' prices", async () => {
    const { h1, h2, t } = await priceHistory();

    const forH1 = await api("GET", `/api/tariffs?house_id=${h1.id}`);
    expect(forH1.status).toBe(200);
    expect(forH1.body).toEqual({
      items: [t.wsCold2024_05, t.wsCold2024_01, t.h1Cold2024_06, t.h1Cold2024_03, t.wsHot2024_02, t.wsMaint2024_01],
    });

    const forH2 = await api("GET", `/api/tariffs?house_id=${h2.id}`);
    expect(forH2.status).toBe(200);
    expect(forH2.body).toEqual({
      items: [t.wsCold2024_05, t.wsCold2024_01, t.wsHot2024_02, t.h2Hot2024_02, t.wsMaint2024_01, t.h2Maint2023_12],
    });
  });

  it("with house_id of a house without prices of its own, lists only the workspace defaults", async () => {
    const { t } = await priceHistory();
    const bare = await createHouse();

    const res = await api("GET", `/api/tariffs?house_id=${bare.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [t.wsCold2024_05, t.wsCold2024_01, t.wsHot2024_02, t.wsMaint2024_01] });
  });

  it("answers an empty list when there are no prices", async () => {
    const res = await api("GET", "/api/tariffs");

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it("does not list another workspace's prices", async () => {
    const foreign = await houseOfAnotherWorkspace();
    await db()
      .insert(tariff)
      .values([
        { workspaceId: foreign.workspaceId, houseId: null, serviceId: foreign.services.cold_water, price: "99", validFrom: "2024-01-01" },
        {
          workspaceId: foreign.workspaceId,
          houseId: foreign.houseId,
          serviceId: foreign.services.hot_water,
          price: "99",
          validFrom: "2024-01-01",
        },
      ]);
    const own = await postTariff({ service: "cold_water", price: "40", valid_from: "2024-01" });

    const res = await api("GET", "/api/tariffs");

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [own] });
  });

  it("answers 404 not_found for a house_id that does not exist or belongs to another workspace", async () => {
    const foreign = await houseOfAnotherWorkspace();

    for (const houseId of [999999, foreign.houseId]) {
      const res = await api("GET", `/api/tariffs?house_id=${houseId}`);
      expect(res.status, String(houseId)).toBe(404);
      expect(res.body, String(houseId)).toEqual(apiError("not_found"));
    }
  });

  it("answers 422 for a house_id that is not a positive integer and for unknown query parameters", async () => {
    for (const query of ["house_id=abc", "house_id=0", "house_id=-1", "house_id="]) {
      const res = await api("GET", `/api/tariffs?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body, query).toEqual(apiError("validation_failed", { house_id: expect.any(String) }));
    }
    const unknown = await api("GET", "/api/tariffs?service=cold_water");
    expect(unknown.status).toBe(422);
    expect(unknown.body).toEqual(apiError("validation_failed", { service: expect.any(String) }));
  });
});

// ---- the price in force -------------------------------------------------------------------

type Scope = "workspace" | "house" | "other house";
interface PriceCase {
  rule: string;
  /** label → a price; `from` is months relative to the month asked about */
  prices: Record<string, { scope: Scope; service: string; price: string; from: number }>;
  /** labels of the prices in force, in service order (cold_water, hot_water, maintenance) */
  inForce: string[];
}

const CASES: PriceCase[] = [
  {
    rule: "the workspace price applies to a house without a price of its own",
    prices: { ws: { scope: "workspace", service: "cold_water", price: "40", from: -2 } },
    inForce: ["ws"],
  },
  {
    rule: "a house's own price beats the workspace price",
    prices: {
      ws: { scope: "workspace", service: "cold_water", price: "40", from: -2 },
      own: { scope: "house", service: "cold_water", price: "45", from: -2 },
    },
    inForce: ["own"],
  },
  {
    rule: "a house's own price beats the workspace price even when the workspace price is newer",
    prices: {
      own: { scope: "house", service: "hot_water", price: "150", from: -6 },
      ws: { scope: "workspace", service: "hot_water", price: "170", from: -1 },
      wsThisMonth: { scope: "workspace", service: "hot_water", price: "175", from: 0 },
    },
    inForce: ["own"],
  },
  {
    rule: "of several prices the one with the latest valid_from on or before the month wins",
    prices: {
      old: { scope: "workspace", service: "cold_water", price: "30", from: -12 },
      previous: { scope: "workspace", service: "cold_water", price: "35", from: -3 },
      current: { scope: "workspace", service: "cold_water", price: "38", from: -1 },
      ownOld: { scope: "house", service: "maintenance", price: "20", from: -8 },
      ownCurrent: { scope: "house", service: "maintenance", price: "22", from: -4 },
    },
    inForce: ["current", "ownCurrent"],
  },
  {
    rule: "a price valid from the month itself is in force",
    prices: {
      before: { scope: "workspace", service: "maintenance", price: "20", from: -1 },
      now: { scope: "workspace", service: "maintenance", price: "21", from: 0 },
    },
    inForce: ["now"],
  },
  {
    rule: "a price valid from a later month is not yet in force",
    prices: {
      inForce: { scope: "workspace", service: "cold_water", price: "40", from: -2 },
      next: { scope: "workspace", service: "cold_water", price: "50", from: 1 },
      ownNext: { scope: "house", service: "cold_water", price: "55", from: 1 },
    },
    inForce: ["inForce"],
  },
  {
    rule: "a service without any price in force is absent",
    prices: {
      cold: { scope: "workspace", service: "cold_water", price: "40", from: -1 },
      hotLater: { scope: "workspace", service: "hot_water", price: "160", from: 2 },
    },
    inForce: ["cold"],
  },
  {
    rule: "another house's own price never applies",
    prices: {
      ws: { scope: "workspace", service: "cold_water", price: "40", from: -3 },
      neighbour: { scope: "other house", service: "cold_water", price: "99", from: -1 },
      neighbourOnly: { scope: "other house", service: "hot_water", price: "199", from: -1 },
    },
    inForce: ["ws"],
  },
  {
    rule: "each service is resolved on its own, one price per service",
    prices: {
      ownCold: { scope: "house", service: "cold_water", price: "41.1234", from: -2 },
      wsCold: { scope: "workspace", service: "cold_water", price: "40", from: -1 },
      wsHot: { scope: "workspace", service: "hot_water", price: "160", from: -5 },
      wsMaint: { scope: "workspace", service: "maintenance", price: "25.5", from: -3 },
      ownMaintLater: { scope: "house", service: "maintenance", price: "27", from: 1 },
    },
    inForce: ["ownCold", "wsHot", "wsMaint"],
  },
  {
    rule: "with no prices at all nothing is in force",
    prices: {},
    inForce: [],
  },
];

/** Creates the case's prices through the API around `month`; returns the house and the prices by label. */
async function setUpCase(c: PriceCase, month: string) {
  const h = await createHouse();
  const other = await createHouse();
  const created: Record<string, Tariff> = {};
  for (const [label, p] of Object.entries(c.prices)) {
    const houseId = p.scope === "house" ? h.id : p.scope === "other house" ? other.id : undefined;
    created[label] = await postTariff({
      service: p.service,
      price: p.price,
      valid_from: addMonths(month, p.from),
      ...(houseId ? { house_id: houseId } : {}),
    });
  }
  return { houseId: h.id, created };
}

describe("the price in force this month, in GET /api/houses/:id", () => {
  it.each(CASES)("$rule", async (c) => {
    const { houseId, created } = await setUpCase(c, thisMonth());

    const res = await api("GET", `/api/houses/${houseId}`);

    expect(res.status).toBe(200);
    expect(res.body.tariffs).toEqual(c.inForce.map((label) => created[label]));
  });
});

describe("the price in force in a past month, from getTariffsInForce", () => {
  const PAST = "2022-06";

  it.each(CASES)("$rule", async (c) => {
    const { houseId, created } = await setUpCase(c, PAST);

    const rows = await getTariffsInForce(db(), { workspaceId, houseId, period: `${PAST}-01` });

    expect(rows.map((r) => ({ id: r.id, houseId: r.houseId, service: r.service, price: r.price, validFrom: r.validFrom }))).toEqual(
      c.inForce.map((label) => {
        const t = created[label];
        return { id: t.id, houseId: t.house_id, service: t.service, price: t.price, validFrom: `${t.valid_from}-01` };
      }),
    );
  });

  it("ignores prices of another workspace, even for the same house id", async () => {
    const foreign = await houseOfAnotherWorkspace();
    const h = await createHouse();
    await db()
      .insert(tariff)
      .values([
        { workspaceId: foreign.workspaceId, houseId: null, serviceId: foreign.services.cold_water, price: "99", validFrom: "2022-01-01" },
        {
          workspaceId: foreign.workspaceId,
          houseId: foreign.houseId,
          serviceId: foreign.services.hot_water,
          price: "99",
          validFrom: "2022-01-01",
        },
      ]);
    const own = await postTariff({ service: "maintenance", price: "20", valid_from: "2022-01" });

    const mine = await getTariffsInForce(db(), { workspaceId, houseId: h.id, period: `${PAST}-01` });
    expect(mine.map((r) => r.id)).toEqual([own.id]);

    // Asked for the foreign house under the default workspace: its prices stay out of reach.
    const crossed = await getTariffsInForce(db(), { workspaceId, houseId: foreign.houseId, period: `${PAST}-01` });
    expect(crossed.map((r) => r.id)).toEqual([own.id]);
  });

  it("a later month sees the prices that were not yet in force in an earlier one", async () => {
    const h = await createHouse();
    const first = await postTariff({ service: "cold_water", price: "40", valid_from: "2022-01" });
    const second = await postTariff({ service: "cold_water", price: "45", valid_from: "2022-07", house_id: h.id });

    const at = async (month: string) =>
      (await getTariffsInForce(db(), { workspaceId, houseId: h.id, period: `${month}-01` })).map((r) => r.id);

    expect(await at("2021-12")).toEqual([]);
    expect(await at("2022-01")).toEqual([first.id]);
    expect(await at("2022-06")).toEqual([first.id]);
    expect(await at("2022-07")).toEqual([second.id]);
    expect(await at("2023-01")).toEqual([second.id]);
  });
});
