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
});

export function runWithRequestContext<T>(context: RequestLogContext, fn: () => T): T {
  return requestContext.run(context, fn);
}
