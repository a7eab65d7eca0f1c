import { eq, inArray, sql } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { MeterService, ReadingSource } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apartment, apiKey, house, meter, meterReading, person } from "../schema";
import { a, apartmentOrder } from "./fragments";

const m = alias(meter, "m");
const r = alias(meterReading, "r");
const c = alias(meterReading, "c");

/** The latest reading of meter `m` before `date` ("<"), or the earliest after it (">"). */
const neighbour = (direction: "<" | ">", date: string) => sql`
  select ${r.period} as period, ${r.value} as value from ${meterReading} ${r}
  where ${r.meterId} = ${m.id} and ${r.period} ${sql.raw(direction)} ${date}::date
  order by ${r.period} ${sql.raw(direction === "<" ? "desc" : "asc")} limit 1`;

export interface Neighbours {
  meterId: number;
  previous: { period: string; value: string } | null;
  next: { period: string; value: string } | null;
}

/** The origin columns of a stored reading (alias `on`), as OriginRow names them; with originJoins(on). */
type OriginColumns = Record<"source" | "sentByPersonId" | "sentByApiKeyId" | "importId", AnyPgColumn>;
const originSelect = (on: OriginColumns) => sql`
  ${on.source} as source, ${on.sentByPersonId} as sent_by_person_id, sp.phone as sent_by_phone,
  ${on.sentByApiKeyId} as sent_by_api_key_id, sk.name as sent_by_api_key_name, ${on.importId} as import_id`;
const originJoins = (on: OriginColumns) => sql`
  left join ${person} sp on sp.id = ${on.sentByPersonId}
  left join ${apiKey} sk on sk.id = ${on.sentByApiKeyId}`;

/** A stored reading's origin as the queries answer it (null columns when there is no reading). */
export type OriginRow = {
  source: ReadingSource | null;
  sent_by_person_id: number | null;
  sent_by_phone: string | null;
  sent_by_api_key_id: number | null;
  sent_by_api_key_name: string | null;
  import_id: number | null;
};

/** Each meter's readings next to the month: the latest before it and the earliest after it. */
export async function loadNeighbours(db: DbOrTx, meterIds: number[], date: string): Promise<Map<number, Neighbours>> {
  const { rows } = await db.execute<{
    meter_id: number;
    prev_period: string | null;
    prev_value: string | null;
    next_period: string | null;
    next_value: string | null;
  }>(sql`
    select ${m.id} as meter_id, p.period as prev_period, p.value as prev_value, n.period as next_period, n.value as next_value
    from ${meter} ${m}
    left join lateral (${neighbour("<", date)}) p on true
    left join lateral (${neighbour(">", date)}) n on true
    where ${inArray(m.id, meterIds)}`);
  return new Map(
    rows.map((row) => [
      row.meter_id,
      {
        meterId: row.meter_id,
        previous: row.prev_period ? { period: row.prev_period, value: row.prev_value! } : null,
        next: row.next_period ? { period: row.next_period, value: row.next_value! } : null,
      },
    ]),
  );
}

/** A meter's readings, newest first, each with its consumption since the reading before it. */
export async function listMeterReadings(db: DbOrTx, meterId: number) {
  const { rows } = await db.execute<
    {
      period: string;
      value: string;
      consumption: string | null;
      created_at: string;
      updated_at: string;
    } & OriginRow
  >(sql`
    select ${meterReading.period} as period, ${meterReading.value} as value,
           (${meterReading.value} - lag(${meterReading.value}) over (order by ${meterReading.period}))::numeric(12,3)::text as consumption,
           ${originSelect(meterReading)},
           ${meterReading.createdAt} as created_at, ${meterReading.updatedAt} as updated_at
    from ${meterReading} ${originJoins(meterReading)}
    where ${meterReading.meterId} = ${meterId}
    order by ${meterReading.period} desc`);
  return [...rows];
}

/** Where a reading comes from and who sends it (meter_reading.source, sent_by_*, import_id). */
export interface ReadingOrigin {
  source: ReadingSource;
  personId: number | null;
  apiKeyId: number | null;
  importId?: number | null;
}

/** The origin columns of a reading written with this origin. */
const originColumns = (origin: ReadingOrigin) => ({
  source: origin.source,
  sentByPersonId: origin.personId,
  sentByApiKeyId: origin.apiKeyId,
  importId: origin.importId ?? null,
});

/**
 * Creates or replaces each meter's reading of the month; `created` tells which. A replaced
 * reading takes the new origin: the value is the sender's now.
 */
