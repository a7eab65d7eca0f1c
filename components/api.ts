import type { ErrorBody } from "@/lib/schemas/responses";

type ErrorDetail = ErrorBody["error"];

/** A failed API call, carrying the server's error: its code, reason and params, and each field's. */
export class ApiClientError extends Error {
  readonly code: string;
  readonly reason?: ErrorDetail["reason"];
  readonly params?: ErrorDetail["params"];
  /** field path → the server's English message */
  readonly fields?: Record<string, string>;
  readonly fieldReasons?: ErrorDetail["field_reasons"];
  /** seconds to wait before trying again (a 429), counted from receivedAt */
  readonly retryAfter?: number;
  /** Date.now() when the answer came */
  readonly receivedAt = Date.now();

  constructor(
    message: string,
    readonly status: number,
    error?: ErrorDetail,
  ) {
    super(message);
    this.code = error?.code ?? "internal";
    this.reason = error?.reason;
    this.params = error?.params;
    this.fields = error?.fields;
    this.fieldReasons = error?.field_reasons;
    this.retryAfter = error?.retry_after;
  }
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 401 && typeof window !== "undefined" && window.location.pathname !== "/login") {
    // The session ended (expired or signed out elsewhere): sign in again and come back here.
    const next = `${window.location.pathname}${window.location.search}`;
    // A full load, not the router: the signed-out page must start with an empty query cache.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/login?next=${encodeURIComponent(next)}`);
  }
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data as ErrorBody | null)?.error;
    throw new ApiClientError(error?.message ?? `request failed (${response.status})`, response.status, error);
  }
  return data as T;
}

/** Uploads a file itself as the body (not JSON, not a form), as the imports take it. */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: file });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiClientError(data?.error?.message ?? `upload failed (${response.status})`, response.status, data?.error);
  return data as T;
}
