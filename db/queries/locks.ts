import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// Transaction-level advisory locks: a number names what is being serialised (a sweep, a seed);
// the lock goes with the transaction's end.

/** Waits for the lock. */
export async function advisoryXactLock(db: DbOrTx, key: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${key})`);
}

/** Takes the lock unless another session holds it: true when taken. */
export async function tryAdvisoryXactLock(db: DbOrTx, key: number): Promise<boolean> {
  const {
    rows: [{ mine }],
  } = await db.execute<{ mine: boolean }>(sql`select pg_try_advisory_xact_lock(${key}) as mine`);
  return mine;
}
