import { z } from "zod";
import { findImport, importContent, updateImport } from "../../db/queries/reading-imports";
import { writeInChunks } from "../file-import/write-in-chunks";
import { checkReadingsFile, finishPreview, insertCheckedRows } from "../reading-import/check-file";
import type { StoredMapping } from "../reading-import/mapping";
import { id } from "../schemas/values";
import type { JobDefinition } from "./boss";
import { READING_IMPORT } from "./queues";

const payload = z.strictObject({ importId: id, workspaceId: id });

/**
 * Checks a big readings file's rows (lib/reading-import/imports.ts setReadingImportMapping sends
 * it): the rows are checked in memory, then written chunk by chunk with progress
 * (lib/file-import/write-in-chunks.ts). A file that cannot be checked fails the import with the reason.
 */
export const readingImportJob: JobDefinition<typeof payload> = {
  name: READING_IMPORT,
  payload,
  async handle({ importId, workspaceId }, context) {
    const { db, log } = context;
    const record = await findImport(db, [workspaceId], importId);
    if (record?.status !== "parsing") return;
    const content = await importContent(db, importId);
    const started = Date.now();
    let rows;
    try {
      rows = await checkReadingsFile(db, record, content!, record.mapping as StoredMapping);
    } catch (error) {
      await updateImport(db, importId, { status: "failed", failure: (error as Error).message });
      log.warn({ importId, err: error }, "reading import failed: its file cannot be checked");
      return;
    }
    const checkedMs = Date.now() - started;
    const finished = await writeInChunks(db, context, {
      rows,
      done: record.rowsDone,
      stillParsing: async (tx) => (await findImport(tx, [workspaceId], importId, true))?.status === "parsing",
      write: (tx, chunk) => insertCheckedRows(tx, importId, chunk),
      progress: (tx, done) => updateImport(tx, importId, { rowsDone: done }),
      finish: (tx) => finishPreview(tx, importId),
    });
    if (finished)
      log.info({ importId, rows: rows.length, checkedMs, writtenMs: Date.now() - started - checkedMs }, "reading import checked");
  },
};
