import { z } from "zod";
import { findImport, importContent, updateImport } from "../../db/queries/payment-imports";
import type { ColumnMapping } from "../payment-import/mapping";
import { checkImportFile, finishPreview, insertCheckedRows } from "../payment-import/check-file";
import { ROWS_PER_STATEMENT } from "../payment-import/limits";
import { id } from "../schemas/values";
import { pause, type JobDefinition } from "./boss";
import { PAYMENT_IMPORT } from "./queues";

const payload = z.strictObject({ importId: id, workspaceId: id });

/**
 * Checks a big registry's rows (lib/payment-import/imports.ts setPaymentImportMapping sends it):
 * the rows are checked in memory (pure, fast), then written chunk by chunk, each chunk with
 * rows_done in its own transaction, so that the page shows progress and a retry resumes from
 * rows_done. An import discarded or mapped again meanwhile stops it. A file that cannot be
 * checked fails the import with the reason.
 */
export const paymentImportJob: JobDefinition<typeof payload> = {
  name: PAYMENT_IMPORT,
  payload,
  async handle({ importId, workspaceId }, context) {
    const { db, log } = context;
    const record = await findImport(db, [workspaceId], importId);
    if (record?.status !== "parsing") return;
    const content = await importContent(db, importId);
    const started = Date.now();
    let rows;
    try {
      rows = await checkImportFile(db, workspaceId, content!, record.mapping as ColumnMapping);
    } catch (error) {
      await updateImport(db, importId, { status: "failed", failure: (error as Error).message });
      log.warn({ importId, err: error }, "payment import failed: its file cannot be checked");
      return;
    }
    const checkedMs = Date.now() - started;
    for (let done = record.rowsDone; done < rows.length; done += ROWS_PER_STATEMENT) {
      if (context.stopping()) throw new Error("worker stopping: the import resumes from rows_done on the next attempt");
      const going = await db.transaction(async (tx) => {
        const now = await findImport(tx, [workspaceId], importId, true);
        if (now?.status !== "parsing") return false;
        await insertCheckedRows(tx, importId, rows.slice(done, done + ROWS_PER_STATEMENT));
        await updateImport(tx, importId, { rowsDone: Math.min(rows.length, done + ROWS_PER_STATEMENT) });
        return true;
      });
      if (!going) return;
      if (context.chunkPauseMs) await pause(context, context.chunkPauseMs);
    }
    await db.transaction(async (tx) => {
      const now = await findImport(tx, [workspaceId], importId, true);
      if (now?.status === "parsing") await finishPreview(tx, importId);
    });
    log.info({ importId, rows: rows.length, checkedMs, writtenMs: Date.now() - started - checkedMs }, "payment import checked");
  },
};
