// npm run bench:ui [-- --runs 5 --keys 20] [--hold]
// How quick the manager's pages are on a house of 1,000 apartments with 2,000 meters, in
// Chromium against the production build (not part of npm test): for the house page, the
// reading sheet and the billing page's invoices, the time to interactive and each keystroke's
// latency to the next paint, with the page's weight (HTML bytes, DOM nodes) and its prefetches.
// A database of its own: kvartplata_bench_ui on DATABASE_URL's server, else an embedded
// PostgreSQL in .data/bench-ui; recreated at every start, dropped at the end.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { apartment, meter, meterReading } from "../db/schema";
import { createSession, SESSION_COOKIE } from "../lib/auth/sessions";
import { addMonths, monthToDate } from "../lib/months";
import { createHouse } from "../lib/registry/houses";
import { createTariff } from "../lib/registry/tariffs";
import { CHROMIUM_LAUNCH } from "./lib/chromium";
import { benchKit, benchOwner, gitDescription, openBenchDatabase, printTable, requireBuild, startApp } from "./lib/bench-kit";

const USAGE = "usage: npm run bench:ui [-- --runs 5 --keys 20] [--hold]";
let parsed;
try {
  parsed = parseArgs({
    options: {
      runs: { type: "string", default: process.env.BENCH_RUNS ?? "5" },
      keys: { type: "string", default: process.env.BENCH_KEYS ?? "20" },
      // Seed, start and bill, then keep the app up (its address and a session cookie printed)
      // instead of measuring: for looking at the pages with a profiler. Ctrl-C stops it.
      hold: { type: "boolean", default: false },
    },
  });
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const RUNS = Number(parsed.values.runs); // page loads measured per page (after one not counted)
const KEYS = Number(parsed.values.keys); // keystrokes measured per page
const HOLD = parsed.values.hold === true;
if (!(RUNS >= 1 && KEYS >= 1)) {
  console.error(`--runs and --keys must be positive numbers\n${USAGE}`);
  process.exit(2);
}
const APARTMENTS = 1000;
const READING_MONTHS = 6; // the months before the current one
const DB_NAME = "kvartplata_bench_ui";
const EMBEDDED_DIR = path.join(process.cwd(), ".data", "bench-ui");
const EMBEDDED_PORT = 55436;
const GOALS = { interactiveMs: 1500, keyMs: 50 };

requireBuild();
const kit = benchKit("bench:ui");
const { log } = kit;

interface Seeded {
  houseId: number;
  token: string;
  billed: string;
}

/** One house of 1,000 apartments, a cold and a hot meter each, six months of readings, prices. */
async function seed(url: string): Promise<Seeded> {
  const handle = createDb(url, { max: 2 });
  try {
    const { db } = handle;
    const { person, scope, month } = await benchOwner(db, "+79990003344");
    const ws = scope.workspaceId;
    const house = await createHouse(db, scope, { address: "ул. Тысячная, д. 1000" });
    // Straight into the tables: 3,000 registry calls would only make the bench slower to start.
    const flats = await db
      .insert(apartment)
      .values(
        Array.from({ length: APARTMENTS }, (_, i) => ({
          houseId: house.id,
          number: String(i + 1),
          area: (30 + ((i * 37) % 70)).toFixed(2),
        })),
      )
      .returning({ id: apartment.id, number: apartment.number });
    const meters = await db
      .insert(meter)
      .values(
        flats.flatMap((f) =>
          (["cold_water", "hot_water"] as const).map((service) => ({
            apartmentId: f.id,
            workspaceId: ws,
            serialNumber: `${service === "cold_water" ? "ХВ" : "ГВ"}-${f.number}`,
            service,
          })),
        ),
      )
      .returning({ id: meter.id });
    for (let step = READING_MONTHS; step >= 1; step--) {
      const period = monthToDate(addMonths(month, -step));
      const rows = meters.map((m, i) => ({ meterId: m.id, period, value: (100 + i + (READING_MONTHS - step) * (1 + (i % 7))).toFixed(3) }));
      for (let i = 0; i < rows.length; i += 1000) await db.insert(meterReading).values(rows.slice(i, i + 1000));
    }
    const from = addMonths(month, -READING_MONTHS);
    await createTariff(db, scope, { service: "cold_water", price: "54.0300", valid_from: from });
    await createTariff(db, scope, { service: "hot_water", price: "248.9100", valid_from: from });
    await createTariff(db, scope, { service: "maintenance", price: "32.5000", valid_from: from });
    await createTariff(db, scope, { service: "wastewater", price: "45.8400", valid_from: from });
    const { token } = await createSession(db, person.id);
    log(`seeded house ${house.id}: ${APARTMENTS} apartments, ${meters.length} meters, ${READING_MONTHS} months of readings`);
    return { houseId: house.id, token, billed: addMonths(month, -1) };
  } finally {
    await handle.close();
  }
}

/** Bills the month through the API (the worker does it) and waits for it. */
async function bill(base: string, data: Seeded) {
  const headers = { authorization: `Bearer ${data.token}`, "content-type": "application/json" };
  const started = await fetch(`${base}/api/houses/${data.houseId}/billing-runs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ period: data.billed }),
  });
  const run = (await started.json()) as { id: number };
  const deadline = Date.now() + 300_000;
  for (;;) {
    const status = ((await (await fetch(`${base}/api/billing-runs/${run.id}`, { headers })).json()) as { status: string }).status;
    if (status === "completed") break;
    if (status === "failed" || Date.now() > deadline) throw new Error(`the billing run ${run.id} did not complete: ${status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`billed ${data.billed}`);
}

// ---- measuring in the browser ----

interface Target {
  name: string;
  path: string;
  /** true in the page once it is usable: its data drawn and its controls live */
  ready: string;
  /** the input typed into, and what is typed (Backspace as "\b") */
  input: string;
  keys: string;
}

interface Load {
  interactive_ms: number;
  html_bytes: number;
  dom_nodes: number;
  prefetches: number;
  duplicate_prefetches: number;
  cancelled: number;
}

/** Loads the page afresh and times it until `ready` holds (performance.now() from navigation start). */
async function load(context: BrowserContext, base: string, target: Target): Promise<Load> {
  const page = await context.newPage();
  const prefetched: string[] = [];
  let cancelled = 0;
  let html = 0;
  page.on("request", (r) => {
    const headers = r.headers();
    if (headers["next-router-prefetch"] || (headers.rsc && r.url() !== page.url())) prefetched.push(r.url().replace(/[?&]_rsc=[^&]*/, ""));
  });
  page.on("requestfailed", (r) => {
    if (/ERR_ABORTED|cancel/i.test(r.failure()?.errorText ?? "")) cancelled++;
  });
  page.on("response", async (r) => {
    if (r.request().resourceType() === "document") html = (await r.body().catch(() => Buffer.alloc(0))).length;
  });
  await page.goto(`${base}${target.path}`, { waitUntil: "commit" });
  const interactive = await page.evaluate(
    (ready) =>
      new Promise<number>((resolve) => {
        const check = () => (new Function(`return (${ready})`)() ? resolve(performance.now()) : requestAnimationFrame(check));
        check();
      }),
    target.ready,
  );
  await page.waitForLoadState("networkidle");
  const domNodes = await page.evaluate(() => document.getElementsByTagName("*").length);
  await page.close();
  return {
    interactive_ms: Math.round(interactive),
    html_bytes: html,
    dom_nodes: domNodes,
    prefetches: prefetched.length,
    duplicate_prefetches: prefetched.length - new Set(prefetched).size,
    cancelled,
  };
}

interface Keystrokes {
  /** keydown to the first task after the next frame (rendered and painted) */
  frame_ms: number[];
  /** Chromium's Event Timing: keydown to the next paint, 8 ms granularity */
  event_timing_ms: number[];
}

/** Types --keys keys of `keys` into the page's input, one every 150 ms, and times each to the next paint. */
async function typeKeys(page: Page, target: Target): Promise<Keystrokes> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __events: Map<number, number> };
    w.__frames = [];
    w.__events = new Map();
    window.addEventListener(
      "keydown",
      (event) => {
        const start = event.timeStamp;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => w.__frames.push(performance.now() - start);
          channel.port2.postMessage(null);
        });
      },
      true,
    );
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as PerformanceEventTiming[]) {
        if (!entry.interactionId) continue;
        w.__events.set(entry.interactionId, Math.max(w.__events.get(entry.interactionId) ?? 0, entry.duration));
      }
    }).observe({ type: "event", durationThreshold: 16, buffered: false } as PerformanceObserverInit);
  });
  await page.locator(target.input).first().focus();
  // --keys keys on every page: the page's text repeated as far as needed (the sheet's is 19 keys
  // long, and its p95 was the slowest of 19 where the others' was the 19th of 20)
  const sequence = Array.from({ length: KEYS }, (_, i) => target.keys[i % target.keys.length]);
  for (const key of sequence) {
    await page.keyboard.press(key === "\b" ? "Backspace" : key === "\n" ? "Enter" : key);
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(500);
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __events: Map<number, number> };
    return { frame_ms: w.__frames.map((v) => Math.round(v * 10) / 10), event_timing_ms: [...w.__events.values()] };
  });
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values: number[]) => percentile(values, 50);

