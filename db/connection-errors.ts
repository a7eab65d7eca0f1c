// What a database that cannot be reached looks like through node-postgres: the server going away
// (a restart, a fail-over, a terminated backend), refusing or not answering connections. Such a
// failure says nothing about the request or the job: the same work can succeed once it is back.

/** PostgreSQL's SQLSTATEs for it: class 08 (connection exception), 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in recovery). */
const SQLSTATES = /^(08...|57P0[123])$/;

/** The socket's own failures (refused, reset, timed out, no route, no such host). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** node-postgres's and pg-pool's messages for a connection that ended or never came (no code). */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
  /^the connection ended while checked out$/,
];

/** Whether this error (or one it wraps: Drizzle's query error, an AggregateError) means the database is unreachable. */
export function isDatabaseUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number): boolean => {
    if (!e || typeof e !== "object" || depth > 5 || seen.has(e)) return false;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === "string" && (SQLSTATES.test(code) || SOCKET_CODES.has(code))) return true;
    if (typeof message === "string" && DRIVER_MESSAGES.some((m) => m.test(message))) return true;
    if (Array.isArray(errors) && errors.some((inner) => walk(inner, depth + 1))) return true;
    return walk(cause, depth + 1);
  };
  return walk(error, 0);
}

/** A short description of such an error for a log line: its code or message, never a query's values. */
export function describeConnectionError(error: unknown): { code?: string; message: string } {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (isDatabaseUnreachable({ code: e.code, message: e.message })) {
      return { ...(typeof e.code === "string" ? { code: e.code } : {}), message: String(e.message) };
    }
  }
  return { message: error instanceof Error ? error.message.split("\n")[0] : String(error) };
}
