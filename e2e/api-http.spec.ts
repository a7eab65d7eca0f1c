import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, newSession, uniqueAddress } from "./helpers";

let token: string;
test.beforeAll(async () => {
  token = (await newSession()).token;
});

// What only a real HTTP server can show: routing with and without a trailing slash (no
// redirect), body limits, and JSON errors for paths Next.js would answer with HTML.

async function call(request: APIRequestContext, method: string, url: string, data?: unknown) {
  const headers = { ...bearer(token), ...(data === undefined ? {} : { "content-type": "application/json" }) };
  const response = await request.fetch(url, { method, data, maxRedirects: 0, headers });
  return { status: response.status(), body: response.status() === 204 ? null : await response.json() };
}

test("every endpoint answers the same with and without a trailing slash, without redirecting", async ({ request }) => {
  const house = (await call(request, "POST", "/api/houses/", { address: uniqueAddress("ул. Слэш, д. 1") })).body;
  const apartment = (await call(request, "POST", `/api/houses/${house.id}/apartments/`, { number: "1", area: "50" })).body;
  const meter = (
    await call(request, "POST", `/api/apartments/${apartment.id}/meters/`, { serial_number: uniqueAddress("SL"), service: "cold_water" })
  ).body;
  expect([house.id, apartment.id, meter.id].every(Number.isInteger)).toBe(true);

  // The UTC month is never after the server's (Moscow) month, so it is never "in the future".
  const month = new Date().toISOString().slice(0, 7);
  const previous = `${Number(month.slice(0, 4)) - 1}-${month.slice(5)}`;
  const cases: [string, string, unknown, number][] = [
    ["GET", "/api/houses", undefined, 200],
    ["GET", `/api/houses/${house.id}`, undefined, 200],
    ["PATCH", `/api/houses/${house.id}`, { address: uniqueAddress("ул. Слэш, д. 2") }, 200],
    ["GET", `/api/apartments/${apartment.id}`, undefined, 200],
    ["PATCH", `/api/apartments/${apartment.id}`, { area: "51.5" }, 200],
    ["GET", `/api/meters/${meter.id}`, undefined, 200],
    ["PATCH", `/api/meters/${meter.id}`, { installed_on: "2020-01-15" }, 200],
    ["GET", `/api/meters/${meter.id}/readings`, undefined, 200],
    ["POST", `/api/houses/${house.id}/readings`, { period: previous, readings: [{ meter_id: meter.id, value: "10" }] }, 200],
    ["GET", `/api/tariffs?house_id=${house.id}`, undefined, 200],
    ["GET", "/api/houses/999999999", undefined, 404],
  ];
  for (const [method, url, data, status] of cases) {
    const [path, query] = url.split("?");
    const plain = await call(request, method, url, data);
    const slashed = await call(request, method, `${path}/${query ? `?${query}` : ""}`, data);
    expect(plain.status, `${method} ${url}`).toBe(status);
    expect(slashed.status, `${method} ${path}/`).toBe(status);
    // Reads must match exactly; a repeated write legitimately differs (created → replaced).
    if (method === "GET") expect(slashed.body, `${method} ${path}/`).toEqual(plain.body);
    else expect(Object.keys(slashed.body ?? {}).sort()).toEqual(Object.keys(plain.body ?? {}).sort());
  }

  // Writes that create: the second form must reach the same handler too.
  expect((await call(request, "PUT", `/api/meters/${meter.id}/readings/${month}`, { value: "12" })).status).toBe(201);
  expect((await call(request, "PUT", `/api/meters/${meter.id}/readings/${month}/`, { value: "13" })).status).toBe(200);
  expect(
    (await call(request, "POST", "/api/tariffs/", { service: "maintenance", price: "30", valid_from: month, house_id: house.id })).status,
  ).toBe(201);
  expect(
    (await call(request, "POST", "/api/tariffs", { service: "maintenance", price: "31", valid_from: month, house_id: house.id })).status,
  ).toBe(409);
  expect((await call(request, "DELETE", `/api/meters/${meter.id}/`)).status).toBe(204);
  expect((await call(request, "DELETE", `/api/apartments/${apartment.id}`)).status).toBe(204);
  expect((await call(request, "DELETE", `/api/houses/${house.id}/`)).status).toBe(204);
});

