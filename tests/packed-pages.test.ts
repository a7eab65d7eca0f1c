import { describe, expect, it } from "vitest";
import { packHouse, unpackHouse } from "../components/house/packed";
import { packSheet, unpackSheet } from "../components/readings/packed";
import type { HouseDetail, ReadingSheet } from "../lib/schemas/responses";

// The house page and the reading sheet get their first data packed into the page's HTML
// (components/*/packed.ts): unpacked, it must be exactly what the API answers.

describe("packed page data", () => {
  it("gives the reading sheet back as it was, readings present or not", () => {
    const sheet: ReadingSheet = {
      house_id: 7,
      address: "ул. Тестовая, 1",
      period: "2026-05",
      closed_through: "2026-03",
      items: [
        {
          meter_id: 1,
          apartment_id: 10,
          apartment_number: "1",
          serial_number: "ХВ-1",
          service: "cold_water",
          previous: { period: "2026-04", value: "100.000" },
          current: {
            value: "0.000",
            source: "resident",
            sent_by: { person_id: 5, phone: "+79990001122", api_key_id: null, api_key_name: null, import_id: null },
          },
          next: { period: "2026-06", value: "120.500" },
          usual_consumption: "10.000",
          average_use: "9.500",
          zero_months: 2,
        },
        {
          meter_id: 2,
          apartment_id: 10,
          apartment_number: "1",
          serial_number: "ГВ-1",
          service: "hot_water",
          previous: null,
          current: null,
          next: null,
          usual_consumption: null,
          average_use: null,
          zero_months: 0,
        },
      ],
    };
    const packed = packSheet(sheet);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(sheet).length / 2);
    expect(unpackSheet(JSON.parse(JSON.stringify(packed)))).toEqual(sheet);
  });

  it("gives the house back as it was, with and without meters and readings", () => {
    const house: HouseDetail = {
      id: 3,
      workspace_id: 1,
      address: "ул. Тестовая, 2",
      apartments_count: 2,
      total_area: "80.50",
      last_billed_period: null,
      created_at: "2026-01-01T00:00:00.000Z",
      apartments: [
        {
          id: 11,
          number: "1",
          account_number: "00000011",
          owner_name: "Иванов | Иван",
          area: "40.25",
          residents: 2,
          meters: [
            {
              id: 5,
              serial_number: "ХВ-1",
              service: "cold_water",
              installed_on: "2025-01-10",
              verified_until: null,
              last_reading: { period: "2026-04", value: "12.000" },
            },
            { id: 6, serial_number: "ГВ-1", service: "hot_water", installed_on: null, verified_until: "2030-01-09", last_reading: null },
          ],
        },
        { id: 12, number: "2а", account_number: "ЛС-12/2", owner_name: "", area: "40.25", residents: 0, meters: [] },
      ],
      archived_apartments: [{ id: 13, number: "3", account_number: "00000013", archived_at: "2026-02-01T00:00:00.000Z" }],
      tariffs_month: "2026-05",
      tariffs: [],
    };
    expect(unpackHouse(JSON.parse(JSON.stringify(packHouse(house))))).toEqual(house);
  });
});
