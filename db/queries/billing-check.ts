import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client";
import { apartment, house, meter, meterReading, service } from "../schema";
import { apartmentOrder, billedServices, meterStates, normativesInForce, serviceApplies, tariffsInForce } from "./fragments";

// What a billing run of a house's month would do, without running it: the check before billing.
// The same fragments as the run (meterStates, the prices and normatives in force, the services
// billed), so that the check and the run cannot disagree.

const ap = alias(apartment, "ap");
const mt = alias(meter, "mt");
const rr = alias(meterReading, "rr");

const houseOf = (houseId: number) =>
  sql`select ${house.id} as house_id, ${house.workspaceId} as workspace_id from ${house} where ${house.id} = ${houseId}`;

/** The house's apartments (not archived) numbered in apartment order. */
const ordered = (houseId: number) => sql`
  select ${ap.id} as id, ${ap.number} as number, ${ap.residents} as residents, row_number() over (order by ${apartmentOrder(ap)})::int as position
  from ${apartment} ${ap} where ${ap.houseId} = ${houseId} and ${ap.archivedAt} is null`;

export type CheckMeterRow = {
  /** the apartment's place in apartment order */
  position: number;
  meter_id: number;
  apartment_id: number;
  apartment_number: string;
  serial_number: string;
  service: "cold_water" | "hot_water";
  verified_until: string | null;
  residents: number;
  /** the month's reading, usable or not */
  cur_value: string | null;
  cur_usable: boolean;
  /** L and V_L (fragments.meterStates) */
  l_period: string | null;
  l_value: string | null;
  /** months from L to the month */
  k: number | null;
  /** the average's window: R0 and the months from R0 to L */
  r0_period: string | null;
  n: number | null;
  /** E: the volumes estimated since L, when the month has a usable reading */
  e_volume: string | null;
  kind: "actual" | "true_up" | "baseline" | "negative" | "average" | "normative";
  average: string | null;
  /** the normative in force for the meter's service (m³ per person), when there is one */
  normative: string | null;
  /** the volume the run would bill; null for a normative estimate without a normative */
  volume: string | null;
  /** whether some billed service uses this meter's volume (its own, or wastewater) */
  volume_billed: boolean;
};

/** Every meter of the house's apartments (not archived) with what a run of `period` would do with it. */
export async function checkHouseMeters(db: DbOrTx, houseId: number, period: string): Promise<CheckMeterRow[]> {
  const { rows } = await db.execute<CheckMeterRow>(sql`
    with meters as (
      select ${mt.id} as id, ${mt.apartmentId} as apartment_id, ${mt.service} as service, ${mt.serialNumber} as serial_number,
             ${mt.verifiedUntil} as verified_until, ${ap.houseId} as house_id, ${ap.residents} as residents
      from ${apartment} ${ap} join ${meter} ${mt} on ${mt.apartmentId} = ${ap.id}
      where ${ap.houseId} = ${houseId} and ${ap.archivedAt} is null
    ),
    states as (${meterStates(sql`select * from meters`, period)}),
    normatives as (${normativesInForce(houseOf(houseId), period)}),
    billed as (${billedServices(houseOf(houseId))})
    select o.position, s.id as meter_id, s.apartment_id, o.number as apartment_number, s.serial_number, s.service::text as service,
           s.verified_until::text as verified_until, s.residents, s.cur_value::text as cur_value, s.cur_usable,
           to_char(s.l_period, 'YYYY-MM') as l_period, s.l_value::text as l_value, s.k, to_char(s.r0_period, 'YYYY-MM') as r0_period, s.n,
           s.e_volume::text as e_volume, s.kind::text as kind, s.average::numeric(12,3)::text as average, nv.value::text as normative,
           (case s.kind
              when 'actual' then s.cur_value - s.l_value - coalesce(s.e_volume, 0)
              when 'true_up' then s.cur_value - s.l_value - s.e_volume
              when 'average' then s.average
              when 'normative' then case when s.residents = 0 then 0 else round(s.residents * nv.value, 3) end
              else 0
            end)::numeric(12,3)::text as volume,
           exists (select 1 from billed b where (b.basis = 'meter' and b.code = s.service::text) or b.basis = 'water_sum') as volume_billed
    from states s
    join (${ordered(houseId)}) o on o.id = s.apartment_id
    left join normatives nv on nv.service = s.service
    order by o.position, s.service, s.id`);
  return [...rows];
}

export type BareApartmentRow = {
  position: number;
  id: number;
  number: string;
  residents: number;
};

/** The house's apartments (not archived) that have no meter. */
export async function apartmentsWithoutMeters(db: DbOrTx, houseId: number): Promise<BareApartmentRow[]> {
  const { rows } = await db.execute<BareApartmentRow>(sql`
    select o.position, o.id, o.number, o.residents from (${ordered(houseId)}) o
    where not exists (select 1 from ${meter} where ${meter.apartmentId} = o.id)
    order by o.position`);
  return [...rows];
}

/** The services the house is billed for that apply to some apartment and have no price in force in `period`. */
export async function unpricedServices(
  db: DbOrTx,
  houseId: number,
  period: string,
): Promise<{ code: string; name_ru: string; name_en: string }[]> {
  const { rows } = await db.execute<{ code: string; name_ru: string; name_en: string }>(sql`
    with billed as (${billedServices(houseOf(houseId))}),
    prices as (${tariffsInForce(houseOf(houseId), period)})
    select b.code, ${service.nameRu} as name_ru, ${service.nameEn} as name_en
    from billed b join ${service} on ${service.id} = b.service_id
    where ${serviceApplies(sql`b.house_id`, sql`b.basis`, sql`b.code`)}
      and not exists (select 1 from prices p where p.service_id = b.service_id)
    order by b.code`);
  return [...rows];
}

/** Each meter's readings of the months [from, to) — the history the suspicious-reading rule looks at. */
export async function readingsBefore(
  db: DbOrTx,
  meterIds: number[],
  from: string,
  to: string,
): Promise<{ meter_id: number; period: string; value: string }[]> {
  if (meterIds.length === 0) return [];
  const { rows } = await db.execute<{ meter_id: number; period: string; value: string }>(sql`
    select ${rr.meterId} as meter_id, to_char(${rr.period}, 'YYYY-MM') as period, ${rr.value}::text as value
    from ${meterReading} ${rr}
    where ${rr.meterId} = any(${`{${meterIds.join(",")}}`}::int[]) and ${rr.period} >= ${from}::date and ${rr.period} < ${to}::date
    order by ${rr.meterId}, ${rr.period}`);
  return [...rows];
}
