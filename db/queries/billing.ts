import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { ACTIVE_RUN_STATUSES, type RunFailureReason, type RunStatus } from "../../lib/constants";
import type { FlagCounts } from "../../lib/schemas/stored";
import type { DbOrTx } from "../client";
import {
  apartment,
  billingRun,
  billingRunPart,
  billingRunPrice,
  house,
  invoice,
  invoiceLine,
  meter,
  meterReading,
  tariff,
  type BillingRun,
} from "../schema";
import { runApartments, tariffsInForce, type RunScope } from "./fragments";

// Billing runs: recording, planning (fixed prices, parts), the chunk statement that writes
// invoices and lines, and the run's counters. The rules the chunk statement implements are
// stated at billChunkStatement.

// ---- runs ----

export interface RunKey {
  workspaceId: number;
  /** null: the workspace's portfolio run */
  houseId: number | null;
  /** first day of the month */
  period: string;
}

/**
 * Records a queued run over the scope's apartments as they stand (count and highest id), unless
 * one for the same house (or portfolio) and month is queued or running: the partial unique
 * indexes make that hold under any number of concurrent requests. The new run's id, or null.
 */
export async function insertRunIfNoneActive(db: DbOrTx, key: RunKey & { personId: number | null }): Promise<number | null> {
  const { workspaceId, houseId, period, personId } = key;
  const { rows } = await db.execute<{ id: number }>(sql`
    with scope as (
      select ${apartment.id} as id from ${apartment} join ${house} on ${house.id} = ${apartment.houseId}
      where ${house.workspaceId} = ${workspaceId} and (${houseId}::int is null or ${apartment.houseId} = ${houseId}::int)
        and ${apartment.archivedAt} is null
    )
    insert into ${billingRun} (workspace_id, house_id, period, total, apartment_id_bound, created_by_id)
    select ${workspaceId}, ${houseId}::int, ${period}::date, count(*)::int, coalesce(max(id), 0), ${personId}::int from scope
    on conflict do nothing
    returning id`);
  return rows[0]?.id ?? null;
}

/** The queued or running run of this house (or portfolio) and month. */
export async function findActiveRun(db: DbOrTx, key: RunKey): Promise<number | undefined> {
  const [row] = await db
    .select({ id: billingRun.id })
    .from(billingRun)
    .where(
      and(
        eq(billingRun.workspaceId, key.workspaceId),
        eq(billingRun.period, key.period),
        inArray(billingRun.status, ACTIVE_RUN_STATUSES),
        sql`${billingRun.houseId} is not distinct from ${key.houseId}::int`,
      ),
    );
  return row?.id;
}

export async function getRun(db: DbOrTx, runId: number, workspaceIds?: number[]): Promise<BillingRun | undefined> {
  const [run] = await db
    .select()
    .from(billingRun)
    .where(and(eq(billingRun.id, runId), workspaceIds ? inArray(billingRun.workspaceId, workspaceIds) : undefined));
  return run;
}

/** A house's own runs, newest first. */
export async function listHouseRuns(
  db: DbOrTx,
  options: { houseId: number; workspaceIds: number[]; limit: number },
): Promise<BillingRun[]> {
  return db
    .select()
    .from(billingRun)
    .where(and(eq(billingRun.houseId, options.houseId), inArray(billingRun.workspaceId, options.workspaceIds)))
    .orderBy(desc(billingRun.createdAt), desc(billingRun.id))
    .limit(options.limit);
}

/**
 * The run row locked for the rest of the transaction. NO KEY UPDATE, not UPDATE: the invoices'
 * run_id foreign key holds KEY SHARE on this row in every chunk in flight, and FOR UPDATE would
 * deadlock two parts against each other.
 */
export async function lockRun(db: DbOrTx, runId: number): Promise<BillingRun | undefined> {
  const [run] = await db.select().from(billingRun).where(eq(billingRun.id, runId)).for("no key update");
  return run;
}

export interface RunFailure {
  reason: RunFailureReason;
  params?: Record<string, string | number>;
  /** in English, for integrators and the log */
  message: string;
}

