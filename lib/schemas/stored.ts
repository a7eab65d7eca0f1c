import { z } from "zod";
import { BILLING_FLAGS, TARIFF_SCOPES } from "../constants";
import { areaValue, count, id, month, priceValue, reading, readingValue } from "./values";

// What the database keeps in JSON columns, written by the billing engine's SQL
// (db/queries/billing.ts) and answered as it is by the API: one description for the column's
// type (db/schema.ts `.$type<…>()`), the response schemas and the pages.

export const billingFlag = z.enum(BILLING_FLAGS);

/** The price a run fixed for a line: a house's own or the workspace default. */
const appliedTariff = z.strictObject({
  id,
  price: priceValue,
  valid_from: month,
  scope: z.enum(TARIFF_SCOPES),
});

/** A water line's meter: the two readings its consumption came from. */
const lineMeter = z.strictObject({
  meter_id: id,
  serial_number: z.string(),
  previous: reading.nullable(),
  current: reading.nullable(),
  /** 0 when a reading is missing or lower than the previous one */
  consumption: readingValue,
  flag: billingFlag.nullable(),
});

/** invoice_line.details: the inputs that produced the line. */
export const invoiceLineDetails = z
  .union([
    z.strictObject({ meters: z.array(lineMeter), tariff: appliedTariff }),
    z.strictObject({ area: areaValue, tariff: appliedTariff }),
  ])
  .meta({ description: "the inputs that produced the line: each meter's readings, or the area; the price used" });
export type InvoiceLineDetails = z.output<typeof invoiceLineDetails>;
export type InvoiceLineMeter = z.output<typeof lineMeter>;

/** billing_run.flags: flag → how many meters carried it. */
export const flagCounts = z.partialRecord(billingFlag, count).meta({ description: "flag → how many meters carried it" });
export type FlagCounts = z.output<typeof flagCounts>;
