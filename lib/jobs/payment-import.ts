import { z } from "zod";
import { findImport, importContent, updateImport } from "../../db/queries/payment-imports";
import type { ColumnMapping } from "../payment-import/mapping";
import { checkImportFile, finishPreview, insertCheckedRows } from "../payment-import/check-file";
import { runImportJob } from "../file-import/write-in-chunks";
import { id } from "../schemas/values";
import type { JobDefinition } from "./boss";
import { PAYMENT_IMPORT } from "./queues";

const payload = z.strictObject({ importId: id, workspaceId: id });

/**
 * Checks a big registry's rows (lib/payment-import/imports.ts setPaymentImportMapping sends it),
 * with progress and resumable (lib/file-import/write-in-chunks.ts runImportJob).
 */
export const paymentImportJob: JobDefinition<typeof payload> = {
  name: PAYMENT_IMPORT,
  payload,
  handle: ({ importId, workspaceId }, context) =>
    runImportJob(context, importId, {
      what: "payment import",
      find: (db, lock) => findImport(db, [workspaceId], importId, lock),
      content: (db) => importContent(db, importId),
      check: (db, record, content) => checkImportFile(db, workspaceId, content, record.mapping as ColumnMapping),
      fail: (db, failure) => updateImport(db, importId, { status: "failed", failure }),
      write: (tx, rows) => insertCheckedRows(tx, importId, rows),
      progress: (tx, done) => updateImport(tx, importId, { rowsDone: done }),
      finish: (tx) => finishPreview(tx, importId),
    }),
};
