import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { ACTIVE_RUN_STATUSES, METER_SERVICES, type RunFailureReason, type RunStatus } from "../../lib/constants";
import type { FlagCounts } from "../../lib/schemas/stored";
import type { DbOrTx } from "../client";
import {
  apartment,
  billingRun,
  billingRunNormative,
  billingRunPart,
  billingRunPrice,
  house,
  invoice,
  invoiceLine,
  meter,
  meterVolume,
  service,
  tariff,
  type BillingRun,
} from "../schema";
import {
  billedServices,
  meterStates,
  normativesInForce,
  runApartments,
  runHouses,
  serviceApplies,
  tariffsInForce,
  type RunScope,
} from "./fragments";

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
 * Records a queued run over the scope's apartments as they stand (count and highest id; a
 * portfolio's closed houses left out, as the run will leave them), unless
 * one for the same house (or portfolio) and month is queued or running: the partial unique
 * indexes make that hold under any number of concurrent requests. The new run's id, or null.
 */
export async function insertRunIfNoneActive(db: DbOrTx, key: RunKey & { personId: number | null }): Promise<number | null> {
  const { workspaceId, houseId, period, personId } = key;
  const { rows } = await db.execute<{ id: number }>(sql`
    with scope as (${runApartments({ houseId, workspaceId, period, apartmentIdBound: 2_147_483_647 /* every id */ })})
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

/**
 * Fixes the run's prices: for each of its houses, the price in force of every service the house
 * is billed for (fragments.billedServices) that has one.
 */
export async function fixRunPrices(db: DbOrTx, runId: number, run: RunScope, period: string): Promise<void> {
  await db.execute(sql`
    insert into ${billingRunPrice} (run_id, house_id, service_id, tariff_id, price)
    select ${runId}, p.house_id, p.service_id, p.id, p.price
    from (${tariffsInForce(runHouses(run), period)}) p
    join (${billedServices(runHouses(run))}) b on b.house_id = p.house_id and b.service_id = p.service_id`);
}

/** Fixes the run's normatives: for each of its houses, the one in force of each metered service that has one. */
export async function fixRunNormatives(db: DbOrTx, runId: number, run: RunScope, period: string): Promise<void> {
  await db.execute(sql`
    insert into ${billingRunNormative} (run_id, house_id, service, normative_id, value, details)
    select ${runId}, n.house_id, n.service, n.id, n.value,
           jsonb_build_object('id', n.id, 'value', n.value::text, 'valid_from', to_char(n.valid_from, 'YYYY-MM'),
                              'scope', case when n.normative_house_id is null then 'workspace' else 'house' end)
    from (${normativesInForce(runHouses(run), period)}) n`);
}

type Missing = { house_id: number; address: string; service: string };

/**
 * The prices a run needs but has not got: a billed service that applies to an apartment of the
 * house (area, residents and apartment services to every apartment, a meter service where an
 * apartment has meters of it, wastewater where one has any water meter, up to `meterIdBound`).
 */
export async function missingRunPrices(db: DbOrTx, runId: number, run: RunScope, meterIdBound: number): Promise<Missing[]> {
  const { rows } = await db.execute<Missing>(sql`
    with billed as (${billedServices(runHouses(run))})
    select b.house_id, ${house.address} as address, b.code as service
    from billed b join ${house} on ${house.id} = b.house_id
    where ${serviceApplies(sql`b.house_id`, sql`b.basis`, sql`b.code`, { apartmentIdBound: run.apartmentIdBound, meterIdBound })}
      and not exists (
        select 1 from ${billingRunPrice}
        where ${billingRunPrice.runId} = ${runId} and ${billingRunPrice.houseId} = b.house_id and ${billingRunPrice.serviceId} = b.service_id
      )
    order by b.house_id, b.code`);
  return [...rows];
}

const ms = alias(meter, "ms");
const ap = alias(apartment, "ap");

/**
 * The normatives a run needs but has not got: a house and metered service without one in force,
 * whose meters' volumes some line uses, where a meter of an apartment with people registered
 * will be estimated by the normative (fragments.meterStates). Only those houses' meters are
 * looked at, so a run whose normatives are all there costs one probe per house.
 */
export async function missingRunNormatives(
  db: DbOrTx,
  runId: number,
  run: RunScope & { period: string },
  meterIdBound: number,
): Promise<Missing[]> {
  const { rows } = await db.execute<Missing>(sql`
    -- set-based (EXCEPT is hashed): as correlated EXISTS / NOT EXISTS, with the run's rows just
    -- written and not in the statistics yet, it was planned as a loop over every pair of the
    -- run's houses (10,000 houses: 19 s of a 1,000,000-apartment run's start)
    with lacking as (
      select ${billingRunPrice.houseId} as house_id, x.service
      from ${billingRunPrice} join ${service} on ${service.id} = ${billingRunPrice.serviceId}
      cross join unnest(${`{${METER_SERVICES.join(",")}}`}::meter_service[]) x(service)
      where ${billingRunPrice.runId} = ${runId}
        and ((${service.basis} = 'meter' and ${service.code} = x.service::text) or ${service.basis} = 'water_sum')
      except
      select ${billingRunNormative.houseId}, ${billingRunNormative.service}
      from ${billingRunNormative} where ${billingRunNormative.runId} = ${runId}
    ),
    meters as (
      select ${ms.id} as id, ${ms.apartmentId} as apartment_id, ${ms.service} as service, ${ms.serialNumber} as serial_number,
             ${ms.verifiedUntil} as verified_until, ${ap.houseId} as house_id, ${ap.residents} as residents
      from lacking
      join ${apartment} ${ap} on ${ap.houseId} = lacking.house_id and ${ap.id} <= ${run.apartmentIdBound} and ${ap.archivedAt} is null and ${ap.residents} > 0
      join ${meter} ${ms} on ${ms.apartmentId} = ${ap.id} and ${ms.service} = lacking.service and ${ms.id} <= ${meterIdBound}
    )
    select distinct s.house_id, ${house.address} as address, s.service::text as service
    from (${meterStates(sql`select * from meters`, run.period)}) s join ${house} on ${house.id} = s.house_id
    where s.kind = 'normative'
    order by s.house_id, service`);
  return [...rows];
}

export async function dropRunFixings(db: DbOrTx, runId: number): Promise<void> {
  await db.delete(billingRunPrice).where(eq(billingRunPrice.runId, runId));
  await db.delete(billingRunNormative).where(eq(billingRunNormative.runId, runId));
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
 *
 * The lines and meter volumes have no foreign keys (drizzle/0019_billing-writes.sql), so the
 * chunk also holds what those keys' checks held: its houses' meters lock, shared (deleting a
 * meter takes it exclusively, lockHouseMeterSet: it waits for the chunk, or the chunk's
 * statement, starting after it, no longer sees the meter), and its services FOR KEY SHARE
 * (deleting one waits, then finds the lines).
 */
export async function lockChunkHouses(db: DbOrTx, run: RunScope, part: PartToBill, size: number): Promise<void> {
  const monthKey = Number(part.period.slice(0, 4)) * 100 + Number(part.period.slice(5, 7));
  const { rows: houses } = await db.execute<{ house_id: number }>(sql`
    select c.house_id, pg_advisory_xact_lock(c.house_id, ${monthKey}), pg_advisory_xact_lock_shared(c.house_id, ${METER_SET_KEY})
    from (select distinct house_id from (${chunkApartments(run, part, size)}) apts) c
    order by c.house_id`);
  if (houses.length === 0) return;
  const houseIds = `{${houses.map((h) => h.house_id).join(",")}}`;
  await db.execute(sql`
    select 1 from ${service}
    where ${service.id} in (
      select ${billingRunPrice.serviceId} from ${billingRunPrice}
      where ${billingRunPrice.runId} = ${part.run_id}
        and ${billingRunPrice.houseId} = any(${houseIds}::int[]))
    for key share`);
}

/** The second key of a house's meters lock (the first is the house id; month keys are YYYYMM). */
export const METER_SET_KEY = -1;

/**
 * Deleting a meter waits for the billing chunks of its house in flight, and the chunks after it
 * wait for the delete to commit (lockChunkHouses): a chunk never writes a volume of a meter gone.
 */
export async function lockHouseMeterSet(db: DbOrTx, houseId: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${houseId}, ${METER_SET_KEY})`);
}

