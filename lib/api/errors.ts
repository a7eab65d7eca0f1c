import type { ErrorBody } from "../schemas/responses";

// Every error the API answers has a `code`, the broad kind integrations switch on (unchanged
// since the first API), a `reason`, the specific case a person is told about (the pages
// translate it, with its `params`), and an English `message` for integrators. A field's error
// has a reason and params of its own. The reasons are listed here, each once; the pages'
// translations (messages/<lang>/errors.json) are checked against these lists by a test.

export const ERROR_STATUS = {
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  invalid_code: 422,
  reading_out_of_order: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** reason → the code it is answered with. */
export const ERROR_REASONS = {
  // 400
  body_not_json: "invalid_json",
  body_not_utf8: "invalid_json",
  body_empty: "invalid_json",
  // 401, 403
  sign_in_required: "unauthorized",
  people_only: "forbidden",
  role_forbidden: "forbidden",
  role_above_yours: "forbidden",
  // 404
  endpoint_not_found: "not_found",
  house_not_found: "not_found",
  apartment_not_found: "not_found",
  meter_not_found: "not_found",
  billing_run_not_found: "not_found",
  api_key_not_found: "not_found",
  workspace_not_found: "not_found",
  service_not_found: "not_found",
  tariff_not_found: "not_found",
  member_not_found: "not_found",
  session_not_found: "not_found",
  key_rate_not_found: "not_found",
  record_gone: "not_found",
  payment_import_not_found: "not_found",
  reading_import_not_found: "not_found",
  payment_not_found: "not_found",
  receipt_batch_not_found: "not_found",
  resident_not_found: "not_found",
  // 405, 409, 413, 415
  method_not_allowed: "method_not_allowed",
  address_taken: "conflict",
  apartment_number_taken: "conflict",
  account_number_taken: "conflict",
  serial_number_taken: "conflict",
  tariff_exists: "conflict",
  normative_exists: "conflict",
  service_code_taken: "conflict",
  service_billed: "conflict",
  month_closed: "conflict",
  month_already_posted: "conflict",
  month_not_posted: "conflict",
  month_not_billed: "conflict",
  month_out_of_date: "conflict",
  month_blocked: "conflict",
  month_run_in_progress: "conflict",
  earlier_month_open: "conflict",
  later_month_posted: "conflict",
  record_exists: "conflict",
  billed_cannot_delete: "conflict",
  meter_service_locked: "conflict",
  meter_readings_billed: "conflict",
  invite_already_activated: "conflict",
  member_not_pending: "conflict",
  member_not_active: "conflict",
  last_owner: "conflict",
  personal_workspace_owner: "conflict",
  payment_import_closed: "conflict",
  payment_import_not_previewed: "conflict",
  reading_import_closed: "conflict",
  reading_import_not_previewed: "conflict",
  reading_import_nothing_to_import: "conflict",
  reading_import_stale: "conflict",
  payment_duplicate: "conflict",
  payment_already_reversed: "conflict",
  requisites_incomplete: "conflict",
  receipt_no_invoice: "conflict",
  receipt_no_invoices: "conflict",
  receipt_batch_not_ready: "conflict",
  resident_exists: "conflict",
  reading_window_closed: "conflict",
  reading_suspicious: "conflict",
  body_too_large: "payload_too_large",
  body_not_json_type: "unsupported_media_type",
  import_file_type: "unsupported_media_type",
  // 422
  invalid_input: "validation_failed",
  period_in_future: "validation_failed",
  value_out_of_range: "validation_failed",
  own_invite_code: "validation_failed",
  unknown_invite_code: "validation_failed",
  account_number_unknown: "validation_failed",
  account_number_ambiguous: "validation_failed",
  date_in_future: "validation_failed",
  code_not_requested: "invalid_code",
  code_expired: "invalid_code",
  code_wrong: "invalid_code",
  reading_out_of_order: "reading_out_of_order",
  import_file_unreadable: "validation_failed",
  // 429
  login_limit_phone: "rate_limited",
  login_limit_address: "rate_limited",
  login_limit_service: "rate_limited",
  code_attempts_used: "rate_limited",
  invite_limit_person: "rate_limited",
  invite_limit_address: "rate_limited",
  // 500, 503
  internal: "internal",
  database_unavailable: "unavailable",
} as const satisfies Record<string, ErrorCode>;

export type ErrorReason = keyof typeof ERROR_REASONS;

/** What can be wrong with one field (`field_reasons` in an error). */
export const FIELD_REASONS = [
  // any field
  "required",
  "wrong_type",
  "unknown_field",
  "not_one_of",
  "invalid",
  // text
  "empty",
  "too_long",
  "control_characters",
  "broken_characters",
  "direction_marks",
  // numbers and decimals
  "not_decimal",
  "not_finite",
  "negative",
  "too_many_decimals",
  "not_whole",
  "below_min",
  "above_max",
  // ids, months, dates, lists
  "not_id",
  "not_month",
  "month_out_of_range",
  "not_date",
  "not_real_date",
  "date_out_of_range",
  "too_few",
  "too_many",
  // accounts
  "not_phone",
  "not_login_code",
  "not_invite_code",
  // the body as a whole
  "nothing_to_change",
  "house_or_workspace",
  // what the server found, besides the form of the value
  "period_in_future",
  "reading_below_previous",
  "reading_above_next",
  "duplicate_meter",
  "duplicate_account",
  "account_unknown",
  "meter_not_in_house",
  "meter_not_in_apartment",
  "suspicious_high",
  "suspicious_zero",
  "resident_exists",
  "window_from_after_to",
  "address_taken",
  "payment_duplicate",
  "apartment_number_taken",
  "account_number_taken",
  "not_account_number",
  "serial_number_taken",
  "tariff_exists",
  "normative_exists",
  "not_service_code",
  "meter_service_code",
  "unknown_service",
  "service_code_taken",
  "service_billed",
  "unknown_house",
  "meter_service_locked",
  "own_invite_code",
  "unknown_invite_code",
  "invite_already_activated",
  "unknown_column",
  "column_reused",
  // the organisation's requisites (lib/receipts/requisites.ts)
  "not_inn",
  "inn_check_digit",
  "not_kpp",
  "not_bic",
  "not_bank_account",
  "account_check_digit",
  "not_correspondent_account",
  "not_email",
] as const;

export type FieldReason = (typeof FIELD_REASONS)[number];
/** Values a reason's text is built with (numbers, months, names): never a secret. */
export type ReasonParams = Record<string, string | number>;

/** One field's error: the English message and what the pages translate. */
export interface FieldError {
  reason: FieldReason;
  message: string;
  params?: ReasonParams;
}
/** Field path ("readings.3.value") → what is wrong with it. */
export type FieldErrors = Record<string, FieldError>;

export const fieldError = (reason: FieldReason, message: string, params?: ReasonParams): FieldError => ({
  reason,
  message,
  ...(params ? { params } : {}),
});

interface ApiErrorOptions {
  reason: ErrorReason;
  message: string;
  params?: ReasonParams;
  fields?: FieldErrors;
  /** seconds until the request may be tried again (429 rate limited, 503 database unavailable) */
  retryAfter?: number;
}

/** An error meant for the client: its code, reason, message and fields are sent as they are. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason;
  readonly params?: ReasonParams;
  readonly fields?: FieldErrors;
  readonly retryAfter?: number;

  constructor({ reason, message, params, fields, retryAfter }: ApiErrorOptions) {
    super(message);
    this.name = "ApiError";
    this.reason = reason;
    this.code = ERROR_REASONS[reason];
    this.params = params;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    const fields = this.fields ? Object.entries(this.fields) : undefined;
    return {
      error: {
        code: this.code,
        reason: this.reason,
        message: this.message,
        ...(this.params ? { params: this.params } : {}),
        ...(fields ? { fields: Object.fromEntries(fields.map(([path, f]) => [path, f.message])) } : {}),
        ...(fields
          ? {
              field_reasons: Object.fromEntries(
                fields.map(([path, f]) => [path, { reason: f.reason, ...(f.params ? { params: f.params } : {}) }]),
              ),
            }
          : {}),
        ...(this.retryAfter !== undefined ? { retry_after: this.retryAfter } : {}),
      },
    };
  }
}

/** What the 404 of each kind of resource is called in the message. */
const NOT_FOUND = {
  house: "house_not_found",
  apartment: "apartment_not_found",
  meter: "meter_not_found",
  "billing run": "billing_run_not_found",
  service: "service_not_found",
  "API key": "api_key_not_found",
  workspace: "workspace_not_found",
  tariff: "tariff_not_found",
  session: "session_not_found",
  "payment import": "payment_import_not_found",
  "reading import": "reading_import_not_found",
  payment: "payment_not_found",
  "key rate": "key_rate_not_found",
  "receipt batch": "receipt_batch_not_found",
} as const satisfies Record<string, ErrorReason>;

export function notFound(what: keyof typeof NOT_FOUND, id?: number | string): ApiError {
  return new ApiError({
    reason: NOT_FOUND[what],
    message: id === undefined ? `${what} not found` : `${what} ${id} not found`,
    ...(id === undefined ? {} : { params: { id } }),
  });
}