test("a 10 MB body is refused with 413 and nothing is created", async ({ request }) => {
  const before = (await call(request, "GET", "/api/houses?limit=1")).body.total;
  const address = "д".repeat(5 * 1024 * 1024); // 10 MB of UTF-8
  const response = await request.post("/api/houses", { data: { address }, headers: bearer(token) });
  expect(response.status()).toBe(413);
  expect((await response.json()).error.code).toBe("payload_too_large");
  expect((await call(request, "GET", "/api/houses?limit=1")).body.total).toBe(before);
});

test("malformed JSON is a 400 and an unknown API path a JSON 404", async ({ request }) => {
  const bad = await request.post("/api/houses", {
    data: Buffer.from('{"address": '),
    headers: { "content-type": "application/json", ...bearer(token) },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("invalid_json");

  const unknown = await request.get("/api/no-such-thing/", { headers: bearer(token) });
  expect(unknown.status()).toBe(404);
  expect(unknown.headers()["content-type"]).toContain("application/json");
  expect((await unknown.json()).error.code).toBe("not_found");
});

test("a body declared as a form or as text is refused with 415; one without a Content-Type is read as JSON", async ({ baseURL }) => {
  const before = (await fetch(`${baseURL}/api/houses?limit=1`, { headers: bearer(token) }).then((r) => r.json())).total;
  const address = uniqueAddress("ул. Типовая, д. 1");
  // What fetch sends for a bare string (text/plain;charset=UTF-8) and for URLSearchParams (a form, as curl -d).
  for (const body of [JSON.stringify({ address }), new URLSearchParams({ address })]) {
    const refused = await fetch(`${baseURL}/api/houses`, { method: "POST", headers: bearer(token), body });
    expect(refused.status).toBe(415);
    const { error } = await refused.json();
    expect(error.code).toBe("unsupported_media_type");
    expect(error.message).toContain("Content-Type: application/json");
  }
  expect((await fetch(`${baseURL}/api/houses?limit=1`, { headers: bearer(token) }).then((r) => r.json())).total).toBe(before);

  // Bytes carry no Content-Type: read as JSON, as the seed's clients sent it.
  const created = await fetch(`${baseURL}/api/houses`, {
    method: "POST",
    headers: bearer(token),
    body: new TextEncoder().encode(JSON.stringify({ address })),
  });
  expect(created.status).toBe(201);
  expect((await created.json()).address).toBe(address);
});

test("without a credential the API answers 401 with and without the slash", async ({ request }) => {
  for (const url of ["/api/houses", "/api/houses/", "/api/profile/"]) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
  }
});

test("a method an endpoint does not serve is a JSON 405 with Allow, from the real server; OPTIONS lists the same", async ({ request }) => {
  for (const url of ["/api/houses", "/api/houses/"]) {
    const response = await request.delete(url, { headers: bearer(token) });
    expect(response.status(), url).toBe(405);
    expect(response.headers()["allow"], url).toBe("GET, POST, HEAD, OPTIONS");
    expect(response.headers()["x-request-id"], url).toBeTruthy();
    expect(await response.json(), url).toEqual({
      error: {
        code: "method_not_allowed",
        reason: "method_not_allowed",
        message: `DELETE is not served at ${url}; it takes GET, POST`,
        params: { method: "DELETE", allow: "GET, POST" },
      },
    });
  }
  const options = await request.fetch("/api/login", { method: "OPTIONS" });
  expect(options.status()).toBe(204);
  expect(options.headers()["allow"]).toBe("POST, OPTIONS");
  const head = await request.fetch("/api/login", { method: "HEAD" });
  expect([head.status(), head.headers()["allow"]]).toEqual([405, "POST, OPTIONS"]);
  // An unknown path is unknown whatever the method.
  expect((await request.fetch("/api/no-such-thing", { method: "OPTIONS" })).status()).toBe(404);
});
