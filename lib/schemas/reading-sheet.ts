import { z } from "zod";
import { month } from "./common";

/** GET /api/houses/:id/readings – the month of the sheet; default: the current month. */
export const readingSheetQuery = z.strictObject({
  period: month.optional().meta({ description: "the month of the sheet; default: the current month" }),
});
