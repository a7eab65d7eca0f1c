import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { errorResponse } from "../lib/api/route";
import { logger, runWithRequestContext } from "../lib/logger";
import { api } from "./helpers/api";
import { lastCode, testPerson } from "./helpers/auth";
import { db } from "./helpers/db";

// Structured logs: one JSON "request" line per API request, every line written while serving
// a request carrying its request id, and never a code, token or key.

const lines: string[] = [];
const streamSym = pino.symbols.streamSym as unknown as keyof typeof logger;
let original: unknown;
let originalLevel: string;

beforeAll(() => {
  // The logger's own stream, swapped for a list: the lines are exactly what stdout would get.
  original = logger[streamSym];
  originalLevel = logger.level;
  (logger as unknown as Record<symbol, unknown>)[streamSym as unknown as symbol] = { write: (line: string) => lines.push(line) };
  logger.level = "info";
});

afterAll(() => {
  (logger as unknown as Record<symbol, unknown>)[streamSym as unknown as symbol] = original;
  logger.level = originalLevel;
});

beforeEach(() => {
  lines.length = 0;
});

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const requestLines = () => parsed().filter((l) => l.msg === "request");

describe("request logs", () => {
  it("one JSON line per request: method, path, operation, status, duration, caller and the request id the response carries", async () => {
    const res = await api("GET", "/api/houses?limit=5");
    expect(res.status).toBe(200);
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [line, ...more] = requestLines();
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 30,
      req_id: id,
      method: "GET",
      path: "/api/houses",
      operation: "listHouses",
      status: 200,
      person_id: expect.any(Number),
    });
    expect(typeof line.ms).toBe("number");
    expect(typeof line.time).toBe("number");
    // Paths only: a query string may carry what the log should not keep.
    expect(JSON.stringify(line)).not.toContain("limit=5");
  });

  it("keeps a request id the client or proxy sent, and gives each request its own otherwise", async () => {
    const mine = await api("GET", "/api/houses", undefined, { headers: { "x-request-id": "lb-7f3a9c21-0001" } });
    expect(mine.headers.get("x-request-id")).toBe("lb-7f3a9c21-0001");
    const bad = await api("GET", "/api/houses", undefined, { headers: { "x-request-id": "x y\u0001" } });
    const other = await api("GET", "/api/houses");
    const ids = requestLines().map((l) => l.req_id);
    expect(ids[0]).toBe("lb-7f3a9c21-0001");
    expect(ids[1]).toBe(bad.headers.get("x-request-id"));
    expect(ids[1]).not.toBe("x y\u0001");
    expect(ids[2]).toBe(other.headers.get("x-request-id"));
    expect(new Set(ids).size).toBe(3);
  });

  it("errors are logged with their status, refused callers without an identity", async () => {
    const res = await api("GET", "/api/houses", undefined, { token: "kvs_not-a-real-token" });
    expect(res.status).toBe(401);
    const [line] = requestLines();
    expect(line).toMatchObject({ status: 401, operation: "listHouses" });
    expect(line).not.toHaveProperty("person_id");
    expect(JSON.stringify(line)).not.toContain("not-a-real-token");
  });

  it("every line written while serving a request carries its id, lines outside do not", () => {
    runWithRequestContext({ req_id: "req-inside-0001" }, () => logger.warn({ detail: 1 }, "inside"));
    logger.info("outside");
    const [inside, outside] = parsed();
    expect(inside).toMatchObject({ msg: "inside", req_id: "req-inside-0001", level: 40 });
    expect(outside.msg).toBe("outside");
    expect(outside).not.toHaveProperty("req_id");
  });

  it("sign-in, sessions and API keys leave no code, token or key in the log", async () => {
    const phone = "+79995550101";
    expect((await api("POST", "/api/login", { phone }, { token: null })).status).toBe(200);
    const code = lastCode(phone)!;
    const verified = await api("POST", "/api/verify", { phone, token: code }, { token: null });
    expect(verified.status).toBe(200);
    const token = verified.body.token as string;
    const created = await api("POST", "/api/api-keys", { name: "log check" }, { token });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect((await api("GET", "/api/houses", undefined, { token: key })).status).toBe(200);
    expect((await api("POST", "/api/verify", { phone, token: code }, { token: null })).status).toBe(422);

    // Numbers of our own (timestamps, durations, ids) could hold six digits by chance.
    const text = lines.join("").replace(/"(time|ms|pid|person_id|api_key_id)":[\d.]+/g, "");
    expect(requestLines().map((l) => l.operation)).toEqual(["login", "verify", "createApiKey", "listHouses", "verify"]);
    expect(requestLines()[3]).toMatchObject({ api_key_id: created.body.id });
    for (const secret of [code, token, key, token.slice(4, 20), key.slice(12, 28)]) expect(text).not.toContain(secret);
  });

  it("an unknown /api path gets its request line and id too", async () => {
    const res = await api("GET", "/api/no-such-thing");
    expect(res.status).toBe(404);
    expect(requestLines()).toEqual([
      expect.objectContaining({ req_id: res.headers.get("x-request-id"), path: "/api/no-such-thing", operation: null, status: 404 }),
    ]);
  });
});

describe("error logs", () => {
  const failing = async (query: ReturnType<typeof sql>) => {
    try {
      await db().execute(query);
    } catch (error) {
      return error;
    }
    throw new Error("the query was expected to fail");
  };

  it("an unexpected database error is logged with its query and cause, never the values it carried", async () => {
    const secret = "INVITE-K7ZQ2M";
    const error = await failing(sql`select ${secret}::text as code, 1 / 0 as boom`);
    expect((error as Error).message).toContain(secret); // drizzle's message does carry the values

    const response = errorResponse(error, new Request("http://localhost/api/profile"));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: "internal", reason: "internal", message: "internal server error" } });
    const [line] = parsed();
    expect(line).toMatchObject({ level: 50, msg: "unhandled error", path: "/api/profile" });
    expect(line.err).toMatchObject({ cause: { message: "division by zero", code: "22012" } });
    expect(JSON.stringify(line)).toContain("select $1::text as code");
    expect(lines.join("")).not.toContain(secret);
  });

  it("a constraint violation's detail (the duplicate value) stays out of the log", async () => {
    const me = await testPerson();
    const address = "ул. Секретная, д. 7";
    const insert = sql`insert into house (workspace_id, address) values (${me.workspaceId}, ${address})`;
    await db().execute(insert);
    const error = await failing(insert);
    expect(JSON.stringify(error)).toContain("Секретная"); // PostgreSQL's detail names the value
    logger.error({ err: error }, "insert failed");
    const [line] = parsed();
    expect(line.err).toMatchObject({ cause: { code: "23505" } });
    expect(lines.join("")).not.toContain("Секретная");
  });
});