export async function upsertReadings(db: DbOrTx, date: string, rows: { meterId: number; value: string }[], origin: ReadingOrigin) {
  const columns = originColumns(origin);
  return db
    .insert(meterReading)
    .values(rows.map((row) => ({ meterId: row.meterId, period: date, value: row.value, ...columns })))
    .onConflictDoUpdate({
      target: [meterReading.meterId, meterReading.period],
      set: {
        value: sql`excluded.value`,
        source: sql`excluded.source`,
        sentByPersonId: sql`excluded.sent_by_person_id`,
        sentByApiKeyId: sql`excluded.sent_by_api_key_id`,
        importId: sql`excluded.import_id`,
        updatedAt: sql`now()`,
      },
    })
    .returning({
      meterId: meterReading.meterId,
      period: meterReading.period,
      value: meterReading.value,
      created: sql<boolean>`(xmax = 0)`,
      createdAt: meterReading.createdAt,
      updatedAt: meterReading.updatedAt,
    });
}
export type UpsertedReading = Awaited<ReturnType<typeof upsertReadings>>[number];

/** Which of these meters belong to the house, locked (in id order) until the transaction ends. */
export async function lockHouseMeters(db: DbOrTx, houseId: number, meterIds: number[]): Promise<number[]> {
  const rows = await db
    .select({ id: meter.id })
    .from(meter)
    .innerJoin(apartment, eq(apartment.id, meter.apartmentId))
    .where(sql`${apartment.houseId} = ${houseId} and ${inArray(meter.id, meterIds)}`)
    .orderBy(meter.id)
    .for("update", { of: meter });
  return rows.map((row) => row.id);
}

export type SheetRow = OriginRow & {
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
  /** the readings from `recentStart` to the month before, oldest first ("YYYY-MM-DD", value) */
  recent_periods: string[] | null;
  recent_values: string[] | null;
};

export interface ReadingSheetOptions {
  houseId: number;
  workspaceId: number;
  /** the sheet's month, first day */
  date: string;
  /** the usual consumption looks from the earliest reading on or after this date … */
  windowStart: string;
  /** … to the latest before the month, which must be on or after this one */
  lastInWindow: string;
  /** the readings from this date to the month's are listed (recent_periods, recent_values) */
  recentStart: string;
}

/**
 * Every meter of a house (in apartment order) with the reading before the month, the month's
 * own, the one after it and the usual monthly consumption: from the earliest reading in the
 * window to the latest before the month, divided by the months between them, rounded half-up to
 * 3 decimals (m³); null with fewer than two such readings. A house without meters gives one row
 * with its address only.
 */
export async function readingSheetRows(db: DbOrTx, options: ReadingSheetOptions) {
  const { date, windowStart, lastInWindow } = options;
  const { rows } = await db.execute<{ address: string } & { [K in keyof SheetRow]: SheetRow[K] | null }>(sql`
    select ${house.address} as address, ${m.id} as meter_id, ${a.id} as apartment_id, ${a.number} as apartment_number,
           ${m.serialNumber} as serial_number, ${m.service} as service,
           p.period::text as prev_period, p.value::text as prev_value,
           ${c.value}::text as current_value, ${originSelect(c)},
           n.period::text as next_period, n.value::text as next_value,
           case when p.period >= ${lastInWindow}::date and f.period < p.period then
             round(
               (p.value - f.value)
               / ((extract(year from p.period) - extract(year from f.period)) * 12 + extract(month from p.period) - extract(month from f.period)),
               3
             )::numeric(12,3)::text
           end as usual_consumption,
           h.periods as recent_periods, h.values as recent_values
    from ${house}
    -- a house without meters still gives one row (for its address)
    left join (${apartment} ${a} join ${meter} ${m} on ${m.apartmentId} = ${a.id}) on ${a.houseId} = ${house.id} and ${a.archivedAt} is null
    left join ${meterReading} ${c} on ${c.meterId} = ${m.id} and ${c.period} = ${date}::date
    ${originJoins(c)}
    left join lateral (${neighbour("<", date)}) p on true
    left join lateral (${neighbour(">", date)}) n on true
    left join lateral (
      select ${r.period} as period, ${r.value} as value from ${meterReading} ${r}
      where ${r.meterId} = ${m.id} and ${r.period} >= ${windowStart}::date and ${r.period} < ${date}::date
      order by ${r.period} asc limit 1
    ) f on true
    left join lateral (
      select array_agg(${r.period}::text order by ${r.period}) as periods, array_agg(${r.value}::text order by ${r.period}) as values
      from ${meterReading} ${r}
      where ${r.meterId} = ${m.id} and ${r.period} >= ${options.recentStart}::date and ${r.period} < ${date}::date
    ) h on true
    where ${house.id} = ${options.houseId} and ${house.workspaceId} = ${options.workspaceId}
    order by ${apartmentOrder()}, ${m.service}, ${m.id}`);
  return rows;
}

/** Inserts readings of any meters and months in one statement (new ones only). */
export async function insertReadings(db: DbOrTx, rows: { meterId: number; period: string; value: string }[]): Promise<void> {
  await db.insert(meterReading).values(rows);
}
