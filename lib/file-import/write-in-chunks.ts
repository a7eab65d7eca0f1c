import type { Db, DbOrTx } from "../../db/client";
import { pause, type JobContext } from "../jobs/boss";
import { ROWS_PER_STATEMENT } from "./limits";

// An import job's writing of a big file's checked rows (the payment import's, the readings
// import's): chunk by chunk, each chunk with rows_done in its own transaction, so that the page
// shows progress and a retry resumes from rows_done. An import discarded or mapped again
// meanwhile stops it.

export interface ChunkedRows<R> {
  rows: R[];
  /** rows written by an earlier attempt */
  done: number;
  /** in the chunk's transaction: locks the import and tells whether it is still being checked */
  stillParsing(tx: DbOrTx): Promise<boolean>;
  write(tx: DbOrTx, rows: R[]): Promise<void>;
  progress(tx: DbOrTx, done: number): Promise<void>;
  /** in the last transaction, when the import is still being checked: its counts, status previewed */
  finish(tx: DbOrTx): Promise<void>;
}

/** Writes the rows; false when the import stopped being checked meanwhile. */
export async function writeInChunks<R>(
  db: Db,
  context: Pick<JobContext, "stopping" | "chunkPauseMs">,
  job: ChunkedRows<R>,
): Promise<boolean> {
  const { rows } = job;
  for (let done = job.done; done < rows.length; done += ROWS_PER_STATEMENT) {
    if (context.stopping()) throw new Error("worker stopping: the import resumes from rows_done on the next attempt");
    const going = await db.transaction(async (tx) => {
      if (!(await job.stillParsing(tx))) return false;
      await job.write(tx, rows.slice(done, done + ROWS_PER_STATEMENT));
      await job.progress(tx, Math.min(rows.length, done + ROWS_PER_STATEMENT));
      return true;
    });
    if (!going) return false;
    if (context.chunkPauseMs) await pause(context, context.chunkPauseMs);
  }
  return db.transaction(async (tx) => {
    if (!(await job.stillParsing(tx))) return false;
    await job.finish(tx);
    return true;
  });
}
