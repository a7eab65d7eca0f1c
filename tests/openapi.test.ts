import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { HTTP_METHODS, type Operation } from "../lib/api/operation";
import { buildOpenApiDocument } from "../lib/api/openapi";
import { OPERATIONS } from "../lib/api/operations";
import { api, isOtherMethod, ROUTES } from "./helpers/api";

// The OpenAPI description and the routes are the same thing: every route handler is built
// from an operation, every operation has its route, and the document is valid OpenAPI 3.1.
// (That every answer matches its documented status and schema is checked under test by the
// route wrapper itself, across the whole suite: lib/api/response-check.ts.)

const API_DIR = path.join(process.cwd(), "app", "api");
// The JSON 404 for unknown /api paths: not an endpoint, so not described.
const CATCH_ALL = path.join(API_DIR, "[...path]", "route.ts");

/** app/api/houses/[id]/route.ts → /api/houses/{id} */
function openApiPath(file: string): string {
  const segments = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
  return `/api/${segments.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}`.replace(/\/$/, "");
}

interface Served {
  method: string;
  path: string;
  operation?: Operation;
}

async function servedRoutes(): Promise<Served[]> {
  const served: Served[] = [];
  // The route files as the in-process router found them in app/api (tests/helpers/api.ts).
  for (const file of ROUTES.map((r) => r.file).filter((f) => f !== CATCH_ALL)) {
    const exported = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) {
      if (!(HTTP_METHODS as readonly string[]).includes(name)) continue;
      if (isOtherMethod(value)) continue; // the 405 for a method the file does not serve
      served.push({ method: name, path: openApiPath(file), operation: (value as { operation?: Operation }).operation });
    }
  }
  return served;
}

const key = (o: { method: string; path: string }) => `${o.method} ${o.path}`;

/** /api/houses/{id} → /api/houses/1: a URL the route file serves (ids are numbers, months months). */
const concrete = (template: string) => template.replace("{period}", "2024-01").replace(/\{\w+\}/g, "1");

