// npm run bench [-- --houses 10000 --apartments 100 --repeats 5 --workers 1 --keep --explain --only billing --pg name=value]
// Billing speed on synthetic data in a database of its own (not part of npm test):
//  1. a portfolio run of month M through the real path: startBillingRun (what the route calls)
//     → pg-boss → worker process(es) → invoices, lines, meter volumes, progress; apartments/s;
//     then the tariffs page's two lists over the lines written (is each service / price billed?);
//  2. one hand-written INSERT … SELECT stating the same rules (Правила № 354 as the README
//     reads them) and writing M's invoices, lines and meter volumes again: the practical limit;
//     a digest of both says whether they wrote the same;
//  3. one 1,000-apartment house, start → completed, median of several runs.
//  4. payment import: a 100,000-line windows-1251 registry paying apartments of the portfolio,
//     uploaded, mapped (checked by the job through a worker), committed: the same functions the
//     routes call; the figure is upload → previewed → committed (the goal is under 10 s).
//     `--only import` runs this one alone (on 100 houses × 1,000 apartments of its own).
//  4b. readings import: a 100,000-row CSV (UTF-8, `;`, decimal commas) and the same rows as an
//     .xlsx workbook, readings of the portfolio's meters for the months after M, uploaded, mapped
//     (checked by the job through a worker), committed: upload → previewed → committed (the goal
//     is under 10 s). `--only reading-import` runs this one alone (on 50 houses × 1,000
//     apartments, 100,000 meters of its own).
//  5. payment documents: the 1,000-apartment house's month as one PDF through the real path
//     (startReceiptBatch → pg-boss → worker → done), and the same rendered in this process, split
//     into loading and drawing (the goal is under 20 s). `--only receipts` runs this one alone.
// Every figure is printed with the load average (os.loadavg) when it was taken: the machine is shared.
//
// The data (generate_series, so that 1,000,000 apartments seed in minutes), month M = 2024-07:
//  - one workspace billing its four seeded services at workspace prices from 2024-01: cold and
//    hot water (meter, m³), wastewater (the cold + hot volumes as billed) and maintenance (area);
//    workspace-wide normatives from 2024-01: cold 6.9350, hot 4.7450 m³ per person;
//  - houses × apartments (a house's apartments and meters numbered together, readings stored
//    month by month, as a register is entered), 30–99.99 m², residents = the apartment's number mod 5 (0–4 persons: a fifth has
//    nobody registered, so their normative estimates are 0 m³); a cold and a hot meter in each;
//  - readings of 2024-01 … 2024-07 (M and the six months before it), meter m's reading of month
//    s (0 = January) = m mod 500 + s × (1 + (31m mod 900)/100) + ((7m + 3s) mod 10)/10 m³: every
//    month's consumption is positive and varies, so averages and true-ups are not whole numbers;
//    except that (by meter id m):
//    - m mod 7 = 0 (1/7): history from 2024-05 only, too short for an average (n < 3);
//    - m mod 10 = 7 (10 %): no reading for M; m mod 40 = 7 (a quarter of those) none for M−1 either;
//    - m mod 20 = 4 (5 %): no reading for M−1 (2024-06) but one for M;
//    - m mod 100 < 3 (3 %): verification past before the end of M: verified_until 2024-06-30
//      (m mod 100 = 0: M's reading unusable, June's usable), 2024-07-15 (= 1: expires mid-M) and
//      2024-03-31 (= 2: expired mid-history; April … July's readings are unusable); the other
//      meters have no verified_until;
//  - M−1 is billed first through the real path (a portfolio run, untimed setup), as a workspace
//    bills month after month: meters without M−1's reading get an estimate there (average, or
//    the normative when the history is too short), and M then trues them up (true_up, a credit
//    where the estimate was higher than what was used) when M's reading is there, or estimates
//    again (k = 2) when it is not. So M has every kind: actual, true_up, estimated_average,
//    estimated_normative (n < 3, k > 3, expired verification), verification_expired.
// The bench prints how many of M's meter volumes came out of each kind.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, type Db } from "../db/connect";
import { startEmbeddedPostgres } from "../db/embedded";
import { findOrCreatePerson } from "../lib/auth/persons";
import type { Actor } from "../lib/auth/sessions";
import { commitPaymentImport, getPaymentImport, setPaymentImportMapping, uploadPaymentImport } from "../lib/payment-import/imports";
import { commitReadingImport, getReadingImport, setReadingImportMapping, uploadReadingImport } from "../lib/reading-import/imports";
import writeXlsxFile from "write-excel-file/node";
import { encodeCp1251 } from "./lib/cp1251";
import { startBillingRun } from "../lib/billing/start-billing-run";
import { deleteService, findServiceByCode, insertService, listServices } from "../db/queries/services";
import { deleteTariff, insertTariff, listTariffs } from "../db/queries/tariffs";
import { getReceiptBatch, startReceiptBatch } from "../lib/receipts/batches";
import { renderReceiptsPdf } from "../lib/receipts/pdf";
import { houseReceipts } from "../lib/receipts/receipts";
import { benchKit } from "./lib/bench-kit";
import { prepareDatabase, withDatabase } from "./lib/database";

