// npm run bench:api [-- --duration 10 --warmup 3 --connections 1,10,50 --targets bare,house,put]
// HTTP load figures for the JSON API on the production build (not part of npm test):
//   bare   the ceiling: GET of the house detail from a bare node:http server (same
//          authentication, same getHouseDetail, same database) — the route minus Next.js;
//   house  GET /api/houses/:id of a 100-apartment house through `npm start`, with an API key;
//   put    PUT /api/meters/:id/readings/:period, rotating over the house's 200 meters.
// A database of its own: kvartplata_bench_api on DATABASE_URL's server, else an embedded
// PostgreSQL in .data/bench-api; recreated at every start, dropped at the end.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { createDb } from "../db/connect";
import { findFreePort } from "../db/embedded";
import { createApiKey } from "../lib/auth/api-keys";
import { Dec } from "../lib/money";
import { addMonths, monthToDate, type Month } from "../lib/months";
import { createApartment } from "../lib/registry/apartments";
import { createHouse } from "../lib/registry/houses";
import { createMeter } from "../lib/registry/meters";
import { bulkPutReadings } from "../lib/registry/readings";
import { createTariff } from "../lib/registry/tariffs";
import {
  benchKit,
  benchOwner,
  cpuSeconds,
  gitDescription,
  openBenchDatabase,
  prefixLines,
  printTable,
  requireBuild,
  startApp,
  stopTree,
  tree,
} from "./lib/bench-kit";

const USAGE = "usage: npm run bench:api [-- --duration 10 --warmup 3 --connections 1,10,50 --targets bare,house,put]";
function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      duration: { type: "string", default: process.env.BENCH_DURATION ?? "10" },
      warmup: { type: "string", default: process.env.BENCH_WARMUP ?? "3" },
      connections: { type: "string", default: process.env.BENCH_CONNECTIONS ?? "1,10,50" },
      targets: { type: "string", default: process.env.BENCH_TARGETS ?? "bare,house,put" },
    },
  });
} catch (e) {
  usage((e as Error).message);
}
const args = parsed.values;
const DURATION = Number(args.duration); // s, measured
const WARMUP = Number(args.warmup); // s, discarded
const CONNECTIONS = args.connections.split(",").map(Number);
const TARGETS = new Set(args.targets.split(","));
const APARTMENTS = 100;
const READING_MONTHS = 4; // the months before the current one
const DB_NAME = "kvartplata_bench_api";
const EMBEDDED_DIR = path.join(process.cwd(), ".data", "bench-api");
const EMBEDDED_PORT = 55435;
// The goal this bench checks: house detail p95 under 50 ms at 50 connections.
const GOAL = { connections: 50, p95Ms: 50 };
const TARGET_NAMES = {
  bare: "GET house, bare node:http",
  house: "GET /api/houses/:id",
  put: "PUT /api/meters/:id/readings/:p",
};

if (!(DURATION > 0) || !(WARMUP >= 0)) usage("--duration must be a positive number of seconds, --warmup zero or more");
if (!CONNECTIONS.every((c) => Number.isInteger(c) && c > 0)) usage("--connections must be positive whole numbers, comma-separated");
if (![...TARGETS].every((t) => t in TARGET_NAMES)) usage(`--targets must be some of ${Object.keys(TARGET_NAMES).join(", ")}`);
requireBuild();

// ---- stopping everything we started, once, also on Ctrl-C ----

const kit = benchKit("bench:api");
const { log, cleanups, cleanup } = kit;
let running: autocannon.Instance | undefined;
kit.interrupts.push(() => running?.stop());

// ---- database and data ----

/** The embedded server's processes, for CPU accounting; a DATABASE_URL server is not measured. */
let postgresPids: (() => number[]) | null = null;

async function openDatabase(): Promise<string> {
  const opened = await openBenchDatabase(kit, { dbName: DB_NAME, embeddedDir: EMBEDDED_DIR, port: EMBEDDED_PORT });
  postgresPids = opened.postgresPids;
  return opened.url;
}

interface Seeded {
  houseId: number;
  apiKey: string;
  /** each meter with its latest reading (last month's): a PUT for this month must not go below it */
  meters: { id: number; previous: string }[];
  month: Month;
}

