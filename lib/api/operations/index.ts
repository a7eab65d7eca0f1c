import type { Operation } from "../operation";
import * as accounts from "./accounts";
import * as apartments from "./apartments";
import * as billing from "./billing";
import * as board from "./board";
import * as history from "./history";
import * as houses from "./houses";
import * as invoices from "./invoices";
import * as ledger from "./ledger";
import * as members from "./members";
import * as meters from "./meters";
import * as months from "./months";
import * as normatives from "./normatives";
import * as paymentImports from "./payment-imports";
import * as readingImports from "./reading-imports";
import * as readings from "./readings";
import * as receipts from "./receipts";
import * as residents from "./residents";
import * as services from "./services";
import * as settings from "./settings";
import * as system from "./system";
import * as tariffs from "./tariffs";

// Every operation of the JSON API, one file per tag. Route handlers are built from these
// (app/api/**/route.ts: `operations.listHouses`) and /api/openapi.json is generated from
// OPERATIONS; tests/openapi.test.ts fails when a route has no operation here or an operation
// has no route. A new operation goes into its tag's file and into OPERATIONS below.

export * from "./accounts";
export * from "./apartments";
export * from "./billing";
export * from "./board";
export * from "./history";
export * from "./houses";
export * from "./invoices";
export * from "./ledger";
export * from "./members";
export * from "./meters";
export * from "./months";
export * from "./normatives";
export * from "./payment-imports";
export * from "./reading-imports";
export * from "./readings";
export * from "./receipts";
export * from "./residents";
export * from "./services";
export * from "./settings";
export * from "./system";
export * from "./tariffs";

/** In the order the reference lists them (a module namespace's own order is alphabetical). */
export const OPERATIONS: Operation[] = [
  houses.listHouses,
  houses.createHouse,
  houses.getHouse,
  houses.getHouseSummary,
  houses.updateHouse,
  houses.deleteHouse,
  apartments.createApartment,
  apartments.getApartment,
  apartments.updateApartment,
  apartments.deleteApartment,
  residents.listResidents,
  residents.addResident,
  residents.updateResident,
  residents.removeResident,
  meters.createMeter,
  meters.getMeter,
  meters.updateMeter,
  meters.deleteMeter,
  readings.listMeterReadings,
  readings.putReading,
  readings.getReadingSheet,
  readings.saveHouseReadings,
  services.listServices,
  services.createService,
  services.getService,
  services.updateService,
  services.deleteService,
  tariffs.listTariffs,
  tariffs.createTariff,
  normatives.listNormatives,
  normatives.createNormative,
  tariffs.updateTariff,
  tariffs.deleteTariff,
  billing.startHouseBillingRun,
  billing.listHouseBillingRuns,
  billing.getHouseBillingCheck,
  months.getHouseMonth,
  months.postHouseMonth,
  months.reopenHouseMonth,
  billing.startPortfolioBillingRun,
  billing.getBillingRun,
  board.getMonthBoard,
  board.getPortfolioBillingCheck,
  ledger.getApartmentAccount,
  ledger.setOpeningBalance,
  ledger.setOpeningBalances,
  ledger.listPayments,
  ledger.createPayment,
  ledger.reversePayment,
  ledger.listHouseDebtors,
  ledger.listDebtors,
  invoices.listHouseInvoices,
  invoices.listHouseInvoiceSummaries,
  invoices.downloadHouseInvoicesCsv,
  invoices.listApartmentInvoices,
  receipts.downloadApartmentReceipt,
  receipts.startReceiptBatch,
  receipts.listReceiptBatches,
  receipts.getReceiptBatch,
  receipts.downloadReceiptBatch,
  paymentImports.uploadPaymentImport,
  paymentImports.listPaymentImports,
  paymentImports.getPaymentImport,
  paymentImports.setPaymentImportMapping,
  paymentImports.listPaymentImportRows,
  paymentImports.commitPaymentImport,
  paymentImports.discardPaymentImport,
  paymentImports.downloadRejectedPaymentRows,
  residents.listMyApartments,
  residents.getMyApartment,
  residents.sendMyReadings,
  residents.downloadMyApartmentReceipt,
  readingImports.uploadReadingImport,
  readingImports.listReadingImports,
  readingImports.getReadingImport,
  readingImports.setReadingImportMapping,
  readingImports.listReadingImportRows,
  readingImports.commitReadingImport,
  readingImports.discardReadingImport,
  readingImports.downloadRejectedReadingRows,
  history.listHistory,
  history.listApartmentHistory,
  accounts.login,
  accounts.verify,
  accounts.logout,
  accounts.listSessions,
  accounts.deleteSessions,
  accounts.deleteSession,
  accounts.getProfile,
  accounts.activateInviteCode,
  accounts.listWorkspaces,
  members.listMembers,
  members.updateMember,
  members.removeMember,
  settings.getBillingSettings,
  settings.updateBillingSettings,
  settings.listKeyRates,
  settings.putKeyRate,
  settings.deleteKeyRate,
  settings.getRequisites,
  settings.updateRequisites,
  accounts.listApiKeys,
  accounts.createApiKey,
  accounts.deleteApiKey,
  system.health,
  system.openApiDocument,
] as Operation[];
