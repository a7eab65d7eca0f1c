import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import type { MeterService } from "../../db/schema";
import type { Scope } from "../auth/scope";
import { env } from "../env";
import { addMonths, currentMonth, dateToMonth, monthToDate, type Month } from "../months";
import { assertNotFuture } from "../periods";
import { findHouse } from "./houses";

/** How far back the usual monthly consumption looks (months of consumption). */
const USUAL_CONSUMPTION_MONTHS = 12;

interface SheetRow {
  meter_id: number;
  apartment_id: number;
  apartment_number: string;
  serial_number: string;
  service: MeterService;
  prev_period: string | null;
  prev_value: string | null;
  current_value: string | null;
  next_period: string | null;
  next_value: string | null;
  usual_consumption: string | null;
}

/**
 * Every meter of a house with what the reading-entry sheet needs for one month: the reading
 * before it, the month's own, the one after it, and the meter's usual monthly consumption.
 *
 * The usual consumption is the average over up to 12 months before the period: from the
 * earliest reading of the 13 months before it to the latest (which must lie within the last 12
 * months), divided by the months between them, rounded half-up to 3 decimals (m³). Null with
 * fewer than two such readings.
 */
export async function getReadingSheet(db: DbOrTx, scope: Scope, houseId: number, period?: Month) {
  const found = await findHouse(db, scope, houseId);
  const month = period ?? currentMonth(env().APP_TIMEZONE);
  assertNotFuture(month, "readings can be entered");
  const date = monthToDate(month);
  const windowStart = monthToDate(addMonths(month, -(USUAL_CONSUMPTION_MONTHS + 1)));
  const lastInWindow = monthToDate(addMonths(month, -USUAL_CONSUMPTION_MONTHS));

  const rows = await db.execute<{ address: string } & { [K in keyof SheetRow]: SheetRow[K] | null }>(sql`
    select h.address, m.id as meter_id, a.id as apartment_id, a.number as apartment_number, m.serial_number, m.service,
           p.period::text as prev_period, p.value::text as prev_value,
           c.value::text as current_value,
           n.period::text as next_period, n.value::text as next_value,
           case when p.period >= ${lastInWindow}::date and f.period < p.period then
             round(
               (p.value - f.value)
               / ((extract(year from p.period) - extract(year from f.period)) * 12 + extract(month from p.period) - extract(month from f.period)),
               3
             )::numeric(12,3)::text
           end as usual_consumption
    from house h
    -- a house without meters still gives one row (for its address)
    left join (apartment a join meter m on m.apartment_id = a.id) on a.house_id = h.id
    left join meter_reading c on c.meter_id = m.id and c.period = ${date}::date
    left join lateral (
      select r.period, r.value from meter_reading r where r.meter_id = m.id and r.period < ${date}::date order by r.period desc limit 1
    ) p on true
    left join lateral (
      select r.period, r.value from meter_reading r where r.meter_id = m.id and r.period > ${date}::date order by r.period asc limit 1
    ) n on true
    left join lateral (
      select r.period, r.value from meter_reading r
      where r.meter_id = m.id and r.period >= ${windowStart}::date and r.period < ${date}::date
      order by r.period asc limit 1
    ) f on true
    where h.id = ${found.id} and h.workspace_id = ${found.workspaceId}
    order by lpad(substring(a.number from '^[0-9]+'), 20, '0') nulls last, a.number, a.id, m.service, m.id`);

  const meters = rows.filter((r) => r.meter_id !== null) as unknown as SheetRow[];
  return {
    house_id: found.id,
    address: rows[0]?.address ?? "",
    period: month,
    items: meters.map((r) => ({
      meter_id: r.meter_id,
      apartment_id: r.apartment_id,
      apartment_number: r.apartment_number,
      serial_number: r.serial_number,
      service: r.service,
      previous: r.prev_period ? { period: dateToMonth(r.prev_period), value: r.prev_value! } : null,
      current: r.current_value !== null ? { value: r.current_value } : null,
      next: r.next_period ? { period: dateToMonth(r.next_period), value: r.next_value! } : null,
      usual_consumption: r.usual_consumption,
    })),
  };
}