/** The register the way the API builds it: registry functions, one API key. */
async function seed(url: string): Promise<Seeded> {
  const handle = createDb(url, { max: 2 });
  try {
    const { db } = handle;
    const { person, scope, month } = await benchOwner(db, "+79990002233");

    const house = await createHouse(db, scope, { address: "ул. Нагрузочная, д. 100" });
    const meters: number[] = [];
    for (let n = 1; n <= APARTMENTS; n++) {
      const area = new Dec((n * 7919) % 7000).div(100).plus(30).toFixed(2); // m², 30–100
      const apt = await createApartment(db, scope, house.id, { number: String(n), area });
      for (const service of ["cold_water", "hot_water"] as const) {
        const meter = await createMeter(db, scope, apt.id, { serial_number: `${service === "cold_water" ? "CW" : "HW"}-${n}`, service });
        meters.push(meter.id);
      }
    }
    // m³ with 3 decimals, growing every month by 1–10 m³
    for (let step = 0; step < READING_MONTHS; step++) {
      const period = addMonths(month, step - READING_MONTHS);
      const readings = meters.map((id, i) => ({
        meter_id: id,
        value: new Dec((i * 311) % 9000)
          .div(1000)
          .plus(1)
          .times(step)
          .plus((i * 37) % 500)
          .toFixed(3),
      }));
      await bulkPutReadings(db, scope, house.id, { period, readings }, { source: "manager", personId: person.id, apiKeyId: null });
    }
    const from = addMonths(month, -6);
    await createTariff(db, scope, { service: "cold_water", price: "54.0300", valid_from: from });
    await createTariff(db, scope, { service: "hot_water", price: "248.9100", valid_from: from });
    await createTariff(db, scope, { service: "maintenance", price: "32.5000", valid_from: from });
    await createTariff(db, scope, { service: "maintenance", price: "35.1000", valid_from: addMonths(month, -2), house_id: house.id });
    const key = await createApiKey(db, { scope, personId: person.id, name: "bench-api" });

    const { rows: last } = await db.execute<{ meter_id: number; value: string }>(
      sql`select meter_id, value::text from meter_reading where period = ${monthToDate(addMonths(month, -1))} order by meter_id`,
    );
    await db.execute(sql`analyze`);
    log(
      `seeded house ${house.id}: ${APARTMENTS} apartments, ${meters.length} meters, readings ${addMonths(month, -READING_MONTHS)} … ${addMonths(month, -1)}, 4 tariffs, an API key`,
    );
    return { houseId: house.id, apiKey: key.key, meters: last.map((r) => ({ id: r.meter_id, previous: r.value })), month };
  } finally {
    await handle.close();
  }
}

// ---- processes under test ----

