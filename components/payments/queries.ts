import type { PaymentImportRowStatus } from "@/lib/constants";
import type { MappingBody, PaymentImportRowsView, PaymentImportView } from "@/lib/schemas/payment-imports";
import { importHooks } from "../imports/queries";

// The payment import's hooks (components/imports/queries.ts).
export const {
  useImport: usePaymentImport,
  useImportRows,
  useUploadImport,
  useSetMapping,
  useCommitImport,
  useDiscardImport,
  rejectedUrl,
} = importHooks<PaymentImportView, PaymentImportRowsView, MappingBody, PaymentImportRowStatus>("payment-imports");