/** Fails a queued or running run, saying why; a finished one stays as it is. */
export async function failRun(db: DbOrTx, runId: number, failure: RunFailure): Promise<void> {
  await db
    .update(billingRun)
    .set({
      status: "failed",
      error: failure.message,
      errorReason: failure.reason,
      errorParams: failure.params ?? null,
      finishedAt: sql`now()`,
    })
    .where(and(eq(billingRun.id, runId), inArray(billingRun.status, ACTIVE_RUN_STATUSES)));
}

// ---- planning ----

/** The highest meter id now: meters installed after the run starts wait for the next run. */
export async function highestMeterId(db: DbOrTx): Promise<number> {
  const {
    rows: [{ bound }],
  } = await db.execute<{ bound: number }>(sql`select coalesce(max(${meter.id}), 0)::int as bound from ${meter}`);
  return bound;
}

/** Fixes the run's prices: the one in force for each service of each of its houses. */
export async function fixRunPrices(db: DbOrTx, runId: number, run: RunScope, period: string): Promise<void> {
  const houses = sql`select ${house.id}, ${house.workspaceId} from ${house} where ${house.id} in (select house_id from (${runApartments(run)}) s)`;
  await db.execute(sql`
    insert into ${billingRunPrice} (run_id, house_id, service, tariff_id, price)
    select ${runId}, p.house_id, p.service, p.id, p.price from (${tariffsInForce(houses, period)}) p`);
}

/**
 * The prices a run needs but has not got: maintenance for every house with apartments, a water
 * service where the house has meters of it (up to `meterIdBound`).
 */
export async function missingRunPrices(
  db: DbOrTx,
  runId: number,
  run: RunScope,
  meterIdBound: number,
): Promise<{ house_id: number; address: string; service: string }[]> {
  const { rows } = await db.execute<{ house_id: number; address: string; service: string }>(sql`
    with apts as (${runApartments(run)}),
    needed as (
      select distinct house_id, 'maintenance'::tariff_service as service from apts
      union
      select distinct apts.house_id, ${meter.service}::text::tariff_service from apts
      join ${meter} on ${meter.apartmentId} = apts.id and ${meter.id} <= ${meterIdBound}
    )
    select n.house_id, ${house.address} as address, n.service::text as service
    from needed n join ${house} on ${house.id} = n.house_id
    where not exists (
      select 1 from ${billingRunPrice}
      where ${billingRunPrice.runId} = ${runId} and ${billingRunPrice.houseId} = n.house_id and ${billingRunPrice.service} = n.service
    )
    order by n.house_id, n.service`);
  return [...rows];
}

export async function dropRunPrices(db: DbOrTx, runId: number): Promise<void> {
  await db.delete(billingRunPrice).where(eq(billingRunPrice.runId, runId));
}

/** Splits the run's apartments by id into parts of `partSize`; returns the parts' ids and the apartments in all. */
export async function insertRunParts(
  db: DbOrTx,
  runId: number,
  run: RunScope,
  partSize: number,
): Promise<{ partIds: number[]; total: number }> {
  const { rows: parts } = await db.execute<{ id: number; total: number }>(sql`
    insert into ${billingRunPart} (run_id, first_apartment_id, last_apartment_id, cursor, total)
    select ${runId}, min(id), max(id), min(id) - 1, count(*)::int
    from (select id, (row_number() over (order by id) - 1) / ${partSize} as part from (${runApartments(run)}) s) numbered
    group by part
    order by part
    returning id, total`);
  return { partIds: parts.map((p) => p.id), total: parts.reduce((sum, p) => sum + p.total, 0) };
}

export async function startRun(db: DbOrTx, runId: number, values: { total: number; meterIdBound: number }): Promise<void> {
  const status: RunStatus = values.total === 0 ? "completed" : "running";
  await db
    .update(billingRun)
    .set({
      status,
      total: values.total,
      meterIdBound: values.meterIdBound,
      startedAt: sql`now()`,
      ...(status === "completed" ? { processed: 0, finishedAt: sql`now()` } : {}),
    })
    .where(eq(billingRun.id, runId));
}

// ---- chunks ----

export type PartToBill = {
  run_id: number;
  cursor: number;
  last_apartment_id: number;
  done: number;
  status: RunStatus;
  house_id: number | null;
  workspace_id: number;
  apartment_id_bound: number;
  meter_id_bound: number;
  /** first day of the month */
  period: string;
  /** the worker whose lease it is, if any */
  leased_by: string | null;
};

