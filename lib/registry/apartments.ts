import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { apartment, house, meter, meterReading } from "../../db/schema";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import type { CreateApartmentBody, UpdateApartmentBody } from "../schemas/registry";
import { findHouse } from "./houses";
import { serializeReading, toIso } from "./serialize";

/** Apartments the scope may see: the workspace filter sits in the WHERE of every query. */
const inScope = (scope: Scope) =>
  inArray(apartment.houseId, sql`(select ${house.id} from ${house} where ${inArray(house.workspaceId, scope.workspaceIds)})`);

const READINGS_PER_METER = 12;

export async function createApartment(db: DbOrTx, scope: Scope, houseId: number, body: CreateApartmentBody) {
  await findHouse(db, scope, houseId);
  const [row] = await db.insert(apartment).values({ houseId, number: body.number, area: body.area }).returning({ id: apartment.id });
  return getApartment(db, scope, row.id);
}

/** The apartment with its meters and each meter's last 12 readings, newest first. */
export async function getApartment(db: DbOrTx, scope: Scope, apartmentId: number) {
  const [row] = await db
    .select({
      id: apartment.id,
      houseId: apartment.houseId,
      number: apartment.number,
      area: apartment.area,
      createdAt: apartment.createdAt,
    })
    .from(apartment)
    .where(and(eq(apartment.id, apartmentId), inScope(scope)));
  if (!row) throw notFound("apartment", apartmentId);

  const meters = await db
    .select({ id: meter.id, serialNumber: meter.serialNumber, service: meter.service, installedOn: meter.installedOn })
    .from(meter)
    .where(eq(meter.apartmentId, apartmentId))
    .orderBy(asc(meter.service), asc(meter.id));
  const readings = meters.length
    ? await db.execute<{ meter_id: number; period: string; value: string }>(sql`
        select meter_id, period, value from (
          select r.meter_id, r.period, r.value,
                 row_number() over (partition by r.meter_id order by r.period desc) as n
          from ${meterReading} r
          where ${inArray(
            sql`r.meter_id`,
            meters.map((m) => m.id),
          )}
        ) recent
        where n <= ${READINGS_PER_METER}
        order by meter_id, period desc`)
    : [];

  return {
    id: row.id,
    house_id: row.houseId,
    number: row.number,
    area: row.area,
    created_at: toIso(row.createdAt),
    meters: meters.map((m) => ({
      id: m.id,
      serial_number: m.serialNumber,
      service: m.service,
      installed_on: m.installedOn,
      readings: readings.filter((r) => r.meter_id === m.id).map(serializeReading),
    })),
  };
}

export async function updateApartment(db: DbOrTx, scope: Scope, apartmentId: number, body: UpdateApartmentBody) {
  const updated = await db
    .update(apartment)
    .set({ number: body.number, area: body.area })
    .where(and(eq(apartment.id, apartmentId), inScope(scope)))
    .returning({ id: apartment.id });
  if (updated.length === 0) throw notFound("apartment", apartmentId);
  return getApartment(db, scope, apartmentId);
}

/** Removes the apartment with its meters and readings; 409 once it has been billed. */
export async function deleteApartment(db: DbOrTx, scope: Scope, apartmentId: number): Promise<void> {
  const deleted = await db
    .delete(apartment)
    .where(and(eq(apartment.id, apartmentId), inScope(scope)))
    .returning({ id: apartment.id });
  if (deleted.length === 0) throw notFound("apartment", apartmentId);
}

/** The apartment with its house's workspace, if the scope may see it. */
export async function findApartment(db: DbOrTx, scope: Scope, apartmentId: number) {
  const [row] = await db
    .select({ id: apartment.id, houseId: apartment.houseId, workspaceId: house.workspaceId })
    .from(apartment)
    .innerJoin(house, eq(house.id, apartment.houseId))
    .where(and(eq(apartment.id, apartmentId), inArray(house.workspaceId, scope.workspaceIds)));
  if (!row) throw notFound("apartment", apartmentId);
  return row;
}