/** The bare node:http server of scripts/lib/bare-house-server.ts; stop() when done with it. */
async function startBareServer(url: string): Promise<{ base: string; pids: () => number[]; stop: () => Promise<void> }> {
  const child = spawn(path.join("node_modules", ".bin", "tsx"), ["scripts/lib/bare-house-server.ts"], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(await findFreePort()), LOG_LEVEL: "warn", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopTree(kit, child, [], 10_000));
  cleanups.push({ name: "bare server", run: stop });
  const port = await new Promise<number>((resolve, reject) => {
    prefixLines(child.stdout!, "[bare]", (line) => {
      const m = /^listening on (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    prefixLines(child.stderr!, "[bare]");
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, pids: () => tree(child.pid!), stop };
}

// ---- measuring ----

interface Figure {
  target: string;
  connections: number;
  duration_s: number;
  requests: number;
  req_per_s: number;
  latency_ms: { p50: number; p95: number; p99: number; max: number; mean: number };
  non_2xx: number;
  errors: number;
  timeouts: number;
  status_codes: Record<string, number>;
  /** CPU time per response of the server under test (all its processes), of PostgreSQL (embedded only) and of autocannon */
  cpu_ms_per_request: { server: number; postgres: number | null; load_generator: number };
  /** the first few non-2xx bodies, to say what went wrong */
  non_2xx_samples: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const ms = (n: number) => Math.round(n * 100) / 100;

/** A warm-up run (discarded), then the measured run; latencies from every response (exact, not a histogram). */
async function measure(target: string, connections: number, server: () => number[], options: autocannon.Options): Promise<Figure> {
  const samples: string[] = [];
  const request: autocannon.Request = {
    ...options.requests?.[0],
    onResponse: (status: number, body: string) => {
      if ((status < 200 || status > 299) && samples.length < 3) samples.push(`${status} ${body.slice(0, 300)}`);
    },
  };
  const run = async (duration: number, latencies?: number[]) => {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ ...options, requests: [request], connections, duration, pipelining: 1 }, (err, done) =>
        err ? reject(err) : resolve(done),
      );
      running = instance;
      if (latencies) instance.on("response", (_client, _status, _bytes, time) => latencies.push(time));
    });
    running = undefined;
    return result;
  };
  if (WARMUP > 0) await run(WARMUP);
  if (kit.stopping()) throw new Error("interrupted");
  const latencies: number[] = [];
  const serverPids = server();
  const pgPids = postgresPids?.() ?? [];
  const before = { server: cpuSeconds(serverPids), postgres: cpuSeconds(pgPids), self: process.cpuUsage() };
  const result = await run(DURATION, latencies);
  const self = process.cpuUsage(before.self);
  const perRequest = (seconds: number) => ms((seconds * 1000) / Math.max(1, latencies.length));
  const cpu = {
    server: perRequest(cpuSeconds(serverPids) - before.server),
    postgres: postgresPids ? perRequest(cpuSeconds(pgPids) - before.postgres) : null,
    load_generator: perRequest((self.user + self.system) / 1e6),
  };
  if (kit.stopping()) throw new Error("interrupted");
  latencies.sort((a, b) => a - b);
  const status_codes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]),
  );
  return {
    target,
    connections,
    duration_s: result.duration,
    requests: latencies.length,
    req_per_s: result.requests.mean,
    latency_ms: {
      p50: ms(percentile(latencies, 50)),
      p95: ms(percentile(latencies, 95)),
      p99: ms(percentile(latencies, 99)),
      max: ms(latencies.at(-1) ?? NaN),
      mean: ms(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    },
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status_codes,
    cpu_ms_per_request: cpu,
    non_2xx_samples: samples,
  };
}

function printFigures(figures: Figure[]) {
  const header = [
    "target",
    "conn",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "non-2xx",
    "errors",
    "CPU ms/req: server",
    "postgres",
    "autocannon",
  ];
  const rows = figures.map((f) => [
    f.target,
    String(f.connections),
    f.req_per_s.toFixed(1),
    f.latency_ms.p50.toFixed(1),
    f.latency_ms.p95.toFixed(1),
    f.latency_ms.p99.toFixed(1),
    String(f.non_2xx),
    String(f.errors + f.timeouts),
    f.cpu_ms_per_request.server.toFixed(2),
    f.cpu_ms_per_request.postgres?.toFixed(2) ?? "–",
    f.cpu_ms_per_request.load_generator.toFixed(2),
  ]);
  printTable(header, rows);
}