const { values: args } = parseArgs({
  options: {
    houses: { type: "string", default: "10000" },
    apartments: { type: "string", default: "100" },
    repeats: { type: "string", default: "5" },
    workers: { type: "string", default: "1" },
    // keep the database afterwards (with DATABASE_URL set: to EXPLAIN its statements)
    keep: { type: "boolean", default: false },
    // print the single statement's plan (EXPLAIN ANALYZE: it still writes what it writes)
    explain: { type: "boolean", default: false },
    // "billing": sections 1–3 only (the billing figures, no imports or documents); "import": only the payment import's figure; "reading-import": only the readings import's; "receipts": only the payment documents'
    only: { type: "string" },
    // a setting of the embedded server, name=value (repeatable; e.g. --pg shared_buffers=4GB)
    pg: { type: "string", multiple: true, default: [] },
    // lines of the payment registry
    payments: { type: "string", default: "100000" },
    // rows of the readings file
    readings: { type: "string", default: "100000" },
  },
});
const HOUSES = Number(args.houses);
const PER_HOUSE = Number(args.apartments);
const REPEATS = Number(args.repeats);
const WORKERS = Number(args.workers);
const PAYMENTS = Number(args.payments);
const READINGS = Number(args.readings);
/** the billed month M and the month before it */
const PERIOD = "2024-07";
const PREVIOUS = "2024-06";
const M = `${PERIOD}-01`;

const load = () =>
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
// Ctrl-C or a crash stops what the bench started (its cleanups, in main): a worker left behind
// once joined the next bench's database, on the same port, and halved that run's figure.
const kit = benchKit("bench");
const { log } = kit;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function generate(db: Db, workspaceId: number, houses: number, perHouse: number, prefix: string): Promise<number[]> {
  // A bulk load into a database of its own, before anything is billed: the triggers that mark
  // drafts out of date and guard closed months (drizzle/0014_month-guards.sql) have nothing to
  // do and are switched off meanwhile, and so are the history's (drizzle/0015_roles-history.sql):
  // a million generated rows are not a change anyone made.
  const tables = [sql`house`, sql`apartment`, sql`meter`, sql`meter_reading`];
  for (const table of tables) await db.execute(sql`alter table ${table} disable trigger user`);
  try {
    return await generateRows(db, workspaceId, houses, perHouse, prefix);
  } finally {
    for (const table of tables) await db.execute(sql`alter table ${table} enable trigger user`);
  }
}

