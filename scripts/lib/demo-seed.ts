import type { Db } from "../../db/client";
import { insertApartments } from "../../db/queries/apartments";
import { renameWorkspace } from "../../db/queries/auth";
import { countHouses, insertHouse } from "../../db/queries/houses";
import { insertMeters } from "../../db/queries/meters";
import { insertReadings } from "../../db/queries/readings";
import { advisoryXactLock } from "../../db/queries/locks";
import { insertTariffs } from "../../db/queries/tariffs";
import { findOrCreatePerson } from "../../lib/auth/persons";
import { Dec } from "../../lib/money";
import { addMonths, monthToDate, type Month } from "../../lib/months";

/** The demo register belongs to this person: sign in with it (the code is printed by `npm run dev`). */
export const DEMO_PHONE = "+79000000000";

export interface SeedSummary {
  houses: number;
  apartments: number;
  meters: number;
  readings: number;
  tariffs: number;
}

interface DemoHouse {
  address: string;
  floors: number;
  perFloor: number;
  /** m² of the apartments on a floor, left to right */
  layout: string[];
}

const DEMO_HOUSES: DemoHouse[] = [
  { address: "г. Москва, ул. Лесная, д. 12", floors: 9, perFloor: 4, layout: ["38.40", "54.70", "72.15", "41.90"] },
  { address: "г. Москва, Солнечный проезд, д. 5, корп. 2", floors: 6, perFloor: 4, layout: ["33.10", "61.25", "48.60", "84.30"] },
];

/** Deterministic so that every fresh demo database looks the same (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A decimal in [min, max) with the given places, built from integer steps (no float money). */
function decimalBetween(next: () => number, min: string, max: string, places: number): Dec {
  const steps = new Dec(max)
    .minus(min)
    .times(10 ** places)
    .toNumber();
  return new Dec(min).plus(new Dec(Math.floor(next() * steps)).dividedBy(10 ** places));
}

/**
 * Loads the demo register into the demo person's workspace when no house exists yet: two houses,
 * 60 apartments, cold and hot water meters with readings for the six months before
 * `currentMonth`, and tariffs with one price change and one house-specific price.
 * Returns null when the database already holds houses.
 */
export async function seedDemoData(db: Db, currentMonth: Month): Promise<SeedSummary | null> {
  return db.transaction(async (tx) => {
    // Serialise concurrent seeders (two `npm run dev` on one DATABASE_URL).
    await advisoryXactLock(tx, 727001);
    if ((await countHouses(tx)) > 0) return null;
    const { person } = await findOrCreatePerson(tx, DEMO_PHONE);
    const ws = { id: person.personalWorkspaceId };
    await renameWorkspace(tx, ws.id, "Demo management company");

    const next = random(20240501);
    const firstMonth = addMonths(currentMonth, -6);
    const summary: SeedSummary = { houses: 0, apartments: 0, meters: 0, readings: 0, tariffs: 0 };

    for (const [houseIndex, demo] of DEMO_HOUSES.entries()) {
      const h = { id: await insertHouse(tx, { workspaceId: ws.id, address: demo.address }) };
      summary.houses++;
      const apartments = await insertApartments(
        tx,
        Array.from({ length: demo.floors * demo.perFloor }, (_, i) => ({
          houseId: h.id,
          number: String(i + 1),
          area: demo.layout[i % demo.perFloor],
        })),
      );
      summary.apartments += apartments.length;

      const meterRows = apartments
        // The ground-floor shop space of the second house has no water meters.
        .filter((a) => !(houseIndex === 1 && a.number === "1"))
        .flatMap((a) =>
          (["cold_water", "hot_water"] as const).map((service) => ({
            apartmentId: a.id,
            workspaceId: ws.id,
            serialNumber: `${service === "cold_water" ? "CW" : "HW"}-${houseIndex + 1}${a.number.padStart(3, "0")}`,
            service,
            installedOn: `${addMonths(firstMonth, -12)}-15`,
          })),
        );
      const meters = await insertMeters(tx, meterRows);
      summary.meters += meters.length;

      const readings = meters.flatMap((m) => {
        let value = decimalBetween(next, "40", "600", 3);
        return Array.from({ length: 6 }, (_, k) => {
          const monthly = m.service === "cold_water" ? decimalBetween(next, "2.5", "9", 3) : decimalBetween(next, "1.2", "5", 3);
          value = value.plus(monthly);
          return { meterId: m.id, period: monthToDate(addMonths(firstMonth, k)), value: value.toFixed(3) };
        });
      });
      await insertReadings(tx, readings);
      summary.readings += readings.length;

      if (houseIndex === 1) {
        await insertTariffs(tx, [
          { workspaceId: ws.id, houseId: h.id, service: "maintenance", price: "38.2000", validFrom: monthToDate(firstMonth) },
        ]);
        summary.tariffs++;
      }
    }

    const tariffs = [
      { service: "cold_water" as const, price: "54.0300", validFrom: firstMonth },
      { service: "cold_water" as const, price: "56.8700", validFrom: addMonths(currentMonth, -2) },
      { service: "hot_water" as const, price: "248.9100", validFrom: firstMonth },
      { service: "maintenance" as const, price: "32.5000", validFrom: firstMonth },
    ];
    await insertTariffs(
      tx,
      tariffs.map((t) => ({
        workspaceId: ws.id,
        houseId: null,
        service: t.service,
        price: t.price,
        validFrom: monthToDate(t.validFrom),
      })),
    );
    summary.tariffs += tariffs.length;
    return summary;
  });
}