/** The part with its run, the part row locked: one chunk of a part at a time. */
export async function lockPart(db: DbOrTx, partId: number): Promise<PartToBill | undefined> {
  const {
    rows: [part],
  } = await db.execute<PartToBill>(sql`
    select ${billingRunPart.runId} as run_id, ${billingRunPart.cursor} as cursor, ${billingRunPart.lastApartmentId} as last_apartment_id,
           ${billingRunPart.done} as done, ${billingRun.status} as status, ${billingRun.houseId} as house_id,
           ${billingRun.workspaceId} as workspace_id, ${billingRun.apartmentIdBound} as apartment_id_bound,
           ${billingRun.meterIdBound} as meter_id_bound, ${billingRun.period} as period, ${billingRunPart.leasedBy} as leased_by
    from ${billingRunPart} join ${billingRun} on ${billingRun.id} = ${billingRunPart.runId}
    where ${billingRunPart.id} = ${partId}
    for update of ${billingRunPart}`);
  return part;
}

/** The chunk's apartments: the next `size` of the part after its cursor. */
const chunkApartments = (run: RunScope, part: PartToBill, size: number) => sql`
  select * from (${runApartments(run)}) s
  where s.id > ${part.cursor} and s.id <= ${part.last_apartment_id}
  order by s.id
  limit ${size}`;

/**
 * Another run may be billing some of these apartments for the same month right now (a house
 * run beside a portfolio run). Each chunk first takes a lock per (house, month) it touches, in
 * house order: the second chunk waits for the first to commit, and its statement then starts
 * after that commit, so it replaces the first one's lines instead of adding to them.
 */
export async function lockChunkHouses(db: DbOrTx, run: RunScope, part: PartToBill, size: number): Promise<void> {
  const monthKey = Number(part.period.slice(0, 4)) * 100 + Number(part.period.slice(5, 7));
  await db.execute(sql`
    select pg_advisory_xact_lock(c.house_id, ${monthKey})
    from (select distinct house_id from (${chunkApartments(run, part, size)}) apts) c
    order by c.house_id`);
}

/** The run's fixed price of a service for a house, and the tariff row it came from. */
const priceOf = (runId: number, houseId: SQL, service: SQL) => sql`
  select ${billingRunPrice.tariffId} as tariff_id, ${billingRunPrice.price} as price,
         jsonb_build_object('id', ${tariff.id}, 'price', ${billingRunPrice.price}::text, 'valid_from', to_char(${tariff.validFrom}, 'YYYY-MM'),
                            'scope', case when ${tariff.houseId} is null then 'workspace' else 'house' end) as tariff
  from ${billingRunPrice} join ${tariff} on ${tariff.id} = ${billingRunPrice.tariffId}
  where ${billingRunPrice.runId} = ${runId} and ${billingRunPrice.houseId} = ${houseId} and ${billingRunPrice.service} = ${service}`;

export type ChunkTotals = {
  /** apartments billed */
  n: number;
  last_id: number | null;
  water: string;
  maintenance: string;
  total: string;
  flags: FlagCounts | null;
  /** lines without a price: then nothing was written */
  unpriced: number;
};

const m = alias(meter, "m");
const cur = alias(meterReading, "cur");
const r = alias(meterReading, "r");

/**
 * Bills a chunk of a part's apartments in one set-based statement: the invoices and their lines,
 * each line with what produced it in `details`, and the chunk's totals.
 *
 * The rules (issue: billing engine):
 * - consumption per meter = its reading for the month − its latest earlier reading;
 *   no earlier reading → 0, flag no_previous_reading (the reading is the baseline);
 *   no reading for the month → 0, flag no_current_reading; negative → 0, flag negative_consumption;
 * - a water line per service the apartment has meters of: quantity = Σ consumption (m³);
 *   a maintenance line: quantity = area (m²);
 * - amount = round(quantity × price, 2): PostgreSQL rounds numeric half away from zero, which
 *   for these never-negative amounts is half-up, once per line;
 * - the unique (apartment, month) invoice means a repeat replaces, never duplicates.
 */
