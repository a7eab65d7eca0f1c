import type { ApartmentWithMetersRow, HouseSummaryRow } from "../../db/queries/houses";
import type { TariffRow } from "../../db/queries/tariffs";
import type { TariffService } from "../../db/schema";
import { dateToMonth } from "../months";

// Database rows → the JSON the API promises (snake_case, months as "YYYY-MM", decimals as strings).

const UNITS: Record<TariffService, "m3" | "m2"> = { cold_water: "m3", hot_water: "m3", maintenance: "m2" };

export function serializeHouseSummary(row: HouseSummaryRow) {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    address: row.address,
    apartments_count: row.apartmentsCount,
    total_area: row.totalArea,
    last_billed_period: row.lastBilledPeriod ? dateToMonth(row.lastBilledPeriod) : null,
    created_at: toIso(row.createdAt),
  };
}

export function serializeTariff(row: TariffRow) {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    house_id: row.houseId,
    service: row.service,
    unit: UNITS[row.service],
    price: row.price,
    valid_from: dateToMonth(row.validFrom),
    created_at: toIso(row.createdAt),
  };
}

export function serializeReading(row: { period: string; value: string }) {
  return { period: dateToMonth(row.period), value: row.value };
}

export function serializeApartmentWithMeters(row: ApartmentWithMetersRow) {
  return {
    id: row.id,
    number: row.number,
    area: row.area,
    meters: row.meters.map((m) => ({
      id: m.id,
      serial_number: m.serialNumber,
      service: m.service,
      installed_on: m.installedOn,
      last_reading: m.lastReading ? serializeReading(m.lastReading) : null,
    })),
  };
}

/** Timestamps arrive as Date from Drizzle columns and as text from raw SQL. */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
