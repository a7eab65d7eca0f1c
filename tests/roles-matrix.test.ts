import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../lib/api/operations";
import { createSession } from "../lib/auth/sessions";
import type { Operation } from "../lib/api/operation";
import type { HistoryAction, HistoryEntity, MemberRole } from "../lib/constants";
import { api, type ApiResponse } from "./helpers/api";
import { joinWorkspace, signIn, testPerson, type TestPerson } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { createTariffs } from "./helpers/billing-runs";
import { db, historySince, lastHistoryId } from "./helpers/db";
import { renderBatchInline, VALID_REQUISITES } from "./helpers/receipts";

// Issue 15's matrix: every operation of the OpenAPI document × every caller — each role of a
// workspace W as a person and as an API key, nobody, a person of another workspace, and a
// resident of one of W's apartments (issue 18's 404 matrix) — gets
// the status its declared roles say; a refused call changes nothing at all (every table but
// the session and rate-limit bookkeeping, and the job queue), and an allowed write leaves
// exactly the history entries it should, naming the caller and the operation.

/** `file`: a file sent as the raw body (text/csv) instead of JSON. */
type Request = { method: string; path: string; body?: unknown; file?: string };

interface World {
  w: number;
  owner: TestPerson;
  house: number;
  apartment: number;
  meter: number;
  service: number;
  run: number;
  key: number;
}

interface Case {
  /** who may call it, as issue 15 says (written here, not taken from the code it checks) */
  allow: readonly MemberRole[] | "self";
  /** The request for one call; it may first make (as W's owner) a target the call uses up. */
  request: (world: World, caller: Caller) => Promise<Request> | Request;
  /** what an allowed caller gets */
  ok: number;
  /** the history entries one allowed call leaves */
  leaves?: [HistoryEntity, HistoryAction][];
  /**
   * The operation names no workspace (a list): a caller whose role it does not allow in W, or
   * who is not in W, gets `ok` too, with nothing of W in it (this says whether the body shows W).
   */
  showsW?: (body: unknown, world: World) => boolean;
}

interface Caller {
  name: string;
  kind: "person" | "key" | "none" | "stranger";
  role: MemberRole | null;
  token: string | null;
  personId: number | null;
  apiKeyId: number | null;
}

const ROLES: MemberRole[] = ["owner", "accountant", "operator", "viewer"];
// Issue 15: the owner does everything; the accountant the register, readings, prices, billing
// and posting; the operator reads the register (and the month's check) and enters readings;
// the viewer reads what a manager sees and changes nothing.
const EVERYONE = ROLES;
const MANAGERS_SEE = ["owner", "accountant", "viewer"] as const;
const READINGS = ["owner", "accountant", "operator"] as const;
const MANAGE = ["owner", "accountant"] as const;
const OWNER = ["owner"] as const;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;
/** A month of its own for each portfolio run: W may have one queued portfolio run per month. */
let portfolioMonth = 0;
const nextPortfolioMonth = () => `2025-${String(++portfolioMonth).padStart(2, "0")}`;
const BILLED = "2024-02";
/** A day of its own for each key rate a case adds (2030 on: after the seeded history). */
let rateDays = 0;
const freshRateDay = () => new Date(Date.UTC(2030, 0, 1 + ++rateDays)).toISOString().slice(0, 10);

async function as<T = any>(token: string | null, method: string, path: string, body?: unknown, file?: string): Promise<ApiResponse<T>> {
  if (file !== undefined) return api<T>(method, path, undefined, { token, rawBody: file, headers: { "content-type": "text/csv" } });
  return api<T>(method, path, body, { token });
}

