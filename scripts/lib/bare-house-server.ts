// The ceiling for GET /api/houses/:id in `npm run bench:api`: the route minus Next.js. A bare
// node:http server that authenticates the request with the same function (lib/auth/sessions),
// loads the house with the same getHouseDetail on a client of the web app's pool size (createDb's
// default, as db/client.ts uses) and JSON-serialises it. Anything else is 404.
// Run with DATABASE_URL and PORT; prints `listening on <port>` when ready.
import http from "node:http";
import { createDb } from "../../db/connect";
import { ApiError } from "../../lib/api/errors";
import { authenticate } from "../../lib/auth/sessions";
import { env } from "../../lib/env";
import { getHouseDetail } from "../../lib/registry/houses";

const { db } = createDb(env().DATABASE_URL!);

const HOUSE_PATH = /^\/api\/houses\/(\d{1,9})\/?$/;

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  try {
    const match = req.method === "GET" ? HOUSE_PATH.exec(req.url ?? "") : null;
    if (!match) return send(res, 404, { error: { code: "not_found", message: "no such endpoint" } });
    // authenticate reads only the headers; a Request is what it takes (and what the route has).
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
      headers: req.headers as Record<string, string>,
    });
    const actor = await authenticate(db, request);
    if (!actor) return send(res, 401, { error: { code: "unauthorized", message: "sign in first" } });
    send(res, 200, await getHouseDetail(db, actor.scope, Number(match[1])));
  } catch (e) {
    if (e instanceof ApiError) return send(res, e.status, e.toBody());
    console.error(e);
    send(res, 500, { error: { code: "internal", message: "internal error" } });
  }
});

server.listen(env().PORT, "127.0.0.1", () => {
  const { port } = server.address() as import("node:net").AddressInfo;
  console.log(`listening on ${port}`);
});

// The bench stops it with SIGTERM: finish, close the pool, go.
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
