import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

/** What every log line written while serving one request carries. */
export interface RequestLogContext {
  req_id: string;
}

const requestContext = new AsyncLocalStorage<RequestLogContext>();

// JSON lines to stdout. Never log request bodies, headers or query strings: they carry codes,
// session tokens and API keys. Lines written inside runWithRequestContext get its req_id.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { pid: process.pid },
  mixin: () => requestContext.getStore() ?? {},
  serializers: { err: safeError },
});

// What a database error carries besides its message: the query's parameter values (drizzle's
// `params` and its message's "params:" line) and PostgreSQL's detail ("Key (phone)=(+7…)").
// They may hold phones, invite codes, code and token hashes: never logged.
const VALUE_FIELDS = ["params", "parameters", "detail", "where", "hint"];
const PARAMS_LINE = /^params: .*$/gm;

function safeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const field of VALUE_FIELDS) delete out[field];
  for (const field of ["message", "stack"]) {
    if (typeof out[field] === "string") out[field] = (out[field] as string).replace(PARAMS_LINE, "params: (not logged)");
  }
  // The driver's error under drizzle's wrapper: what went wrong, without the values.
  if (err.cause instanceof Error) {
    const cause = err.cause as Error & { code?: string; constraint?: string };
    out.cause = { message: cause.message, code: cause.code, constraint: cause.constraint };
  }
  return out;
}

/** The id of the request being served, if any. */
export const currentRequestId = (): string | undefined => requestContext.getStore()?.req_id;

export function runWithRequestContext<T>(context: RequestLogContext, fn: () => T): T {
  return requestContext.run(context, fn);
}
