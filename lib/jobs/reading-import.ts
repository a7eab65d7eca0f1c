import { z } from "zod";
import { findImport, importContent, updateImport } from "../../db/queries/reading-imports";
import { runImportJob } from "../file-import/write-in-chunks";
import { checkReadingsFile, finishPreview, insertCheckedRows } from "../reading-import/check-file";
import type { StoredMapping } from "../reading-import/mapping";
import { id } from "../schemas/values";
import type { JobDefinition } from "./boss";
import { READING_IMPORT } from "./queues";

const payload = z.strictObject({ importId: id, workspaceId: id });

/**
 * Checks a big readings file's rows (lib/reading-import/imports.ts setReadingImportMapping sends
 * it), with progress and resumable (lib/file-import/write-in-chunks.ts runImportJob).
 */
export const readingImportJob: JobDefinition<typeof payload> = {
  name: READING_IMPORT,
  payload,
  handle: ({ importId, workspaceId }, context) =>
    runImportJob(context, importId, {
      what: "reading import",
      find: (db, lock) => findImport(db, [workspaceId], importId, lock),
      content: (db) => importContent(db, importId),
      check: (db, record, content) => checkReadingsFile(db, record, content, record.mapping as StoredMapping),
      fail: (db, failure) => updateImport(db, importId, { status: "failed", failure }),
      write: (tx, rows) => insertCheckedRows(tx, importId, rows),
      progress: (tx, done) => updateImport(tx, importId, { rowsDone: done }),
      finish: (tx) => finishPreview(tx, importId),
    }),
};
