import type { ReadingImportRowStatus } from "@/lib/constants";
import type { MappingBody, ReadingImportRowsView, ReadingImportView } from "@/lib/schemas/reading-imports";
import { importHooks } from "../imports/queries";
import { readingKeys } from "./queries";

// The readings import's hooks (components/imports/queries.ts).
export const {
  useImport: useReadingImport,
  useImportRows: useReadingImportRows,
  useUploadImport: useUploadReadings,
  useSetMapping: useSetReadingsMapping,
  useCommitImport: useCommitReadings,
  useDiscardImport: useDiscardReadings,
  rejectedUrl: rejectedReadingsUrl,
} = importHooks<ReadingImportView, ReadingImportRowsView, MappingBody, ReadingImportRowStatus>("reading-imports", [readingKeys.all]);
