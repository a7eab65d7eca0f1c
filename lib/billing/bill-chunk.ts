import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { env } from "../env";
import { runApartments } from "./plan-billing-run";
import { failRun } from "./runs";

export interface ChunkResult {
  /** the part has no apartments left (or its run is no longer running) */
  done: boolean;
  billed: number;
  /** the run's apartments billed so far and in all, after this chunk (for progress logs) */
  run?: { id: number; processed: number; total: number };
}

/** The run's fixed price of a service for a house, and the tariff row it came from. */
const priceOf = (runId: number, houseId: SQL, service: SQL) => sql`
  select p.tariff_id, p.price,
         jsonb_build_object('id', t.id, 'price', p.price::text, 'valid_from', to_char(t.valid_from, 'YYYY-MM'),
                            'scope', case when t.house_id is null then 'workspace' else 'house' end) as tariff
  from billing_run_price p join tariff t on t.id = p.tariff_id
  where p.run_id = ${runId} and p.house_id = ${houseId} and p.service = ${service}`;

type Totals = {
  n: number;
  last_id: number | null;
  water: string;
  maintenance: string;
  total: string;
  flags: Record<string, number> | null;
  unpriced: number;
};

/**
 * Bills the next chunk (BILLING_CHUNK_SIZE apartments: a crash loses at most this much work)
 * of a part's apartments in one transaction: the invoices and their lines
 * (one set-based statement), then the part's cursor and the run's counters. A crash before the
 * commit loses only this chunk; the next attempt starts from the same cursor, and the unique
 * (apartment, month) invoice means a repeat can only replace, never duplicate.
 *
 * The rules (issue: billing engine):
 * - consumption per meter = its reading for the month − its latest earlier reading;
 *   no earlier reading → 0, flag no_previous_reading (the reading is the baseline);
 *   no reading for the month → 0, flag no_current_reading; negative → 0, flag negative_consumption;
 * - a water line per service the apartment has meters of: quantity = Σ consumption (m³);
 *   a maintenance line: quantity = area (m²);
 * - amount = round(quantity × price, 2): PostgreSQL rounds numeric half away from zero, which
 *   for these never-negative amounts is half-up, once per line.
 */
export async function billNextChunk(db: DbOrTx, partId: number, chunkSize = env().BILLING_CHUNK_SIZE): Promise<ChunkResult> {
  try {
    return await billChunk(db, partId, chunkSize);
  } catch (error) {
    if (error instanceof RunEnded) return { done: true, billed: 0 };
    throw error;
  }
}

/** The run was failed while this chunk was being billed: the chunk is rolled back. */
class RunEnded extends Error {}

