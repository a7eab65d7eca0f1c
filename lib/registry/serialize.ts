import type { ApartmentWithMetersRow, HouseSummaryRow } from "../../db/queries/houses";
import type { TariffRow } from "../../db/queries/tariffs";
import { BASIS_UNIT } from "../constants";
import { dateToMonth } from "../months";
import type { HouseApartment, HouseSummary, Tariff } from "../schemas/responses";

// Database rows → the JSON the API promises (snake_case, months as "YYYY-MM", decimals as
// strings), typed with the response schemas' own types (lib/schemas/responses.ts).

export function serializeHouseSummary(row: HouseSummaryRow): HouseSummary {
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

export function serializeTariff(row: TariffRow): Tariff {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    house_id: row.houseId,
    service: row.service,
    service_id: row.serviceId,
    unit: BASIS_UNIT[row.basis],
    price: row.price,
    valid_from: dateToMonth(row.validFrom),
    created_at: toIso(row.createdAt),
    billed: row.billed,
    closed: row.closed,
  };
}

export function serializeReading(row: { period: string; value: string }) {
  return { period: dateToMonth(row.period), value: row.value };
}

export function serializeApartmentWithMeters(row: ApartmentWithMetersRow): HouseApartment {
  return {
    id: row.id,
    number: row.number,
    account_number: row.accountNumber,
    owner_name: row.ownerName,
    area: row.area,
    residents: row.residents,
    meters: row.meters.map((m) => ({
      id: m.id,
      serial_number: m.serialNumber,
      service: m.service,
      installed_on: m.installedOn,
      verified_until: m.verifiedUntil,
      last_reading: m.lastReading ? serializeReading(m.lastReading) : null,
    })),
  };
}

/** Timestamps arrive as Date from Drizzle columns and as text from raw SQL. */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
