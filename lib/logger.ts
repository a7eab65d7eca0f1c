import pino from "pino";

// JSON lines to stdout. Never log request bodies: they may carry codes and tokens later.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { pid: process.pid },
});