async function generateRows(db: Db, workspaceId: number, houses: number, perHouse: number, prefix: string): Promise<number[]> {
  const { rows: created } = await db.execute<{ id: number }>(sql`
    insert into house (workspace_id, address)
    select ${workspaceId}, ${prefix} || ' ' || g from generate_series(1, ${houses}) g returning id`);
  const ids = created.map((h) => h.id);
  const [first, last] = [ids[0], ids.at(-1)!];
  const { rows: bounds } = await db.execute<{ lo: number; hi: number }>(sql`
    with inserted as (
      insert into apartment (house_id, number, area, residents)
      select h.id, a::text, (30 + (a * 7919 % 7000) / 100.0)::numeric(7,2), a % 5
      from house h, generate_series(1, ${perHouse}) a where h.id between ${first} and ${last}
      order by h.id, a
      returning id
    ) select min(id) as lo, max(id) as hi from inserted`);
  const { lo, hi } = bounds[0];
  await db.execute(sql`
    insert into meter (apartment_id, workspace_id, serial_number, service)
    select a.id, ${workspaceId}, s.prefix || a.id, s.service::meter_service
    from apartment a, (values ('CW-', 'cold_water'), ('HW-', 'hot_water')) s(prefix, service)
    where a.id between ${lo} and ${hi}
    order by a.id, s.service`);
  await db.execute(sql`
    update meter set verified_until = case id % 100 when 0 then date '2024-06-30' when 1 then date '2024-07-15' else date '2024-03-31' end
    where apartment_id between ${lo} and ${hi} and id % 100 < 3`);
  // A bulk load: the unique index is built once afterwards and the foreign key checked in one
  // pass, not per row (the generator makes both hold).
  await db.execute(sql`
    alter table meter_reading drop constraint meter_reading_meter_id_meter_id_fk, drop constraint meter_reading_meter_period_unique`);
  await db.execute(sql`
    insert into meter_reading (meter_id, period, value)
    select m.id, (date '2024-01-01' + make_interval(months => s))::date,
           (m.id % 500 + s * (1 + (m.id * 31 % 900) / 100.0) + ((m.id * 7 + s * 3) % 10) / 10.0)::numeric(12,3)
    from meter m, generate_series(0, 6) s
    where m.apartment_id between ${lo} and ${hi}
      and not (m.id % 7 = 0 and s < 4)
      and not (s = 6 and m.id % 10 = 7)
      and not (s = 5 and (m.id % 20 = 4 or m.id % 40 = 7))
    order by s, m.id`);
  await db.execute(sql`
    alter table meter_reading add constraint meter_reading_meter_period_unique unique (meter_id, period),
      add constraint meter_reading_meter_id_meter_id_fk foreign key (meter_id) references meter (id) on delete cascade`);
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

/** Months from `a` to `b`, both first days of months. */
const MONTHS = (a: string, b: string) => `(date_part('year', age(${b}, ${a})) * 12 + date_part('month', age(${b}, ${a})))::int`;

/**
 * Month M of the workspace in one statement, written by hand from the rules (README, "How a
 * month is billed"; Правила № 354), not from the engine's fragments: no chunks, no cursor, no
 * progress, no fixed prices — the practical limit of the real path. Whole-portfolio set
 * operations (aggregates and DISTINCT ON over the workspace's readings and earlier volumes)
 * where the engine probes per meter; the digest below says whether the two wrote the same.
 */
const SINGLE_STATEMENT = (workspaceId: number) => sql`
  with apts as (
    select a.id, a.house_id, a.area, a.residents from apartment a join house h on h.id = a.house_id
    where h.workspace_id = ${workspaceId} and a.archived_at is null
  ),
  -- the services a house is billed for: the workspace's active ones less those switched off for it
  billed as (
    select h.id as house_id, s.id as service_id, s.code, s.basis from house h join service s on s.workspace_id = h.workspace_id and s.active
    where h.workspace_id = ${workspaceId}
      and not exists (select 1 from service_house_off o where o.service_id = s.id and o.house_id = h.id)
  ),
  -- the price in force: the house's own of the latest valid_from ≤ M, else the workspace's
  prices as (
    select distinct on (b.house_id, b.service_id) b.house_id, b.service_id, b.code, b.basis, t.id as tariff_id, t.price,
           jsonb_build_object('id', t.id, 'price', t.price::text, 'valid_from', to_char(t.valid_from, 'YYYY-MM'),
                              'scope', case when t.house_id is null then 'workspace' else 'house' end) as tariff
    from billed b join tariff t on t.service_id = b.service_id and (t.house_id = b.house_id or t.house_id is null) and t.valid_from <= ${M}::date
    order by b.house_id, b.service_id, (t.house_id is null), t.valid_from desc
  ),
  -- the normative in force, by the same rule (п. 42, 60)
  norms as (
    select distinct on (h.id, n.service) h.id as house_id, n.service, n.id as normative_id, n.value,
           jsonb_build_object('id', n.id, 'value', n.value::text, 'valid_from', to_char(n.valid_from, 'YYYY-MM'),
                              'scope', case when n.house_id is null then 'workspace' else 'house' end) as details
    from house h join normative n on n.workspace_id = h.workspace_id and (n.house_id = h.id or n.house_id is null) and n.valid_from <= ${M}::date
    where h.workspace_id = ${workspaceId}
    order by h.id, n.service, (n.house_id is null), n.valid_from desc
  ),
  -- the meters some line uses: of a billed meter service, or every one when wastewater is billed
  metered_services as (
    select house_id, array_agg(code) filter (where basis = 'meter') as codes, bool_or(basis = 'water_sum') as wastewater
    from prices group by house_id
  ),
  meters as (
    select m.id, m.apartment_id, m.service, m.serial_number, m.verified_until, apts.house_id, apts.residents
    from apts join metered_services ms on ms.house_id = apts.house_id join meter m on m.apartment_id = apts.id
    where ms.wastewater or m.service::text = any (ms.codes)
  ),
  -- п. 81(12) «д»: a reading of month P counts only while the verification holds through P's last day
  usable as (
    select r.meter_id, r.period, r.value from meters mt join meter_reading r on r.meter_id = mt.id
    where r.period < ${M}::date and (mt.verified_until is null or mt.verified_until >= (r.period + interval '1 month')::date - 1)
  ),
  earlier as (
    select v.meter_id, v.period, v.kind, v.volume, v.reading from meters mt join meter_volume v on v.meter_id = mt.id where v.period < ${M}::date
  ),
  -- the latest month before M billed on an actual reading, and the reading used there
  on_reading as (
    select distinct on (meter_id) meter_id, period, reading from earlier where kind in ('actual', 'true_up', 'baseline')
    order by meter_id, period desc
  ),
  first_estimate as (
    select meter_id, min(period) as period from earlier where kind in ('average', 'normative') group by meter_id
  ),
  -- the latest usable reading before M, and before the first month billed by an estimate
  latest_usable as (
    select u.meter_id, max(u.period) as before_m, (array_agg(u.value order by u.period desc))[1] as before_m_value,
           max(u.period) filter (where fe.period is null or u.period < fe.period) as before_estimate,
           (array_agg(u.value order by u.period desc) filter (where fe.period is null or u.period < fe.period))[1] as before_estimate_value
    from usable u left join first_estimate fe on fe.meter_id = u.meter_id group by u.meter_id
  ),
  -- L: the month billed on a reading; without one, the latest usable reading before the first
  -- estimate (a reading entered late for an estimated month is trued up, not taken as the basis),
  -- without that the latest usable reading
  basis as (
    select mt.*, cur.value as cur_value,
           cur.value is not null and (mt.verified_until is null or mt.verified_until >= (${M}::date + interval '1 month')::date - 1) as cur_usable,
           coalesce(r.period, lu.before_estimate, lu.before_m) as l_period,
           case when r.period is not null then r.reading when lu.before_estimate is not null then lu.before_estimate_value
                else lu.before_m_value end as l_value
    from meters mt
    left join meter_reading cur on cur.meter_id = mt.id and cur.period = ${M}::date
    left join on_reading r on r.meter_id = mt.id
    left join latest_usable lu on lu.meter_id = mt.id
  ),
  -- E: what was estimated for the months after L and before M (for a meter read in M)
  estimated as (
    select b.id, sum(e.volume) as volume, count(*)::int as months,
           case when bool_and(e.kind = 'average') then 'average' when bool_and(e.kind = 'normative') then 'normative' else 'mixed' end as by
    from basis b join earlier e on e.meter_id = b.id and e.kind in ('average', 'normative') and e.period > b.l_period
    where b.cur_usable group by b.id
  ),
  -- R0: the earliest usable reading of the months L−6 … L (for a meter not read in M)
  window_start as (
    select distinct on (b.id) b.id, u.period, u.value from basis b
    join usable u on u.meter_id = b.id and u.period >= b.l_period - interval '6 months' and u.period <= b.l_period
    where not b.cur_usable order by b.id, u.period
  ),
  states as (
    select b.*, e.volume as e_volume, e.months as e_months, e.by as e_by, w.period as r0_period, w.value as r0_value,
           ${sql.raw(MONTHS("b.l_period", `date '${M}'`))} as k, ${sql.raw(MONTHS("w.period", "b.l_period"))} as n
    from basis b left join estimated e on e.id = b.id left join window_start w on w.id = b.id
  ),
  kinds as (
    select s.*,
           case when cur_usable and l_period is null then 'baseline'          -- no L: the baseline, 0
                when cur_usable and cur_value < l_value then 'negative'       -- V_M < V_L: 0
                when cur_usable and e_volume > 0 then 'true_up'               -- п. 61: (V_M − V_L) − E
                when cur_usable then 'actual'                                  -- п. 42: V_M − V_L
                when k <= 3 and n >= 3 then 'average'                          -- п. 59 «а»: at most 3 months, n ≥ 3
                else 'normative' end as kind                                   -- п. 60, 42
    from states s
  ),
  volumes as (
    select k.*, nm.normative_id, nm.value as normative, nm.details as normative_details,
           case k.kind when 'baseline' then 0 when 'negative' then 0
                       when 'actual' then k.cur_value - k.l_value
                       when 'true_up' then k.cur_value - k.l_value - k.e_volume
                       when 'average' then greatest(round((k.l_value - k.r0_value) / k.n, 3), 0)
                       else case when k.residents = 0 then 0 else round(k.residents * nm.value, 3) end end as volume,
           array_remove(array[
             case k.kind when 'baseline' then 'no_previous_reading' when 'negative' then 'negative_consumption' when 'true_up' then 'true_up'
                         when 'average' then 'estimated_average' when 'normative' then 'estimated_normative' end,
             case when k.cur_value is not null and not k.cur_usable then 'verification_expired' end], null) as flags
    from kinds k left join norms nm on nm.house_id = k.house_id and nm.service = k.service
  ),
  -- a meter's entry in its lines' details: the shape the API documents, spelt out again here on
  -- purpose (the engine's own text is what this statement checks, so it does not borrow it)
  entries as (
    select v.*, jsonb_build_object(
             'meter_id', v.id, 'serial_number', v.serial_number, 'service', v.service,
             'previous', case when v.l_period is not null then jsonb_build_object('period', to_char(v.l_period, 'YYYY-MM'), 'value', v.l_value::text) end,
             'current', case when v.cur_usable then jsonb_build_object('period', ${PERIOD}::text, 'value', v.cur_value::text) end,
             'consumption', v.volume::numeric(16,3)::text, 'flag', v.flags[1], 'kind', v.kind, 'flags', to_jsonb(v.flags),
             'true_up', case when v.kind = 'true_up' then jsonb_build_object(
                          'actual', (v.cur_value - v.l_value)::text, 'estimated', v.e_volume::text, 'months', v.e_months, 'by', v.e_by) end,
             'average', case when v.kind = 'average' then jsonb_build_object(
                          'from', jsonb_build_object('period', to_char(v.r0_period, 'YYYY-MM'), 'value', v.r0_value::text), 'months', v.n) end,
             'normative', case when v.kind = 'normative' then jsonb_build_object(
                            'residents', v.residents, 'normative', case when v.residents > 0 then v.normative_details end) end,
             'missing_months', case when v.kind in ('average', 'normative') then v.k end,
             'verified_until', case when v.cur_value is not null and not v.cur_usable then v.verified_until::text end) as entry
    from volumes v
  ),
  -- a line's flags: each one any of its meters carries, in a fixed order (below)
  water as (
    select apartment_id, service::text as code, sum(volume) as quantity, sum(e_volume) as estimated,
           string_to_array(string_agg(array_to_string(flags, ','), ','), ',') as flag_set, jsonb_agg(entry order by id) as meters
    from entries group by apartment_id, service
    union all
    select apartment_id, null, sum(volume), sum(e_volume),
           string_to_array(string_agg(array_to_string(flags, ','), ','), ','), jsonb_agg(entry order by id)
    from entries group by apartment_id
  ),
  metered as (
    select w.apartment_id, p.service_id, p.code, p.basis, w.quantity, w.estimated, p.tariff_id, p.price, p.tariff, w.meters,
           round(w.quantity * p.price, 2) as amount,
           array(select f from unnest(array['negative_consumption', 'verification_expired', 'estimated_average', 'estimated_normative',
                                            'true_up', 'no_previous_reading']) with ordinality o(f, i)
                 where f = any (w.flag_set) order by i) as flags
    from water w join apts on apts.id = w.apartment_id
    join prices p on p.house_id = apts.house_id and ((p.basis = 'meter' and p.code = w.code) or (p.basis = 'water_sum' and w.code is null))
  ),
  lines as (
    select apartment_id, service_id, code, basis, quantity, 'm3' as unit, tariff_id, price, amount, flags,
           jsonb_build_object('meters', meters, 'tariff', tariff, 'true_up', case when estimated > 0 then jsonb_build_object(
             'estimated', estimated::text, 'recalculation', round(-estimated * price, 2)::text,
             'charge', (amount - round(-estimated * price, 2))::text) end) as details
    from metered
    union all
    select apts.id, p.service_id, p.code, p.basis, q.quantity, q.unit, p.tariff_id, p.price, round(q.quantity * p.price, 2), '{}'::text[],
           case p.basis when 'area' then jsonb_build_object('area', apts.area::text, 'tariff', p.tariff)
                        when 'residents' then jsonb_build_object('residents', apts.residents, 'tariff', p.tariff)
                        else jsonb_build_object('apartment', 1, 'tariff', p.tariff) end
    from apts join prices p on p.house_id = apts.house_id and p.basis in ('area', 'residents', 'apartment')
    cross join lateral (select case p.basis when 'area' then apts.area when 'residents' then apts.residents else 1 end as quantity,
                               case p.basis when 'area' then 'm2' when 'residents' then 'person' else 'apartment' end as unit) q
  ),
  saved as (
    insert into invoice (apartment_id, house_id, period, water, maintenance, total)
    select apts.id, apts.house_id, ${M}::date,
           coalesce(sum(l.amount) filter (where l.basis in ('meter', 'water_sum')), 0),
           coalesce(sum(l.amount) filter (where l.basis not in ('meter', 'water_sum')), 0), coalesce(sum(l.amount), 0)
    from apts left join lines l on l.apartment_id = apts.id group by apts.id, apts.house_id
    returning id, apartment_id
  ),
  -- each meter's volume and how it was obtained: next month's basis and true-up read it back
  volumes_written as (
    insert into meter_volume (invoice_id, meter_id, period, kind, volume, reading, basis_period, basis_reading, estimated,
                              average_from_period, average_from_reading, average_months, normative_id, normative, residents)
    select s.id, v.id, ${M}::date, v.kind::meter_volume_kind, v.volume, case when v.cur_usable then v.cur_value end, v.l_period, v.l_value,
           case when v.kind = 'true_up' then v.e_volume end,
           case when v.kind = 'average' then v.r0_period end, case when v.kind = 'average' then v.r0_value end,
           case when v.kind = 'average' then v.n end,
           case when v.kind = 'normative' and v.residents > 0 then v.normative_id end,
           case when v.kind = 'normative' and v.residents > 0 then v.normative end,
           case when v.kind = 'normative' then v.residents end
    from volumes v join saved s using (apartment_id)
  )
  insert into invoice_line (invoice_id, service, service_id, kind, quantity, unit, tariff_id, price, amount, flags, details)
  select s.id, l.code, l.service_id, l.basis, l.quantity, l.unit, l.tariff_id, l.price, l.amount, l.flags, l.details
  from lines l join saved s using (apartment_id)`;

/**
 * A digest of month M's invoices, lines and meter volumes by content (not ids): equal digests,
 * equal bills. Order-free (a sum of 60-bit slices of each row's md5, with the count), so that
 * millions of rows need no sort.
 */
const CONTENT_ROWS = sql`
  select concat_ws(',', i.apartment_id, i.water, i.maintenance, i.total, l.service, l.service_id, l.kind, l.quantity, l.unit,
                   l.tariff_id, l.price, l.amount, l.flags::text, l.details::text) as row
  from invoice i join invoice_line l on l.invoice_id = i.id where i.period = ${M}::date
  union all
  select concat_ws(',', i.apartment_id, v.meter_id, v.period, v.kind, v.volume, v.reading, v.basis_period, v.basis_reading, v.estimated,
                   v.average_from_period, v.average_from_reading, v.average_months, v.normative_id, v.normative, v.residents)
  from invoice i join meter_volume v on v.invoice_id = i.id where i.period = ${M}::date`;
const CONTENT_DIGEST = sql`
  select count(*) || ':' || sum(('x' || substr(md5(row), 1, 15))::bit(60)::bigint::numeric)
         || ':' || sum(('x' || substr(md5(row), 17, 15))::bit(60)::bigint::numeric) as digest
  from (${CONTENT_ROWS}) rows`;

/** How M's meter volumes came out, by kind and flags (what the data exercises). */
/**
 * The tariffs page's two lists, the services catalogue and the prices, each saying whether it is
 * billed (which asks the invoice lines), with two months of the portfolio's lines in the
 * database, one service not billed yet and one price not billed yet: median of 5 each.
 */
async function benchBilledFlags(db: Db, workspaceId: number): Promise<void> {
  const {
    rows: [{ lines }],
  } = await db.execute<{ lines: number }>(sql`select count(*)::int as lines from invoice_line`);
  // heating before its first month, and next year's price of maintenance
  const added = await insertService(db, {
    workspaceId,
    code: "heating",
    nameRu: "Отопление",
    nameEn: "Heating",
    basis: "area",
    active: false,
  });
  const maintenance = (await findServiceByCode(db, workspaceId, "maintenance"))!;
  const next = await insertTariff(db, { workspaceId, houseId: null, serviceId: maintenance.id, price: "40.0000", validFrom: "2025-01-01" });
  const time = async <T extends { billed: boolean }>(what: string, list: () => Promise<T[]>) => {
    const times: number[] = [];
    let listed: T[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      listed = await list();
      times.push(Math.round(performance.now() - started));
    }
    const billed = listed.filter((s) => s.billed).length;
    log(
      `${what} (${listed.length}, ${billed} billed) over ${lines} invoice lines: median ${[...times].sort((a, b) => a - b)[2]} ms (${times.join(", ")} ms; ${load()})`,
    );
  };
  await time("services catalogue", () => listServices(db, [workspaceId]));
  await time("prices", () => listTariffs(db, { workspaceIds: [workspaceId] }));
  await deleteTariff(db, next.id);
  await deleteService(db, added);
}

async function describeMonth(db: Db): Promise<string> {
  const { rows } = await db.execute<{ kind: string; n: number }>(sql`
    select v.kind || case when r.value is not null and v.reading is null then '+expired' else '' end as kind, count(*)::int as n
    from meter_volume v join meter m on m.id = v.meter_id
    left join meter_reading r on r.meter_id = v.meter_id and r.period = v.period
    where v.period = ${M}::date group by 1 order by 1`);
  const credits = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from meter_volume where period = ${M}::date and volume < 0`,
  );
  return `${rows.map((r) => `${r.kind} ${r.n}`).join(", ")}; true-up credits ${credits.rows[0].n}`;
}

async function billMonth(db: Db, options: Parameters<typeof startBillingRun>[1]): Promise<number> {
  const t = Date.now();
  const { run } = await startBillingRun(db, options);
  await waitForRun(db, run.id);
  return Date.now() - t;
}

/**
 * 4. A registry of `lines` payments (windows-1251, `;`, decimal commas, DD.MM.YYYY, a Cyrillic
 * payer, an external id each, a month on every other line) for the houses' apartments, given
 * account numbers first (generate() loads them with the triggers off, so they have none):
 * upload → mapping (the job checks the rows in a worker) → commit, timed end to end.
 */
async function benchPaymentImport(db: Db, workspaceId: number, personId: number, houses: number[], lines: number): Promise<void> {
  await db.execute(sql`alter table apartment disable trigger user`);
  try {
    await db.execute(sql`update apartment set account_number = 'LS' || lpad(id::text, 10, '0') where house_id in (
      select json_array_elements_text(${JSON.stringify(houses)}::json)::int)`);
  } finally {
    await db.execute(sql`alter table apartment enable trigger user`);
  }
  const { rows: accounts } = await db.execute<{ account_number: string }>(sql`
    select account_number from apartment where house_id in (select json_array_elements_text(${JSON.stringify(houses)}::json)::int)
    order by id limit ${lines}`);
  const text = ["Номер платежа;Лицевой счёт;Плательщик;Дата платежа;Сумма;Период"];
  for (let i = 0; i < lines; i++) {
    const kopecks = 10_000 + ((i * 7919) % 900_000);
    const amount = `${Math.floor(kopecks / 100)},${String(kopecks % 100).padStart(2, "0")}`;
    const day = String(1 + (i % 28)).padStart(2, "0");
    text.push(
      `П-${i + 1};${accounts[i % accounts.length].account_number};Плательщик Номер ${i};${day}.03.2025;${amount};${i % 2 ? "02.2025" : ""}`,
    );
  }
  const bytes = encodeCp1251(text.join("\r\n"));
  const scope = { workspaceIds: [workspaceId], workspaceId };
  const actor: Actor = { kind: "session", personId, sessionId: null, apiKeyId: null, scope, renewed: false, via: "bearer", token: "" };

  const t = Date.now();
  const uploaded = await db.transaction((tx) => uploadPaymentImport(tx, { scope, actor, workspaceId, fileName: "bench.csv", bytes }));
  const uploadMs = Date.now() - t;
  await db.transaction((tx) => setPaymentImportMapping(tx, { scope, id: uploaded.id, body: uploaded.suggested_mapping as never }));
  const mappedMs = Date.now() - t;
  let preview = await getPaymentImport(db, scope, uploaded.id);
  while (preview.status === "parsing") {
    await new Promise((r) => setTimeout(r, 200));
    preview = await getPaymentImport(db, scope, uploaded.id);
  }
  const previewMs = Date.now() - t;
  const committed = await db.transaction((tx) => commitPaymentImport(tx, { scope, actor, id: uploaded.id }));
  const totalMs = Date.now() - t;
  const {
    rows: [ledger],
  } = await db.execute<{ n: number; total: string }>(
    sql`select count(*)::int as n, sum(amount)::text as total from ledger_entry where import_id = ${uploaded.id}`,
  );
  log(
    `payment import: ${lines.toLocaleString("en")} rows preview + commit in ${seconds(totalMs)} (upload ${seconds(uploadMs)}, mapped at ${seconds(mappedMs)}, ` +
      `previewed at ${seconds(previewMs)}, commit ${seconds(totalMs - previewMs)}; ${(bytes.length / 1e6).toFixed(1)} MB; ` +
      `${committed.rows_ok} ok, ${committed.rows_error} errors, ${committed.rows_duplicate} duplicates; ${ledger.n} payments, ${ledger.total} ₽; goal < 10 s; ${load()})`,
  );
  if (preview.status !== "previewed" || ledger.n !== lines) process.exitCode = 1;
}

/**
 * 4b. A readings file of `rows` meters of the workspace for `month` (each meter's latest reading
 * plus `use` m³), as CSV or XLSX: upload → mapping (the job checks the rows in a worker) →
 * commit, timed end to end, through the functions the routes call.
 */
async function benchReadingImport(db: Db, workspaceId: number, personId: number, rows: number, month: string, format: "csv" | "xlsx") {
  const use = format === "csv" ? "3.5" : "7.25";
  const { rows: meters } = await db.execute<{ serial: string; value: string }>(sql`
    select m.serial_number as serial, (coalesce(last.value, 0) + ${use}::numeric)::text as value
    from meter m left join lateral (select r.value from meter_reading r where r.meter_id = m.id order by r.period desc limit 1) last on true
    where m.workspace_id = ${workspaceId} order by m.id limit ${rows}`);
  const dotted = `${month.slice(5)}.${month.slice(0, 4)}`;
  const bytes =
    format === "csv"
      ? Buffer.from(
          ["Заводской номер;Показание;Месяц", ...meters.map((m) => `${m.serial};${m.value.replace(".", ",")};${dotted}`)].join("\r\n"),
        )
      : await writeXlsxFile([
          ["Заводской номер", "Показание", "Месяц"],
          ...meters.map((m) => [m.serial, Number(m.value), dotted]),
        ]).toBuffer();
  const scope = { workspaceIds: [workspaceId], workspaceId };
  const actor: Actor = { kind: "session", personId, sessionId: null, apiKeyId: null, scope, renewed: false, via: "bearer", token: "" };

  const t = Date.now();
  const uploaded = await db.transaction((tx) => uploadReadingImport(tx, { scope, actor, workspaceId, fileName: `bench.${format}`, bytes }));
  const uploadMs = Date.now() - t;
  await db.transaction((tx) => setReadingImportMapping(tx, { scope, id: uploaded.id, body: { serial_number: 0, value: 1, period: 2 } }));
  const mappedMs = Date.now() - t;
  let preview = await getReadingImport(db, scope, uploaded.id);
  while (preview.status === "parsing") {
    await new Promise((r) => setTimeout(r, 200));
    preview = await getReadingImport(db, scope, uploaded.id);
  }
  const previewMs = Date.now() - t;
  const committed = await db.transaction((tx) => commitReadingImport(tx, { scope, actor, id: uploaded.id }));
  const totalMs = Date.now() - t;
  const {
    rows: [written],
  } = await db.execute<{ n: number }>(sql`select count(*)::int as n from meter_reading where import_id = ${uploaded.id}`);
  log(
    `readings import (${format}): ${rows.toLocaleString("en")} rows preview + commit in ${seconds(totalMs)} (upload ${seconds(uploadMs)}, ` +
      `mapped at ${seconds(mappedMs)}, previewed at ${seconds(previewMs)}, commit ${seconds(totalMs - previewMs)}; ` +
      `${(bytes.length / 1e6).toFixed(1)} MB; ${committed.rows_ok} ok, ${committed.rows_warning} warnings, ${committed.rows_error} errors; ` +
      `${written.n} readings written; goal < 10 s; ${load()})`,
  );
  if (preview.status !== "previewed" || written.n !== committed.rows_ok + committed.rows_warning || written.n === 0) process.exitCode = 1;
}

/**
 * 5. The house's payment documents of PERIOD: the workspace gets requisites (the documents need
 * them), then the batch through the real path, timed from the request to done; then the same
 * documents loaded and drawn in this process, each half timed.
 */
async function benchReceipts(db: Db, workspaceId: number, personId: number, houseId: number): Promise<void> {
  await db.execute(sql`
    update workspace set org_name = 'ООО «УК Бенч»', inn = '7707083893', kpp = '773601001', settlement_account = '40702810200000012345',
      bank_name = 'ПАО Сбербанк', bic = '044525225', correspondent_account = '30101810400000000225', org_address = 'г. Москва'
    where id = ${workspaceId}`);
  const scope = { workspaceIds: [workspaceId], workspaceId };
  let t = Date.now();
  const started = await db.transaction((tx) => startReceiptBatch(tx, scope, personId, houseId, PERIOD));
  let batch = started;
  while (batch.status === "queued" || batch.status === "running") {
    await new Promise((r) => setTimeout(r, 200));
    batch = await getReceiptBatch(db, scope, started.id);
  }
  const batchMs = Date.now() - t;
  t = Date.now();
  const documents = await houseReceipts(db, houseId, workspaceId, PERIOD);
  const loadMs = Date.now() - t;
  t = Date.now();
  const pdf = await renderReceiptsPdf(documents);
  const drawMs = Date.now() - t;
  log(
    `payment documents: ${batch.total} apartments into one PDF through the worker in ${seconds(batchMs)} (${batch.status}, ` +
      `${((batch.pdf_size ?? 0) / 1e6).toFixed(1)} MB); in process: loaded in ${seconds(loadMs)}, drawn in ${seconds(drawMs)} ` +
      `(${(pdf.length / 1e6).toFixed(1)} MB); goal < 20 s; ${load()}`,
  );
  if (batch.status !== "done") process.exitCode = 1;
}

async function main() {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "kvartplata-bench-"));
    kit.cleanups.push({ name: "the data folder", run: () => fs.rm(dataDir, { recursive: true, force: true }) });
    await fs.chmod(dataDir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: 55434, log, settings: args.pg });
    kit.cleanups.push({ name: "PostgreSQL", run: () => server.stop() });
    adminUrl = server.url;
  }
  const name = `kvbench_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  kit.cleanups.push({
    name: "the database",
    run: async () => {
      if (args.keep) log(`kept database ${name}`);
      else await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  });
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(adminUrl, name);
  const handle = createDb(url, { max: 4 });
  kit.cleanups.push({ name: "connections", run: () => handle.close() });
  const workers: ChildProcess[] = [];
  kit.cleanups.push({
    name: "workers",
    run: async () => {
      for (const w of workers) w.kill("SIGTERM");
      await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once("exit", r)))));
    },
  });
  const { db } = handle;
  await prepareDatabase(url);
  const { person } = await findOrCreatePerson(db, "+79990001122");
  const ws = person.personalWorkspaceId;
  const scope = { scope: { workspaceIds: [ws], workspaceId: ws }, personId: person.id };
  // the four services a new workspace bills (cold, hot water, wastewater, maintenance), workspace prices
  await db.execute(sql`
      insert into tariff (workspace_id, service_id, price, valid_from)
      select ${ws}, s.id, p.price, '2024-01-01' from service s
      join (values ('cold_water', 54.0300), ('hot_water', 248.9100), ('wastewater', 38.5100), ('maintenance', 32.5000)) p(code, price) on p.code = s.code
      where s.workspace_id = ${ws}`);
  await db.execute(sql`
      insert into normative (workspace_id, service, value, valid_from)
      values (${ws}, 'cold_water', 6.9350, '2024-01-01'), (${ws}, 'hot_water', 4.7450, '2024-01-01')`);

  if (args.only === "import") {
    // houses and apartments only (the import reads no meters)
    await db.execute(sql`alter table house disable trigger user`);
    await db.execute(sql`alter table apartment disable trigger user`);
    const { rows } = await db.execute<{ id: number }>(sql`
        insert into house (workspace_id, address) select ${ws}, 'Payments street ' || g from generate_series(1, 100) g returning id`);
    const houses = rows.map((r) => r.id);
    await db.execute(sql`
        insert into apartment (house_id, number, area) select h.id, a::text, 50 from house h, generate_series(1, 1000) a
        where h.workspace_id = ${ws} order by h.id, a`);
    await db.execute(sql`alter table house enable trigger user`);
    await db.execute(sql`alter table apartment enable trigger user`);
    await db.execute(sql`analyze`);
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(url));
    await benchPaymentImport(db, ws, person.id, houses, PAYMENTS);
    return;
  }
  if (args.only === "reading-import") {
    // 50 houses × 1,000 apartments, a cold and a hot meter each, readings of 2024-01 … PERIOD
    await generate(db, ws, 50, 1000, "Readings street");
    await db.execute(sql`analyze`);
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(url));
    await benchReadingImport(db, ws, person.id, READINGS, "2024-08", "csv");
    await benchReadingImport(db, ws, person.id, READINGS, "2024-09", "xlsx");
    return;
  }
  if (args.only === "receipts") {
    const [house] = await generate(db, ws, 1, 1000, "Receipt house");
    await db.execute(sql`analyze`);
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(url));
    await billMonth(db, { ...scope, period: PREVIOUS, houseId: house });
    await billMonth(db, { ...scope, period: PERIOD, houseId: house });
    await benchReceipts(db, ws, person.id, house);
    return;
  }

  let t = Date.now();
  const portfolio = await generate(db, ws, HOUSES, PER_HOUSE, "Portfolio street");
  const apartments = HOUSES * PER_HOUSE;
  await db.execute(sql`analyze`);
  log(
    `generated ${HOUSES} houses × ${PER_HOUSE} apartments, 2 meters each, readings of 2024-01 … ${PERIOD} in ${seconds(Date.now() - t)} (${load()})`,
  );

  for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(url));
  log(`${WORKERS} worker process(es), concurrency ${process.env.WORKER_CONCURRENCY ?? 2} each`);

  // setup: M−1 through the real path, so that M has estimates to true up
  const setupMs = await billMonth(db, { ...scope, workspaceId: ws, period: PREVIOUS });
  await db.execute(sql`analyze`);
  log(`setup: ${PREVIOUS} billed through the real path in ${seconds(setupMs)} (untimed; ${load()})`);

  // 1. the real path
  const realMs = await billMonth(db, { ...scope, workspaceId: ws, period: PERIOD });
  const realLoad = load();
  const realRate = apartments / (realMs / 1000);
  const {
    rows: [real],
  } = await db.execute<{ n: number; total: string; lines: number }>(sql`
      select count(*)::int as n, sum(total)::text as total,
             (select count(*)::int from invoice_line l join invoice i on i.id = l.invoice_id where i.period = ${M}::date) as lines
      from invoice where period = ${M}::date`);
  const {
    rows: [realDigest],
  } = await db.execute<{ digest: string }>(CONTENT_DIGEST);
  log(
    `real path: ${apartments} apartments in ${seconds(realMs)} → ${Math.round(realRate)} apartments/s (${real.n} invoices, ${real.lines} lines, total ${real.total} ₽; ${realLoad})`,
  );
  log(`${PERIOD}'s meter volumes by kind: ${await describeMonth(db)}`);
  await benchBilledFlags(db, ws);

  // 2. the single statement on the same data (M−1's invoices as the real path wrote them)
  if (args.keep) await db.execute(sql`create table bench_real_rows as select * from (${CONTENT_ROWS}) r`);
  await db.execute(sql`delete from invoice where period = ${M}::date`);
  await db.execute(sql`vacuum analyze invoice, invoice_line, meter_volume`);
  t = Date.now();
  if (args.explain) {
    const { rows: plan } = await db.execute<{ "QUERY PLAN": string }>(sql`explain (analyze, buffers) ${SINGLE_STATEMENT(ws)}`);
    console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
  } else await db.execute(SINGLE_STATEMENT(ws));
  const singleMs = Date.now() - t;
  const singleLoad = load();
  const singleRate = apartments / (singleMs / 1000);
  const {
    rows: [single],
  } = await db.execute<{ n: number; total: string }>(
    sql`select count(*)::int as n, sum(total)::text as total from invoice where period = ${M}::date`,
  );
  const {
    rows: [singleDigest],
  } = await db.execute<{ digest: string }>(CONTENT_DIGEST);
  const same = singleDigest.digest === realDigest.digest;
  log(
    `single INSERT … SELECT: ${seconds(singleMs)} → ${Math.round(singleRate)} apartments/s (${single.n} invoices, total ${single.total} ₽; ${singleLoad})`,
  );
  log(
    `digest real ${realDigest.digest}, single ${singleDigest.digest}: every invoice, line and meter volume ${same ? "IDENTICAL" : "DIFFERENT"}`,
  );
  log(`ratio real / single: ${(realRate / singleRate).toFixed(2)} (goal ≥ 0.75)`);

  // 3. one 1,000-apartment house, start → completed (its M−1 billed first, untimed)
  const [house] = await generate(db, ws, 1, 1000, "Single house");
  await db.execute(sql`analyze`);
  await billMonth(db, { ...scope, period: PREVIOUS, houseId: house });
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) times.push(await billMonth(db, { ...scope, period: PERIOD, houseId: house }));
  times.sort((a, b) => a - b);
  log(
    `1,000-apartment house, start → completed: median ${times[Math.floor(times.length / 2)]} ms over ${REPEATS} runs (${times.join(", ")} ms; goal < 2000 ms; ${load()})`,
  );

  if (args.only === "billing") {
    if (!same) process.exitCode = 1;
    return;
  }
  // 4. the payment import, on the portfolio's apartments
  await benchPaymentImport(db, ws, person.id, portfolio, PAYMENTS);
  // 4b. the readings import, on the portfolio's meters
  await benchReadingImport(db, ws, person.id, READINGS, "2024-08", "csv");
  await benchReadingImport(db, ws, person.id, READINGS, "2024-09", "xlsx");
  // 5. the house's payment documents
  await benchReceipts(db, ws, person.id, house);
  if (!same) process.exitCode = 1;
}

main().then(
  async () => {
    await kit.cleanup();
    process.exit(process.exitCode ?? 0);
  },
  async (e) => {
    // interrupted: the queries fail as the database stops; the signal's handler exits
    if (!kit.stopping()) console.error(e);
    await kit.cleanup();
    process.exit(1);
  },
);