export type ChunkTotals = {
  /** apartments billed */
  n: number;
  last_id: number | null;
  water: string;
  maintenance: string;
  total: string;
  flags: FlagCounts | null;
  /** meters estimated by a normative the run did not fix (a safety net): then nothing was written */
  unpriced: number;
};

const m = alias(meter, "m");
const t = alias(tariff, "t");
const sv = alias(service, "sv");

/** A flag in the fixed order lines list them, when any of the grouped meters carries it (no per-group sort). */
const LINE_FLAGS = [
  "negative_consumption",
  "verification_expired",
  "estimated_average",
  "estimated_normative",
  "true_up",
  "no_previous_reading",
];
const lineFlags = sql.raw(
  `array_remove(array[${LINE_FLAGS.map((f) => `case when bool_or('${f}' = any(flags)) then '${f}' end`).join(", ")}], null)`,
);

/**
 * Bills a chunk of a part's apartments in one set-based statement: the invoices, their lines,
 * each with what produced it in `details`, each meter's volume (meter_volume), and the chunk's
 * totals. The rules per meter are fragments.meterStates (Правила № 354 as read there); here:
 * - the lines: one per service the house is billed for (the run's fixed prices) that applies to
 *   the apartment: a meter service's line sums the volumes of the apartment's meters of that
 *   service (m³); wastewater (water_sum) sums all its cold and hot meters' volumes as billed,
 *   estimates and true-ups included (п. 42 counts wastewater as the cold and hot water used);
 *   area (m²), residents (persons) and apartment (1) services go to every apartment;
 * - amount = round(quantity × price, 2) once per line: PostgreSQL rounds numeric half away from
 *   zero, half-up for a charge and symmetrically for a credit; a line with a true-up shows the
 *   recalculation round(−E × price, 2) and the month's charge, amount − recalculation;
 * - invoice water = the meter and wastewater lines, maintenance = the others, total = all;
 * - the unique (apartment, month) invoice means a repeat replaces, never duplicates; its lines
 *   and meter volumes are replaced with it. Earlier months are read as they stand: the basis
 *   and the estimates come from months before this one only, so a repeat gives the same bill.
 */
