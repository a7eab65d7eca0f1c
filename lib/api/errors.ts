export const ERROR_STATUS = {
  invalid_json: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  reading_out_of_order: 422,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
/** Field path ("readings.3.value") → what is wrong with it. */
export type FieldErrors = Record<string, string>;

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldErrors };
}

/** An error meant for the client: its code, message and fields are sent as they are. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;

  constructor({ code, message, fields }: { code: ErrorCode; message: string; fields?: FieldErrors }) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.fields = fields;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export function notFound(what: string, id?: number | string): ApiError {
  return new ApiError({ code: "not_found", message: id === undefined ? `${what} not found` : `${what} ${id} not found` });
}