async function made<T = any>(world: World, method: string, path: string, body?: unknown): Promise<T> {
  const res = await as<T>(world.owner.token, method, path, body);
  expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

const freshHouse = async (world: World) =>
  (await made<{ id: number }>(world, "POST", "/api/houses", { address: unique("ул. Матрица") })).id;
const freshApartment = async (world: World, house = world.house) =>
  (await made<{ id: number }>(world, "POST", `/api/houses/${house}/apartments`, { number: unique("кв"), area: "50.00" })).id;
const freshMeter = async (world: World) =>
  (
    await made<{ id: number }>(world, "POST", `/api/apartments/${world.apartment}/meters`, {
      serial_number: unique("SN"),
      service: "cold_water",
    })
  ).id;
const freshService = async (world: World) =>
  (
    await made<{ id: number }>(world, "POST", "/api/services", {
      code: `m_${++seq}`,
      name_ru: "Услуга",
      name_en: "Service",
      basis: "apartment",
      workspace_id: world.w,
    })
  ).id;
const freshTariff = async (world: World) =>
  (
    await made<{ id: number }>(world, "POST", "/api/tariffs", {
      service: "maintenance",
      price: "30.00",
      valid_from: "2026-01",
      house_id: await freshHouse(world),
    })
  ).id;
const freshKey = async (world: World) =>
  (await made<{ id: number }>(world, "POST", "/api/api-keys", { name: unique("key"), workspace_id: world.w })).id;
/** A new viewer of W: its person id. */
async function freshMember(world: World): Promise<number> {
  const member = await signIn(freshPhone());
  await joinWorkspace(member, world.w, "viewer");
  return member.personId;
}
/** A new house with an apartment, its meter and a reading. */
async function furnishedHouse(world: World) {
  const house = await freshHouse(world);
  const apartment = await freshApartment(world, house);
  const meter = (
    await made<{ id: number }>(world, "POST", `/api/apartments/${apartment}/meters`, { serial_number: unique("SN"), service: "cold_water" })
  ).id;
  await made(world, "PUT", `/api/meters/${meter}/readings/2026-09`, { value: "3.000" });
  return { house, apartment, meter };
}
/** An apartment of W with a meter whose resident is the caller (a person; anybody else: none). */
async function callersApartment(world: World, caller: Caller): Promise<{ apartment: number; meter: number }> {
  const { apartment, meter } = await furnishedHouse(world);
  if (caller.personId !== null) {
    await db().execute(sql`
      insert into apartment_resident (workspace_id, apartment_id, phone, kind)
      select ${world.w}, ${apartment}, phone, 'tenant' from person where id = ${caller.personId}`);
  }
  return { apartment, meter };
}
/** A resident of W's apartment: its id. */
const freshResident = async (world: World) =>
  (await made<{ id: number }>(world, "POST", `/api/apartments/${world.apartment}/residents`, { phone: freshPhone(), kind: "owner" })).id;
/** A house of one apartment billed for BILLED, its run done: ready to post. */
async function billedHouse(world: World): Promise<number> {
  const house = await freshHouse(world);
  await freshApartment(world, house);
  const run = await made<{ id: number }>(world, "POST", `/api/houses/${house}/billing-runs`, { period: BILLED });
  await billInline(run.id);
  return house;
}
/** A bank registry paying W's apartment, with header names of its own (so that each mapping is a new one to remember). */
const registry = (world: World) => {
  const tag = unique("c");
  return `ID ${tag};ЛС ${tag};Дата ${tag};Сумма ${tag}\n${unique("pay")};${String(world.apartment).padStart(8, "0")};01.03.2025;100,50\n`;
};
/** An uploaded registry of W (status uploaded): its id. */
const freshImport = async (world: World) =>
  (await as<{ id: number }>(world.owner.token, "POST", `/api/payment-imports?workspace_id=${world.w}`, undefined, registry(world))).body.id;
/** An uploaded registry of W, mapped and previewed: its id. */
async function previewedImport(world: World): Promise<number> {
  const id = await freshImport(world);
  await made(world, "PUT", `/api/payment-imports/${id}/mapping`, { account_number: 1, paid_on: 2, amount: 3, external_id: 0 });
  return id;
}
/** A readings file of W for a new meter of its apartment, with header names of its own (a new mapping to remember). */
async function readingsFile(world: World): Promise<string> {
  const tag = unique("r");
  const serial = unique("SN");
  await made(world, "POST", `/api/apartments/${world.apartment}/meters`, { serial_number: serial, service: "cold_water" });
  return `Счётчик ${tag};Показание ${tag}\n${serial};5,5\n`;
}
/** An uploaded readings file of W (status uploaded): its id. */
const freshReadingImport = async (world: World) =>
  (
    await as<{ id: number }>(
      world.owner.token,
      "POST",
      `/api/reading-imports?workspace_id=${world.w}&period=2026-10`,
      undefined,
      await readingsFile(world),
    )
  ).body.id;
/** An uploaded readings file of W, mapped and previewed: its id. */
async function previewedReadingImport(world: World): Promise<number> {
  const id = await freshReadingImport(world);
  await made(world, "PUT", `/api/reading-imports/${id}/mapping`, { serial_number: 0, value: 1 });
  return id;
}
const lists = (key: string) => (body: unknown, id: number) =>
  ((body as Record<string, { id: number }[]>)[key] ?? []).some((x) => x.id === id);

const CASES: Record<string, Case> = {
  listHouses: {
    allow: EVERYONE,
    request: () => ({ method: "GET", path: "/api/houses" }),
    ok: 200,
    showsW: (b, w) => lists("items")(b, w.house),
  },
  createHouse: {
    allow: MANAGE,
    request: (w) => ({ method: "POST", path: "/api/houses", body: { address: unique("ул. Новая"), workspace_id: w.w } }),
    ok: 201,
    leaves: [["house", "insert"]],
  },
  getHouse: { allow: EVERYONE, request: (w) => ({ method: "GET", path: `/api/houses/${w.house}` }), ok: 200 },
  getHouseSummary: { allow: EVERYONE, request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/summary` }), ok: 200 },
  updateHouse: {
    allow: MANAGE,
    request: async (w) => ({ method: "PATCH", path: `/api/houses/${await freshHouse(w)}`, body: { address: unique("ул. Другая") } }),
    ok: 200,
    leaves: [["house", "update"]],
  },
  deleteHouse: {
    allow: MANAGE,
    // with an apartment, a meter and a reading: the cascade is one deletion, one entry
    request: async (w) => ({ method: "DELETE", path: `/api/houses/${(await furnishedHouse(w)).house}` }),
    ok: 204,
    leaves: [["house", "delete"]],
  },
  createApartment: {
    allow: MANAGE,
    request: (w) => ({ method: "POST", path: `/api/houses/${w.house}/apartments`, body: { number: unique("кв"), area: "40.00" } }),
    ok: 201,
    leaves: [["apartment", "insert"]],
  },
  getApartment: { allow: EVERYONE, request: (w) => ({ method: "GET", path: `/api/apartments/${w.apartment}` }), ok: 200 },
  updateApartment: {
    allow: MANAGE,
    request: async (w) => ({ method: "PATCH", path: `/api/apartments/${await freshApartment(w)}`, body: { area: "51.25" } }),
    ok: 200,
    leaves: [["apartment", "update"]],
  },
  deleteApartment: {
    allow: MANAGE,
    request: async (w) => ({ method: "DELETE", path: `/api/apartments/${(await furnishedHouse(w)).apartment}` }),
    ok: 204,
    leaves: [["apartment", "delete"]],
  },
  createMeter: {
    allow: MANAGE,
    request: (w) => ({
      method: "POST",
      path: `/api/apartments/${w.apartment}/meters`,
      body: { serial_number: unique("SN"), service: "hot_water" },
    }),
    ok: 201,
    leaves: [["meter", "insert"]],
  },
  getMeter: { allow: EVERYONE, request: (w) => ({ method: "GET", path: `/api/meters/${w.meter}` }), ok: 200 },
  updateMeter: {
    allow: MANAGE,
    request: async (w) => ({ method: "PATCH", path: `/api/meters/${await freshMeter(w)}`, body: { verified_until: "2031-12-31" } }),
    ok: 200,
    leaves: [["meter", "update"]],
  },
  deleteMeter: {
    allow: MANAGE,
    request: async (w) => ({ method: "DELETE", path: `/api/meters/${await freshMeter(w)}` }),
    ok: 204,
    leaves: [["meter", "delete"]],
  },
  listMeterReadings: { allow: EVERYONE, request: (w) => ({ method: "GET", path: `/api/meters/${w.meter}/readings` }), ok: 200 },
  putReading: {
    allow: READINGS,
    request: async (w) => ({ method: "PUT", path: `/api/meters/${await freshMeter(w)}/readings/2026-10`, body: { value: "12.345" } }),
    ok: 201,
    leaves: [["reading", "insert"]],
  },
  getReadingSheet: {
    allow: EVERYONE,
    request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/readings?period=${BILLED}` }),
    ok: 200,
  },
  saveHouseReadings: {
    allow: READINGS,
    request: async (w) => ({
      method: "POST",
      path: `/api/houses/${w.house}/readings`,
      body: { period: "2026-10", readings: [{ meter_id: await freshMeter(w), value: "7.000" }] },
    }),
    ok: 200,
    leaves: [["reading", "insert"]],
  },
  listServices: {
    allow: EVERYONE,
    request: () => ({ method: "GET", path: "/api/services" }),
    ok: 200,
    showsW: (b, w) => lists("items")(b, w.service),
  },
  createService: {
    allow: MANAGE,
    request: (w) => ({
      method: "POST",
      path: "/api/services",
      body: { code: `s_${++seq}`, name_ru: "Домофон", name_en: "Intercom", basis: "apartment", workspace_id: w.w },
    }),
    ok: 201,
    leaves: [["service", "insert"]],
  },
  getService: { allow: EVERYONE, request: (w) => ({ method: "GET", path: `/api/services/${w.service}` }), ok: 200 },
  updateService: {
    allow: MANAGE,
    request: async (w) => ({ method: "PATCH", path: `/api/services/${await freshService(w)}`, body: { name_ru: "Новое имя" } }),
    ok: 200,
    leaves: [["service", "update"]],
  },
  deleteService: {
    allow: MANAGE,
    request: async (w) => ({ method: "DELETE", path: `/api/services/${await freshService(w)}` }),
    ok: 204,
    leaves: [["service", "delete"]],
  },
  listTariffs: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/tariffs?house_id=${w.house}` }), ok: 200 },
  createTariff: {
    allow: MANAGE,
    request: async (w) => ({
      method: "POST",
      path: "/api/tariffs",
      body: { service: "maintenance", price: "33.00", valid_from: "2026-02", house_id: await freshHouse(w) },
    }),
    ok: 201,
    leaves: [["tariff", "insert"]],
  },
  listNormatives: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/normatives?house_id=${w.house}` }), ok: 200 },
  createNormative: {
    allow: MANAGE,
    request: async (w) => ({
      method: "POST",
      path: "/api/normatives",
      body: { service: "cold_water", value: "5.0000", valid_from: "2026-02", house_id: await freshHouse(w) },
    }),
    ok: 201,
    leaves: [["normative", "insert"]],
  },
  updateTariff: {
    allow: MANAGE,
    request: async (w) => ({ method: "PATCH", path: `/api/tariffs/${await freshTariff(w)}`, body: { price: "31.50" } }),
    ok: 200,
    leaves: [["tariff", "update"]],
  },
  deleteTariff: {
    allow: MANAGE,
    request: async (w) => ({ method: "DELETE", path: `/api/tariffs/${await freshTariff(w)}` }),
    ok: 204,
    leaves: [["tariff", "delete"]],
  },
  startHouseBillingRun: {
    allow: MANAGE,
    request: async (w) => {
      const house = await freshHouse(w);
      await freshApartment(w, house);
      return { method: "POST", path: `/api/houses/${house}/billing-runs`, body: { period: BILLED } };
    },
    ok: 202,
    leaves: [["billing_run", "insert"]],
  },
  listHouseBillingRuns: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/billing-runs` }), ok: 200 },
  getHouseBillingCheck: {
    allow: EVERYONE,
    request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/billing-check?period=${BILLED}` }),
    ok: 200,
  },
  getHouseMonth: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/months/${BILLED}` }), ok: 200 },
  postHouseMonth: {
    allow: MANAGE,
    request: async (w) => ({ method: "POST", path: `/api/houses/${await billedHouse(w)}/months/${BILLED}/post` }),
    ok: 200,
    // the month's charge goes into the apartment's account
    leaves: [
      ["month", "insert"],
      ["ledger", "insert"],
    ],
  },
  reopenHouseMonth: {
    allow: OWNER,
    request: async (w) => {
      const house = await billedHouse(w);
      await made(w, "POST", `/api/houses/${house}/months/${BILLED}/post`);
      return { method: "POST", path: `/api/houses/${house}/months/${BILLED}/reopen`, body: { reason: "показания пришли поздно" } };
    },
    ok: 200,
    // and the charge is reversed
    leaves: [
      ["month", "delete"],
      ["ledger", "insert"],
    ],
  },
  startPortfolioBillingRun: {
    allow: MANAGE,
    request: (w) => ({ method: "POST", path: "/api/billing-runs", body: { period: nextPortfolioMonth(), workspace_id: w.w } }),
    ok: 202,
    leaves: [["billing_run", "insert"]],
  },
  getBillingRun: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/billing-runs/${w.run}` }), ok: 200 },
  getMonthBoard: { allow: EVERYONE, request: (w) => ({ method: "GET", path: `/api/months/${BILLED}/board?workspace_id=${w.w}` }), ok: 200 },
  getPortfolioBillingCheck: {
    allow: EVERYONE,
    request: (w) => ({ method: "GET", path: `/api/billing-check?period=${BILLED}&workspace_id=${w.w}` }),
    ok: 200,
  },
  listHouseInvoices: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/invoices?period=${BILLED}` }),
    ok: 200,
  },
  listHouseInvoiceSummaries: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/invoices/summary?period=${BILLED}` }),
    ok: 200,
  },
  downloadHouseInvoicesCsv: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/invoices/csv?period=${BILLED}` }),
    ok: 200,
  },
  listApartmentInvoices: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/apartments/${w.apartment}/invoices` }),
    ok: 200,
  },
  downloadApartmentReceipt: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/apartments/${w.apartment}/receipt?period=${BILLED}` }),
    ok: 200,
  },
  // asking for a house's documents is recorded (who printed which month); viewers may print
  startReceiptBatch: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "POST", path: `/api/houses/${w.house}/receipt-batches`, body: { period: BILLED } }),
    ok: 202,
    leaves: [["receipt_batch", "insert"]],
  },
  listReceiptBatches: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/receipt-batches?period=${BILLED}` }),
    ok: 200,
  },
  getReceiptBatch: {
    allow: MANAGERS_SEE,
    request: async (w) => {
      const batch = await made<{ id: number }>(w, "POST", `/api/houses/${w.house}/receipt-batches`, { period: BILLED });
      return { method: "GET", path: `/api/receipt-batches/${batch.id}` };
    },
    ok: 200,
  },
  downloadReceiptBatch: {
    allow: MANAGERS_SEE,
    request: async (w) => {
      const batch = await made<{ id: number }>(w, "POST", `/api/houses/${w.house}/receipt-batches`, { period: BILLED });
      await renderBatchInline(batch.id);
      return { method: "GET", path: `/api/receipt-batches/${batch.id}/pdf` };
    },
    ok: 200,
  },
  uploadPaymentImport: {
    allow: MANAGE,
    request: (w) => ({ method: "POST", path: `/api/payment-imports?workspace_id=${w.w}&file_name=r.csv`, file: registry(w) }),
    ok: 201,
    leaves: [],
  },
  listPaymentImports: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/payment-imports?workspace_id=${w.w}` }),
    ok: 200,
  },
  getPaymentImport: {
    allow: MANAGERS_SEE,
    request: async (w) => ({ method: "GET", path: `/api/payment-imports/${await freshImport(w)}` }),
    ok: 200,
  },
  setPaymentImportMapping: {
    allow: MANAGE,
    // the header is new each time: the workspace remembers a new mapping (its one history entry)
    request: async (w) => ({
      method: "PUT",
      path: `/api/payment-imports/${await freshImport(w)}/mapping`,
      body: { account_number: 1, paid_on: 2, amount: 3, external_id: 0 },
    }),
    ok: 200,
    leaves: [["workspace", "update"]],
  },
  listPaymentImportRows: {
    allow: MANAGERS_SEE,
    request: async (w) => ({ method: "GET", path: `/api/payment-imports/${await previewedImport(w)}/rows` }),
    ok: 200,
  },
  commitPaymentImport: {
    allow: MANAGE,
    // the payments it writes are part of the import's entry, not entries of their own
    request: async (w) => ({ method: "POST", path: `/api/payment-imports/${await previewedImport(w)}/commit` }),
    ok: 200,
    leaves: [["payment_import", "update"]],
  },
  discardPaymentImport: {
    allow: MANAGE,
    request: async (w) => ({ method: "DELETE", path: `/api/payment-imports/${await previewedImport(w)}` }),
    ok: 204,
    leaves: [["payment_import", "update"]],
  },
  downloadRejectedPaymentRows: {
    allow: MANAGERS_SEE,
    request: async (w) => ({ method: "GET", path: `/api/payment-imports/${await previewedImport(w)}/rejected` }),
    ok: 200,
  },
  uploadReadingImport: {
    allow: READINGS,
    request: async (w) => ({
      method: "POST",
      path: `/api/reading-imports?workspace_id=${w.w}&period=2026-10`,
      file: await readingsFile(w),
    }),
    ok: 201,
    leaves: [],
  },
  listReadingImports: {
    allow: READINGS,
    request: (w) => ({ method: "GET", path: `/api/reading-imports?workspace_id=${w.w}` }),
    ok: 200,
  },
  getReadingImport: {
    allow: READINGS,
    request: async (w) => ({ method: "GET", path: `/api/reading-imports/${await freshReadingImport(w)}` }),
    ok: 200,
  },
  setReadingImportMapping: {
    allow: READINGS,
    // the header is new each time: the workspace remembers a new mapping (its one history entry)
    request: async (w) => ({
      method: "PUT",
      path: `/api/reading-imports/${await freshReadingImport(w)}/mapping`,
      body: { serial_number: 0, value: 1 },
    }),
    ok: 200,
    leaves: [["workspace", "update"]],
  },
  listReadingImportRows: {
    allow: READINGS,
    request: async (w) => ({ method: "GET", path: `/api/reading-imports/${await previewedReadingImport(w)}/rows` }),
    ok: 200,
  },
  commitReadingImport: {
    allow: READINGS,
    // the readings it writes are part of the import's entry, not entries of their own
    request: async (w) => ({ method: "POST", path: `/api/reading-imports/${await previewedReadingImport(w)}/commit` }),
    ok: 200,
    leaves: [["reading_import", "update"]],
  },
  discardReadingImport: {
    allow: READINGS,
    request: async (w) => ({ method: "DELETE", path: `/api/reading-imports/${await previewedReadingImport(w)}` }),
    ok: 204,
    leaves: [["reading_import", "update"]],
  },
  downloadRejectedReadingRows: {
    allow: READINGS,
    request: async (w) => ({ method: "GET", path: `/api/reading-imports/${await previewedReadingImport(w)}/rejected` }),
    ok: 200,
  },
  getApartmentAccount: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/apartments/${w.apartment}/account?as_of=2026-01-31` }),
    ok: 200,
  },
  setOpeningBalance: {
    allow: MANAGE,
    request: async (w) => ({
      method: "PUT",
      path: `/api/apartments/${await freshApartment(w)}/opening-balance`,
      body: { amount: "1250.50", date: "2025-12-31" },
    }),
    ok: 200,
    leaves: [["ledger", "insert"]],
  },
  setOpeningBalances: {
    allow: MANAGE,
    request: async (w) => {
      const apartment = await made<{ id: number }>(w, "GET", `/api/apartments/${await freshApartment(w)}/account`);
      return {
        method: "POST",
        path: "/api/opening-balances",
        body: {
          workspace_id: w.w,
          date: "2025-12-31",
          balances: [
            { account_number: (apartment as unknown as { apartment: { account_number: string } }).apartment.account_number, amount: "10" },
          ],
        },
      };
    },
    ok: 200,
    leaves: [["ledger", "insert"]],
  },
  listPayments: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/payments?workspace_id=${w.w}` }), ok: 200 },
  createPayment: {
    allow: MANAGE,
    request: (w) => ({
      method: "POST",
      path: "/api/payments",
      body: { apartment_id: w.apartment, paid_on: "2026-01-10", amount: "100.00" },
    }),
    ok: 201,
    leaves: [["ledger", "insert"]],
  },
  reversePayment: {
    allow: MANAGE,
    request: async (w) => {
      const payment = await made<{ id: number }>(w, "POST", "/api/payments", {
        apartment_id: w.apartment,
        paid_on: "2026-01-11",
        amount: "5",
      });
      return { method: "POST", path: `/api/payments/${payment.id}/reverse`, body: { reason: "ошибка" } };
    },
    ok: 200,
    leaves: [["ledger", "insert"]],
  },
  listHouseDebtors: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/houses/${w.house}/debtors` }), ok: 200 },
  listDebtors: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/debtors?workspace_id=${w.w}` }), ok: 200 },
  getProfile: { allow: "self", request: () => ({ method: "GET", path: "/api/profile" }), ok: 200 },
  activateInviteCode: {
    allow: "self",
    // a code of someone new each time: a person activates one code, once
    request: async () => ({
      method: "PATCH",
      path: "/api/profile",
      body: { foreign_invite_code: (await signIn(freshPhone())).inviteCode },
    }),
    ok: 200,
    leaves: [["member", "insert"]],
  },
  listWorkspaces: { allow: "self", request: () => ({ method: "GET", path: "/api/workspaces" }), ok: 200 },
  listApiKeys: {
    allow: OWNER,
    request: () => ({ method: "GET", path: "/api/api-keys" }),
    ok: 200,
    showsW: (b, w) => lists("items")(b, w.key),
  },
  createApiKey: {
    allow: OWNER,
    request: (w) => ({ method: "POST", path: "/api/api-keys", body: { name: unique("ключ"), workspace_id: w.w } }),
    ok: 201,
    leaves: [["api_key", "insert"]],
  },
  deleteApiKey: {
    allow: OWNER,
    request: async (w) => ({ method: "DELETE", path: `/api/api-keys/${await freshKey(w)}` }),
    ok: 204,
    leaves: [["api_key", "delete"]],
  },
  listResidents: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/apartments/${w.apartment}/residents` }),
    ok: 200,
  },
  addResident: {
    allow: MANAGE,
    request: (w) => ({
      method: "POST",
      path: `/api/apartments/${w.apartment}/residents`,
      body: { phone: freshPhone(), kind: "tenant", name: "Жилец" },
    }),
    ok: 201,
    leaves: [["resident", "insert"]],
  },
  updateResident: {
    allow: MANAGE,
    request: async (w) => ({
      method: "PATCH",
      path: `/api/apartments/${w.apartment}/residents/${await freshResident(w)}`,
      body: { kind: "tenant" },
    }),
    ok: 200,
    leaves: [["resident", "update"]],
  },
  removeResident: {
    allow: MANAGE,
    request: async (w) => ({ method: "DELETE", path: `/api/apartments/${w.apartment}/residents/${await freshResident(w)}` }),
    ok: 204,
    leaves: [["resident", "delete"]],
  },
  // A resident's own: every person is made a resident of an apartment of W first (W's window is
  // every day of the month: beforeAll), and reaches it as a resident whatever their role in W.
  listMyApartments: { allow: "self", request: () => ({ method: "GET", path: "/api/my/apartments" }), ok: 200 },
  getMyApartment: {
    allow: "self",
    request: async (w, caller) => ({ method: "GET", path: `/api/my/apartments/${(await callersApartment(w, caller)).apartment}` }),
    ok: 200,
  },
  sendMyReadings: {
    allow: "self",
    request: async (w, caller) => {
      const { apartment, meter } = await callersApartment(w, caller);
      return {
        method: "POST",
        path: `/api/my/apartments/${apartment}/readings`,
        body: { readings: [{ meter_id: meter, value: "4.500" }] },
      };
    },
    ok: 200,
    leaves: [["reading", "insert"]],
  },
  downloadMyApartmentReceipt: {
    allow: "self",
    request: async (w, caller) => {
      if (caller.personId !== null) {
        await db().execute(sql`
          insert into apartment_resident (workspace_id, apartment_id, phone, kind)
          select ${w.w}, ${w.apartment}, phone, 'owner' from person where id = ${caller.personId}
          on conflict do nothing`);
      }
      return { method: "GET", path: `/api/my/apartments/${w.apartment}/receipt?period=${BILLED}` };
    },
    ok: 200,
  },
  listHistory: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/history?workspace_id=${w.w}` }), ok: 200 },
  listApartmentHistory: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/apartments/${w.apartment}/history` }),
    ok: 200,
  },
  listMembers: { allow: OWNER, request: (w) => ({ method: "GET", path: `/api/workspaces/${w.w}/members` }), ok: 200 },
  updateMember: {
    allow: OWNER,
    request: async (w) => ({
      method: "PATCH",
      path: `/api/workspaces/${w.w}/members/${await freshMember(w)}`,
      body: { role: "accountant" },
    }),
    ok: 204,
    leaves: [["member", "update"]],
  },
  removeMember: {
    allow: OWNER,
    request: async (w) => ({ method: "DELETE", path: `/api/workspaces/${w.w}/members/${await freshMember(w)}` }),
    ok: 204,
    leaves: [["member", "delete"]],
  },
  getBillingSettings: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/workspaces/${w.w}/billing-settings` }),
    ok: 200,
  },
  updateBillingSettings: {
    allow: MANAGE,
    // a day unlike the one before: each allowed call changes it (fewer callers than 28 between two)
    request: (w) => ({ method: "PATCH", path: `/api/workspaces/${w.w}/billing-settings`, body: { payment_due_day: (++seq % 28) + 1 } }),
    ok: 200,
    leaves: [["workspace", "update"]],
  },
  getRequisites: {
    allow: MANAGERS_SEE,
    request: (w) => ({ method: "GET", path: `/api/workspaces/${w.w}/requisites` }),
    ok: 200,
  },
  updateRequisites: {
    allow: MANAGE,
    // a name unlike the one before: each allowed call changes it
    request: (w) => ({ method: "PATCH", path: `/api/workspaces/${w.w}/requisites`, body: { org_name: `ООО «Проба ${++seq}»` } }),
    ok: 200,
    leaves: [["workspace", "update"]],
  },
  listKeyRates: { allow: MANAGERS_SEE, request: (w) => ({ method: "GET", path: `/api/workspaces/${w.w}/key-rates` }), ok: 200 },
  putKeyRate: {
    allow: MANAGE,
    request: (w) => ({ method: "PUT", path: `/api/workspaces/${w.w}/key-rates/${freshRateDay()}`, body: { percent: "15.25" } }),
    ok: 201,
    leaves: [["key_rate", "insert"]],
  },
  deleteKeyRate: {
    allow: MANAGE,
    request: async (w) => {
      const day = freshRateDay();
      await made(w, "PUT", `/api/workspaces/${w.w}/key-rates/${day}`, { percent: "14.00" });
      return { method: "DELETE", path: `/api/workspaces/${w.w}/key-rates/${day}` };
    },
    ok: 204,
    leaves: [["key_rate", "delete"]],
  },
  listSessions: { allow: "self", request: () => ({ method: "GET", path: "/api/sessions" }), ok: 200 },
  deleteSession: {
    allow: "self",
    // another session of the caller's own (none for an API key or nobody: then any id)
    request: async (_w, caller) => ({
      method: "DELETE",
      path: `/api/sessions/${caller.personId ? (await createSession(db(), caller.personId)).sessionId : 1}`,
    }),
    ok: 204,
    leaves: [],
  },
  deleteSessions: { allow: "self", request: () => ({ method: "DELETE", path: "/api/sessions" }), ok: 200, leaves: [] },
  // last for each caller (it ends the caller's session): sessions are not in the history
  logout: { allow: "self", request: () => ({ method: "POST", path: "/api/logout" }), ok: 200, leaves: [] },
};

let phones = 0;
const freshPhone = () => `+7999777${String(++phones).padStart(4, "0")}`;

/**
 * Everything a request could change: every table's rows (API keys without their last use,
 * which authenticating a key stamps) and the job queue. Sessions and rate-limit counters are
 * bookkeeping of the asking itself.
 */
async function everything(): Promise<Record<string, string>> {
  const { rows: tables } = await db().execute<{ name: string }>(sql`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name not in ('session', 'rate_limit', 'login_code', 'worker_heartbeat', '__drizzle_migrations')
    order by 1`);
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const {
      rows: [row],
    } = await db().execute<{ n: number; digest: string | null }>(
      sql.raw(
        `select count(*)::int as n, md5(string_agg((to_jsonb(t) - 'last_used_at')::text, '|' order by (to_jsonb(t) - 'last_used_at')::text)) as digest from "${name}" t`,
      ),
    );
    result[name] = `${row.n}:${row.digest ?? "-"}`;
  }
  const {
    rows: [jobs],
  } = await db().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job`);
  result["pgboss.job"] = String(jobs.n);
  return result;
}

