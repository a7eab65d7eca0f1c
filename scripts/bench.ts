// npm run bench [-- --houses 10000 --apartments 100 --repeats 5 --workers 1]
// Billing speed on synthetic data in a database of its own (not part of npm test):
//  1. a portfolio run through the real path: startBillingRun (what the route calls) → pg-boss
//     → worker process(es) → invoices, lines, progress; apartments per second;
//  2. one hand-written INSERT … SELECT writing the same invoices and lines: the practical limit;
//  3. one 1,000-apartment house from start to `completed`, median of several runs.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, type Db } from "../db/connect";
import { startEmbeddedPostgres, type RunningPostgres } from "../db/embedded";
import { findOrCreatePerson } from "../lib/auth/persons";
import { startBillingRun } from "../lib/billing/start-billing-run";
import { prepareDatabase, withDatabase } from "./lib/database";

const { values: args } = parseArgs({
  options: {
    houses: { type: "string", default: "10000" },
    apartments: { type: "string", default: "100" },
    repeats: { type: "string", default: "5" },
    workers: { type: "string", default: "1" },
  },
});
const HOUSES = Number(args.houses);
const PER_HOUSE = Number(args.apartments);
const REPEATS = Number(args.repeats);
const WORKERS = Number(args.workers);
const PERIOD = "2024-02";

