import type { DbOrTx } from "../../db/client";
import { listApartmentMeters } from "../../db/queries/apartments";
import { listMeterReadings } from "../../db/queries/readings";
import * as residents from "../../db/queries/residents";
import { ApiError, fieldError, notFound, type FieldErrors } from "../api/errors";
import type { Scope } from "../auth/scope";
import { listApartmentInvoices } from "../billing/invoices";
import { env } from "../env";
import { todayIn } from "../ledger/dates";
import { getApartmentAccount } from "../ledger/get-account";
import { currentMonth, dateToMonth, type Month } from "../months";
import { apartmentReceipt } from "../receipts/receipts";
import type { ReceiptDocument } from "../receipts/document";
import { bulkPutReadings } from "../registry/readings";
import { meterHistory, suspiciousReading, type Suspicion } from "../readings/suspicious";
import type { MyApartment, MyApartmentDetail, MyApartmentList, ResidentReadingsBody, ResidentReadingsSaved } from "../schemas/residents";

// What a resident reaches (issue 18): the apartments whose resident phone is their sign-in phone,
// in whatever workspace, and nothing else of those workspaces. A resident is not a member: their
// session's scope is their own workspace, so every workspace endpoint answers 404 for the
// management company's ids. This is the one separate path, and every function here starts by
// finding the apartment among the person's own (404 apartment_not_found otherwise, exactly as for
// one that does not exist). The domain functions of the managers' pages are then called with a
// scope of that apartment's workspace, so the invoices, account and payment document are the
// same ones the managers see.

/** The resident's apartment, with the scope its workspace's functions are called with. */
async function residentApartment(db: DbOrTx, personId: number, apartmentId: number) {
  const [row] = await residents.residentApartments(db, personId, apartmentId);
  if (!row) throw notFound("apartment", apartmentId);
  const scope: Scope = { workspaceIds: [row.workspaceId], workspaceId: row.workspaceId };
  return { row, scope };
}

/** Whether today (in the application's time zone) is one of the window's days. */
function readingWindowState(window: { from: number; to: number }, today = todayIn(env().APP_TIMEZONE)) {
  const day = Number(today.slice(8, 10));
  return { from: window.from, to: window.to, open: window.from <= day && day <= window.to };
}

async function summary(db: DbOrTx, row: residents.ResidentApartmentRow, scope: Scope, period: Month) {
  const meters = await listApartmentMeters(db, row.apartmentId);
  const histories = [];
  for (const m of meters) histories.push({ meter: m, readings: await listMeterReadings(db, m.id) });
  const account = await getApartmentAccount(db, scope, row.apartmentId);
  const apartment: MyApartment = {
    id: row.apartmentId,
    number: row.number,
    account_number: row.accountNumber,
    address: row.address,
    workspace_id: row.workspaceId,
    workspace_name: row.workspaceName,
    kind: row.kind,
    period,
    window: readingWindowState({ from: row.windowFrom, to: row.windowTo }),
    balance: account.balance,
    meters: histories.map(({ meter, readings }) => {
      // a stored reading always has its source (null only where a query finds no reading)
      const sourced = readings.map((r) => ({ period: dateToMonth(r.period), value: r.value, source: r.source! }));
      return {
        id: meter.id,
        serial_number: meter.serialNumber,
        service: meter.service,
        last: sourced.find((r) => r.period < period) ?? null,
        current: sourced.find((r) => r.period === period) ?? null,
      };
    }),
  };
  return { apartment, histories, account };
}

/** Every apartment the person is a resident of, with its meters, window and balance. */
export async function listMyApartments(db: DbOrTx, personId: number): Promise<MyApartmentList> {
  const period = currentMonth(env().APP_TIMEZONE);
  const items: MyApartment[] = [];
  for (const row of await residents.residentApartments(db, personId)) {
    const scope: Scope = { workspaceIds: [row.workspaceId], workspaceId: row.workspaceId };
    items.push((await summary(db, row, scope, period)).apartment);
  }
  return { items };
}

