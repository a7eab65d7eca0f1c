// Shared through globalThis: Next.js may bundle this module more than once in one process.
const state = ((globalThis as { [key: symbol]: { watching: boolean; stopping: boolean } | undefined })[
  Symbol.for("kvartplata.shutdown")
] ??= {
  watching: false,
  stopping: false,
});

/**
 * True once the process was asked to stop (SIGTERM/SIGINT). Next.js's own handler then stops
 * accepting connections and exits once the requests in flight are answered, but Node.js keeps a
 * connection that was busy at that moment open for more requests (a proxy's pooled connection
 * would hold the server up until it is killed): answers say `Connection: close` from then on.
 * Watching starts with the first request, before any connection can be kept alive.
 */
export function shuttingDown(): boolean {
  if (!state.watching) {
    state.watching = true;
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        state.stopping = true;
        // Were this the only listener, it would have taken the signal's default (exit) away.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    }
  }
  return state.stopping;
}
