import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apartment, house, meter, meterReading, tariff, workspace } from "../db/schema";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api } from "./helpers/api";
import { testPerson } from "./helpers/auth";
import { db, snapshot } from "./helpers/db";
import { apiError, createApartment, createHouse, createMeter, workspaceServices } from "./helpers/fixtures";
import { touching, type Register } from "./helpers/register";

// Every request acts as the file's test person, in their own workspace; rows of any other workspace must look as if
// they did not exist: 404 for their ids, absent from lists, and never changed.

const thisMonth = () => currentMonth(env().APP_TIMEZONE);
const notFound = apiError("not_found");

const FOREIGN_ADDRESS = "ул. Чужая, д. 1";
const FOREIGN_SERIAL = "FOREIGN-0001";

let foreign: Register;
let defaultWorkspaceId: number;

beforeAll(async () => {
  const now = thisMonth();
  defaultWorkspaceId = (await testPerson()).workspaceId;

  const [ws] = await db().insert(workspace).values({ slug: "other", name: "ООО «Другая УК»" }).returning();
  const [h] = await db().insert(house).values({ workspaceId: ws.id, address: FOREIGN_ADDRESS }).returning();
  const services = await workspaceServices(ws.id);
  const [a] = await db().insert(apartment).values({ houseId: h.id, number: "1", area: "52.40" }).returning();
  const [m] = await db()
    .insert(meter)
    .values({ apartmentId: a.id, workspaceId: ws.id, serialNumber: FOREIGN_SERIAL, service: "cold_water" })
    .returning();
  await db()
    .insert(meterReading)
    .values({ meterId: m.id, period: `${addMonths(now, -1)}-01`, value: "100.000" });
  const [houseTariff] = await db()
    .insert(tariff)
    .values({ workspaceId: ws.id, houseId: h.id, serviceId: services.hot_water, price: "199.9900", validFrom: `${addMonths(now, -1)}-01` })
    .returning();
  // A workspace-wide price of the other company must not become a default for our houses.
  const [workspaceTariff] = await db()
    .insert(tariff)
    .values({ workspaceId: ws.id, houseId: null, serviceId: services.cold_water, price: "77.0000", validFrom: `${addMonths(now, -1)}-01` })
    .returning();

  foreign = {
    workspaceId: ws.id,
    houseId: h.id,
    apartmentId: a.id,
    meterId: m.id,
    houseTariffId: houseTariff.id,
    workspaceTariffId: workspaceTariff.id,
    serviceId: services.maintenance,
  };
});

describe("another workspace's ids answer 404 not_found and change nothing", () => {
  it.each(touching)("%s", async (_name, build) => {
    const [method, url, body] = build(foreign);
    const before = await snapshot();

    const res = await api(method, url, body);

    expect(res.status).toBe(404);
    expect(res.body).toEqual(notFound);
    expect(await snapshot()).toEqual(before);
  });
});

describe("lists show only the caller's workspace", () => {
  it("GET /api/houses leaves out the other workspace's houses", async () => {
    const own = await createHouse("ул. Своя, д. 1");

    const res = await api("GET", "/api/houses?limit=200");

    expect(res.status).toBe(200);
    const ids = res.body.items.map((h: { id: number }) => h.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(foreign.houseId);
    expect(res.body.items.every((h: { workspace_id: number }) => h.workspace_id === defaultWorkspaceId)).toBe(true);
    expect(res.body.total).toBe(await db().$count(house, eq(house.workspaceId, defaultWorkspaceId)));
  });

  it("GET /api/houses?q= does not find the other workspace's address", async () => {
    const res = await api("GET", `/api/houses?q=${encodeURIComponent(FOREIGN_ADDRESS)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });

  it("GET /api/tariffs lists only the caller's prices", async () => {
    const ownPrice = await api("POST", "/api/tariffs", { service: "maintenance", price: "25.5", valid_from: addMonths(thisMonth(), -1) });
    expect(ownPrice.status).toBe(201);

    const res = await api("GET", "/api/tariffs");

    expect(res.status).toBe(200);
    const ids = res.body.items.map((t: { id: number }) => t.id);
    expect(ids).toContain(ownPrice.body.id);
    expect(ids).not.toContain(foreign.houseTariffId);
    expect(ids).not.toContain(foreign.workspaceTariffId);
    expect(res.body.items.every((t: { workspace_id: number }) => t.workspace_id === defaultWorkspaceId)).toBe(true);
  });

  it("the other workspace's default prices are not in force for the caller's houses", async () => {
    const own = await createHouse("ул. Своя, д. 2");

    const res = await api("GET", `/api/houses/${own.id}`);

    expect(res.status).toBe(200);
    const ids = res.body.tariffs.map((t: { id: number }) => t.id);
    expect(ids).not.toContain(foreign.workspaceTariffId);
    expect(res.body.tariffs.every((t: { workspace_id: number }) => t.workspace_id === defaultWorkspaceId)).toBe(true);
  });
});

describe("uniqueness is per workspace", () => {
  it("allows a house address that only another workspace uses", async () => {
    const res = await api("POST", "/api/houses", { address: FOREIGN_ADDRESS });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ address: FOREIGN_ADDRESS, workspace_id: defaultWorkspaceId });
  });

  it("allows a meter serial number that only another workspace uses", async () => {
    const own = await createHouse("ул. Своя, д. 3");
    const flat = await createApartment(own.id);

    const res = await api("POST", `/api/apartments/${flat.id}/meters`, { serial_number: FOREIGN_SERIAL, service: "cold_water" });

    expect(res.status).toBe(201);
    const [row] = await db().select().from(meter).where(eq(meter.id, res.body.id));
    expect(row).toMatchObject({ serialNumber: FOREIGN_SERIAL, workspaceId: defaultWorkspaceId });
  });
});

describe("bulk readings for an own house", () => {
  it("refuses a meter of another workspace as not a meter of the house, saving nothing", async () => {
    const own = await createHouse("ул. Своя, д. 4");
    const ownMeter = await createMeter((await createApartment(own.id)).id);
    const before = await snapshot();

    const res = await api("POST", `/api/houses/${own.id}/readings`, {
      period: thisMonth(),
      readings: [
        { meter_id: ownMeter.id, value: "5.000" },
        { meter_id: foreign.meterId, value: "150.000" },
      ],
    });

    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: {
        code: "validation_failed",
        reason: "invalid_input",
        message: expect.any(String),
        params: { refused: 1, of: 2 },
        fields: { "readings.1.meter_id": expect.any(String) },
        field_reasons: { "readings.1.meter_id": { reason: "meter_not_in_house", params: expect.any(Object) } },
      },
    });
    expect(await snapshot()).toEqual(before);
  });
});
