import { sql, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import {
  apartment,
  house,
  houseMonth,
  invoiceLine,
  meter,
  meterReading,
  meterVolume,
  normative,
  service,
  serviceHouseOff,
  tariff,
} from "../schema";

// Pieces of SQL that more than one query needs, each written once. Inside `sql` templates
// tables and columns are the schema's objects: `${apartment}` renders "apartment", an alias
// object's column `${a.houseId}` renders "a"."house_id", so a rename is a type error here.

/** The usual aliases of the statements below. */
export const a = alias(apartment, "a");
const t = alias(tariff, "t");
const nv = alias(normative, "nv");

/**
 * Has an invoice line of service `serviceId` (and, when given, of price `tariffId`)? A seek in
 * invoice_line_service_tariff_idx, written as "the first line's price in the index's order"
 * rather than EXISTS: a correlated EXISTS is planned once for every service, from the average
 * number of lines a service has, as a scan of the table that stops at the first line found, and
 * for a service or price with none it then reads every line (0.3 s at 800,000 lines, `npm run
 * bench`). An ORDER BY the index gives, which a scan would have to sort for, keeps it on the index.
 */
export const hasLines = (serviceId: SQL | AnyPgColumn, tariffId?: SQL | AnyPgColumn): SQL =>
  tariffId === undefined
    ? sql`((select ${invoiceLine.tariffId} from ${invoiceLine} where ${invoiceLine.serviceId} = ${serviceId}
            order by ${invoiceLine.tariffId} limit 1) is not null)`
    : sql`coalesce((select ${invoiceLine.tariffId} from ${invoiceLine} where ${invoiceLine.serviceId} = ${serviceId}
                      and ${invoiceLine.tariffId} >= ${tariffId} order by ${invoiceLine.tariffId} limit 1) = ${tariffId}, false)`;

/**
 * Apartments in the order people number them: "2" before "10", "10а" after "10", numbers before
 * names, then by id. Every list of a house's apartments uses it.
 */
export const apartmentOrder = (apt: { number: AnyPgColumn; id: AnyPgColumn } = a): SQL =>
  sql`lpad(substring(${apt.number} from '^[0-9]+'), 20, '0') nulls last, ${apt.number}, ${apt.id}`;

/**
 * The row in force for each house and key in the month starting `period`: the house's own row
 * with the latest valid_from ≤ the month, else its workspace's likewise. Prices (keyed by
 * service) and normatives (keyed by meter service) follow this one rule. `houses` is a statement
 * giving (house_id, workspace_id) pairs; one row per house and key. `period` is a first-of-month
 * date, or a column of an outer statement (inside a lateral join).
 */
const inForce = (
  rows: { table: SQL; workspaceId: AnyPgColumn; houseId: AnyPgColumn; validFrom: AnyPgColumn; key: AnyPgColumn },
  columns: SQL,
  houses: SQL,
  period: string | SQL,
): SQL => sql`
  select distinct on (hw.house_id, ${rows.key}) hw.house_id, ${columns}
  from (${houses}) hw(house_id, workspace_id)
  join ${rows.table} on ${rows.workspaceId} = hw.workspace_id and (${rows.houseId} = hw.house_id or ${rows.houseId} is null)
    and ${rows.validFrom} <= ${period}::date
  order by hw.house_id, ${rows.key}, (${rows.houseId} is null), ${rows.validFrom} desc`;

/** The price in force for each service of each house (inForce): one row per house and service. */
export const tariffsInForce = (houses: SQL, period: string | SQL): SQL =>
  inForce(
    { table: sql`${tariff} ${t}`, workspaceId: t.workspaceId, houseId: t.houseId, validFrom: t.validFrom, key: t.serviceId },
    sql`${t.id} as id, ${t.workspaceId} as workspace_id, ${t.houseId} as tariff_house_id, ${t.serviceId} as service_id,
        ${t.price} as price, ${t.validFrom} as valid_from, ${t.createdAt} as created_at`,
    houses,
    period,
  );

/** The normative in force for each metered service of each house (inForce): one row per house and service. */
export const normativesInForce = (houses: SQL, period: string | SQL): SQL =>
  inForce(
    { table: sql`${normative} ${nv}`, workspaceId: nv.workspaceId, houseId: nv.houseId, validFrom: nv.validFrom, key: nv.service },
    sql`${nv.id} as id, ${nv.workspaceId} as workspace_id, ${nv.houseId} as normative_house_id, ${nv.service} as service,
        ${nv.value} as value, ${nv.validFrom} as valid_from, ${nv.createdAt} as created_at`,
    houses,
    period,
  );

export interface RunScope {
  houseId: number | null;
  workspaceId: number;
  /** the highest apartment id when the run was requested: none added later is billed */
  apartmentIdBound: number;
  /** the month billed, first day */
  period: string;
}

/**
 * Whether a price or normative of a workspace (house null) or a house, in force from `from`,
 * reaches a posted month: then it can no longer change (drizzle/0014_month-guards.sql refuses it).
 */
export const reachesClosedMonth = (workspaceId: SQL | AnyPgColumn, houseId: SQL | AnyPgColumn, from: SQL | AnyPgColumn): SQL => sql`
  exists (select 1 from ${houseMonth} join ${house} on ${house.id} = ${houseMonth.houseId}
          where ${house.workspaceId} = ${workspaceId} and (${houseId} is null or ${houseMonth.houseId} = ${houseId})
            and ${houseMonth.period} >= ${from})`;

/** A portfolio run leaves out the houses whose month is closed (posted, or a later one is). */
const openHouse = (houseId: SQL | typeof house.id, period: string): SQL =>
  sql`not exists (select 1 from ${houseMonth} where ${houseMonth.houseId} = ${houseId} and ${houseMonth.period} >= ${period}::date)`;

/**
 * A run's apartments (id, house_id, area, residents): its house's, or every house's of its
 * workspace; not the archived ones (their invoices stay as they are).
 */
export const runApartments = (run: RunScope): SQL => sql`
  select ${a.id} as id, ${a.houseId} as house_id, ${a.area} as area, ${a.residents} as residents from ${apartment} ${a}
  where ${a.id} <= ${run.apartmentIdBound} and ${a.archivedAt} is null
    and ${
      run.houseId === null
        ? sql`${a.houseId} in (select ${house.id} from ${house} where ${house.workspaceId} = ${run.workspaceId} and ${openHouse(house.id, run.period)})`
        : sql`${a.houseId} = ${run.houseId}`
    }`;

/** A run's houses (house_id, workspace_id): its house, or every house of its workspace. */
export const runHouses = (run: RunScope): SQL => sql`
  select ${house.id} as house_id, ${house.workspaceId} as workspace_id from ${house}
  where ${run.houseId === null ? sql`${house.workspaceId} = ${run.workspaceId} and ${openHouse(house.id, run.period)}` : sql`${house.id} = ${run.houseId}`}`;

/**
 * The services each house is billed for: its workspace's active services less those switched off
 * for the house. `houses` gives (house_id, workspace_id); rows (house_id, service_id, code, basis).
 */
export const billedServices = (houses: SQL): SQL => sql`
  select hw.house_id, ${service.id} as service_id, ${service.code} as code, ${service.basis} as basis
  from (${houses}) hw(house_id, workspace_id)
  join ${service} on ${service.workspaceId} = hw.workspace_id and ${service.active}
  where not exists (
    select 1 from ${serviceHouseOff} where ${serviceHouseOff.serviceId} = ${service.id} and ${serviceHouseOff.houseId} = hw.house_id
  )`;

/**
 * Whether a billed service applies to some apartment of a house (so that it needs a price):
 * area, residents and apartment services to every apartment, a meter service where an apartment
 * has meters of it, wastewater (water_sum) where one has any water meter. Archived apartments
 * are not billed; `bounds` limits apartments and meters to a run's (none added later counts).
 */
export const serviceApplies = (houseId: SQL, basis: SQL, code: SQL, bounds?: { apartmentIdBound: number; meterIdBound: number }): SQL => {
  const ap = alias(apartment, "sa_ap");
  const mt = alias(meter, "sa_m");
  const apartments = sql`${ap.houseId} = ${houseId} and ${ap.archivedAt} is null
    ${bounds ? sql`and ${ap.id} <= ${bounds.apartmentIdBound}` : sql``}`;
  // one probe per house and service (an index lookup), never a scan of every meter
  const hasMeter = (meterService: SQL | null) => sql`exists (
    select 1 from ${apartment} ${ap} join ${meter} ${mt} on ${mt.apartmentId} = ${ap.id}
    where ${apartments} ${bounds ? sql`and ${mt.id} <= ${bounds.meterIdBound}` : sql``}
      ${meterService ? sql`and ${mt.service}::text = ${meterService}` : sql``})`;
  return sql`case ${basis}
    when 'meter' then ${hasMeter(code)}
    when 'water_sum' then ${hasMeter(null)}
    else exists (select 1 from ${apartment} ${ap} where ${apartments})
  end`;
};

/** A month's index (year × 12 + month) in SQL, so that months between two dates is a difference. */
const monthIndex = (date: SQL | AnyPgColumn) => sql`(date_part('year', ${date}) * 12 + date_part('month', ${date}))::int`;

const cur = alias(meterReading, "cur");
const fb = alias(meterReading, "fb");
const lb = alias(meterReading, "lb");
const r0 = alias(meterReading, "r0");
const mb = alias(meterVolume, "mb");
const me = alias(meterVolume, "me");
const mf = alias(meterVolume, "mf");

/**
 * Each meter's volume of month M and how it was obtained: the rules of Правила № 354 as this
 * app reads them (README, "How a month is billed"). `meters` gives (id, apartment_id, service,
 * serial_number, verified_until, house_id, residents); `period` is M's first day. One row per
 * meter with its state (below) and `kind`; the volume of an estimate by the normative is left to
 * the caller, who has the normatives (residents × normative, rounded half-up to 0.001 m³).
 *
 * - Usable reading (п. 81(12) д: a meter past its verification interval is out of service): a
 *   reading of month P counts only if the verification is valid through P's last day
 *   (verified_until empty or ≥ that day), i.e. P ≤ usable_until, the last month it covers whole.
 * - L, V_L: the latest month before M whose current invoice billed this meter on an actual
 *   reading (meter_volume kinds actual, true_up, baseline) and the reading used there; when
 *   there is none, the latest month before M with a usable reading and that reading — except
 *   that when some month before M was billed by an estimate, the latest usable reading before
 *   the first such month is taken (when there is one): a reading entered late for a month
 *   billed by an estimate would otherwise become the basis and that estimate would never be
 *   trued up. A month whose reading was lower than V_L (negative_consumption) sets no basis.
 * - M has a usable reading V_M (п. 42: the bill follows the meter):
 *   no L → baseline, 0 (no_previous_reading); V_M < V_L → negative, 0 (negative_consumption);
 *   else (V_M − V_L) − E, E = the volumes estimated on the current invoices of the months after
 *   L and before M: true_up when E > 0 (the recalculation of п. 61, a credit when negative),
 *   else actual.
 * - No usable reading (п. 59 а, б): k = months from L to M; the average over the window
 *   L−6 … L — R0 the earliest usable reading in it, n = months from R0 to L ≥ 3 (п. 59: at least
 *   three months of readings, at most six), (V_L − V_R0) / n rounded half-up to 0.001, never
 *   below 0 — for at most three months (k ≤ 3); otherwise, or with no L or no average, the
 *   normative (п. 60, then п. 42): residents × normative; no one registered → 0 (п. 56(2) would
 *   count the owners: out of scope, as is п. 42's 1.5 coefficient).
 */
export const meterStates = (meters: SQL, period: string): SQL => {
  const m = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7));
  return sql`
  with base as (
    select mt.*, ${cur.value} as cur_value,
           -- the last month whose whole is covered by the verification
           case when mt.verified_until is null then null
                else (date_trunc('month', mt.verified_until + 1) - interval '1 month')::date end as usable_until
    from (${meters}) mt
    left join ${meterReading} ${cur} on ${cur.meterId} = mt.id and ${cur.period} = ${period}::date
  ),
  basis as (
    select base.*,
           base.cur_value is not null and (base.usable_until is null or ${period}::date <= base.usable_until) as cur_usable,
           coalesce(bl.period, rl.period, ll.period) as l_period, coalesce(bl.reading, rl.value, ll.value) as l_value
    from base
    left join lateral (
      select ${mb.period} as period, ${mb.reading} as reading from ${meterVolume} ${mb}
      where ${mb.meterId} = base.id and ${mb.period} < ${period}::date and ${mb.kind} in ('actual', 'true_up', 'baseline')
      order by ${mb.period} desc limit 1
    ) bl on true
    -- the rest only when no month was billed on an actual reading: the first month billed by an estimate,
    left join lateral (
      select ${mf.period} as period from ${meterVolume} ${mf}
      where bl.period is null and ${mf.meterId} = base.id and ${mf.period} < ${period}::date and ${mf.kind} in ('average', 'normative')
      order by ${mf.period} limit 1
    ) fe on true
    -- the latest usable reading before it (before M when there is none),
    left join lateral (
      select ${fb.period} as period, ${fb.value} as value from ${meterReading} ${fb}
      where bl.period is null and ${fb.meterId} = base.id and ${fb.period} < coalesce(fe.period, ${period}::date)
        and (base.usable_until is null or ${fb.period} <= base.usable_until)
      order by ${fb.period} desc limit 1
    ) rl on true
    -- and when there is none before the first estimate, the latest before M
    left join lateral (
      select ${lb.period} as period, ${lb.value} as value from ${meterReading} ${lb}
      where bl.period is null and rl.period is null and fe.period is not null and ${lb.meterId} = base.id and ${lb.period} < ${period}::date
        and (base.usable_until is null or ${lb.period} <= base.usable_until)
      order by ${lb.period} desc limit 1
    ) ll on true
  ),
  inputs as (
    select basis.*, ${m} - ${monthIndex(sql`basis.l_period`)} as k,
           est.volume as e_volume, est.months as e_months, est.by as e_by,
           w.period as r0_period, w.value as r0_value, ${monthIndex(sql`basis.l_period`)} - ${monthIndex(sql`w.period`)} as n
    from basis
    -- E: only for a month with a usable reading after L
    left join lateral (
      select sum(${me.volume}) as volume, count(*)::int as months,
             case when bool_and(${me.kind} = 'average') then 'average' when bool_and(${me.kind} = 'normative') then 'normative' else 'mixed' end as by
      from ${meterVolume} ${me}
      where basis.cur_usable and basis.l_period is not null and ${me.meterId} = basis.id
        and ${me.period} > basis.l_period and ${me.period} < ${period}::date and ${me.kind} in ('average', 'normative')
    ) est on true
    -- R0: only for a month without a usable reading, at most three months after L
    left join lateral (
      select ${r0.period} as period, ${r0.value} as value from ${meterReading} ${r0}
      where not basis.cur_usable and basis.l_period is not null and ${period}::date <= basis.l_period + interval '3 months'
        and ${r0.meterId} = basis.id and ${r0.period} >= basis.l_period - interval '6 months' and ${r0.period} <= basis.l_period
        and (basis.usable_until is null or ${r0.period} <= basis.usable_until)
      order by ${r0.period} limit 1
    ) w on true
  )
  select inputs.*,
         case when cur_usable and l_period is null then 'baseline'
              when cur_usable and cur_value < l_value then 'negative'
              when cur_usable and e_volume > 0 then 'true_up'
              when cur_usable then 'actual'
              when l_period is not null and k <= 3 and n >= 3 then 'average'
              else 'normative' end::meter_volume_kind as kind,
         case when n >= 3 then greatest(round((l_value - r0_value) / n, 3), 0) end as average
  from inputs`;
};

/** `%`, `_` and `\` in a person's search text match themselves in LIKE. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
