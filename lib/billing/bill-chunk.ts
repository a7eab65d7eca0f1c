import type { DbOrTx } from "../../db/client";
import * as billing from "../../db/queries/billing";
import { env } from "../env";

export interface ChunkResult {
  /** the part has no apartments left (or its run is no longer running, or its lease is another worker's) */
  done: boolean;
  /** another worker holds the part's lease now: this one must stop */
  leaseLost?: boolean;
  billed: number;
  /** the run's apartments billed so far and in all, after this chunk (for progress logs) */
  run?: { id: number; processed: number; total: number };
}

/**
 * Bills the next chunk (BILLING_CHUNK_SIZE apartments: a crash loses at most this much work) of a
 * part's apartments in one transaction: the invoices and their lines (one set-based statement,
 * db/queries/billing.ts billChunkStatement, where the rules are stated), then the part's cursor
 * and the run's counters. A crash before the commit loses only this chunk; the next attempt
 * starts from the same cursor, and the unique (apartment, month) invoice means a repeat can only
 * replace, never duplicate.
 */
export async function billNextChunk(
  db: DbOrTx,
  partId: number,
  chunkSize = env().BILLING_CHUNK_SIZE,
  lease?: PartLease,
): Promise<ChunkResult> {
  try {
    return await billChunk(db, partId, chunkSize, lease);
  } catch (error) {
    if (error instanceof RunEnded) return { done: true, billed: 0 };
    throw error;
  }
}

/** The worker's lease on the part (lib/billing/part-leases.ts): only its holder bills a chunk. */
export interface PartLease {
  workerId: string;
  /** each committed chunk extends the lease this long */
  leaseSeconds: number;
}

/** The run was failed while this chunk was being billed: the chunk is rolled back. */
class RunEnded extends Error {}

async function billChunk(db: DbOrTx, partId: number, chunkSize: number, lease: PartLease | undefined): Promise<ChunkResult> {
  return db.transaction(async (tx) => {
    const part = await billing.lockPart(tx, partId);
    if (!part || part.done || part.status !== "running") return { done: true, billed: 0 };
    // The lease ran out and another worker took the part over: it goes on from the cursor.
    if (lease && part.leased_by !== lease.workerId) return { done: true, billed: 0, leaseLost: true };
    const run = { houseId: part.house_id, workspaceId: part.workspace_id, apartmentIdBound: part.apartment_id_bound, period: part.period };

    await billing.lockChunkHouses(tx, run, part, chunkSize);
    const totals = await billing.billChunkStatement(tx, run, part, chunkSize);
    if (totals.unpriced > 0) {
      // The run's prices and normatives were fixed and checked, for its apartments and meters,
      // when it started (every line takes its price from those); this is a safety net for a
      // meter that needs a normative since (its reading or the residents changed meanwhile):
      // never bill an estimate without one.
      await billing.failRun(tx, part.run_id, {
        reason: "unpriced_lines",
        params: { lines: totals.unpriced },
        message: `no normative fixed for ${totals.unpriced} meter(s) to estimate in part ${partId}; run the month again`,
      });
      return { done: true, billed: 0 };
    }

    const finished = totals.n < chunkSize || totals.last_id === null || totals.last_id >= part.last_apartment_id;
    await billing.advancePart(tx, partId, {
      cursor: totals.last_id ?? part.cursor,
      billed: totals.n,
      finished,
      leaseSeconds: lease?.leaseSeconds,
    });
    const progress = await billing.addChunkToRun(tx, part.run_id, totals);
    // Failed meanwhile (the sweep gave up on a job whose handler went on running): add nothing.
    if (!progress) throw new RunEnded();
    if (finished) await billing.completeRunIfDone(tx, part.run_id);
    return { done: finished, billed: totals.n, run: { id: part.run_id, processed: progress.processed, total: progress.total } };
  });
}
