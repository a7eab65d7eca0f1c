import { z } from "zod";
import { failRun } from "../../db/queries/billing";
import { billNextChunk } from "../billing/bill-chunk";
import { id } from "../schemas/values";
import type { JobDefinition } from "./boss";
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

/**
 * Bills a part of a run chunk by chunk until it is done. A stop request ends it between chunks
 * (the job fails and is retried from the part's cursor); a data error fails the run.
 */
export const billingPartJob: JobDefinition<typeof payload> = {
  name: BILLING_PART,
  payload,
  async handle({ runId, partId }, context) {
    let billed = 0;
    for (;;) {
      if (context.stopping()) throw new StoppedForShutdown();
      let chunk;
      try {
        chunk = await billNextChunk(context.db, partId, context.chunkSize);
      } catch (error) {
        const problem = dataError(error);
        if (!problem) throw error;
        await failRun(context.db, runId, {
          reason: "data_error",
          params: { detail: problem },
          message: `the data cannot be billed: ${problem}`,
        });
        context.log.warn({ runId, partId, problem }, "billing run failed on its data");
        return;
      }
      billed += chunk.billed;
      if (chunk.run) {
        context.log.info(
          { runId, partId, billed: chunk.billed, processed: chunk.run.processed, total: chunk.run.total },
          "billing chunk committed",
        );
      }
      if (chunk.done) break;
      if (context.chunkPauseMs) await new Promise((r) => setTimeout(r, context.chunkPauseMs));
    }
    context.log.info({ runId, partId, billed }, "billing part done");
  },
};
