import type { DbOrTx } from "../../db/client";
import * as readings from "../../db/queries/readings";
import { ApiError, fieldError, type FieldError, type FieldErrors } from "../api/errors";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/sessions";
import { assertNotFuture } from "../periods";
import { Dec } from "../money";
import { dateToMonth, monthToDate, type Month } from "../months";
import type { BulkReadingsBody } from "../schemas/registry";
import type { BulkReadingsResult, ReadingList, ReadingOriginView, ReadingSaved } from "../schemas/responses";
import { findHouse } from "./houses";
import { findMeter } from "./meters";
import { toIso } from "./serialize";

/**
 * A member's reading, from the pages or their session's token (`manager`), or an API key's (`api`).
 * A resident's (lib/residents) and a file's (lib/reading-import) name their own.
 */
export const memberOrigin = (actor: Actor): readings.ReadingOrigin => ({
  source: actor.kind === "api_key" ? "api" : "manager",
  personId: actor.personId,
  apiKeyId: actor.apiKeyId,
});

/**
 * A reading may not be lower than the meter's latest reading before its month, nor higher than
 * its earliest reading after it (meters only count up). Returns the problem, or null.
 */
export function readingOrderError(value: string, neighbours: Omit<readings.Neighbours, "meterId">): FieldError | null {
  const v = new Dec(value);
  const { previous, next } = neighbours;
  if (previous && v.lt(previous.value)) {
    const params = { value, previous: previous.value, period: dateToMonth(previous.period) };
    return fieldError(
      "reading_below_previous",
      `${value} is lower than the previous reading ${params.previous} of ${params.period}`,
      params,
    );
  }
  if (next && v.gt(next.value)) {
    const params = { value, next: next.value, period: dateToMonth(next.period) };
    return fieldError("reading_above_next", `${value} is higher than the next reading ${params.next} of ${params.period}`, params);
  }
  return null;
}

/** readingOrderError's message alone. */
export const readingOrderProblem = (value: string, neighbours: Omit<readings.Neighbours, "meterId">): string | null =>
  readingOrderError(value, neighbours)?.message ?? null;

/** A stored reading's origin as the API answers it. */
export const originView = (row: readings.OriginRow): ReadingOriginView => ({
  source: row.source ?? "manager",
  sent_by: {
    person_id: row.sent_by_person_id,
    phone: row.sent_by_phone,
    api_key_id: row.sent_by_api_key_id,
    api_key_name: row.sent_by_api_key_name,
    import_id: row.import_id,
  },
});

/** Readings of a meter, newest first, each with its consumption since the reading before it. */
export async function listReadings(db: DbOrTx, scope: Scope, meterId: number): Promise<ReadingList> {
  await findMeter(db, scope, meterId);
  const rows = await readings.listMeterReadings(db, meterId);
  return {
    meter_id: meterId,
    items: rows.map((r) => ({
      period: dateToMonth(r.period),
      value: r.value,
      consumption: r.consumption,
      ...originView(r),
      created_at: toIso(r.created_at),
      updated_at: toIso(r.updated_at),
    })),
  };
}

function serializeUpserted(row: readings.UpsertedReading): ReadingSaved {
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
export async function putReading(
  db: DbOrTx,
  scope: Scope,
  meterId: number,
  period: Month,
  value: string,
  origin: readings.ReadingOrigin,
): Promise<ReadingSaved> {
  return db.transaction(async (tx) => {
    await findMeter(tx, scope, meterId, { lock: true });
    assertNotFuture(period, "readings can be entered");
    const neighbours = (await readings.loadNeighbours(tx, [meterId], monthToDate(period))).get(meterId)!;
    const problem = readingOrderError(value, neighbours);
    if (problem) {
      throw new ApiError({ reason: "reading_out_of_order", message: problem.message, params: problem.params, fields: { value: problem } });
    }
    const [row] = await readings.upsertReadings(tx, monthToDate(period), [{ meterId, value }], origin);
    return serializeUpserted(row);
  });
}

/**
 * A whole house's readings for one month in one transaction: every row is checked first and
 * nothing is written unless all of them pass. Errors name the rows by index.
 */
export async function bulkPutReadings(
  db: DbOrTx,
  scope: Scope,
  houseId: number,
  body: BulkReadingsBody,
  origin: readings.ReadingOrigin,
): Promise<BulkReadingsResult> {
  return db.transaction(async (tx) => {
    await findHouse(tx, scope, houseId);
    assertNotFuture(body.period, "readings can be entered");

    const ids = [...new Set(body.readings.map((r) => r.meter_id))];
    const known = new Set(await readings.lockHouseMeters(tx, houseId, ids));
    const neighbours = await readings.loadNeighbours(tx, [...known], monthToDate(body.period));

    const fields: FieldErrors = {};
    let onlyOrderProblems = true;
    const firstIndex = new Map<number, number>();
    body.readings.forEach((reading, index) => {
      const key = `readings.${index}`;
      const earlier = firstIndex.get(reading.meter_id);
      if (earlier !== undefined) {
        fields[`${key}.meter_id`] = fieldError("duplicate_meter", `meter ${reading.meter_id} is already given in row ${earlier}`, {
          meter_id: reading.meter_id,
          row: earlier,
        });
        onlyOrderProblems = false;
        return;
      }
      firstIndex.set(reading.meter_id, index);
      if (!known.has(reading.meter_id)) {
        fields[`${key}.meter_id`] = fieldError("meter_not_in_house", `meter ${reading.meter_id} is not a meter of house ${houseId}`, {
          meter_id: reading.meter_id,
          house_id: houseId,
        });
        onlyOrderProblems = false;
        return;
      }
      const problem = readingOrderError(reading.value, neighbours.get(reading.meter_id)!);
      if (problem) fields[`${key}.value`] = problem;
    });

    const failed = Object.keys(fields).length;
    if (failed > 0) {
      const first = Object.entries(fields)
        .slice(0, 3)
        .map(([f, { message }]) => `${f}: ${message}`)
        .join("; ");
      throw new ApiError({
        reason: onlyOrderProblems ? "reading_out_of_order" : "invalid_input",
        params: { refused: failed, of: body.readings.length },
        message: `${failed} of ${body.readings.length} readings were refused and nothing was saved: ${first}${failed > 3 ? "; …" : ""}`,
        fields,
      });
    }

    const saved = await readings.upsertReadings(
      tx,
      monthToDate(body.period),
      body.readings.map((r) => ({ meterId: r.meter_id, value: r.value })),
      origin,
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