async function billChunk(db: DbOrTx, partId: number, chunkSize: number): Promise<ChunkResult> {
  return db.transaction(async (tx) => {
    const [part] = await tx.execute<{
      run_id: number;
      cursor: number;
      last_apartment_id: number;
      done: number;
      status: string;
      house_id: number | null;
      workspace_id: number;
      apartment_id_bound: number;
      meter_id_bound: number;
      period: string;
    }>(sql`
      select p.run_id, p.cursor, p.last_apartment_id, p.done, r.status, r.house_id, r.workspace_id, r.apartment_id_bound,
             r.meter_id_bound, r.period
      from billing_run_part p join billing_run r on r.id = p.run_id
      where p.id = ${partId}
      for update of p`);
    if (!part || part.done || part.status !== "running") return { done: true, billed: 0 };
    // The statement below is planned afresh per chunk; compiling it would cost more than running it.
    await tx.execute(sql`set local jit = off`);
    const run = { houseId: part.house_id, workspaceId: part.workspace_id, apartmentIdBound: part.apartment_id_bound };
    const period = part.period;

    // Another run may be billing some of these apartments for the same month right now (a
    // house run beside a portfolio run). Each chunk first takes a lock per (house, month) it
    // touches, in house order: the second chunk waits for the first to commit, and its
    // statement below then starts after that commit, so it replaces the first one's lines
    // instead of adding to them.
    await tx.execute(sql`
      select pg_advisory_xact_lock(h.house_id, ${Number(period.slice(0, 4)) * 100 + Number(period.slice(5, 7))})
      from (
        select distinct house_id from (
          select s.house_id from (${runApartments(run)}) s
          where s.id > ${part.cursor} and s.id <= ${part.last_apartment_id}
          order by s.id limit ${chunkSize}
        ) c
      ) h
      order by h.house_id`);

    const [totals] = await tx.execute<Totals>(sql`
      with apts as (
        select * from (${runApartments(run)}) s
        where s.id > ${part.cursor} and s.id <= ${part.last_apartment_id}
        order by s.id
        limit ${chunkSize}
      ),
      readings as (
        select m.id as meter_id, m.apartment_id, m.service::text::tariff_service as service, m.serial_number,
               cur.value as cur_value, prev.period as prev_period, prev.value as prev_value
        from apts
        -- = any(array): an index lookup per apartment, never a scan of every meter
        join meter m on m.apartment_id = apts.id and m.apartment_id = any (array(select id from apts))
          and m.id <= ${part.meter_id_bound}
        left join meter_reading cur on cur.meter_id = m.id and cur.period = ${period}::date
        left join lateral (
          select r.period, r.value from meter_reading r
          where r.meter_id = m.id and r.period < ${period}::date
          order by r.period desc limit 1
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
        join apts a on a.id = w.apartment_id
        left join lateral (${priceOf(part.run_id, sql`a.house_id`, sql`w.service`)}) p on true
        union all
        select a.id, 'maintenance'::tariff_service, a.area, 'm2', p.tariff_id, p.price,
               round(a.area * p.price, 2), '{}'::text[], jsonb_build_object('area', a.area::text, 'tariff', p.tariff)
        from apts a
        left join lateral (${priceOf(part.run_id, sql`a.house_id`, sql`'maintenance'::tariff_service`)}) p on true
      ),
      per_apartment as (
        select a.id as apartment_id, a.house_id,
               coalesce(sum(l.amount) filter (where l.service <> 'maintenance'), 0) as water,
               coalesce(sum(l.amount) filter (where l.service = 'maintenance'), 0) as maintenance
        from apts a join lines l on l.apartment_id = a.id
        group by a.id, a.house_id
      ),
      saved as (
        insert into invoice (apartment_id, house_id, period, run_id, water, maintenance, total, created_at)
        select apartment_id, house_id, ${period}::date, ${part.run_id}, water, maintenance, water + maintenance, now()
        from per_apartment
        where not exists (select 1 from lines where price is null)
        on conflict (apartment_id, period) do update
          set house_id = excluded.house_id, run_id = excluded.run_id, water = excluded.water,
              maintenance = excluded.maintenance, total = excluded.total, created_at = excluded.created_at
        returning id, apartment_id, (xmax <> 0) as replaced
      ),
      replaced as (
        -- only re-billed invoices have old lines; = any(array) keeps this an index lookup
        delete from invoice_line where invoice_id = any (array(select id from saved where replaced))
      ),
      written as (
        insert into invoice_line (invoice_id, service, quantity, unit, tariff_id, price, amount, flags, details)
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

    if (totals.unpriced > 0) {
      // The run's prices were fixed and checked, for its apartments and meters, when it
      // started; this is a safety net: never bill a line without a price.
      await failRun(tx, part.run_id, `no price fixed for ${totals.unpriced} line(s) in part ${partId}; run the month again`);
      return { done: true, billed: 0 };
    }

    const finished = totals.n < chunkSize || totals.last_id === null || totals.last_id >= part.last_apartment_id;
    await tx.execute(sql`
      update billing_run_part set cursor = ${totals.last_id ?? part.cursor}, processed = processed + ${totals.n}, done = ${finished ? 1 : 0}
      where id = ${partId}`);

    // The run row is the last lock taken (part, then run, in every transaction). NO KEY UPDATE,
    // not UPDATE: the invoices' run_id foreign key already holds KEY SHARE on this row in every
    // chunk in flight, and FOR UPDATE would deadlock two parts against each other.
    const [locked] = await tx.execute<{ status: string }>(sql`select status from billing_run where id = ${part.run_id} for no key update`);
    // Failed meanwhile (the sweep gave up on a job whose handler went on running): add nothing.
    if (locked.status !== "running") throw new RunEnded();
    const [progress] = await tx.execute<{ processed: number; total: number }>(sql`
      update billing_run set
        processed = least(processed + ${totals.n}, total),
        invoices = invoices + ${totals.n},
        water = water + ${totals.water}::numeric,
        maintenance = maintenance + ${totals.maintenance}::numeric,
        total_amount = total_amount + ${totals.total}::numeric,
        flags = (
          select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from (
            select key, sum(value::int) as value
            from (select * from jsonb_each_text(flags) union all select * from jsonb_each_text(${JSON.stringify(totals.flags ?? {})}::jsonb)) f
            group by key
          ) merged
        )
      where id = ${part.run_id}
      returning processed, total`);
    if (finished) {
      // A fresh statement after the lock: it sees every part that other workers committed.
      await tx.execute(sql`
        update billing_run set status = 'completed', finished_at = now(), total = processed
        where id = ${part.run_id} and status = 'running'
          and not exists (select 1 from billing_run_part where run_id = ${part.run_id} and done = 0)`);
    }
    return { done: finished, billed: totals.n, run: { id: part.run_id, processed: progress.processed, total: progress.total } };
  });
}
