import { z } from "zod";
import { BILLING_FLAGS, METER_VOLUME_KINDS, TARIFF_SCOPES } from "../constants";
import { areaValue, count, id, money, month, priceValue, reading, readingValue } from "./values";

// What the database keeps in JSON columns, written by the billing engine's SQL
// (db/queries/billing.ts) and answered as it is by the API: one description for the column's
// type (db/schema.ts `.$type<…>()`), the response schemas and the pages. Invoices billed by an
// earlier version are served as they were written: the fields added since are optional.

export const billingFlag = z.enum(BILLING_FLAGS);

/** The price a run fixed for a line: a house's own or the workspace default. */
const appliedTariff = z.strictObject({
  id,
  price: priceValue,
  valid_from: month,
  scope: z.enum(TARIFF_SCOPES),
});

/** m³ per person per month, 4 decimals */
const normativeValue = z
  .string()
  .regex(/^\d+\.\d{4}$/)
  .meta({ description: "m³ per person per month: an exact decimal as a string, 4 decimal places" });

/** The normative a run fixed for an estimate: a house's own or the workspace default. */
const appliedNormative = z.strictObject({ id, value: normativeValue, valid_from: month, scope: z.enum(TARIFF_SCOPES) });
export type AppliedNormative = z.output<typeof appliedNormative>;

/** m³ with 3 decimals that may be negative (a true-up's credit). */
const signedVolume = z
  .string()
  .regex(/^-?\d+\.\d{3}$/)
  .meta({ description: "m³: an exact decimal as a string, 3 decimal places, negative for a true-up's credit" });

/** A meter on a line: how its volume of the month was obtained (db/schema.ts meterVolume). */
const lineMeter = z.strictObject({
  meter_id: id,
  serial_number: z.string(),
  service: z.string().optional().meta({ description: "the meter's service (cold_water, hot_water): on wastewater lines" }),
  previous: reading.nullable().meta({ description: "the basis reading (L): the last month billed on an actual reading" }),
  current: reading.nullable().meta({ description: "this month's reading, when it was usable and used" }),
  /** the volume billed for the meter this month */
  consumption: signedVolume.meta({ description: "the volume billed for this meter this month (m³)" }),
  flag: billingFlag.nullable().meta({ description: "the meter's main flag (see flags)" }),
  kind: z.enum(METER_VOLUME_KINDS).optional().meta({ description: "how the volume was obtained" }),
  flags: z.array(billingFlag).optional(),
  true_up: z
    .strictObject({
      actual: readingValue.meta({ description: "this month's reading − the basis reading (m³)" }),
      estimated: readingValue.meta({ description: "the volumes estimated for the months in between (E, m³)" }),
      months: count.meta({ description: "how many months were estimated" }),
      by: z.enum(["average", "normative", "mixed"]).meta({ description: "how those months were estimated" }),
    })
    .nullable()
    .optional(),
  average: z
    .strictObject({
      from: reading.meta({ description: "the earliest usable reading of the window (R0)" }),
      months: count.meta({ description: "months from R0 to the basis reading (n ≥ 3)" }),
    })
    .nullable()
    .optional(),
  normative: z
    .strictObject({
      residents: count,
      normative: appliedNormative.nullable().meta({ description: "null when no one is registered (the volume is then 0)" }),
    })
    .nullable()
    .optional(),
  missing_months: count.nullable().optional().meta({ description: "estimates: months from the basis reading to this one (k)" }),
  verified_until: z.string().nullable().optional().meta({ description: "verification_expired: the end of the meter's verification" }),
});

/** A true-up line's amount, split as the receipt shows it. */
const trueUpSplit = z.strictObject({
  estimated: readingValue.meta({ description: "the volume estimated for earlier months and now recalculated (Σ E, m³)" }),
  recalculation: money.meta({ description: "round(−E × price, 2): the recalculation of the earlier months" }),
  charge: money.meta({ description: "amount − recalculation: the charge for the month" }),
});

/** invoice_line.details: the inputs that produced the line. */
export const invoiceLineDetails = z
  .union([
    z.strictObject({ meters: z.array(lineMeter), tariff: appliedTariff, true_up: trueUpSplit.nullable().optional() }),
    z.strictObject({ area: areaValue, tariff: appliedTariff }),
    z.strictObject({ residents: count, tariff: appliedTariff }),
    z.strictObject({ apartment: z.literal(1), tariff: appliedTariff }),
  ])
  .meta({
    description:
      "the inputs that produced the line: each meter's volume and how it was obtained (meter and wastewater lines), the area, the persons registered, or the one apartment; the price used",
  });
export type InvoiceLineDetails = z.output<typeof invoiceLineDetails>;
export type InvoiceLineMeter = z.output<typeof lineMeter>;

/** billing_run.flags: flag → how many meters carried it. */
export const flagCounts = z.partialRecord(billingFlag, count).meta({ description: "flag → how many meters carried it" });
export type FlagCounts = z.output<typeof flagCounts>;
