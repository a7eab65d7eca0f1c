import { eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { apartment, meter, meterReading } from "../../db/schema";
import { ApiError, type FieldErrors } from "../api/errors";
import type { Scope } from "../auth/scope";
import { assertNotFuture } from "../periods";
import { Dec } from "../money";
import { dateToMonth, monthToDate, type Month } from "../months";
import type { BulkReadingsBody } from "../schemas/registry";
import { findHouse } from "./houses";
import { findMeter } from "./meters";
import { toIso } from "./serialize";

interface Neighbours {
  meterId: number;
  previous: { period: string; value: string } | null;
  next: { period: string; value: string } | null;
}

/**
 * A reading may not be lower than the meter's latest reading before its month, nor higher than
 * its earliest reading after it (meters only count up). Returns the problem, or null.
 */
export function readingOrderProblem(value: string, neighbours: Omit<Neighbours, "meterId">): string | null {
  const v = new Dec(value);
  const { previous, next } = neighbours;
  if (previous && v.lt(previous.value)) {
    return `${value} is lower than the previous reading ${previous.value} of ${dateToMonth(previous.period)}`;
  }
  if (next && v.gt(next.value)) {
    return `${value} is higher than the next reading ${next.value} of ${dateToMonth(next.period)}`;
  }
  return null;
}

async function loadNeighbours(tx: DbOrTx, meterIds: number[], period: Month): Promise<Map<number, Neighbours>> {
  const date = monthToDate(period);
  const rows = await tx.execute<{
    meter_id: number;
    prev_period: string | null;
    prev_value: string | null;
    next_period: string | null;
    next_value: string | null;
  }>(sql`
    select m.id as meter_id, p.period as prev_period, p.value as prev_value, n.period as next_period, n.value as next_value
    from ${meter} m
    left join lateral (
      select r.period, r.value from ${meterReading} r where r.meter_id = m.id and r.period < ${date} order by r.period desc limit 1
    ) p on true
    left join lateral (
      select r.period, r.value from ${meterReading} r where r.meter_id = m.id and r.period > ${date} order by r.period asc limit 1
    ) n on true
    where ${inArray(sql`m.id`, meterIds)}`);
  return new Map(
    rows.map((r) => [
      r.meter_id,
      {
        meterId: r.meter_id,
        previous: r.prev_period ? { period: r.prev_period, value: r.prev_value! } : null,
        next: r.next_period ? { period: r.next_period, value: r.next_value! } : null,
      },
    ]),
  );
}

/** Readings of a meter, newest first, each with its consumption since the reading before it. */
export async function listReadings(db: DbOrTx, scope: Scope, meterId: number) {
  await findMeter(db, scope, meterId);
  const rows = await db.execute<{ period: string; value: string; consumption: string | null; created_at: string; updated_at: string }>(sql`
    select period, value,
           (value - lag(value) over (order by period))::numeric(12,3)::text as consumption,
           created_at, updated_at
    from ${meterReading} where meter_id = ${meterId}
    order by period desc`);
  return {
    meter_id: meterId,
    items: rows.map((r) => ({
      period: dateToMonth(r.period),
      value: r.value,
      consumption: r.consumption,
      created_at: toIso(r.created_at),
      updated_at: toIso(r.updated_at),
    })),
  };
}

async function upsertReadings(tx: DbOrTx, period: Month, rows: { meterId: number; value: string }[]) {
  return tx
    .insert(meterReading)
    .values(rows.map((r) => ({ meterId: r.meterId, period: monthToDate(period), value: r.value })))
    .onConflictDoUpdate({
      target: [meterReading.meterId, meterReading.period],
      set: { value: sql`excluded.value`, updatedAt: sql`now()` },
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

function serializeUpserted(row: Awaited<ReturnType<typeof upsertReadings>>[number]) {
  return {
    meter_id: row.meterId,
    period: dateToMonth(row.period),
    value: row.value,
    status: row.created ? ("created" as const) : ("replaced" as const),
    created_at: toIso(row.createdAt),
    updated_at: toIso(row.updatedAt),
  };
}

/** Sets one meter's reading for a month; `created` tells a new reading from a replaced one. */
export async function putReading(db: DbOrTx, scope: Scope, meterId: number, period: Month, value: string) {
  return db.transaction(async (tx) => {
    await findMeter(tx, scope, meterId, { lock: true });
    assertNotFuture(period, "readings can be entered");
    const neighbours = (await loadNeighbours(tx, [meterId], period)).get(meterId)!;
    const problem = readingOrderProblem(value, neighbours);
    if (problem) throw new ApiError({ code: "reading_out_of_order", message: problem, fields: { value: problem } });
    const [row] = await upsertReadings(tx, period, [{ meterId, value }]);
    return serializeUpserted(row);
  });
}

/**
 * A whole house's readings for one month in one transaction: every row is checked first and
 * nothing is written unless all of them pass. Errors name the rows by index.
 */
export async function bulkPutReadings(db: DbOrTx, scope: Scope, houseId: number, body: BulkReadingsBody) {
  return db.transaction(async (tx) => {
    await findHouse(tx, scope, houseId);
    assertNotFuture(body.period, "readings can be entered");

    const ids = [...new Set(body.readings.map((r) => r.meter_id))];
    const ofHouse = await tx
      .select({ id: meter.id })
      .from(meter)
      .innerJoin(apartment, eq(apartment.id, meter.apartmentId))
      .where(sql`${apartment.houseId} = ${houseId} and ${inArray(meter.id, ids)}`)
      .orderBy(meter.id)
      .for("update", { of: meter });
    const known = new Set(ofHouse.map((m) => m.id));
    const neighbours = await loadNeighbours(tx, [...known], body.period);

    const fields: FieldErrors = {};
    let onlyOrderProblems = true;
    const firstIndex = new Map<number, number>();
    body.readings.forEach((reading, index) => {
      const key = `readings.${index}`;
      const earlier = firstIndex.get(reading.meter_id);
      if (earlier !== undefined) {
        fields[`${key}.meter_id`] = `meter ${reading.meter_id} is already given in row ${earlier}`;
        onlyOrderProblems = false;
        return;
      }
      firstIndex.set(reading.meter_id, index);
      if (!known.has(reading.meter_id)) {
        fields[`${key}.meter_id`] = `meter ${reading.meter_id} is not a meter of house ${houseId}`;
        onlyOrderProblems = false;
        return;
      }
      const problem = readingOrderProblem(reading.value, neighbours.get(reading.meter_id)!);
      if (problem) fields[`${key}.value`] = problem;
    });

    const failed = Object.keys(fields).length;
    if (failed > 0) {
      const code = onlyOrderProblems ? "reading_out_of_order" : "validation_failed";
      const first = Object.entries(fields)
        .slice(0, 3)
        .map(([f, m]) => `${f}: ${m}`)
        .join("; ");
      throw new ApiError({
        code,
        message: `${failed} of ${body.readings.length} readings were refused and nothing was saved: ${first}${failed > 3 ? "; …" : ""}`,
        fields,
      });
    }

    const saved = await upsertReadings(
      tx,
      body.period,
      body.readings.map((r) => ({ meterId: r.meter_id, value: r.value })),
    );
    const byMeter = new Map(saved.map((row) => [row.meterId, serializeUpserted(row)]));
    const items = body.readings.map((r) => byMeter.get(r.meter_id)!);
    return {
      house_id: houseId,
      period: body.period,
      created: items.filter((i) => i.status === "created").length,
      replaced: items.filter((i) => i.status === "replaced").length,
      items,
    };
  });
}