let world: World;
const callers: Caller[] = [];

beforeAll(async () => {
  const owner = await testPerson();
  await createTariffs(owner);
  const house = (await as(owner.token, "POST", "/api/houses", { address: "ул. Ролей, д. 1" })).body.id as number;
  const apartment = (await as(owner.token, "POST", `/api/houses/${house}/apartments`, { number: "1", area: "45.50", residents: 2 })).body
    .id as number;
  const meter = (await as(owner.token, "POST", `/api/apartments/${apartment}/meters`, { serial_number: "ROLE-1", service: "cold_water" }))
    .body.id as number;
  await as(owner.token, "PUT", `/api/meters/${meter}/readings/2024-01`, { value: "10.000" });
  await as(owner.token, "PUT", `/api/meters/${meter}/readings/${BILLED}`, { value: "15.500" });
  const services = (await as(owner.token, "GET", "/api/services")).body.items as { id: number }[];
  const runRes = await as(owner.token, "POST", `/api/houses/${house}/billing-runs`, { period: BILLED });
  await billInline(runRes.body.id);
  expect((await as(owner.token, "PATCH", `/api/workspaces/${owner.workspaceId}/requisites`, VALID_REQUISITES)).status).toBe(200);
  const key = (await as(owner.token, "POST", "/api/api-keys", { name: "W's key", workspace_id: owner.workspaceId })).body.id as number;
  // residents may send readings on any day (the resident's operations' cases)
  expect(
    (
      await as(owner.token, "PATCH", `/api/workspaces/${owner.workspaceId}/billing-settings`, {
        reading_window_from: 1,
        reading_window_to: 31,
      })
    ).status,
  ).toBe(200);
  world = { w: owner.workspaceId, owner, house, apartment, meter, service: services[0].id, run: runRes.body.id, key };

  callers.push({ name: "person owner", kind: "person", role: "owner", token: owner.token, personId: owner.personId, apiKeyId: null });
  for (const [i, role] of ROLES.slice(1).entries()) {
    const member = await signIn(`+7999666000${i}`);
    await joinWorkspace(member, owner.workspaceId, role);
    callers.push({ name: `person ${role}`, kind: "person", role, token: member.token, personId: member.personId, apiKeyId: null });
  }
  for (const role of ROLES) {
    const made = await as(owner.token, "POST", "/api/api-keys", { name: `${role} key`, workspace_id: owner.workspaceId });
    await db().execute(sql`update api_key set role = ${role} where id = ${made.body.id}`);
    callers.push({ name: `key ${role}`, kind: "key", role, token: made.body.key, personId: null, apiKeyId: made.body.id });
  }
  const stranger = await signIn("+79996660099");
  callers.push({
    name: "person of another workspace",
    kind: "stranger",
    role: null,
    token: stranger.token,
    personId: stranger.personId,
    apiKeyId: null,
  });
  // A resident of W's apartment is not a member of W: whatever they call with W's ids is not found
  // and changes nothing, and lists show nothing of W (issue 18), exactly as for a stranger.
  const resident = await signIn("+79996660098");
  expect((await as(owner.token, "POST", `/api/apartments/${apartment}/residents`, { phone: resident.phone, kind: "owner" })).status).toBe(
    201,
  );
  callers.push({
    name: "resident of an apartment of W",
    kind: "stranger",
    role: null,
    token: resident.token,
    personId: resident.personId,
    apiKeyId: null,
  });
  callers.push({ name: "no credential", kind: "none", role: null, token: null, personId: null, apiKeyId: null });
});