describe("routes and their OpenAPI description", () => {
  it("every route handler is built from the operation for its own method and path", async () => {
    const served = await servedRoutes();
    expect(served.length).toBeGreaterThan(30);
    const mismatched = served
      .filter((s) => !s.operation || key(s.operation) !== key(s))
      .map((s) => `${key(s)} → ${s.operation ? key(s.operation) : "no operation"}`);
    expect(mismatched).toEqual([]);
  });

  it("every described operation has its route, and every route is described (once)", async () => {
    const served = (await servedRoutes()).map(key).sort();
    const described = OPERATIONS.map(key).sort();
    expect(described).toEqual(served);
    expect(new Set(described).size).toBe(described.length);
    expect(new Set(OPERATIONS.map((o) => o.operationId)).size).toBe(OPERATIONS.length);
  });

  it("every operation says what it does and what each answer means", () => {
    for (const operation of OPERATIONS) {
      expect(operation.summary.trim(), operation.operationId).not.toBe("");
      expect(operation.tag.trim(), operation.operationId).not.toBe("");
      const answers = Object.values(operation.responses);
      expect(answers.length, operation.operationId).toBeGreaterThan(0);
      for (const answer of answers) expect(answer!.description.trim(), operation.operationId).not.toBe("");
    }
  });

  it("an unexpected query parameter is a documented 422, even where an operation takes none", async () => {
    // The route wrapper checks every answer against the description under test: an
    // undocumented status would come back as a 500.
    for (const url of ["/api/health?nocache=1", "/api/openapi.json?v=2", "/api/profile?x=1"]) {
      const res = await api("GET", url);
      expect(res.status, url).toBe(422);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });

  it("a method a route does not serve is a JSON 405 naming the ones it does, in Allow too; OPTIONS says the same", async () => {
    const byPath = new Map<string, string[]>();
    for (const operation of OPERATIONS) byPath.set(operation.path, [...(byPath.get(operation.path) ?? []), operation.method]);
    expect(byPath.size).toBe(ROUTES.length - 1);
    for (const [template, listed] of byPath) {
      const served = HTTP_METHODS.filter((m) => listed.includes(m));
      const url = concrete(template);
      const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
      const others = HTTP_METHODS.filter((m) => !served.includes(m));
      for (const method of others) {
        const res = await api(method, url);
        expect(res.status, `${method} ${url}`).toBe(405);
        expect(res.body, `${method} ${url}`).toEqual({
          error: {
            code: "method_not_allowed",
            reason: "method_not_allowed",
            message: `${method} is not served at ${url}; it takes ${served.join(", ")}`,
            params: { method, allow: served.join(", ") },
          },
        });
        expect(res.headers.get("allow"), `${method} ${url}`).toBe(allow);
        expect(res.headers.get("x-request-id"), `${method} ${url}`).toBeTruthy();
      }
      if (!served.includes("GET")) {
        // Where there is a GET, Next.js answers HEAD from it; elsewhere, so do we.
        const head = await api("HEAD", url);
        expect([head.status, head.headers.get("allow")], `HEAD ${url}`).toEqual([405, allow]);
      }
      const options = await api("OPTIONS", url, undefined, { token: null });
      expect(options.status, `OPTIONS ${url}`).toBe(204);
      expect(options.headers.get("allow"), `OPTIONS ${url}`).toBe(allow);
    }
  });

  it("the catch-all is the only route file left out, and it answers a JSON 404", async () => {
    expect(fs.existsSync(CATCH_ALL)).toBe(true);
    const res = await api("GET", "/api/no-such-endpoint");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});

describe("GET /api/openapi.json", () => {
  it("serves a valid OpenAPI 3.1 document without a credential", async () => {
    const res = await api("GET", "/api/openapi.json", undefined, { token: null });
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists exactly the operations, with the request schemas the routes validate with", async () => {
    const { body: doc } = await api("GET", "/api/openapi.json");
    const listed = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([p, methods]) =>
      Object.entries(methods).map(([m, op]) => `${m.toUpperCase()} ${p} ${op.operationId}`),
    );
    expect(listed.sort()).toEqual(OPERATIONS.map((o) => `${key(o)} ${o.operationId}`).sort());

    // A body field's rules come from its zod schema: strictness, required fields, enums, bounds.
    const createTariff = doc.paths["/api/tariffs"].post;
    const body = createTariff.requestBody.content["application/json"].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.required.sort()).toEqual(["price", "service", "valid_from"]);
    // a service is one of the workspace's (GET /api/services), by its code
    expect(body.properties.service.pattern).toBe("^[a-z][a-z0-9_]{1,31}$");
    const normative = doc.paths["/api/normatives"].post.requestBody.content["application/json"].schema;
    expect(normative.properties.service.enum).toEqual(["cold_water", "hot_water"]);
    expect(normative.required.sort()).toEqual(["service", "valid_from", "value"]);
    expect(body.properties.price.anyOf).toEqual([expect.objectContaining({ type: "string" }), { type: "number" }]);
    expect(body.properties.price.description).toMatch(/at most 4 decimal places/);
    expect(createTariff.responses["409"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });

    const bulk = doc.paths["/api/houses/{id}/readings"].post.requestBody.content["application/json"].schema;
    expect(bulk.properties.readings).toMatchObject({ type: "array", minItems: 1, maxItems: 5000 });

    const putReading = doc.paths["/api/meters/{id}/readings/{period}"].put;
    expect(putReading.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required])).toEqual([
      ["id", "path", true],
      ["period", "path", true],
    ]);
    expect(Object.keys(putReading.responses).sort()).toEqual([
      "200",
      "201",
      "400",
      "401",
      "403",
      "404",
      "409",
      "413",
      "415",
      "422",
      "500",
      "503",
    ]);
    // who may call it, in one place: its definition, shown as x-roles and said in the description
    expect(putReading["x-roles"]).toEqual(["owner", "accountant", "operator"]);
    expect(putReading.description).toMatch(/Roles: owner, accountant, operator/);
    expect(putReading.responses["403"].description).toMatch(/role_forbidden/);
    expect(doc.paths["/api/houses"].get["x-roles"]).toEqual(["owner", "accountant", "operator", "viewer"]);
    expect(doc.paths["/api/houses"].get.responses["403"]).toBeUndefined();
    expect(doc.paths["/api/profile"].get["x-roles"]).toEqual(["self"]);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { security: unknown[]; "x-roles"?: string[] }>>)) {
      for (const [method, op] of Object.entries(item)) {
        // every operation that needs a credential says who may call it
        if (op.security.length > 0) expect(op["x-roles"], `${method} ${path}`).toBeDefined();
      }
    }
    // 415 where there is a body to declare, nowhere else
    expect(doc.paths["/api/houses"].post.responses["415"].description).toMatch(/Content-Type: application\/json/);
    expect(doc.paths["/api/houses"].get.responses["415"]).toBeUndefined();

    const houses = doc.paths["/api/houses"].get;
    expect(houses.parameters.map((p: { name: string }) => p.name)).toEqual(["limit", "offset", "q"]);
    expect(houses.parameters.every((p: { required: boolean }) => !p.required)).toBe(true);
  });

  it("says who may call what: public, any credential, people only", async () => {
    const { body: doc } = await api("GET", "/api/openapi.json");
    expect(doc.paths["/api/login"].post.security).toEqual([]);
    expect(doc.paths["/api/health"].get.security).toEqual([]);
    expect(doc.paths["/api/houses"].get.security).toEqual([{ bearer: [] }, { sessionCookie: [] }]);
    expect(doc.paths["/api/houses"].get.responses["403"]).toBeUndefined();
    expect(doc.paths["/api/api-keys"].post.responses["403"].description).toMatch(/API key/);
    expect(doc.paths["/api/login"].post.responses["401"]).toBeUndefined();
    expect(doc.paths["/api/login"].post.responses["429"].headers["retry-after"]).toBeDefined();
  });

  it("describes money and readings as decimal strings, never numbers", () => {
    const doc = buildOpenApiDocument({ version: "test" });
    const invoices = doc.paths["/api/houses/{id}/invoices"].get as {
      responses: Record<string, { content: Record<string, { schema: any }> }>;
    };
    const schema = invoices.responses["200"].content["application/json"].schema;
    const line = schema.properties.items.items.properties.lines.items;
    for (const field of ["amount", "price", "quantity"]) expect(line.properties[field].type, field).toBe("string");
    expect(schema.properties.totals.properties.total).toMatchObject({ type: "string", pattern: "^-?\\d+\\.\\d{2}$" });
  });
});
