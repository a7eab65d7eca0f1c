import { isDatabaseUnreachable } from "../../db/connection-errors";
import { monthClosed } from "../billing/month-closed";
import { ApiError, fieldError, type ErrorReason, type FieldReason } from "./errors";

/** What node-postgres's DatabaseError carries (the fields we read). */
interface PgErrorLike {
  code: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

/** What a unique constraint's violation means to the client. */
const UNIQUE_MESSAGES: Record<string, { reason: ErrorReason & FieldReason; message: string; field: string }> = {
  house_workspace_address_unique: { reason: "address_taken", message: "a house with this address already exists", field: "address" },
  apartment_house_number_unique: {
    reason: "apartment_number_taken",
    message: "an apartment with this number already exists in the house",
    field: "number",
  },
  // raised by the trigger kp_apartment_account (drizzle/0016_ledger.sql): the apartment row does not carry its workspace
  apartment_account_number_unique: {
    reason: "account_number_taken",
    message: "another apartment of the workspace has this account number",
    field: "account_number",
  },
  meter_workspace_serial_unique: {
    reason: "serial_number_taken",
    message: "a meter with this serial number already exists",
    field: "serial_number",
  },
  service_workspace_code_unique: {
    reason: "service_code_taken",
    message: "the workspace already has a service with this code",
    field: "code",
  },
  normative_scope_service_month_unique: {
    reason: "normative_exists",
    message: "a normative for this service and scope from this month already exists; add one from a later month instead",
    field: "valid_from",
  },
  ledger_entry_external_id_unique: {
    reason: "payment_duplicate",
    message: "a payment with this bank id is already recorded in the workspace",
    field: "external_id",
  },
  tariff_scope_service_month_unique: {
    reason: "tariff_exists",
    message: "a price for this service and scope from this month already exists; add one from a later month instead",
    field: "valid_from",
  },
};

function findPgError(error: unknown): PgErrorLike | undefined {
  // Drizzle wraps driver errors (DrizzleQueryError.cause); walk the chain.
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current === "object" && "code" in current && typeof (current as PgErrorLike).code === "string" && "severity" in current) {
      return current as PgErrorLike;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Seconds a client is told to wait when the database cannot be reached (the pool reconnects at once when it is back). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Turns a PostgreSQL constraint violation into the client error it stands for, and a database
 * that cannot be reached (restarting, failing over, refusing connections) into 503
 * database_unavailable; undefined for anything else.
 */
export function apiErrorFromDatabase(error: unknown): ApiError | undefined {
  if (isDatabaseUnreachable(error)) {
    return new ApiError({
      reason: "database_unavailable",
      message: "the database cannot be reached right now; try again in a few seconds",
      retryAfter: DATABASE_RETRY_AFTER_SECONDS,
    });
  }
  const pg = findPgError(error);
  if (!pg) return undefined;
  switch (pg.code) {
    case "23505": {
      const known = pg.constraint ? UNIQUE_MESSAGES[pg.constraint] : undefined;
      if (!known) return new ApiError({ reason: "record_exists", message: "this record already exists" });
      return new ApiError({
        reason: known.reason,
        message: known.message,
        fields: { [known.field]: fieldError(known.reason, known.message) },
      });
    }
    case "23001": // restrict_violation: ON DELETE RESTRICT
    case "23503": // foreign_key_violation
      // The only RESTRICT foreign keys point from billed data (invoices, meter volumes) and the
      // apartments' accounts to the registry; a service named by invoice lines is kept by a
      // trigger raising the same error (drizzle/0019_billing-writes.sql).
      if (pg.table === "invoice" || pg.table === "invoice_line" || pg.table === "meter_volume" || pg.table === "ledger_entry") {
        return new ApiError({
          reason: "billed_cannot_delete",
          message: "it has been billed: invoices refer to it, so it cannot be deleted",
        });
      }
      // An insert whose parent was deleted in the meantime (e.g. an apartment added to a house
      // being deleted): to the client the parent is simply gone.
      return new ApiError({ reason: "record_gone", message: "the record this refers to no longer exists" });
    case "22003": // numeric_value_out_of_range
    case "22021": // character_not_in_repertoire (a NUL in text)
    case "22P05": // untranslatable_character
    case "23514": // check_violation
      // A value outside what the database holds; the schemas should catch these first.
      return new ApiError({ reason: "value_out_of_range", message: "a value is out of the allowed range" });
    case "KP001": {
      // A write into a closed month (drizzle/0014_month-guards.sql): the house and months in DETAIL.
      const detail = JSON.parse(pg.detail ?? "{}") as { house_id: number; address: string; month: string; closed_through: string };
      return monthClosed(detail);
    }
    default:
      return undefined;
  }
}
