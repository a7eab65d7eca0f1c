import type { DbOrTx } from "../../db/client";
import { closedThrough } from "../../db/queries/months";
import { readingSheetRows, type SheetRow } from "../../db/queries/readings";
import type { Scope } from "../auth/scope";
import { env } from "../env";
import { addMonths, currentMonth, dateToMonth, monthToDate, type Month } from "../months";
import { assertNotFuture } from "../periods";
import { AVERAGE_MONTHS, meterHistory } from "../readings/suspicious";
import type { ReadingSheet } from "../schemas/responses";
import { findHouse } from "./houses";
import { originView } from "./readings";

/** How far back the usual monthly consumption looks (months of consumption). */
const USUAL_CONSUMPTION_MONTHS = 12;

/**
 * Every meter of a house with what the reading-entry sheet needs for one month: the reading
 * before it, the month's own, the one after it, and the meter's usual monthly consumption.
 *
 * The usual consumption is the average over up to 12 months before the period: from the
 * earliest reading of the 13 months before it to the latest (which must lie within the last 12
 * months), divided by the months between them, rounded half-up to 3 decimals (m³). Null with
 * fewer than two such readings.
 */
export async function getReadingSheet(db: DbOrTx, scope: Scope, houseId: number, period?: Month): Promise<ReadingSheet> {
  const found = await findHouse(db, scope, houseId);
  const month = period ?? currentMonth(env().APP_TIMEZONE);
  assertNotFuture(month, "readings can be entered");
  const rows = await readingSheetRows(db, {
    houseId: found.id,
    workspaceId: found.workspaceId,
    date: monthToDate(month),
    windowStart: monthToDate(addMonths(month, -(USUAL_CONSUMPTION_MONTHS + 1))),
    lastInWindow: monthToDate(addMonths(month, -USUAL_CONSUMPTION_MONTHS)),
    recentStart: monthToDate(addMonths(month, -(AVERAGE_MONTHS + 1))),
  });

  const meters = rows.filter((r) => r.meter_id !== null) as unknown as SheetRow[];
  const closed = await closedThrough(db, found.id);
  return {
    house_id: found.id,
    address: rows[0]?.address ?? "",
    period: month,
    closed_through: closed === null ? null : dateToMonth(closed),
    items: meters.map((r) => {
      const history = meterHistory(
        (r.recent_periods ?? []).map((period, i) => ({ period: dateToMonth(period), value: r.recent_values![i] })),
        month,
      );
      return {
        meter_id: r.meter_id,
        apartment_id: r.apartment_id,
        apartment_number: r.apartment_number,
        serial_number: r.serial_number,
        service: r.service,
        previous: r.prev_period ? { period: dateToMonth(r.prev_period), value: r.prev_value! } : null,
        current: r.current_value !== null ? { value: r.current_value, ...originView(r) } : null,
        next: r.next_period ? { period: dateToMonth(r.next_period), value: r.next_value! } : null,
        usual_consumption: r.usual_consumption,
        average_use: history.averageUse,
        zero_months: history.zeroMonths,
      };
    }),
  };
}
