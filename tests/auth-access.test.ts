import { randomBytes } from "node:crypto";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiKey, house } from "../db/schema";
import { sha256Hex } from "../lib/auth/tokens";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { api, isOtherMethod, ROUTES } from "./helpers/api";
import { joinWorkspace, signIn, testPerson, type TestPerson } from "./helpers/auth";
import { db, snapshot } from "./helpers/db";
import { touching, type Register, type Request } from "./helpers/register";
import { apiError } from "./helpers/fixtures";

// Who may reach what: credentials (none, bad, revoked), API keys and their one workspace, and
// two people whose workspaces must not see each other.

const thisMonth = () => currentMonth(env().APP_TIMEZONE);
const as = (token: string) => ({ token });

/** Fills a workspace through the API as `token`, failing loudly if the API refuses. */
async function makeRegister(token: string, tag: string): Promise<Register> {
  const ok = async (method: string, url: string, body: unknown) => {
    const res = await api(method, url, body, as(token));
    expect([200, 201], `${method} ${url} ${JSON.stringify(res.body)}`).toContain(res.status);
    return res.body;
  };
  const h = await ok("POST", "/api/houses", { address: `ул. ${tag}, д. 1` });
  const a = await ok("POST", `/api/houses/${h.id}/apartments`, { number: "1", area: "52.40" });
  const m = await ok("POST", `/api/apartments/${a.id}/meters`, { serial_number: `${tag}-0001`, service: "cold_water" });
  await ok("PUT", `/api/meters/${m.id}/readings/${addMonths(thisMonth(), -1)}`, { value: "100.000" });
  const houseTariff = await ok("POST", "/api/tariffs", { service: "hot_water", price: "199.99", valid_from: thisMonth(), house_id: h.id });
  const workspaceTariff = await ok("POST", "/api/tariffs", { service: "cold_water", price: "77", valid_from: thisMonth() });
  const services = (await api("GET", "/api/services", undefined, as(token))).body.items as { id: number; workspace_id: number }[];
  return {
    workspaceId: h.workspace_id,
    houseId: h.id,
    apartmentId: a.id,
    meterId: m.id,
    houseTariffId: houseTariff.id,
    workspaceTariffId: workspaceTariff.id,
    serviceId: services.find((s) => s.workspace_id === h.workspace_id)!.id,
  };
}

async function expectNotFoundAndNothingChanged(token: string, [method, url, body]: Request) {
  const before = await snapshot();
  const res = await api(method, url, body, as(token));
  expect(res.status, JSON.stringify(res.body)).toBe(404);
  expect(res.body).toEqual(apiError("not_found"));
  expect(await snapshot()).toEqual(before);
}

const houseIds = async (token: string) =>
  ((await api("GET", "/api/houses?limit=200", undefined, as(token))).body.items as { id: number }[]).map((h) => h.id);
const tariffIds = async (token: string) =>
  ((await api("GET", "/api/tariffs", undefined, as(token))).body.items as { id: number }[]).map((t) => t.id);

async function createKey(token: string, body: { name: string; workspace_id?: number }) {
  const res = await api("POST", "/api/api-keys", body, as(token));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string; workspace_id: number; key: string };
}

let owner: TestPerson; // the file's test person: own workspace, and a member of the colleague's
let colleague: TestPerson;
let stranger: TestPerson; // belongs to no one else's workspace
let own: Register;
let colleagues: Register;
let ownKey: { id: number; key: string };

beforeAll(async () => {
  owner = await testPerson();
  colleague = await signIn("+79994000002");
  stranger = await signIn("+79994000003");
  own = await makeRegister(owner.token, "Своя");
  colleagues = await makeRegister(colleague.token, "Коллеги");
  await makeRegister(stranger.token, "Чужая");
  // an owner of the colleague's workspace too: keys for it are theirs to make
  await joinWorkspace(owner, colleague.workspaceId, "owner");
  ownKey = await createKey(owner.token, { name: "own workspace" });
});