/** One of the person's apartments with its readings' history, invoices and account. */
export async function getMyApartment(db: DbOrTx, personId: number, apartmentId: number): Promise<MyApartmentDetail> {
  const { row, scope } = await residentApartment(db, personId, apartmentId);
  const { apartment, histories, account } = await summary(db, row, scope, currentMonth(env().APP_TIMEZONE));
  const invoices = await listApartmentInvoices(db, scope, apartmentId);
  return {
    ...apartment,
    history: histories.map(({ meter, readings }) => ({
      meter_id: meter.id,
      items: readings.map((r) => ({ period: dateToMonth(r.period), value: r.value, source: r.source!, consumption: r.consumption })),
    })),
    invoices: invoices.items,
    account,
  };
}

/** The apartment's payment document of the month, as its managers make it. */
export async function myApartmentReceipt(db: DbOrTx, personId: number, apartmentId: number, month: Month): Promise<ReceiptDocument> {
  const { scope } = await residentApartment(db, personId, apartmentId);
  return apartmentReceipt(db, scope, apartmentId, month);
}

/**
 * This month's readings of the apartment's meters, sent by a resident: all or nothing, as the
 * managers' sheet (bulkPutReadings: the order checks, a closed month's 409), and besides
 * - only on the days of the workspace's window (409 reading_window_closed; a member's entry is
 *   never limited by it);
 * - only the apartment's own meters;
 * - a value the suspicious-reading rule (lib/readings/suspicious.ts) flags is refused with 409
 *   reading_suspicious, each such value named in `fields`, until the body confirms it.
 */
export async function sendMyReadings(
  db: DbOrTx,
  personId: number,
  apartmentId: number,
  body: ResidentReadingsBody,
): Promise<ResidentReadingsSaved> {
  const { row, scope } = await residentApartment(db, personId, apartmentId);
  const window = readingWindowState({ from: row.windowFrom, to: row.windowTo });
  if (!window.open) {
    throw new ApiError({
      reason: "reading_window_closed",
      message: `readings are taken from residents from day ${window.from} to day ${window.to} of the month`,
      params: { from: window.from, to: window.to },
    });
  }
  const period = currentMonth(env().APP_TIMEZONE);
  const meters = new Set((await listApartmentMeters(db, apartmentId)).map((m) => m.id));
  const fields: FieldErrors = {};
  body.readings.forEach((reading, index) => {
    if (!meters.has(reading.meter_id)) {
      fields[`readings.${index}.meter_id`] = fieldError(
        "meter_not_in_apartment",
        `meter ${reading.meter_id} is not a meter of apartment ${apartmentId}`,
        { meter_id: reading.meter_id, apartment_id: apartmentId },
      );
    }
  });
  if (Object.keys(fields).length > 0) {
    throw new ApiError({ reason: "invalid_input", message: "some meters are not this apartment's; nothing was saved", fields });
  }

  if (!body.confirm_suspicious) {
    for (const [index, reading] of body.readings.entries()) {
      const readings = (await listMeterReadings(db, reading.meter_id)).map((r) => ({ period: dateToMonth(r.period), value: r.value }));
      const suspicion = suspiciousReading(meterHistory(readings, period), period, reading.value);
      // a value below the previous reading is refused outright by the order check below
      if (suspicion && suspicion.kind !== "decrease") fields[`readings.${index}.value`] = suspicionError(reading.value, suspicion);
    }
    const count = Object.keys(fields).length;
    if (count > 0) {
      throw new ApiError({
        reason: "reading_suspicious",
        message: `${count} of ${body.readings.length} readings look wrong; check them and send again with confirm_suspicious: true. Nothing was saved`,
        params: { refused: count, of: body.readings.length },
        fields,
      });
    }
  }

  const saved = await bulkPutReadings(
    db,
    scope,
    row.houseId,
    { period, readings: body.readings },
    { source: "resident", personId, apiKeyId: null },
  );
  return {
    apartment_id: apartmentId,
    period,
    items: saved.items.map((i) => ({ meter_id: i.meter_id, value: i.value, status: i.status })),
  };
}

function suspicionError(value: string, suspicion: Exclude<Suspicion, { kind: "decrease" }>) {
  return suspicion.kind === "high"
    ? fieldError("suspicious_high", `a use of ${suspicion.use} m³ against the usual ${suspicion.expected} m³`, {
        value,
        use: suspicion.use,
        usual: suspicion.expected,
      })
    : fieldError("suspicious_zero", `no use for ${suspicion.months} months in a row`, { value, months: suspicion.months });
}