export async function billChunkStatement(db: DbOrTx, run: RunScope, part: PartToBill, size: number): Promise<ChunkTotals> {
  const { period, run_id: runId } = part;
  // The statement is planned afresh per chunk; compiling it would cost more than running it.
  await db.execute(sql`set local jit = off`);
  const {
    rows: [totals],
  } = await db.execute<ChunkTotals>(sql`
    with apts as (${chunkApartments(run, part, size)}),
    readings as (
      select ${m.id} as meter_id, ${m.apartmentId} as apartment_id, ${m.service}::text::tariff_service as service,
             ${m.serialNumber} as serial_number, ${cur.value} as cur_value, prev.period as prev_period, prev.value as prev_value
      from apts
      -- = any(array): an index lookup per apartment, never a scan of every meter
      join ${meter} ${m} on ${m.apartmentId} = apts.id and ${m.apartmentId} = any (array(select id from apts))
        and ${m.id} <= ${part.meter_id_bound}
      left join ${meterReading} ${cur} on ${cur.meterId} = ${m.id} and ${cur.period} = ${period}::date
      left join lateral (
        select ${r.period} as period, ${r.value} as value from ${meterReading} ${r}
        where ${r.meterId} = ${m.id} and ${r.period} < ${period}::date
        order by ${r.period} desc limit 1
      ) prev on true
    ),
    meters as (
      select *,
        case when cur_value is null or prev_value is null or cur_value < prev_value then 0
             else cur_value - prev_value end as consumption,
        case when cur_value is null then 'no_current_reading'
             when prev_value is null then 'no_previous_reading'
             when cur_value < prev_value then 'negative_consumption' end as flag
      from readings
    ),
    water as (
      select apartment_id, service, sum(consumption) as quantity,
             -- the line's flags, each once, in a fixed order (no per-group sort)
             array_remove(array[
               case when bool_or(flag = 'negative_consumption') then 'negative_consumption' end,
               case when bool_or(flag = 'no_current_reading') then 'no_current_reading' end,
               case when bool_or(flag = 'no_previous_reading') then 'no_previous_reading' end
             ], null) as flags,
             jsonb_agg(jsonb_build_object(
               'meter_id', meter_id,
               'serial_number', serial_number,
               'previous', case when prev_value is null then null
                                else jsonb_build_object('period', to_char(prev_period, 'YYYY-MM'), 'value', prev_value::text) end,
               'current', case when cur_value is null then null
                               else jsonb_build_object('period', to_char(${period}::date, 'YYYY-MM'), 'value', cur_value::text) end,
               'consumption', consumption::numeric(16,3)::text,
               'flag', flag
             ) order by meter_id) as meters
      from meters
      group by apartment_id, service
    ),
    lines as (
      -- Each line's price is a primary-key lookup into the run's fixed prices (never a scan of
      -- them: a portfolio run has three per house), with the tariff row it came from.
      select w.apartment_id, w.service, w.quantity, 'm3' as unit, p.tariff_id, p.price,
             round(w.quantity * p.price, 2) as amount, w.flags,
             jsonb_build_object('meters', w.meters, 'tariff', p.tariff) as details
      from water w
      join apts on apts.id = w.apartment_id
      left join lateral (${priceOf(runId, sql`apts.house_id`, sql`w.service`)}) p on true
      union all
      select apts.id, 'maintenance'::tariff_service, apts.area, 'm2', p.tariff_id, p.price,
             round(apts.area * p.price, 2), '{}'::text[], jsonb_build_object('area', apts.area::text, 'tariff', p.tariff)
      from apts
      left join lateral (${priceOf(runId, sql`apts.house_id`, sql`'maintenance'::tariff_service`)}) p on true
    ),
    per_apartment as (
      select apts.id as apartment_id, apts.house_id,
             coalesce(sum(l.amount) filter (where l.service <> 'maintenance'), 0) as water,
             coalesce(sum(l.amount) filter (where l.service = 'maintenance'), 0) as maintenance
      from apts join lines l on l.apartment_id = apts.id
      group by apts.id, apts.house_id
    ),
    saved as (
      insert into ${invoice} (apartment_id, house_id, period, run_id, water, maintenance, total, created_at)
      select apartment_id, house_id, ${period}::date, ${runId}, water, maintenance, water + maintenance, now()
      from per_apartment
      where not exists (select 1 from lines where price is null)
      on conflict (apartment_id, period) do update
        set house_id = excluded.house_id, run_id = excluded.run_id, water = excluded.water,
            maintenance = excluded.maintenance, total = excluded.total, created_at = excluded.created_at
      returning id, apartment_id, (xmax <> 0) as replaced
    ),
    replaced as (
      -- only re-billed invoices have old lines; = any(array) keeps this an index lookup
      delete from ${invoiceLine} where ${invoiceLine.invoiceId} = any (array(select id from saved where replaced))
    ),
    written as (
      insert into ${invoiceLine} (invoice_id, service, quantity, unit, tariff_id, price, amount, flags, details)
      select s.id, l.service, l.quantity, l.unit, l.tariff_id, l.price, l.amount, l.flags, l.details
      from lines l join saved s on s.apartment_id = l.apartment_id
    ),
    flag_counts as (
      select flag, count(*)::int as n from meters where flag is not null group by flag
    )
    select (select count(*)::int from apts) as n,
           (select max(id) from apts) as last_id,
           (select coalesce(sum(water), 0)::text from per_apartment) as water,
           (select coalesce(sum(maintenance), 0)::text from per_apartment) as maintenance,
           (select coalesce(sum(water + maintenance), 0)::text from per_apartment) as total,
           (select jsonb_object_agg(flag, n) from flag_counts) as flags,
           (select count(*)::int from lines where price is null) as unpriced`);
  return totals;
}

