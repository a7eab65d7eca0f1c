import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client";
import { apartment, house, meter, meterReading, service } from "../schema";
import { apartmentOrder, billedServices, meterStates, normativesInForce, serviceApplies, tariffsInForce } from "./fragments";

// What a billing run of a month would do, without running it: the check before billing, of one
// house or of every house of a workspace (the same statements over a set of houses, so that the
// portfolio's check is one query per kind, not one per house). The same fragments as the run
// (meterStates, the prices and normatives in force, the services billed), so that the check and
// the run cannot disagree.

const ap = alias(apartment, "ap");
const mt = alias(meter, "mt");
const rr = alias(meterReading, "rr");

/** The houses a check looks at: one house, or every house of a workspace. */
export type HouseSet = { houseId: number } | { workspaceId: number };

/** (house_id, workspace_id) of the set's houses. */
const housesOf = (set: HouseSet) =>
  sql`select ${house.id} as house_id, ${house.workspaceId} as workspace_id from ${house}
      where ${"houseId" in set ? sql`${house.id} = ${set.houseId}` : sql`${house.workspaceId} = ${set.workspaceId}`}`;

/** The set's apartments (not archived) numbered in apartment order within their house. */
const ordered = (houses: SQL) => sql`
  select ${ap.id} as id, ${ap.houseId} as house_id, ${ap.number} as number, ${ap.residents} as residents,
         row_number() over (partition by ${ap.houseId} order by ${apartmentOrder(ap)})::int as position
  from ${apartment} ${ap} where ${ap.houseId} in (select house_id from (${houses}) hs) and ${ap.archivedAt} is null`;

export type CheckMeterRow = {
  house_id: number;
  /** the apartment's place in its house's apartment order */
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

/** Every meter of the houses' apartments (not archived) with what a run of `period` would do with it. */
export async function checkMeters(db: DbOrTx, set: HouseSet, period: string): Promise<CheckMeterRow[]> {
  const { rows } = await db.execute<CheckMeterRow>(sql`
    with houses as (${housesOf(set)}),
    meters as (
      select ${mt.id} as id, ${mt.apartmentId} as apartment_id, ${mt.service} as service, ${mt.serialNumber} as serial_number,
             ${mt.verifiedUntil} as verified_until, ${ap.houseId} as house_id, ${ap.residents} as residents
      from ${apartment} ${ap} join ${meter} ${mt} on ${mt.apartmentId} = ${ap.id}
      where ${ap.houseId} in (select house_id from houses) and ${ap.archivedAt} is null
    ),
    states as (${meterStates(sql`select * from meters`, period)}),
    normatives as (${normativesInForce(sql`select * from houses`, period)}),
    billed as (${billedServices(sql`select * from houses`)})
    select s.house_id, o.position, s.id as meter_id, s.apartment_id, o.number as apartment_number, s.serial_number, s.service::text as service,
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
           exists (select 1 from billed b where b.house_id = s.house_id and ((b.basis = 'meter' and b.code = s.service::text) or b.basis = 'water_sum'))
             as volume_billed
    from states s
    join (${ordered(sql`select * from houses`)}) o on o.id = s.apartment_id
    left join normatives nv on nv.house_id = s.house_id and nv.service = s.service
    order by s.house_id, o.position, s.service, s.id`);
  return [...rows];
}

export type BareApartmentRow = {
  house_id: number;
  position: number;
  id: number;
  number: string;
  residents: number;
};

/** The houses' apartments (not archived) that have no meter. */
export async function apartmentsWithoutMeters(db: DbOrTx, set: HouseSet): Promise<BareApartmentRow[]> {
  const { rows } = await db.execute<BareApartmentRow>(sql`
    select o.house_id, o.position, o.id, o.number, o.residents from (${ordered(housesOf(set))}) o
    where not exists (select 1 from ${meter} where ${meter.apartmentId} = o.id)
    order by o.house_id, o.position`);
  return [...rows];
}

export type UnpricedServiceRow = { house_id: number; code: string; name_ru: string; name_en: string };

/** Per house, the services it is billed for that apply to some apartment and have no price in force in `period`. */
export async function unpricedServices(db: DbOrTx, set: HouseSet, period: string): Promise<UnpricedServiceRow[]> {
  const { rows } = await db.execute<UnpricedServiceRow>(sql`
    with houses as (${housesOf(set)}),
    billed as (${billedServices(sql`select * from houses`)}),
    prices as (${tariffsInForce(sql`select * from houses`, period)})
    select b.house_id, b.code, ${service.nameRu} as name_ru, ${service.nameEn} as name_en
    from billed b join ${service} on ${service.id} = b.service_id
    where ${serviceApplies(sql`b.house_id`, sql`b.basis`, sql`b.code`)}
      and not exists (select 1 from prices p where p.house_id = b.house_id and p.service_id = b.service_id)
    order by b.house_id, b.code`);
  return [...rows];
}

/**
 * The readings of the months [from, to) of the houses' meters (of apartments not archived) that
 * have a reading in `to`: the history the suspicious-reading rule looks at.
 */
export async function readingsBefore(
  db: DbOrTx,
  set: HouseSet,
  from: string,
  to: string,
): Promise<{ meter_id: number; period: string; value: string }[]> {
  const { rows } = await db.execute<{ meter_id: number; period: string; value: string }>(sql`
    with read as (
      select ${mt.id} as id from ${apartment} ${ap}
      join ${meter} ${mt} on ${mt.apartmentId} = ${ap.id}
      join ${meterReading} ${rr} on ${rr.meterId} = ${mt.id} and ${rr.period} = ${to}::date
      where ${ap.houseId} in (select house_id from (${housesOf(set)}) hs) and ${ap.archivedAt} is null
    )
    select ${rr.meterId} as meter_id, to_char(${rr.period}, 'YYYY-MM') as period, ${rr.value}::text as value
    from ${meterReading} ${rr}
    where ${rr.meterId} in (select id from read) and ${rr.period} >= ${from}::date and ${rr.period} < ${to}::date
    order by ${rr.meterId}, ${rr.period}`);
  return [...rows];
}
