import { z } from "zod";
import { describeConnectionError, isDatabaseUnreachable } from "../../db/connection-errors";
import { failRun, releasePartLease, takePartLease } from "../../db/queries/billing";
import { billNextChunk } from "../billing/bill-chunk";
import { id } from "../schemas/values";
import { pause, type JobContext, type JobDefinition } from "./boss";
import { BILLING_PART } from "./queues";

/** What a part job fails with when its worker stops gracefully; the sweep recognises it. */
export const STOPPED_FOR_SHUTDOWN = "worker stopping: the part resumes from its cursor on the next attempt";

class StoppedForShutdown extends Error {
  constructor() {
    super(STOPPED_FOR_SHUTDOWN);
  }
}

/**
 * PostgreSQL's data exceptions (class 22, e.g. an amount too large for its column) come from
 * the data, not from the moment: retrying cannot help, so they fail the run with a message.
 */
function dataError(error: unknown): string | null {
  for (
    let e = error as { code?: unknown; message?: string; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === "string" && e.code.startsWith("22")) return e.message ?? e.code;
  }
  return null;
}

const payload = z.strictObject({ runId: id, partId: id });

/** Waits after the database could not be reached: 0.5 s, doubling to 5 s (it is usually back within seconds). */
const outageWait = (attempt: number) => Math.min(5_000, 500 * 2 ** attempt);

/**
 * Bills a part of a run chunk by chunk until it is done, under the part's lease
 * (lib/billing/part-leases.ts): a job whose part another live worker is billing ends at once,
 * and a worker whose lease was taken over stops. A stop request ends it between chunks (the job
 * fails and is retried from the part's cursor); a data error fails the run. While the database
 * cannot be reached the part waits and goes on from its cursor when it is back, without giving
 * up its job.
 */
export const billingPartJob: JobDefinition<typeof payload> = {
  name: BILLING_PART,
  payload,
  async handle({ runId, partId }, context) {
    const { db, workerId, leaseSeconds, log } = context;
    // pg-boss may hand a part's retry to this same process while its first try still bills it.
    if (context.leases.has(partId)) return;
    const lease = await untilReachable(context, { runId, partId }, () => takePartLease(db, partId, workerId, leaseSeconds));
    if (!lease.taken) {
      log.info({ runId, partId }, "billing part skipped: it is done, or another live worker holds its lease");
      return;
    }
    if (lease.previous && lease.previous !== workerId) {
      log.info({ runId, partId, from: lease.previous }, "billing part taken over: its worker's lease ran out");
    }
    context.leases.add(partId);
    let billed = 0;
    try {
      for (;;) {
        if (context.stopping()) throw new StoppedForShutdown();
        let chunk;
        try {
          chunk = await untilReachable(context, { runId, partId }, () =>
            billNextChunk(db, partId, context.chunkSize, { workerId, leaseSeconds }),
          );
        } catch (error) {
          const problem = dataError(error);
          if (!problem) throw error;
          await failRun(db, runId, {
            reason: "data_error",
            params: { detail: problem },
            message: `the data cannot be billed: ${problem}`,
          });
          log.warn({ runId, partId, problem }, "billing run failed on its data");
          return;
        }
        billed += chunk.billed;
        if (chunk.run) {
          log.info(
            { runId, partId, billed: chunk.billed, processed: chunk.run.processed, total: chunk.run.total },
            "billing chunk committed",
          );
        }
        if (chunk.leaseLost) {
          log.warn({ runId, partId, billed }, "billing part given up: another worker took over its lease");
          return;
        }
        if (chunk.done) break;
        if (context.chunkPauseMs) await new Promise((r) => setTimeout(r, context.chunkPauseMs));
      }
      log.info({ runId, partId, billed }, "billing part done");
    } finally {
      context.leases.delete(partId);
      // Handed back at once when stopping or failing; a lease that cannot be given back runs out.
      await releasePartLease(db, partId, workerId).catch(() => {});
    }
  },
};

/**
 * Runs `work`, and again while the database cannot be reached (restarting, failing over): a
 * part in progress goes on when it is back instead of waiting for its job's retry. Gives up
 * only when the worker is asked to stop.
 */
async function untilReachable<T>(context: JobContext, ids: { runId: number; partId: number }, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await work();
      if (attempt > 0) context.log.info({ ...ids, attempts: attempt + 1 }, "billing part goes on: the database is back");
      return result;
    } catch (error) {
      if (!isDatabaseUnreachable(error) || context.stopping()) throw error;
      if (attempt === 0)
        context.log.warn(
          { ...ids, database_unreachable: describeConnectionError(error) },
          "billing part waits: the database cannot be reached",
        );
      await pause(context, outageWait(attempt));
    }
  }
}
