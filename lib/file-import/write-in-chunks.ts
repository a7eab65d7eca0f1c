import type { Db, DbOrTx } from "../../db/client";
import { pause, type JobContext } from "../jobs/boss";
import { ROWS_PER_STATEMENT } from "./limits";

// An import job (the payment import's, the readings import's): a big file's rows checked in
// memory, then written chunk by chunk, each chunk with rows_done in its own transaction, so that
// the page shows progress and a retry resumes from rows_done. An import discarded or mapped
// again meanwhile stops it; a file that cannot be checked fails the import with the reason.

/** Rows written by `insert`, ROWS_PER_STATEMENT to a statement. */
export async function insertInStatements<R>(rows: R[], insert: (rows: R[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insert(rows.slice(i, i + ROWS_PER_STATEMENT));
}

interface ChunkedRows<R> {
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
async function writeInChunks<R>(db: Db, context: Pick<JobContext, "stopping" | "chunkPauseMs">, job: ChunkedRows<R>): Promise<boolean> {
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

/** What an import job does with its import, by its id (db/queries/<kind>-imports.ts and lib/<kind>-import). */
export interface ImportJobSteps<Rec extends { status: string; rowsDone: number }, R> {
  /** for the log: "payment import" */
  what: string;
  /** the import in the workspace; `lock`: FOR UPDATE */
  find(db: DbOrTx, lock: boolean): Promise<Rec | null>;
  content(db: DbOrTx): Promise<Buffer | null>;
  check(db: DbOrTx, record: Rec, content: Buffer): Promise<R[]>;
  fail(db: DbOrTx, failure: string): Promise<void>;
  write(tx: DbOrTx, rows: R[]): Promise<void>;
  progress(tx: DbOrTx, done: number): Promise<void>;
  finish(tx: DbOrTx): Promise<void>;
}

/** Checks an import's rows as a job: only an import still being checked (status parsing). */
export async function runImportJob<Rec extends { status: string; rowsDone: number }, R>(
  context: Pick<JobContext, "db" | "log" | "stopping" | "chunkPauseMs">,
  importId: number,
  steps: ImportJobSteps<Rec, R>,
): Promise<void> {
  const { db, log } = context;
  const record = await steps.find(db, false);
  if (record?.status !== "parsing") return;
  const content = await steps.content(db);
  const started = Date.now();
  let rows: R[];
  try {
    rows = await steps.check(db, record, content!);
  } catch (error) {
    await steps.fail(db, (error as Error).message);
    log.warn({ importId, err: error }, `${steps.what} failed: its file cannot be checked`);
    return;
  }
  const checkedMs = Date.now() - started;
  const finished = await writeInChunks(db, context, {
    rows,
    done: record.rowsDone,
    stillParsing: async (tx) => (await steps.find(tx, true))?.status === "parsing",
    write: steps.write,
    progress: steps.progress,
    finish: steps.finish,
  });
  if (finished) log.info({ importId, rows: rows.length, checkedMs, writtenMs: Date.now() - started - checkedMs }, `${steps.what} checked`);
}
