import type { ErrorBody } from "../schemas/responses";

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
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
/** Field path ("readings.3.value") → what is wrong with it. */
export type FieldErrors = Record<string, string>;

/** An error meant for the client: its code, message and fields are sent as they are. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;
  /** seconds until a rate-limited request may be tried again (429) */
  readonly retryAfter?: number;

  constructor({ code, message, fields, retryAfter }: { code: ErrorCode; message: string; fields?: FieldErrors; retryAfter?: number }) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.retryAfter !== undefined ? { retry_after: this.retryAfter } : {}),
      },
    };
  }
}

export function notFound(what: string, id?: number | string): ApiError {
  return new ApiError({ code: "not_found", message: id === undefined ? `${what} not found` : `${what} ${id} not found` });
}