// ---- 401 ----

/** Every authenticated handler, with the register's real ids: a refused request must not touch them. */
const endpoints: [template: string, (r: Register, keyId: number) => Request][] = [
  ["GET /api/houses", () => ["GET", "/api/houses"]],
  ["POST /api/houses", () => ["POST", "/api/houses", { address: "ул. Анонимная, 1" }]],
  ["GET /api/houses/[id]", (r) => ["GET", `/api/houses/${r.houseId}`]],
  ["PATCH /api/houses/[id]", (r) => ["PATCH", `/api/houses/${r.houseId}`, { address: "ул. Анонимная, 2" }]],
  ["DELETE /api/houses/[id]", (r) => ["DELETE", `/api/houses/${r.houseId}`]],
  ["POST /api/houses/[id]/apartments", (r) => ["POST", `/api/houses/${r.houseId}/apartments`, { number: "5", area: "10.00" }]],
  [
    "POST /api/houses/[id]/readings",
    (r) => ["POST", `/api/houses/${r.houseId}/readings`, { period: thisMonth(), readings: [{ meter_id: r.meterId, value: "150.000" }] }],
  ],
  ["GET /api/apartments/[id]", (r) => ["GET", `/api/apartments/${r.apartmentId}`]],
  ["PATCH /api/apartments/[id]", (r) => ["PATCH", `/api/apartments/${r.apartmentId}`, { area: "11.00" }]],
  ["DELETE /api/apartments/[id]", (r) => ["DELETE", `/api/apartments/${r.apartmentId}`]],
  ["GET /api/apartments/[id]/history", (r) => ["GET", `/api/apartments/${r.apartmentId}/history`]],
  ["GET /api/history", () => ["GET", "/api/history"]],
  [
    "POST /api/apartments/[id]/meters",
    (r) => ["POST", `/api/apartments/${r.apartmentId}/meters`, { serial_number: "ANON-1", service: "cold_water" }],
  ],
  ["GET /api/meters/[id]", (r) => ["GET", `/api/meters/${r.meterId}`]],
  ["PATCH /api/meters/[id]", (r) => ["PATCH", `/api/meters/${r.meterId}`, { serial_number: "ANON-2" }]],
  ["DELETE /api/meters/[id]", (r) => ["DELETE", `/api/meters/${r.meterId}`]],
  ["GET /api/meters/[id]/readings", (r) => ["GET", `/api/meters/${r.meterId}/readings`]],
  ["PUT /api/meters/[id]/readings/[period]", (r) => ["PUT", `/api/meters/${r.meterId}/readings/${thisMonth()}`, { value: "150.000" }]],
  ["GET /api/tariffs", (r) => ["GET", `/api/tariffs?house_id=${r.houseId}`]],
  ["POST /api/tariffs", () => ["POST", "/api/tariffs", { service: "maintenance", price: "1.00", valid_from: addMonths(thisMonth(), 2) }]],
  ["GET /api/services", () => ["GET", "/api/services"]],
  [
    "POST /api/services",
    () => ["POST", "/api/services", { code: "anonymous", name_ru: "Аноним", name_en: "Anonymous", basis: "apartment" }],
  ],
  ["GET /api/services/[id]", (r) => ["GET", `/api/services/${r.serviceId}`]],
  ["PATCH /api/services/[id]", (r) => ["PATCH", `/api/services/${r.serviceId}`, { active: false }]],
  ["DELETE /api/services/[id]", (r) => ["DELETE", `/api/services/${r.serviceId}`]],
  ["GET /api/normatives", (r) => ["GET", `/api/normatives?house_id=${r.houseId}`]],
  ["POST /api/normatives", () => ["POST", "/api/normatives", { service: "hot_water", value: "3.1", valid_from: thisMonth() }]],
  ["GET /api/profile", () => ["GET", "/api/profile"]],
  ["PATCH /api/profile", () => ["PATCH", "/api/profile", { foreign_invite_code: "ABCDEF" }]],
  ["GET /api/workspaces", () => ["GET", "/api/workspaces"]],
  ["GET /api/workspaces/[id]/members", () => ["GET", "/api/workspaces/1/members"]],
  ["PATCH /api/workspaces/[id]/members/[person_id]", () => ["PATCH", "/api/workspaces/1/members/1", { role: "viewer" }]],
  ["DELETE /api/workspaces/[id]/members/[person_id]", () => ["DELETE", "/api/workspaces/1/members/1"]],
  ["GET /api/api-keys", () => ["GET", "/api/api-keys"]],
  ["POST /api/api-keys", () => ["POST", "/api/api-keys", { name: "anonymous" }]],
  ["DELETE /api/api-keys/[id]", (_r, keyId) => ["DELETE", `/api/api-keys/${keyId}`]],
  ["POST /api/logout", () => ["POST", "/api/logout"]],
  ["GET /api/sessions", () => ["GET", "/api/sessions"]],
  ["DELETE /api/sessions", () => ["DELETE", "/api/sessions"]],
  ["DELETE /api/sessions/[id]", () => ["DELETE", "/api/sessions/1"]],
  ["GET /api/houses/[id]/billing-runs", (r) => ["GET", `/api/houses/${r.houseId}/billing-runs`]],
  ["POST /api/houses/[id]/billing-runs", (r) => ["POST", `/api/houses/${r.houseId}/billing-runs`, { period: thisMonth() }]],
  ["GET /api/houses/[id]/invoices", (r) => ["GET", `/api/houses/${r.houseId}/invoices?period=${thisMonth()}`]],
  ["GET /api/apartments/[id]/invoices", (r) => ["GET", `/api/apartments/${r.apartmentId}/invoices`]],
  ["POST /api/billing-runs", () => ["POST", "/api/billing-runs", { period: thisMonth() }]],
  ["GET /api/billing-runs/[id]", () => ["GET", "/api/billing-runs/1"]],
  ["GET /api/houses/[id]/invoices/csv", (r) => ["GET", `/api/houses/${r.houseId}/invoices/csv?period=${thisMonth()}`]],
  ["GET /api/houses/[id]/invoices/summary", (r) => ["GET", `/api/houses/${r.houseId}/invoices/summary?period=${thisMonth()}`]],
  ["GET /api/houses/[id]/billing-check", (r) => ["GET", `/api/houses/${r.houseId}/billing-check?period=${thisMonth()}`]],
  ["GET /api/billing-check", () => ["GET", `/api/billing-check?period=${thisMonth()}`]],
  ["GET /api/months/[period]/board", () => ["GET", `/api/months/${thisMonth()}/board`]],
  ["GET /api/houses/[id]/readings", (r) => ["GET", `/api/houses/${r.houseId}/readings?period=${thisMonth()}`]],
  ["GET /api/houses/[id]/months/[period]", (r) => ["GET", `/api/houses/${r.houseId}/months/${thisMonth()}`]],
  ["POST /api/houses/[id]/months/[period]/post", (r) => ["POST", `/api/houses/${r.houseId}/months/${thisMonth()}/post`]],
  [
    "POST /api/houses/[id]/months/[period]/reopen",
    (r) => ["POST", `/api/houses/${r.houseId}/months/${thisMonth()}/reopen`, { reason: "проверка доступа" }],
  ],
  ["GET /api/houses/[id]/summary", (r) => ["GET", `/api/houses/${r.houseId}/summary`]],
  ["PATCH /api/tariffs/[id]", (r) => ["PATCH", `/api/tariffs/${r.workspaceTariffId}`, { price: "2.00" }]],
  ["DELETE /api/tariffs/[id]", (r) => ["DELETE", `/api/tariffs/${r.workspaceTariffId}`]],
  ["GET /api/apartments/[id]/account", (r) => ["GET", `/api/apartments/${r.apartmentId}/account`]],
  [
    "PUT /api/apartments/[id]/opening-balance",
    (r) => ["PUT", `/api/apartments/${r.apartmentId}/opening-balance`, { amount: "10", date: "2024-01-31" }],
  ],
  [
    "POST /api/opening-balances",
    () => ["POST", "/api/opening-balances", { date: "2024-01-31", balances: [{ account_number: "1", amount: "1" }] }],
  ],
  ["GET /api/payments", () => ["GET", "/api/payments"]],
  ["POST /api/payments", (r) => ["POST", "/api/payments", { apartment_id: r.apartmentId, paid_on: "2024-01-31", amount: "10" }]],
  ["POST /api/payments/[id]/reverse", () => ["POST", "/api/payments/1/reverse", { reason: "проверка доступа" }]],
  ["GET /api/houses/[id]/debtors", (r) => ["GET", `/api/houses/${r.houseId}/debtors`]],
  ["GET /api/debtors", () => ["GET", "/api/debtors"]],
  ["POST /api/payment-imports", () => ["POST", "/api/payment-imports?workspace_id=1&file_name=a.csv", "ЛС;Дата;Сумма\n1;01.01.2024;1"]],
  ["GET /api/payment-imports", () => ["GET", "/api/payment-imports"]],
  ["GET /api/payment-imports/[id]", () => ["GET", "/api/payment-imports/1"]],
  ["DELETE /api/payment-imports/[id]", () => ["DELETE", "/api/payment-imports/1"]],
  ["PUT /api/payment-imports/[id]/mapping", () => ["PUT", "/api/payment-imports/1/mapping", { account_number: 0, paid_on: 1, amount: 2 }]],
  ["GET /api/payment-imports/[id]/rows", () => ["GET", "/api/payment-imports/1/rows"]],
  ["POST /api/payment-imports/[id]/commit", () => ["POST", "/api/payment-imports/1/commit"]],
  ["GET /api/payment-imports/[id]/rejected", () => ["GET", "/api/payment-imports/1/rejected"]],
  ["POST /api/reading-imports", () => ["POST", "/api/reading-imports?workspace_id=1&file_name=a.csv", "Счётчик;Показание\nSN;1"]],
  ["GET /api/reading-imports", () => ["GET", "/api/reading-imports"]],
  ["GET /api/reading-imports/[id]", () => ["GET", "/api/reading-imports/1"]],
  ["DELETE /api/reading-imports/[id]", () => ["DELETE", "/api/reading-imports/1"]],
  ["PUT /api/reading-imports/[id]/mapping", () => ["PUT", "/api/reading-imports/1/mapping", { serial_number: 0, value: 1 }]],
  ["GET /api/reading-imports/[id]/rows", () => ["GET", "/api/reading-imports/1/rows"]],
  ["POST /api/reading-imports/[id]/commit", () => ["POST", "/api/reading-imports/1/commit"]],
  ["GET /api/reading-imports/[id]/rejected", () => ["GET", "/api/reading-imports/1/rejected"]],
  ["GET /api/workspaces/[id]/billing-settings", () => ["GET", "/api/workspaces/1/billing-settings"]],
  ["PATCH /api/workspaces/[id]/billing-settings", () => ["PATCH", "/api/workspaces/1/billing-settings", { payment_due_day: 10 }]],
  ["GET /api/workspaces/[id]/requisites", () => ["GET", "/api/workspaces/1/requisites"]],
  ["PATCH /api/workspaces/[id]/requisites", () => ["PATCH", "/api/workspaces/1/requisites", { org_name: "ООО «Проба»" }]],
  ["GET /api/apartments/[id]/receipt", (r) => ["GET", `/api/apartments/${r.apartmentId}/receipt?period=2024-01`]],
  ["GET /api/houses/[id]/receipt-batches", (r) => ["GET", `/api/houses/${r.houseId}/receipt-batches`]],
  ["POST /api/houses/[id]/receipt-batches", (r) => ["POST", `/api/houses/${r.houseId}/receipt-batches`, { period: "2024-01" }]],
  ["GET /api/receipt-batches/[id]", () => ["GET", "/api/receipt-batches/1"]],
  ["GET /api/receipt-batches/[id]/pdf", () => ["GET", "/api/receipt-batches/1/pdf"]],
  ["GET /api/apartments/[id]/residents", (r) => ["GET", `/api/apartments/${r.apartmentId}/residents`]],
  [
    "POST /api/apartments/[id]/residents",
    (r) => ["POST", `/api/apartments/${r.apartmentId}/residents`, { phone: "+79990001122", kind: "owner" }],
  ],
  [
    "PATCH /api/apartments/[id]/residents/[resident_id]",
    (r) => ["PATCH", `/api/apartments/${r.apartmentId}/residents/1`, { kind: "tenant" }],
  ],
  ["DELETE /api/apartments/[id]/residents/[resident_id]", (r) => ["DELETE", `/api/apartments/${r.apartmentId}/residents/1`]],
  ["GET /api/my/apartments", () => ["GET", "/api/my/apartments"]],
  ["GET /api/my/apartments/[id]", (r) => ["GET", `/api/my/apartments/${r.apartmentId}`]],
  [
    "POST /api/my/apartments/[id]/readings",
    (r) => ["POST", `/api/my/apartments/${r.apartmentId}/readings`, { readings: [{ meter_id: r.meterId, value: "1" }] }],
  ],
  ["GET /api/my/apartments/[id]/receipt", (r) => ["GET", `/api/my/apartments/${r.apartmentId}/receipt?period=2024-01`]],
  ["GET /api/workspaces/[id]/key-rates", () => ["GET", "/api/workspaces/1/key-rates"]],
  ["PUT /api/workspaces/[id]/key-rates/[valid_from]", () => ["PUT", "/api/workspaces/1/key-rates/2027-02-16", { percent: "15" }]],
  ["DELETE /api/workspaces/[id]/key-rates/[valid_from]", () => ["DELETE", "/api/workspaces/1/key-rates/2025-10-27"]],
];