export async function billChunkStatement(db: DbOrTx, run: RunScope, part: PartToBill, size: number): Promise<ChunkTotals> {
  const { period, run_id: runId } = part;
  // The statement is planned afresh per chunk; compiling it would cost more than running it.
  await db.execute(sql`set local jit = off`);
  const {
    rows: [totals],
  } = await db.execute<ChunkTotals>(sql`
    with apts as (${chunkApartments(run, part, size)}),
    prices as (
      -- the run's fixed prices for the chunk's houses, with the tariff row as lines show it
      select ${billingRunPrice.houseId} as house_id, ${billingRunPrice.serviceId} as service_id, ${sv.code} as code, ${sv.basis} as basis,
             ${billingRunPrice.tariffId} as tariff_id, ${billingRunPrice.price} as price,
             jsonb_build_object('id', ${t.id}, 'price', ${billingRunPrice.price}::text, 'valid_from', to_char(${t.validFrom}, 'YYYY-MM'),
                                'scope', case when ${t.houseId} is null then 'workspace' else 'house' end) as tariff
      from ${billingRunPrice}
      join ${service} ${sv} on ${sv.id} = ${billingRunPrice.serviceId}
      join ${tariff} ${t} on ${t.id} = ${billingRunPrice.tariffId}
      where ${billingRunPrice.runId} = ${runId} and ${billingRunPrice.houseId} = any (array(select distinct house_id from apts))
    ),
    norms as (
      select ${billingRunNormative.houseId} as house_id, ${billingRunNormative.service} as service,
             ${billingRunNormative.normativeId} as normative_id, ${billingRunNormative.value} as value, ${billingRunNormative.details} as details
      from ${billingRunNormative}
      where ${billingRunNormative.runId} = ${runId} and ${billingRunNormative.houseId} = any (array(select distinct house_id from apts))
    ),
    used as (
      -- the meters whose volumes a line uses: of a billed meter service, or all when wastewater is billed
      select ${m.id} as id, ${m.apartmentId} as apartment_id, ${m.service} as service, ${m.serialNumber} as serial_number,
             ${m.verifiedUntil} as verified_until, apts.house_id, apts.residents
      from apts
      -- = any(array): an index lookup per apartment, never a scan of every meter
      join ${meter} ${m} on ${m.apartmentId} = apts.id and ${m.apartmentId} = any (array(select id from apts))
        and ${m.id} <= ${part.meter_id_bound}
      -- IN (subquery) under an OR: two hashed subplans, where EXISTS was planned as a scan of the
      -- chunk's prices for every meter (the planner cannot estimate a CTE's rows): 8 % of a chunk
      where (apts.house_id, ${m.service}::text) in (select p.house_id, p.code from prices p where p.basis = 'meter')
         or apts.house_id in (select p.house_id from prices p where p.basis = 'water_sum')
    ),
    states as (${meterStates(sql`select * from used`, period)}),
    volumes as (
      select s.*, n.normative_id, n.value as normative, n.details as normative_details,
             case s.kind when 'baseline' then 0 when 'negative' then 0
                         when 'actual' then s.cur_value - s.l_value
                         when 'true_up' then s.cur_value - s.l_value - s.e_volume
                         when 'average' then s.average
                         -- normative: residents × normative (п. 42); no one registered → 0, no normative needed
                         else case when s.residents = 0 then 0 else round(s.residents * n.value, 3) end end as volume,
             array_remove(array[
               case s.kind when 'baseline' then 'no_previous_reading' when 'negative' then 'negative_consumption' when 'true_up' then 'true_up'
                           when 'average' then 'estimated_average' when 'normative' then 'estimated_normative' end,
               case when s.cur_value is not null and not s.cur_usable then 'verification_expired' end
             ], null) as flags
      from states s
      left join norms n on n.house_id = s.house_id and n.service = s.service
    ),
    -- the meters' entries and the lines' details are built as json (text) and cast to jsonb once per
    -- line: jsonb built per meter was taken apart and built again by each aggregate (3 % of a chunk)
    entries as (
      select v.*, json_build_object(
               'meter_id', v.id,
               'serial_number', v.serial_number,
               'service', v.service,
               'previous', case when v.l_period is null then null
                                else json_build_object('period', to_char(v.l_period, 'YYYY-MM'), 'value', v.l_value::text) end,
               'current', case when v.cur_usable then json_build_object('period', ${period.slice(0, 7)}::text, 'value', v.cur_value::text) end,
               'consumption', v.volume::numeric(16,3)::text,
               'flag', v.flags[1],
               'kind', v.kind,
               'flags', to_json(v.flags),
               'true_up', case when v.kind = 'true_up' then json_build_object(
                            'actual', (v.cur_value - v.l_value)::text, 'estimated', v.e_volume::text, 'months', v.e_months, 'by', v.e_by) end,
               'average', case when v.kind = 'average' then json_build_object(
                            'from', json_build_object('period', to_char(v.r0_period, 'YYYY-MM'), 'value', v.r0_value::text), 'months', v.n) end,
               'normative', case when v.kind = 'normative' then json_build_object(
                              'residents', v.residents, 'normative', case when v.residents > 0 then v.normative_details end) end,
               'missing_months', case when v.kind in ('average', 'normative') then v.k end,
               'verified_until', case when v.cur_value is not null and not v.cur_usable then v.verified_until::text end
             ) as entry
      from volumes v
    ),
    -- house_id rides along (an apartment has one), so that a line finds its price in one join:
    -- with the house through apts, the planner, which cannot estimate these CTEs, paired every
    -- group with every house's price first (chunks spanning many houses took seconds)
    by_service as (
      select apartment_id, house_id, service::text as code, sum(volume) as quantity, sum(e_volume) as estimated, ${lineFlags} as flags,
             json_agg(entry order by id) as meters
      from entries group by apartment_id, house_id, service
    ),
    by_apartment as (
      select apartment_id, house_id, sum(volume) as quantity, sum(e_volume) as estimated, ${lineFlags} as flags,
             json_agg(entry order by id) as meters
      from entries group by apartment_id, house_id
    ),
    metered as (
      select w.apartment_id, p.service_id, p.code, p.basis, w.quantity, w.estimated, p.tariff_id, p.price, p.tariff, w.flags, w.meters,
             round(w.quantity * p.price, 2) as amount
      from by_service w
      join prices p on p.house_id = w.house_id and p.basis = 'meter' and p.code = w.code
      union all
      select w.apartment_id, p.service_id, p.code, p.basis, w.quantity, w.estimated, p.tariff_id, p.price, p.tariff, w.flags, w.meters,
             round(w.quantity * p.price, 2)
      from by_apartment w
      join prices p on p.house_id = w.house_id and p.basis = 'water_sum'
    ),
    lines as (
      select apartment_id, service_id, code, basis, quantity, 'm3' as unit, tariff_id, price, amount, flags,
             json_build_object('meters', meters, 'tariff', tariff, 'true_up',
               case when estimated > 0 then json_build_object(
                 'estimated', estimated::text, 'recalculation', round(-estimated * price, 2)::text,
                 'charge', (amount - round(-estimated * price, 2))::text) end)::jsonb as details
      from metered
      union all
      select apts.id, p.service_id, p.code, p.basis,
             case p.basis when 'area' then apts.area when 'residents' then apts.residents else 1 end,
             case p.basis when 'area' then 'm2' when 'residents' then 'person' else 'apartment' end,
             p.tariff_id, p.price,
             round(case p.basis when 'area' then apts.area when 'residents' then apts.residents else 1 end * p.price, 2),
             '{}'::text[],
             case p.basis when 'area' then jsonb_build_object('area', apts.area::text, 'tariff', p.tariff)
                          when 'residents' then jsonb_build_object('residents', apts.residents, 'tariff', p.tariff)
                          else jsonb_build_object('apartment', 1, 'tariff', p.tariff) end
      from apts
      join prices p on p.house_id = apts.house_id and p.basis in ('area', 'residents', 'apartment')
    ),
    per_apartment as (
      select apts.id as apartment_id, apts.house_id,
             coalesce(sum(l.amount) filter (where l.basis in ('meter', 'water_sum')), 0) as water,
             coalesce(sum(l.amount) filter (where l.basis not in ('meter', 'water_sum')), 0) as maintenance
      from apts left join lines l on l.apartment_id = apts.id
      group by apts.id, apts.house_id
    ),
    unpriced as (
      select count(*)::int as n from volumes where volume is null
    ),
    saved as (
      insert into ${invoice} (apartment_id, house_id, period, run_id, water, maintenance, total, created_at)
      select apartment_id, house_id, ${period}::date, ${runId}, water, maintenance, water + maintenance, now()
      from per_apartment
      where (select n from unpriced) = 0
      on conflict (apartment_id, period) do update
        set house_id = excluded.house_id, run_id = excluded.run_id, water = excluded.water,
            maintenance = excluded.maintenance, total = excluded.total, created_at = excluded.created_at,
            out_of_date = '{}'
      returning id, apartment_id, (xmax <> 0) as replaced
    ),
    replaced_lines as (
      -- only re-billed invoices have old lines and volumes; = any(array) keeps these index lookups
      delete from ${invoiceLine} where ${invoiceLine.invoiceId} = any (array(select id from saved where replaced))
    ),
    replaced_volumes as (
      -- the volumes of meters no line uses any more; the others are updated in place below (a
      -- delete and an insert of the same key in one statement would collide)
      -- NOT IN (all columns are not null): a hashed lookup, where NOT EXISTS was planned as a loop
      -- over every pair (the CTEs' sizes are not known; 1 s for a 2,000-apartment re-bill)
      delete from ${meterVolume} where ${meterVolume.invoiceId} = any (array(select id from saved where replaced))
        and (${meterVolume.invoiceId}, ${meterVolume.meterId}) not in (
          select s.id, v.id from volumes v join saved s on s.apartment_id = v.apartment_id)
    ),
    written as (
      insert into ${invoiceLine} (invoice_id, service, service_id, kind, quantity, unit, tariff_id, price, amount, flags, details)
      select s.id, l.code, l.service_id, l.basis, l.quantity, l.unit, l.tariff_id, l.price, l.amount, l.flags, l.details
      from lines l join saved s on s.apartment_id = l.apartment_id
    ),
    volumes_written as (
      insert into ${meterVolume} (invoice_id, meter_id, period, kind, volume, reading, basis_period, basis_reading, estimated,
                                  average_from_period, average_from_reading, average_months, normative_id, normative, residents)
      select s.id, v.id, ${period}::date, v.kind, v.volume,
             case when v.cur_usable then v.cur_value end, v.l_period, v.l_value,
             case when v.kind = 'true_up' then v.e_volume end,
             case when v.kind = 'average' then v.r0_period end, case when v.kind = 'average' then v.r0_value end,
             case when v.kind = 'average' then v.n end,
             case when v.kind = 'normative' and v.residents > 0 then v.normative_id end,
             case when v.kind = 'normative' and v.residents > 0 then v.normative end,
             case when v.kind = 'normative' then v.residents end
      from volumes v join saved s on s.apartment_id = v.apartment_id
      on conflict (invoice_id, meter_id) do update
        set period = excluded.period, kind = excluded.kind, volume = excluded.volume, reading = excluded.reading,
            basis_period = excluded.basis_period, basis_reading = excluded.basis_reading, estimated = excluded.estimated,
            average_from_period = excluded.average_from_period, average_from_reading = excluded.average_from_reading,
            average_months = excluded.average_months, normative_id = excluded.normative_id, normative = excluded.normative,
            residents = excluded.residents
    ),
    flag_counts as (
      select flag, count(*)::int as n from volumes, unnest(flags) flag group by flag
    )
    select (select count(*)::int from apts) as n,
           (select max(id) from apts) as last_id,
           (select coalesce(sum(water), 0)::text from per_apartment) as water,
           (select coalesce(sum(maintenance), 0)::text from per_apartment) as maintenance,
           (select coalesce(sum(water + maintenance), 0)::text from per_apartment) as total,
           (select jsonb_object_agg(flag, n) from flag_counts) as flags,
           (select n from unpriced) as unpriced`);
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

/**
 * Extends the worker's leases on these parts (its heartbeat); the ids still leased to it. A part
 * whose row a chunk holds right now (lockPart) is skipped, not waited for: that chunk extends the
 * lease itself when it commits (advancePart), and no one can take the part over meanwhile
 * (takePartLease waits for the row, clearLapsedLeases skips it). Waiting made the heartbeat hold
 * one part's row while it waited for the other's chunk, and that part's next chunk stood still
 * behind it (17 s of lockPart waits in a 100,000-apartment bench month at load 10).
 */
export async function renewPartLeases(db: DbOrTx, workerId: string, partIds: number[], leaseSeconds: number): Promise<number[]> {
  if (partIds.length === 0) return [];
  const ids = `{${partIds.join(",")}}`;
  const { rows } = await db.execute<{ id: number }>(sql`
    with idle as (
      select ${billingRunPart.id} as id from ${billingRunPart}
      where ${billingRunPart.id} = any(${ids}::int[]) and ${billingRunPart.leasedBy} = ${workerId}
      for update skip locked
    ),
    renewed as (
      update ${billingRunPart} set lease_until = now() + make_interval(secs => ${leaseSeconds})
      from idle where ${billingRunPart.id} = idle.id
    )
    select ${billingRunPart.id} as id from ${billingRunPart}
    where ${billingRunPart.id} = any(${ids}::int[]) and ${billingRunPart.leasedBy} = ${workerId}`);
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

/** A run's parts, in order. */
export async function runPartIds(db: DbOrTx, runId: number): Promise<number[]> {
  const rows = await db
    .select({ id: billingRunPart.id })
    .from(billingRunPart)
    .where(eq(billingRunPart.runId, runId))
    .orderBy(billingRunPart.id);
  return rows.map((r) => r.id);
}