const log = (line: string) => console.log(`[bench] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function generate(db: Db, workspaceId: number, houses: number, perHouse: number, prefix: string): Promise<number[]> {
  const { rows: created } = await db.execute<{ id: number }>(sql`
    insert into house (workspace_id, address)
    select ${workspaceId}, ${prefix} || ' ' || g from generate_series(1, ${houses}) g returning id`);
  const ids = created.map((h) => h.id);
  await db.execute(sql`
    insert into apartment (house_id, number, area)
    select h.id, a::text, (30 + (a * 7919 % 7000) / 100.0)::numeric(7,2)
    from house h, generate_series(1, ${perHouse}) a where h.id between ${ids[0]} and ${ids.at(-1)!}`);
  await db.execute(sql`
    insert into meter (apartment_id, workspace_id, serial_number, service)
    select a.id, ${workspaceId}, s.prefix || a.id, s.service::meter_service
    from apartment a, (values ('CW-', 'cold_water'), ('HW-', 'hot_water')) s(prefix, service)
    where a.house_id between ${ids[0]} and ${ids.at(-1)!}`);
  await db.execute(sql`
    insert into meter_reading (meter_id, period, value)
    select m.id, p.period, (m.id % 500 + p.step * (1 + (m.id * 31 % 900) / 100.0))::numeric(12,3)
    from meter m join apartment a on a.id = m.apartment_id, (values ('2024-01-01'::date, 0), ('2024-02-01'::date, 1)) p(period, step)
    where a.house_id between ${ids[0]} and ${ids.at(-1)!}`);
  return ids;
}

async function waitForRun(db: Db, runId: number): Promise<{ status: string; processed: number }> {
  for (;;) {
    const {
      rows: [run],
    } = await db.execute<{ status: string; processed: number; error: string | null }>(
      sql`select status, processed, error from billing_run where id = ${runId}`,
    );
    if (run.status === "failed") throw new Error(`run ${runId} failed: ${run.error}`);
    if (run.status === "completed") return run;
    await new Promise((r) => setTimeout(r, 10));
  }
}

function startWorker(url: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("node_modules/.bin/tsx", ["jobs/worker.ts"], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (process.env.BENCH_WORKER_LOG) process.stdout.write(chunk);
      if (chunk.toString().includes("worker ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

/**
 * The same invoices and lines — flags and "why" details included — in one statement, written
 * by hand: no chunks, no cursor, no progress. The practical limit for the real path. It states
 * the rules for months billed on readings only (the basis is the latest reading before the
 * month: nothing has been billed before in this data, and every meter has both months'
 * readings), not the estimates and true-ups of Правила № 354, which this data does not exercise
 * yet; the digest check below says whether the two paths wrote the same.
 */
const SINGLE_STATEMENT = (workspaceId: number) => sql`
  with apts as (
    select a.id, a.house_id, a.area from apartment a join house h on h.id = a.house_id where h.workspace_id = ${workspaceId}
  ),
  prices as (
    select distinct on (h.id, t.service_id) h.id as house_id, t.service_id, s.code, s.basis, t.id as tariff_id, t.price,
           jsonb_build_object('id', t.id, 'price', t.price::text, 'valid_from', to_char(t.valid_from, 'YYYY-MM'),
                              'scope', case when t.house_id is null then 'workspace' else 'house' end) as tariff
    from house h join tariff t on t.workspace_id = h.workspace_id and (t.house_id = h.id or t.house_id is null) and t.valid_from <= ${`${PERIOD}-01`}::date
    join service s on s.id = t.service_id and s.active
    where h.workspace_id = ${workspaceId}
    order by h.id, t.service_id, (t.house_id is null), t.valid_from desc
  ),
  meters as (
    select m.id as meter_id, m.apartment_id, m.serial_number, m.service, cur.value as cur_value, prev.period as prev_period, prev.value as prev_value,
           case when prev.value is null then 'baseline' when cur.value < prev.value then 'negative' else 'actual' end as kind
    from apts join meter m on m.apartment_id = apts.id
    join meter_reading cur on cur.meter_id = m.id and cur.period = ${`${PERIOD}-01`}::date
    left join lateral (select period, value from meter_reading r where r.meter_id = m.id and r.period < ${`${PERIOD}-01`}::date order by period desc limit 1) prev on true
  ),
  volumes as (
    select meters.*, case kind when 'actual' then cur_value - prev_value else 0 end as volume,
           array_remove(array[case kind when 'baseline' then 'no_previous_reading' when 'negative' then 'negative_consumption' end], null) as flags
    from meters
  ),
  water as (
    select apartment_id, service::text as code, sum(volume) as quantity,
           array_remove(array[
             case when bool_or('negative_consumption' = any(flags)) then 'negative_consumption' end,
             case when bool_or('no_previous_reading' = any(flags)) then 'no_previous_reading' end], null) as flags,
           jsonb_agg(jsonb_build_object('meter_id', meter_id, 'serial_number', serial_number, 'service', service,
             'previous', case when prev_value is null then null else jsonb_build_object('period', to_char(prev_period, 'YYYY-MM'), 'value', prev_value::text) end,
             'current', jsonb_build_object('period', ${PERIOD}::text, 'value', cur_value::text),
             'consumption', volume::numeric(16,3)::text, 'flag', flags[1], 'kind', kind, 'flags', to_jsonb(flags),
             'true_up', null, 'average', null, 'normative', null, 'missing_months', null, 'verified_until', null) order by meter_id) as meters
    from volumes group by apartment_id, service
  ),
  lines as (
    select w.apartment_id, p.service_id, p.code, p.basis, w.quantity, 'm3' unit, p.tariff_id, p.price, round(w.quantity * p.price, 2) amount, w.flags,
           jsonb_build_object('meters', w.meters, 'tariff', p.tariff, 'true_up', null) as details
    from water w join apts a on a.id = w.apartment_id join prices p on p.house_id = a.house_id and p.basis = 'meter' and p.code = w.code
    union all
    select a.id, p.service_id, p.code, p.basis, a.area, 'm2', p.tariff_id, p.price, round(a.area * p.price, 2), '{}'::text[],
           jsonb_build_object('area', a.area::text, 'tariff', p.tariff)
    from apts a join prices p on p.house_id = a.house_id and p.basis = 'area'
  ),
  saved as (
    insert into invoice (apartment_id, house_id, period, water, maintenance, total)
    select a.id, a.house_id, ${`${PERIOD}-01`}::date,
           coalesce(sum(l.amount) filter (where l.basis in ('meter', 'water_sum')), 0),
           coalesce(sum(l.amount) filter (where l.basis not in ('meter', 'water_sum')), 0), coalesce(sum(l.amount), 0)
    from apts a join lines l on l.apartment_id = a.id group by a.id, a.house_id
    returning id, apartment_id
  ),
  -- each meter's volume and how it was obtained, as the real path keeps it for next month's basis
  volumes_written as (
    insert into meter_volume (invoice_id, meter_id, period, kind, volume, reading, basis_period, basis_reading)
    select s.id, v.meter_id, ${`${PERIOD}-01`}::date, v.kind::meter_volume_kind, v.volume, v.cur_value, v.prev_period, v.prev_value
    from volumes v join saved s using (apartment_id)
  )
  insert into invoice_line (invoice_id, service, service_id, kind, quantity, unit, tariff_id, price, amount, flags, details)
  select s.id, l.code, l.service_id, l.basis, l.quantity, l.unit, l.tariff_id, l.price, l.amount, l.flags, l.details
  from lines l join saved s using (apartment_id)`;

/** A digest of every invoice and line by content (not ids): equal digests, equal bills. */
const CONTENT_DIGEST = sql`
  select md5(string_agg(row, '|' order by row)) as digest from (
    select concat_ws(',', i.apartment_id, i.period, i.water, i.maintenance, i.total, l.service, l.kind, l.quantity, l.price, l.amount, l.flags::text, l.details::text) as row
    from invoice i join invoice_line l on l.invoice_id = i.id
  ) rows`;

async function main() {
  let server: RunningPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "kvartplata-bench-"));
    await fs.chmod(dataDir, 0o755);
    server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: 55434, log });
    adminUrl = server.url;
  }
  const name = `kvbench_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(adminUrl, name);
  const workers: ChildProcess[] = [];
  const handle = createDb(url, { max: 4 });
  const { db } = handle;
  try {
    await prepareDatabase(url);
    const { person } = await findOrCreatePerson(db, "+79990001122");
    const ws = person.personalWorkspaceId;
    const scope = { workspaceIds: [ws], workspaceId: ws };
    // cold water, hot water and maintenance, as before the services catalogue: wastewater off
    await db.execute(sql`update service set active = false where workspace_id = ${ws} and code = 'wastewater'`);
    await db.execute(sql`
      insert into tariff (workspace_id, service_id, price, valid_from)
      select ${ws}, s.id, p.price, '2024-01-01' from service s
      join (values ('cold_water', 54.0300), ('hot_water', 248.9100), ('maintenance', 32.5000)) p(code, price) on p.code = s.code
      where s.workspace_id = ${ws}`);

    let t = Date.now();
    await generate(db, ws, HOUSES, PER_HOUSE, "Portfolio street");
    const apartments = HOUSES * PER_HOUSE;
    await db.execute(sql`analyze`);
    log(`generated ${HOUSES} houses × ${PER_HOUSE} apartments, 2 meters each, 2 months of readings in ${seconds(Date.now() - t)}`);

    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(url));
    log(`${WORKERS} worker process(es), concurrency ${process.env.WORKER_CONCURRENCY ?? 2} each`);

    // 1. the real path
    t = Date.now();
    const { run } = await startBillingRun(db, { scope, personId: person.id, period: PERIOD, workspaceId: ws });
    await waitForRun(db, run.id);
    const realMs = Date.now() - t;
    const realRate = apartments / (realMs / 1000);
    const {
      rows: [real],
    } = await db.execute<{ n: number; total: string; lines: number }>(sql`
      select count(*)::int as n, sum(total)::text as total, (select count(*)::int from invoice_line) as lines from invoice`);
    const {
      rows: [realDigest],
    } = await db.execute<{ digest: string }>(CONTENT_DIGEST);
    log(
      `real path: ${apartments} apartments in ${seconds(realMs)} → ${Math.round(realRate)} apartments/s (${real.n} invoices, ${real.lines} lines, total ${real.total} ₽)`,
    );

    // 2. the single statement on the same data
    await db.execute(sql`truncate meter_volume, invoice_line, invoice`);
    await db.execute(sql`vacuum analyze invoice`);
    t = Date.now();
    await db.execute(SINGLE_STATEMENT(ws));
    const singleMs = Date.now() - t;
    const singleRate = apartments / (singleMs / 1000);
    const {
      rows: [single],
    } = await db.execute<{ n: number; total: string }>(sql`select count(*)::int as n, sum(total)::text as total from invoice`);
    const {
      rows: [singleDigest],
    } = await db.execute<{ digest: string }>(CONTENT_DIGEST);
    const same = singleDigest.digest === realDigest.digest;
    log(
      `single INSERT … SELECT: ${seconds(singleMs)} → ${Math.round(singleRate)} apartments/s (${single.n} invoices, total ${single.total} ₽; every invoice and line ${same ? "identical to" : "DIFFERENT from"} the real path's)`,
    );
    log(`ratio real / single: ${(realRate / singleRate).toFixed(2)} (goal ≥ 0.75)`);
    await db.execute(sql`truncate meter_volume, invoice_line, invoice`);

    // 3. one 1,000-apartment house, POST → completed
    const [house] = await generate(db, ws, 1, 1000, "Single house");
    await db.execute(sql`analyze`);
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      t = Date.now();
      const started = await startBillingRun(db, { scope, personId: person.id, period: PERIOD, houseId: house });
      await waitForRun(db, started.run.id);
      times.push(Date.now() - t);
    }
    times.sort((a, b) => a - b);
    log(
      `1,000-apartment house, start → completed: median ${times[Math.floor(times.length / 2)]} ms over ${REPEATS} runs (${times.join(", ")} ms; goal < 2000 ms)`,
    );
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once("exit", r)))));
    await handle.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
    await server?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