// ---- the bench ----

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const url = await openDatabase();
  const data = await seed(url);
  const auth = { authorization: `Bearer ${data.apiKey}` };
  const housePath = `/api/houses/${data.houseId}`;
  const figures: Figure[] = [];
  let houseBytes = 0;

  const runAll = async (
    target: keyof typeof TARGET_NAMES,
    server: { base: string; pids: () => number[] },
    options: Omit<autocannon.Options, "url">,
  ) => {
    for (const connections of CONNECTIONS) {
      log(`${TARGET_NAMES[target]} at ${connections} connection(s): ${WARMUP} s warm-up, ${DURATION} s measured`);
      const figure = await measure(TARGET_NAMES[target], connections, server.pids, { url: server.base, ...options });
      figures.push(figure);
      const bad = figure.non_2xx + figure.errors + figure.timeouts;
      log(
        `  ${figure.req_per_s.toFixed(1)} req/s, p50 ${figure.latency_ms.p50} ms, p95 ${figure.latency_ms.p95} ms, p99 ${figure.latency_ms.p99} ms` +
          (bad
            ? `; ${figure.non_2xx} non-2xx, ${figure.errors} errors, ${figure.timeouts} timeouts: ${figure.non_2xx_samples.join(" | ")}`
            : ""),
      );
    }
  };

  // The ceiling first, while nothing else runs; the app's GET next, on the same data; writes last.
  if (TARGETS.has("bare")) {
    const bare = await startBareServer(url);
    await runAll("bare", bare, { requests: [{ method: "GET", path: housePath, headers: auth }] });
    await bare.stop();
  }
  if (TARGETS.has("house") || TARGETS.has("put")) {
    const app = await startApp(kit, url);
    const { base } = app;
    const probe = await fetch(`${base}${housePath}`, { headers: auth });
    const body = await probe.text();
    if (probe.status !== 200) throw new Error(`GET ${housePath} answered ${probe.status}: ${body.slice(0, 500)}`);
    houseBytes = Buffer.byteLength(body);
    log(`house detail: ${houseBytes} bytes of JSON`);
    if (TARGETS.has("house")) await runAll("house", app, { requests: [{ method: "GET", path: housePath, headers: auth }] });
    if (TARGETS.has("put")) {
      // This month: no later readings, not in the future; any value ≥ last month's is valid.
      // Meters rotate per request; values climb by 0.001 m³ each round, wrapping after 1000.
      let n = 0;
      const headers = { ...auth, "content-type": "application/json" };
      await runAll("put", app, {
        requests: [
          {
            method: "PUT",
            headers,
            setupRequest: (request) => {
              const meter = data.meters[n % data.meters.length];
              const value = new Dec(meter.previous).plus(new Dec(Math.floor(n / data.meters.length) % 1000).div(1000)).toFixed(3);
              n++;
              return { ...request, path: `/api/meters/${meter.id}/readings/${data.month}`, body: JSON.stringify({ value }) };
            },
          },
        ],
      });
    }
  }

  console.log("");
  printFigures(figures);
  const goal = figures.find((f) => f.target === TARGET_NAMES.house && f.connections === GOAL.connections);
  const met = goal ? goal.latency_ms.p95 < GOAL.p95Ms && goal.non_2xx + goal.errors + goal.timeouts === 0 : null;
  console.log("");
  console.log(
    goal
      ? `house detail p95 < ${GOAL.p95Ms} ms at ${GOAL.connections} connections: ${met ? "yes" : "no"} (p95 ${goal.latency_ms.p95} ms)`
      : `house detail p95 < ${GOAL.p95Ms} ms at ${GOAL.connections} connections: not measured (needs --targets house and ${GOAL.connections} in --connections)`,
  );
  const failed = figures.filter((f) => f.non_2xx + f.errors + f.timeouts > 0);
  if (failed.length > 0)
    console.log(`NOT A FIGURE: ${failed.map((f) => `${f.target} at ${f.connections}`).join(", ")} had non-2xx answers or errors`);

  const report = {
    started_at: startedAt.toISOString(),
    git: gitDescription(),
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model,
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadavg_before: loadBefore.map((l) => Math.round(l * 100) / 100),
      loadavg_after: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    options: {
      duration_s: DURATION,
      warmup_s: WARMUP,
      connections: CONNECTIONS,
      targets: [...TARGETS],
      database: process.env.DATABASE_URL ? "DATABASE_URL" : "embedded",
    },
    data: {
      apartments: APARTMENTS,
      meters: data.meters.length,
      reading_months: READING_MONTHS,
      house_detail_bytes: houseBytes,
      put_period: data.month,
    },
    results: figures,
    goal: {
      description: `house detail p95 < ${GOAL.p95Ms} ms at ${GOAL.connections} connections`,
      p95_ms: goal?.latency_ms.p95 ?? null,
      met,
    },
  };
  await fs.mkdir("bench-results", { recursive: true });
  const file = path.join("bench-results", `api-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to ${file}`);
  return failed.length === 0;
}

main().then(
  async (ok) => {
    await cleanup();
    process.exit(ok ? 0 : 1);
  },
  async (e) => {
    if (!kit.stopping()) console.error(e);
    await cleanup();
    process.exit(1);
  },
);
