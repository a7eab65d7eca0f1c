import type { HouseApartment, HouseDetail, HouseMeter } from "@/lib/schemas/responses";

// The house as the page's server render hands it to the browser: apartments and meters as
// arrays instead of objects, so that the page's HTML does not spell out the same keys for each
// of a thousand apartments and their meters (530 KB of HTML with the objects). Packed by the page
// on the server, unpacked once in the browser into the same HouseDetail the API answers.

type PackedMeter = [
  id: number,
  serial_number: string,
  service: HouseMeter["service"],
  installed_on: string | null,
  verified_until: string | null,
  last_period: string | null,
  last_value: string | null,
];
type PackedApartment = [
  id: number,
  number: string,
  account_number: string,
  owner_name: string,
  area: string,
  residents: number,
  meters: PackedMeter[],
];

export interface PackedHouse extends Omit<HouseDetail, "apartments"> {
  apartments: PackedApartment[];
}

export function packHouse(house: HouseDetail): PackedHouse {
  return {
    ...house,
    apartments: house.apartments.map((a) => [
      a.id,
      a.number,
      a.account_number,
      a.owner_name,
      a.area,
      a.residents,
      a.meters.map((m) => [
        m.id,
        m.serial_number,
        m.service,
        m.installed_on,
        m.verified_until,
        m.last_reading?.period ?? null,
        m.last_reading?.value ?? null,
      ]),
    ]),
  };
}

export function unpackHouse(packed: PackedHouse): HouseDetail {
  return {
    ...packed,
    apartments: packed.apartments.map(([id, number, account_number, owner_name, area, residents, meters]): HouseApartment => ({
      id,
      number,
      account_number,
      owner_name,
      area,
      residents,
      meters: meters.map(([meterId, serial_number, service, installed_on, verified_until, period, value]) => ({
        id: meterId,
        serial_number,
        service,
        installed_on,
        verified_until,
        last_reading: period !== null && value !== null ? { period, value } : null,
      })),
    })),
  };
}