type Expected = { status: number; reason?: string; narrowed?: boolean };

function expected(operation: Operation, c: Case, caller: Caller): Expected {
  if (caller.kind === "none") return { status: 401, reason: "sign_in_required" };
  if (caller.kind === "key" && operation.auth === "person") return { status: 403, reason: "people_only" };
  const roles = c.allow;
  if (caller.kind === "stranger") {
    if (roles === "self") return { status: c.ok };
    return c.showsW ? { status: c.ok, narrowed: true } : { status: 404 };
  }
  if (roles === "self" || roles.includes(caller.role!)) return { status: c.ok };
  // A person is the owner of a workspace of their own too: a list shows them that one, without W.
  if (c.showsW && caller.kind === "person") return { status: c.ok, narrowed: true };
  return { status: 403, reason: "role_forbidden" };
}

const withRoles = OPERATIONS.filter((o) => o.auth !== "public");
// Signing out ends the caller's session: each caller's last call.
const ordered = [...withRoles.filter((o) => o.operationId !== "logout"), ...withRoles.filter((o) => o.operationId === "logout")];

describe("every operation × every caller", () => {
  it("every operation that needs a credential has a case here", () => {
    expect(withRoles.map((o) => o.operationId).filter((id) => !CASES[id])).toEqual([]);
  });

  it.each(ordered.map((o) => [o.operationId, o] as const))("%s", async (_id, operation) => {
    const c = CASES[operation.operationId];
    expect(c, `no case for ${operation.operationId}`).toBeDefined();
    // what the definition declares (and the OpenAPI document shows) is what the issue says
    expect(operation.roles).toEqual(c.allow);
    for (const caller of callers) {
      const request = await c.request(world, caller);
      const want = expected(operation, c, caller);
      const before = want.status >= 400 || want.narrowed ? await everything() : null;
      const since = await lastHistoryId();
      const res = await as(caller.token, request.method, request.path, request.body, request.file);
      const label = `${operation.operationId} as ${caller.name}: ${JSON.stringify(res.body)}`;
      expect(res.status, label).toBe(want.status);
      if (want.reason) expect(res.body.error.reason, label).toBe(want.reason);
      if (want.narrowed) expect(c.showsW!(res.body, world), label).toBe(false);
      const entries = await historySince(since);
      if (before) {
        expect(await everything(), `${label} changed something`).toEqual(before);
        expect(entries, label).toEqual([]);
        continue;
      }
      // An allowed call: exactly its entries, naming who and how.
      const leaves = c.leaves ?? [];
      expect(
        entries.map((e) => [e.entity, e.action]),
        label,
      ).toEqual(leaves);
      for (const entry of entries) {
        expect(entry, label).toMatchObject({ person_id: caller.personId, api_key_id: caller.apiKeyId, operation: operation.operationId });
        // the row as it was and as it is: none before an insert, none after a deletion, and an
        // update changed something
        expect(entry.before === null, label).toBe(entry.action === "insert");
        expect(entry.after === null, label).toBe(entry.action === "delete");
        if (entry.action === "update") expect(entry.after, label).not.toEqual(entry.before);
        // what a created thing's answer says it is, the entry says it was made as
        const made = res.body as Record<string, unknown> | null;
        if (entry.action === "insert" && made && typeof made.id === "number" && entry.entity !== "member") {
          // a reversal is the entry the reversed payment's answer names
          expect(entry.after!.id, label).toBe(entry.after!.kind === "reversal" ? made.reversed_by : made.id);
        }
        // in W's history (a call about the caller alone writes where it leads: the code's workspace)
        if (c.allow !== "self") expect(entry.workspace_id, label).toBe(world.w);
      }
    }
  });

  it("the operations without a credential answer anyone", async () => {
    const publics = OPERATIONS.filter((o) => o.auth === "public").map((o) => o.operationId);
    expect(publics.sort()).toEqual(["health", "login", "openApiDocument", "verify"]);
    for (const operation of OPERATIONS.filter((o) => o.auth === "public")) expect(operation.roles, operation.operationId).toBeUndefined();
    expect((await as(null, "GET", "/api/openapi.json")).status).toBe(200);
    expect((await as(null, "POST", "/api/login", { phone: "+79996660500" })).status).toBe(200);
    expect((await as(null, "POST", "/api/verify", { phone: "+79996660500", token: "000000" })).body.error.code).toBe("invalid_code");
  });
});
