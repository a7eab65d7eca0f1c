import { z } from "zod";
import { MAX_INT4 } from "./common";

// The values the API answers with, as the response schemas describe them (lib/schemas/responses.ts)
// and the stored JSON shapes hold them (lib/schemas/stored.ts): decimals as exact strings with a
// fixed number of places, months as "YYYY-MM", ids as positive integers.

const decimalString = (places: number, description: string) =>
  z
    .string()
    .regex(places === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${places}}$`))
    .meta({ description: `${description}: an exact decimal as a string, ${places} decimal places` });

/** roubles, 2 decimals */
export const money = decimalString(2, "roubles");
/** roubles per unit, 4 decimals */
export const priceValue = decimalString(4, "roubles per unit");
/** m³, 3 decimals */
export const readingValue = decimalString(3, "m³");
/** m², 2 decimals */
export const areaValue = decimalString(2, "m²");
export const id = z.int().min(1).max(MAX_INT4);
export const count = z.int().min(0).max(MAX_INT4);
export const month = z
  .string()
  .regex(/^\d{4}-\d{2}$/)
  .meta({ description: 'a month, "YYYY-MM"' });
export const timestamp = z.iso.datetime().meta({ description: "an ISO 8601 timestamp (UTC)" });
/** A meter reading of a month. */
export const reading = z.strictObject({ period: month, value: readingValue });