export async function advancePart(
  db: DbOrTx,
  partId: number,
  values: { cursor: number; billed: number; finished: boolean; leaseSeconds?: number },
): Promise<void> {
  await db
    .update(billingRunPart)
    .set({
      cursor: values.cursor,
      processed: sql`${billingRunPart.processed} + ${values.billed}`,
      done: values.finished ? 1 : 0,
      // a chunk committed is a sign of life too (after the database was away, say)
      ...(values.leaseSeconds ? { leaseUntil: sql`now() + make_interval(secs => ${values.leaseSeconds})` } : {}),
    })
    .where(eq(billingRunPart.id, partId));
}

// ---- part leases ----

/**
 * Takes the part's lease for `workerId` unless another worker's lease on it is still running:
 * `taken` false then (or when the part is done or gone); `previous` is the worker whose lease
 * ran out, when this is a take-over.
 */
export async function takePartLease(
  db: DbOrTx,
  partId: number,
  workerId: string,
  leaseSeconds: number,
): Promise<{ taken: boolean; previous: string | null }> {
  const { rows } = await db.execute<{ previous: string | null }>(sql`
    with old as (
      select ${billingRunPart.id} as id, ${billingRunPart.leasedBy} as leased_by from ${billingRunPart}
      where ${billingRunPart.id} = ${partId} for update
    )
    update ${billingRunPart} set leased_by = ${workerId}, lease_until = now() + make_interval(secs => ${leaseSeconds})
    from old
    where ${billingRunPart.id} = old.id and ${billingRunPart.done} = 0
      and (old.leased_by is null or old.leased_by = ${workerId} or ${billingRunPart.leaseUntil} < now())
    returning old.leased_by as previous`);
  return rows[0] ? { taken: true, previous: rows[0].previous } : { taken: false, previous: null };
}

/** Extends the worker's leases on these parts (its heartbeat); the ids still leased to it. */
export async function renewPartLeases(db: DbOrTx, workerId: string, partIds: number[], leaseSeconds: number): Promise<number[]> {
  if (partIds.length === 0) return [];
  const { rows } = await db.execute<{ id: number }>(sql`
    update ${billingRunPart} set lease_until = now() + make_interval(secs => ${leaseSeconds})
    where ${billingRunPart.id} = any(${`{${partIds.join(",")}}`}::int[]) and ${billingRunPart.leasedBy} = ${workerId}
    returning ${billingRunPart.id} as id`);
  return rows.map((row) => row.id);
}

/** Gives the lease back (the worker stops billing the part before it is done). */
export async function releasePartLease(db: DbOrTx, partId: number, workerId: string): Promise<void> {
  await db
    .update(billingRunPart)
    .set({ leasedBy: null, leaseUntil: null })
    .where(and(eq(billingRunPart.id, partId), eq(billingRunPart.leasedBy, workerId)));
}