interface Figure {
  page: string;
  loads: Load[];
  interactive_ms: { median: number; max: number };
  keystrokes: Keystrokes & { frame_p50: number; frame_p95: number; event_timing_p50: number; event_timing_p95: number };
}

async function measure(browser: Browser, base: string, data: Seeded, target: Target): Promise<Figure> {
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 1366, height: 900 } });
  // tsx compiles this file keeping function names: the functions handed to page.evaluate call
  // its __name helper, which the page does not have.
  await context.addInitScript("window.__name = (f) => f;");
  await context.addCookies([{ name: SESSION_COOKIE, value: data.token, url: base, httpOnly: true, sameSite: "Lax" }]);
  await load(context, base, target); // warm-up: the server's caches, not counted
  const loads: Load[] = [];
  for (let i = 0; i < RUNS; i++) loads.push(await load(context, base, target));
  const page = await context.newPage();
  await page.goto(`${base}${target.path}`);
  await page.waitForFunction(target.ready);
  await page.waitForLoadState("networkidle");
  const keystrokes = await typeKeys(page, target);
  await context.close();
  const times = loads.map((l) => l.interactive_ms);
  const figure = {
    page: target.name,
    loads,
    interactive_ms: { median: median(times), max: Math.max(...times) },
    keystrokes: {
      ...keystrokes,
      frame_p50: median(keystrokes.frame_ms),
      frame_p95: percentile(keystrokes.frame_ms, 95),
      event_timing_p50: median(keystrokes.event_timing_ms),
      event_timing_p95: percentile(keystrokes.event_timing_ms, 95),
    },
  };
  log(
    `${target.name}: interactive ${figure.interactive_ms.median} ms (median of ${RUNS}, max ${figure.interactive_ms.max}); ` +
      `key to paint p50 ${figure.keystrokes.frame_p50} ms, p95 ${figure.keystrokes.frame_p95} ms (Event Timing p95 ${figure.keystrokes.event_timing_p95} ms); ` +
      `${loads[0].html_bytes} bytes of HTML, ${loads[0].dom_nodes} DOM nodes, ${loads[0].prefetches} prefetches (${loads[0].duplicate_prefetches} twice), ${loads[0].cancelled} cancelled`,
  );
  return figure;
}

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const { url } = await openBenchDatabase(kit, { dbName: DB_NAME, embeddedDir: EMBEDDED_DIR, port: EMBEDDED_PORT });
  const data = await seed(url);
  const { base } = await startApp(kit, url);
  await bill(base, data);
  if (HOLD) {
    log(`holding: ${base}/houses/${data.houseId} (cookie ${SESSION_COOKIE}=${data.token}); Ctrl-C stops`);
    await new Promise<never>(() => undefined);
  }

  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  kit.cleanups.push({ name: "Chromium", run: () => browser.close() });

  const id = data.houseId;
  // Keys: the house and the invoices are searched (typed and erased); the sheet is typed as from paper.
  const search = "250\b\b\b7\b12\b\b999\b\b\b1000";
  const targets: Target[] = [
    {
      name: "house page",
      path: `/houses/${id}`,
      ready: `!!document.querySelector('#apartment-filter') && !document.querySelector('form button[type=submit]:disabled') && !!document.querySelector('a[href^="/apartments/"]')`,
      input: "#apartment-filter",
      keys: search,
    },
    {
      name: "reading sheet",
      path: `/houses/${id}/readings`,
      ready: `!!document.querySelector('input[id^="reading-"]') && !document.querySelector('form button[type=submit]:disabled')`,
      input: 'input[id^="reading-"]',
      keys: "1234,5\n1300,25\n987\n",
    },
    {
      name: "billing invoices",
      path: `/houses/${id}/billing?period=${data.billed}`,
      // The list is in the server's HTML: usable once hydrated.
      ready: `!!document.documentElement?.dataset.hydrated && !!document.querySelector('#invoice-search') && !!document.querySelector('button[aria-expanded]')`,
      input: "#invoice-search",
      keys: search,
    },
  ];
  const figures: Figure[] = [];
  for (const target of targets) figures.push(await measure(browser, base, data, target));

  console.log("");
  const rows = figures.map((f) => [
    f.page,
    String(f.interactive_ms.median),
    String(f.interactive_ms.max),
    f.keystrokes.frame_p50.toFixed(1),
    f.keystrokes.frame_p95.toFixed(1),
    String(f.keystrokes.event_timing_p95),
    String(f.loads[0].html_bytes),
    String(f.loads[0].dom_nodes),
    `${f.loads[0].prefetches}/${f.loads[0].duplicate_prefetches}/${f.loads[0].cancelled}`,
  ]);
  const header = ["page", "TTI ms", "TTI max", "key p50", "key p95", "ET p95", "HTML B", "DOM", "prefetch/dup/cancel"];
  printTable(header, rows);
  const interactiveMet = figures.every((f) => f.interactive_ms.median < GOALS.interactiveMs);
  const typingMet = figures.every((f) => f.keystrokes.frame_p95 < GOALS.keyMs);
  console.log("");
  console.log(`interactive < ${GOALS.interactiveMs} ms on every page: ${interactiveMet ? "yes" : "no"}`);
  console.log(`typing < ${GOALS.keyMs} ms per key (p95) on every page: ${typingMet ? "yes" : "no"}`);

  const report = {
    started_at: startedAt.toISOString(),
    git: gitDescription(),
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model,
      node: process.version,
      loadavg_before: loadBefore.map((l) => Math.round(l * 100) / 100),
      loadavg_after: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    options: { runs: RUNS, keys: KEYS, database: process.env.DATABASE_URL ? "DATABASE_URL" : "embedded", viewport: "1366x900" },
    data: { apartments: APARTMENTS, meters: APARTMENTS * 2, reading_months: READING_MONTHS, billed: data.billed },
    results: figures,
    goals: { interactive_ms: GOALS.interactiveMs, key_ms: GOALS.keyMs, interactive_met: interactiveMet, typing_met: typingMet },
  };
  await fs.mkdir("bench-results", { recursive: true });
  const file = path.join("bench-results", `ui-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to ${file}`);
}

main().then(
  async () => {
    await kit.cleanup();
    process.exit(0);
  },
  async (e) => {
    if (!kit.stopping()) console.error(e);
    await kit.cleanup();
    process.exit(1);
  },
);
