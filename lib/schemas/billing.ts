import { z } from "zod";
import { id, idParam, month, text, typeError } from "./common";

export const startHouseRunBody = z.strictObject({ period: month });
export const startPortfolioRunBody = z.strictObject({
  period: month,
  workspace_id: id.optional().meta({ description: "one of the caller's workspaces; default: their own" }),
});
export const invoicesQuery = z.strictObject({ period: month });

const CSV_LANGUAGES = ["ru", "en"] as const;
export type CsvLanguage = (typeof CSV_LANGUAGES)[number];
export const invoicesCsvQuery = invoicesQuery.extend({
  lang: z
    .enum(CSV_LANGUAGES, { error: typeError(`one of ${CSV_LANGUAGES.join(", ")}`) })
    .optional()
    .meta({ description: "headers and names in this language; default ru (Russian, with decimal commas for Excel)" }),
});

// ---- the month of a house ----

export const houseMonthParams = z.strictObject({ id: idParam, period: month });
export const reopenMonthBody = z.strictObject({
  reason: text(500).meta({ description: "why the posted month is reopened (kept with the month's history)" }),
});