const PUBLIC_ROUTES = ["login", "verify", "health", "openapi.json"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

describe("every endpoint except login and verify requires a credential", () => {
  it("the table below covers every route handler under app/api", async () => {
    const discovered: string[] = [];
    for (const route of ROUTES) {
      const dir = path
        .relative(path.join(process.cwd(), "app", "api"), path.dirname(route.file))
        .split(path.sep)
        .join("/");
      if (PUBLIC_ROUTES.includes(dir) || dir.startsWith("[...")) continue;
      const exported = (await import(route.file)) as Record<string, unknown>;
      for (const method of METHODS)
        if (typeof exported[method] === "function" && !isOtherMethod(exported[method])) discovered.push(`${method} /api/${dir}`);
    }
    expect(discovered.sort()).toEqual(endpoints.map(([template]) => template).sort());
  });

  // Secrets that were valid once, made in beforeAll.
  const spent: { loggedOut?: string; expired?: string; deletedKey?: string } = {};
  beforeAll(async () => {
    const loggedOut = await signIn("+79994000010");
    expect((await api("POST", "/api/logout", undefined, as(loggedOut.token))).status).toBe(200);
    spent.loggedOut = loggedOut.token;

    const expired = await signIn("+79994000011");
    await db().execute(sql`update session set expires_at = now() - interval '1 second' where token_hash = ${sha256Hex(expired.token)}`);
    spent.expired = expired.token;

    const deleted = await createKey(owner.token, { name: "deleted" });
    expect((await api("DELETE", `/api/api-keys/${deleted.id}`, undefined, as(owner.token))).status).toBe(204);
    spent.deletedKey = deleted.key;
  });

  const credentials: [string, () => { token: string | null; headers?: Record<string, string> }][] = [
    ["no credential", () => ({ token: null })],
    ["a garbage Bearer token", () => ({ token: "garbage" })],
    ["an unknown session token", () => ({ token: `kvs_${randomBytes(32).toString("base64url")}` })],
    ["an unknown API key", () => ({ token: `kvk_${randomBytes(32).toString("base64url")}` })],
    ["a garbage kv_session cookie", () => ({ token: null, headers: { cookie: "kv_session=garbage" } })],
    ["a valid token under another scheme than Bearer", () => ({ token: null, headers: { authorization: `Token ${owner.token}` } })],
    ["a logged-out session as Bearer", () => ({ token: spent.loggedOut! })],
    ["a logged-out session as cookie", () => ({ token: null, headers: { cookie: `kv_session=${spent.loggedOut}` } })],
    ["an expired session", () => ({ token: spent.expired! })],
    ["a deleted API key", () => ({ token: spent.deletedKey! })],
  ];

  describe.each(credentials)("with %s", (_name, credential) => {
    it.each(endpoints)("%s is 401 unauthorized and changes nothing", async (_template, build) => {
      const [method, url, body] = build(own, ownKey.id);
      const before = await snapshot();
      const keysBefore = await db().$count(apiKey);

      const res = await api(method, url, body, credential());

      expect(res.status).toBe(401);
      expect(res.body).toEqual(apiError("unauthorized"));
      expect(await snapshot()).toEqual(before);
      expect(await db().$count(apiKey)).toBe(keysBefore);
    });
  });
});

// ---- API keys ----

describe("API keys", () => {
  it("POST /api/api-keys answers 201 with the key, once; GET lists keys without them", async () => {
    const res = await api("POST", "/api/api-keys", { name: "1C integration" });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: "1C integration",
      workspace_id: owner.workspaceId,
      role: "accountant",
      key_prefix: res.body.key.slice(0, 12),
      created_at: expect.any(String),
      key: expect.stringMatching(/^kvk_[A-Za-z0-9_-]{40,}$/),
    });
    const key: string = res.body.key;
    expect((await api("GET", "/api/houses", undefined, as(key))).status).toBe(200);

    const list = await api("GET", "/api/api-keys");
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({
      id: res.body.id,
      name: "1C integration",
      workspace_id: owner.workspaceId,
      role: "accountant",
      key_prefix: key.slice(0, 12),
      created_by: owner.phone,
      created_at: res.body.created_at,
      last_used_at: expect.any(String),
    });
    expect(JSON.stringify(list.body)).not.toContain(key);
    for (const item of list.body.items) expect(item).not.toHaveProperty("key");
  });

  it("stamps last_used_at on first use, then at most once a minute (no write per request)", async () => {
    const { body: created } = await api("POST", "/api/api-keys", { name: "touch check" });
    const lastUsed = async () =>
      (await db().execute<{ at: string | null }>(sql`select last_used_at::text as at from api_key where id = ${created.id}`)).rows[0].at;
    expect(await lastUsed()).toBeNull();

    expect((await api("GET", "/api/houses", undefined, as(created.key))).status).toBe(200);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    expect((await api("GET", "/api/houses", undefined, as(created.key))).status).toBe(200);
    expect(await lastUsed()).toBe(first);

    await db().execute(sql`update api_key set last_used_at = now() - interval '61 seconds' where id = ${created.id}`);
    const stale = await lastUsed();
    expect((await api("GET", "/api/houses", undefined, as(created.key))).status).toBe(200);
    expect(await lastUsed()).not.toBe(stale);
    expect(new Date((await lastUsed())!).getTime()).toBeGreaterThan(new Date(stale!).getTime());
  });

  it("refuses a key without a name, with 422", async () => {
    for (const body of [{}, { name: "  " }, { name: "x", scope: "all" }]) {
      const res = await api("POST", "/api/api-keys", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });

  it("DELETE /api/api-keys/:id revokes the key at once", async () => {
    const created = await createKey(owner.token, { name: "short-lived" });
    expect((await api("GET", "/api/houses", undefined, as(created.key))).status).toBe(200);

    const res = await api("DELETE", `/api/api-keys/${created.id}`);

    expect(res.status).toBe(204);
    const after = await api("GET", "/api/houses", undefined, as(created.key));
    expect(after.status).toBe(401);
    expect(after.body).toEqual(apiError("unauthorized"));
    const list = await api("GET", "/api/api-keys");
    expect(list.body.items.map((k: { id: number }) => k.id)).not.toContain(created.id);
    expect((await api("DELETE", `/api/api-keys/${created.id}`)).status).toBe(404);
  });

  it("a key for a workspace you do not belong to is 404 and is not made", async () => {
    const keysBefore = await db().$count(apiKey);

    for (const workspaceId of [stranger.workspaceId, 2_000_000_000]) {
      const res = await api("POST", "/api/api-keys", { name: "trespass", workspace_id: workspaceId });
      expect(res.status, String(workspaceId)).toBe(404);
      expect(res.body).toEqual(apiError("not_found"));
    }

    expect(await db().$count(apiKey)).toBe(keysBefore);
  });

  describe("a key for the person's own workspace cannot reach the person's other (joined) workspace", () => {
    it("while the person's session can", async () => {
      expect((await api("GET", `/api/houses/${colleagues.houseId}`)).status).toBe(200);
      expect((await api("GET", `/api/houses/${colleagues.houseId}`, undefined, as(ownKey.key))).status).toBe(404);
    });

    it.each(touching)("%s is 404 not_found and changes nothing", async (_name, build) => {
      await expectNotFoundAndNothingChanged(ownKey.key, build(colleagues));
    });

    it("lists hold only the key's workspace", async () => {
      const byKey = await houseIds(ownKey.key);
      expect(byKey).toContain(own.houseId);
      expect(byKey).not.toContain(colleagues.houseId);
      const bySession = await houseIds(owner.token);
      expect(bySession).toEqual(expect.arrayContaining([own.houseId, colleagues.houseId]));

      const tariffsByKey = await tariffIds(ownKey.key);
      expect(tariffsByKey).toEqual(expect.arrayContaining([own.houseTariffId, own.workspaceTariffId]));
      expect(tariffsByKey).not.toContain(colleagues.houseTariffId);
      expect(tariffsByKey).not.toContain(colleagues.workspaceTariffId);
    });

    it("new houses go to the key's workspace", async () => {
      const res = await api("POST", "/api/houses", { address: "ул. Ключевая, д. 1" }, as(ownKey.key));
      expect(res.status).toBe(201);
      expect(res.body.workspace_id).toBe(owner.workspaceId);
    });
  });

  it("a key made for a joined workspace acts in that workspace only", async () => {
    const created = await createKey(owner.token, { name: "colleague's workspace", workspace_id: colleague.workspaceId });
    expect(created.workspace_id).toBe(colleague.workspaceId);

    const ids = await houseIds(created.key);
    expect(ids).toContain(colleagues.houseId);
    expect(ids).not.toContain(own.houseId);
    expect((await api("GET", `/api/houses/${colleagues.houseId}`, undefined, as(created.key))).status).toBe(200);
    await expectNotFoundAndNothingChanged(created.key, ["GET", `/api/houses/${own.houseId}`]);
    await expectNotFoundAndNothingChanged(created.key, ["DELETE", `/api/apartments/${own.apartmentId}`]);
    const house = await api("POST", "/api/houses", { address: "ул. Ключевая, д. 2" }, as(created.key));
    expect(house.body.workspace_id).toBe(colleague.workspaceId);
  });

  describe("a key is refused on endpoints for people", () => {
    const personOnly: [string, () => Request][] = [
      ["GET /api/profile", () => ["GET", "/api/profile"]],
      ["PATCH /api/profile", () => ["PATCH", "/api/profile", { foreign_invite_code: stranger.inviteCode }]],
      ["GET /api/workspaces", () => ["GET", "/api/workspaces"]],
      ["GET /api/workspaces/:id/members", () => ["GET", `/api/workspaces/${colleague.workspaceId}/members`]],
      ["GET /api/api-keys", () => ["GET", "/api/api-keys"]],
      ["POST /api/api-keys", () => ["POST", "/api/api-keys", { name: "made by a key" }]],
      ["DELETE /api/api-keys/:id", () => ["DELETE", `/api/api-keys/${ownKey.id}`]],
      ["POST /api/logout", () => ["POST", "/api/logout"]],
      ["GET /api/sessions", () => ["GET", "/api/sessions"]],
      ["DELETE /api/sessions", () => ["DELETE", "/api/sessions"]],
    ];

    it.each(personOnly)("%s is 403 forbidden and changes nothing", async (_name, build) => {
      const [method, url, body] = build();
      const keysBefore = await db().$count(apiKey);
      const profileBefore = (await api("GET", "/api/profile")).body;

      const res = await api(method, url, body, as(ownKey.key));

      expect(res.status).toBe(403);
      expect(res.body).toEqual(apiError("forbidden"));
      expect(await db().$count(apiKey)).toBe(keysBefore);
      expect((await api("GET", "/api/profile")).body).toEqual(profileBefore);
      expect((await api("GET", "/api/houses", undefined, as(ownKey.key))).status).toBe(200);
    });
  });
});

// ---- two people ----

describe("another person's workspace answers exactly like a missing one", () => {
  it.each(touching)("%s is 404 not_found and changes nothing", async (_name, build) => {
    await expectNotFoundAndNothingChanged(stranger.token, build(own));
  });

  it("lists leave out the other person's houses and prices", async () => {
    const houses = await houseIds(stranger.token);
    expect(houses).not.toContain(own.houseId);
    expect(houses).not.toContain(colleagues.houseId);
    const tariffs = await tariffIds(stranger.token);
    expect(tariffs).not.toContain(own.houseTariffId);
    expect(tariffs).not.toContain(own.workspaceTariffId);
  });

  it("another person's API keys can be neither listed nor deleted", async () => {
    const list = await api("GET", "/api/api-keys", undefined, as(stranger.token));
    expect(list.status).toBe(200);
    expect(list.body.items.map((k: { id: number }) => k.id)).not.toContain(ownKey.id);

    const res = await api("DELETE", `/api/api-keys/${ownKey.id}`, undefined, as(stranger.token));

    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found"));
    expect((await api("GET", "/api/houses", undefined, as(ownKey.key))).status).toBe(200);
  });

  it("POST /api/houses with a joined workspace's id creates the house there (201)", async () => {
    const res = await api("POST", "/api/houses", { address: "ул. Общая, д. 1", workspace_id: colleague.workspaceId });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ address: "ул. Общая, д. 1", workspace_id: colleague.workspaceId });
    const [row] = await db().select().from(house).where(eq(house.id, res.body.id));
    expect(row.workspaceId).toBe(colleague.workspaceId);
    expect(await houseIds(colleague.token)).toContain(res.body.id);
    expect(await houseIds(stranger.token)).not.toContain(res.body.id);
  });

  it("POST /api/houses without workspace_id creates the house in the person's own workspace", async () => {
    const res = await api("POST", "/api/houses", { address: "ул. Своя, д. 99" });
    expect(res.status).toBe(201);
    expect(res.body.workspace_id).toBe(owner.workspaceId);
  });
});
