import type { ReadingOriginView, ReadingSheet, ReadingSheetItem } from "@/lib/schemas/responses";

// The reading sheet as the page's server render hands it to the browser: each meter as an array
// instead of an object, so that the page's HTML does not spell out the same eleven keys 2,000
// times (for 1,000 apartments: 682 KB of HTML with the objects). Packed by the page on the
// server, unpacked once in the browser into the same ReadingSheet the API answers.

type PackedItem = [
  meter_id: number,
  apartment_id: number,
  apartment_number: string,
  serial_number: string,
  service: ReadingSheetItem["service"],
  previous_period: string | null,
  previous_value: string | null,
  current_value: string | null,
  next_period: string | null,
  next_value: string | null,
  usual_consumption: string | null,
  average_use: string | null,
  zero_months: number,
  /** the month's reading's origin: source, then who sent it (null without a reading) */
  current_origin: PackedOrigin | null,
];

type PackedOrigin = [
  source: ReadingOriginView["source"],
  person_id: number | null,
  phone: string | null,
  api_key_id: number | null,
  api_key_name: string | null,
  import_id: number | null,
];

export interface PackedSheet extends Omit<ReadingSheet, "items"> {
  items: PackedItem[];
}

export function packSheet(sheet: ReadingSheet): PackedSheet {
  return {
    ...sheet,
    items: sheet.items.map((i) => [
      i.meter_id,
      i.apartment_id,
      i.apartment_number,
      i.serial_number,
      i.service,
      i.previous?.period ?? null,
      i.previous?.value ?? null,
      i.current?.value ?? null,
      i.next?.period ?? null,
      i.next?.value ?? null,
      i.usual_consumption,
      i.average_use,
      i.zero_months,
      i.current
        ? [
            i.current.source,
            i.current.sent_by.person_id,
            i.current.sent_by.phone,
            i.current.sent_by.api_key_id,
            i.current.sent_by.api_key_name,
            i.current.sent_by.import_id,
          ]
        : null,
    ]),
  };
}

export function unpackSheet(packed: PackedSheet): ReadingSheet {
  return {
    ...packed,
    items: packed.items.map(
      ([meter_id, apartment_id, apartment_number, serial_number, service, pp, pv, cv, np, nv, usual, average, zero, origin]) => ({
        meter_id,
        apartment_id,
        apartment_number,
        serial_number,
        service,
        previous: pp !== null && pv !== null ? { period: pp, value: pv } : null,
        current: cv !== null && origin !== null ? { value: cv, ...unpackOrigin(origin) } : null,
        next: np !== null && nv !== null ? { period: np, value: nv } : null,
        usual_consumption: usual,
        average_use: average,
        zero_months: zero,
      }),
    ),
  };
}

const unpackOrigin = ([source, person_id, phone, api_key_id, api_key_name, import_id]: PackedOrigin): ReadingOriginView => ({
  source,
  sent_by: { person_id, phone, api_key_id, api_key_name, import_id },
});