/**
 * The unfinished parts of running runs whose lease ran out (their worker died or lost the
 * database), their lease cleared so that each is handed on once: the caller enqueues a job for
 * each in the same transaction. Rows being changed right now are skipped until the next look.
 */
export async function clearLapsedLeases(db: DbOrTx): Promise<{ part_id: number; run_id: number; leased_by: string }[]> {
  const { rows } = await db.execute<{ part_id: number; run_id: number; leased_by: string }>(sql`
    with lapsed as (
      select p.id, p.leased_by from ${billingRunPart} p join ${billingRun} r on r.id = p.run_id
      where p.leased_by is not null and p.lease_until < now() and p.done = 0 and r.status = 'running'
      for update of p skip locked
    )
    update ${billingRunPart} set leased_by = null, lease_until = null
    from lapsed where ${billingRunPart.id} = lapsed.id
    returning ${billingRunPart.id} as part_id, ${billingRunPart.runId} as run_id, lapsed.leased_by`);
  return rows;
}

/**
 * Adds a chunk's counts and sums to its run, the run row locked last (part, then run, in every
 * transaction); null when the run is no longer running (failed meanwhile by the sweep): the
 * caller then rolls the chunk back.
 */
export async function addChunkToRun(db: DbOrTx, runId: number, totals: ChunkTotals): Promise<{ processed: number; total: number } | null> {
  const locked = await lockRun(db, runId);
  if (locked?.status !== "running") return null;
  const {
    rows: [progress],
  } = await db.execute<{ processed: number; total: number }>(sql`
    update ${billingRun} set
      processed = least(${billingRun.processed} + ${totals.n}, ${billingRun.total}),
      invoices = ${billingRun.invoices} + ${totals.n},
      water = ${billingRun.water} + ${totals.water}::numeric,
      maintenance = ${billingRun.maintenance} + ${totals.maintenance}::numeric,
      total_amount = ${billingRun.totalAmount} + ${totals.total}::numeric,
      flags = (
        select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from (
          select key, sum(value::int) as value
          from (select * from jsonb_each_text(${billingRun.flags}) union all select * from jsonb_each_text(${JSON.stringify(totals.flags ?? {})}::jsonb)) f
          group by key
        ) merged
      )
    where ${billingRun.id} = ${runId}
    returning processed, total`);
  return progress;
}

/** Completes the run once none of its parts is left; a fresh statement sees every part other workers committed. */
export async function completeRunIfDone(db: DbOrTx, runId: number): Promise<void> {
  await db.execute(sql`
    update ${billingRun} set status = 'completed', finished_at = now(), total = ${billingRun.processed}
    where ${billingRun.id} = ${runId} and ${billingRun.status} = 'running'
      and not exists (select 1 from ${billingRunPart} where ${billingRunPart.runId} = ${runId} and ${billingRunPart.done} = 0)`);
}

// ---- the sweep for runs no job will finish ----

/**
 * The queued and running runs, locked as planning and chunks lock them (FOR NO KEY UPDATE): runs
 * being planned or counting a chunk right now are skipped until the next sweep, while invoices
 * can still be written.
 */
export async function lockActiveRuns(db: DbOrTx): Promise<number[]> {
  const { rows } = await db.execute<{ id: number }>(sql`
    select ${billingRun.id} as id from ${billingRun} where ${inArray(billingRun.status, ACTIVE_RUN_STATUSES)}
    order by ${billingRun.id} for no key update skip locked`);
  return rows.map((row) => row.id);
}

/**
 * The runs' parts that are not done; `leased` while a worker holds the part's lease, and also once
 * it ran out until a worker's lease pass hands the part on (clearLapsedLeases clears it in the
 * transaction that enqueues its new job): the part is not abandoned in between.
 */
export const unfinishedParts = (runIds: SQL) => sql`
  select ${billingRunPart.id} as id, ${billingRunPart.runId} as run_id,
         ${billingRunPart.leasedBy} is not null as leased
  from ${billingRunPart}
  where ${billingRunPart.runId} = any(${runIds}) and ${billingRunPart.done} = 0`;
